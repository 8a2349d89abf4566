"""SoftmaxRegression and the MLPs on any array library (array API dispatch).

Every solver fitted on array-api-strict (both its devices), PyTorch on the
CPU (and CUDA, where there is one) against the same fit on NumPy: the same
weights, where each fitted array lives, what the methods return; and the
promises (partial_fit, warm start, early stopping, weights, Ctrl-C,
divergence, no device sync per minibatch) on PyTorch input.

Dispatch needs scikit-learn >= 1.9 and SCIPY_ARRAY_API=1 set before scipy is
imported (the Makefile's test target and .ci/run set it); PyTorch and
array-api-strict are test-only: what needs one skips, saying why, without it.
"""

import os
import warnings

import numpy as np
import pytest
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_diabetes, load_iris, make_classification
from sklearn.preprocessing import StandardScaler

from skcourse import _array_api
from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor

pytestmark = pytest.mark.skipif(
    not _array_api.SUPPORTED,
    reason="array API dispatch needs scikit-learn >= 1.9 (move_to, "
    "check_same_namespace); the tags are False here",
)

NO_SCIPY_ARRAY_API = "SCIPY_ARRAY_API=1 is not set (make test sets it)"

#: (namespace, device, dtype) of the inputs; CUDA skips where there is none.
NAMESPACES = [
    ("array_api_strict", "CPU_DEVICE", "float64"),
    ("array_api_strict", "device1", "float64"),
    ("array_api_strict", "CPU_DEVICE", "float32"),
    ("array_api_strict", "device1", "float32"),
    ("torch", "cpu", "float64"),
    ("torch", "cpu", "float32"),
    ("torch", "cuda", "float64"),
    ("torch", "cuda", "float32"),
]


def namespace(name, device, dtype):
    """``(xp, device)`` or a skip, saying what this machine lacks."""
    from sklearn.utils._testing import _array_api_for_tests

    if os.environ.get("SCIPY_ARRAY_API") != "1":
        pytest.skip(NO_SCIPY_ARRAY_API)
    try:
        return _array_api_for_tests(name, device, dtype)
    except Exception as exc:  # SkipTest: not installed, no CUDA
        pytest.skip(str(exc))


def to_host(a):
    return [to_host(p) for p in a] if isinstance(a, list) else _array_api.to_host(a)


def on(xp, device, A, dtype=None):
    return xp.asarray(A, dtype=dtype, device=device)


def lives_on(a, xp, device):
    """``a`` (or each array of a list) is ``xp``'s, on ``device``."""
    from sklearn.utils._array_api import get_namespace_and_device

    arrays = a if isinstance(a, list) else [a]
    with sklearn.config_context(array_api_dispatch=True):
        where = get_namespace_and_device(xp.zeros(1, device=device))[::2]
        return all(get_namespace_and_device(p)[::2] == where for p in arrays)


def iris(dtype="float64"):
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X).astype(dtype), y


def diabetes(dtype="float64"):
    X, y = load_diabetes(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(dtype)
    return X, ((y - y.mean()) / y.std()).astype(dtype)


# Fixed epochs (no stall can stop them) of five minibatches: the same steps on
# every library.
FIXED = {"tol": 0.0, "n_iter_no_change": 1000}
STOCHASTIC = {"max_iter": 8, **FIXED, "batch_size": 32, "random_state": 0}
CASES = [
    (SoftmaxRegression, "lbfgs", {"max_iter": 50}),
    (SoftmaxRegression, "gd", {"max_iter": 15, **FIXED}),
    (SoftmaxRegression, "sgd", STOCHASTIC),
    (SoftmaxRegression, "asgd", STOCHASTIC),
    *[
        (MLP, solver, {"hidden_layer_sizes": (6,), **kwargs})
        for MLP in (MLPClassifier, MLPRegressor)
        for solver, kwargs in [
            ("lbfgs", {"max_iter": 30, "random_state": 0}),
            ("sgd", STOCHASTIC),
            ("adam", STOCHASTIC),
            ("asgd", STOCHASTIC),
        ]
    ],
]
FITTED = {
    SoftmaxRegression: ("coef_", "intercept_", "_feature_mean"),
    MLPClassifier: ("coefs_", "intercepts_"),
    MLPRegressor: ("coefs_", "intercepts_"),
}
METHODS = {
    SoftmaxRegression: ("decision_function", "predict_proba", "predict_log_proba"),
    MLPClassifier: ("decision_function", "predict_proba", "transform"),
    MLPRegressor: ("predict", "transform"),
}


def tolerance(dtype, solver=None):
    """float64: the same numbers to rounding; float32: to its rounding, but
    L-BFGS's line searches amplify float32's differences between libraries'
    kernels over tens of iterations (it stops at the same model, not the
    same path)."""
    if dtype == "float64":
        return {"rtol": 1e-6, "atol": 1e-9}
    if solver == "lbfgs":
        return {"rtol": 2e-3, "atol": 2e-2}
    return {"atol": 2e-4}


@pytest.mark.parametrize("Estimator, solver, kwargs", CASES, ids=str)
@pytest.mark.parametrize("name, device_name, dtype", NAMESPACES, ids=str)
def test_every_solver_fits_on_the_namespace_as_on_numpy(
    Estimator, solver, kwargs, name, device_name, dtype
):
    xp, device = namespace(name, device_name, dtype)
    X, y = (diabetes if Estimator is MLPRegressor else iris)(dtype)
    est = Estimator(solver=solver, **kwargs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        reference = sklearn.clone(est).fit(X, y)
        with sklearn.config_context(array_api_dispatch=True):
            est.fit(on(xp, device, X), on(xp, device, y))
    assert est.n_iter_ == reference.n_iter_
    assert_allclose(est.loss_curve_, reference.loss_curve_, **tolerance(dtype, solver))
    for attribute in FITTED[Estimator]:
        fitted = getattr(est, attribute)
        assert lives_on(fitted, xp, device), attribute
        assert_allclose(
            np.concatenate([np.ravel(a) for a in to_host([fitted])[0]])
            if isinstance(fitted, list)
            else to_host(fitted),
            np.concatenate([np.ravel(a) for a in getattr(reference, attribute)])
            if isinstance(fitted, list)
            else getattr(reference, attribute),
            **tolerance(dtype, solver),
            err_msg=attribute,
        )
    X_xp, y_xp = on(xp, device, X), on(xp, device, y)
    with sklearn.config_context(array_api_dispatch=True):
        for method in (*METHODS[Estimator], "predict"):
            out = getattr(est, method)(X_xp)
            assert lives_on(out, xp, device), method
            assert to_host(out).dtype == getattr(reference, method)(X).dtype, method
            assert_allclose(
                to_host(out), getattr(reference, method)(X), **tolerance(dtype, solver)
            )
        score = est.score(X_xp, y_xp)
    assert isinstance(score, float)
    # (scikit-learn scores torch input in torch's default float32)
    abs_tol = max(1e-6, tolerance(dtype, solver)["atol"])
    assert score == pytest.approx(reference.score(X, y), abs=abs_tol)


@pytest.fixture
def torch_cpu():
    """``(torch, "cpu")``, the namespace of the promises' tests."""
    return namespace("torch", "cpu", "float64")


def test_the_tags_say_where_array_api_works():
    for est in (SoftmaxRegression(), MLPClassifier(), MLPRegressor()):
        assert est.__sklearn_tags__().array_api_support
    assert not Perceptron().__sklearn_tags__().array_api_support


def test_predicting_on_another_namespace_is_refused_clearly(torch_cpu):
    xp, device = torch_cpu
    X, y = iris()
    for est in (SoftmaxRegression(), MLPClassifier((4,), max_iter=5)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
            with sklearn.config_context(array_api_dispatch=True):
                est.fit(on(xp, device, X), on(xp, device, y))
        with sklearn.config_context(array_api_dispatch=True):
            with pytest.raises(ValueError, match="must use the same namespace"):
                est.predict(X)


def test_labels_and_classes_stay_on_the_host(torch_cpu):
    xp, device = torch_cpu
    X, y = iris()
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    with sklearn.config_context(array_api_dispatch=True):
        est = SoftmaxRegression().fit(on(xp, device, X), names)
        assert isinstance(est.classes_, np.ndarray)
        # String labels cannot go to a device: they come back as NumPy.
        assert est.predict(on(xp, device, X)).dtype.kind == "U"


def test_the_perceptron_brings_other_libraries_arrays_to_the_host(torch_cpu):
    xp, device = torch_cpu
    X, y = iris()
    with sklearn.config_context(array_api_dispatch=True):
        est = Perceptron(random_state=0).fit(on(xp, device, X), on(xp, device, y))
        # ... in predict and score too, where fit brought them (not an error
        # that the model and X live apart: the Perceptron lives on the host).
        predicted = est.predict(on(xp, device, X))
        score = est.score(on(xp, device, X), on(xp, device, y))
    assert isinstance(est.coef_, np.ndarray)
    reference = Perceptron(random_state=0).fit(X, y)
    assert_allclose(est.coef_, reference.coef_)
    assert isinstance(predicted, np.ndarray)
    assert_array_equal(predicted, reference.predict(X))
    assert score == reference.score(X, y)


def test_sparse_input_under_dispatch_takes_the_numpy_path(torch_cpu):
    import scipy.sparse as sp

    X, y = iris()
    with sklearn.config_context(array_api_dispatch=True):
        est = SoftmaxRegression().fit(sp.csr_matrix(X), y)
    assert isinstance(est.coef_, np.ndarray)


# --- the promises, on PyTorch input --------------------------------------------


def fit_both(est, xp, device, X, y, method="fit", **kwargs):
    """``est`` fitted on NumPy (a clone) and on ``xp`` (``est``)."""
    reference = sklearn.clone(est)
    getattr(reference, method)(X, y, **kwargs)
    moved = {
        k: on(xp, device, v) if k == "sample_weight" else v for k, v in kwargs.items()
    }
    with sklearn.config_context(array_api_dispatch=True):
        getattr(est, method)(on(xp, device, X), on(xp, device, y), **moved)
    return reference, est


def assert_same_model(est, reference, xp, device):
    for attribute in FITTED[type(est)]:
        fitted = getattr(est, attribute)
        assert lives_on(fitted, xp, device), attribute
        expected = getattr(reference, attribute)
        for a, b in zip(
            fitted if isinstance(fitted, list) else [fitted],
            expected if isinstance(expected, list) else [expected],
            strict=True,
        ):
            assert_allclose(to_host(a), b, rtol=1e-6, atol=1e-9, err_msg=attribute)
    assert_allclose(est.loss_curve_, reference.loss_curve_, rtol=1e-6)


MINIBATCH_ESTIMATORS = [
    SoftmaxRegression(solver="sgd", batch_size=16, random_state=0),
    SoftmaxRegression(solver="asgd", batch_size=16, random_state=0),
    MLPClassifier((5,), solver="adam", batch_size=16, random_state=0),
    MLPClassifier((5,), solver="sgd", batch_size=16, random_state=0),
    MLPRegressor(hidden_layer_sizes=(5,), solver="asgd", batch_size=16, random_state=0),
]


def data_for(est, dtype="float64"):
    return diabetes(dtype) if isinstance(est, MLPRegressor) else iris(dtype)


@pytest.mark.parametrize("est", MINIBATCH_ESTIMATORS, ids=repr)
def test_partial_fit_takes_any_chunk_on_the_device(est, torch_cpu):
    est, (xp, device) = sklearn.clone(est), torch_cpu
    X, y = data_for(est)
    reference = sklearn.clone(est)
    extra = {} if isinstance(est, MLPRegressor) else {"classes": np.unique(y)}
    for chunk in (slice(0, 50), slice(50, 51), slice(51, 150), slice(0, 150)):
        reference.partial_fit(X[chunk], y[chunk], **extra)
        with sklearn.config_context(array_api_dispatch=True):
            est.partial_fit(on(xp, device, X[chunk]), on(xp, device, y[chunk]), **extra)
    assert_same_model(est, reference, xp, device)


@pytest.mark.parametrize("est", MINIBATCH_ESTIMATORS, ids=repr)
def test_a_warm_start_continues_on_the_device(est, torch_cpu):
    est, (xp, device) = sklearn.clone(est), torch_cpu
    X, y = data_for(est)
    est.set_params(max_iter=3, tol=0.0, n_iter_no_change=1000)
    reference = sklearn.clone(est)
    X_xp, y_xp = on(xp, device, X), on(xp, device, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        reference.fit(X, y)
        reference.set_params(warm_start=True, max_iter=4).fit(X, y)
        with sklearn.config_context(array_api_dispatch=True):
            est.fit(X_xp, y_xp)
            est.set_params(warm_start=True, max_iter=4).fit(X_xp, y_xp)
    assert_same_model(est, reference, xp, device)


def test_a_warm_start_from_a_numpy_fit_moves_to_the_device(torch_cpu):
    xp, device = torch_cpu
    X, y = iris()
    est = MLPClassifier((5,), max_iter=3, random_state=0, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        reference = sklearn.clone(est).fit(X, y).fit(X, y)
        est.fit(X, y)
        with sklearn.config_context(array_api_dispatch=True):
            est.fit(on(xp, device, X), on(xp, device, y))
    assert_same_model(est, reference, xp, device)


@pytest.mark.parametrize(
    "est",
    [
        SoftmaxRegression(solver="sgd", early_stopping=True, random_state=0),
        MLPClassifier((5,), solver="sgd", early_stopping=True, random_state=0),
        MLPRegressor(hidden_layer_sizes=(5,), early_stopping=True, random_state=0),
    ],
    ids=repr,
)
def test_early_stopping_keeps_the_best_epoch_on_the_device(est, torch_cpu):
    est, (xp, device) = sklearn.clone(est), torch_cpu
    X, y = data_for(est)
    est.set_params(max_iter=25, batch_size=16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        reference, est = fit_both(est, xp, device, X, y)
    assert_allclose(est.validation_scores_, reference.validation_scores_, atol=1e-6)
    assert est.best_validation_score_ == pytest.approx(
        reference.best_validation_score_, abs=1e-6
    )
    assert_same_model(est, reference, xp, device)


@pytest.mark.parametrize(
    "est",
    [
        SoftmaxRegression(class_weight="balanced"),
        SoftmaxRegression(solver="sgd", class_weight={0: 3, 1: 1, 2: 0.5}),
        MLPClassifier((5,), max_iter=20, class_weight="balanced", random_state=0),
        MLPRegressor(hidden_layer_sizes=(5,), max_iter=20, random_state=0),
    ],
    ids=repr,
)
def test_class_and_sample_weights_weigh_the_same_on_the_device(est, torch_cpu):
    est, (xp, device) = sklearn.clone(est), torch_cpu
    X, y = data_for(est)
    weights = np.random.RandomState(0).uniform(0, 3, len(y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
        reference, est = fit_both(est, xp, device, X, y, sample_weight=weights)
    assert_same_model(est, reference, xp, device)


@pytest.mark.parametrize("est", MINIBATCH_ESTIMATORS, ids=repr)
def test_ctrl_c_keeps_the_weights_on_the_device(est, torch_cpu, monkeypatch):
    from skcourse import _training

    est, (xp, device) = sklearn.clone(est), torch_cpu
    X, y = data_for(est)
    epoch, calls = _training.minibatch_epoch, []

    def interrupted_at_the_third_epoch(*args, **kwargs):
        calls.append(1)
        if len(calls) % 3 == 0:
            raise KeyboardInterrupt
        return epoch(*args, **kwargs)

    monkeypatch.setattr(_training, "minibatch_epoch", interrupted_at_the_third_epoch)
    with pytest.warns(UserWarning, match="interrupted by the user"):
        reference, est = fit_both(est, xp, device, X, y)
    assert est.n_iter_ == reference.n_iter_ == 2
    assert_same_model(est, reference, xp, device)


def test_divergence_is_an_error_on_the_device_and_the_model_stays(torch_cpu):
    xp, device = torch_cpu
    X, y = diabetes()
    X_xp, y_xp = on(xp, device, X * 100), on(xp, device, y)
    est = MLPRegressor(
        hidden_layer_sizes=(5,), solver="sgd", learning_rate_init=0.5, random_state=0
    )
    with sklearn.config_context(array_api_dispatch=True):
        with pytest.raises(FloatingPointError, match="became nan|diverged|not finite"):
            est.fit(X_xp, y_xp)
        assert not hasattr(est, "coefs_")  # a fit that raises leaves it as it was
        est.set_params(learning_rate_init=1e-3, max_iter=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
            est.fit(on(xp, device, X), y_xp)
        before = [xp.asarray(W, copy=True) for W in est.coefs_]
        est.set_params(learning_rate_init=0.5, warm_start=True, max_iter=50)
        with pytest.raises(FloatingPointError):
            est.fit(X_xp, y_xp)
    for W, W0 in zip(est.coefs_, before, strict=True):
        assert lives_on(W, xp, device)
        assert_allclose(to_host(W), to_host(W0))


# --- no device sync per minibatch ----------------------------------------------

#: What reads a tensor's value on the host: each waits for the device.
SYNCS = (
    "__float__",
    "__bool__",
    "__int__",
    "__index__",
    "item",
    "tolist",
    "numpy",
    "cpu",
    "__dlpack__",
    "__array__",
)


@pytest.fixture
def count_syncs(monkeypatch):
    """A function ``fit -> number of host reads of torch tensors during fit``."""
    torch = pytest.importorskip("torch", reason="PyTorch is not installed")

    def count(fit):
        reads = []
        with monkeypatch.context() as patch:
            for name in SYNCS:
                method = getattr(torch.Tensor, name)

                def counted(*args, _method=method, _name=name, **kwargs):
                    reads.append(_name)
                    return _method(*args, **kwargs)

                patch.setattr(torch.Tensor, name, counted)
            fit()
        return len(reads)

    return count


@pytest.mark.parametrize(
    "est",
    [
        SoftmaxRegression(solver="sgd", learning_rate="constant"),
        SoftmaxRegression(solver="asgd"),
        MLPClassifier((5,), solver="adam"),
        MLPClassifier((5,), solver="sgd"),
        MLPRegressor(hidden_layer_sizes=(5,), solver="asgd"),
    ],
    ids=repr,
)
def test_no_device_sync_per_minibatch(est, torch_cpu, count_syncs):
    """Reading a loss (``float``), a total weight or a condition on the host
    waits for the device: done once per epoch, not per minibatch.  A fit of
    2 epochs of 4 minibatches reads as often as one of 2 epochs of 64."""
    est, (xp, device) = sklearn.clone(est), torch_cpu
    X, y = make_classification(512, 8, n_informative=4, random_state=0)
    if isinstance(est, MLPRegressor):
        y = X @ np.arange(8.0)
    X_xp, y_xp = on(xp, device, X), on(xp, device, y)

    def fit(batch_size):
        model = sklearn.clone(est).set_params(
            batch_size=batch_size, max_iter=2, random_state=0
        )
        with warnings.catch_warnings(), sklearn.config_context(array_api_dispatch=True):
            warnings.simplefilter("ignore", sklearn.exceptions.ConvergenceWarning)
            model.fit(X_xp, y_xp)

    few = count_syncs(lambda: fit(128))
    many = count_syncs(lambda: fit(8))
    assert many == few, f"{many} host reads with 64 minibatches an epoch, {few} with 4"
