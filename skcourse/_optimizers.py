"""Optimizers: gradient steps, step-size schedules, averaging, and L-BFGS.

Slides "Gradient descent" and "(averaged) stochastic gradient descent":

    W^(n)   = W^(n-1) - gamma^(n) grad L(W^(n-1), S)          (one step)
    Wbar^(n) = n / (n + 1) Wbar^(n-1) + 1 / (n + 1) W^(n)     (averaging)

``S`` is a minibatch; the full training set gives gradient descent.  All
functions update lists of parameter arrays in place, so one optimizer serves
every model.  Symbols: ``gamma`` step size (``learning_rate`` in the API),
``t`` number of steps taken so far.
"""

import copy

import numpy as np
import scipy.optimize
import scipy.sparse as sp

#: Below this step size the "adaptive" schedule gives up, as scikit-learn's MLP.
MIN_LEARNING_RATE = 1e-6


def largest_eigenvalue(X, s, fit_intercept, mu=None, n_iter=10):
    """``lambda_max(X~^T S X~) / sum(s)`` by power iteration.

    ``X~ = [X - mu, 1]`` when there is an intercept (``mu``: the centring of
    ``_models.Linear``, if any), ``S = diag(s)``.  Power iteration approaches
    ``lambda_max`` from below; ``lipschitz_constant`` leaves room.
    """
    X = X.tocsr() if sp.issparse(X) else X
    d = X.shape[1]
    mu = np.zeros(d) if mu is None else mu
    v = np.random.RandomState(0).standard_normal(d + fit_intercept)
    eigenvalue = 0.0
    for _ in range(n_iter):
        v /= np.linalg.norm(v)
        Xv = X @ v[:d] - mu @ v[:d] + (v[-1] if fit_intercept else 0.0)
        sXv = s * Xv
        w = np.asarray(X.T @ sXv).ravel() - mu * sXv.sum()
        if fit_intercept:
            w = np.append(w, sXv.sum())
        eigenvalue = float(v @ w)
        v = w
    return max(eigenvalue, 0.0) / s.sum()


def lipschitz_constant(X, s, fit_intercept, curvature, alpha, mu=None):
    """A bound ``L`` on the Lipschitz constant of the objective's gradient.

    For a linear model ``a = phi W + b`` and a loss whose Hessian in ``a`` is at
    most ``curvature`` (1/2 for softmax cross-entropy, Boehning's bound; 1/4 for
    the logistic loss; 1 for squared error), the Hessian of
    ``E(W) = 1/n sum s_n E_n + alpha/2 ||W||^2`` is at most
    ``curvature * lambda_max(X~^T S X~) / n + alpha``.

    Gradient descent decreases ``E`` at every step when ``0 < gamma < 2 / L``
    (slide "Gradient descent"); ``gamma = 1 / L`` stays inside that interval even
    if the power iteration under-estimates ``lambda_max`` by up to a half.
    """
    return curvature * largest_eigenvalue(X, s, fit_intercept, mu) + alpha


def max_squared_row_norm(X, fit_intercept, mu=None):
    """``max_n ||x~_n||^2``: bounds the curvature of any one sample's loss."""
    if sp.issparse(X):
        norms = np.asarray(X.multiply(X).sum(axis=1)).ravel()
    else:
        norms = np.einsum("ij,ij->i", X, X)
    if mu is not None:  # ||x - mu||^2 = ||x||^2 - 2 x.mu + ||mu||^2
        norms = norms - 2 * np.asarray(X @ mu).ravel() + mu @ mu
    return float(norms.max()) + fit_intercept


class Optimizer:
    """Minibatch (averaged) stochastic gradient descent; full batches give GD.

    Parameters
    ----------
    params : list of ndarray
        The starting point; updated in place by :meth:`step`.
    learning_rate : {"constant", "invscaling", "adaptive", "safeguarded"}
        ``gamma_t = gamma_0`` (constant, and adaptive or safeguarded between
        their decays) or ``gamma_t = gamma_0 / (t + 1) ** power_t``
        (invscaling, ``t`` = steps).
    gamma0 : float
        The initial step size.
    power_t : float
        Exponent of the "invscaling" schedule.
    average : bool
        Keep the Polyak-Ruppert average ``Wbar`` of the iterates; the average,
        not the last iterate, is then the model (``model_params``).
    """

    def __init__(
        self,
        params,
        *,
        learning_rate,
        gamma0,
        power_t=0.5,
        average=False,
        average_start=0,
    ):
        self.params = params
        self.learning_rate = learning_rate
        self.gamma0 = gamma0
        self.power_t = power_t
        self.t = 0
        self.average = [p.copy() for p in params] if average else None
        self.average_start = average_start

    @property
    def gamma(self):
        if self.learning_rate == "invscaling":
            return self.gamma0 / (self.t + 1) ** self.power_t
        return self.gamma0

    def step(self, grads):
        """``W <- W - gamma grad``, then fold ``W`` into the running average."""
        gamma = self.gamma
        for p, g in zip(self.params, grads, strict=False):
            p -= gamma * g
        self.t += 1
        if self.average is not None:
            n = max(self.t - self.average_start, 0)
            update_average(self.average, self.params, n)

    def average_weights(self, m):
        """For ``advance``: each of ``m`` steps' weight in the new average.

        Step i of the m (from 0) moves every later iterate: of the ``N``
        iterates in the average after the m steps, those among the m, ``N_in``
        of them (the last ones), at most ``m - i``.  Its weight is that count
        over ``N``.
        """
        N_old, N = self._average_counts(m)
        return np.minimum(m - np.arange(m), N - N_old) / N

    def _average_counts(self, m):
        """Iterates in the average before that remain, and in it after m steps."""
        N_old = max(self.t - self.average_start + 1, 0)
        N = max(self.t + m - self.average_start, 0) + 1
        return N_old, N

    def advance(self, m, change=None, weighted=None):
        """Take ``m`` steps at once, known by their sums (the online perceptron).

        ``change`` is the sum of the steps' moves of the parameters (None: no
        move), ``weighted`` the same sum with the ``average_weights(m)``.  The
        average of the last ``N`` iterates is then
        ``(N_old Wbar + N_in W_0) / N + weighted``: the old average's iterates
        that remain, plus the new ones, each ``W_0`` plus the steps before it.
        """
        if self.average is not None:
            N_old, N = self._average_counts(m)
            for k, (a, p) in enumerate(zip(self.average, self.params, strict=True)):
                a *= N_old / N
                a += (N - N_old) / N * p
                if weighted is not None:
                    a += weighted[k]
        self.t += m
        if change is not None:
            for p, d in zip(self.params, change, strict=True):
                p += d

    def columns(self, mask):
        """A copy of the optimizer for the output columns in ``mask`` alone.

        Its steps move copies of those columns (and of their average);
        ``set_columns`` puts them back.  One-vs-rest outputs train
        independently: the online perceptron trains only those that have not
        stopped, whose weights and average stay as they were when they stopped.
        """
        part = copy.copy(self)
        part.params = [p[..., mask] for p in self.params]
        if self.average is not None:
            part.average = [a[..., mask] for a in self.average]
        return part

    def set_columns(self, mask, part):
        """Take back the columns and the step count of ``columns(mask)``."""
        for p, q in zip(self.params, part.params, strict=True):
            p[..., mask] = q
        if self.average is not None:
            for a, q in zip(self.average, part.average, strict=True):
                a[..., mask] = q
        self.t = part.t

    def model_params(self):
        """The parameters that define the model: the average, if averaging."""
        return self.params if self.average is None else self.average

    def decay(self):
        """Adaptive schedule: ``gamma_0 / 5`` after a stall; False when too small."""
        if self.learning_rate != "adaptive" or self.gamma0 / 5 < MIN_LEARNING_RATE:
            return False
        self.gamma0 /= 5
        return True

    def back_off(self):
        """Halve a constant step after an epoch that raised the loss.

        Averaged SGD's automatic step is bold (``_training.auto_step_size``);
        where the curvature really is as large as its bound the iterates
        oscillate and the average stops improving; halving brings the step
        back under the stable range.  Only the "auto" step of "asgd"
        (``learning_rate="safeguarded"``) does this.
        """
        if self.learning_rate == "safeguarded":
            self.gamma0 /= 2


def update_average(average, params, n):
    """``Wbar^(n) = n / (n + 1) Wbar^(n-1) + 1 / (n + 1) W^(n)``, in place.

    Written as ``Wbar += (W - Wbar) / (n + 1)``: the same recurrence with one
    multiply per coefficient.
    """
    for a, p in zip(average, params, strict=False):
        a += (p - a) / (n + 1)


def minimize_lbfgs(
    objective, params, X, T, s, *, max_iter, tol, callback, max_fun=15000
):
    """Minimise ``objective`` with scipy's L-BFGS-B, starting from ``params``.

    scipy works on one float64 vector; the objective is evaluated in the dtype
    of ``params`` (float32 stays float32 in the heavy matrix products).
    ``callback(params, value)`` runs after each iteration and returns True to
    stop (early stopping, sklearn callbacks).  Returns (params, scipy result).
    """
    shapes = [p.shape for p in params]
    dtype = params[0].dtype
    splits = np.cumsum([p.size for p in params])[:-1]

    def unflatten(theta):
        return [
            part.reshape(shape).astype(dtype, copy=False)
            for part, shape in zip(np.split(theta, splits), shapes, strict=False)
        ]

    def fun(theta):
        value, grads = objective.value_and_grad(unflatten(theta), X, T, s)
        return value, np.concatenate([g.ravel() for g in grads]).astype(np.float64)

    def scipy_callback(intermediate_result):
        if callback(unflatten(intermediate_result.x), intermediate_result.fun):
            raise StopIteration

    result = scipy.optimize.minimize(
        fun,
        np.concatenate([p.ravel() for p in params]).astype(np.float64),
        method="L-BFGS-B",
        jac=True,
        callback=scipy_callback,
        options={
            "maxiter": max_iter,
            "maxfun": max_fun,
            "maxls": 50,
            "gtol": tol,
            # Relative decrease below a few ulps of the working dtype is noise.
            "ftol": 64 * np.finfo(dtype).eps,
        },
    )
    return unflatten(result.x), result


# -- The MLP's optimizers: momentum and Adam, as scikit-learn's -----------------
#
# They offer what the training loop asks of ``Optimizer`` (``params``,
# ``step``, ``gamma``, ``average``, ``model_params``, ``decay``, ``back_off``)
# and ``end_epoch(n_samples)``, which the MLP's epochs call.  ``learning_rate``
# is the current step size, as in scikit-learn's ``_stochastic_optimizers``.


class MomentumSGD:
    """SGD with momentum ``mu``, scikit-learn's ``solver="sgd"``:

        v <- mu v - gamma grad,    W <- W + v
        (Nesterov: W <- W + mu v - gamma grad, the step seen from ahead)

    ``schedule`` is scikit-learn's ``learning_rate``: "constant", "invscaling"
    (``gamma = gamma_0 / (t + 1) ** power_t`` after each epoch, ``t`` the
    samples seen) or "adaptive" (``gamma / 5`` after a stall).

    ``average_start`` (an int): keep the Polyak-Ruppert average of the
    iterates from that step on (``update_average``), which is then the model:
    the MLP's "asgd".
    """

    def __init__(
        self,
        params,
        *,
        schedule,
        gamma0,
        power_t,
        momentum,
        nesterov,
        samples_seen=0,
        average_start=None,
    ):
        self.params = params
        self.schedule = schedule
        self.learning_rate = float(gamma0)
        self.gamma0 = float(gamma0)
        self.power_t = power_t
        self.momentum = momentum
        self.nesterov = nesterov
        self.samples_seen = samples_seen
        self.t = 0
        self.velocities = [np.zeros_like(p) for p in params]
        self.average_start = average_start
        self.average = None if average_start is None else [p.copy() for p in params]

    @property
    def gamma(self):
        return self.learning_rate

    def step(self, grads):
        mu, gamma = self.momentum, self.learning_rate
        for p, v, g in zip(self.params, self.velocities, grads, strict=True):
            g *= gamma  # the gradient is ours to scale: one array less
            v *= mu
            v -= g
            if self.nesterov:
                p += mu * v
                p -= g
            else:
                p += v
        self.t += 1
        if self.average is not None:
            n = max(self.t - self.average_start, 0)
            update_average(self.average, self.params, n)

    def end_epoch(self, n_samples):
        self.samples_seen += n_samples
        if self.schedule == "invscaling":
            self.learning_rate = self.gamma0 / (self.samples_seen + 1) ** self.power_t

    def model_params(self):
        return self.params if self.average is None else self.average

    def decay(self):
        """Divide ``gamma`` by 5 after a stall ("adaptive"); False (stop) with
        the other schedules, or once ``gamma`` is at most ``MIN_LEARNING_RATE``
        (scikit-learn's rule)."""
        if self.schedule != "adaptive" or self.learning_rate <= MIN_LEARNING_RATE:
            return False
        self.learning_rate /= 5
        return True

    def back_off(self):
        """A rising epoch loss is no reason to change this step size."""


class Adam:
    """Adam (Kingma and Ba, 2015), scikit-learn's ``solver="adam"``:

        m <- beta_1 m + (1 - beta_1) grad,    v <- beta_2 v + (1 - beta_2) grad^2
        W <- W - gamma_t m / (sqrt(v) + epsilon),
        gamma_t = gamma_0 sqrt(1 - beta_2^t) / (1 - beta_1^t)

    (the bias corrections of ``m`` and ``v`` folded into the step size).
    """

    average = None

    def __init__(self, params, *, gamma0, beta_1, beta_2, epsilon):
        self.params = params
        self.gamma0 = float(gamma0)
        self.learning_rate = float(gamma0)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.t = 0
        self.ms = [np.zeros_like(p) for p in params]
        self.vs = [np.zeros_like(p) for p in params]

    @property
    def gamma(self):
        return self.learning_rate

    def step(self, grads):
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        self.learning_rate = self.gamma0 * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        for p, m, v, g in zip(self.params, self.ms, self.vs, grads, strict=True):
            m *= b1
            m += (1 - b1) * g
            g *= g  # the gradient is ours: square it in place
            v *= b2
            v += (1 - b2) * g
            # W -= gamma_t m / (sqrt(v) + eps), with one scratch array (g).
            np.sqrt(v, out=g)
            g += self.epsilon
            np.divide(m, g, out=g)
            g *= self.learning_rate
            p -= g

    def end_epoch(self, n_samples):
        """Adam's step size depends on the steps alone."""

    def model_params(self):
        return self.params

    def decay(self):
        return False  # a stall stops Adam, as in scikit-learn

    def back_off(self):
        """A rising epoch loss is no reason to change this step size."""
