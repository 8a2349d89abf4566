"""Rules of the training core that a mutation could break unnoticed.

Each test here was written against a deliberate mutation of the core that
left every other test passing: the early-stopping tie rule
(``Stopping.ties_by_loss``), the MLPs' ``n_iter_no_change + 1``, a change of
what defines the steps starting a new optimizer in ``partial_fit``
(``Config.steps``, design section 11), the MLPs' "adaptive" schedule, and
the loop's calling back into no estimator.
"""

import copy
import inspect
import sys
import warnings

import numpy as np
import pytest
from sklearn.base import is_classifier
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.preprocessing import StandardScaler

from skcourse._monitoring import History, Monitor, Stopping
from skcourse._training import Config
from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor

X_iris, y_iris = load_iris(return_X_y=True)
X_iris = StandardScaler().fit_transform(X_iris)


class NoCallbacks:
    def end_epoch(self, params):
        return False


class Replayed:
    """A validation split and an objective that replay given (score, loss)
    pairs, epoch after epoch: the parameters are the epoch's index."""

    def __init__(self, scores, losses):
        self.scores, self.losses = scores, losses
        self.X = self.T = self.s = self.y = None

    def score(self, params, X, y, s):
        return self.scores[int(params[0])]

    def mean_loss(self, params, X, T, s):
        return self.losses[int(params[0])]


def epochs_until_stop(scores, losses, **config):
    """How many epochs the early-stopping rule runs on these validation
    scores and losses (None: it never stops)."""
    replayed = Replayed(scores, losses)
    cfg = Config(early_stopping=True, tol=1e-4, n_iter_no_change=3)
    monitor = Monitor(
        cfg,
        replayed,
        History(),
        validation=replayed,
        stopping=Stopping(cfg.tol, cfg.n_iter_no_change, **config),
        callbacks=NoCallbacks(),
    )
    for epoch in range(len(scores)):
        if monitor.end_epoch([np.array(epoch)], 1.0):
            return epoch + 1
    return None


def test_ties_by_loss_decides_whether_a_tied_score_is_progress():
    # The score reaches its best at epoch 2 and stays there while the
    # validation loss keeps falling.
    scores = [0.5] + [0.9] * 11
    losses = list(np.linspace(1.0, 0.1, 12))
    # The linear models' rule: a lower loss at an equal score is progress.
    assert epochs_until_stop(scores, losses, ties_by_loss=True) is None
    # scikit-learn's MLP's: only a higher score is; 3 epochs after the 2nd.
    assert epochs_until_stop(scores, losses, ties_by_loss=False) == 5


@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("early_stopping", [False, True])
@pytest.mark.parametrize("n_iter_no_change", [1, 4])
def test_the_mlps_stop_after_n_iter_no_change_plus_one_epochs(
    solver, early_stopping, n_iter_no_change
):
    # A tol no epoch can beat: the first epoch is the last progress, and
    # scikit-learn stops n_iter_no_change + 1 epochs later.
    params = dict(
        hidden_layer_sizes=(5,),
        solver=solver,
        tol=1e9,
        n_iter_no_change=n_iter_no_change,
        early_stopping=early_stopping,
        shuffle=False,
        random_state=0,
    )
    ours = MLPClassifier(**params).fit(X_iris, y_iris)
    theirs = SkMLPClassifier(**params).fit(X_iris, y_iris)
    assert ours.n_iter_ == theirs.n_iter_ == n_iter_no_change + 2


def test_the_mlps_adaptive_schedule_is_scikit_learns():
    # Every stall divides the step by 5 and training goes on, until the step
    # is at most 1e-6: 51 epochs here, where a constant step stops at 24.
    params = dict(
        hidden_layer_sizes=(7,),
        activation="tanh",
        solver="sgd",
        learning_rate="adaptive",
        learning_rate_init=0.5,
        shuffle=False,
        tol=1e-3,
        n_iter_no_change=2,
        max_iter=3000,
        random_state=0,
    )
    ours = MLPClassifier(**params).fit(X_iris, y_iris)
    theirs = SkMLPClassifier(**params).fit(X_iris, y_iris)
    assert ours.n_iter_ == theirs.n_iter_
    constant = MLPClassifier(**{**params, "learning_rate": "constant"})
    assert constant.fit(X_iris, y_iris).n_iter_ < ours.n_iter_
    for p, q in zip(ours.coefs_, theirs.coefs_, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-9, atol=1e-12)


def fresh_optimizer_step(est, X, y, **changed):
    """``partial_fit`` from a copy of ``est`` whose optimizer is forgotten:
    a new one, from the public attributes and the ``changed`` parameters."""
    fresh = copy.deepcopy(est).set_params(**changed)
    del fresh._optimizer
    return fresh.partial_fit(X, y)


@pytest.mark.parametrize(
    ("est", "changed"),
    [
        (
            SoftmaxRegression(
                solver="sgd", learning_rate="constant", learning_rate_init=0.1
            ),
            {"learning_rate_init": 0.01},
        ),
        (SoftmaxRegression(solver="asgd", random_state=0), {"batch_size": 16}),
        (
            MLPClassifier(hidden_layer_sizes=(5,), solver="sgd", random_state=0),
            {"momentum": 0.5},
        ),
        (
            MLPClassifier(hidden_layer_sizes=(5,), solver="adam", random_state=0),
            {"beta_1": 0.5},
        ),
    ],
    ids=repr,
)
def test_partial_fit_with_other_steps_starts_a_new_optimizer(est, changed):
    X, y = X_iris, y_iris
    est.partial_fit(X[::2], y[::2], classes=[0, 1, 2])
    est.partial_fit(X[1::2], y[1::2])  # the optimizer has a state now
    expected = fresh_optimizer_step(est, X, y, **changed)
    est.set_params(**changed).partial_fit(X, y)
    for p, q in zip(weights(est), weights(expected), strict=True):
        np.testing.assert_array_equal(p, q)
    # Unchanged parameters: the optimizer goes on, which a new one would not.
    resumed = copy.deepcopy(est).partial_fit(X, y)
    restarted = fresh_optimizer_step(est, X, y)
    assert not all(
        np.array_equal(p, q)
        for p, q in zip(weights(resumed), weights(restarted), strict=True)
    )


@pytest.mark.parametrize(
    "est",
    [Perceptron(), SoftmaxRegression(), MLPClassifier(), MLPRegressor()],
    ids=lambda est: type(est).__name__,
)
def test_the_loop_is_handed_no_estimator(est):
    """The ``Config`` that ``train`` receives holds nothing of the estimator:
    its optimizer factory, if any, is a module-level function of its
    arguments (docs/design.md, "One training step: who calls whom")."""
    y = y_iris if is_classifier(est) else X_iris[:, 0]
    cfg = est.set_params(max_iter=5).fit(X_iris, y)._config()
    for value in vars(cfg).values():
        assert value is not est and getattr(value, "__self__", None) is not est
    factory = cfg.optimizer
    if factory is not None:
        assert inspect.isfunction(factory)
        assert getattr(sys.modules[factory.__module__], factory.__qualname__) is factory


def weights(est):
    return est.coefs_ if hasattr(est, "coefs_") else [est.coef_, est.intercept_]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        yield


def test_a_warm_fit_continues_the_invscaling_schedule_from_t_():
    """The MLPs' new optimizer of a warm fit starts its "invscaling" step
    from the samples already seen (``Config.samples_seen``, the fitted
    ``t_``): without momentum or shuffling, two warm fits of 3 epochs are one
    fit of 6."""
    params = dict(
        hidden_layer_sizes=(5,),
        solver="sgd",
        learning_rate="invscaling",
        learning_rate_init=0.5,
        momentum=0.0,
        shuffle=False,
        batch_size=32,
        random_state=0,
    )
    warm = MLPClassifier(max_iter=3, warm_start=True, **params)
    warm.fit(X_iris, y_iris).fit(X_iris, y_iris)
    once = MLPClassifier(max_iter=6, **params).fit(X_iris, y_iris)
    assert warm.t_ == once.t_ == 6 * len(y_iris)
    for p, q in zip(warm.coefs_, once.coefs_, strict=True):
        np.testing.assert_array_equal(p, q)
