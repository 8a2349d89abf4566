"""Running the cases: every estimator of every case measured, in the same
process, into the rows of the report (``Result``), each compared with its
case's reference and judged against its target.
"""

import math
import sys
from dataclasses import dataclass

import numpy as np
from _cases import Target
from _gemm import Throughput, measure_throughput
from _measure import Measurement, load_data, measure_interleaved, measure_seeds


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
    gemm: Throughput | None = None
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


def failures(results):
    """The rows that missed their target or raised an error."""
    return [r for r in results if r.error or r.passed is False]
