"""One BLAS thread against two, by product size: the table behind the thread policy.

Usage::

    python benchmarks/threads.py [--rounds N] [--threads 1 2 ...]

Times the matrix products that skcourse's fits spend their time in, each at
every thread count in turn (one count, then the next, round after round,
so that each meets the same load; the best round is kept), and prints a
markdown table: the time per product at each count, and the speed-up of the
most threads over one. The products (``PRODUCTS``): an MLP's minibatch on
MNIST (200 x 784 x 100, forward and weight gradient), SoftmaxRegression's
skinny minibatch products (200 x 784 x 10), a full batch of 20,000 MNIST
rows (L-BFGS, gd: 20000 x 784 x 10, the gradient both as ``X^T delta`` and
as ``(delta^T X)^T``), and digits' full batch (1347 x 64 x 10). The products
are random, of the shapes and memory layouts of the fits (``_gemm.MatMul``).
``_fast_numpy.blas_threads`` uses one thread below ``ONE_BLAS_THREAD_BELOW``
multiply-adds per product; the table says where that bound should be on
this machine.
"""

import argparse
import math
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH_DIR), str(BENCH_DIR.parent)]

import numpy as np  # noqa: E402
from _gemm import MatMul, _operands  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from skcourse._fast_numpy import ONE_BLAS_THREAD_BELOW  # noqa: E402

PRODUCTS = (
    MatMul("digits full batch X W", 1347, 64, 10),
    MatMul("softmax minibatch X W", 200, 784, 10),
    MatMul("softmax minibatch X^T delta", 784, 200, 10, transposed="a"),
    MatMul("MLP minibatch X W1", 200, 784, 100),
    MatMul("MLP minibatch X^T delta1", 784, 200, 100, transposed="a"),
    MatMul("MLP minibatch delta1 W1^T", 200, 100, 784, transposed="b"),
    MatMul("20k full batch X W", 20_000, 784, 10),
    MatMul("20k full batch X^T delta", 784, 20_000, 10, transposed="a"),
    MatMul("20k full batch (delta^T X)^T", 10, 20_000, 784),
)


def time_products(products, threads, rounds, dtype=np.float64, budget=0.02):
    """Best time per call of each product at each thread count, in seconds.

    Each round runs every product at every count in turn, ``calls`` times
    (sized so that a round of a product lasts about ``budget`` seconds).
    """
    rng = np.random.default_rng(0)
    operands = [_operands(p, dtype, rng) for p in products]
    best = {(p.name, t): math.inf for p in products for t in threads}
    calls = [max(1, int(budget / _one_call(a, b))) for a, b in operands]
    for round_ in range(rounds):
        order = threads if round_ % 2 == 0 else threads[::-1]
        for product, (a, b), n in zip(products, operands, calls, strict=True):
            for t in order:
                with threadpool_limits(limits=t, user_api="blas"):
                    start = time.perf_counter()
                    for _ in range(n):
                        a @ b
                    seconds = (time.perf_counter() - start) / n
                key = (product.name, t)
                best[key] = min(best[key], seconds)
    return best


def _one_call(a, b):
    start = time.perf_counter()
    a @ b
    return max(time.perf_counter() - start, 1e-6)


def table(products, threads, best):
    """The markdown table of ``time_products``' results."""
    head = ["product", "m x k x n", "multiply-adds"]
    head += [f"{t} thread{'s' if t > 1 else ''} (us)" for t in threads]
    head += [f"speed-up of {threads[-1]}", "policy"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for p in products:
        times = [best[p.name, t] for t in threads]
        size = p.m * p.k * p.n
        policy = "1 thread" if size < ONE_BLAS_THREAD_BELOW else "all threads"
        cells = [p.name, f"{p.m} x {p.k} x {p.n}", f"{size:,}"]
        cells += [f"{1e6 * s:.0f}" for s in times]
        cells += [f"{times[0] / times[-1]:.2f}", policy]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    best = time_products(PRODUCTS, args.threads, args.rounds)
    print(table(PRODUCTS, args.threads, best))
    print(
        f"\nBest of {args.rounds} rounds, float64; the policy column is "
        f"_fast_numpy.blas_threads' (one thread below {ONE_BLAS_THREAD_BELOW:,} "
        "multiply-adds)."
    )


if __name__ == "__main__":
    main()
