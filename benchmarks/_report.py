"""The markdown report and its figure, written from the rows (``Result``) of a
run: every row (``markdown_table``, ``notes``), the comparisons with
scikit-learn (``summary_table``, ``summary_figure``) and the achieved FLOP/s
and peak memory (``efficiency_table``, ``throughput_notes``).
"""

import textwrap

import numpy as np
from _gemm import PEAK_SIZE

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
        error_cell = _error(result.measurement)
    elif result.measurement is None:
        time_cell = ratio_cell = error_cell = "—"
    else:
        time_cell = _seconds(result.fit_seconds)
        ratio_cell = "—" if result.ratio is None else f"{result.ratio:.2f}"
        error_cell = _error(result.measurement)
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
    # "tight": the canvas grows to hold every label (long case names squeeze the
    # axes, and the error labels of the longest bars ran off the figure).
    fig.savefig(path, dpi=100, bbox_inches="tight")
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
        memory_cells[0] = _mebibytes(m.peak_bytes)
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


def _mebibytes(n_bytes):
    """MiB with one decimal, or three significant digits below 10 MiB (a
    small data set's fit holds a few KiB)."""
    mib = n_bytes / 2**20
    return f"{mib:.1f}" if mib >= 10 else f"{mib:.3g}"
