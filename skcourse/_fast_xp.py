"""``_fast_numpy``'s names, written plainly in the array API standard.

The seam for any array library other than NumPy (PyTorch, CuPy,
array-api-strict): the same functions the math calls, without NumPy's
speed tricks (no ``out=``, no memory orders, no BLAS thread limits: the
library runs its own kernels, on its own device).  An ``ArrayOps`` is built
once per fit, for the input's namespace ``xp`` and ``device``
(``_array_api.ops``).
"""

import contextlib

from ._activations import ACTIVATIONS, DERIVATIVE_READS_A


class ArrayOps:
    """The seam on the namespace ``xp``, with arrays on ``device``."""

    weight_order = staticmethod(lambda dtype: None)
    blas_threads = staticmethod(lambda rows, weights: contextlib.nullcontext())
    one_blas_thread = staticmethod(contextlib.nullcontext)
    row_buffer = staticmethod(lambda A, n_rows: None)

    def __init__(self, xp, device):
        self.xp = xp
        self.device = device

    def __repr__(self):
        return f"ArrayOps({self.xp.__name__}, {self.device})"

    @staticmethod
    def summed_over_rows(term, X, T, s):
        """Whole: the library's kernels choose how to read ``X`` (and on a
        device, blocks would add launches, not save memory traffic)."""
        return term(X, T, s)

    # -- products (no layout to choose: the library's kernels do) --------------

    def phi_W(self, X, W):
        return X @ W

    def layer_product(self, H, W, column_major=False):
        return H @ W

    def transposed_product(self, H, delta, like):
        return H.T @ delta

    def dense(self, A):
        return A

    # -- element-wise ----------------------------------------------------------

    def activate(self, A, activation):
        """``h = g(a)``, and ``a`` where ``g'`` needs it (softplus)."""
        H = ACTIVATIONS[activation](A, xp=self.xp)
        return H, (A if activation in DERIVATIVE_READS_A else None)

    def expit(self, A):
        """The logistic function (``exp(-a)`` overflows to inf for very
        negative ``a``: the result is then 0, as it should be)."""
        return 1 / (1 + self.xp.exp(-A))

    def xlogy(self, x, y):
        """``x log y``, 0 where ``x`` is 0."""
        xp = self.xp
        return xp.where(x == 0, xp.zeros_like(x), x * xp.log(y))

    def reduce_sum(self, A, axis=None, keepdims=False):
        return self.xp.sum(A, axis=axis, keepdims=keepdims)

    def reduce_max(self, A, axis=None, keepdims=False):
        return self.xp.max(A, axis=axis, keepdims=keepdims)

    def row_dot(self, T, A):
        return self.xp.sum(T * A, axis=1)

    def vdot(self, a, b):
        return self.xp.sum(a * b)

    def squared_norm(self, W):
        return self.xp.sum(W * W)

    def outer(self, a, b):
        return a[:, None] * b[None, :]

    def multiply(self, a, b, out=None):
        return a * b

    def divide(self, a, b, out=None):
        return a / b

    def sqrt(self, a, out=None):
        return self.xp.sqrt(a)

    def copy(self, a):
        return self.xp.asarray(a, copy=True)

    def array(self, a, dtype):
        return self.xp.asarray(a, dtype=dtype, device=self.device, copy=True)

    def zeros(self, shape, dtype):
        return self.xp.zeros(shape, dtype=dtype, device=self.device)

    def append(self, v, x):
        """``v`` with the 0-d ``x`` after its last entry."""
        return self.xp.concat([v, self.xp.reshape(x, (1,))])

    def norm(self, v):
        return self.xp.linalg.vector_norm(v)

    def scalar(self, value):
        """A loss as the loop adds it up: left on the device (``float`` would
        wait for the device at every minibatch); read once per epoch."""
        return value

    # -- rows -------------------------------------------------------------------

    def from_host(self, a):
        """A NumPy array moved to the device (its dtype kept)."""
        return self.xp.asarray(a, device=self.device)

    def indices(self, rows):
        """Row indices drawn on the host (NumPy), moved to the device: once
        per epoch, not per minibatch."""
        return self.xp.asarray(rows, device=self.device)

    def take_rows(self, A, rows, out=None):
        return self.xp.take(A, rows, axis=0)
