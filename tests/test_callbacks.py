"""scikit-learn's callbacks (``sklearn.callback``, scikit-learn >= 1.9) on
every estimator and solver: one task per epoch, and the copy of the
estimator handed to a callback at each epoch predicts and scores."""

import warnings

import numpy as np
import pytest
from sklearn.base import clone, is_classifier
from sklearn.datasets import make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning

from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor

callback = pytest.importorskip(
    "sklearn.callback", reason="sklearn.callback exists from scikit-learn 1.9"
)

ESTIMATORS = [
    *[SoftmaxRegression(solver=s, random_state=0) for s in ("lbfgs", "gd", "sgd")],
    SoftmaxRegression(solver="asgd", random_state=0),
    Perceptron(),
    Perceptron(average=True),
    Perceptron(batch_size=10, multi_class="multinomial"),
    *[
        MLP(hidden_layer_sizes=(5,), solver=s, random_state=0)
        for MLP in (MLPClassifier, MLPRegressor)
        for s in ("lbfgs", "sgd", "adam", "asgd")
    ],
]


def fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 4 epochs, on purpose
        return est.set_params(max_iter=4).fit(X, y)


@pytest.mark.parametrize("est", ESTIMATORS, ids=repr)
def test_scoring_monitor_scores_every_epoch(est, iris):
    X, y = iris
    scoring = "accuracy" if is_classifier(est) else "r2"
    monitor = callback.ScoringMonitor(scoring=scoring)
    est = fit(clone(est).set_callbacks(monitor), X, y)
    rows = monitor.get_logs().data
    epochs = [row[scoring] for row in rows if row["task_name"] == "epoch"]
    assert len(epochs) == est.n_iter_ == 4  # one score per epoch
    assert np.isfinite(epochs).all()
    (end,) = [row[scoring] for row in rows if row["task_name"] == "fit"]
    assert end == pytest.approx(est.score(X, y))


def test_scoring_monitor_on_multilabel_targets():
    X, Y = make_multilabel_classification(100, random_state=0)
    monitor = callback.ScoringMonitor(scoring="accuracy")
    for solver in ("lbfgs", "adam"):
        est = MLPClassifier(solver=solver, random_state=0).set_callbacks(monitor)
        fit(est, X, Y)
        assert monitor.get_logs().data[-1]["accuracy"] == est.score(X, Y)


@pytest.mark.parametrize("est", ESTIMATORS, ids=repr)
def test_progress_bar_runs_on_every_estimator(est, iris):
    pytest.importorskip("rich", reason="scikit-learn's ProgressBar draws with rich")
    X, y = iris
    est = fit(clone(est).set_callbacks(callback.ProgressBar()), X, y)
    assert est.n_iter_ == 4


@pytest.mark.parametrize("est", ESTIMATORS[:5], ids=repr)
def test_epochs_are_tasks_only_when_a_callback_listens(est, iris, monkeypatch):
    # As scikit-learn's LogisticRegression for its iterations: without a
    # callback no hook hears an epoch, and its subtask costs more than a
    # small model's epoch.
    from sklearn.callback._callback_context import CallbackContext

    made = []
    subcontext = CallbackContext.subcontext
    monkeypatch.setattr(
        CallbackContext,
        "subcontext",
        lambda self, *a, **kw: made.append(kw) or subcontext(self, *a, **kw),
    )
    fit(clone(est), *iris)
    assert made == []
    fit(clone(est).set_callbacks(callback.ScoringMonitor(scoring="accuracy")), *iris)
    assert len(made) == 4
