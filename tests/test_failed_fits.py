"""A fit that fails changes nothing, and its error says what to change.

Every ``fit`` and ``partial_fit`` of every estimator and solver is all or
nothing (``_base.fit_context``): an estimator never fitted stays unfitted, a
fitted one keeps its model, the very same attributes.  A blow-up is an error
in ``partial_fit`` too, and a divergence names the parameter the user set and
remedies the estimator offers.
"""

import copy
import re
import warnings

import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

import skcourse._monitoring
from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor

ESTIMATORS = [
    *[SoftmaxRegression(solver=s) for s in ("lbfgs", "gd", "sgd", "asgd")],
    Perceptron(),
    Perceptron(average=True),
    Perceptron(batch_size=10),
    Perceptron(probability=True),
    *[
        MLP(hidden_layer_sizes=(5,), solver=s, random_state=0)
        for MLP in (MLPClassifier, MLPRegressor)
        for s in ("lbfgs", "sgd", "adam", "asgd")
    ],
]
STREAMING = [e for e in ESTIMATORS if hasattr(e, "partial_fit")]


class Failure(Exception):
    """What the injected failure raises."""


@pytest.fixture
def fail_at_epoch(monkeypatch):
    """``fail_at_epoch(k)``: the k-th epoch of the training loop raises, in
    every estimator and solver (the loop's ``Monitor.end_epoch``)."""

    def arm(k):
        end_epoch = skcourse._monitoring.Monitor.end_epoch
        calls = {"n": 0}

        def failing(self, *args, **kwargs):
            calls["n"] += 1
            if calls["n"] >= k:
                raise Failure(f"epoch {calls['n']}")
            return end_epoch(self, *args, **kwargs)

        monkeypatch.setattr(skcourse._monitoring.Monitor, "end_epoch", failing)

    return arm


def fitted(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.set_params(max_iter=5).fit(X, y)


def state(est):
    """The estimator's attributes, and deep copies to see in-place changes."""
    return dict(vars(est)), copy.deepcopy(
        {k: v for k, v in vars(est).items() if k != "_optimizer"}
    )


def assert_same_state(est, before):
    attributes, copies = before
    assert vars(est).keys() == attributes.keys()
    for name, value in attributes.items():
        assert vars(est)[name] is value, name  # the very same objects
    for name, value in copies.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(vars(est)[name], value, err_msg=name)
        elif isinstance(value, list) and value and isinstance(value[0], np.ndarray):
            for a, b in zip(vars(est)[name], value, strict=True):  # coefs_
                np.testing.assert_array_equal(a, b, err_msg=name)


def data(digits):
    X, y = digits
    return X[:300], y[:300]


@pytest.mark.parametrize("est", ESTIMATORS, ids=repr)
def test_a_failed_first_fit_leaves_the_estimator_unfitted(est, digits, fail_at_epoch):
    X, y = data(digits)
    est = clone(est)
    before = state(est)
    fail_at_epoch(2)
    with pytest.raises(Failure):
        est.fit(X, y)
    assert_same_state(est, before)
    with pytest.raises(NotFittedError):
        check_is_fitted(est)


@pytest.mark.parametrize("est", ESTIMATORS, ids=repr)
def test_a_failed_warm_fit_keeps_the_previous_model(est, digits, fail_at_epoch):
    X, y = data(digits)
    est = fitted(clone(est), X, y).set_params(warm_start=True, max_iter=20)
    predicted = est.predict(X)
    before = state(est)
    fail_at_epoch(3)
    with pytest.raises(Failure):
        est.fit(X, y)
    assert_same_state(est, before)
    np.testing.assert_array_equal(est.predict(X), predicted)


@pytest.mark.parametrize("est", STREAMING, ids=repr)
def test_a_failed_chunk_keeps_the_previous_model(est, digits, fail_at_epoch):
    X, y = data(digits)
    est = clone(est)
    classes = {"classes": np.unique(y)} if is_classifier(est) else {}
    est.partial_fit(X[:100], y[:100], **classes)
    predicted = est.predict(X)
    before = state(est)
    fail_at_epoch(1)
    with pytest.raises(Failure):
        est.partial_fit(X[100:], y[100:])
    assert_same_state(est, before)
    np.testing.assert_array_equal(est.predict(X), predicted)
    # A failed first chunk leaves no classes_ or n_features_in_ behind.
    fresh = clone(est)
    with pytest.raises(Failure):
        fresh.partial_fit(X[:100], y[:100], **classes)
    with pytest.raises(NotFittedError):
        check_is_fitted(fresh)


@pytest.mark.parametrize(
    "est",
    [
        SoftmaxRegression(solver="asgd", random_state=0),
        MLPClassifier(hidden_layer_sizes=(5,), solver="adam", random_state=0),
    ],
    ids=repr,
)
def test_the_chunk_after_a_failed_one_starts_from_the_public_attributes(
    est, digits, fail_at_epoch, monkeypatch
):
    # The failed chunk's steps moved the optimizer's hidden state (Adam's
    # moments, the average): resuming it would not be the model kept.
    X, y = data(digits)
    est.partial_fit(X[:100], y[:100], classes=np.unique(y))
    est.partial_fit(X[100:200], y[100:200])
    fresh = copy.deepcopy(est)
    del fresh._optimizer  # a new optimizer, from the public attributes
    fail_at_epoch(1)
    with pytest.raises(Failure):
        est.partial_fit(X[200:], y[200:])
    monkeypatch.undo()
    est.partial_fit(X[200:], y[200:])
    fresh.partial_fit(X[200:], y[200:])
    for W, W0 in zip(weights_of(est), weights_of(fresh), strict=True):
        np.testing.assert_array_equal(W, W0)


def test_a_diverged_fit_leaves_no_half_fitted_estimator(iris):
    # The cases: a FloatingPointError, then predict said "no coefs_".
    X, y = iris
    for est, X_fit in [
        (MLPClassifier(solver="sgd", learning_rate_init=10, random_state=0), X),
        (Perceptron(), X * 1e300),
    ]:
        with pytest.raises(FloatingPointError):
            est.fit(X_fit, y)
        with pytest.raises(NotFittedError):
            check_is_fitted(est)
        assert not hasattr(est, "classes_") and not hasattr(est, "n_features_in_")


def weights_of(est):
    return est.coefs_ if hasattr(est, "coefs_") else [est.coef_, est.intercept_]


@pytest.mark.parametrize(
    "est",
    [
        *[MLPClassifier(solver=s, random_state=0) for s in ("sgd", "adam", "asgd")],
        MLPRegressor(solver="sgd", random_state=0),
        *[
            SoftmaxRegression(solver=s, learning_rate="constant", random_state=0)
            for s in ("sgd", "asgd")
        ],
    ],
    ids=repr,
)
def test_a_blow_up_in_partial_fit_is_an_error_that_keeps_the_model(est, iris):
    X, y = iris
    classes = {"classes": [0, 1, 2]} if is_classifier(est) else {}
    for _ in range(20):
        est.partial_fit(X, y, **classes)
    weights = [W.copy() for W in weights_of(est)]
    score = est.score(X, y)
    # An MLP returned weights of 6e10 with no error.
    est.set_params(learning_rate_init=1e6)
    with pytest.raises(FloatingPointError, match="partial_fit.*learning_rate_init=1e"):
        est.partial_fit(X * 1e6, y)
    for W, W0 in zip(weights_of(est), weights, strict=True):
        np.testing.assert_array_equal(W, W0)
    # The model still learns from the next chunk, from its public weights.
    est.set_params(learning_rate_init=0.001).partial_fit(X, y)
    assert est.score(X, y) >= score - 0.02


def test_a_one_sample_chunk_that_overflows_is_an_error():
    # The perceptron's criterion grows with its weights: only a non-finite
    # loss is a blow-up, and the chunk's last step is seen only after it.
    est = Perceptron().partial_fit([[1.0, 0.0], [0.0, 1.0]], [0, 1], classes=[0, 1])
    coef = est.coef_.copy()
    with pytest.raises(FloatingPointError, match="eta0=1"):
        est.partial_fit([[1e308, 1e308]], [0])
    np.testing.assert_array_equal(est.coef_, coef)


# -- the messages name what the user set, and remedies that exist ---------------

DIGITS = load_digits(return_X_y=True)
X_iris, y_iris = load_iris(return_X_y=True)
IRIS = StandardScaler().fit_transform(X_iris), y_iris

DIVERGING = [
    (
        SoftmaxRegression(
            solver="sgd", learning_rate="constant", learning_rate_init=1e6
        ),
        DIGITS,
        "learning_rate_init=1e+06",
    ),
    (
        SoftmaxRegression(
            solver="gd", alpha=0.0, learning_rate="constant", learning_rate_init=300
        ),
        DIGITS,
        "learning_rate_init=300",
    ),
    (
        SoftmaxRegression(solver="sgd"),  # the automatic step
        (X_iris * 1e150, y_iris),
        "learning_rate='auto'",
    ),
    (Perceptron(), (DIGITS[0] * 1e300, DIGITS[1]), "eta0=1"),
    (Perceptron(average=True, batch_size=10), (IRIS[0] * 1e300, y_iris), "eta0=1"),
    *[
        (
            MLP(solver=s, learning_rate_init=10, random_state=0),
            IRIS,
            "learning_rate_init=10",
        )
        for MLP in (MLPClassifier, MLPRegressor)
        for s in ("sgd", "adam", "asgd")
    ],
]


def assert_remedies_exist(est, message):
    """Every ``name=value`` the message suggests is a valid setting of ``est``."""
    suggested = re.findall(r"(\w+)=('\w+')", message)
    for name, value in suggested:
        clone(est).set_params(**{name: value.strip("'")})._validate_params()
    for name in re.findall(r"(\w+)=", message):
        assert name in est.get_params(), name


@pytest.mark.parametrize(
    ("est", "data", "named"), DIVERGING, ids=[repr(case[0]) for case in DIVERGING]
)
def test_a_divergence_names_the_parameter_the_user_set(est, data, named):
    X, y = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.raises(FloatingPointError) as error:
            est.fit(X, y)
    message = str(error.value)
    assert named in message
    assert "step size" not in message  # no optimizer's internal step
    assert_remedies_exist(est, message)


def test_adam_names_learning_rate_init_not_its_bias_corrected_step(iris):
    X, y = iris
    est = MLPClassifier(solver="adam", learning_rate_init=10, random_state=0)
    with pytest.raises(FloatingPointError) as error:
        est.fit(X, y)
    message = str(error.value)
    assert "learning_rate_init=10" in message and "1.522" not in message
    assert "learning_rate='auto'" not in message  # invalid on the MLPs


def test_changing_the_layers_between_chunks_says_call_fit_with_coef_shapes(iris):
    X, y = iris
    est = MLPClassifier(hidden_layer_sizes=(3,), solver="sgd", random_state=0)
    est.partial_fit(X, y, classes=[0, 1, 2]).set_params(hidden_layer_sizes=(4,))
    expected = re.escape(
        "The fitted coefs_ have shapes [(4, 3), (3, 3)], but hidden_layer_sizes "
        "and the data ask for [(4, 4), (4, 3)]; call fit() to start again."
    )
    with pytest.raises(ValueError, match=expected):
        est.partial_fit(X, y)
    est.set_params(warm_start=True)
    with pytest.raises(ValueError, match="set warm_start=False to start again"):
        est.fit(X, y)
