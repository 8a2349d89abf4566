"""Run the benchmarks and print a markdown report.

Usage::

    python benchmarks/run.py [--quick] [--only NAME ...] [--case CASE ...] [--repeat N]
                             [--publish] [--publish-last]

A case marked ``opt_in`` (a long one, such as ``mlp-long``) runs only when
named by ``--case``.

Every ``benchmarks/bench_NAME.py`` file is a benchmark: it defines a function
``cases(n_train)`` that returns a list of ``_cases.Case``. The report is
printed and written to ``benchmarks/results/latest.md``, and its summary
figure (the fit-time ratios to scikit-learn, with the test errors) to
``benchmarks/results/latest.png``. ``--publish`` also puts the summary (table,
figure, machine) at the top of ``benchmarks/README.md``, the documentation's
benchmarks page (the rest of the report under "Details"), and the figure in
``benchmarks/latest_run.png``; ``--publish-last`` does so for the report of
the previous run. The exit code is 0
even when a target is missed (the report says FAIL); it is 1 only when a
benchmark could not run at all (an import error or an estimator that raised).
"""

import argparse
import importlib
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
# Benchmark the checkout's skcourse, even if another version is installed.
sys.path[:0] = [str(BENCH_DIR), str(REPO_ROOT)]

# The harness, one job a module (each needs the paths above).
import _machine  # noqa: E402
import _report  # noqa: E402
import _results  # noqa: E402
from _measure import resolve_repeat  # noqa: E402

QUICK_N_TRAIN = 10_000
#: MNIST's training images, all of which a full run uses.
MNIST_TRAIN = 60_000


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"smoke run: {QUICK_N_TRAIN} training images, one fit per estimator",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only bench_NAME.py (may be given several times)",
    )
    parser.add_argument(
        "--case",
        action="append",
        metavar="CASE",
        help="run only the case named CASE (may be given several times); "
        "long cases run only when named",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=None,
        help="fits per estimator, the best time is kept (default: 3, 1 with --quick)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=BENCH_DIR / "results" / "latest.md",
        help="where to write the report (default: %(default)s)",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="then copy the report into benchmarks/README.md and its figure to "
        "benchmarks/latest_run.png (for a full run, to be committed)",
    )
    parser.add_argument(
        "--publish-last",
        action="store_true",
        help="run nothing: publish the report at --output, as --publish would",
    )
    return resolve_repeat(parser, parser.parse_args(argv))


def discover(only=None):
    """Return the names of the benchmark files, ``bench_`` prefix removed."""
    names = sorted(path.stem[len("bench_") :] for path in BENCH_DIR.glob("bench_*.py"))
    if only:
        unknown = sorted(set(only) - set(names))
        if unknown:
            sys.exit(f"error: no benchmark named {unknown}; available: {names}")
        names = [name for name in names if name in only]
    return names


def collect_cases(names, n_train):
    """Import each benchmark file and gather its cases; report those that fail."""
    cases, import_errors = [], []
    for name in names:
        try:
            module = importlib.import_module(f"bench_{name}")
            cases += module.cases(n_train)
        except Exception as exc:  # one broken file must not stop the others
            import_errors.append(f"- bench_{name}.py: {type(exc).__name__}: {exc}")
    return cases, import_errors


def select_cases(cases, names):
    """The cases named in ``names``, in their order of discovery."""
    unknown = sorted(set(names) - {case.name for case in cases})
    if unknown:
        available = [case.name for case in cases]
        sys.exit(f"error: no case named {unknown}; available: {available}")
    return [case for case in cases if case.name in names]


def what_ran(args, n_train):
    """The paragraph that says what the run measured."""
    run = "Quick run" if args.quick else "Full run"
    return (
        f"{run}: MNIST, {n_train} training images, 10000 test images, "
        "pixels / 255, unless a case's description names its own data; fit "
        f"time = best of {args.repeat}, unless a case's description gives "
        "its own number of fits. A case with seeds "
        "fits each estimator once per seed (``random_state``) and reports the "
        "means over the seeds (error: mean ± standard deviation)."
    )


def summary(args, n_train, results, figure):
    """The summary's markdown: the run, its table of ratios, its figure."""
    command = " ".join(["python benchmarks/run.py", *sys.argv[1:]])
    parts = [f"`{command}`, {_machine.run_stamp()}. {what_ran(args, n_train)}"]
    if figure is not None:
        parts.append(f"![Fit-time ratios to scikit-learn, per case]({figure})")
    parts += [
        "Time ratio = skcourse's fit time / scikit-learn's, fitted in turn "
        "in the same process on the same data (below 1: skcourse is faster); "
        "test error (%): skcourse's / scikit-learn's.",
        _report.summary_table(results),
    ]
    return "\n\n".join(parts)


#: benchmarks/README.md holds the published run between these markers: its
#: summary at the top, the rest of its report under "Details".
SUMMARY = ("<!-- summary: written by run.py --publish -->", "<!-- end of summary -->")
REPORT = ("<!-- report: written by run.py --publish -->", "<!-- end of report -->")
PUBLISHED_FIGURE = BENCH_DIR / "latest_run.png"


def publish(report_path, readme=BENCH_DIR / "README.md"):
    """Copy a run's report (``report_path``, as ``main`` writes it) and its
    figure into ``readme`` and ``PUBLISHED_FIGURE``.

    The summary goes between the ``SUMMARY`` markers; the rest of the report
    between the ``REPORT`` markers, its headings two levels down.
    """
    text = report_path.read_text(encoding="utf-8")
    head, rest = text.split("\n## All rows\n", 1)
    summary_text = head.split("\n## Summary\n", 1)[1].strip()
    figure = report_path.with_suffix(".png")
    if figure.exists():
        PUBLISHED_FIGURE.write_bytes(figure.read_bytes())
        summary_text = summary_text.replace(
            f"]({figure.name})", f"]({PUBLISHED_FIGURE.name})"
        )
    # Under the README's "Every row of the latest run" (###): two levels down.
    details = ("## All rows\n" + rest).strip().replace("\n## ", "\n#### ")
    details = "#### " + details.removeprefix("## ")
    new = readme.read_text(encoding="utf-8")
    for (start, end), block in [(SUMMARY, summary_text), (REPORT, details)]:
        new = replace_between(new, start, end, block, readme)
    readme.write_text(new, encoding="utf-8")


def replace_between(text, start, end, block, where):
    """``text`` with what lies between the lines ``start`` and ``end`` replaced."""
    i, j = text.find(start), text.find(end)
    if i < 0 or j < i:
        sys.exit(f"error: {where} lacks the lines {start} ... {end}")
    i += len(start)
    return f"{text[:i]}\n\n{block}\n\n{text[j:]}"


def report(args, n_train, cases, results, import_errors, figure=None):
    """The whole markdown report as one string."""
    sections = [
        "# skcourse benchmarks",
        "## Summary",
        summary(args, n_train, results, figure) if results else "No case ran.",
        "## All rows",
        _report.markdown_table(results) if results else "No case ran.",
        "\n".join(f"- {case.name}: {case.description}" for case in cases),
    ]
    efficiency = _report.efficiency_table(results)
    if efficiency:
        sections += [
            "## Throughput and memory",
            "Achieved FLOP/s = FLOPs of the fit (the matrix products a case "
            "counts) / fit time; its percentage of this machine's matrix-product "
            "throughput, measured in this run with the same BLAS threads "
            "(below). Peak memory: the most memory traced by tracemalloc at once "
            "during one extra, untimed fit. The targets (yes / **no**) are "
            "informational; the result column above does not include them.",
            efficiency,
            _report.throughput_notes(results),
        ]
    problems = "\n".join(import_errors + [_report.notes(results)]).strip()
    if problems:
        sections += ["## Notes", problems]
    sections += ["## Machine", _machine.machine_info()]
    return "\n\n".join(sections) + "\n"


def main(argv=None):
    args = parse_args(argv)
    if args.publish_last:
        publish(args.output)
        print(f"{args.output} published in {BENCH_DIR / 'README.md'}", file=sys.stderr)
        return 0
    n_train = QUICK_N_TRAIN if args.quick else None  # None: all 60,000 images
    # MNIST is loaded by the first case that uses it: --only small needs none.
    n_used = n_train or MNIST_TRAIN
    cases, import_errors = collect_cases(discover(args.only), n_used)
    if args.case:
        cases = select_cases(cases, args.case)
    else:  # long cases run only when named
        cases = [case for case in cases if not case.opt_in]
    results = _results.run_cases(cases, n_train=n_train, repeat=args.repeat)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    title = f"skcourse / scikit-learn fit time; {_machine.run_stamp()}"
    figure = _report.summary_figure(results, args.output.with_suffix(".png"), title)
    name = None if figure is None else figure.name
    text = report(args, n_used, cases, results, import_errors, name)
    print(text)
    args.output.write_text(text, encoding="utf-8")
    if args.publish:
        publish(args.output)
        print(f"Report published in {BENCH_DIR / 'README.md'}", file=sys.stderr)

    failed = _results.failures(results)
    missed = [r for r in failed if not r.error]
    if missed:
        print(f"FAIL: {len(missed)} target(s) missed.", file=sys.stderr)
    print(f"Report written to {args.output}", file=sys.stderr)
    broken = len(import_errors) + sum(1 for r in failed if r.error)
    if broken:
        print(
            f"ERROR: {broken} benchmark(s) could not run, see Notes.", file=sys.stderr
        )
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
