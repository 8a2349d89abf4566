"""Models ``f(x; theta)`` and the objective ``E(theta)`` that the optimizers minimise.

The course's second and third ingredients: a model maps features to output
pre-activations ``A``; a loss (``_losses``) scores ``A`` against the targets; the
objective adds them up with the penalty:

    E(theta) = 1/n sum_n s_n E_n(f(x_n; theta)) + alpha / 2 sum_l ||W_l||_F^2

(sample weights ``s`` have mean 1 over the training set, so on a minibatch the
same formula is an unbiased estimate of the full objective).  ``Objective``
also offers the L1 and elastic-net penalties of ``SGDClassifier``.

A model is a list of parameter arrays ``params`` plus three functions:
``forward(params, X) -> (A, cache)``, ``backward(params, cache, delta) -> grads``
(the gradients, in the order of ``params``) and ``penalized(params)`` (the
arrays under the penalty: weights, never biases).

Symbols: ``X`` rows are the features ``phi_n``; ``W`` (n_features, n_outputs) is
the course's weight matrix (its columns are the ``w_k``), ``b`` the biases.
"""

import numpy as np

from ._fast_numpy import phi_W


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

    def __init__(self, fit_intercept=True, offset=None):
        self.fit_intercept = fit_intercept
        self.offset = offset if fit_intercept else None

    def init_params(self, n_features, n_outputs, dtype):
        # Zero start: the losses here are convex (or, for the perceptron,
        # start-independent up to scale), so no random start is needed.
        params = [np.zeros((n_features, n_outputs), dtype=dtype)]
        if self.fit_intercept:
            params.append(np.zeros(n_outputs, dtype=dtype))
        return params

    def bias(self, params):
        """``b`` of ``a = phi W + b``: ``c - mu W`` in centred coordinates."""
        W, c = params
        return c if self.offset is None else c - self.offset @ W

    def params_from(self, W, b, dtype):
        """The parameters ``[W, c]`` (or ``[W]``) of the model ``phi W + b``."""
        W = np.array(W, dtype=dtype)
        if not self.fit_intercept:
            return [W]
        c = b if self.offset is None else b + self.offset @ W
        return [W, np.array(c, dtype=dtype)]

    def forward(self, params, X):
        A = phi_W(X, params[0])
        if self.fit_intercept:
            A += self.bias(params)
        return A, X

    def backward(self, params, X, delta):
        # Slides: grad_W L = sum_n phi_n (y(phi_n) - t_n)^T = X^T delta;
        # in centred coordinates phi_n - mu, hence the outer-product term.
        grad_W = np.asarray(X.T @ delta)
        if not self.fit_intercept:
            return [grad_W]
        grad_c = delta.sum(axis=0)
        if self.offset is not None:
            grad_W -= np.outer(self.offset, grad_c)
        return [grad_W, grad_c]

    def penalized(self, params):
        return params[:1]


class Objective:
    """``E(theta)``: mean weighted loss of ``model`` plus the elastic-net penalty.

    The penalty is ``alpha (rho ||W||_1 + (1 - rho) / 2 ||W||^2)`` with
    ``rho = l1_ratio`` (``SGDClassifier``'s); the default ``rho = 0`` is the
    L2 penalty ``alpha / 2 ||W||^2``.  Its gradient uses the subgradient
    ``sign(W)`` of ``||W||_1``.
    """

    def __init__(self, model, loss, alpha, l1_ratio=0.0):
        self.model = model
        self.loss = loss
        self.alpha = alpha
        self.l1_ratio = l1_ratio

    def decision(self, params, X):
        """The output pre-activations ``A = f(X; theta)``."""
        return self.model.forward(params, X)[0]

    def penalty(self, params):
        rho = self.l1_ratio
        return self.alpha * sum(
            rho * np.abs(W).sum() + 0.5 * (1 - rho) * np.vdot(W, W)
            for W in self.model.penalized(params)
        )

    def penalty_grad(self, W):
        """``alpha (rho sign(W) + (1 - rho) W)``: a subgradient of the penalty."""
        if self.l1_ratio == 0:
            return self.alpha * W
        return self.alpha * (self.l1_ratio * np.sign(W) + (1 - self.l1_ratio) * W)

    def mean_loss(self, params, X, T, s):
        """The data term ``1/n sum_n s_n E_n`` alone (no penalty)."""
        return float(self.loss.value(self.decision(params, X), T, s)) / X.shape[0]

    def value(self, params, X, T, s):
        return self.mean_loss(params, X, T, s) + self.penalty(params)

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
        return float(self.loss.value(A, T, s)) / X.shape[0] + self.penalty(params)

    def value_and_grad(self, params, X, T, s, penalty=True):
        """``E`` and its gradient; ``penalty=False``: the data term's alone
        (an optimizer that takes the penalty's step itself)."""
        A, cache = self.model.forward(params, X)
        E, delta = self.loss.value_and_delta(A, T, s)
        n = X.shape[0]
        grads = self.model.backward(params, cache, delta / n)
        if not penalty:
            return float(E) / n, grads
        return float(E) / n + self.penalty(params), self.add_penalty_grads(
            grads, params
        )

    def add_penalty_grads(self, grads, params):
        """The penalty's gradient, added to the weights' gradients (the
        penalized arrays come first in ``params``, biases after)."""
        if self.alpha:
            for G, W in zip(grads, self.model.penalized(params), strict=False):
                G += self.penalty_grad(W)
        return grads
