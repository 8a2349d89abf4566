"""The benchmarks' summary (benchmarks/run.py): its table, its figure, and
--publish, on made-up results (no MNIST, no timing)."""

import sys
from pathlib import Path

import numpy as np
import pytest

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))

import _cases  # noqa: E402
import _measure  # noqa: E402
import _report  # noqa: E402
import _results  # noqa: E402
import run  # noqa: E402

pytest.importorskip("matplotlib")


def made_up_results():
    """A case with a reference, a candidate that meets its target, one that
    misses it, one without a target; and a case with only a reference."""
    ref = _results.Result("c", "sklearn X()", _measure.Measurement(2.0, 3.0))
    fast = _results.Result(
        "c", "X()", _measure.Measurement(1.0, 2.5), target=_cases.Target(0.7)
    )
    slow = _results.Result(
        "c", "X(slow)", _measure.Measurement(4.0, 3.5), target=_cases.Target(1.0)
    )
    info = _results.Result(
        "c", "X(seeded)", _measure.Measurement(3.0, 3.25, error_std=0.5)
    )
    for result in (fast, slow, info):
        _results._compare(result, ref)
    lone = _results.Result("d", "sklearn Y()", _measure.Measurement(1.0, 1.0))
    as_ref = _results._as_reference_row
    case = _cases.Case("c", "", None, [])
    return [as_ref(case, ref), fast, slow, info, lone]


def test_summary_table_has_one_row_per_comparison():
    lines = _report.summary_table(made_up_results()).splitlines()
    rows = lines[2:]
    assert len(rows) == 3  # the references and the lone row are not compared
    assert rows[0].split(" | ")[1:] == [
        "`X()`",
        "`X()`",
        "0.50",
        "2.50 / 3.00",
        "met |",
    ]
    assert "2.00" in rows[1] and "**missed**" in rows[1]
    assert "3.25 ± 0.50 / 3.00" in rows[2] and rows[2].endswith("none |")


def test_summary_figure_is_drawn(tmp_path):
    path = _report.summary_figure(made_up_results(), tmp_path / "s.png", "title")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _report.summary_figure([], tmp_path / "none.png", "t") is None


def test_publish_copies_the_report_into_the_readme(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "PUBLISHED_FIGURE", tmp_path / "latest_run.png")
    report = tmp_path / "latest.md"
    report.write_text(
        "# skcourse benchmarks\n\n## Summary\n\nrun of today\n\n![f](latest.png)"
        "\n\n## All rows\n\n| table |\n\n## Machine\n\n- today\n"
    )
    report.with_suffix(".png").write_bytes(b"png")
    readme = tmp_path / "README.md"
    summary, full = run.SUMMARY, run.REPORT
    readme.write_text(
        f"# B\n\n{summary[0]}\n\nold run\n\n{summary[1]}\n\n## How\n\n"
        f"## Details\n\n{full[0]}\nold rows\n{full[1]}\n\n## Cases\n"
    )
    run.publish(report, readme)
    text = readme.read_text()
    assert "old" not in text
    assert text.startswith("# B\n") and text.endswith("## Cases\n")
    top, details = text.split("## Details")
    assert "run of today" in top and "![f](latest_run.png)" in top
    assert "\n#### All rows" in details and "\n#### Machine" in details
    assert "| table |" in details and "run of today" not in details
    assert (tmp_path / "latest_run.png").read_bytes() == b"png"
    run.publish(report, readme)  # the markers stay: it can run again
    assert readme.read_text() == text


def test_the_readme_has_the_blocks_to_publish_into():
    text = (BENCH_DIR / "README.md").read_text()
    for start, end in (run.SUMMARY, run.REPORT):
        assert text.index(start) < text.index(end)


# --- the cases of the small data sets and of the user's workflow ------------------

import bench_small  # noqa: E402
import bench_workflow  # noqa: E402
import threads  # noqa: E402
from sklearn.base import is_regressor  # noqa: E402
from sklearn.model_selection import ParameterGrid  # noqa: E402


def test_small_cases_measure_every_estimator_in_turn_with_its_memory():
    cases = {case.name: case for case in bench_small.cases(None)}
    for name in bench_small.DATASETS:
        mlp = cases[f"{name}-mlp"]
        assert type(mlp.reference.make()).__name__ == "MLPClassifier"
        assert mlp.reference.make().random_state == 0
        assert [type(c.make()).__name__ for c in mlp.candidates] == ["MLPClassifier"]
    regression = cases["diabetes-mlp"]
    assert is_regressor(regression.reference.make())
    assert is_regressor(regression.candidates[0].make())
    _, y_train, _, _ = regression.data()
    assert abs(y_train.mean()) < 1e-12 and abs(y_train.std() - 1) < 1e-12
    assert all(case.memory and case.interleave for case in cases.values())


def test_equal_objective_rows_fit_logistic_regressions_weights():
    """The "sC" rows time the solvers alone only if ``alpha = 1 / n`` is
    LogisticRegression()'s objective: its L-BFGS ends at LR's weights."""
    cases = {case.name: case for case in bench_small.cases(None)}
    for name in bench_small.DATASETS:
        case = cases[f"{name}-sC"]
        X, y, _, _ = case.data()
        reference = case.reference.make().fit(X, y)
        lbfgs = case.candidates[0].make()
        assert lbfgs.solver == "lbfgs"
        assert [c.make().solver for c in case.candidates[1:]] == ["gd", "sgd", "asgd"]
        lbfgs.fit(X, y)
        np.testing.assert_allclose(lbfgs.coef_, reference.coef_, rtol=0, atol=1e-6)


def test_a_regressor_scores_its_unexplained_variance(iris):
    from sklearn.linear_model import LinearRegression

    X, y = iris
    fitted = LinearRegression().fit(X, y)
    expected = 100 * (1 - fitted.score(X, y))
    assert _measure.scored_error_pct(fitted, X, y) == pytest.approx(expected)
    assert 0 < expected < 100


def test_workflow_searches_grids_of_the_same_size_on_both_sides():
    cases = bench_workflow.cases(None)
    names = {case.name for case in cases}
    for search in bench_workflow.SEARCHES:
        for n_jobs in bench_workflow.N_JOBS:
            assert f"workflow-{search}-{n_jobs}" in names
    for case in cases:
        reference, (candidate,) = case.reference.make(), case.candidates
        candidate = candidate.make()
        assert reference.n_jobs == candidate.n_jobs and reference.cv == 5
        sizes = {len(ParameterGrid(s.param_grid)) for s in (reference, candidate)}
        assert sizes == {bench_workflow.GRID_SIZE}
        for side in (reference, candidate):
            assert type(side.estimator.steps[0][1]).__name__ == "StandardScaler"
        assert case.interleave and case.opt_in == case.name.startswith("workflow-mlp")


def test_memory_is_shown_to_three_digits_below_10_mib():
    assert _report._mebibytes(3 * 2**10) == "0.00293"
    assert _report._mebibytes(int(2.5 * 2**20)) == "2.5"
    assert _report._mebibytes(130 * 2**20) == "130.0"


def test_thread_table_has_a_row_per_product_with_its_speed_up():
    products = threads.PRODUCTS[:2]
    best = threads.time_products(products, [1, 2], rounds=1, budget=1e-4)
    lines = threads.table(products, [1, 2], best).splitlines()
    assert len(lines) == 2 + len(products)
    first = best[products[0].name, 1] / best[products[0].name, 2]
    assert lines[2].split(" | ")[-2] == f"{first:.2f}"
    assert lines[2].endswith("1 thread |")  # 862,080 multiply-adds


def test_the_small_cases_run_without_mnist(tmp_path, monkeypatch):
    def no_mnist(*args):
        raise OSError("no MNIST here")

    monkeypatch.setattr(_measure, "_load_data", no_mnist)
    output = tmp_path / "report.md"
    argv = ["--only", "small", "--case", "iris-p", "--output", str(output)]
    assert run.main(argv) == 0
    text = output.read_text()
    assert "| iris-p | `Perceptron()` |" in text
    assert "peak memory (MiB)" in text
