"""NumPy's speed tricks, in one place: what the course's formulas leave out.

The models (``_models``, ``_network``) and the loop (``_training``) compute
the course's formulas; this module holds how NumPy and BLAS are made to run
them fast, and nothing else:

- memory layout: ``phi_W``'s transposed product, ``weight_order``,
  ``squared_norm`` in the weights' own order, the network's
  ``layer_product`` and ``transposed_product``;
- activations computed in place (``IN_PLACE``, ``activate``);
- row gathers into reused buffers: ``row_buffer``, ``take_rows``;
- full-batch sums over blocks of rows that stay in cache: ``summed_over_rows``;
- BLAS thread limits: ``one_blas_thread``, ``blas_threads``,
  ``scipy_blas_on_one_thread``.

It is the seam where another array library would plug in its own.
"""

import contextlib
import functools
import os

import numpy as np
import scipy
import scipy.sparse as sp
import scipy.special
from scipy.special import expit
from threadpoolctl import ThreadpoolController

from ._activations import ACTIVATIONS


def phi_W(X, W):
    """The product ``X W`` (each row ``phi_n^T W``).

    For dense ``X`` of many rows it is computed as ``(W^T X^T)^T``: the same
    numbers, but OpenBLAS runs this layout of a tall-thin product faster (and
    of a few rows, the online perceptron's blocks of 32, slower; benchmarks/).
    And the loss's row-wise max and sums over a few columns read contiguous
    memory then: 3-10x faster than along the rows of ``X W`` (softmax on
    iris's minibatch of 112 rows: 11 us instead of 15).
    """
    if sp.issparse(X) or X.shape[0] < 64:
        return X @ W
    return (W.T @ X.T).T


#: Bytes of ``X`` per block of ``summed_over_rows``: a few MiB, where the
#: forward and backward products of a block took the least time (MNIST).
ROW_BLOCK_BYTES = 4 * 2**20


def summed_over_rows(term, X, T, s):
    """``term(X, T, s) -> (value, grads)``, summed over blocks of rows.

    A full-batch gradient reads ``X`` twice, in the forward product ``X W``
    and in the backward ``X^T delta``; a block of rows small enough to stay
    in cache between the two is read from memory once (MNIST, float64, one
    thread: an evaluation 102 -> 87 ms).  The data term is a sum over the
    samples, so the blocks' sums are its sum, up to rounding.  Data of one
    block (every small set) and sparse ``X`` are evaluated whole.
    """
    n, row_bytes = X.shape[0], X.shape[1] * X.dtype.itemsize
    rows = max(256, ROW_BLOCK_BYTES // max(row_bytes, 1))
    if n <= rows or sp.issparse(X):
        return term(X, T, s)
    value, grads = term(X[:rows], T[:rows], s[:rows])
    for start in range(rows, n, rows):
        block = slice(start, start + rows)
        block_value, block_grads = term(X[block], T[block], s[block])
        value += block_value
        for total, part in zip(grads, block_grads, strict=True):
            total += part
    return value, grads


def weight_order(dtype):
    """The memory order of the weights ``W_k`` during training.

    Column-major ("F") in float64: OpenBLAS computes the weight gradient
    ``h_{k-1}^T delta_k`` of a wide first layer faster as
    ``(delta_k^T h_{k-1})^T``, a column-major result, and weights of the same
    order keep the optimizer's element-wise passes over ``W_k`` and its
    gradient on matching layouts (mixed layouts are much slower).  Row-major
    ("C") in float32, where that layout makes the forward product
    ``h_{k-1} W_k`` slower than the gradient gains.  (The timings behind both
    are in benchmarks/README.md.)
    """
    return "F" if np.dtype(dtype) == np.float64 else "C"


def layer_product(H, W, column_major=False):
    """``H W``; ``column_major``: as the transpose of ``W^T H^T``, the same
    numbers stored column by column.  The network's output layer is computed
    so: the loss's row-wise max and sums over its few units (softmax) then
    read contiguous memory.  Row-major (dense or sparse ``H``) is fastest for
    the hidden layers.
    """
    if column_major and not sp.issparse(H):
        return (W.T @ H.T).T
    return H @ W


def transposed_product(H, delta, like):
    """``H^T delta`` (a weight gradient), in the memory order of ``like``
    (the weights ``W_k``, see ``weight_order``): for column-major weights
    computed as ``(delta^T H)^T``."""
    if like.flags.f_contiguous and not like.flags.c_contiguous:
        return np.asarray(delta.T @ H).T
    return np.asarray(H.T @ delta)


#: Units whose ``g'`` is a function of ``h = g(a)`` alone can overwrite ``a``
#: with ``h`` (one array less per layer).  Each is ``_activations``' unit,
#: written with ``out=`` (``tests/test_network_math.py`` pins them together).
IN_PLACE = {
    "identity": lambda a: a,
    "logistic": lambda a: expit(a, out=a),
    "tanh": lambda a: np.tanh(a, out=a),
    "relu": lambda a: np.maximum(a, 0, out=a),
}


def activate(A, activation):
    """``h = g(a)`` and what ``g'`` needs besides ``h``: nothing (None) for
    the ``IN_PLACE`` units, whose ``h`` overwrites ``a``; ``a`` for the
    others (softplus)."""
    if activation in IN_PLACE:
        return IN_PLACE[activation](A), None
    return ACTIVATIONS[activation](A), A


def squared_norm(W):
    """``||W||^2``, read in ``W``'s memory order (``np.vdot`` would copy a
    column-major ``W`` into row-major order first)."""
    w = W.ravel(order="K")
    return w @ w


def row_buffer(A, n_rows):
    """An array for ``n_rows`` rows of ``A`` (None for a sparse ``A``)."""
    if sp.issparse(A):
        return None
    return np.empty((n_rows, *A.shape[1:]), dtype=A.dtype)


def take_rows(A, rows, out):
    """``A[rows]``, written into ``out`` (reused by every minibatch) when given.

    The minibatch is copied all the same (its rows are scattered over ``A``),
    but into memory the last step left in the cache, rather than into a new
    array: on MNIST, 10 % less time to gather the rows.  ``mode="clip"``
    (``rows`` are valid indices) lets ``take`` write straight into ``out``;
    its default mode would copy through a temporary.
    """
    if out is None:
        return A[rows]
    return np.take(A, rows, axis=0, out=out[: len(rows)], mode="clip")


@functools.cache
def blas_controller():
    """threadpoolctl's view of the loaded BLAS, found once: looking it up
    costs more than a small model's epoch."""
    return ThreadpoolController()


#: Whether ``one_blas_thread`` is in force: a nested one then costs nothing
#: (threadpoolctl's ``limit`` reads every library's state, about 10 us: more
#: than a small model's epoch, and the online perceptron limits every epoch).
_ONE_THREAD = [False]


@contextlib.contextmanager
def one_blas_thread():
    """A context in which BLAS runs on one thread: products of a few rows
    are faster there than on several threads, which spend more time meeting
    than multiplying."""
    if _ONE_THREAD[0]:
        yield
        return
    with blas_controller().limit(limits=1, user_api="blas"):
        _ONE_THREAD[0] = True
        try:
            yield
        finally:
            _ONE_THREAD[0] = False


@functools.cache
def scipy_own_blas():
    """The BLAS that scipy's wheels bundle for scipy alone (in ``scipy.libs``
    or scipy's own folder), beside numpy's: a second pool of threads.  None
    where scipy shares numpy's library (conda) or brings none."""
    home = os.path.dirname(scipy.__file__)
    own = [
        lib.filepath
        for lib in blas_controller().lib_controllers
        if lib.user_api == "blas"
        and lib.filepath.startswith((home + os.sep, home + ".libs"))
    ]
    return blas_controller().select(filepath=own) if own else None


@contextlib.contextmanager
def scipy_blas_on_one_thread():
    """scipy's own BLAS on one thread, around scipy's L-BFGS-B.

    L-BFGS-B's vectors have the parameters' size (thousands): no work for
    threads.  But after each of its BLAS calls that library's idle threads
    spin a while on the cores numpy's BLAS needs next for the products: on
    two cores, MNIST's SoftmaxRegression took 100-150 ms an evaluation
    instead of 50 from its fourth on (30 iterations: 3.5 s, 1.6 s with this).
    """
    scipy_blas = scipy_own_blas()
    if _ONE_THREAD[0] or scipy_blas is None:  # already one thread, or one pool
        yield
        return
    with scipy_blas.limit(limits=1):
        yield


#: Multiply-adds of a step's largest product below which one BLAS thread is
#: used (MNIST's 200 x 784 x 100 is four times above it).
ONE_BLAS_THREAD_BELOW = 4_000_000


def blas_threads(rows, weights):
    """One BLAS thread for small products, all of them for large ones.

    ``rows`` samples times the largest of ``weights``: the multiply-adds of a
    step's largest product.  Several threads on a product of a few hundred
    thousand multiply-adds spend longer meeting than multiplying, and on a busy
    machine wait for each other's cores (scikit-learn's estimator checks of
    the MLPs and small L-BFGS fits ran several times slower on two threads
    than on one: benchmarks/README.md).
    """
    if rows * max(W.size for W in weights) < ONE_BLAS_THREAD_BELOW:
        return one_blas_thread()
    return contextlib.nullcontext()


# --- what the math calls that NumPy spells its own way -------------------------
# ``_fast_xp.ArrayOps`` has the same names, in the array API standard; the
# math reaches both through the seam its model was built with (``xp``: the
# namespace; ``device``: None, the host).

xp = np
device = None
#: A loss or objective value as the loop adds it up: a Python float here; a
#: scalar on the device there (reading it would wait for the device).
scalar = float
vdot = np.vdot
outer = np.outer
xlogy = scipy.special.xlogy


#: ``A.sum(axis)``, ``A.max(axis)`` (the methods' own reductions, which skip
#: ``np.sum``'s dispatch: a few microseconds, a tenth of a small model's
#: step); always given their ``axis``.
reduce_sum = np.add.reduce
reduce_max = np.maximum.reduce
#: ``sum_k t_nk a_nk`` for each row ``n``.
row_dot = functools.partial(np.einsum, "nk,nk->n")
#: A product with a sparse ``X`` as an ndarray.
dense = np.asarray


def copy(a):
    return a.copy()


#: Element-wise, into a work array ``out`` (no temporary).
multiply, divide, sqrt = np.multiply, np.divide, np.sqrt


def indices(rows):
    """Row indices drawn on the host, where the data are (here)."""
    return rows


def zeros(shape, dtype):
    return np.zeros(shape, dtype=dtype)


def array(a, dtype):
    """A copy of ``a`` in ``dtype`` (in ``a``'s memory order)."""
    return np.array(a, dtype=dtype)


norm = np.linalg.norm
append = np.append


def from_host(a):
    return a
