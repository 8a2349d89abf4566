"""Models ``f(x; theta)`` and the objective ``E(theta)`` that the optimizers minimise.

The course's second and third ingredients: a model maps features to output
pre-activations ``A``; a loss (``_losses``) scores ``A`` against the targets; the
objective adds them up with the penalty:

    E(theta) = 1/n sum_n s_n E_n(f(x_n; theta)) + alpha / 2 sum_l ||W_l||_F^2

(sample weights ``s`` have mean 1 over the training set, so on a minibatch the
same formula is an unbiased estimate of the full objective).  ``Objective``
composes a model, a loss and a penalty: ``ElasticNet`` (the formula above,
with the L1 and elastic-net penalties of ``SGDClassifier``) or ``BatchL2``
(scikit-learn's MLP's, divided by the batch's weight).

A model is a list of parameter arrays ``params`` plus three functions:
``forward(params, X) -> (A, cache)``, ``backward(params, cache, delta) -> grads``
(the gradients, in the order of ``params``) and ``penalized(params)`` (the
arrays under the penalty: weights, never biases).

Each part computes through the seam it is built with (``fast``:
``_fast_numpy`` by default, ``_fast_xp.ArrayOps`` for the arrays of another
library, on their device; ``_array_api``).

Symbols: ``X`` rows are the features ``phi_n``; ``W`` (n_features, n_outputs) is
the course's weight matrix (its columns are the ``w_k``), ``b`` the biases.
"""

import functools

import numpy as np
import scipy.sparse as sp

from . import _fast_numpy


def largest_eigenvalue(X, s, fit_intercept, mu=None, n_iter=10, fast=_fast_numpy):
    """``lambda_max(X~^T S X~) / sum(s)`` by power iteration.

    ``X~ = [X - mu, 1]`` when there is an intercept (``mu``: the centring of
    ``_models.Linear``, if any), ``S = diag(s)``.  Power iteration approaches
    ``lambda_max`` from below; ``_optimizers.lipschitz_constant`` leaves room.
    The start ``v`` is drawn on the host (the same on every device).
    """
    X = X.tocsr() if sp.issparse(X) else X
    xp, d = fast.xp, X.shape[1]
    v = power_iteration_start(d + fit_intercept)
    if xp is not np:  # the device computes in the data's dtype
        v = xp.asarray(v, dtype=X.dtype, device=fast.device)
    mu = xp.zeros_like(v[:d]) if mu is None else mu
    eigenvalue = 0.0
    for _ in range(n_iter):
        v /= fast.norm(v)
        Xv = X @ v[:d] - mu @ v[:d] + (v[-1] if fit_intercept else 0.0)
        sXv = s * Xv
        w = fast.dense(X.T @ sXv) - mu * xp.sum(sXv)
        if fit_intercept:
            w = fast.append(w, xp.sum(sXv))
        eigenvalue = float(v @ w)
        v = w
    S = s.sum() if xp is np else float(xp.sum(s))
    return max(eigenvalue, 0.0) / S


def power_iteration_start(size):
    """The power iteration's random start: the same every fit, drawn once
    (seeding a ``RandomState`` costs 60 us, a third of the iteration)."""
    return _power_iteration_start(size).copy()


@functools.cache
def _power_iteration_start(size):
    return np.random.RandomState(0).standard_normal(size)


def max_squared_row_norm(X, fit_intercept, mu=None, fast=_fast_numpy):
    """``max_n ||x~_n||^2``: bounds the curvature of any one sample's loss."""
    if sp.issparse(X):
        norms = np.asarray(X.multiply(X).sum(axis=1)).ravel()
    else:
        norms = fast.row_dot(X, X)
    if mu is not None:  # ||x - mu||^2 = ||x||^2 - 2 x.mu + ||mu||^2
        norms = norms - 2 * fast.dense(X @ mu) + mu @ mu
    return float(fast.xp.max(norms)) + fit_intercept


class Linear:
    """The linear model ``a = phi W + b`` (or ``a = phi W`` without intercept).

    The bias is kept apart from ``W`` rather than folded in with the course's
    "bias trick" column of ones (``preprocessing.AddBias``), so that it can be
    left out of the penalty, and sparse ``X`` need not be copied.

    ``offset``: the optimizers may work in centred coordinates,
    ``a = (phi - mu) W + c`` with ``b = c - mu W``.  It is the same model and,
    the bias being unpenalised, the same objective; but with ``mu`` the mean of
    the features the bias no longer has to undo what ``W`` does to the mean
    (all-positive pixels, say), which makes the problem much better
    conditioned: L-BFGS and averaged SGD need about half the iterations on
    MNIST.  ``X`` itself is never centred (no copy; sparse stays sparse).
    The parameters are then ``[W, c]``; ``bias`` gives ``b``.
    """

    def __init__(self, fit_intercept=True, offset=None, fast=_fast_numpy):
        self.fit_intercept = fit_intercept
        self.offset = offset if fit_intercept else None
        self.fast = fast

    def init_params(self, n_features, n_outputs, dtype):
        # Zero start: the losses here are convex (or, for the perceptron,
        # start-independent up to scale), so no random start is needed.
        params = [self.fast.zeros((n_features, n_outputs), dtype)]
        if self.fit_intercept:
            params.append(self.fast.zeros(n_outputs, dtype))
        return params

    def bias(self, params):
        """``b`` of ``a = phi W + b``: ``c - mu W`` in centred coordinates."""
        W, c = params
        return c if self.offset is None else c - self.offset @ W

    def params_from(self, W, b, dtype):
        """The parameters ``[W, c]`` (or ``[W]``) of the model ``phi W + b``."""
        W = self.fast.array(W, dtype)
        if not self.fit_intercept:
            return [W]
        c = b if self.offset is None else b + self.offset @ W
        return [W, self.fast.array(c, dtype)]

    def forward(self, params, X):
        A = self.fast.phi_W(X, params[0])
        if self.fit_intercept:
            A += self.bias(params)
        return A, X

    def backward(self, params, X, delta):
        # Slides: grad_W L = sum_n phi_n (y(phi_n) - t_n)^T = X^T delta;
        # in centred coordinates phi_n - mu, hence the outer-product term.
        fast = self.fast
        grad_W = fast.dense(X.T @ delta)
        if not self.fit_intercept:
            return [grad_W]
        grad_c = fast.reduce_sum(delta, axis=0)
        if self.offset is not None:
            grad_W -= fast.outer(self.offset, grad_c)
        return [grad_W, grad_c]

    def largest_eigenvalue(self, X, s):
        """``lambda_max(X~^T S X~) / sum(s)``: the model's curvature in ``theta``
        per unit of the loss's curvature in ``a`` (``auto_step_size``)."""
        return largest_eigenvalue(X, s, self.fit_intercept, self.offset, fast=self.fast)

    def max_squared_row_norm(self, X):
        """``max_n ||x~_n||^2``: the same for the worst single sample."""
        return max_squared_row_norm(X, self.fit_intercept, self.offset, self.fast)

    def penalized(self, params):
        return params[:1]


class ElasticNet:
    """The penalty ``alpha (rho ||W||_1 + (1 - rho) / 2 ||W||^2)``, added to the
    mean loss: ``E = 1/n sum_n s_n E_n + penalty``.

    ``rho = l1_ratio`` (``SGDClassifier``'s); the default ``rho = 0`` is the
    L2 penalty ``alpha / 2 ||W||^2``.  Its gradient uses the subgradient
    ``sign(W)`` of ``||W||_1``.  The linear models' penalty.
    """

    def __init__(self, alpha, l1_ratio=0.0, fast=_fast_numpy):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fast = fast

    def normalizer(self, X, s):
        """``n``: the data term is the loss summed over the batch over ``n``."""
        return X.shape[0]

    def value(self, Ws):
        rho, fast = self.l1_ratio, self.fast
        return self.alpha * sum(
            rho * fast.reduce_sum(fast.xp.abs(W), axis=None)
            + 0.5 * (1 - rho) * fast.vdot(W, W)
            for W in Ws
        )

    def total(self, E, n, Ws):
        """``E / n + penalty``, from the summed loss ``E``."""
        return self.fast.scalar(E) / n + self.value(Ws)

    def grad(self, W):
        """``alpha (rho sign(W) + (1 - rho) W)``: a subgradient of the penalty."""
        if self.l1_ratio == 0:
            return self.alpha * W
        return self.alpha * (self.l1_ratio * np.sign(W) + (1 - self.l1_ratio) * W)

    def add_grads(self, grads, Ws, _n):
        """Add the penalty's gradient to the data term's ``grads``.

        Added to the mean loss, the penalty's gradient is the same whatever
        the batch: the normalizer ``_n`` of the penalties' common signature
        (``BatchL2`` divides by it) is not used.
        """
        if self.alpha:
            for G, W in zip(grads, Ws, strict=False):
                G += self.grad(W)
        return grads


class BatchL2:
    """scikit-learn's MLP penalty ``alpha / 2 sum_k ||W_k||^2``, added to the
    summed loss and divided with it by the batch's total sample weight:

        E_B(theta) = (sum_B s_n E_n + alpha / 2 sum_k ||W_k||^2) / sum_B s_n

    The penalty is scaled by the batch: a smaller batch (or lighter weights)
    feels it more, unlike ``ElasticNet``'s, added to the mean loss.  The
    training loop rescales the weights to mean 1; ``weight_scale`` is the mean
    of the caller's weights, so that the sums are those of the caller's own
    weights, as in scikit-learn.
    """

    l1_ratio = 0.0

    def __init__(self, alpha, weight_scale=1.0, fast=_fast_numpy):
        self.alpha = alpha
        self.weight_scale = weight_scale
        self.fast = fast

    def normalizer(self, X, s):
        """``sum_B s_n``: the data term is the weighted mean loss."""
        return total_weight(s, self.fast)

    def value(self, Ws):
        """``alpha / 2 sum_k ||W_k||^2`` in the caller's weight units."""
        alpha = self.alpha / self.weight_scale
        return 0.5 * alpha * sum(self.fast.squared_norm(W) for W in Ws)

    def total(self, E, S, Ws):
        """``(E + penalty) / S``, from the summed loss ``E``."""
        return (self.fast.scalar(E) + self.value(Ws)) / S

    def add_grads(self, grads, Ws, S):
        """Add ``alpha W_k / S`` to the data term's ``grads`` (the penalty is
        divided by the batch's weight ``S`` with the summed loss)."""
        if self.alpha:
            alpha = self.alpha / (self.weight_scale * S)
            for G, W in zip(grads, Ws, strict=False):
                G += alpha * W
        return grads


def total_weight(s, fast=_fast_numpy):
    """``sum_n s_n``; a batch without weight (all zero) counts as 1: its
    gradient is then the penalty's alone.  (On a device, a scalar there:
    reading it would wait for the device at every minibatch.)"""
    if fast is _fast_numpy:
        S = float(s.sum())
        return S if S > 0 else 1.0
    xp = fast.xp
    S = xp.sum(s)
    return xp.where(S > 0, S, xp.ones_like(S))


class Objective:
    """``E(theta)``: the loss of ``model`` on a batch, and ``penalty``.

    Three parts, composed: the model (``forward``, ``backward``, ``penalized``),
    the loss (``_losses``) and the penalty, which also says what the summed
    loss is divided by and in which order the penalty joins it
    (``ElasticNet``: the linear models'; ``BatchL2``: the MLP's).  A penalty
    offers ``normalizer(X, s)`` (``n``: what the summed loss is divided by),
    ``value(Ws)``, ``total(E, n, Ws)`` and ``add_grads(grads, Ws, n)``.
    """

    def __init__(self, model, loss, penalty):
        self.model = model
        self.loss = loss
        self.penalty = penalty
        self.fast = model.fast  # the seam all three compute through

    def decision(self, params, X):
        """The output pre-activations ``A = f(X; theta)``."""
        return self.model.forward(params, X)[0]

    def penalty_value(self, params):
        """The penalty alone, at ``params``."""
        return self.penalty.value(self.model.penalized(params))

    def mean_loss(self, params, X, T, s):
        """The data term alone (no penalty)."""
        E = self.loss.value(self.decision(params, X), T, s)
        return float(float(E) / self.penalty.normalizer(X, s))

    def value(self, params, X, T, s):
        """``E(theta)`` on the batch, as a Python float (read from the device)."""
        E = self.loss.value(self.decision(params, X), T, s)
        Ws = self.model.penalized(params)
        return float(self.penalty.total(E, self.penalty.normalizer(X, s), Ws))

    def model_loss(self, params, X, T, s):
        """The objective that a model's training watches, after an epoch.

        One value per output when the outputs are separate problems (the
        one-vs-rest perceptrons: ``column_values``).  A homogeneous loss (the
        perceptron criteria: ``E(cW) = c E(W)``) grows with the weights (and
        the averaged perceptron's average keeps growing), and with the
        features' scale, so no ``tol`` can tell its stall: it is divided by
        the weighted sum of the scores' sizes ``sum_n s_n |a_n|``.  The ratio
        is the share of the scores that lies on the wrong side, between 0
        (no mistake) and 1 (all wrong), whatever the scale of ``W`` and ``X``.
        """
        A = self.decision(params, X)
        if self.loss.homogeneous:
            if self.loss.per_output:
                wrong, size = self.loss.column_values(A, T, s), s @ np.abs(A)
            else:
                wrong, size = self.loss.value(A, T, s), s @ np.abs(A).sum(axis=1)
            # All scores 0 (the zero start): every sample is a mistake.
            return np.where(size > 0, wrong / np.where(size > 0, size, 1.0), 1.0)
        E, Ws = self.loss.value(A, T, s), self.model.penalized(params)
        return self.penalty.total(E, self.penalty.normalizer(X, s), Ws)

    def value_and_grad(self, params, X, T, s, penalty=True):
        """``E`` and its gradient; ``penalty=False``: the data term's alone
        (an optimizer that takes the penalty's step itself)."""
        n = self.penalty.normalizer(X, s)
        # The data term is a sum over the samples: on many samples it is
        # summed over blocks of rows (``_fast_numpy.summed_over_rows``).
        E, grads = self.fast.summed_over_rows(
            lambda X, T, s: self.data_term(params, X, T, s, n), X, T, s
        )
        if not penalty:
            return self.fast.scalar(E) / n, grads
        Ws = self.model.penalized(params)
        return self.penalty.total(E, n, Ws), self.penalty.add_grads(grads, Ws, n)

    def data_term(self, params, X, T, s, n):
        """The loss summed over the samples of ``X``, and its gradient over
        ``n``: forward, the loss's ``delta = dE/da``, backward."""
        A, cache = self.model.forward(params, X)
        E, delta = self.loss.value_and_delta(A, T, s)
        delta /= n  # a fresh array from the loss: divided in place
        return E, self.model.backward(params, cache, delta)
