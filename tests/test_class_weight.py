"""``class_weight`` means one thing in every classifier of skcourse.

One definition (``_base.class_sample_weight``): a class's weight multiplies
its samples' weights, and "balanced" gives every class the same total of
sample weights, counting the sample weights.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.base import clone
from sklearn.utils.estimator_checks import check_class_weight_classifiers

from skcourse._base import class_sample_weight
from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier

CLASSIFIERS = [
    SoftmaxRegression(),
    SoftmaxRegression(solver="sgd", random_state=0),
    Perceptron(),
    Perceptron(average=True, batch_size=10),
    MLPClassifier(hidden_layer_sizes=(3,), solver="lbfgs", random_state=0),
    MLPClassifier(hidden_layer_sizes=(3,), solver="sgd", random_state=0),
]


def weights_of(est):
    return est.coefs_ if hasattr(est, "coefs_") else [est.coef_, est.intercept_]


def test_balanced_classes_have_equal_totals_of_sample_weights():
    y, s = np.array([0, 0, 0, 1]), np.array([1.0, 1, 1, 9])
    weights = class_sample_weight(y, np.array([0, 1]), "balanced", s, y[:, None], float)
    # Not 2:18 (counting samples only, as the MLP did): 6:6.
    assert_allclose(np.bincount(y, weights=weights), [6, 6])


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("est", CLASSIFIERS, ids=repr)
@pytest.mark.parametrize("class_weight", ["balanced", {0: 1.0, 1: 3.0, 2: 0.5}])
def test_class_weights_are_sample_weights_in_every_classifier(est, class_weight, iris):
    X, y = iris
    keep = np.r_[0:50, 50:70, 100:150]  # unbalanced classes
    X, y = X[keep], y[keep]
    s = np.random.RandomState(0).uniform(0.5, 3, size=len(y))
    if class_weight == "balanced":
        totals = np.bincount(y, weights=s)
        per_class = s.sum() / (3 * totals)
    else:
        per_class = np.array([class_weight[k] for k in range(3)])
    est = clone(est).set_params(max_iter=50)
    by_class = clone(est).set_params(class_weight=class_weight)
    by_class.fit(X, y, sample_weight=s)
    by_sample = est.fit(X, y, sample_weight=s * per_class[y])
    for a, b in zip(weights_of(by_class), weights_of(by_sample), strict=True):
        assert_allclose(a, b, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(
    "est",
    [
        Perceptron(batch_size=32),
        Perceptron(batch_size=32, average=True),
        pytest.param(
            Perceptron(batch_size=32, multi_class="multinomial"),
            marks=pytest.mark.xfail(
                reason="the winner-takes-all minibatch rule still improves, "
                "noisily, after the check's n_iter_no_change=20 epochs of 2 "
                "steps (with 100, it stops at epoch 146, all test samples "
                "right); 17 of 20 seeds x problems pass, the check's seed 0 not",
                strict=True,
            ),
        ),
    ],
    ids=repr,
)
def test_minibatch_perceptrons_follow_extreme_class_weights(est):
    # 50 noisy samples far from the origin, one class weighing 1000 times
    # the others: the raw-coordinate minibatch rule's bias needed hundreds of
    # 2-step epochs, and its criterion, 0 at the zero start, stopped it early.
    check_class_weight_classifiers(type(est).__name__, est)
