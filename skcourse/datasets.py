"""Data sets of the course: the MNIST digits and the XOR toy problem.

``load_mnist`` reads the four MNIST files in LeCun's IDX format from a local
folder; nothing is ever downloaded. ``make_xor`` draws the XOR problem that a
perceptron cannot solve and a two-layer ReLU network can.
"""

import gzip
import math
import numbers
import os
import struct
import zlib
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch, check_random_state

__all__ = ["load_mnist", "make_xor"]

# Environment variable that points at the folder holding the four .gz files.
MNIST_DIR_ENV = "SKCOURSE_MNIST_DIR"

# Where the project keeps the data, relative to a parent folder of the repository.
_MNIST_RELATIVE_PATH = Path("shared", "data", "mnist")

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


def load_mnist(subset="train", *, data_home=None, return_X_y=False):
    """Load the MNIST handwritten digits from local IDX files.

    The four files ``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``,
    ``t10k-images-idx3-ubyte.gz`` and ``t10k-labels-idx1-ubyte.gz`` are read
    from a folder on disk: this function never downloads anything and caches
    nothing.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which images to load: the 60,000 training images, the 10,000 test
        images, or all 70,000 (training images first).

    data_home : str or path-like, default=None
        Folder holding the four ``.gz`` files. When None, the folder named by
        the environment variable ``SKCOURSE_MNIST_DIR`` is used if it is set;
        otherwise the first folder ``shared/data/mnist`` found in the current
        working directory, the package's folder, or one of their parents.

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
        If the folder or one of the files it needs cannot be found.
    ValueError
        If ``subset`` is unknown, or a file is not a valid MNIST IDX file.

    Notes
    -----
    An IDX file starts with a big-endian 4-byte magic number ``0x000008nn``
    (``0x08`` for unsigned bytes, ``nn`` the number of dimensions), then one
    big-endian 4-byte size per dimension, then the raw bytes in C order.

    Examples
    --------
    The data is not shipped with the package; these lines need it on disk.

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
    folder = _mnist_folder(data_home, needed)

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


def _mnist_folder(data_home, filenames):
    """Return the folder to read ``filenames`` from, or explain why none was found."""
    if data_home is not None:
        return _check_folder(Path(data_home), filenames, "data_home")
    if os.environ.get(MNIST_DIR_ENV):
        folder = Path(os.environ[MNIST_DIR_ENV])
        return _check_folder(folder, filenames, f"environment variable {MNIST_DIR_ENV}")

    candidates = _candidate_folders()
    for folder in candidates:
        if all((folder / name).is_file() for name in filenames):
            return folder
    tried = "\n".join(f"  {folder}" for folder in candidates)
    raise FileNotFoundError(
        f"Could not find the MNIST files {filenames}. Looked in:\n{tried}\n"
        f"Pass data_home='path/to/folder' to load_mnist, or set the environment "
        f"variable {MNIST_DIR_ENV} to the folder holding the .gz files."
    )


def _candidate_folders():
    """Folders ``shared/data/mnist`` above the working directory and the package.

    The data sits beside the repository, not inside it, so a checkout
    anywhere finds it by walking up its parents.
    """
    starts = [Path.cwd(), Path(__file__).resolve().parent]
    candidates = []
    for start in starts:
        for parent in [start, *start.parents]:
            folder = parent / _MNIST_RELATIVE_PATH
            if folder not in candidates:
                candidates.append(folder)
    return candidates


def _check_folder(folder, filenames, source):
    """Return ``folder`` if it holds every file, else name the first missing one."""
    for name in filenames:
        if not (folder / name).is_file():
            raise FileNotFoundError(
                f"MNIST file {name!r} not found in {str(folder)!r} (given by "
                f"{source}). The folder must hold the four .gz files of MNIST: "
                f"{[n for pair in _MNIST_FILES.values() for n in pair]}."
            )
    return folder


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
