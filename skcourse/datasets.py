"""Data sets of the course: the MNIST digits and the XOR toy problem.

``load_mnist`` is a data-set fetcher in the manner of scikit-learn's
``fetch_*`` functions: it reads the four MNIST files in LeCun's IDX format
from a local mirror or from scikit-learn's data home, and downloads them
there (checked against published SHA-256 sums) when they are missing.
``make_xor`` draws the XOR problem that a perceptron cannot solve and a
two-layer ReLU network can.
"""

import gzip
import hashlib
import http.client
import logging
import math
import numbers
import os
import struct
import tempfile
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import numpy as np
from sklearn.datasets import get_data_home
from sklearn.utils import Bunch, check_random_state

__all__ = ["load_mnist", "make_xor"]

logger = logging.getLogger(__name__)

# Environment variable that names a local mirror: a folder holding the four
# .gz files, read first and never written (this team's machines and CI set it,
# so that they never download).
MNIST_DIR_ENV = "SKCOURSE_MNIST_DIR"

#: Where the files are downloaded from, tried in this order: the copies that
#: TensorFlow and PyTorch download (LeCun's own site now asks for a login).
MNIST_URLS = (
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
)

#: The published SHA-256 of each file as served by those mirrors, with its size
#: in bytes (for the docs). A download is used only if its digest matches.
MNIST_SHA256 = {
    "train-images-idx3-ubyte.gz": (
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
    ),
    "train-labels-idx1-ubyte.gz": (
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
    ),
    "t10k-images-idx3-ubyte.gz": (
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"
    ),
    "t10k-labels-idx1-ubyte.gz": (
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"
    ),
}

# Seconds without a byte from the server before a download is given up.
_DOWNLOAD_TIMEOUT = 60

_MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
_SUBSETS = ("train", "test", "all")
_IMAGE_SHAPE = (28, 28)
_N_CLASSES = 10

# The IDX magic number is 0x00 0x00 <type> <ndim>; 0x08 is "unsigned byte".
_IDX_UBYTE = 0x08

_MNIST_DESCR = """\
MNIST handwritten digits
------------------------

LeCun, Cortes and Burges' benchmark: 70,000 grey-level images of 28x28 pixels
of the digits 0-9, split into 60,000 training and 10,000 test images.
License: CC BY-SA 3.0.

==================  ============================================
subset "train"      60,000 images (writers of both NIST sets)
subset "test"       10,000 images
subset "all"        70,000 images: the training ones, then the test ones
data                (n, 784) uint8, pixel values 0 (white) to 255 (black)
images              (n, 28, 28) uint8, a view of ``data``
target              (n,) int64, the digit 0-9
==================  ============================================

Scale the pixels before training, for instance ``X = data / 255.0``.

Test error rates reported by LeCun et al. (1998), "Gradient-based learning
applied to document recognition", Proc. IEEE 86(11), without preprocessing:
linear classifier (1-layer NN) 12.0 %; 2-layer NN with 300 hidden units 4.7 %;
3-layer NN with 300+100 hidden units 3.05 %.
"""


def load_mnist(
    subset="train", *, data_home=None, download_if_missing=True, return_X_y=False
):
    """Load the MNIST handwritten digits, downloading them the first time.

    Read more in the user guide, chapter "Multiclass logistic regression", and
    in the install page's section "Data".

    The four files of MNIST in LeCun's IDX format (gzip-compressed) are looked
    for, in this order:

    1. ``data_home`` itself, when it holds the files a subset needs (a local
       mirror, e.g. a folder shared by a team);
    2. the folder named by the environment variable ``SKCOURSE_MNIST_DIR``,
       another local mirror (an error if it is set but lacks a file);
    3. the cache ``<data_home>/mnist/``, where ``data_home`` is scikit-learn's
       data home by default (``~/scikit_learn_data``, or the folder named by
       ``SCIKIT_LEARN_DATA``: see :func:`sklearn.datasets.get_data_home`).

    When none holds them and ``download_if_missing`` is True, the missing files
    are downloaded into the cache from the first of these mirrors that
    answers (the copies that TensorFlow and PyTorch use; LeCun's own site asks
    for a login):

    - https://storage.googleapis.com/cvdf-datasets/mnist/
    - https://ossci-datasets.s3.amazonaws.com/mnist/

    ==========================  ==========  ======================================
    file                        bytes       SHA-256
    ==========================  ==========  ======================================
    train-images-idx3-ubyte.gz   9,912,422  ``440fcabf73cc546fa21475e81ea37026``…
    train-labels-idx1-ubyte.gz      28,881  ``3552534a0a558bbed6aed32b30c495cc``…
    t10k-images-idx3-ubyte.gz    1,648,877  ``8d422c7b0a1c1c79245a5bcf07fe86e3``…
    t10k-labels-idx1-ubyte.gz        4,542  ``f7ae60f92e00ec6debd23a6088c31dbd``…
    ==========================  ==========  ======================================

    (11.6 MB in all; the full digests are in ``skcourse.datasets.MNIST_SHA256``.)
    A download is written to a temporary file beside its target and renamed
    into place only once its SHA-256 matches, so an interrupted or corrupted
    download never leaves a file that a later call would read. Files found in a
    local mirror or the cache are not hashed again (a mirror may hold
    recompressed copies); their IDX headers and sizes are checked on every read.

    The data set is by Yann LeCun, Corinna Cortes and Christopher J. C. Burges,
    licensed under CC BY-SA 3.0.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which images to load: the 60,000 training images, the 10,000 test
        images, or all 70,000 (training images first). Only the files of the
        subset are read or downloaded.

    data_home : str or path-like, default=None
        scikit-learn's data home: the files are cached in
        ``<data_home>/mnist/``. None means
        :func:`sklearn.datasets.get_data_home`'s folder. A folder that holds
        the four files itself is read as a local mirror.

    download_if_missing : bool, default=True
        If False, raise an :class:`OSError` instead of downloading when the
        files are not on disk.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the attributes:

        data : ndarray of shape (n_samples, 784), dtype uint8
            One row per image, pixels in row-major order, values 0-255.
            Scale them before training, e.g. ``X = data / 255.0``.
        images : ndarray of shape (n_samples, 28, 28), dtype uint8
            The same pixels as images; a view of ``data``, not a copy.
        target : ndarray of shape (n_samples,), dtype int64
            The digit shown, 0 to 9. int64 rather than the file's uint8, so
            that arithmetic on labels cannot silently wrap around.
        target_names : ndarray of shape (10,)
            The digits 0 to 9.
        DESCR : str
            Description of the data set.

    (data, target) : tuple if ``return_X_y`` is True
        The arrays described above.

    Raises
    ------
    FileNotFoundError
        If the files are not on disk and ``download_if_missing`` is False, or
        if ``SKCOURSE_MNIST_DIR`` names a folder that lacks one of them.
    OSError
        If a download fails on every mirror (no network, an HTTP error, a
        connection closed mid-file, a checksum that does not match): the
        message names each URL tried, what went wrong and what to do.
    ValueError
        If ``subset`` is unknown, or a file is not a valid MNIST IDX file.

    Notes
    -----
    An IDX file starts with a big-endian 4-byte magic number ``0x000008nn``
    (``0x08`` for unsigned bytes, ``nn`` the number of dimensions), then one
    big-endian 4-byte size per dimension, then the raw bytes in C order.

    Examples
    --------
    The first call downloads 11.6 MB (or reads a local mirror); later calls
    read the cache.

    >>> from skcourse.datasets import load_mnist
    >>> X, y = load_mnist(return_X_y=True)  # doctest: +SKIP
    >>> X.shape, X.dtype, y[:5]  # doctest: +SKIP
    ((60000, 784), dtype('uint8'), array([5, 0, 4, 1, 9]))
    >>> X_test = load_mnist("test").data / 255.0  # doctest: +SKIP
    """
    if subset not in _SUBSETS:
        raise ValueError(f"subset must be one of {_SUBSETS}, got {subset!r}.")
    subsets = ["train", "test"] if subset == "all" else [subset]
    needed = [name for s in subsets for name in _MNIST_FILES[s]]
    folder = _local_mnist_folder(needed, data_home)
    if folder is None:
        folder = _mnist_cache(data_home)
        if not download_if_missing:
            raise FileNotFoundError(
                f"The MNIST files {needed} are not on disk (looked in the cache "
                f"{str(folder)!r}; no {MNIST_DIR_ENV} mirror is set) and "
                f"download_if_missing is False. Call load_mnist() once with "
                f"download_if_missing=True to download them (11.6 MB), or set "
                f"{MNIST_DIR_ENV} to a folder that holds them."
            )
        for name in needed:
            if not (folder / name).is_file():
                _download(name, folder)

    parts = [_read_mnist_subset(folder, *_MNIST_FILES[s]) for s in subsets]
    if len(parts) == 1:
        data, target = parts[0]
    else:
        data = np.concatenate([X for X, _ in parts])
        target = np.concatenate([y for _, y in parts])

    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        images=data.reshape(-1, *_IMAGE_SHAPE),
        target=target,
        target_names=np.arange(_N_CLASSES),
        DESCR=_MNIST_DESCR,
    )


def _mnist_cache(data_home):
    """The cache folder ``<data_home>/mnist``, as scikit-learn's fetchers lay it."""
    return Path(get_data_home(data_home)) / "mnist"


def _local_mnist_folder(filenames, data_home=None):
    """The first folder on disk that holds ``filenames``, or None.

    Looks in ``data_home`` itself (a mirror), the ``SKCOURSE_MNIST_DIR``
    mirror, then the cache; never downloads. A mirror named by the environment
    variable must hold the files: a wrong setting is an error, not a download.
    """
    if data_home is not None and _holds(Path(data_home), filenames):
        return Path(data_home)
    if os.environ.get(MNIST_DIR_ENV):
        mirror = Path(os.environ[MNIST_DIR_ENV])
        missing = [name for name in filenames if not (mirror / name).is_file()]
        if missing:
            raise FileNotFoundError(
                f"MNIST file {missing[0]!r} not found in {str(mirror)!r} (given "
                f"by the environment variable {MNIST_DIR_ENV}). The folder must "
                f"hold the four .gz files of MNIST: {list(MNIST_SHA256)}; unset "
                f"{MNIST_DIR_ENV} to use scikit-learn's data home instead."
            )
        return mirror
    cache = _mnist_cache(data_home)
    return cache if _holds(cache, filenames) else None


def _holds(folder, filenames):
    return all((folder / name).is_file() for name in filenames)


def _download(name, folder):
    """Download the file ``name`` into ``folder`` from the first mirror that
    serves it with the published checksum; say what to do if none does."""
    folder.mkdir(parents=True, exist_ok=True)
    failures = []
    for base in MNIST_URLS:
        url = base + name
        logger.info("Downloading MNIST's %s from %s", name, url)
        try:
            _fetch_checked(url, folder / name, MNIST_SHA256[name])
            return
        except (OSError, http.client.HTTPException) as exc:
            failures.append(f"  {url}: {_describe(exc)}")
    tried = "\n".join(failures)
    raise OSError(
        f"Could not download the MNIST file {name!r}; tried:\n{tried}\n"
        f"If this machine is offline, copy the four files of MNIST "
        f"({', '.join(MNIST_SHA256)}) into {str(folder)!r}, or set the "
        f"environment variable {MNIST_DIR_ENV} to a folder that holds them."
    )


def _fetch_checked(url, path, sha256):
    """Write the bytes at ``url`` to ``path`` if their SHA-256 is ``sha256``.

    The bytes go to a temporary file in the same folder, renamed into place
    only when complete and checked: a reader never sees a half-written file.
    """
    fd, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        digest, received = hashlib.sha256(), 0
        with (
            os.fdopen(fd, "wb") as out,
            urllib.request.urlopen(url, timeout=_DOWNLOAD_TIMEOUT) as response,
        ):
            announced = response.length  # Content-Length, None if not sent
            while chunk := response.read(1 << 16):
                digest.update(chunk)
                out.write(chunk)
                received += len(chunk)
        if announced is not None and received < announced:
            raise OSError(
                f"the connection closed after {received} of the {announced} "
                f"bytes announced"
            )
        if digest.hexdigest() != sha256:
            raise OSError(
                f"its SHA-256 is {digest.hexdigest()}, expected {sha256}: the "
                f"file is truncated, corrupt or not the published one"
            )
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def _describe(exc):
    """One line on why a download failed."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP error {exc.code} ({exc.reason})"
    if isinstance(exc, urllib.error.URLError):
        return f"no connection ({exc.reason})"
    return str(exc) or type(exc).__name__


def _read_mnist_subset(folder, images_name, labels_name):
    """Read one images file and its labels file; check that they agree."""
    images = _read_idx(folder / images_name, ndim=3)
    labels = _read_idx(folder / labels_name, ndim=1)
    if images.shape[1:] != _IMAGE_SHAPE:
        raise ValueError(
            f"{folder / images_name} holds images of shape {images.shape[1:]}, "
            f"expected {_IMAGE_SHAPE}."
        )
    if len(images) != len(labels):
        raise ValueError(
            f"{folder / images_name} holds {len(images)} images but "
            f"{folder / labels_name} holds {len(labels)} labels."
        )
    if labels.size and labels.max() >= _N_CLASSES:
        raise ValueError(
            f"{folder / labels_name} holds the label {labels.max()}; MNIST labels "
            f"are the digits 0 to {_N_CLASSES - 1}."
        )
    # Copy: np.frombuffer arrays are read-only, which would surprise a user
    # who edits the pixels in place.
    data = images.reshape(len(images), -1).copy()
    return data, labels.astype(np.int64)


def _read_idx(path, ndim):
    """Return the array stored in the gzipped IDX file ``path``."""
    raw = _gunzip(path)
    _check_idx_magic(raw, path, ndim)
    header_size = 4 + 4 * ndim  # the magic number, then one size per dimension
    if len(raw) < header_size:
        raise ValueError(f"{path} is too short ({len(raw)} bytes) to be an IDX file.")
    shape = struct.unpack_from(f">{ndim}I", raw, offset=4)
    n_bytes = len(raw) - header_size
    if n_bytes != math.prod(shape):
        raise ValueError(
            f"{path} announces a shape of {shape}, i.e. {math.prod(shape)} "
            f"bytes, but holds {n_bytes} bytes after its header: the file is "
            f"truncated or corrupt."
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape)


def _check_idx_magic(raw, path, ndim):
    """Check the magic number first: a wrong file then gets the clearest message."""
    expected = (_IDX_UBYTE << 8) | ndim
    magic = int.from_bytes(raw[:4], "big") if len(raw) >= 4 else None
    if magic != expected:
        found = "none" if magic is None else f"0x{magic:08X}"
        raise ValueError(
            f"{path} is not an IDX file of unsigned bytes with {ndim} "
            f"dimension(s): its magic number is {found}, expected 0x{expected:08X}."
        )


def _gunzip(path):
    """Return the decompressed bytes of ``path``; a clear error if it is not gzip."""
    try:
        return gzip.decompress(Path(path).read_bytes())
    except (OSError, EOFError, zlib.error) as exc:
        # gzip.BadGzipFile is an OSError; a truncated stream raises EOFError.
        raise ValueError(f"{path} is not a valid gzip file: {exc}") from exc


def make_xor(n_samples=100, *, noise=0.0, random_state=None):
    """Generate the XOR problem: four corners, labels that no line separates.

    The points are the corners :math:`(\\pm 1, \\pm 1)` of a square, each used
    for a quarter of the samples, optionally moved by Gaussian noise. The label
    is 1 when the two coordinates have different signs and 0 otherwise: the
    exclusive or of the signs. No straight line separates the two classes
    (Minsky and Papert's argument against the perceptron), while the course's
    two-layer ReLU network does.

    Parameters
    ----------
    n_samples : int, default=100
        Number of points. They are spread as evenly as possible over the four
        corners.

    noise : float, default=0.0
        Standard deviation of the Gaussian noise added to each coordinate.

    random_state : int, RandomState instance or None, default=None
        Seed for the order of the samples and for the noise. Pass an int for
        reproducible output.

    Returns
    -------
    X : ndarray of shape (n_samples, 2), dtype float64
        The points.

    y : ndarray of shape (n_samples,), dtype int64
        The labels: ``(X[:, 0] > 0) != (X[:, 1] > 0)``, computed on the noisy
        points, so that the label always is the XOR of the signs of ``X``.

    Notes
    -----
    The lecture ("Neural networks solve non-linear separable problems") solves
    XOR with

    .. math::

        h = \\mathrm{ReLU}(W_1 x + b_1), \\quad y = \\langle w_2, h \\rangle + b_2,
        \\quad W_1 = \\begin{pmatrix} 1 & -1 \\\\ -1 & 1 \\end{pmatrix},
        \\ b_1 = 0, \\ w_2 = (1, 1), \\ b_2 = 0.

    The network computes :math:`y = |x_1 - x_2|`: 0 on the corners of label 0
    and 2 on the corners of label 1, so ``y > 1`` predicts the label. (On the
    corners :math:`\\{0, 1\\}^2` of the classic formulation, ``y`` is the label
    itself.)

    Examples
    --------
    >>> import numpy as np
    >>> from skcourse.datasets import make_xor
    >>> X, y = make_xor(n_samples=4, random_state=0)
    >>> X[np.argsort(2 * X[:, 0] + X[:, 1])]
    array([[-1., -1.],
           [-1.,  1.],
           [ 1., -1.],
           [ 1.,  1.]])

    The course's hand-set ReLU network separates the classes:

    >>> W1, w2 = np.array([[1, -1], [-1, 1]]), np.array([1, 1])
    >>> h = np.maximum(X @ W1.T, 0)
    >>> bool(np.all((h @ w2 > 1) == y))
    True
    """
    _check_make_xor_params(n_samples, noise)
    rng = check_random_state(random_state)
    corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    # Cycling through the corners keeps the classes balanced; the permutation
    # makes the order random.
    X = corners[rng.permutation(np.arange(n_samples) % len(corners))]
    if noise > 0:
        X = X + rng.normal(scale=noise, size=X.shape)
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.int64)
    return X, y


def _check_make_xor_params(n_samples, noise):
    """Reject parameters that would give an empty or meaningless data set."""
    if not isinstance(n_samples, numbers.Integral) or isinstance(n_samples, bool):
        raise TypeError(f"n_samples must be an int, got {n_samples!r}.")
    if n_samples < 1:
        raise ValueError(f"n_samples must be at least 1, got {n_samples}.")
    if not isinstance(noise, numbers.Real) or not noise >= 0:
        raise ValueError(f"noise must be a non-negative number, got {noise!r}.")
