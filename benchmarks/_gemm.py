"""This machine's matrix-product (GEMM) throughput: the ceiling a fit's FLOP/s
is compared with.

A case lists the products of one training step (``MatMul``);
``measure_throughput`` times them alone, and a large square product, with the
run's BLAS and threads (``Throughput``).
"""

import math
import time
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class MatMul:
    """A matrix product ``A @ B`` of an ``m x k`` by a ``k x n`` matrix.

    ``transposed``: "a" when ``A`` is the transpose of a C-ordered ``k x m``
    array (as ``X.T`` in a weight gradient), "b" for ``B``, "" for neither.
    """

    name: str
    m: int
    k: int
    n: int
    transposed: str = ""

    @property
    def flops(self):
        """2 m k n: one multiplication and one addition per term."""
        return 2 * self.m * self.k * self.n


@dataclass(frozen=True)
class Throughput:
    """Matrix-product throughput of this machine now, in FLOP/s, in one dtype.

    ``products``: the products of one training step of the case, timed alone
    back to back; ``peak``: a large square product, near the BLAS's best.
    """

    dtype: str
    products: float
    peak: float


#: Side of the square product timed as the machine's peak throughput.
PEAK_SIZE = 2048


def measure_throughput(products, dtype, rounds=15, calls=20):
    """Time ``products`` (``MatMul``) and a square product in ``dtype``.

    Each round calls every product ``calls`` times; the best round gives the
    products' throughput (their FLOPs over their time), as a fit would see
    them back to back with the run's BLAS threads. The peak is the best of 5
    products of two ``PEAK_SIZE``-square matrices.
    """
    rng = np.random.default_rng(0)
    dtype = np.dtype(dtype).type
    operands = [_operands(product, dtype, rng) for product in products]
    best = math.inf
    for _ in range(rounds):
        start = time.perf_counter()
        for a, b in operands:
            for _ in range(calls):
                a @ b
        best = min(best, time.perf_counter() - start)
    products_rate = calls * sum(p.flops for p in products) / best

    square = rng.random((PEAK_SIZE, PEAK_SIZE)).astype(dtype)
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        square @ square
        best = min(best, time.perf_counter() - start)
    peak_rate = 2 * PEAK_SIZE**3 / best
    return Throughput(np.dtype(dtype).name, products_rate, peak_rate)


def _operands(product, dtype, rng):
    """Random ``A``, ``B`` of ``product``'s shapes and memory layout."""
    a = rng.random((product.m, product.k)).astype(dtype)
    b = rng.random((product.k, product.n)).astype(dtype)
    if "a" in product.transposed:
        a = np.ascontiguousarray(a.T).T
    if "b" in product.transposed:
        b = np.ascontiguousarray(b.T).T
    return a, b
