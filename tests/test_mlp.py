"""Behaviour of MLPClassifier and MLPRegressor: the course's XOR network,
scikit-learn's meaning of every parameter, state, streams and dtypes."""

import inspect
import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
import sklearn
from sklearn.base import clone
from sklearn.datasets import load_digits, load_iris, make_moons, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor
from sklearn.preprocessing import StandardScaler

import skcourse
from skcourse._models import Objective
from skcourse.datasets import make_xor
from skcourse.neural_network import MLPClassifier, MLPRegressor

SOLVERS = ["lbfgs", "sgd", "adam", "asgd"]
STOCHASTIC = ["sgd", "adam", "asgd"]

X_iris, y_iris = load_iris(return_X_y=True)
X_iris = StandardScaler().fit_transform(X_iris)
X_digits, y_digits = load_digits(return_X_y=True)
X_digits, y_digits = X_digits[:300] / 16, y_digits[:300]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def test_public_home_and_package_exports():
    assert skcourse.MLPClassifier is MLPClassifier
    assert skcourse.MLPRegressor is MLPRegressor


def test_same_parameters_and_defaults_as_scikit_learn():
    for ours, theirs in [
        (MLPClassifier().get_params(), SkMLPClassifier().get_params()),
        (MLPRegressor().get_params(), SkMLPRegressor().get_params()),
    ]:
        assert {name: ours[name] for name in theirs} == theirs
        # class_weight is ours; loss is scikit-learn's regressor's from 1.7.
        assert set(ours) - set(theirs) <= {"class_weight", "loss"}


# -- the course's XOR network -------------------------------------------------


def slide_xor_weights():
    """W1 = [[1, -1], [-1, 1]], b1 = 0, w2 = [1, 1], b2 = 0 (row layout: W1^T)."""
    return [np.array([[1.0, -1.0], [-1.0, 1.0]]).T, np.array([[1.0], [1.0]])], [
        np.zeros(2),
        np.zeros(1),
    ]


def test_the_slides_relu_network_separates_xor_when_set_on_an_estimator():
    X, y = make_xor(n_samples=40, random_state=0)
    clf = MLPClassifier(hidden_layer_sizes=(2,), solver="lbfgs", max_iter=1)
    clf.fit(X, y)
    clf.coefs_, clf.intercepts_ = slide_xor_weights()
    # a = |x1 - x2|: 0 on the label-0 corners, 2 on the label-1 corners.
    np.testing.assert_array_equal(clf.decision_function(X), 2.0 * y)
    np.testing.assert_array_equal(clf.predict(X), y)
    W1 = np.array([[1.0, -1.0], [-1.0, 1.0]])
    np.testing.assert_array_equal(clf.transform(X), np.maximum(X @ W1.T, 0))
    reg = MLPRegressor(hidden_layer_sizes=(2,), solver="lbfgs", max_iter=1)
    reg.fit(X, y.astype(float))
    reg.coefs_, reg.intercepts_ = slide_xor_weights()
    np.testing.assert_array_equal(reg.predict(X), np.abs(X[:, 0] - X[:, 1]))


@pytest.mark.parametrize("solver", ["lbfgs", "adam"])
def test_a_trained_mlp_separates_xor(solver):
    X, y = make_xor(n_samples=80, noise=0.2, random_state=0)
    clf = MLPClassifier(
        hidden_layer_sizes=(8,),
        solver=solver,
        learning_rate_init=0.05,
        max_iter=500,
        random_state=0,
    ).fit(X, y)
    assert clf.score(X, y) == 1.0


def test_identity_units_give_an_affine_decision_function():
    clf = MLPClassifier(
        hidden_layer_sizes=(5, 4), activation="identity", solver="lbfgs", random_state=0
    ).fit(X_iris, y_iris)
    W = clf.coefs_[0] @ clf.coefs_[1] @ clf.coefs_[2]
    b = (clf.intercepts_[0] @ clf.coefs_[1] + clf.intercepts_[1]) @ clf.coefs_[
        2
    ] + clf.intercepts_[2]
    np.testing.assert_allclose(clf.decision_function(X_iris), X_iris @ W + b)


def test_transform_is_the_last_hidden_layer():
    clf = MLPClassifier(hidden_layer_sizes=(6, 3), activation="tanh", max_iter=20)
    clf.fit(X_iris, y_iris)
    h1 = np.tanh(X_iris @ clf.coefs_[0] + clf.intercepts_[0])
    h2 = np.tanh(h1 @ clf.coefs_[1] + clf.intercepts_[1])
    np.testing.assert_allclose(clf.transform(X_iris), h2)
    assert clf.fit_transform(X_iris, y_iris).shape == (150, 3)


def test_hidden_features_have_names_and_pandas_output():
    pd = pytest.importorskip("pandas")
    clf = MLPClassifier(hidden_layer_sizes=(6, 3), max_iter=5).fit(X_iris, y_iris)
    names = ["mlpclassifier0", "mlpclassifier1", "mlpclassifier2"]
    assert list(clf.get_feature_names_out()) == names
    H = clf.set_output(transform="pandas").transform(X_iris)
    assert isinstance(H, pd.DataFrame) and list(H.columns) == names


def test_small_products_train_on_one_blas_thread(monkeypatch, blas_pool_of_3):
    # BLAS is set to 3 threads outside the fit, whatever the machine's cores,
    # so that "one thread inside" is the limit applied, not the machine.
    seen = []
    value_and_grad = Objective.value_and_grad

    def spy(self, *args, **kwargs):
        seen.append(blas_pool_of_3())
        return value_and_grad(self, *args, **kwargs)

    monkeypatch.setattr(Objective, "value_and_grad", spy)
    MLPClassifier(hidden_layer_sizes=(10,), max_iter=2).fit(X_iris, y_iris)
    assert set(seen) == {1}
    # 200 x 10,000 x 3 multiply-adds per batch: every thread.
    seen.clear()
    X = np.random.RandomState(0).standard_normal((300, 10_000))
    MLPClassifier(hidden_layer_sizes=(3,), max_iter=1).fit(X, np.arange(300) % 2)
    assert set(seen) == {3}


# -- scikit-learn's meaning, checked against scikit-learn itself -----------------


@pytest.mark.skipif(
    "sample_weight" not in inspect.signature(SkMLPClassifier.fit).parameters,
    reason="scikit-learn's MLPs take sample weights from 1.7",
)
@pytest.mark.parametrize("Estimator", ["classifier", "regressor"])
@pytest.mark.parametrize("solver", ["lbfgs", "sgd", "adam"])
def test_same_steps_as_scikit_learn(Estimator, solver):
    """Same start (Glorot, same draws), same objective (alpha scaled by the
    batch's weight, sample weights), same steps: the same weights."""
    rng = np.random.RandomState(0)
    X = X_iris[::3]
    if Estimator == "classifier":
        y, ours, theirs = y_iris[::3], MLPClassifier, SkMLPClassifier
    else:
        y, ours, theirs = X[:, 0] + X[:, 1] ** 2, MLPRegressor, SkMLPRegressor
    s = rng.uniform(0.5, 3.0, size=len(y))
    # Full batches: the same steps whatever the shuffling.
    params = dict(
        hidden_layer_sizes=(7,),
        activation="tanh",
        solver=solver,
        alpha=0.3,
        max_iter=8,
        random_state=0,
        learning_rate_init=0.05,
    )
    a = ours(**params).fit(X, y, sample_weight=s)
    b = theirs(**params).fit(X, y, sample_weight=s)
    for p, q in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-6, atol=1e-9)
    assert a.loss_ == pytest.approx(b.loss_, rel=1e-6)
    assert a.n_iter_ == b.n_iter_


def seeded_problems():
    """Three problems a seed must reproduce: multiclass (split at random by
    scikit-learn's MLP), binary (its stratified split), regression."""
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X[:400])
    moons_X, moons_y = make_moons(n_samples=300, noise=0.3, random_state=0)
    reg_X, reg_y = make_regression(n_samples=300, n_features=6, random_state=0)
    return {
        "multiclass": (MLPClassifier, SkMLPClassifier, X, y[:400]),
        "binary": (MLPClassifier, SkMLPClassifier, moons_X, moons_y),
        "regression": (MLPRegressor, SkMLPRegressor, reg_X, reg_y / reg_y.std()),
    }


@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("problem", ["multiclass", "binary", "regression"])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_the_same_seed_gives_scikit_learns_weights(solver, problem, early_stopping):
    """Shuffled minibatches with a short last one, and early stopping: the
    start, the validation split and every epoch's order are drawn from the
    seed as scikit-learn's MLP draws them, and the kept epoch is its (the
    first of those tied on the best validation score: the multiclass runs tie
    on epochs 12-23, sgd, and 8-14, adam)."""
    ours, theirs, X, y = seeded_problems()[problem]
    params = dict(
        hidden_layer_sizes=(10,),
        solver=solver,
        batch_size=48,  # 400 / 48 and 360 / 48 leave a short last batch
        learning_rate_init=0.01,
        max_iter=40,
        random_state=1,
        early_stopping=early_stopping,
    )
    a, b = ours(**params).fit(X, y), theirs(**params).fit(X, y)
    assert a.n_iter_ == b.n_iter_
    np.testing.assert_allclose(a.loss_curve_, b.loss_curve_, rtol=1e-12)
    for p, q in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)
    if early_stopping:
        np.testing.assert_allclose(a.validation_scores_, b.validation_scores_)
        assert a.best_validation_score_ == pytest.approx(b.best_validation_score_)


@pytest.mark.parametrize(
    "settings",
    [
        dict(learning_rate="invscaling", power_t=0.3, learning_rate_init=0.2),
        dict(learning_rate="adaptive", n_iter_no_change=2, tol=1e-2),
        dict(momentum=0.5, nesterovs_momentum=False, activation="logistic"),
        dict(alpha=0.01, activation="tanh", shuffle=False),
        dict(solver="adam", beta_1=0.8, beta_2=0.99, epsilon=1e-6),
        dict(early_stopping=True, validation_fraction=0.2, n_iter_no_change=3),
        dict(hidden_layer_sizes=(6, 5), batch_size="auto", max_iter=15),
    ],
)
def test_every_same_parameter_gives_scikit_learns_weights(settings):
    """The coming-from page's "same" rows of the MLPs, each beside a seed."""
    _, _, X, y = seeded_problems()["multiclass"]
    params = dict(hidden_layer_sizes=(10,), solver="sgd", batch_size=48)
    params.update(learning_rate_init=0.01, max_iter=25, random_state=3)
    params.update(settings)
    a = MLPClassifier(**params).fit(X, y)
    b = SkMLPClassifier(**params).fit(X, y)
    assert a.n_iter_ == b.n_iter_
    for p, q in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_, strict=True):
        np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)


def test_early_stopping_refuses_a_class_of_one_sample_as_scikit_learn():
    X = [[1, 2], [2, 3], [3, 4], [4, 5]] * 5
    y = [0] * 19 + [1]
    for est in (MLPClassifier, SkMLPClassifier):
        with pytest.raises(ValueError, match="least populated class"):
            est(early_stopping=True).fit(X, y)


def test_early_stopping_keeps_the_first_of_tied_epochs():
    """scikit-learn's MLP's rule: a tie with the best score is no better."""
    X, y = seeded_problems()["multiclass"][2:]
    clf = MLPClassifier(
        hidden_layer_sizes=(10,),
        solver="sgd",
        batch_size=48,
        learning_rate_init=0.01,
        max_iter=40,
        random_state=1,
        early_stopping=True,
    ).fit(X, y)
    scores = np.array(clf.validation_scores_)
    tied = np.flatnonzero(scores == scores.max())
    assert len(tied) > 1  # the case this test is about
    first = clone(clf).set_params(max_iter=tied[0] + 1).fit(X, y)
    for p, q in zip(clf.coefs_, first.coefs_, strict=True):
        np.testing.assert_array_equal(p, q)


def test_one_class_gives_scikit_learns_two_columns_as_documented():
    X = np.random.RandomState(0).standard_normal((20, 3))
    y = np.full(20, "a")
    params = dict(hidden_layer_sizes=(5,), max_iter=50, random_state=0)
    clf = MLPClassifier(**params).fit(X, y)
    theirs = SkMLPClassifier(**params).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, ["a"])
    proba = clf.predict_proba(X)
    # The docstring's promise: two columns, the first the one class.
    assert proba.shape == (20, 2)
    assert "length 1) there are two columns" in " ".join(
        MLPClassifier.predict_proba.__doc__.split()
    )
    np.testing.assert_allclose(proba, theirs.predict_proba(X), atol=1e-12)
    np.testing.assert_array_equal(clf.predict(X), y)


def test_asgd_is_sgd_until_the_first_stall_then_averages():
    """Averaging from the start drags a non-convex fit back to its start
    (digits 0.870 against sgd's 0.916 at the defaults): "asgd" averages from
    the first stall of the loss on, so before it it is "sgd", step for step."""
    params = dict(hidden_layer_sizes=(10,), random_state=0, batch_size=32)
    sgd = MLPClassifier(solver="sgd", learning_rate_init=0.1, **params)
    asgd = clone(sgd).set_params(solver="asgd")
    # No stall in 5 epochs: the same weights.
    few = dict(max_iter=5)
    for p, q in zip(
        sgd.set_params(**few).fit(X_digits, y_digits).coefs_,
        asgd.set_params(**few).fit(X_digits, y_digits).coefs_,
        strict=True,
    ):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-15)
    # Where sgd stalls and stops, asgd starts to average and goes on.
    sgd.set_params(max_iter=200).fit(X_digits, y_digits)
    asgd.set_params(max_iter=200).fit(X_digits, y_digits)
    assert sgd.n_iter_ < 200
    stop = sgd.n_iter_
    assert asgd.n_iter_ > stop
    np.testing.assert_allclose(asgd.loss_curve_[:stop], sgd.loss_curve_)
    moved = [np.abs(p - q).max() for p, q in zip(asgd.coefs_, sgd.coefs_, strict=True)]
    assert max(moved) > 0
    assert asgd.score(X_digits, y_digits) >= sgd.score(X_digits, y_digits) - 0.01


def test_loss_is_the_mean_loss_plus_the_penalty_over_the_sample_weight():
    clf = MLPClassifier(hidden_layer_sizes=(4,), solver="lbfgs", alpha=2.0)
    clf.fit(X_iris, y_iris)
    squares = sum(np.sum(W**2) for W in clf.coefs_)
    expected = log_loss(y_iris, clf.predict_proba(X_iris)) + squares / len(y_iris)
    assert clf.loss_ == pytest.approx(expected, rel=1e-6)


# -- state: reproducibility, pickling, warm starts, partial_fit ------------------


@pytest.mark.parametrize("solver", SOLVERS)
def test_seeded_refits_are_bit_identical_and_pickle_round_trips(solver):
    clf = MLPClassifier(hidden_layer_sizes=(10,), solver=solver, max_iter=30)
    clf.set_params(random_state=3, batch_size=32)
    a = clf.fit(X_iris, y_iris).coefs_
    b = pickle.loads(pickle.dumps(clf.fit(X_iris, y_iris)))
    for p, q in zip(a, b.coefs_, strict=True):
        np.testing.assert_array_equal(p, q)
    np.testing.assert_array_equal(b.predict_proba(X_iris), clf.predict_proba(X_iris))


@pytest.mark.parametrize("solver", SOLVERS)
def test_warm_start_begins_from_the_public_weights(solver):
    X, y = make_xor(n_samples=40, random_state=0)
    clf = MLPClassifier(hidden_layer_sizes=(2,), solver=solver, max_iter=1)
    clf.fit(X, y)
    clf.coefs_, clf.intercepts_ = slide_xor_weights()
    clf.set_params(warm_start=True, max_iter=1, alpha=0.0, learning_rate_init=1e-9)
    clf.fit(X, y)
    # One step from the slide's network: still about that network (a tiny
    # step; L-BFGS's first step has its own length).
    atol = 0.5 if solver == "lbfgs" else 1e-6
    for p, q in zip(clf.coefs_, slide_xor_weights()[0], strict=True):
        np.testing.assert_allclose(p, q, atol=atol)
    # The epoch's loss is that of the slide's network (1 batch: before the step).
    expected = log_loss(y, 1 / (1 + np.exp(-2.0 * y)), labels=[0, 1])
    if solver == "lbfgs":
        assert clf.loss_ < expected
    else:
        assert clf.loss_curve_[-1] == pytest.approx(expected, rel=1e-6)


def test_warm_start_with_other_classes_or_layers_is_an_error():
    clf = MLPClassifier(hidden_layer_sizes=(3,), warm_start=True, max_iter=5)
    clf.fit(X_iris, y_iris)
    with pytest.raises(ValueError, match="same classes"):
        clf.fit(X_iris[:100], y_iris[:100])
    clf.set_params(hidden_layer_sizes=(4,))
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        clf.fit(X_iris, y_iris)


@pytest.mark.parametrize("solver", STOCHASTIC)
def test_partial_fit_takes_chunks_of_one_class_and_of_one_sample(solver):
    clf = MLPClassifier(hidden_layer_sizes=(10,), solver=solver, random_state=0)
    clf.set_params(learning_rate_init=0.01)
    for label in (0, 1, 2):
        clf.partial_fit(
            X_iris[y_iris == label], y_iris[y_iris == label], classes=[0, 1, 2]
        )
    for i in range(0, 150, 7):
        clf.partial_fit(X_iris[i : i + 1], y_iris[i : i + 1])
    assert clf.t_ == 150 + len(range(0, 150, 7))
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 3 + len(range(0, 150, 7))
    order = np.random.RandomState(0).permutation(150)
    for _ in range(30):
        for chunk in np.array_split(order, 10):
            clf.partial_fit(X_iris[chunk], y_iris[chunk])
    assert clf.score(X_iris, y_iris) > 0.9
    reg = MLPRegressor(hidden_layer_sizes=(5,), solver=solver)
    reg.partial_fit([[1.0, 2.0]], [3.0]).partial_fit([[2.0, 1.0]], [0.0])
    assert reg.t_ == 2 and reg.predict([[1.0, 2.0]]).shape == (1,)


@pytest.mark.parametrize("Estimator", [MLPClassifier, MLPRegressor])
def test_partial_fit_only_for_stochastic_solvers_on_both_classes(Estimator):
    assert not hasattr(Estimator(solver="lbfgs"), "partial_fit")
    for solver in STOCHASTIC:
        assert hasattr(Estimator(solver=solver), "partial_fit")


@pytest.mark.parametrize("solver", SOLVERS)
def test_keyboard_interrupt_keeps_the_weights_reached(solver, monkeypatch):
    calls = {"n": 0}
    value_and_grad = Objective.value_and_grad

    def interrupted_after_five_calls(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 5:
            raise KeyboardInterrupt
        return value_and_grad(self, *args, **kwargs)

    monkeypatch.setattr(Objective, "value_and_grad", interrupted_after_five_calls)
    clf = MLPClassifier(hidden_layer_sizes=(5,), solver=solver, batch_size=50)
    clf.set_params(random_state=0, learning_rate_init=0.01)
    with pytest.warns(UserWarning, match="interrupted"):
        clf.fit(X_iris, y_iris)
    start = MLPClassifier(hidden_layer_sizes=(5,), random_state=0, max_iter=1)
    start.set_params(solver="sgd", learning_rate_init=1e-12)
    monkeypatch.setattr(Objective, "value_and_grad", value_and_grad)
    start.fit(X_iris, y_iris)
    assert all(np.isfinite(W).all() for W in clf.coefs_)
    assert not np.allclose(clf.coefs_[0], start.coefs_[0])  # it did train
    assert clf.predict(X_iris).shape == (150,)


# -- dtypes, sparse input, targets -----------------------------------------------


@pytest.mark.parametrize("solver", SOLVERS)
def test_float32_stays_float32(solver):
    X = X_digits.astype(np.float32)
    clf = MLPClassifier(hidden_layer_sizes=(16,), solver=solver, max_iter=30)
    clf.set_params(learning_rate_init=0.05, random_state=0)
    clf.fit(X, y_digits)
    assert all(p.dtype == np.float32 for p in clf.coefs_ + clf.intercepts_)
    assert clf.predict_proba(X).dtype == np.float32
    assert clf.transform(X).dtype == np.float32
    reg = MLPRegressor(hidden_layer_sizes=(8,), solver=solver, max_iter=20)
    assert reg.fit(X, y_digits).predict(X).dtype == np.float32
    assert clf.score(X, y_digits) > 0.8


def test_sparse_input_gives_the_dense_fit():
    dense = MLPClassifier(hidden_layer_sizes=(10,), solver="lbfgs", random_state=0)
    sparse = MLPClassifier(hidden_layer_sizes=(10,), solver="lbfgs", random_state=0)
    dense.fit(X_digits, y_digits)
    sparse.fit(sp.csr_matrix(X_digits), y_digits)
    np.testing.assert_allclose(dense.coefs_[0], sparse.coefs_[0], rtol=1e-6, atol=1e-8)


def test_binary_multiclass_and_multilabel_outputs():
    binary = MLPClassifier(hidden_layer_sizes=(5,), max_iter=50).fit(
        X_iris, y_iris == 2
    )
    assert binary.out_activation_ == "logistic" and binary.n_outputs_ == 1
    assert binary.decision_function(X_iris).shape == (150,)
    np.testing.assert_array_equal(
        binary.predict(X_iris), binary.decision_function(X_iris) > 0
    )
    multi = MLPClassifier(hidden_layer_sizes=(5,), max_iter=50).fit(X_iris, y_iris)
    assert multi.out_activation_ == "softmax" and multi.n_outputs_ == 3
    np.testing.assert_allclose(multi.predict_proba(X_iris).sum(axis=1), 1.0)
    Y = np.column_stack([y_iris == 0, y_iris == 2, X_iris[:, 0] > 0]).astype(int)
    labels = MLPClassifier(hidden_layer_sizes=(10,), solver="lbfgs", random_state=0)
    labels.fit(X_iris, Y)
    assert labels.out_activation_ == "logistic" and labels.n_outputs_ == 3
    assert labels.predict(X_iris).shape == (150, 3)
    assert labels.score(X_iris, Y) > 0.9


def test_multi_output_and_poisson_regression():
    X, Y = make_regression(n_samples=100, n_features=4, n_targets=3, random_state=0)
    reg = MLPRegressor(hidden_layer_sizes=(20,), solver="lbfgs", random_state=0)
    assert reg.fit(X, Y / 100).predict(X).shape == (100, 3)
    assert reg.score(X, Y / 100) > 0.9
    rng = np.random.RandomState(0)
    counts = rng.poisson(np.exp(X[:, 0] / 2))
    poisson = MLPRegressor(loss="poisson", hidden_layer_sizes=(5,), solver="lbfgs")
    poisson.fit(X, counts)
    assert poisson.out_activation_ == "exp" and (poisson.predict(X) > 0).all()
    with pytest.raises(ValueError, match="negative"):
        poisson.fit(X, counts - 1.0)


def test_class_weight_multiplies_the_sample_weights():
    weights = {0: 1.0, 1: 3.0, 2: 0.5}
    params = dict(hidden_layer_sizes=(4,), solver="lbfgs", random_state=0)
    by_class = MLPClassifier(class_weight=weights, **params).fit(X_iris, y_iris)
    s = np.vectorize(weights.get)(y_iris)
    by_sample = MLPClassifier(**params).fit(X_iris, y_iris, sample_weight=s)
    np.testing.assert_allclose(by_class.coefs_[0], by_sample.coefs_[0])
    balanced = MLPClassifier(class_weight="balanced", **params)
    y = np.r_[y_iris[:100], np.full(10, 2)]
    balanced.fit(np.r_[X_iris[:100], X_iris[-10:]], y)
    with pytest.raises(ValueError, match="partial_fit"):
        MLPClassifier(class_weight="balanced").partial_fit(
            X_iris, y_iris, classes=[0, 1, 2]
        )


def test_early_stopping_records_validation_scores_and_losses():
    clf = MLPClassifier(hidden_layer_sizes=(10,), early_stopping=True, random_state=0)
    clf.set_params(learning_rate_init=0.01, max_iter=300)
    clf.fit(X_digits, y_digits)
    assert len(clf.validation_scores_) == len(clf.validation_loss_curve_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_loss_ is None and clf.n_iter_ < 300
    assert np.argmin(clf.validation_loss_curve_) > 0
    plain = MLPRegressor(max_iter=5).fit(X_iris, y_iris)
    assert plain.validation_scores_ is None and plain.validation_loss_curve_ is None
    assert plain.best_loss_ == min(plain.loss_curve_)


def test_lbfgs_ignores_early_stopping_as_scikit_learn():
    params = dict(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0)
    stopped = MLPRegressor(early_stopping=True, **params).fit(X_iris, y_iris)
    plain = MLPRegressor(**params).fit(X_iris, y_iris)
    np.testing.assert_array_equal(stopped.coefs_[0], plain.coefs_[0])
    assert stopped.validation_scores_ is None


@pytest.mark.skipif(
    not hasattr(sklearn, "callback") and sklearn.__version__ < "1.9",
    reason="sklearn.callback exists from scikit-learn 1.9",
)
@pytest.mark.parametrize("solver", ["lbfgs", "adam"])
def test_callbacks_see_every_epoch_and_can_stop(solver, epoch_recorder):
    pytest.importorskip("sklearn.callback")

    def Recorder(stop_after=None):
        return epoch_recorder(
            lambda fitted: [W.copy() for W in fitted.coefs_], stop_after
        )

    recorder = Recorder()
    clf = MLPClassifier(hidden_layer_sizes=(5,), solver=solver, max_iter=20)
    clf.set_callbacks(recorder).fit(X_iris, y_iris)
    assert len(recorder.ends) == clf.n_iter_ + 1  # every epoch, then the fit
    np.testing.assert_array_equal(recorder.ends[-1][0], clf.coefs_[0])
    clf.set_callbacks(Recorder(stop_after=3)).fit(X_iris, y_iris)
    assert clf.n_iter_ == 3


def test_a_diverging_fit_is_an_error_that_names_the_learning_rate():
    X, y = make_regression(n_samples=100, n_features=5, noise=1.0, random_state=0)
    reg = MLPRegressor(solver="sgd", learning_rate_init=10.0, momentum=0.0)
    with pytest.raises(FloatingPointError, match="learning rate"):
        reg.fit(X * 100, y)


def test_verbose_prints_a_line_per_epoch(capsys):
    MLPClassifier(hidden_layer_sizes=(3,), max_iter=3, verbose=True).fit(X_iris, y_iris)
    out = capsys.readouterr().out.splitlines()
    # scikit-learn's words: "Iteration N, loss = ..."
    assert [line.split(",")[0] for line in out] == [f"Iteration {n}" for n in (1, 2, 3)]


def test_best_validation_score_spans_a_warm_start_as_in_scikit_learn():
    """scikit-learn's MLP keeps its best validation score over every run of a
    warm start; a second run that only does worse leaves it where it was
    (the linear models report the kept epoch of the last run instead:
    test_training.py)."""
    X, y = load_digits(return_X_y=True)
    X, y = StandardScaler().fit_transform(X[:400]), y[:400]
    params = dict(
        hidden_layer_sizes=(10,),
        early_stopping=True,
        warm_start=True,
        random_state=0,
        max_iter=30,
        solver="sgd",
        learning_rate_init=0.1,
    )
    fits = []
    for cls in (MLPClassifier, SkMLPClassifier):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est = cls(**params).fit(X, y)
            first = len(est.validation_scores_)
            est.set_params(learning_rate_init=3.0, max_iter=3).fit(X, y)
        fits.append(est)
    ours, theirs = fits
    assert ours.best_validation_score_ == theirs.best_validation_score_
    assert ours.best_validation_score_ > max(ours.validation_scores_[first:])


def test_predict_log_proba_is_minus_inf_where_a_probability_is_zero_without_a_warning():
    # A probability that rounds to 0 has log -inf (scikit-learn's checks ask
    # for it): the documented answer, not an accident to warn about.
    X = np.array([[-1.0], [1.0]] * 10)
    y = np.array([0, 1] * 10)
    clf = MLPClassifier(hidden_layer_sizes=(2,), solver="lbfgs", random_state=0)
    clf.fit(X, y)
    clf.coefs_ = [1e4 * W for W in clf.coefs_]  # saturate the output
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        log_proba = clf.predict_log_proba(np.array([[-100.0], [100.0]]))
    assert np.isneginf(log_proba).any()
    np.testing.assert_array_equal(
        np.exp(log_proba), clf.predict_proba([[-100.0], [100.0]])
    )
