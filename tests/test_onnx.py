"""skl2onnx converts every skcourse model; onnxruntime predicts as the model.

On float32 inputs: onnxruntime's labels equal ``predict`` exactly, its
probabilities equal ``predict_proba`` within 1e-5, and its scores, regression
outputs and features equal ``decision_function``, ``predict`` and
``transform`` within 1e-5 (relative, for values above 1).
"""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor
from skcourse.preprocessing import AddBias, RandomFeatures

REASON = "skl2onnx and onnxruntime are not installed (extra 'onnx')"
skl2onnx = pytest.importorskip("skl2onnx", reason=REASON)
ort = pytest.importorskip("onnxruntime", reason=REASON)
skcourse_onnx = pytest.importorskip("skcourse.onnx", reason=REASON)

TOL = 1e-5
ACTIVATIONS = ("identity", "logistic", "tanh", "relu", "softplus")
MLP = {"hidden_layer_sizes": (16, 8), "max_iter": 30, "random_state": 0}


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:600] / 16, y[:600]


def fitted(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)


def run_onnx(est, X, **options):
    """Convert ``est`` for inputs like ``X`` and run onnxruntime on ``X``."""
    final = est.steps[-1][1] if hasattr(est, "steps") else est
    if hasattr(final, "classes_"):
        options = {"zipmap": False, **options}
    # The options of the last step (the classifier's), pipeline or not.
    options = {id(final): options} if options else None
    onx = skl2onnx.to_onnx(est, X[:1], options=options)
    session = ort.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session.run(None, {session.get_inputs()[0].name: X})


def max_difference(actual, expected):
    """The largest difference, relative to the values' size above 1."""
    expected = np.asarray(expected, dtype=np.float64).reshape(np.shape(actual))
    return float(np.max(np.abs(actual - expected) / np.maximum(1, np.abs(expected))))


def check_classifier(est, X):
    """Labels exactly, probabilities (or scores) within TOL; returns the
    largest difference."""
    labels, second = run_onnx(est, X)
    np.testing.assert_array_equal(labels, est.predict(X))
    assert second.dtype == X.dtype
    if hasattr(est, "predict_proba"):
        expected = est.predict_proba(X)
    else:  # a perceptron without probabilities: its scores, [-a, a] for two
        expected = scores_as_onnx(est.decision_function(X))
    difference = max_difference(second, expected)
    assert difference < TOL
    # raw_scores: the decision function, for every classifier.
    raw = run_onnx(est, X, raw_scores=True)[1]
    assert max_difference(raw, scores_as_onnx(est.decision_function(X))) < TOL
    return difference


def scores_as_onnx(A):
    return np.column_stack([-A, A]) if A.ndim == 1 else A


def linear_classifiers():
    yield from (SoftmaxRegression(solver=s, random_state=0) for s in ("lbfgs", "asgd"))
    yield SoftmaxRegression(fit_intercept=False)
    yield Perceptron()
    yield Perceptron(average=True)
    yield Perceptron(multi_class="multinomial")
    yield Perceptron(probability=True)
    yield Perceptron(multi_class="multinomial", probability=True)


@pytest.mark.parametrize("classes", ["binary", "multiclass", "strings"])
@pytest.mark.parametrize("est", list(linear_classifiers()), ids=repr)
def test_linear_classifiers(est, classes, digits):
    X, y = digits
    y = {"binary": y % 2, "multiclass": y, "strings": np.array(list("abcdefghij"))[y]}
    est = fitted(est, X, y[classes])
    check_classifier(est, X.astype(np.float32))


def test_sparsified_perceptron(digits):
    X, y = digits
    est = fitted(Perceptron(penalty="l1", alpha=0.01), X, y).sparsify()
    check_classifier(est, X.astype(np.float32))


@pytest.mark.parametrize("binary", [False, True], ids=["multiclass", "binary"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_mlp_classifier_activations(activation, binary, digits):
    X, y = digits
    est = fitted(MLPClassifier(activation=activation, **MLP), X, y % 2 if binary else y)
    check_classifier(est, X.astype(np.float32))


@pytest.mark.parametrize("solver", ["lbfgs", "sgd", "adam", "asgd"])
def test_mlp_classifier_solvers(solver, digits):
    X, y = digits
    check_classifier(
        fitted(MLPClassifier(solver=solver, **MLP), X, y), X.astype(np.float32)
    )


@pytest.mark.parametrize("input_dtype", [np.float32, np.float64])
def test_float32_fit(input_dtype, digits):
    """A model fitted on float32 has float32 weights and runs in float32."""
    X, y = digits
    est = fitted(MLPClassifier(**MLP), X.astype(np.float32), y)
    assert est.coefs_[0].dtype == np.float32
    check_classifier(est, X.astype(input_dtype))


def test_mlp_classifier_multilabel_is_refused(digits):
    X, y = digits
    est = fitted(MLPClassifier(**MLP), X, np.column_stack([y % 2, y > 4]))
    with pytest.raises(NotImplementedError, match="multilabel"):
        run_onnx(est, X.astype(np.float32))


@pytest.mark.parametrize(
    "loss, n_outputs", [("squared_error", 1), ("squared_error", 3), ("poisson", 1)]
)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_mlp_regressor(activation, loss, n_outputs, digits):
    X, y = digits
    Y = np.column_stack([y, X[:, 20] * 10, X[:, 30] * 10])[:, :n_outputs]
    est = fitted(MLPRegressor(activation=activation, loss=loss, **MLP), X, Y.squeeze())
    X32 = X.astype(np.float32)
    (predicted,) = run_onnx(est, X32)
    assert predicted.dtype == np.float32
    assert predicted.shape == (len(X), n_outputs)
    assert max_difference(predicted, est.predict(X32)) < TOL


@pytest.mark.parametrize("activation", [*ACTIVATIONS, "sign", "heaviside"])
def test_random_features(activation, digits):
    X, _ = digits
    X = StandardScaler().fit_transform(X)
    est = RandomFeatures(50, activation=activation, random_state=0).fit(X)
    # A row of exact zeros: the course's sign and step give 1 at 0.
    est.random_offset_[:5] = 0.0
    X = np.vstack([X, np.zeros((1, X.shape[1]))])
    # Pre-activations of about +-1000: softplus must not overflow to inf (the
    # float32 sums of such terms differ by ~1e-4 between any two BLAS).
    large = X[:50] * 300
    for dtype in (np.float32, np.float64):
        (features,) = run_onnx(est, X.astype(dtype))
        expected = est.transform(X.astype(dtype))
        assert features.dtype == expected.dtype
        assert max_difference(features, expected) < TOL
        (features,) = run_onnx(est, large.astype(dtype))
        assert np.isfinite(features).all()
        assert max_difference(features, est.transform(large.astype(dtype))) < 1e-3


def test_add_bias(digits):
    X, _ = digits
    for dtype in (np.float32, np.float64):
        (features,) = run_onnx(AddBias().fit(X), X.astype(dtype))
        np.testing.assert_array_equal(
            features, AddBias().fit_transform(X.astype(dtype))
        )


@pytest.mark.parametrize("activation", ["relu", "tanh", "sign"])
def test_pipeline(activation, digits):
    """StandardScaler (skl2onnx's converter), then ours, in one graph."""
    X, y = digits
    pipe = make_pipeline(
        StandardScaler(),
        RandomFeatures(100, activation=activation, random_state=0),
        AddBias(),
        SoftmaxRegression(fit_intercept=False),
    )
    check_classifier(fitted(pipe, X, y), X.astype(np.float32))


def test_zipmap_default(digits):
    """Without options, skl2onnx's ZipMap gives one {class: probability} per row."""
    X, y = digits
    est = fitted(SoftmaxRegression(), X, y)
    onx = skl2onnx.to_onnx(est, X[:1].astype(np.float32))
    session = ort.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    labels, rows = session.run(None, {"X": X[:5].astype(np.float32)})
    np.testing.assert_array_equal(labels, est.predict(X[:5]))
    proba = est.predict_proba(X[:5])
    assert [sorted(row) for row in rows] == [list(est.classes_)] * 5
    np.testing.assert_allclose(
        [[row[c] for c in est.classes_] for row in rows], proba, atol=TOL
    )
