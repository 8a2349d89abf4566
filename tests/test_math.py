"""The course's formulas, checked against the math: finite differences, identities."""

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose

from skcourse import _activations as act
from skcourse._losses import (
    BinaryLogLoss,
    MulticlassPerceptronCriterion,
    PerceptronCriterion,
    SoftmaxCrossEntropy,
    SquaredError,
    softmax,
)
from skcourse._models import ElasticNet, Linear, Objective
from skcourse._optimizers import Optimizer, lipschitz_constant, update_average

rng = np.random.RandomState(0)
EPS = 1e-6


def numerical_gradient(f, x):
    """Central differences of the scalar function ``f`` at ``x`` (any shape)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = EPS
        grad[i] = (f(x + step) - f(x - step)) / (2 * EPS)
    return grad


# -- activations ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(act.DERIVATIVES))
def test_activation_derivative_matches_finite_differences(name):
    g, g_prime = act.ACTIVATIONS[name], act.DERIVATIVES[name]
    a = rng.uniform(-3, 3, size=50)
    a = a[np.abs(a) > 1e-3]  # relu has a kink at 0
    numerical = (g(a + EPS) - g(a - EPS)) / (2 * EPS)
    assert_allclose(g_prime(a, g(a)), numerical, rtol=1e-5, atol=1e-8)


def test_tanh_is_a_rescaled_logistic():
    # Slide "Sigmoidal units": tanh(a / 2) = 2 logistic(a) - 1.
    a = np.linspace(-20, 20, 101)
    assert_allclose(act.tanh(a / 2), 2 * act.logistic(a) - 1, atol=1e-12)


def test_softplus_is_finite_and_close_to_relu_far_from_zero():
    a = np.array([-1000.0, -50.0, 50.0, 1000.0])
    assert_allclose(act.softplus(a), act.relu(a), atol=1e-20)


def test_threshold_units_follow_the_course():
    a = np.array([-2.0, 0.0, 3.0])
    assert_allclose(act.sign(a), [-1, 1, 1])
    assert_allclose(act.heaviside(a), [0, 1, 1])


# -- softmax and losses ----------------------------------------------------


def test_softmax_rows_are_probabilities_with_the_argmax_of_the_logits():
    A = rng.normal(size=(20, 5)) * 10
    Y = softmax(A)
    assert_allclose(Y.sum(axis=1), 1)
    assert np.all(Y > 0)
    assert_allclose(Y.argmax(axis=1), A.argmax(axis=1))


def test_softmax_and_cross_entropy_are_exact_for_huge_logits():
    A = np.array([[1e4, 0.0, -1e4], [1e4, 1e4, 0.0]])
    assert_allclose(softmax(A), [[1, 0, 0], [0.5, 0.5, 0]])
    T = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    # -log y_t = logsumexp(a) - a_t: 1e4 for the first row, log 2 for the second
    assert_allclose(SoftmaxCrossEntropy.value(A, T, np.ones(2)), 1e4 + np.log(2))


def one_hot_targets(n, k):
    return np.eye(k)[rng.randint(k, size=n)]


LOSS_CASES = [
    (SoftmaxCrossEntropy, lambda n: one_hot_targets(n, 4), 4),
    (BinaryLogLoss, lambda n: rng.randint(2, size=(n, 1)).astype(float), 1),
    (SquaredError, lambda n: rng.normal(size=(n, 3)), 3),
]


@pytest.mark.parametrize("loss, targets, k", LOSS_CASES, ids=lambda c: str(c))
def test_loss_delta_is_the_gradient_of_the_loss(loss, targets, k):
    A, T, s = rng.normal(size=(7, k)), targets(7), rng.uniform(0.5, 2, size=7)
    value, delta = loss.value_and_delta(A, T, s)
    assert_allclose(value, loss.value(A, T, s))
    assert_allclose(
        delta, numerical_gradient(lambda A: loss.value(A, T, s), A), atol=1e-6
    )


@pytest.mark.parametrize("loss, targets, k", LOSS_CASES[:2], ids=lambda c: str(c))
def test_canonical_link_gives_prediction_minus_target(loss, targets, k):
    A, T = rng.normal(size=(6, k)), targets(6)
    _, delta = loss.value_and_delta(A, T, np.ones(6))
    assert_allclose(delta, loss.predict(A) - T)


def test_perceptron_criterion_value_and_subgradient():
    # E = sum max(-d a, 0); a score of exactly 0 counts as a mistake.
    A = np.array([[2.0], [-1.0], [0.5], [0.0]])
    d = np.array([[1.0], [1.0], [-1.0], [1.0]])
    value, delta = PerceptronCriterion.value_and_delta(A, d, np.ones(4))
    assert value == pytest.approx(0 + 1 + 0.5 + 0)
    assert_allclose(delta, [[0], [-1], [1], [-1]])
    s = np.array([1.0, 2.0, 3.0, 4.0])
    assert_allclose(PerceptronCriterion.delta_at(d, s)(A), [[0], [-2], [3], [-4]])


def test_multiclass_perceptron_criterion_moves_true_and_winning_rows():
    A = np.array([[3.0, 1.0, 0.0], [0.0, 2.0, 1.0]])
    T = np.array([[1.0, 0, 0], [1.0, 0, 0]])
    value, delta = MulticlassPerceptronCriterion.value_and_delta(A, T, np.ones(2))
    assert value == pytest.approx(0 + 2)
    assert_allclose(delta, [[0, 0, 0], [-1, 1, 0]])
    s = np.array([1.0, 3.0])
    delta_at = MulticlassPerceptronCriterion.delta_at(T, s)(A)
    assert_allclose(delta_at, [[0, 0, 0], [-3, 3, 0]])


# -- the linear model and its objective -------------------------------------


@pytest.mark.parametrize("sparse", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_objective_gradient_matches_finite_differences(sparse, fit_intercept):
    X = rng.normal(size=(12, 3))
    T, s = one_hot_targets(12, 4), rng.uniform(0.5, 2, size=12)
    objective = Objective(Linear(fit_intercept), SoftmaxCrossEntropy, ElasticNet(0.3))
    params = [rng.normal(size=(3, 4))] + ([rng.normal(size=4)] if fit_intercept else [])
    X_used = sp.csr_matrix(X) if sparse else X
    _, grads = objective.value_and_grad(params, X_used, T, s)
    for i, p in enumerate(params):

        def f(x, i=i):
            trial = [q if j != i else x for j, q in enumerate(params)]
            return objective.value(trial, X_used, T, s)

        assert_allclose(grads[i], numerical_gradient(f, p), atol=1e-6)


def test_gradient_is_the_slides_sum_of_outer_products():
    # grad L(W) = sum_n phi_n (y(phi_n) - t_n)^T  (slides, no bias, no penalty)
    Phi, T = rng.normal(size=(9, 5)), one_hot_targets(9, 3)
    W = rng.normal(size=(5, 3))
    expected = sum(
        np.outer(phi, softmax((phi @ W)[None])[0] - t)
        for phi, t in zip(Phi, T, strict=True)
    )
    objective = Objective(
        Linear(fit_intercept=False), SoftmaxCrossEntropy, ElasticNet(0.0)
    )
    _, (grad,) = objective.value_and_grad([W], Phi, T, np.ones(9))
    assert_allclose(grad * len(Phi), expected)


def test_lipschitz_bound_holds_for_the_gradient():
    X = rng.normal(size=(40, 6)) * [1, 2, 3, 1, 1, 5]
    T, s = one_hot_targets(40, 3), np.ones(40)
    objective = Objective(Linear(), SoftmaxCrossEntropy, ElasticNet(0.01))
    L = lipschitz_constant(Linear(), X, s, SoftmaxCrossEntropy.curvature, 0.01)
    for _ in range(20):
        p = [rng.normal(size=(6, 3)), rng.normal(size=3)]
        q = [rng.normal(size=(6, 3)), rng.normal(size=3)]
        gp = np.concatenate(
            [g.ravel() for g in objective.value_and_grad(p, X, T, s)[1]]
        )
        gq = np.concatenate(
            [g.ravel() for g in objective.value_and_grad(q, X, T, s)[1]]
        )
        dist = np.sqrt(sum(np.sum((a - b) ** 2) for a, b in zip(p, q, strict=False)))
        # the power iteration may under-estimate by a little; 1/L keeps a 2x margin
        assert np.linalg.norm(gp - gq) <= 2 * L * dist


# -- optimizers ---------------------------------------------------------------


def test_average_follows_the_slides_recurrence():
    iterates = [rng.normal(size=(3, 2)) for _ in range(6)]
    average = [iterates[0].copy()]
    for n, W in enumerate(iterates[1:], start=1):
        update_average(average, [W], n)
        # Wbar^(n) = n/(n+1) Wbar^(n-1) + 1/(n+1) W^(n)  =  mean of W^(0..n)
        assert_allclose(average[0], np.mean(iterates[: n + 1], axis=0))


def test_optimizer_averages_iterates_after_the_burn_in():
    params = [np.zeros(2)]
    opt = Optimizer(
        params, schedule="constant", gamma0=1.0, average=True, average_start=2
    )
    history = []
    for g in rng.normal(size=(7, 2)):
        opt.step([g])
        history.append(params[0].copy())
    # steps 1 and 2 are burn-in; the model is the mean of iterates 2..7
    assert_allclose(opt.model_params()[0], np.mean(history[1:], axis=0))


def test_invscaling_and_adaptive_schedules():
    opt = Optimizer([np.zeros(1)], schedule="invscaling", gamma0=1.0, power_t=0.5)
    opt.t = 3
    assert opt.gamma == pytest.approx(0.5)
    opt = Optimizer([np.zeros(1)], schedule="adaptive", gamma0=1.0)
    assert opt.decay() and opt.gamma == pytest.approx(0.2)
    opt.gamma0 = 4e-6
    assert not opt.decay()
