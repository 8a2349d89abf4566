"""benchmarks/gpu.py, the GPU benchmark, on small data: its equal-objective
softmax case, its plain PyTorch loop, its verdicts and its error rows (no
MNIST, no GPU; the timings themselves are not checked)."""

import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from threadpoolctl import threadpool_limits

BENCH_DIR = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH_DIR))


@pytest.fixture(scope="module")
def gpu():
    # gpu.py sets SCIPY_ARRAY_API for its own process: not for the suite's.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SCIPY_ARRAY_API", "1")
        import gpu

        yield gpu


@pytest.fixture(autouse=True)
def one_blas_thread():
    # On small data BLAS's thread start-up dominates a fit (benchmarks/README.md:
    # seconds, on a loaded 2-core VM); these tests check logic, not speed.
    with threadpool_limits(1):
        yield


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X = (X / 16).astype(np.float32)
    return tuple(train_test_split(X, y, test_size=0.25, random_state=0))


@pytest.fixture
def dispatch():
    """Skip where scikit-learn cannot turn array API dispatch on (1.6 needs the
    array-api-compat package, which the oldest stack does not install): the
    cases fit under dispatch even on NumPy data."""
    import sklearn

    try:
        with sklearn.config_context(array_api_dispatch=True):
            pass
    except ImportError as error:
        pytest.skip(f"scikit-learn cannot dispatch here: {error}")


def host_data(gpu, digits):
    """``Data`` whose "device" is NumPy: the cases run without torch."""
    X_train, X_test, y_train, y_test = digits
    arrays = (X_train, y_train, X_test, y_test)
    return gpu.Data(arrays, arrays, sync=lambda: None)


def test_objective_is_the_training_objective(gpu, digits):
    from skcourse.linear_model import SoftmaxRegression

    X_train, _, y_train, _ = digits
    alpha = 1e-3
    fitted = SoftmaxRegression(alpha=alpha).fit(X_train, y_train)
    value = gpu.objective(fitted, X_train, y_train, alpha)
    assert value == pytest.approx(fitted.loss_curve_[-1], rel=1e-5)


def test_softmax_case_stops_ours_at_the_reference_objective(gpu, digits, dispatch):
    rows = gpu.softmax_case(host_data(gpu, digits), repeat=1)
    reference, ours = rows
    assert reference.error is None and ours.error is None
    # Ours stopped at an objective as low as the reference's.
    assert ours.objective <= ours.objective_bound
    assert ours.objective_bound == pytest.approx(reference.objective, rel=2e-5)
    assert f"max_iter={ours.n_iter})" in ours.label
    assert ours.ratio == ours.fit_seconds / reference.fit_seconds
    assert ours.passed is (ours.ratio <= 1.0)


def test_iterations_to_reach_is_the_first_iteration_below_the_goal(
    gpu, digits, dispatch
):
    from skcourse.linear_model import SoftmaxRegression

    data = host_data(gpu, digits)
    alpha = 1.0 / len(data.host[0])
    curve = SoftmaxRegression(alpha=alpha, max_iter=1000).fit(*data.host[:2])
    goal = curve.loss_curve_[9]
    assert gpu.iterations_to_reach(goal, alpha, data) == 10


def test_a_higher_objective_fails_the_target(gpu):
    reference = gpu.Row("c", "ref", "device", fit_seconds=2.0, error_pct=3.0)
    ours = gpu.Row(
        "c", "ours", "device", fit_seconds=1.0, error_pct=3.0, target=gpu.Target(1.0)
    )
    ours.objective, ours.objective_bound = 0.5, 0.4
    gpu.compare([reference, ours])
    assert ours.ratio == 0.5 and ours.passed is False
    ours.objective = 0.4
    gpu.compare([reference, ours])
    assert ours.passed is True


def test_a_contestant_that_raises_gets_an_error_row(gpu, digits):
    from sklearn.linear_model import LogisticRegression

    class Broken:
        def fit(self, X, y):
            raise TypeError("no torch here")

    contestants = [
        gpu.Contestant("ref", LogisticRegression, on_device=False),
        gpu.Contestant("broken", Broken, on_device=False, target=gpu.Target(1.0)),
    ]
    rows = gpu.measure("c", contestants, host_data(gpu, digits), repeat=1)
    gpu.compare(rows)
    assert rows[0].error is None and rows[0].error_pct < 10
    assert rows[1].error == "TypeError: no torch here" and rows[1].passed is False
    table = gpu.table(rows, "cuda")
    assert "**ERROR**: failed: TypeError: no torch here" in table
    assert "**not measured** (failed: TypeError: no torch here)" in gpu.targets(rows)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_the_torch_loop_trains_as_scikit_learn_s_mlp(gpu, digits):
    torch = pytest.importorskip("torch")
    from sklearn.neural_network import MLPClassifier

    X_train, X_test, y_train, y_test = digits
    loop = gpu.TorchLoop(torch, batch_size=50, epochs=10)
    loop.fit(torch.asarray(X_train), torch.asarray(y_train))
    predicted = loop.predict(torch.asarray(X_test)).numpy()
    reference = MLPClassifier(
        hidden_layer_sizes=(gpu.HIDDEN,), batch_size=50, max_iter=10, random_state=0
    ).fit(X_train, y_train)
    # The same network, start, penalty and steps; only the epoch order differs.
    error, reference_error = (
        np.mean(predicted != y_test),
        1 - reference.score(X_test, y_test),
    )
    assert error < 0.06 and abs(error - reference_error) <= 0.02
    assert loop.loss_curve_[-1] == pytest.approx(reference.loss_curve_[-1], rel=0.15)
    assert loop.n_iter_ == 10 and len(loop.loss_curve_) == 10
