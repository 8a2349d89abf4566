"""Tools shared by the benchmarks: data, timing, targets and the markdown report.

A benchmark file ``bench_*.py`` only describes its cases (see ``Case``); this
module loads MNIST (or the case's own data), fits every estimator in the same
process, and writes the table. Both sides of a comparison run with the same
numpy, BLAS and threads, so their time ratio is fair even where the absolute
times are not portable.
"""

import functools
import math
import os
import platform
import subprocess
import sys
import textwrap
import time
import tracemalloc
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import sklearn
from sklearn.base import clone
from threadpoolctl import threadpool_info

from skcourse.datasets import load_mnist

# --- what a benchmark file declares ----------------------------------------------


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

    Efficiency, reported beside the table (see ``efficiency_table``):
    ``flops`` is a function ``flops(fitted, n_samples)`` that returns the
    floating-point operations of one fit, which gives each row its achieved
    FLOP/s; ``products`` lists the matrix products (``MatMul``) of one
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


# --- what the harness measures ---------------------------------------------------


@dataclass
class Measurement:
    """Best fit time over the repeats, test error of the last fit, warnings seen.

    ``warnings`` maps the name of each warning category raised to the number
    of fits that raised it, out of ``fits``. Over several seeds: the means of
    time and error, the standard deviation of the error over the seeds, and
    the warnings of all the fits.

    ``flops``: the operations of the last fit, when the case counts them;
    ``peak_bytes``: the peak memory traced during an extra, untimed fit, when
    the case asks for it (over several seeds: the largest); ``n_iter``: the
    last fit's ``n_iter_`` (its epochs), if it has one.
    """

    fit_seconds: float
    error_pct: float
    warnings: dict = field(default_factory=dict)
    error_std: float | None = None
    fits: int = 1
    flops: float | None = None
    peak_bytes: int | None = None
    n_iter: int | None = None


@dataclass
class Result:
    """One row of the report."""

    case: str
    label: str
    measurement: Measurement | None = None
    ratio: float | None = None
    target: Target | None = None
    passed: bool | None = None
    is_reference: bool = False
    error: str | None = None
    is_published: bool = False
    #: The case's measured matrix-product throughputs, in FLOP/s.
    gemm: "Throughput | None" = None
    #: The reference's measurement, for the memory ratio and the summary.
    reference: Measurement | None = None
    #: The reference's label, for the summary.
    reference_label: str | None = None

    @property
    def fit_seconds(self):
        return self.measurement.fit_seconds

    @property
    def error_pct(self):
        return self.measurement.error_pct


def load_data(n_train=None, dtype=np.float64):
    """Return ``X_train, y_train, X_test, y_test`` of MNIST, pixels scaled to [0, 1].

    ``n_train`` keeps the first training images (MNIST is not sorted by
    label); the test set is always the full 10,000 images. Cached, so every
    case of a run shares the same arrays.
    """
    # One cache key per dtype however it is spelled (np.float32, "float32").
    return _load_data(n_train, np.dtype(dtype).name)


@functools.lru_cache(maxsize=4)
def _load_data(n_train, dtype):
    dtype = np.dtype(dtype).type
    X_train, y_train = load_mnist("train", return_X_y=True)
    X_test, y_test = load_mnist("test", return_X_y=True)
    X_train, y_train = X_train[:n_train], y_train[:n_train]
    return _scale(X_train, dtype), y_train, _scale(X_test, dtype), y_test


def _scale(X, dtype):
    """Map the uint8 pixels to [0, 1] in ``dtype``."""
    return X.astype(dtype) / dtype(255)


def measure_seeds(
    estimator, X_train, y_train, X_test, y_test, repeat=3, seeds=(), **options
):
    """``measure`` once per seed (none: once, as is); the means over the seeds.

    ``options`` (``flops``, ``memory``) are passed on to ``measure``.
    """
    if not seeds:
        return measure(estimator, X_train, y_train, X_test, y_test, repeat, **options)
    runs = [
        measure(
            clone(estimator).set_params(random_state=seed),
            X_train,
            y_train,
            X_test,
            y_test,
            repeat,
            **options,
        )
        for seed in seeds
    ]
    errors = [run.error_pct for run in runs]
    flops = [run.flops for run in runs if run.flops is not None]
    peaks = [run.peak_bytes for run in runs if run.peak_bytes is not None]
    return Measurement(
        float(np.mean([run.fit_seconds for run in runs])),
        float(np.mean(errors)),
        _sorted_counts(sum((Counter(run.warnings) for run in runs), Counter())),
        error_std=float(np.std(errors)),
        fits=sum(run.fits for run in runs),
        flops=float(np.mean(flops)) if flops else None,
        peak_bytes=max(peaks) if peaks else None,
    )


def measure(
    estimator, X_train, y_train, X_test, y_test, repeat=3, flops=None, memory=False
):
    """Fit a fresh clone of ``estimator`` ``repeat`` times; time and score it.

    Returns the best fit time (other processes can only slow a run down, so
    the minimum is the least noisy estimate), the test error in percent of the
    last fit, and the names of the warnings raised while fitting, each with
    the number of fits that raised it. ``flops(fitted, n_samples)``, if given,
    counts the operations of the last fit; ``memory``: then fit once more,
    untimed, for the peak memory of ``fit`` (``peak_fit_memory``).
    """
    return measure_interleaved(
        [estimator], X_train, y_train, X_test, y_test, repeat, flops, memory
    )[0]


def measure_interleaved(
    estimators, X_train, y_train, X_test, y_test, repeat=3, flops=None, memory=False
):
    """``measure`` for several estimators, fitted in turn: ``repeat`` rounds,
    each fitting every estimator once, in alternating order (so that none is
    always first after a pause). Returns one ``Measurement`` per estimator."""
    times = [[] for _ in estimators]
    seen = [Counter() for _ in estimators]
    fitted = [None] * len(estimators)
    for round_ in range(repeat):
        turns = range(len(estimators))
        for i in turns if round_ % 2 == 0 else reversed(turns):
            fitted[i], seconds, names = _timed_fit(estimators[i], X_train, y_train)
            times[i].append(seconds)
            seen[i].update(names)
    return [
        Measurement(
            min(times[i]),
            float(100.0 * np.mean(fitted[i].predict(X_test) != y_test)),
            _sorted_counts(seen[i]),
            fits=repeat,
            flops=None if flops is None else float(flops(fitted[i], X_train.shape[0])),
            peak_bytes=peak_fit_memory(est, X_train, y_train) if memory else None,
            n_iter=getattr(fitted[i], "n_iter_", None),
        )
        for i, est in enumerate(estimators)
    ]


def _timed_fit(estimator, X_train, y_train):
    """Fit a fresh clone; return it, the fit's wall time and its warnings' names."""
    fitted = clone(estimator)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        fitted.fit(X_train, y_train)
        seconds = time.perf_counter() - start
    return fitted, seconds, {w.category.__name__ for w in caught}


def peak_fit_memory(estimator, X_train, y_train):
    """Peak bytes allocated while fitting a fresh clone, traced by tracemalloc.

    numpy reports its array buffers to tracemalloc, so the peak counts every
    array ``fit`` creates (copies of the data included) as well as Python
    objects; memory that BLAS allocates for itself is not seen. Tracing slows
    allocation down, which is why this fit is separate from the timed ones.
    """
    fitted = clone(estimator)
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fitted.fit(X_train, y_train)
        # Tracing starts at zero: the peak is the most the fit held at once.
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


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


def _sorted_counts(counter):
    return dict(sorted(counter.items()))


# --- running cases ---------------------------------------------------------------


def run_cases(cases, n_train=None, repeat=3):
    """Measure every case and return the rows of the report.

    A reference shared by several cases (same label, data, dtype, seeds and
    repeats) is fitted once, so those cases compare against the same
    measurement. The matrix-product throughput of a case with ``products`` is
    measured just before its fits, once per set of products and dtype.
    """
    references, throughputs, results = {}, {}, []
    for case in cases:
        data = case.data() if case.data else load_data(n_train, case.dtype)
        fits = max(repeat, case.min_repeat)
        if case.max_repeat is not None:
            fits = min(fits, case.max_repeat)
        gemm = None
        if case.products:
            key = (case.products, np.dtype(case.dtype).name)
            if key not in throughputs:
                print(f"[{case.name}] matrix products ...", file=sys.stderr)
                throughputs[key] = measure_throughput(case.products, case.dtype)
            gemm = throughputs[key]
        if case.interleave and case.reference is not None and not case.seeds:
            results += _run_interleaved(case, data, fits, gemm)
            continue
        reference = None
        if case.reference is not None:
            key = (
                case.reference.label,
                case.data,
                np.dtype(case.dtype).name,
                case.seeds,
                fits,
            )
            if key not in references:
                references[key] = _run_one(case, case.reference, data, fits)
            reference = references[key]
            results.append(_as_reference_row(case, reference, gemm))
        results += [
            Result(case.name, label, Measurement(math.nan, error), is_published=True)
            for label, error in case.published
        ]
        for candidate in case.candidates:
            result = _run_one(case, candidate, data, fits)
            result.gemm = gemm
            if reference is not None:
                _compare(result, reference)
            results.append(result)
    return results


def _run_one(case, candidate, data, repeat):
    """Measure one estimator; an exception becomes an ERROR row, not a crash."""
    # Progress goes to stderr: a full run takes minutes, the report is stdout.
    print(f"[{case.name}] {candidate.label} ...", file=sys.stderr, flush=True)
    result = Result(case.name, candidate.label, target=candidate.target)
    try:
        result.measurement = measure_seeds(
            candidate.make(),
            *data,
            repeat=repeat,
            seeds=case.seeds,
            flops=case.flops,
            memory=case.memory,
        )
    except Exception as exc:  # a broken candidate must not hide the other rows
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def _run_interleaved(case, data, repeat, gemm):
    """The rows of a case whose estimators are fitted in turn (``interleave``)."""
    everyone = [case.reference, *case.candidates]
    print(
        f"[{case.name}] {', '.join(c.label for c in everyone)} (in turn) ...",
        file=sys.stderr,
        flush=True,
    )
    rows = [Result(case.name, c.label, target=c.target) for c in everyone]
    try:
        measurements = measure_interleaved(
            [c.make() for c in everyone],
            *data,
            repeat=repeat,
            flops=case.flops,
            memory=case.memory,
        )
    except Exception as exc:  # as _run_one: an ERROR row for every estimator
        for row in rows:
            row.error = f"{type(exc).__name__}: {exc}"
        measurements = [None] * len(rows)
    for row, measurement in zip(rows, measurements, strict=True):
        row.measurement, row.gemm = measurement, gemm
    reference = rows[0]
    reference_row = _as_reference_row(case, reference, gemm)
    for row in rows[1:]:
        _compare(row, reference)
    return [reference_row, *rows[1:]]


def _as_reference_row(case, reference, gemm=None):
    """The reference's row of ``case`` (it may have been measured for another)."""
    return Result(
        case.name,
        reference.label,
        reference.measurement,
        ratio=1.0 if reference.measurement else None,
        is_reference=True,
        error=reference.error,
        gemm=gemm,
    )


def _compare(result, reference):
    """Fill the ratio to the reference and the verdict of the target."""
    if result.error or reference.error:
        result.passed = False if result.target else None
        return
    result.ratio = result.fit_seconds / reference.fit_seconds
    result.reference = reference.measurement
    result.reference_label = reference.label
    if result.target is not None:
        result.passed = result.target.met_by(result, reference)


# --- the report ------------------------------------------------------------------

_COLUMNS = [
    "case",
    "estimator",
    "fit time (s)",
    "ratio to ref",
    "test error (%)",
    "target",
    "result",
]


def markdown_table(results):
    """Return the results as a markdown table, one row per estimator."""
    lines = [_row(_COLUMNS), _row(["---"] * len(_COLUMNS))]
    lines += [_row(_cells(result)) for result in results]
    return "\n".join(lines)


def _row(cells):
    return "| " + " | ".join(cells) + " |"


def _cells(result):
    """The table cells of one result."""
    if result.is_published:
        time_cell = ratio_cell = "—"
        error_cell = f"{result.error_pct:.2f}"
    elif result.measurement is None:
        time_cell = ratio_cell = error_cell = "—"
    else:
        time_cell = _seconds(result.fit_seconds)
        ratio_cell = "—" if result.ratio is None else f"{result.ratio:.2f}"
        error_cell = f"{result.error_pct:.2f}"
        if result.measurement.error_std is not None:
            error_cell += f" ± {result.measurement.error_std:.2f}"
    if result.is_reference:
        target_cell = "reference"
    elif result.is_published:
        target_cell = "published"
    else:
        target_cell = str(result.target or "—")
    return [
        result.case,
        f"`{result.label}`",
        time_cell,
        ratio_cell,
        error_cell,
        target_cell,
        _verdict(result),
    ]


def _seconds(seconds):
    """Hundredths of a second, or three significant digits below 0.1 s."""
    return f"{seconds:.2f}" if seconds >= 0.1 else f"{seconds:.3g}"


def _verdict(result):
    if result.error:
        return "**ERROR**"
    if result.passed is None:
        return "—"
    return "PASS" if result.passed else "**FAIL**"


def notes(results):
    """Markdown bullet list of the errors and warnings behind the table."""
    lines, noted = [], set()
    for result in results:
        # A reference shared by several cases is one measurement: note it once.
        key = id(result.measurement) if result.is_reference else id(result)
        if key in noted or result.is_published:
            continue
        noted.add(key)
        where = f"{result.case} / `{result.label}`"
        if result.error:
            lines.append(f"- {where}: {result.error}")
        elif result.measurement.warnings:
            fits = result.measurement.fits
            raised = ", ".join(
                f"{name} (in {count} of {fits} fits)"
                for name, count in result.measurement.warnings.items()
            )
            lines.append(f"- {where}: raised {raised}")
    return "\n".join(lines)


# --- the summary: one row and one bar per comparison ------------------------------

_SUMMARY_COLUMNS = [
    "case",
    "skcourse",
    "scikit-learn",
    "time ratio",
    "test error (%)",  # skcourse / scikit-learn
    "target",  # met, missed, or none (informational)
]


def compared(results):
    """The rows with a ratio to a reference: skcourse against scikit-learn."""
    return [r for r in results if r.ratio is not None and not r.is_reference]


def _error(measurement):
    """A test error in percent, ± its standard deviation over seeds if any."""
    text = f"{measurement.error_pct:.2f}"
    if measurement.error_std is not None:
        text += f" ± {measurement.error_std:.2f}"
    return text


def summary_table(results):
    """Markdown table of the comparisons: the fit-time ratio to scikit-learn
    (below 1: skcourse is faster) and both test errors, one row per
    skcourse estimator that has a reference."""
    lines = [_row(_SUMMARY_COLUMNS), _row(["---"] * len(_SUMMARY_COLUMNS))]
    for r in compared(results):
        cells = [
            r.case,
            f"`{r.label}`",
            f"`{r.reference_label.removeprefix('sklearn ')}`",
            f"{r.ratio:.2f}",
            f"{_error(r.measurement)} / {_error(r.reference)}",
            {"PASS": "met", "**FAIL**": "**missed**"}.get(_verdict(r), "none"),
        ]
        lines.append(_row(cells))
    return "\n".join(lines)


#: Bar colours of the summary figure, by verdict.
_COLOURS = {"PASS": "tab:green", "**FAIL**": "tab:red", "—": "tab:grey"}


def summary_figure(results, path, title):
    """Draw the fit-time ratios of ``compared(results)`` as horizontal bars on a
    log scale (1 = as fast as scikit-learn), each labelled with both test
    errors, and save the figure to ``path``. matplotlib is imported here: the
    benchmarks need it only for this figure."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed; the file is what we want
    import matplotlib.pyplot as plt

    rows = compared(results)
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(10, 1.6 + 0.3 * len(rows)))
    y = np.arange(len(rows))[::-1]
    ratios = [r.ratio for r in rows]
    ax.barh(y, ratios, color=[_COLOURS[_verdict(r)] for r in rows], height=0.7)
    ax.axvline(1, color="k", lw=1)
    ax.set_xscale("log")
    for yi, r in zip(y, rows, strict=True):
        ax.annotate(
            f"error {_error(r.measurement)} % (sklearn {_error(r.reference)} %)",
            (r.ratio, yi),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    ax.set_yticks(y, [f"{r.case}: {r.label}" for r in rows], fontsize=7)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    low, high = min(ratios), max(ratios)
    ax.set_xlim(min(low, 1) / 1.5, max(high, 1) * 6)  # room for the labels
    ax.set_xlabel(
        "fit time of skcourse / fit time of scikit-learn (log scale; "
        "< 1: skcourse is faster)"
    )
    fig.suptitle(textwrap.fill(title, 130), fontsize=8)
    handles = [
        matplotlib.patches.Patch(color=colour, label=label)
        for label, colour in [
            ("target met", "tab:green"),
            ("target missed", "tab:red"),
            ("informational (no target)", "tab:grey"),
        ]
    ]
    # Above the bars, where it covers none of them.
    ax.legend(
        handles=handles, loc="lower left", bbox_to_anchor=(0, 1), ncol=3, fontsize=7
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


#: The efficiency targets of the issue, judged beside the table (not in its
#: result column): achieved FLOP/s at least this fraction of the measured peak
#: matrix-product throughput, and a peak memory of ``fit`` at most the
#: reference's.
MIN_PEAK_FRACTION = 0.5
MAX_MEMORY_RATIO = 1.0

_EFFICIENCY_COLUMNS = [
    "case",
    "estimator",
    "epochs",
    "GFLOP/s",
    "% of step products",
    "% of peak",
    f"≥ {MIN_PEAK_FRACTION:.0%} of peak",
    "peak memory (MiB)",
    "memory ratio to ref",
    "≤ ref",
]


def efficiency_table(results):
    """Markdown table of the achieved FLOP/s and peak memory of ``fit``.

    One row per fitted estimator whose case counts FLOPs or measures memory;
    an empty string when there is none. GFLOP/s is the fit's FLOPs over its
    (best) fit time; the percentages divide it by the case's matrix-product
    throughputs (``Throughput``); the memory ratio is to the reference's peak.
    Epochs: ``n_iter_`` of the last timed fit.
    """
    rows = [
        r
        for r in results
        if r.measurement is not None
        and not r.is_published
        and (r.measurement.flops is not None or r.measurement.peak_bytes is not None)
    ]
    if not rows:
        return ""
    lines = [_row(_EFFICIENCY_COLUMNS), _row(["---"] * len(_EFFICIENCY_COLUMNS))]
    lines += [_row(_efficiency_cells(r)) for r in rows]
    return "\n".join(lines)


def _efficiency_cells(result):
    m = result.measurement
    judged = not result.is_reference and result.target is not None
    rate_cells = ["—"] * 4
    if m.flops is not None:
        rate = m.flops / m.fit_seconds
        rate_cells[0] = f"{rate / 1e9:.1f}"
        if result.gemm is not None:
            rate_cells[1] = f"{rate / result.gemm.products:.0%}"
            rate_cells[2] = f"{rate / result.gemm.peak:.0%}"
            if judged:
                rate_cells[3] = _yes_no(rate >= MIN_PEAK_FRACTION * result.gemm.peak)
    memory_cells = ["—"] * 3
    if m.peak_bytes is not None:
        memory_cells[0] = f"{m.peak_bytes / 2**20:.1f}"
        reference = m if result.is_reference else result.reference
        if reference is not None and reference.peak_bytes:
            ratio = m.peak_bytes / reference.peak_bytes
            memory_cells[1] = f"{ratio:.2f}"
            if judged:
                memory_cells[2] = _yes_no(ratio <= MAX_MEMORY_RATIO)
    epochs = "—" if m.n_iter is None else str(m.n_iter)
    return [result.case, f"`{result.label}`", epochs] + rate_cells + memory_cells


def _yes_no(ok):
    return "yes" if ok else "**no**"


def throughput_notes(results):
    """Markdown bullet list of the matrix-product throughputs measured."""
    seen = {}
    for result in results:
        if result.gemm is not None:
            seen.setdefault(id(result.gemm), (result.case, result.gemm))
    return "\n".join(
        f"- {gemm.dtype}, measured before {case}: the products of one step "
        f"{gemm.products / 1e9:.1f} GFLOP/s, peak ({PEAK_SIZE}² square) "
        f"{gemm.peak / 1e9:.1f} GFLOP/s"
        for case, gemm in seen.values()
    )


def failures(results):
    """The rows that missed their target or raised an error."""
    return [r for r in results if r.error or r.passed is False]


def run_stamp():
    """One line saying when, at which commit and on what machine a run ran."""
    return (
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {_git_commit()}, "
        f"{platform.machine()} with {os.cpu_count()} logical cores, "
        f"load average {os.getloadavg()[0]:.2f} at the end"
    )


def machine_info():
    """Markdown bullet list describing the software and hardware of the run."""
    lines = [
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- commit: {_git_commit()}",
        f"- Python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}",
        f"- machine: {platform.machine()}, {os.cpu_count()} logical cores, "
        f"{platform.system()} {platform.release()}",
        # Other work on the machine slows both sides, but not always equally.
        "- load average at the end: "
        + ", ".join(f"{load:.2f}" for load in os.getloadavg()),
    ]
    lines += [f"- {_describe_pool(pool)}" for pool in threadpool_info()]
    lines += [
        f"- environment: {name}={os.environ[name]}"
        for name in sorted(os.environ)
        if name.startswith(("OPENBLAS_", "OMP_", "MKL_"))
    ]
    return "\n".join(lines)


def _describe_pool(pool):
    """One line about a BLAS or OpenMP library found by threadpoolctl."""
    details = [
        os.path.basename(pool.get("filepath", "")),
        pool.get("internal_api"),
        pool.get("version"),
        pool.get("architecture") and f"core type {pool['architecture']}",
        f"{pool.get('num_threads')} threads",
    ]
    return f"{pool['user_api']}: " + ", ".join(str(d) for d in details if d)


def _git_commit():
    """Short hash of the checked-out commit, "+ uncommitted changes" when the
    tracked files differ from it, or 'unknown' outside a git clone."""
    try:
        commit = _git("rev-parse", "--short", "HEAD")
        changed = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} + uncommitted changes" if changed else commit


def _git(*args):
    completed = subprocess.run(
        ["git", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=os.path.dirname(os.path.abspath(__file__)),
    )
    return completed.stdout.strip()
