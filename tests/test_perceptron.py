"""Behaviour of the Perceptron: the course's rule replayed by hand, separability,
the averaged and multinomial variants, probabilities, and the sklearn API."""

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_digits, load_iris, make_blobs, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Perceptron as SkPerceptron

from skcourse._online import perceptron_update
from skcourse._perceptron import Perceptron
from skcourse.datasets import make_xor

# Fixed numbers of epochs (tol=None) on data that are not separable warn, as
# they should; the tests that care about the warning say so.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

# --- the course's rule, by hand ----------------------------------------------------


def replay(X, D, epochs, *, rule="ovr", average_from=None):
    """Slide "Perceptron algorithm", one sample at a time, in the data's order.

    Bias folded in as weight 0 of an input fixed at 1; zero start; gamma = 1.
    ``D``: +-1 targets, one column per perceptron ("ovr"), or class indices
    ("multinomial": on a mistake, +x to the true row, -x to the winner's).
    Returns the weights (and, with ``average_from=k``, the mean of the weights
    after every step from the k-th sample on).
    """
    Xb = np.hstack([np.ones((len(X), 1)), X])  # x_0 = 1: b is w_0
    n_rows = D.shape[1] if rule == "ovr" else D.max() + 1
    w = np.zeros((n_rows, Xb.shape[1]))
    total, count, t = np.zeros_like(w), 0, 0
    for _ in range(epochs):
        for x, d in zip(Xb, D, strict=True):
            if rule == "ovr":
                for k in range(n_rows):
                    perceptron_update(w[k], x, d[k])  # w <- w + gamma d x
            else:
                winner = int(np.argmax(w @ x))
                if winner != d:
                    w[d] += x
                    w[winner] -= x
            t += 1
            if average_from is not None and t >= average_from:
                total += w
                count += 1
    return w if average_from is None else total / count


@pytest.fixture
def small_data():
    X, y = make_classification(
        60, 4, n_informative=3, n_redundant=0, n_classes=3, random_state=1
    )
    return np.round(X, 3), y


def plus_minus(y, classes):
    return np.where(y[:, None] == classes[None, :], 1.0, -1.0)


def weights(est):
    """The fitted ``(b, w)`` rows, as ``replay`` holds them."""
    return np.hstack([est.intercept_[:, None], est.coef_])


def test_binary_rule_replayed_by_hand(small_data):
    X, y = small_data
    y = (y == 1).astype(int)
    est = Perceptron(shuffle=False, max_iter=7, tol=None).fit(X, y)
    D = plus_minus(y, np.array([1]))  # +1 <-> classes_[1]
    assert_allclose(weights(est), replay(X, D, 7), rtol=1e-12, atol=1e-12)


def test_one_vs_rest_rule_replayed_by_hand(small_data):
    X, y = small_data
    est = Perceptron(shuffle=False, max_iter=5, tol=None).fit(X, y)
    D = plus_minus(y, est.classes_)
    assert_allclose(weights(est), replay(X, D, 5), rtol=1e-12, atol=1e-12)


def test_multinomial_rule_replayed_by_hand(small_data):
    X, y = small_data
    est = Perceptron(multi_class="multinomial", shuffle=False, max_iter=5, tol=None)
    est.fit(X, y)
    expected = replay(X, y, 5, rule="multinomial")
    assert_allclose(weights(est), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("average", [True, 1, 45, 150])
def test_averaged_rule_replayed_by_hand(small_data, average):
    X, y = small_data
    est = Perceptron(average=average, shuffle=False, max_iter=4, tol=None).fit(X, y)
    D = plus_minus(y, est.classes_)
    expected = replay(X, D, 4, average_from=int(average))
    assert_allclose(weights(est), expected, rtol=1e-12, atol=1e-12)


def test_minibatch_rule_replayed_by_hand(small_data):
    """batch_size=B: the summed update of the batch's mistakes, divided by B
    (also for a shorter last batch: each sample weighs the same), in centred
    coordinates: the rule on x - mean(x), whose bias c is b + mean(x) w."""
    X, y = small_data
    X = X + 20  # far from the origin, where centring matters
    B, epochs = 8, 3
    est = Perceptron(batch_size=B, shuffle=False, max_iter=epochs, tol=None)
    est.fit(X, y)
    D = plus_minus(y, est.classes_)
    mean = X.mean(axis=0)
    Xb = np.hstack([np.ones((len(X), 1)), X - mean])
    w = np.zeros((D.shape[1], Xb.shape[1]))
    for _ in range(epochs):
        for start in range(0, len(X), B):
            xs, ds = Xb[start : start + B], D[start : start + B]
            mistakes = ds * (xs @ w.T) <= 0
            w += (ds * mistakes).T @ xs / B
    w[:, 0] -= w[:, 1:] @ mean  # b = c - mean(x) w
    assert_allclose(weights(est), w, rtol=1e-10, atol=1e-10)


def test_same_weights_as_scikit_learn_without_shuffling():
    X, y = load_iris(return_X_y=True)
    for target in (y, (y == 2).astype(int)):
        ours = Perceptron(shuffle=False, max_iter=6, tol=None).fit(X, target)
        theirs = SkPerceptron(shuffle=False, max_iter=6, tol=None).fit(X, target)
        assert_allclose(ours.coef_, theirs.coef_, rtol=1e-12)
        assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-12)
        assert ours.t_ == theirs.t_


def test_each_class_stops_on_its_own_as_in_scikit_learn():
    """With the default tol, each one-vs-rest perceptron stops when its own
    online loss stalls, as scikit-learn's separate binary fits do."""
    X, y = load_digits(return_X_y=True)
    ours = Perceptron(shuffle=False).fit(X, y)
    theirs = SkPerceptron(shuffle=False).fit(X, y)
    assert ours.n_iter_ == theirs.n_iter_ < ours.max_iter
    assert_allclose(ours.coef_, theirs.coef_, rtol=1e-12)


@pytest.mark.parametrize(
    ("data", "params"),
    [
        ("digits", {"shuffle": False}),
        ("digits", {"shuffle": False, "average": True}),
        # Minibatches: stopped outputs moved on until issue 17 (up to 0.04 an
        # epoch with batch_size=8 and average=True on iris).
        ("iris", {"batch_size": 8, "average": True, "random_state": 0}),
        ("iris", {"batch_size": 8, "shuffle": False}),
        ("iris", {"batch_size": 8, "penalty": "l1", "alpha": 1e-3, "random_state": 0}),
    ],
)
def test_each_one_vs_rest_output_is_its_own_binary_perceptron(data, params, iris):
    """Trained together, each class's perceptron takes the steps, and stops
    at the epoch, of a binary perceptron trained alone on that class: the
    outputs that stopped leave the epoch, with their weights, average and
    L1 record."""
    if data == "digits":
        X, y = load_digits(return_X_y=True)
        X, y = X[:600], y[:600]  # the averaged fits of all 1797 take 300 epochs
    else:
        X, y = iris
    together = Perceptron(**params).fit(X, y)
    epochs = []
    for k, label in enumerate(together.classes_):
        alone = Perceptron(**params).fit(X, y == label)
        assert_allclose(together.coef_[k], alone.coef_[0], rtol=1e-12, atol=1e-12)
        assert_allclose(together.intercept_[k], alone.intercept_[0], atol=1e-12)
        epochs.append(alone.n_iter_)
    assert together.n_iter_ == max(epochs)
    assert min(epochs) < max(epochs) < together.max_iter  # some stopped earlier


def test_a_stopped_class_stays_stopped():
    """Once a one-vs-rest perceptron's loss has stalled, its weights are final
    (scikit-learn ends its binary fit), even if a later epoch scores better."""
    from skcourse._monitoring import Stopping

    stopping = Stopping(tol=1e-3, n_iter_no_change=2)
    for losses in ([1.0, 1.0], [1.0, 0.5], [1.0, 0.4], [0.1, 0.3], [0.05, 0.35]):
        stopping.track_loss(np.array(losses))
    # Column 0 stalled after epochs 2 and 3, then "improved" with frozen weights.
    assert_array_equal(stopping.stopped_outputs(), [True, False])


def test_shuffled_online_rule_is_exact():
    """The block algorithm takes the very steps of a sample-by-sample loop."""
    X, y = make_classification(300, 6, n_informative=4, n_classes=3, random_state=0)

    class SampleBySample(Perceptron):
        def _epoch(self, objective, n_samples):
            return None  # the training loop's minibatch epoch, one sample a step

    l2 = {"penalty": "l2", "alpha": 0.01}
    for params in (
        {},
        {"average": True},
        {"multi_class": "multinomial"},
        l2,
        {**l2, "multi_class": "multinomial"},
        {**l2, "fit_intercept": False},
    ):
        fast = Perceptron(max_iter=4, tol=None, **params).fit(X, y)
        slow = SampleBySample(max_iter=4, tol=None, **params).fit(X, y)
        assert_allclose(fast.coef_, slow.coef_, rtol=1e-12, atol=1e-10)
        assert_allclose(fast.intercept_, slow.intercept_, rtol=1e-12, atol=1e-10)


# --- what the slides say about separability ----------------------------------------


@pytest.mark.parametrize(
    "params", [{}, {"average": True}, {"multi_class": "multinomial"}]
)
def test_separable_data_are_separated_and_training_stops(params):
    X, y = make_blobs(
        120, centers=[[-3, -3], [3, 3], [3, -3]], cluster_std=0.6, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        est = Perceptron(**params).fit(X, y)
    assert est.score(X, y) == 1.0
    assert est.n_iter_ < est.max_iter


def test_xor_is_not_separated_and_stops_at_max_iter():
    """Minsky and Papert: no line separates XOR; the rule cycles, never converges:
    every epoch makes mistakes, and with tol the loss stalls."""
    X, y = make_xor(200, random_state=0)
    est = Perceptron(tol=None, max_iter=30).fit(X, y)
    assert est.n_iter_ == 30
    assert min(est.loss_curve_) > 0
    assert est.score(X, y) <= 0.75
    with pytest.warns(ConvergenceWarning, match="Perceptron reached max_iter=30"):
        Perceptron(tol=0.0, n_iter_no_change=30, max_iter=30).fit(X, y)


@pytest.mark.parametrize("params", [{}, {"average": True}, {"batch_size": 7}])
def test_tol_none_runs_exactly_max_iter_epochs_without_warning(params):
    """tol=None asks for max_iter epochs, even on separable data, and t_ counts
    the samples of this fit as scikit-learn's does."""
    X, y = make_blobs(60, centers=[[-3, -3], [3, 3]], cluster_std=0.5, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = Perceptron(tol=None, max_iter=7, **params).fit(X, y)
        assert est.n_iter_ == 7 and est.t_ == 7 * 60 + 1
        est.set_params(warm_start=True, max_iter=3).fit(X, y)
    assert est.n_iter_ == 3 and est.t_ == 3 * 60 + 1


def test_score_of_zero_predicts_the_first_class():
    X, y = load_iris(return_X_y=True)
    est = Perceptron().fit(X, y == 0)
    est.coef_[:] = 0.0
    est.intercept_[:] = 0.0
    assert_array_equal(est.decision_function(X[:3]), 0.0)
    assert_array_equal(est.predict(X[:3]), est.classes_[0])


# --- parameters ----------------------------------------------------------------------


def test_averaged_perceptron_generalises_better():
    X, y = make_classification(
        2000, 20, n_informative=10, flip_y=0.1, class_sep=0.5, random_state=0
    )
    X_train, X_test, y_train, y_test = X[:1000], X[1000:], y[:1000], y[1000:]
    plain = Perceptron(max_iter=20, tol=None).fit(X_train, y_train)
    averaged = Perceptron(average=True, max_iter=20, tol=None).fit(X_train, y_train)
    assert averaged.score(X_test, y_test) > plain.score(X_test, y_test) + 0.03


def test_alpha_acts_only_with_a_penalty(small_data):
    X, y = small_data
    a = Perceptron(alpha=0.1, shuffle=False, max_iter=3, tol=None).fit(X, y)
    b = Perceptron(alpha=1e-6, shuffle=False, max_iter=3, tol=None).fit(X, y)
    assert_array_equal(a.coef_, b.coef_)
    for penalty in ("l2", "l1", "elasticnet"):
        c = Perceptron(penalty=penalty, alpha=0.1, shuffle=False, max_iter=3, tol=None)
        assert not np.allclose(c.fit(X, y).coef_, a.coef_)


def test_l1_penalty_gives_sparser_weights():
    X, y = make_classification(200, 30, n_informative=3, random_state=0)
    dense = Perceptron(max_iter=20, tol=None).fit(X, y)
    sparse = Perceptron(penalty="l1", alpha=0.01, max_iter=20, tol=None).fit(X, y)
    assert np.abs(sparse.coef_).sum() < np.abs(dense.coef_).sum()


def test_sparse_input_gives_the_dense_result(small_data):
    X, y = small_data
    dense = Perceptron(max_iter=5, tol=None).fit(X, y)
    sparse = Perceptron(max_iter=5, tol=None).fit(sp.csr_matrix(X), y)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-12, atol=1e-12)
    assert_array_equal(sparse.predict(sp.csr_matrix(X)), dense.predict(X))


def test_float32_stays_float32(small_data):
    X, y = small_data
    est = Perceptron().fit(X.astype(np.float32), y)
    assert est.coef_.dtype == np.float32
    assert est.decision_function(X.astype(np.float32)).dtype == np.float32


def test_sparsify_and_densify(small_data):
    X, y = small_data
    est = Perceptron().fit(X, y)
    expected = est.decision_function(X)
    assert sp.issparse(est.sparsify().coef_)
    assert_allclose(est.decision_function(X), expected)
    assert isinstance(est.densify().coef_, np.ndarray)
    assert_allclose(est.decision_function(X), expected)


def test_partial_fit_continues_fit(small_data):
    X, y = small_data
    full = Perceptron(shuffle=False, max_iter=3, tol=None).fit(X, y)
    online = Perceptron(shuffle=False)
    for _ in range(3):
        online.partial_fit(X, y, classes=np.unique(y))
    assert_allclose(online.coef_, full.coef_, rtol=1e-12)
    assert online.t_ == full.t_


def test_warm_start_continues(small_data):
    X, y = small_data
    full = Perceptron(shuffle=False, max_iter=4, tol=None).fit(X, y)
    warm = Perceptron(shuffle=False, max_iter=2, tol=None, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warm.fit(X, y).fit(X, y)
    assert_allclose(warm.coef_, full.coef_, rtol=1e-12)


def test_coef_init_and_intercept_init(small_data):
    X, y = small_data
    start = Perceptron(max_iter=2, tol=None).fit(X, y)
    est = Perceptron(max_iter=1, tol=None, shuffle=False)
    est.fit(X, y, coef_init=start.coef_, intercept_init=start.intercept_)
    again = Perceptron(max_iter=1, tol=None, shuffle=False, warm_start=True)
    again.coef_, again.intercept_ = start.coef_.copy(), start.intercept_.copy()
    again.fit(X, y, coef_init=start.coef_, intercept_init=start.intercept_)
    assert_allclose(est.coef_, again.coef_)
    with pytest.raises(ValueError, match="coef_init does not match dataset"):
        Perceptron().fit(X, y, coef_init=np.zeros((1, 4)))
    with pytest.raises(ValueError, match="intercept_init does not match dataset"):
        Perceptron().fit(X, y, intercept_init=np.zeros(2))


def test_partial_fit_needs_classes_and_known_labels(small_data):
    X, y = small_data
    with pytest.raises(ValueError, match="classes must be passed"):
        Perceptron().partial_fit(X, y)
    est = Perceptron().partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="not in classes"):
        est.partial_fit(X, y + 1)
    with pytest.raises(ValueError, match="balanced"):
        Perceptron(class_weight="balanced").partial_fit(X, y, classes=[0, 1, 2])


def test_n_jobs_is_accepted(small_data):
    X, y = small_data
    a = Perceptron(n_jobs=2).fit(X, y)
    b = Perceptron().fit(X, y)
    assert_array_equal(a.coef_, b.coef_)


# --- probabilities -----------------------------------------------------------------


def test_no_predict_proba_without_probability(small_data):
    X, y = small_data
    est = Perceptron().fit(X, y)
    assert not hasattr(est, "predict_proba")
    assert not hasattr(est, "predict_log_proba")
    assert not hasattr(Perceptron(probability=True), "partial_fit")


@pytest.mark.parametrize("binary", [True, False])
def test_calibrated_probabilities(binary):
    X, y = load_iris(return_X_y=True)
    y = (y == 1).astype(int) if binary else y
    est = Perceptron(probability=True, average=True).fit(X, y)
    proba = est.predict_proba(X)
    assert proba.shape == (len(X), len(est.classes_))
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_array_equal(est.classes_[proba.argmax(axis=1)], est.predict(X))
    assert_allclose(np.log(proba), est.predict_log_proba(X))
    assert est.temperature_ > 0
    # Calibrated on held-out folds, the probabilities are not all 0 or 1.
    assert 0.05 < proba.max(axis=1).mean() < 0.999


def test_clear_error_for_one_class():
    with pytest.raises(ValueError, match="only one class"):
        Perceptron().fit(np.ones((4, 2)), [1, 1, 1, 1])


def test_a_full_batch_is_not_stopped_by_its_zero_start(iris):
    # At the zero start every score is 0: the criterion is 0, its minimum,
    # though every sample is a mistake. A full batch's first epoch reported
    # that 0 and training stopped n_iter_no_change epochs later, at 0.84.
    # (n_iter_no_change=10: with 5, versicolor's output, not separable, stops
    # at epoch 8, and since stopped outputs no longer move the fit scores
    # 0.83, as the three binary perceptrons alone do.)
    X, y = iris
    est = Perceptron(batch_size=len(y), n_iter_no_change=10).fit(X, y)
    assert est.loss_curve_[0] > 0
    assert est.n_iter_ > est.n_iter_no_change + 1 and est.score(X, y) > 0.9
