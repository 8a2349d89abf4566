"""What a benchmark file declares: its cases (``Case``), the estimators they
compare (``Candidate``) and the targets those must reach (``Target``).

A ``bench_*.py`` file returns a list of ``Case`` from ``cases(n_train)``;
``_results.run_cases`` measures them.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Target:
    """What a candidate must reach: a time relative to the reference of its case,
    and a test error relative to the reference's, absolute, or both.

    Parameters
    ----------
    max_time_ratio : float
        Largest allowed ``candidate fit time / reference fit time``.
    max_error_gap : float or None
        Largest allowed ``candidate test error - reference test error``, in
        percentage points; None: no bound relative to the reference.
    max_error_pct : float or None
        Largest allowed candidate test error, in percent; None: no absolute
        bound.
    """

    max_time_ratio: float
    max_error_gap: float | None = None
    max_error_pct: float | None = None

    def met_by(self, result, reference):
        """Return True if ``result`` meets the target against ``reference``."""
        fast_enough = result.fit_seconds <= self.max_time_ratio * reference.fit_seconds
        accurate_enough = (
            self.max_error_gap is None
            or result.error_pct <= reference.error_pct + self.max_error_gap
        ) and (self.max_error_pct is None or result.error_pct <= self.max_error_pct)
        return fast_enough and accurate_enough

    def __str__(self):
        bounds = [f"ratio ≤ {self.max_time_ratio:g}"]
        if self.max_error_gap is not None:
            bounds.append(f"error ≤ ref + {self.max_error_gap:g}")
        if self.max_error_pct is not None:
            bounds.append(f"error ≤ {self.max_error_pct:g} %")
        return ", ".join(bounds)


@dataclass(frozen=True)
class Candidate:
    """An estimator to measure: a label for the table and a factory.

    The factory (a class or a ``lambda``) is called with no argument and must
    return an unfitted estimator; ``target`` is None for informational rows.
    """

    label: str
    make: Callable
    target: Target | None = None


@dataclass(frozen=True)
class Case:
    """A comparison: one scikit-learn reference and the skcourse candidates.

    ``dtype`` is the dtype of the pixels given to every estimator of the case.
    ``data``: None for MNIST (the run's training images, in ``dtype``), or a
    function of no argument that returns the case's own ``X_train, y_train,
    X_test, y_test`` (``dtype`` is then unused); make it cheap to call again,
    e.g. cached, as it is called once per case.
    ``min_repeat``: the fewest fits per estimator whatever the run's
    ``repeat``, for fits so short that the best of one would be noise.
    ``seeds``: when given, every estimator of the case is fitted once per seed
    (``random_state=seed``) and measured by its means over the seeds, which a
    noisy estimator (the plain perceptron, whose last weights depend on the
    order of the samples) needs for a fair comparison.
    ``max_repeat``: the most fits per estimator whatever the run's
    ``repeat``, for fits of minutes.
    ``reference``: None for a case of skcourse estimators alone (no ratio).
    ``published``: ``(label, test error in %)`` pairs from the literature,
    shown as rows of the case without a fit.
    ``opt_in``: run the case only when named (``run.py --case NAME``).
    ``interleave``: fit the reference and the candidates in turn (reference,
    candidate, ..., then the other way round), ``repeat`` rounds, rather
    than all the fits of one estimator before the next: on a shared machine
    each side then meets the same load, and the ratio of the best times is
    fair. The reference is then measured for this case alone.

    Efficiency, reported beside the table (see ``_report.efficiency_table``):
    ``flops`` is a function ``flops(fitted, n_samples)`` that returns the
    floating-point operations of one fit, which gives each row its achieved
    FLOP/s; ``products`` lists the matrix products (``_gemm.MatMul``) of one
    training step, which the run times alone, in the case's dtype, as this
    machine's throughput on those shapes. ``memory``: also fit each estimator
    once more, untimed, under tracemalloc, for the peak memory of ``fit``.
    """

    name: str
    description: str
    reference: Candidate | None
    candidates: list
    dtype: type = np.float64
    seeds: tuple = ()
    data: Callable | None = None
    min_repeat: int = 1
    max_repeat: int | None = None
    published: tuple = ()
    opt_in: bool = False
    interleave: bool = False
    flops: Callable | None = None
    products: tuple = ()
    memory: bool = False
