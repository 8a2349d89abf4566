"""Optimizers: gradient steps, step-size schedules, averaging, and L-BFGS.

Slides "Gradient descent" and "(averaged) stochastic gradient descent":

    W^(n)   = W^(n-1) - gamma^(n) grad L(W^(n-1), S)          (one step)
    Wbar^(n) = n / (n + 1) Wbar^(n-1) + 1 / (n + 1) W^(n)     (averaging)

``S`` is a minibatch; the full training set gives gradient descent.  All
functions update lists of parameter arrays in place, so one optimizer serves
every model.  Symbols: ``gamma`` step size (``learning_rate_init`` and its
``learning_rate`` schedule in the API),
``t`` number of steps taken so far.
"""

import copy
import math

import numpy as np
import scipy.optimize

from . import _fast_numpy
from ._array_api import ops_of, to_host

#: Below this step size the "adaptive" schedule gives up, as scikit-learn's MLP.
MIN_LEARNING_RATE = 1e-6


def lipschitz_constant(model, X, s, curvature, alpha):
    """A bound ``L`` on the Lipschitz constant of the objective's gradient.

    For a linear model ``a = phi W + b`` and a loss whose Hessian in ``a`` is at
    most ``curvature`` (1/2 for softmax cross-entropy, Boehning's bound; 1/4 for
    the logistic loss; 1 for squared error), the Hessian of
    ``E(W) = 1/n sum s_n E_n + alpha/2 ||W||^2`` is at most
    ``curvature * lambda_max(X~^T S X~) / n + alpha``; the model knows its
    ``X~`` (``model.largest_eigenvalue``).

    Gradient descent decreases ``E`` at every step when ``0 < gamma < 2 / L``
    (slide "Gradient descent"); ``gamma = 1 / L`` stays inside that interval even
    if the power iteration under-estimates ``lambda_max`` by up to a half.
    """
    return curvature * model.largest_eigenvalue(X, s) + alpha


class Steps:
    """What every optimizer offers the training loop: the protocol.

    An optimizer is changed only through its methods; this is all that the
    training loop (``_training``) uses of it:

    - ``step(grads, scale)``: one step from a minibatch's gradients (which
      it leaves as they are); ``end_epoch(n_samples)``: schedules by epoch;
    - ``model_params()``: the model (the average, when averaging);
      ``params``: the iterates, read only; ``gamma``: the current step size;
    - ``decay()`` after a stall (True: go on with a smaller step),
      ``back_off()`` after an epoch that raised the loss;
    - ``averaging`` (the average has begun: it is the model),
      ``has_average``, ``takes_penalty_step``.

    ``Optimizer`` adds averaging, the penalty's step, and what the
    one-vs-rest outputs and the online perceptron's blocks need; ``Adam``
    needs none of it.
    """

    has_average = False  # no average of the iterates is kept
    averaging = False
    takes_penalty_step = False  # the gradients include the penalty

    def __init__(self, params, *, gamma0):
        self.params = params
        self.gamma0 = gamma0
        self.t = 0

    def __getstate__(self):
        """What a copy or a saved model keeps: not the work arrays, nor the
        seam (a module; found again from ``params``)."""
        state = self.__dict__.copy()
        state.pop("_scratch", None)
        state.pop("_fast", None)
        return state

    @property
    def fast(self):
        """The seam its arrays compute through (``_array_api.ops``), found
        from ``params`` once."""
        fast = self.__dict__.get("_fast")
        if fast is None:
            fast = self._fast = ops_of(self.params[0])
        return fast

    @property
    def gamma(self):
        return self.gamma0

    def step(self, grads, scale=1.0):
        raise NotImplementedError

    def end_epoch(self, n_samples):
        """Called after each epoch of ``n_samples`` (schedules by epoch)."""

    def model_params(self):
        return self.params

    def decay(self):
        return False  # a stall stops training

    def back_off(self):
        pass


class Optimizer(Steps):
    """Minibatch (averaged) stochastic gradient descent; full batches give GD.

    Parameters
    ----------
    params : list of ndarray
        The starting point; updated in place by :meth:`step`.
    schedule : {"constant", "invscaling", "adaptive", "safeguarded"}
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
    average_start : int
        The number of steps before the iterates enter the average.
    penalty : PenaltyStep or None
        The penalty's own step after each gradient step (the gradients then
        hold the data term alone); None: the gradients include the penalty.

    Notes
    -----
    Besides ``Steps``' protocol: ``columns(mask)`` / ``set_columns(mask,
    part)`` train some outputs alone (one-vs-rest); ``shrink()``,
    ``average_weights(m)``, ``advance(m, ...)`` take ``m`` steps at once,
    known by their sums (the online perceptron's blocks, ``_online``).
    """

    def __init__(
        self,
        params,
        *,
        schedule,
        gamma0,
        power_t=0.5,
        average=False,
        average_start=0,
        penalty=None,
    ):
        super().__init__(params, gamma0=gamma0)
        self.schedule = schedule
        self.power_t = power_t
        # (order="K": the average in the memory order of the weights)
        self.average = [self.copy(p) for p in params] if average else None
        self.average_start = average_start
        self.penalty = penalty

    def copy(self, p):
        """A copy of ``p`` in its memory order (NumPy's), or on its device."""
        if isinstance(p, np.ndarray):
            return p.copy(order="K")
        return self.fast.copy(p)

    @property
    def gamma(self):
        if self.schedule == "invscaling":
            return self.gamma0 / (self.t + 1) ** self.power_t
        return self.gamma0

    def step(self, grads, scale=1.0):
        """``W <- W - gamma grad``, the penalty's step, then the running average.

        ``scale`` shortens the step of a minibatch smaller than the others
        (``_training.minibatch_epoch``), so that each sample moves the weights
        by the same amount whatever batch it falls in.
        """
        gamma = scale * self.gamma
        for p, g in zip(self.params, grads, strict=False):
            p -= gamma * g
        if self.penalty is not None:
            self.penalty.step(self.params, gamma)
        self.advance(1)  # the step has moved params: one more iterate, them

    def columns(self, mask):
        """A copy of this optimizer for the output columns in ``mask`` alone.

        Its steps move copies of those columns (of the weights, the average
        and the L1 penalty's record); ``set_columns`` puts them back.
        One-vs-rest outputs train independently: only those that have not
        stopped are trained, and the others keep their weights and average
        as they were when they stopped.
        """
        part = copy.copy(self)
        part.params = [p[..., mask] for p in self.params]
        if self.average is not None:
            part.average = [a[..., mask] for a in self.average]
        if self.penalty is not None:
            part.penalty = self.penalty.columns(mask, self.params)
        return part

    def set_columns(self, mask, part):
        """Take back the columns and the step count of ``columns(mask)``."""
        for p, q in zip(self.params, part.params, strict=True):
            p[..., mask] = q
        if self.average is not None:
            for a, q in zip(self.average, part.average, strict=True):
                a[..., mask] = q
        if self.penalty is not None:
            self.penalty.set_columns(mask, part.penalty)
        self.t = part.t

    def shrink(self):
        """``rho``: the L2 penalty's factor on the penalised weights after
        each step (1: no penalty), for the online block solver."""
        if self.penalty is None:
            return 1.0
        return max(0.0, 1.0 - self.gamma * self.penalty.l2)

    def advance(self, m, change=None, weighted=None, shrunk=1.0):
        """Count ``m`` steps and fold their iterates into the average.

        ``step`` has moved ``params`` and calls ``advance(1)``: one more
        iterate, ``params`` itself.  ``_online``'s blocks take ``m`` steps at
        once, known by their sums: the penalised weights are first multiplied
        by ``shrunk`` (the L2 penalty's ``rho^m``; no average then), then
        moved by ``change``, the sum of the steps' moves (None: no move).
        Of the ``N`` iterates in the average after the m steps, the last
        ``N - N_old`` are new, each ``W_0`` (``params`` before the move) plus
        the steps before it: ``update_average`` folds in ``N - N_old`` times
        ``W_0``, then ``weighted`` (the sum of the moves with the
        ``average_weights``) adds the steps.
        """
        if shrunk != 1.0:
            for W in self.params[: self.penalty.n_penalized]:
                W *= shrunk
        if self.average is not None:
            N_old, N = self.average_counts(m)
            update_average(self.average, self.params, N - 1, new=N - N_old)
            if weighted is not None:
                for a, w in zip(self.average, weighted, strict=True):
                    a += w
        self.t += m
        if change is not None:
            for p, d in zip(self.params, change, strict=True):
                p += d

    def average_counts(self, m):
        """Iterates in the average before ``m`` steps that remain, and in it after."""
        N_old = max(self.t - self.average_start + 1, 0)
        N = max(self.t + m - self.average_start, 0) + 1
        return N_old, N

    def average_weights(self, m):
        """Each of ``m`` steps' weight in the average after them.

        Step i of the m (from 0) moves every later iterate: of the ``N``
        iterates in the average after the m steps, those among the m, ``N_in``
        of them (the last ones), at most ``m - i``.  Its weight is that count
        over ``N``.
        """
        N_old, N = self.average_counts(m)
        return np.minimum(m - np.arange(m), N - N_old) / N

    @property
    def takes_penalty_step(self):
        """Whether ``step`` takes the penalty's step itself: the gradients it
        is given then hold the data term alone."""
        return self.penalty is not None

    @property
    def has_average(self):
        """Whether the average of the iterates is kept (it is the model)."""
        return self.average is not None

    def model_params(self):
        """The parameters that define the model: the average, if averaging."""
        return self.params if self.average is None else self.average

    @property
    def averaging(self):
        """Whether the average has begun: before, it is the last iterate."""
        return self.average is not None and self.t > self.average_start

    def decay(self):
        """Adaptive schedule: ``gamma_0 / 5`` after a stall; False when too small."""
        if self.schedule != "adaptive" or self.gamma0 / 5 < MIN_LEARNING_RATE:
            return False
        self.gamma0 /= 5
        return True

    def back_off(self):
        """Halve a constant step after an epoch that raised the loss.

        Averaged SGD's automatic step is bold (``auto_step_size``); where the
        curvature really is as large as its bound the iterates oscillate and
        the average stops improving; halving brings the step back under the
        stable range.  Only the "auto" step of "asgd"
        (``schedule="safeguarded"``) does this.
        """
        if self.schedule == "safeguarded":
            self.gamma0 /= 2


class PenaltyStep:
    """The penalty's step of stochastic gradient descent, as scikit-learn's SGD.

    After the data term's step, the L2 part shrinks the weights,
    ``W <- max(0, 1 - gamma alpha (1 - rho)) W``: the gradient step of
    ``alpha (1 - rho) / 2 ||W||^2`` when ``gamma alpha (1 - rho) < 1``, and
    never past zero when the step is larger (a plain gradient step would flip
    the weights' sign and diverge).  The L1 part is the cumulative truncated
    step of Tsuruoka, Tsujii and Ananiadou (2009): each weight is pulled
    toward zero by the L1 penalty accumulated so far that it has not yet
    received, and stops *at* zero, so that L1 gives exact zeros (a subgradient
    step ``alpha rho sign(W)`` only makes them jitter around zero).
    """

    def __init__(self, alpha, l1_ratio, n_penalized):
        self.l2 = alpha * (1 - l1_ratio)
        self.l1 = alpha * l1_ratio
        # The penalised arrays lead ``params`` (``_models``): a count, not the
        # model's method, so that a fitted optimizer holds data only.
        self.n_penalized = n_penalized
        self.u = 0.0  # the L1 penalty each weight could have received so far
        self.q = None  # what each weight did receive (<= 0 pulls it down)

    def step(self, params, gamma):
        arrays = params[: self.n_penalized]
        if self.l2:
            for W in arrays:
                W *= max(0.0, 1.0 - gamma * self.l2)
        if self.l1:
            self.truncate_l1(arrays, gamma)

    def columns(self, mask, params):
        """A copy for the output columns in ``mask`` of ``params``
        (``Optimizer.columns``), with their share of the L1 record."""
        part = copy.copy(self)
        if self.l1:
            if self.q is None:
                self.q = [np.zeros_like(W) for W in params[: self.n_penalized]]
            part.q = [q[..., mask] for q in self.q]
        return part

    def set_columns(self, mask, part):
        """Take back the L1 record of ``columns(mask)``: what the trained
        columns received, and the penalty accumulated over its steps."""
        if self.l1:
            for q, r in zip(self.q, part.q, strict=True):
                q[..., mask] = r
        self.u = part.u

    def truncate_l1(self, arrays, gamma):
        """``w <- max(0, w - (u + q))`` if ``w > 0``, ``min(0, w + (u - q))`` if
        ``w < 0``, in one expression: ``sign(w) max(0, |w| - u - sign(w) q)``."""
        if self.q is None:
            self.q = [np.zeros_like(W) for W in arrays]
        self.u += gamma * self.l1
        for W, q in zip(arrays, self.q, strict=True):
            sign = np.sign(W)
            truncated = np.abs(W)
            truncated -= self.u
            truncated -= sign * q
            np.maximum(truncated, 0.0, out=truncated)
            truncated *= sign
            q += truncated  # q += w_new - w: the penalty w received
            q -= W
            W[...] = truncated


def update_average(average, params, n, new=1):
    """``Wbar^(n) = n / (n + 1) Wbar^(n-1) + 1 / (n + 1) W^(n)``, in place.

    ``average`` holds the mean of the iterates before ``W^(n)``.  With
    ``new > 1`` the last ``new`` iterates all equal ``params`` (the online
    perceptron's blocks, ``Optimizer.advance``): they weigh ``new / (n + 1)``,
    the ``n + 1 - new`` before them ``(n + 1 - new) / (n + 1)``.
    """
    for a, p in zip(average, params, strict=False):
        a *= (n + 1 - new) / (n + 1)
        a += new / (n + 1) * p


def minimize_lbfgs(
    objective, params, X, T, s, *, max_iter, tol, callback, max_fun=15000
):
    """Minimise ``objective`` with scipy's L-BFGS-B, starting from ``params``.

    scipy works on one float64 vector, on the host; the objective is
    evaluated in the dtype of ``params`` (float32 stays float32 in the heavy
    matrix products), where they live: on a device, ``theta`` goes there and
    the gradient comes back, one transfer each way per evaluation (as
    scikit-learn's ``LogisticRegression`` does).  ``callback(params, value)``
    runs after each iteration and returns True to stop (early stopping,
    sklearn callbacks).  Returns (params, scipy result).
    """
    fast = objective.fast
    shapes = [tuple(p.shape) for p in params]
    dtype = params[0].dtype
    ends = np.cumsum([math.prod(shape) for shape in shapes]).tolist()
    splits = ends[:-1]

    def unflatten(theta):
        if fast.xp is not np or theta.dtype != dtype:
            theta = fast.array(theta, dtype)  # (on a device: one transfer there)
        # Views of theta, by slicing (np.split costs more than a small model's
        # evaluation of the objective).
        return [
            fast.xp.reshape(theta[start:end], shape)
            for start, end, shape in zip([0, *splits], ends, shapes, strict=True)
        ]

    def flat(grads):
        if fast.xp is not np:  # one array back to the host
            xp = fast.xp
            grads = [to_host(xp.concat([xp.reshape(g, (-1,)) for g in grads]))]
        return np.concatenate([g.ravel() for g in grads]).astype(np.float64)

    def fun(theta):
        value, grads = objective.value_and_grad(unflatten(theta), X, T, s)
        return float(value), flat(grads)

    def scipy_callback(intermediate_result):
        if callback(unflatten(intermediate_result.x), intermediate_result.fun):
            raise StopIteration

    with _fast_numpy.scipy_blas_on_one_thread():  # (its threads spin: no use)
        result = scipy.optimize.minimize(
            fun,
            flat(params),
            method="L-BFGS-B",
            jac=True,
            callback=scipy_callback,
            options={
                "maxiter": max_iter,
                "maxfun": max_fun,
                "maxls": 50,
                "gtol": tol,
                # Relative decrease below a few ulps of the working dtype is noise.
                "ftol": 64 * float(fast.xp.finfo(dtype).eps),
            },
        )
    return unflatten(result.x), result


# --- choosing the optimizer and its step size ------------------------------------


def batch_size_of(cfg, n_samples, partial=False):
    """The minibatch size: all samples for "gd" and when a batch holds them all.

    A chunk of ``partial_fit`` is part of a stream, never the whole data:
    it keeps the batch size even when it is smaller.
    """
    batch_size = 200 if cfg.batch_size == "auto" else cfg.batch_size
    if cfg.solver == "gd" or (batch_size >= n_samples and not partial):
        return n_samples
    return batch_size


def is_full_batch(cfg, n_samples, partial=False):
    """Each step sees all samples: the minibatch solvers are then plain GD."""
    return batch_size_of(cfg, n_samples, partial) == n_samples and not partial


def make_optimizer(cfg, objective, params, X, s, partial=False):
    """The optimizer that ``cfg`` asks for, starting from ``params``.

    Averaging starts after the first epoch: the first iterates, far from the
    optimum, would otherwise weigh on the average for a long time.  With full
    batches there is no gradient noise for the average to cancel.
    """
    schedule, gamma0 = cfg.learning_rate, cfg.learning_rate_init
    if schedule == "auto":
        schedule, gamma0 = auto_step_size(cfg, objective, X, s, partial)
    B = batch_size_of(cfg, X.shape[0], partial)
    average_start = cfg.average_start
    if average_start is None:
        average_start = -(-X.shape[0] // B)
    penalty = None
    if objective.penalty.alpha:
        n_penalized = len(objective.model.penalized(params))
        alpha, l1_ratio = objective.penalty.alpha, objective.penalty.l1_ratio
        penalty = PenaltyStep(alpha, l1_ratio, n_penalized)
    return Optimizer(
        params,
        schedule=schedule,
        gamma0=gamma0,
        power_t=cfg.power_t,
        average=cfg.solver == "asgd" and not is_full_batch(cfg, X.shape[0], partial),
        average_start=average_start,
        penalty=penalty,
    )


#: Averaged SGD forgives steps beyond 2 / L(B): the worst-case curvature in L(B)
#: is far above the curvature near the optimum, where most predictions are
#: confident, and the average smooths the iterates' oscillation (Bach and
#: Moulines, 2013).  16 was the largest factor that trained scaled MNIST,
#: digits, iris, wine and breast-cancer well (benchmarks/, docs/design.md).
ASGD_STEP_FACTOR = 16


def auto_step_size(cfg, objective, X, s, partial=False):
    """``learning_rate="auto"``: a step size from the curvature of the objective.

    Full-batch GD takes ``gamma = 1 / L``, inside the slide's ``0 < gamma < 2/L``,
    so the loss decreases at every step.  A minibatch of ``B`` of the ``n``
    samples, drawn without replacement, is smooth with constant

        L(B) = n (B - 1) / (B (n - 1)) L + (n - B) / (B (n - 1)) L_max

    (Gower et al., 2019, "SGD: general analysis and improved rates"), between
    the full objective's ``L`` and the largest single-sample ``L_max``.  A
    stream (``partial_fit``) has no ``n``: its first chunk estimates ``L`` and
    ``L_max``, and ``n -> infinity`` gives ``((B - 1) L + L_max) / B``.  "sgd"
    starts at ``1 / L(B)`` and divides it by 5 whenever the loss stalls
    ("adaptive"); "asgd" keeps ``ASGD_STEP_FACTOR / L(B)``, halved after any
    epoch that raises the loss ("safeguarded").  When a batch holds all the
    data, every solver is gradient descent.
    """
    model, curvature = objective.model, objective.loss.curvature
    alpha = objective.penalty.alpha
    n = X.shape[0]
    if is_full_batch(cfg, n, partial):
        return "constant", 1.0 / lipschitz_constant(model, X, s, curvature, alpha)
    # For a stochastic step size an estimate of L from a subsample will do.
    rows = slice(None, None, max(1, n // 10_000))
    L = lipschitz_constant(model, X[rows, ...], s[rows], curvature, alpha)
    L_max = curvature * model.max_squared_row_norm(X) + alpha
    B = batch_size_of(cfg, n, partial)
    if partial:
        L_B = ((B - 1) * L + L_max) / B
    else:
        L_B = (n * (B - 1) * L + (n - B) * L_max) / (B * (n - 1))
    if cfg.solver == "asgd":
        return "safeguarded", ASGD_STEP_FACTOR / L_B
    return "adaptive", 1.0 / L_B


# --- the MLP's optimizers: momentum and Adam, as scikit-learn's -------------------


def scratch(optimizer, grads):
    """Work arrays shaped as ``grads``, kept between steps: the caller's
    gradients stay as they were, and no step allocates.  (Not saved with the
    optimizer: ``__getstate__`` leaves them out.)"""
    work = optimizer.__dict__.get("_scratch")
    if work is None or any(
        w.shape != g.shape or w.dtype != g.dtype
        for w, g in zip(work, grads, strict=True)
    ):
        if not isinstance(grads[0], np.ndarray):
            return [None] * len(grads)  # another library: no out=, no scratch
        work = optimizer._scratch = [np.empty_like(g) for g in grads]
    return work


class MomentumSGD(Optimizer):
    """SGD with momentum ``mu``, scikit-learn's MLP ``solver="sgd"``:

        v <- mu v - gamma grad,    W <- W + v
        (Nesterov: W <- W + mu v - gamma grad, the step seen from ahead)

    Its schedules are those of scikit-learn's MLP: "constant"; "invscaling",
    ``gamma = gamma_0 / (t + 1) ** power_t`` after each epoch with ``t`` the
    samples seen; "adaptive", ``gamma / 5`` after a stall, until it is at most
    ``MIN_LEARNING_RATE``.  With ``average`` the Polyak-Ruppert average of the
    iterates is the model (the MLP's "asgd").
    """

    def __init__(self, params, *, momentum, nesterov, samples_seen=0, **kwargs):
        super().__init__(params, **kwargs)
        # The current step size, under scikit-learn's name (its tests read
        # ``_optimizer.learning_rate``); ``gamma0`` is the first.
        self.learning_rate = float(self.gamma0)
        self.momentum = momentum
        self.nesterov = nesterov
        self.samples_seen = samples_seen
        self.end_epoch(0)
        self.velocities = [self.fast.xp.zeros_like(p) for p in params]

    @property
    def gamma(self):
        return self.learning_rate

    def step(self, grads, scale=1.0):
        """scikit-learn's step: a full one for every batch, whatever its size
        (``scale`` is ignored: the user's step size is per batch)."""
        mu, gamma, fast = self.momentum, self.learning_rate, self.fast
        for p, v, g, work in zip(
            self.params, self.velocities, grads, scratch(self, grads), strict=True
        ):
            work = fast.multiply(g, gamma, out=work)  # gamma grad
            v *= mu
            v -= work
            if self.nesterov:
                p -= work
                p += fast.multiply(v, mu, out=work)  # mu v without a temporary
            else:
                p += v
        self.advance(1)  # the step has moved params: one more iterate, them

    def end_epoch(self, n_samples):
        self.samples_seen += n_samples
        if self.schedule == "invscaling":
            self.learning_rate = self.gamma0 / (self.samples_seen + 1) ** self.power_t

    def decay(self):
        """After a stall: start the average (if it waits for one, the MLP's
        "asgd"), else divide ``gamma`` by 5 ("adaptive"); False (stop) with
        the other schedules, or once ``gamma`` is at most ``MIN_LEARNING_RATE``
        (scikit-learn's rule)."""
        if self.average is not None and self.average_start == math.inf:
            self.average_start = self.t  # the iterates from here on
            return True
        if self.schedule != "adaptive" or self.learning_rate <= MIN_LEARNING_RATE:
            return False
        self.learning_rate /= 5
        return True


class Adam(Steps):
    """Adam (Kingma and Ba, 2015), scikit-learn's MLP ``solver="adam"``:

        m <- beta_1 m + (1 - beta_1) grad,    v <- beta_2 v + (1 - beta_2) grad^2
        W <- W - gamma_t m / (sqrt(v) + epsilon),
        gamma_t = gamma_0 sqrt(1 - beta_2^t) / (1 - beta_1^t)

    (the bias corrections of ``m`` and ``v`` folded into the step size).

    The moments are stored divided by their weights, ``m~ = m / (1 - beta_1)``
    (``ms``) and ``v~ = v / (1 - beta_2)`` (``vs``), so that each recurrence
    is one scaling and one addition, ``m~ <- beta_1 m~ + grad``; the constant
    factors move to the step:

        W <- W - gamma_t (1 - beta_1) / sqrt(1 - beta_2) m~ / (sqrt(v~) + epsilon')
        epsilon' = epsilon / sqrt(1 - beta_2)

    the same step, rounded differently: 10 passes over each array instead
    of 12, and no temporary array (a step on MNIST's 784 x 100 weights costs
    little more than its square roots).
    """

    def __init__(self, params, *, gamma0, beta_1, beta_2, epsilon):
        super().__init__(params, gamma0=gamma0)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.ms = [self.fast.xp.zeros_like(p) for p in params]
        self.vs = [self.fast.xp.zeros_like(p) for p in params]

    @property
    def gamma(self):
        b1, b2, t = self.beta_1, self.beta_2, max(self.t, 1)
        return self.gamma0 * math.sqrt(1 - b2**t) / (1 - b1**t)

    def step(self, grads, scale=1.0):
        """scikit-learn's step: a full one for every batch (``scale`` ignored)."""
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        gamma = self.gamma * (1 - b1) / math.sqrt(1 - b2)
        epsilon = self.epsilon / math.sqrt(1 - b2)
        fast = self.fast
        for p, m, v, g, work in zip(
            self.params, self.ms, self.vs, grads, scratch(self, grads), strict=True
        ):
            m *= b1
            m += g  # m~ <- beta_1 m~ + grad
            v *= b2
            v += fast.multiply(g, g, out=work)  # v~ <- beta_2 v~ + grad^2
            # W -= gamma' m~ / (sqrt(v~) + epsilon'), with one scratch array.
            work = fast.sqrt(v, out=work)
            work += epsilon
            work = fast.divide(m, work, out=work)
            work *= gamma
            p -= work


def make_mlp_optimizer(cfg, objective, params, X, s, partial=False):
    """The MLPs' optimizer (``make_optimizer``'s signature): scikit-learn's
    steps, Adam or SGD with (Nesterov's) momentum, from ``cfg`` alone.

    "asgd" is "sgd" until its training loss (or validation score) first
    stalls: there, where "sgd" would stop, the Polyak-Ruppert average of
    the iterates from then on becomes the model, until its loss stalls.
    Averaging earlier drags the average back toward iterates far from
    the optimum of a non-convex loss still being descended (at the
    defaults, digits 0.870 against sgd's 0.916).  Without a stopping
    rule (``partial_fit``, ``tol=None``) the average starts after the
    first epoch.  A batch that holds all the data has no gradient noise
    to average.  The "invscaling" schedule goes on from the samples
    already seen (``cfg.samples_seen``: the fitted ``t_``).
    """
    p = cfg.parameters
    if cfg.solver == "adam":
        return Adam(
            params,
            gamma0=cfg.learning_rate_init,
            beta_1=p["beta_1"],
            beta_2=p["beta_2"],
            epsilon=p["epsilon"],
        )
    n = X.shape[0]
    return MomentumSGD(
        params,
        schedule=cfg.learning_rate,
        gamma0=cfg.learning_rate_init,
        power_t=cfg.power_t,
        momentum=p["momentum"],
        nesterov=p["nesterovs_momentum"],
        samples_seen=cfg.samples_seen,
        average=cfg.solver == "asgd" and not is_full_batch(cfg, n, partial),
        average_start=(
            -(-n // batch_size_of(cfg, n, partial))
            if partial or cfg.tol is None
            else math.inf
        ),
    )
