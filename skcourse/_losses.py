"""Losses ``E`` of the course, as functions of the output pre-activations ``A``.

Every loss here has two methods:

- ``value(A, T, s)``: the sample-weighted *sum* ``sum_n s_n E_n``;
- ``value_and_delta(A, T, s)``: that sum and ``delta = dE/dA``, the error signal
  that backpropagation sends into the model (slides "Gradient of log-likelihood").

The two perceptron criteria also have ``delta(A, T, s)`` alone, and
``delta_at(T, s)``: the same as a function of ``A``.  Their ``delta`` is zero
except on mistakes, and a sample without one leaves the weights unchanged,
which lets the training loop run the online rule a block of samples at a time
(``_online.online_epoch``).

The division by the number of samples (to get a mean) and the penalty belong to
the objective (``_models.Objective``), so a loss is one formula and nothing else.

Each loss is paired with its *canonical* output function (``predict``): softmax
for cross-entropy, logistic for the binary log-loss, identity for squared error.
For these pairs the chain rule collapses to ``delta = s * (y - t)``: the
prediction minus the target, the course's ``y(phi_n) - t_n``.

A loss computes on NumPy, or, made by ``Loss.on(ops)``, on the namespace of
the seam ``ops`` (``_fast_xp``: the arrays of another library, on their
device).

Symbols: ``A`` (n_samples, n_outputs) pre-activations ``a = phi W + b``;
``T`` targets (one-hot for classes, real for regression, +-1 for the perceptron);
``s`` (n_samples,) sample weights; ``Y`` the prediction ``g(A)``.
"""

import functools

import numpy as np

from . import _fast_numpy
from ._activations import softplus


class Loss:
    """What every loss declares, in one place (the loop and the solvers ask
    these, never ``hasattr``):

    - ``curvature``: a bound on ``||d2E/da2||`` per sample, from which
      ``learning_rate="auto"`` sizes its step (None: no bound);
    - ``homogeneous``: ``E(cA) = c E(A)``, a size that grows with the weights
      (the perceptron criteria): no divergence ceiling, a scale-free stall test;
    - ``per_output``: the outputs are separate problems, whose criteria
      ``column_values`` gives (one-vs-rest);
    - ``online``: ``delta`` is zero except on mistakes and ``delta_at`` gives
      it as a function of ``A``: the online rule can run a block at a time.
    """

    curvature = None
    homogeneous = False
    per_output = False
    online = False
    #: The seam it computes through (its ``xp``: the namespace).
    fast = _fast_numpy

    @classmethod
    def on(cls, ops):
        """This loss computing through the seam ``ops`` (itself for NumPy's)."""
        return cls if ops is _fast_numpy else _loss_on(cls, ops)

    @staticmethod
    def value(A, T, s):
        raise NotImplementedError

    @staticmethod
    def value_and_delta(A, T, s):
        raise NotImplementedError


@functools.cache
def _loss_on(cls, ops):
    return type(cls.__name__, (cls,), {"fast": ops, "__module__": __name__})


def logsumexp(A, fast=_fast_numpy):
    """Row-wise ``log sum_k exp(a_k)``, as a column.

    Subtracting the row maximum first keeps logits of 1e4 finite
    (``exp(1e4)`` overflows).  Written here rather than taken from scipy,
    whose general version costs more than the rest of a minibatch step.
    """
    m = fast.reduce_max(A, axis=1, keepdims=True)
    return m + fast.xp.log(fast.reduce_sum(fast.xp.exp(A - m), axis=1, keepdims=True))


def softmax(A, fast=_fast_numpy):
    """Row-wise ``softmax(a)_k = exp(a_k) / sum_l exp(a_l)``, stably."""
    return fast.xp.exp(A - logsumexp(A, fast))


def log_softmax_of_scores(A, fast=_fast_numpy):
    """``log softmax(a)`` per row, from a classifier's scores.

    Two classes have one column of scores ``a``: their softmax is that of
    ``[0, a]`` (the first class's row of ``W`` is fixed at 0).
    """
    if A.shape[1] == 1:
        xp = fast.xp
        concat = np.concatenate if xp is np else xp.concat  # (NumPy < 2)
        A = concat([xp.zeros_like(A), A], axis=1)
    return A - logsumexp(A, fast)


class SoftmaxCrossEntropy(Loss):
    """``E = -sum_n s_n log y_{t_n}`` with ``y = softmax(a)`` (K >= 3 classes).

    With the log-sum-exp form of the slides,
    ``-log y_{t_n} = logsumexp(a_n) - a_{n, t_n}``, and
    ``dE/da_n = s_n (softmax(a_n) - t_n)``.
    """

    curvature = 0.5  # ||d2E/da2|| <= 1/2 (Boehning's bound on diag(y) - y y^T)

    @classmethod
    def predict(cls, A):
        return softmax(A, cls.fast)

    @classmethod
    def value(cls, A, T, s):
        return s @ (logsumexp(A, cls.fast)[:, 0] - cls.fast.row_dot(T, A))

    @classmethod
    def value_and_delta(cls, A, T, s):
        fast = cls.fast
        log_Z = logsumexp(A, fast)
        E = s @ (log_Z[:, 0] - fast.row_dot(T, A))
        Y = fast.xp.exp(A - log_Z)
        return E, s[:, None] * (Y - T)


class BinaryLogLoss(Loss):
    """``E = -sum_n s_n [t_n log y_n + (1 - t_n) log(1 - y_n)]``, ``y = logistic(a)``.

    This is the softmax cross-entropy of two classes with the first class's row
    of ``W`` fixed at 0: ``softmax([0, a]) = [1 - logistic(a), logistic(a)]``.
    ``-log`` of the likelihood is ``log(1 + e^a) - t a`` (``logaddexp`` for
    large ``|a|``), and ``dE/da = s (logistic(a) - t)``.
    """

    curvature = 0.25  # y (1 - y) <= 1/4

    @classmethod
    def predict(cls, A):
        return cls.fast.expit(A)

    @classmethod
    def value(cls, A, T, s):
        fast = cls.fast
        return s @ fast.reduce_sum(softplus(A, fast.xp) - T * A, axis=1)

    @classmethod
    def value_and_delta(cls, A, T, s):
        return cls.value(A, T, s), s[:, None] * (cls.fast.expit(A) - T)


class SquaredError(Loss):
    """``E = 1/2 sum_n s_n ||y_n - d_n||^2`` with ``y = a`` (linear output).

    The course writes ``sum ||y - d||^2``; the factor 1/2 (scikit-learn's MLP
    convention) changes no minimiser and makes ``dE/da = s (y - d)``.
    """

    curvature = 1.0

    @classmethod
    def predict(cls, A):
        return A

    @classmethod
    def value(cls, A, T, s):
        return 0.5 * s @ cls.fast.reduce_sum((A - T) ** 2, axis=1)

    @classmethod
    def value_and_delta(cls, A, T, s):
        R = A - T
        return 0.5 * s @ cls.fast.reduce_sum(R**2, axis=1), s[:, None] * R


class PerceptronCriterion(Loss):
    """Rosenblatt's criterion ``E = sum_n s_n max(-d_n a_n, 0)``, ``d_n = +-1``.

    Slide "Perceptron algorithm": only mistakes cost.  A score of exactly 0 is a
    mistake here (``d a <= 0``); otherwise, from the zero start, the rule
    ``w <- w + gamma d x`` would never move.  ``dE/da = -s d`` on mistakes, 0 else,
    so a gradient step is the course's update.  One output column per binary
    problem (one-vs-rest trains them side by side).
    """

    predict = staticmethod(np.sign)
    curvature = None  # piecewise linear: no step size from curvature
    homogeneous = True  # E(cA) = c E(A): its size grows with the weights
    per_output = True  # one binary problem per column
    online = True

    @staticmethod
    def value(A, T, s):
        return s @ np.maximum(-T * A, 0).sum(axis=1)

    @staticmethod
    def column_values(A, T, s):
        """The criterion of each column: one-vs-rest trains K separate problems."""
        return s @ np.maximum(-T * A, 0)

    @staticmethod
    def delta(A, T, s):
        return -s[:, None] * T * (T * A <= 0)

    @staticmethod
    def delta_at(T, s):
        """``delta`` as a function of ``A`` alone: the online perceptron
        evaluates it round after round on the same samples."""
        step = -s[:, None] * T  # the gradient on a mistake
        return lambda A: step * (T * A <= 0)

    @staticmethod
    def value_and_delta(A, T, s):
        return PerceptronCriterion.value(A, T, s), PerceptronCriterion.delta(A, T, s)


class MulticlassPerceptronCriterion(Loss):
    """Winner-takes-all criterion ``E = sum_n s_n (max_k a_nk - a_{n, t_n})``.

    On a mistake (predicted class ``k* = argmax a_n`` is not ``t_n``) the gradient
    step adds ``gamma x`` to the true class's row and subtracts it from ``k*``'s.
    """

    predict = staticmethod(lambda A: A)
    curvature = None
    homogeneous = True
    online = True

    @staticmethod
    def value(A, T, s):
        return s @ (A.max(axis=1) - np.einsum("nk,nk->n", T, A))

    @staticmethod
    def delta(A, T, s):
        winner = np.zeros_like(A)
        winner[np.arange(len(A)), A.argmax(axis=1)] = 1
        return s[:, None] * (winner - T)

    @staticmethod
    def delta_at(T, s):
        """``delta`` as a function of ``A`` alone (as ``PerceptronCriterion``'s)."""
        return lambda A: MulticlassPerceptronCriterion.delta(A, T, s)

    @staticmethod
    def value_and_delta(A, T, s):
        return (
            MulticlassPerceptronCriterion.value(A, T, s),
            MulticlassPerceptronCriterion.delta(A, T, s),
        )


class PoissonDeviance(Loss):
    """Half the Poisson deviance, ``E = sum_n s_n (y_n - d_n - d_n log(y_n / d_n))``
    with ``y = exp(a)`` (log link), for counts ``d >= 0``.

    ``d log(d / y) - d + y`` is 0 at ``y = d``; its derivative in ``a`` is
    ``s (y - d)``: exp is the canonical output of this loss.  It is
    scikit-learn's ``MLPRegressor(loss="poisson")`` (summed over outputs).
    """

    curvature = None  # exp(a) is unbounded

    @classmethod
    def predict(cls, A):
        return cls.fast.xp.exp(A)

    @classmethod
    def value(cls, A, T, s):
        return cls.value_and_delta(A, T, s)[0]

    @classmethod
    def value_and_delta(cls, A, T, s):
        fast = cls.fast
        Y = fast.xp.exp(A)
        E = s @ fast.reduce_sum(fast.xlogy(T, T) - T * A - T + Y, axis=1)
        return E, s[:, None] * (Y - T)
