"""SoftmaxRegression: behaviour, agreement with scikit-learn, bad input."""

import pickle
import warnings
from collections import Counter

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.model_selection import GridSearchCV, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skcourse.linear_model import SoftmaxRegression
from skcourse.preprocessing import AddBias

SOLVERS = ["lbfgs", "gd", "sgd", "asgd"]


def fit_quietly(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)


def objective(est, X, y):
    """The fitted model's objective: mean cross-entropy + alpha/2 ||W||^2."""
    penalty = 0.5 * est.alpha * np.sum(est.coef_**2)
    return log_loss(y, est.predict_proba(X)) + penalty


# -- agreement with scikit-learn and between solvers -----------------------


@pytest.mark.parametrize("n_classes", [2, 3])
def test_alpha_maps_to_logistic_regression_C(iris, n_classes):
    X, y = iris
    X, y = X[y < n_classes], y[y < n_classes]
    if n_classes == 2:  # separable: keep the optimum finite
        X = X + np.random.RandomState(0).normal(scale=2.0, size=X.shape)
    C = 0.5
    ours = SoftmaxRegression(alpha=1 / (C * len(y)), tol=1e-10, max_iter=1000).fit(X, y)
    theirs = LogisticRegression(C=C, tol=1e-10, max_iter=1000).fit(X, y)
    assert ours.coef_.shape == theirs.coef_.shape
    assert_allclose(ours.coef_, theirs.coef_, atol=1e-5)
    assert_allclose(ours.intercept_, theirs.intercept_, atol=1e-5)
    assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-6)


def test_every_solver_reaches_the_same_optimum(iris):
    # The objective is convex (slides): one minimum, whatever the solver.
    X, y = iris
    alpha = 0.01
    optimum = SoftmaxRegression(alpha=alpha, tol=1e-10, max_iter=500).fit(X, y)
    for solver, kwargs in [
        ("gd", dict(tol=1e-6, max_iter=5000)),
        ("sgd", dict(batch_size=16, tol=1e-6, max_iter=300)),
        ("asgd", dict(batch_size=16, tol=1e-6, n_iter_no_change=20, max_iter=300)),
    ]:
        est = SoftmaxRegression(alpha=alpha, solver=solver, random_state=0, **kwargs)
        fit_quietly(est, X, y)
        assert objective(est, X, y) == pytest.approx(objective(optimum, X, y), abs=2e-3)
        assert_allclose(est.predict_proba(X), optimum.predict_proba(X), atol=0.05)


def test_gd_with_auto_step_decreases_the_loss_at_every_epoch(digits):
    X, y = digits
    est = fit_quietly(SoftmaxRegression(solver="gd", max_iter=200, tol=0), X, y)
    assert len(est.loss_curve_) == 200
    assert np.all(np.diff(est.loss_curve_) < 0)


@pytest.mark.parametrize("solver", SOLVERS)
def test_solvers_learn_digits(digits, solver):
    X, y = digits
    est = fit_quietly(SoftmaxRegression(solver=solver, random_state=0), X, y)
    assert est.score(X, y) > 0.95
    assert est.n_iter_ == len(est.loss_curve_)
    assert est.t_ == est.n_iter_ * len(y)


def test_fit_intercept_equals_bias_trick_without_penalty():
    # Bias trick: (w, b).(x, 1). Without a penalty the folded-in bias is the same
    # parameter, so both parametrisations reach the same model.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 3))
    y = (X[:, 0] + rng.normal(size=200) > 0.5).astype(int) + (X[:, 1] > 0)
    kwargs = dict(alpha=0.0, tol=1e-10, max_iter=1000)
    with_b = SoftmaxRegression(**kwargs).fit(X, y)
    trick = make_pipeline(AddBias(), SoftmaxRegression(fit_intercept=False, **kwargs))
    trick.fit(X, y)
    W = trick[-1].coef_
    assert_allclose(W[:, :-1], with_b.coef_, atol=1e-4)
    assert_allclose(W[:, -1], with_b.intercept_, atol=1e-4)
    assert_allclose(trick.decision_function(X), with_b.decision_function(X), atol=1e-4)


# -- the binary case, probabilities, dtypes, sparse -----------------------------


def test_binary_case_has_one_row_and_signed_scores():
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    labels = np.where(y == 1, "benign", "malignant")
    est = SoftmaxRegression().fit(X, labels)
    assert est.coef_.shape == (1, X.shape[1])
    assert_array_equal(est.classes_, ["benign", "malignant"])
    scores = est.decision_function(X)
    assert scores.shape == (len(y),)
    assert_array_equal(est.predict(X), np.where(scores > 0, "malignant", "benign"))
    proba = est.predict_proba(X)
    assert_allclose(proba[:, 1], 1 / (1 + np.exp(-scores)))


def test_probabilities_are_exact_for_huge_scores(iris):
    X, y = iris
    est = SoftmaxRegression().fit(X, y)
    est.coef_ = est.coef_ * 1e4
    proba, log_proba = est.predict_proba(X), est.predict_log_proba(X)
    assert np.all(np.isfinite(log_proba))
    assert_allclose(proba.sum(axis=1), 1)
    assert_array_equal(proba.argmax(axis=1), est.decision_function(X).argmax(axis=1))


@pytest.mark.parametrize("solver", SOLVERS)
def test_float32_stays_float32(iris, solver):
    X, y = iris
    est = fit_quietly(
        SoftmaxRegression(solver=solver, random_state=0), X.astype(np.float32), y
    )
    assert est.coef_.dtype == np.float32
    assert est.intercept_.dtype == np.float32
    assert est.predict_proba(X.astype(np.float32)).dtype == np.float32
    ref = fit_quietly(SoftmaxRegression(solver=solver, random_state=0), X, y)
    assert np.mean(est.predict(X) == ref.predict(X)) > 0.97


@pytest.mark.parametrize("solver", SOLVERS)
def test_sparse_input_gives_the_dense_model(iris, solver):
    X, y = iris
    dense = fit_quietly(SoftmaxRegression(solver=solver, random_state=0), X, y)
    sparse = fit_quietly(
        SoftmaxRegression(solver=solver, random_state=0), sp.csr_matrix(X), y
    )
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-6, atol=1e-8)


# -- weights -----------------------------------------------------------------------


def test_balanced_class_weight_equals_the_matching_sample_weights(iris):
    X, y = iris
    keep = np.r_[0:50, 50:70, 100:150]
    X, y = X[keep], y[keep]
    balanced = SoftmaxRegression(class_weight="balanced", tol=1e-8).fit(X, y)
    counts = np.bincount(y)
    sw = (len(y) / (3 * counts))[y]
    weighted = SoftmaxRegression(tol=1e-8).fit(X, y, sample_weight=sw)
    assert_allclose(balanced.coef_, weighted.coef_, atol=1e-6)
    plain = SoftmaxRegression(tol=1e-8).fit(X, y)
    # the rare class gains probability mass
    assert balanced.predict_proba(X)[:, 1].mean() > plain.predict_proba(X)[:, 1].mean()


def test_sample_weights_are_scale_invariant_and_zero_means_removed(iris):
    X, y = iris
    sw = np.random.RandomState(0).randint(0, 3, size=len(y)).astype(float)
    a = SoftmaxRegression(tol=1e-8).fit(X, y, sample_weight=sw)
    b = SoftmaxRegression(tol=1e-8).fit(X, y, sample_weight=10 * sw)
    c = SoftmaxRegression(tol=1e-8).fit(X[sw > 0], y[sw > 0], sample_weight=sw[sw > 0])
    assert_allclose(a.coef_, b.coef_, atol=1e-6)
    assert_allclose(a.coef_, c.coef_, atol=1e-6)


# -- partial_fit, warm start, early stopping -------------------------------------


def test_partial_fit_in_chunks_learns(digits):
    X, y = digits
    est = SoftmaxRegression(solver="asgd", random_state=0)
    chunks = np.array_split(np.arange(len(y)), 6)
    for _ in range(5):
        for rows in chunks:
            est.partial_fit(X[rows], y[rows], classes=np.unique(y))
    assert est.score(X, y) > 0.95
    assert len(est.loss_curve_) == 30
    assert est.t_ == 5 * len(y)


def test_partial_fit_exists_only_for_stochastic_solvers():
    assert not hasattr(SoftmaxRegression(solver="lbfgs"), "partial_fit")
    assert not hasattr(SoftmaxRegression(solver="gd"), "partial_fit")
    assert hasattr(SoftmaxRegression(solver="sgd"), "partial_fit")


def test_partial_fit_errors(iris):
    X, y = iris
    est = SoftmaxRegression(solver="sgd")
    with pytest.raises(ValueError, match="classes must be passed"):
        est.partial_fit(X, y)
    est.partial_fit(X[y < 2], y[y < 2], classes=[0, 1, 2])
    with pytest.raises(ValueError, match="not in classes"):
        est.partial_fit(X, y + 1)
    with pytest.raises(ValueError, match="balanced"):
        SoftmaxRegression(solver="sgd", class_weight="balanced").partial_fit(
            X, y, classes=[0, 1, 2]
        )


def test_warm_start_continues_from_the_previous_fit(digits):
    X, y = digits
    est = SoftmaxRegression(solver="gd", max_iter=5, tol=0, warm_start=True)
    fit_quietly(est, X, y)
    first = est.loss_curve_[-1]
    fit_quietly(est, X, y)
    assert len(est.loss_curve_) == 10
    assert est.loss_curve_[5] < first
    with pytest.raises(ValueError, match="warm_start"):
        est.fit(X[y < 5], y[y < 5])


def test_early_stopping_keeps_the_best_validated_epoch(digits):
    X, y = digits
    est = SoftmaxRegression(
        solver="sgd", early_stopping=True, n_iter_no_change=3, random_state=0
    ).fit(X, y)
    assert len(est.validation_scores_) == len(est.validation_loss_curve_) == est.n_iter_
    assert est.n_iter_ < 100
    # The split is the first draw of the fit's generator: redo it, and score
    # the kept weights on it.  They are the best epoch's, not the last one's.
    n_val = int(np.ceil(0.1 * len(y)))
    _, val = train_test_split(
        np.arange(len(y)),
        test_size=n_val,
        stratify=y,
        random_state=np.random.RandomState(0),
    )
    assert est.score(X[val], y[val]) == pytest.approx(max(est.validation_scores_))
    assert max(est.validation_scores_) > 0.9


# -- stopping, divergence, verbose, callbacks -----------------------------------


def test_max_iter_gives_a_convergence_warning(digits):
    X, y = digits
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        SoftmaxRegression(solver="sgd", max_iter=2, random_state=0).fit(X, y)


def test_divergence_is_an_error_that_names_the_learning_rate(digits):
    X, y = load_digits(return_X_y=True)
    est = SoftmaxRegression(
        solver="gd", learning_rate="constant", learning_rate_init=1e6
    )
    with pytest.raises(FloatingPointError, match="learning rate"):
        est.fit(X * 1e3, y)


def test_verbose_prints_one_line_per_epoch(digits, capsys):
    X, y = digits
    SoftmaxRegression(
        solver="asgd", max_iter=3, verbose=1, early_stopping=True, random_state=0
    ).fit(X, y)
    out = capsys.readouterr().out.splitlines()
    # scikit-learn's MLP's lines, and the validation loss.
    assert out[0].startswith("Iteration 1, loss = ")
    assert out[1].startswith("Validation score: ") and "validation loss" in out[1]
    assert len(out) == 2 * 3


@pytest.mark.skipif(
    not hasattr(sklearn, "callback") and sklearn.__version__ < "1.9",
    reason="sklearn.callback exists from scikit-learn 1.9",
)
@pytest.mark.parametrize("solver", ["lbfgs", "asgd"])
def test_callbacks_see_every_epoch_and_can_stop(iris, solver, epoch_recorder):
    callback = pytest.importorskip("sklearn.callback")

    def Recorder(stop_after=None):
        return epoch_recorder(lambda fitted: fitted.coef_.copy(), stop_after)

    assert isinstance(Recorder(), callback.FitCallback)
    X, y = iris
    recorder = Recorder()
    est = SoftmaxRegression(solver=solver, random_state=0).set_callbacks(recorder)
    fit_quietly(est, X, y)
    assert len(recorder.ends) == est.n_iter_ + 1  # every epoch, then the fit
    stopper = Recorder(stop_after=3)
    est = SoftmaxRegression(solver=solver, random_state=0).set_callbacks(stopper)
    fit_quietly(est, X, y)
    assert est.n_iter_ == 3


@pytest.mark.skipif(
    not hasattr(sklearn, "callback") and sklearn.__version__ < "1.9",
    reason="sklearn.callback exists from scikit-learn 1.9",
)
def test_callbacks_reach_the_estimator_inside_grid_search(iris):
    # ProgressBar is an auto-propagated callback: set on GridSearchCV, it must
    # see each SoftmaxRegression fit and its epochs.  A recorder of the same
    # kind stands in for it (ProgressBar needs the optional package rich).
    pytest.importorskip("sklearn.callback")

    class Propagated:
        max_propagation_depth = None

        def __init__(self):
            self.names = []

        def setup(self, estimator, context):
            pass

        def on_fit_task_begin(self, estimator, context):
            pass

        def on_fit_task_end(self, estimator, context):
            self.names.append((context.estimator_name, context.task_name))

        def teardown(self, estimator, context):
            pass

    X, y = iris
    recorder = Propagated()
    search = GridSearchCV(SoftmaxRegression(), {"alpha": [1e-3, 1e-1]}, cv=2)
    search.set_callbacks(recorder).fit(X, y)
    ends = Counter(recorder.names)
    # the 2 candidates x 2 folds and the refit, each with its epochs
    assert ends[("SoftmaxRegression", "fit")] == 5
    assert ends[("SoftmaxRegression", "epoch")] > search.best_estimator_.n_iter_ >= 1


# -- scikit-learn tools ------------------------------------------------------------


def test_pipeline_cross_val_score_and_grid_search():
    X, y = load_digits(return_X_y=True)
    model = make_pipeline(StandardScaler(), SoftmaxRegression(random_state=0))
    assert cross_val_score(model, X, y, cv=3).mean() > 0.9
    grid = GridSearchCV(
        model,
        {
            "softmaxregression__alpha": [1e-4, 1.0],
            "softmaxregression__solver": ["lbfgs", "asgd"],
        },
        cv=3,
    ).fit(X, y)
    assert grid.best_params_["softmaxregression__alpha"] == 1e-4
    assert grid.best_score_ > 0.9


def test_pickle_round_trip(iris):
    X, y = iris
    est = SoftmaxRegression(solver="asgd", random_state=0).fit(X, y)
    clone = pickle.loads(pickle.dumps(est))
    assert_array_equal(clone.predict_proba(X), est.predict_proba(X))
    clone.partial_fit(X, y)  # the optimizer state survives pickling


# -- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "X, y, match",
    [
        ([[1.0, np.nan], [0.0, 1.0]], [0, 1], "NaN"),
        ([["a", "b"], ["c", "d"]], [0, 1], "float|convert"),
        ([[1.0], [2.0], [3.0]], [1, 1, 1], "class"),
        (np.empty((0, 2)), [], "0 sample"),
        ([[1.0], [2.0]], [0.5, 1.5], "Unknown label type"),
        ([[1.0], [2.0]], [0, 1, 1], "inconsistent numbers of samples"),
    ],
)
def test_bad_input_gets_a_clear_error(X, y, match):
    with pytest.raises(ValueError, match=match):
        SoftmaxRegression().fit(X, y)


def test_bad_parameters_are_named():
    X, y = [[0.0], [1.0]], [0, 1]
    with pytest.raises(InvalidParameterError, match="solver"):
        SoftmaxRegression(solver="newton").fit(X, y)
    with pytest.raises(InvalidParameterError, match="alpha"):
        SoftmaxRegression(alpha=-1).fit(X, y)


def test_negative_or_zero_sample_weights_are_refused():
    X, y = [[0.0], [1.0], [2.0]], [0, 1, 1]
    with pytest.raises(ValueError, match="(?i)negative"):
        SoftmaxRegression().fit(X, y, sample_weight=[1, -1, 1])
    with pytest.raises(ValueError, match="only one class"):
        SoftmaxRegression().fit(X, y, sample_weight=[0, 1, 1])
