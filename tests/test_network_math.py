"""The network's mathematics: backpropagation against finite differences, the
course's identities, and the MLP optimizers' recurrences."""

import numpy as np
import pytest
from sklearn.neural_network._stochastic_optimizers import AdamOptimizer, SGDOptimizer

from skcourse._activations import ACTIVATIONS
from skcourse._fast_numpy import IN_PLACE
from skcourse._losses import (
    BinaryLogLoss,
    PoissonDeviance,
    SoftmaxCrossEntropy,
    SquaredError,
)
from skcourse._models import BatchL2, Objective
from skcourse._network import Network
from skcourse._optimizers import Adam, MomentumSGD

ACTIVATION_NAMES = ["identity", "logistic", "tanh", "relu", "softplus"]


def targets(output, n, rng):
    """Targets for each output function: one-hot, 0/1 columns, reals, counts."""
    if output == "softmax":
        return np.eye(3)[rng.randint(3, size=n)]
    if output == "binary":
        return rng.randint(2, size=(n, 1)).astype(float)
    if output == "multilabel":
        return rng.randint(2, size=(n, 3)).astype(float)
    if output == "squared":
        return rng.standard_normal((n, 2))
    return rng.poisson(2.0, size=(n, 2)).astype(float)


LOSSES = {
    "softmax": SoftmaxCrossEntropy,
    "binary": BinaryLogLoss,
    "multilabel": BinaryLogLoss,
    "squared": SquaredError,
    "poisson": PoissonDeviance,
}


def flat(arrays):
    return np.concatenate([a.ravel() for a in arrays])


def unflat(theta, like):
    out, i = [], 0
    for a in like:
        out.append(theta[i : i + a.size].reshape(a.shape))
        i += a.size
    return out


@pytest.mark.parametrize("output", list(LOSSES))
@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
def test_backpropagation_matches_finite_differences(activation, output):
    """Two hidden layers (so that delta_k travels through a hidden layer),
    sample weights and the penalty: the whole gradient, entry by entry."""
    rng = np.random.RandomState(0)
    n, d = 7, 4
    X = rng.standard_normal((n, d))
    T = targets(output, n, rng)
    s = rng.uniform(0.2, 2.0, size=n)
    network = Network((5, 3), activation)
    params = network.init_params(d, T.shape[1], np.float64, rng)
    objective = Objective(network, LOSSES[output], BatchL2(0.3, 1.7))
    value, grads = objective.value_and_grad(params, X, T, s)
    assert value == pytest.approx(objective.value(params, X, T, s), rel=1e-12)

    theta, eps = flat(params), 1e-6
    numeric = np.empty_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = eps
        plus = objective.value(unflat(theta + step, params), X, T, s)
        minus = objective.value(unflat(theta - step, params), X, T, s)
        numeric[i] = (plus - minus) / (2 * eps)
    np.testing.assert_allclose(flat(grads), numeric, rtol=1e-5, atol=1e-8)


def test_in_place_units_are_the_course_units():
    a = np.linspace(-5, 5, 41)
    for name, unit in IN_PLACE.items():
        np.testing.assert_allclose(unit(a.copy()), ACTIVATIONS[name](a))


def test_a_network_of_linear_units_is_affine():
    """Slide "Linear units": y = W_L ... W_1 x + sum_k W_L ... W_{k+1} b_k + b_L."""
    rng = np.random.RandomState(1)
    network = Network((4, 3), "identity")
    W1, W2, W3, b1, b2, b3 = network.init_params(5, 2, np.float64, rng)
    X = rng.standard_normal((6, 5))
    A, _ = network.forward([W1, W2, W3, b1, b2, b3], X)
    W = W1 @ W2 @ W3
    b = b1 @ W2 @ W3 + b2 @ W3 + b3
    np.testing.assert_allclose(A, X @ W + b)


def test_penalty_is_scaled_by_the_batch_weight():
    """scikit-learn's alpha: (sum s E + alpha/2 ||W||^2) / sum s, in the
    caller's weights (weight_scale undoes the loop's rescaling to mean 1)."""
    rng = np.random.RandomState(2)
    network = Network((3,), "tanh")
    params = network.init_params(2, 1, np.float64, rng)
    X, T = rng.standard_normal((4, 2)), np.array([[0.0], [1.0], [1.0], [0.0]])
    raw = np.array([1.0, 2.0, 3.0, 6.0])
    objective = Objective(network, BinaryLogLoss, BatchL2(0.5, 3.0))
    squares = sum(np.sum(W**2) for W in params[:2])
    A = network.forward(params, X)[0]
    expected = (BinaryLogLoss.value(A, T, raw) + 0.25 * squares) / raw.sum()
    assert objective.value(params, X, T, raw / 3.0) == pytest.approx(expected)


@pytest.mark.parametrize("nesterov", [False, True])
@pytest.mark.parametrize("schedule", ["constant", "invscaling"])
def test_momentum_sgd_takes_scikit_learns_steps(nesterov, schedule):
    rng = np.random.RandomState(3)
    ours = [rng.standard_normal((3, 2)), rng.standard_normal(2)]
    theirs = [p.copy() for p in ours]
    opt = MomentumSGD(
        ours,
        schedule=schedule,
        gamma0=0.1,
        power_t=0.5,
        momentum=0.9,
        nesterov=nesterov,
    )
    ref = SGDOptimizer(theirs, 0.1, schedule, 0.9, nesterov, 0.5)
    for epoch in range(3):
        for _ in range(4):
            grads = [rng.standard_normal(p.shape) for p in ours]
            ref.update_params(theirs, [g.copy() for g in grads])
            opt.step(grads)
        opt.end_epoch(10)
        ref.iteration_ends(10 * (epoch + 1))
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-12)


def test_adam_takes_scikit_learns_steps():
    rng = np.random.RandomState(4)
    ours = [rng.standard_normal((3, 2)).astype(np.float32)]
    theirs = [p.copy() for p in ours]
    opt = Adam(ours, gamma0=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-8)
    ref = AdamOptimizer(theirs, 0.01, 0.9, 0.999, 1e-8)
    for _ in range(5):
        grads = [rng.standard_normal((3, 2)).astype(np.float32)]
        ref.update_params(theirs, [g.copy() for g in grads])
        opt.step(grads)
    assert ours[0].dtype == np.float32
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)


def test_averaged_momentum_sgd_follows_the_slides_recurrence():
    """Wbar^(n) = n/(n+1) Wbar^(n-1) + 1/(n+1) W^(n), from average_start on."""
    w = [np.zeros(2)]
    opt = MomentumSGD(
        w,
        schedule="constant",
        gamma0=1.0,
        power_t=0.5,
        momentum=0.0,
        nesterov=False,
        average=True,
        average_start=2,
    )
    iterates = []
    for g in ([1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 0.0]):
        opt.step([np.array(g)])
        iterates.append(w[0].copy())
    # The average holds the iterates from step 2 on: W^(2), W^(3), W^(4).
    np.testing.assert_allclose(opt.model_params()[0], np.mean(iterates[1:], axis=0))


@pytest.mark.parametrize("beta_1, beta_2", [(0.9, 0.999), (0.0, 0.5), (0.5, 0.0)])
def test_adam_folded_moments_take_scikit_learns_steps(beta_1, beta_2):
    """Our moments are stored divided by (1 - beta), with the constants moved
    into the step: over 120 steps, and for betas of 0, scikit-learn's steps."""
    rng = np.random.RandomState(6)
    ours = [rng.standard_normal((4, 3)), rng.standard_normal(3)]
    theirs = [p.copy() for p in ours]
    opt = Adam(ours, gamma0=0.01, beta_1=beta_1, beta_2=beta_2, epsilon=1e-8)
    ref = AdamOptimizer(theirs, 0.01, beta_1, beta_2, 1e-8)
    for _ in range(120):
        grads = [rng.standard_normal(p.shape) for p in ours]
        ref.update_params(theirs, [g.copy() for g in grads])
        opt.step(grads)
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-10)


def test_adam_step_size_is_a_python_float():
    """numpy >= 2 multiplies a float32 array by a numpy float64 scalar in
    float64 (7x slower in place): the step's scalars stay Python floats."""
    opt = Adam(
        [np.ones(3, np.float32)], gamma0=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-8
    )
    opt.step([np.ones(3, np.float32)])
    assert type(opt.gamma) is float
    assert opt.params[0].dtype == np.float32


@pytest.mark.parametrize(
    "make",
    [
        lambda p: MomentumSGD(
            p, schedule="adaptive", gamma0=0.1, momentum=0.9, nesterov=True
        ),
        lambda p: MomentumSGD(
            p, schedule="invscaling", gamma0=0.1, momentum=0.9, nesterov=False
        ),
        lambda p: Adam(p, gamma0=0.1, beta_1=0.9, beta_2=0.999, epsilon=1e-8),
    ],
)
def test_an_optimizer_leaves_the_callers_gradients_and_names_alone(make):
    """A step reads the gradients and writes only its own state; a schedule's
    name stays a name (MomentumSGD once reused learning_rate for the name,
    then the float; now ``schedule`` is the name, and ``learning_rate`` only
    MomentumSGD's current step, under scikit-learn's name)."""
    rng = np.random.RandomState(0)
    params = [rng.standard_normal((3, 2)), rng.standard_normal(2)]
    optimizer = make(params)
    schedule = getattr(optimizer, "schedule", None)  # Adam has none
    for _ in range(3):
        grads = [rng.standard_normal((3, 2)), rng.standard_normal(2)]
        kept = [g.copy() for g in grads]
        optimizer.step(grads)
        optimizer.end_epoch(10)
        optimizer.decay()
        for g, k in zip(grads, kept, strict=True):
            np.testing.assert_array_equal(g, k)
    assert getattr(optimizer, "schedule", None) == schedule
