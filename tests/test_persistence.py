"""Fitted models round-trip through skops (and pickle), and go on training.

Every public estimator, fitted by every solver, after ``partial_fit``, early
stopping, a warm start and on float32, is saved with ``skops.io.dumps`` and
loaded trusting exactly ``skops_trusted_types()``; the copy predicts as the
original and continues ``partial_fit`` as the original does.
"""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning

from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor
from skcourse.persistence import skops_trusted_types
from skcourse.preprocessing import AddBias, RandomFeatures

sio = pytest.importorskip("skops.io", reason="skops is not installed (extra 'skops')")

MLP = {"hidden_layer_sizes": (8,), "max_iter": 5, "random_state": 0}
SEED = {"random_state": 0}

#: (id, estimator, how it is fitted)
CASES = [
    *[
        (f"softmax-{s}", SoftmaxRegression(solver=s, max_iter=20, **SEED), "fit")
        for s in ("lbfgs", "gd", "sgd", "asgd")
    ],
    ("softmax-sgd-l2", SoftmaxRegression(solver="sgd", alpha=0.01, max_iter=5), "fit"),
    ("softmax-partial", SoftmaxRegression(solver="asgd", random_state=0), "partial"),
    ("softmax-early", SoftmaxRegression(solver="sgd", early_stopping=True), "fit"),
    ("softmax-warm", SoftmaxRegression(solver="sgd", max_iter=5), "warm"),
    ("softmax-float32", SoftmaxRegression(solver="asgd", max_iter=5), "float32"),
    ("perceptron", Perceptron(), "fit"),
    ("perceptron-l1", Perceptron(penalty="l1", batch_size=10), "fit"),
    ("perceptron-averaged", Perceptron(average=True), "fit"),
    ("perceptron-multinomial", Perceptron(multi_class="multinomial"), "fit"),
    ("perceptron-probability", Perceptron(probability=True, max_iter=5), "fit"),
    ("perceptron-partial", Perceptron(), "partial"),
    ("perceptron-early", Perceptron(early_stopping=True), "fit"),
    ("perceptron-warm", Perceptron(max_iter=5), "warm"),
    ("perceptron-sparse", Perceptron(penalty="l1", alpha=0.01), "sparsify"),
    *[
        (f"mlp-{s}", MLPClassifier(solver=s, **MLP), "fit")
        for s in ("lbfgs", "sgd", "adam", "asgd")
    ],
    ("mlp-binary", MLPClassifier(**MLP), "binary"),
    ("mlp-partial", MLPClassifier(solver="sgd", **MLP), "partial"),
    ("mlp-early", MLPClassifier(early_stopping=True, **MLP), "fit"),
    ("mlp-warm", MLPClassifier(solver="asgd", **MLP), "warm"),
    ("mlp-float32", MLPClassifier(activation="softplus", **MLP), "float32"),
    *[
        (f"mlpregressor-{s}", MLPRegressor(solver=s, **MLP), "regression")
        for s in ("lbfgs", "sgd", "adam", "asgd")
    ],
    ("mlpregressor-partial", MLPRegressor(**MLP), "partial-regression"),
    ("mlpregressor-poisson", MLPRegressor(loss="poisson", **MLP), "regression"),
    *[
        (f"random-features-{g}", RandomFeatures(20, activation=g, **SEED), "fit")
        for g in ("relu", "softplus", "sign", "heaviside")
    ],
    ("add-bias", AddBias(), "fit"),
]


@pytest.fixture(scope="module")
def data():
    X, y = load_digits(return_X_y=True)
    return X[:400] / 16, y[:400]


def fitted(est, how, X, y):
    """``est`` trained as ``how`` says."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if how == "binary":
            return est.fit(X, y % 2)
        if how in ("regression", "partial-regression"):
            target = y.astype(float)
            if how == "regression":
                return est.fit(X, target)
            return est.partial_fit(X[:200], target[:200]).partial_fit(X, target)
        if how == "partial":
            classes = np.unique(y)
            return est.partial_fit(X[:200], y[:200], classes=classes).partial_fit(X, y)
        if how == "warm":
            est.set_params(warm_start=True).fit(X, y)
            return est.fit(X[:300], y[:300])
        if how == "float32":
            return est.fit(X.astype(np.float32), y)
        if how == "sparsify":
            return est.fit(X, y).sparsify()
        return est.fit(X, y)


def outputs(est, X):
    """Everything the estimator computes from ``X``."""
    methods = ("predict", "predict_proba", "decision_function", "transform")
    return {m: getattr(est, m)(X) for m in methods if hasattr(est, m)}


def assert_same_outputs(a, b, X):
    left, right = outputs(a, X), outputs(b, X)
    assert left.keys() == right.keys()
    for name in left:
        np.testing.assert_array_equal(left[name], right[name], err_msg=name)


def saved_and_loaded(est):
    data = sio.dumps(est)
    untrusted = sio.get_untrusted_types(data=data)
    extra = set(untrusted) - set(skops_trusted_types())
    assert not extra, f"types outside skops_trusted_types(): {extra}"
    return sio.loads(data, trusted=skops_trusted_types()), untrusted


@pytest.mark.parametrize("name, est, how", CASES, ids=[c[0] for c in CASES])
def test_skops_round_trip(name, est, how, data):
    X, y = data
    est = fitted(est, how, X, y)
    loaded, _ = saved_and_loaded(est)
    assert type(loaded) is type(est)
    assert_same_outputs(est, loaded, X)
    assert_same_outputs(est, pickle.loads(pickle.dumps(est)), X)


PARTIAL_FIT = [c for c in CASES if hasattr(c[1], "partial_fit") and "early" not in c[0]]


@pytest.mark.parametrize("name, est, how", PARTIAL_FIT, ids=[c[0] for c in PARTIAL_FIT])
def test_loaded_model_goes_on_training_as_the_original(name, est, how, data):
    """The optimizer's state (step count, average, momentum) travels as data:
    a chunk of ``partial_fit`` moves the copy exactly as the original."""
    X, y = data
    est = fitted(est, how, X, y)
    if not hasattr(est, "partial_fit"):
        pytest.skip("partial_fit needs a stochastic solver")
    loaded, _ = saved_and_loaded(est)
    target = y.astype(float) if "regress" in how else y % 2 if how == "binary" else y
    X_chunk = X[:100].astype(np.float32) if how == "float32" else X[:100]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.partial_fit(X_chunk, target[:100])
        loaded.partial_fit(X_chunk, target[:100])
    assert_same_outputs(est, loaded, X)


def test_the_trusted_types_are_those_the_models_hold(data):
    """Every listed type occurs in some saved model: the list is not padded."""
    X, y = data
    held = set()
    for _, est, how in CASES:
        held |= set(saved_and_loaded(fitted(est, how, X, y))[1])
    assert held == set(skops_trusted_types())
