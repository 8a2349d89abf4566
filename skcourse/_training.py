"""The one training loop that every estimator of skcourse shares.

An estimator brings a model and a loss (an ``_models.Objective``), starting
parameters, and the training data as ``X`` (features), ``T`` (targets as the
loss wants them), ``s`` (sample weights) and ``y`` (labels, for the stratified
validation split and the validation score).  This module does the rest:
shuffling, minibatches, the epoch loop or L-BFGS, stopping on ``tol`` /
``n_iter_no_change``, early stopping on a validation split (restoring the best
weights), ``loss_curve_``, ``verbose`` lines, scikit-learn callbacks, a
``ConvergenceWarning`` at ``max_iter`` and a clear error when training diverges.

The estimator's training parameters arrive as a ``Config``: the public names
of scikit-learn's MLP, which mean the same in every estimator of skcourse (an
estimator whose public names differ, like the Perceptron's ``eta0``, maps them).
"""

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.base import is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state, gen_batches
from threadpoolctl import threadpool_limits

from ._models import Linear
from ._optimizers import (
    Optimizer,
    lipschitz_constant,
    max_squared_row_norm,
    minimize_lbfgs,
)


@dataclass
class Config:
    """The training parameters, named as in scikit-learn's MLP."""

    solver: str = "sgd"  # "gd", "sgd", "asgd" or "lbfgs"
    learning_rate: str = "constant"  # or "auto", "invscaling", "adaptive"
    learning_rate_init: float = 0.001
    power_t: float = 0.5
    batch_size: object = "auto"
    max_iter: int = 200
    tol: float = 1e-4  # None: no stopping rule, max_iter epochs
    n_iter_no_change: int = 10
    shuffle: bool = True
    early_stopping: bool = False
    validation_fraction: float = 0.1
    random_state: object = None
    verbose: object = 0
    warm_start: bool = False
    # "asgd": the step from which the iterates are averaged; None: one epoch.
    average_start: object = None
    # L-BFGS: the most evaluations of the objective (scikit-learn's MLP's max_fun).
    max_fun: int = 15000
    # Hooks of the MLP (issue 8).  optimizer: a factory with new_optimizer's
    # signature (None: new_optimizer); epoch: an epoch function with
    # minibatch_epoch's signature (None: minibatch_epoch or online_epoch);
    # stop_on_gradient=False: full batches stop on a stalled loss too.
    optimizer: object = None
    epoch: object = None
    stop_on_gradient: bool = True

    @classmethod
    def from_estimator(cls, est, **overrides):
        """The estimator's parameters of these names, then ``overrides``."""
        params = est.get_params(deep=False)
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in params.items() if k in names}, **overrides)


@dataclass
class Validation:
    """A held-out part of the training data, for early stopping."""

    X: object
    T: np.ndarray
    s: np.ndarray
    y: np.ndarray
    score: object  # score(params, X, y, s) -> float, higher is better


@dataclass
class History:
    """What training records; becomes ``loss_curve_`` and friends."""

    loss_curve: list = field(default_factory=list)
    validation_loss_curve: list = field(default_factory=list)
    validation_scores: list = field(default_factory=list)
    n_iter: int = 0
    converged: bool = False


class Monitor:
    """End-of-epoch bookkeeping: curves, stopping rules, verbose, callbacks.

    ``end_epoch`` is called once per epoch (or per L-BFGS iteration) with the
    model's parameters and training objective, and says whether to stop.
    """

    def __init__(self, cfg, objective, history, *, validation, rule, callbacks):
        self.cfg = cfg
        self.objective = objective
        self.history = history
        self.validation = validation
        self.rule = rule
        self.callbacks = callbacks
        self.best = np.inf
        self.best_params = None
        self.stall = 0
        self.losses = None
        self.last_params = None  # what KeyboardInterrupt keeps (L-BFGS)
        self.clock = time.perf_counter()

    def end_epoch(self, params, loss, optimizer=None, gradient=None):
        """Record an epoch; True to stop.  ``gradient``: the last full gradient.

        ``loss`` may be an array, one loss per output trained on its own (the
        one-vs-rest perceptrons): each then stalls, and stops, on its own.
        An output that stopped is no longer trained: it keeps its last loss.
        """
        stopped = self.stopped_outputs()
        if stopped is not None:
            loss = np.where(stopped, self.losses, loss)
        self.losses = loss
        losses, loss = loss, float(np.sum(loss))
        check_finite(loss, optimizer, len(self.history.loss_curve) + 1)
        previous = self.history.loss_curve[-1] if self.history.loss_curve else np.inf
        if optimizer is not None and loss > previous:
            optimizer.back_off()  # the epoch raised the loss
        self.history.loss_curve.append(loss)
        self.history.n_iter += 1
        self.last_params = params
        criterion = losses if self.validation is None else -self.validate(params)
        self.track_best(criterion, params)
        if self.cfg.verbose:
            self.print_line(loss)
        stop = self.callbacks.end_epoch(params)
        if self.converged(optimizer, gradient):
            self.history.converged = True
            stop = True
        return stop

    def converged(self, optimizer, gradient):
        """The stopping rule: "stall" (stochastic solvers, early stopping),
        "gradient" (full-batch GD: the largest gradient component below tol),
        or None (L-BFGS, which applies its own tests)."""
        if self.rule == "gradient" and self.validation is None:
            return max(np.abs(g).max() for g in gradient) <= self.cfg.tol
        if self.rule is None or np.any(self.stall < self.cfg.n_iter_no_change):
            return False
        if optimizer is not None and optimizer.decay():
            self.stall = np.zeros_like(self.stall)  # "adaptive": smaller steps, go on
            return False
        return True

    def stopped_outputs(self):
        """The outputs that stalled on their own (None: all train together)."""
        if self.rule != "stall" or np.ndim(self.stall) == 0:
            return None
        return self.stall >= self.cfg.n_iter_no_change

    def stopped_outputs_mask(self):
        stopped = self.stopped_outputs()
        return False if stopped is None else stopped

    def validate(self, params):
        v = self.validation
        loss = self.objective.mean_loss(params, v.X, v.T, v.s)
        score = v.score(params, v.X, v.y, v.s)
        self.history.validation_loss_curve.append(loss)
        self.history.validation_scores.append(score)
        return score

    def track_best(self, criterion, params):
        # An epoch "improves" when it beats the best so far by more than tol.
        tol = 0.0 if self.cfg.tol is None else self.cfg.tol
        stall = np.where(criterion < self.best - tol, 0, self.stall + 1)
        # An output that stopped stays stopped, as scikit-learn ends its binary
        # fit: its first epoch with frozen weights may score better than the
        # moving ones did, but that is no progress of training.
        self.stall = np.where(self.stopped_outputs_mask(), self.stall + 1, stall)
        if np.any(criterion < self.best):
            self.best = np.minimum(criterion, self.best)
            if self.validation is not None:
                self.best_params = [p.copy() for p in params]

    def print_line(self, loss):
        h = self.history
        line = f"Epoch {h.n_iter:>4}  loss {loss:.6f}"
        if self.validation is not None:
            line += (
                f"  validation loss {h.validation_loss_curve[-1]:.6f}"
                f"  score {h.validation_scores[-1]:.4f}"
            )
        now = time.perf_counter()
        print(f"{line}  {now - self.clock:.2f}s")
        self.clock = now


def check_finite(loss, optimizer, epoch):
    """A diverging optimisation stops here, with the step size named."""
    if np.isfinite(loss):
        return
    if optimizer is None:
        raise FloatingPointError(
            f"The training loss became {loss} at iteration {epoch}."
        )
    raise FloatingPointError(
        f"The training loss became {loss} at epoch {epoch}: the learning rate "
        f"(step size {optimizer.gamma:.4g}) is too large for this data. Lower "
        "the learning rate (learning_rate_init), use learning_rate='auto', or "
        "standardise the features (StandardScaler)."
    )


class Callbacks:
    """scikit-learn's ``sklearn.callback`` hooks (scikit-learn >= 1.9), else nothing.

    ``fit`` is the root task and each epoch a subtask, so that ``ProgressBar``
    shows one bar per fit, also inside a ``GridSearchCV``.
    """

    def __init__(self, est, X, y, max_iter, fitted_attributes, enabled):
        self.est, self.X, self.y = est, X, y
        self.fitted_attributes = fitted_attributes
        self.context = None
        if enabled and hasattr(est, "_init_callback_context"):
            self.context = est._init_callback_context(max_subtasks=max_iter)
            self.context.call_on_fit_task_begin(estimator=est, X=X, y=y)

    def end_task(self, context, params):
        return context.call_on_fit_task_end(
            estimator=self.est,
            X=self.X,
            y=self.y,
            reconstruction_attributes=lambda: self.fitted_attributes(params),
        )

    def end_epoch(self, params):
        """Report a finished epoch; True if a callback asks to stop."""
        if self.context is None:
            return False
        # The loop learns of an epoch only when it ends (L-BFGS runs inside
        # scipy), so the epoch's task begins and ends here.
        epoch = self.context.subcontext(task_name="epoch")
        epoch.call_on_fit_task_begin(estimator=self.est, X=self.X, y=self.y)
        return self.end_task(epoch, params)

    def end_fit(self, params):
        if self.context is not None:
            self.end_task(self.context, params)


def split_validation(X, T, s, y, *, fraction, stratify, rng, score):
    """Hold out ``fraction`` of the data, stratified by class for classifiers.

    Stratifying needs two samples of each class and a validation set with room
    for every class; tiny data sets that lack them are split at random.
    """
    n = X.shape[0]
    n_val = int(np.ceil(fraction * n))
    if stratify:
        classes, counts = np.unique(y, return_counts=True)
        stratify = counts.min() >= 2 and len(classes) <= min(n_val, n - n_val)
    train, val = train_test_split(
        np.arange(n),
        test_size=n_val,
        stratify=y if stratify else None,
        random_state=rng,
    )
    validation = Validation(X[val], T[val], s[val], y[val], score)
    return X[train], T[train], s[train], y[train], validation


def train(
    est, cfg, objective, params, X, T, s, y, *, score, fitted_attributes, partial=False
):
    """Minimise ``objective`` from ``params`` as ``cfg`` (a ``Config``) says.

    Returns the model's parameters and the ``History``.  ``partial=True`` is one
    epoch of ``partial_fit``: no validation split, no stopping rule.  The
    stochastic solvers keep their state (step count, average, step size) in
    ``est._optimizer``, so that ``partial_fit`` and ``warm_start`` continue the
    same sequence of steps.
    """
    rng = check_random_state(cfg.random_state)
    # Weights of mean 1 make a minibatch's mean loss an unbiased estimate of the
    # objective, and make the objective invariant to rescaling the weights.
    s = s / s.mean()
    validation = None
    if cfg.early_stopping and not partial:
        X, T, s, y, validation = split_validation(
            X,
            T,
            s,
            y,
            fraction=cfg.validation_fraction,
            stratify=is_classifier(est),
            rng=rng,
            score=score,
        )
    max_iter = 1 if partial else cfg.max_iter
    history = History()
    callbacks = Callbacks(est, X, y, max_iter, fitted_attributes, enabled=not partial)
    monitor = Monitor(
        cfg,
        objective,
        history,
        validation=validation,
        rule=stopping_rule(cfg, partial, validation, X.shape[0]),
        callbacks=callbacks,
    )
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if cfg.solver == "lbfgs":
                params = run_lbfgs(cfg, objective, params, X, T, s, monitor)
            else:
                optimizer = getattr(est, "_optimizer", None)
                if optimizer is None or not (partial or cfg.warm_start):
                    optimizer = (cfg.optimizer or new_optimizer)(
                        cfg, objective, params, X, s
                    )
                est._optimizer = optimizer
                params = run_epochs(
                    cfg, objective, optimizer, X, T, s, monitor, rng, max_iter
                )
    except KeyboardInterrupt:
        params = interrupted(cfg, est, monitor, params)
        max_iter = np.inf  # no ConvergenceWarning: the user stopped training
    if monitor.best_params is not None:
        params = monitor.best_params  # early stopping: the best validated epoch
    callbacks.end_fit(params)
    if not partial and not history.converged and history.n_iter >= max_iter:
        warnings.warn(
            f"{type(est).__name__}: the {cfg.solver!r} solver reached max_iter="
            f"{max_iter} before converging (tol={cfg.tol}). Increase max_iter, or "
            "scale the features.",
            ConvergenceWarning,
            stacklevel=2,
        )
    return params, history


def stopping_rule(cfg, partial, validation, n_samples):
    if partial or cfg.tol is None:
        return None  # one epoch at a time, or max_iter epochs: no rule
    if validation is not None:
        return "stall"
    if cfg.solver == "lbfgs":
        return None
    # A batch that holds every sample gives the exact gradient: test it.
    full = cfg.stop_on_gradient and is_full_batch(cfg, n_samples)
    return "gradient" if full else "stall"


def is_full_batch(cfg, n_samples):
    """Each step sees all samples: the minibatch solvers are then plain GD."""
    return cfg.solver == "gd" or resolve_batch_size(cfg) >= n_samples


def run_lbfgs(cfg, objective, params, X, T, s, monitor):
    params, result = minimize_lbfgs(
        objective,
        params,
        X,
        T,
        s,
        max_iter=cfg.max_iter,
        tol=cfg.tol,
        callback=lambda p, value: monitor.end_epoch(p, value),
        max_fun=cfg.max_fun,
    )
    # L-BFGS-B's own tests (gradient or relative decrease below tol) converged.
    monitor.history.converged |= result.status == 0
    return params


def run_epochs(cfg, objective, optimizer, X, T, s, monitor, rng, max_iter):
    """Epochs of minibatch steps; one full batch per epoch is gradient descent."""
    n = X.shape[0]
    batch_size = n if is_full_batch(cfg, n) else resolve_batch_size(cfg)
    online = runs_online(cfg, objective, batch_size, n)
    epoch = online_epoch if online else (cfg.epoch or minibatch_epoch)
    for _ in range(max_iter):
        order = rng.permutation(n) if cfg.shuffle and batch_size < n else np.arange(n)
        stopped = monitor.stopped_outputs()
        grads, loss, moved = epoch(
            objective, optimizer, X, T, s, order, batch_size, stopped
        )
        model = optimizer.model_params()
        if loss is None:
            loss = objective.value(model, X, T, s)
        if monitor.end_epoch(model, loss, optimizer, gradient=grads):
            break
        if not moved and optimizer.average is None:
            # An epoch without a step (the perceptron made no mistake: the
            # data are separated) is a fixed point: so would every later one.
            # (Not of the average, which still moves toward the weights.)
            monitor.history.converged = True
            break
    return [p.copy() for p in optimizer.model_params()]


def minibatch_epoch(objective, optimizer, X, T, s, order, batch_size, stopped=None):
    """One pass over the samples in ``order``, one step per minibatch.

    Returns the last step's gradient (with full batches, the exact gradient),
    None (the epoch's loss is then that of the model after the epoch) and
    True: the weights moved.
    """
    for batch in gen_batches(len(order), batch_size):
        rows = order[batch]
        _, grads = objective.value_and_grad(optimizer.params, X[rows], T[rows], s[rows])
        optimizer.step(grads)
    return grads, None, True


def runs_online(cfg, objective, batch_size, n_samples):
    """Whether ``online_epoch`` takes the very steps of ``minibatch_epoch``.

    It does for one-sample steps of constant size, on a linear model, for a
    loss whose gradient is zero except on mistakes (the perceptron criteria,
    which have ``delta_at``), without a penalty (whose gradient moves W at
    every step).
    """
    return (
        batch_size == 1 < n_samples
        and cfg.learning_rate == "constant"
        and isinstance(objective.model, Linear)
        and getattr(objective.model, "offset", None) is None  # g_ji uses raw x
        and hasattr(objective.loss, "delta_at")
        and not objective.alpha
    )


def online_epoch(objective, optimizer, X, T, s, order, batch_size=1, stopped=None):
    """The online rule (one sample per step), a block of samples at a time.

    ``online_block`` finds the steps of a block in score space, with a few
    matrix products instead of a Python step per sample; the block's steps
    then move W, b and the average at once (``advance_block``).  The weights
    are those of the sample-by-sample loop, up to rounding.

    Returns no gradient, the epoch's *online* loss: the mean of each
    sample's loss when it was visited, before its step (scikit-learn's
    Perceptron stops on it; it costs nothing, unlike a pass over the data),
    per output if the loss has ``column_values`` (one-vs-rest; each output
    then stops on its own), and whether any step was taken.  ``stopped``
    outputs take no step.  With averaging, the loss is that of the average
    after the epoch (a pass over the data): the average is the model.
    """
    if stopped is not None and stopped.any():
        return epoch_of_active_outputs(objective, optimizer, X, T, s, order, stopped)
    total, moved = 0.0, False
    # Products with one sample are faster on one thread than on several,
    # which spend more time meeting than multiplying.
    with threadpool_limits(1, user_api="blas"):
        for chunk in gen_batches(len(order), 32 * ONLINE_BLOCK):
            # One gather of many rows costs less than many gathers of few.
            rows = order[chunk]
            X_chunk, T_chunk, s_chunk = X[rows], T[rows], s[rows]
            for block in gen_batches(len(rows), ONLINE_BLOCK):
                X_block = X_chunk[block]
                C, stepped, loss = online_block(
                    objective, optimizer, X_block, T_chunk[block], s_chunk[block]
                )
                advance_block(objective.model, optimizer, X_block, C, stepped)
                total += loss
                moved |= bool(np.count_nonzero(stepped))
    if optimizer.average is not None:
        # The model is the average: watch its loss, not the iterates'.
        A = objective.decision(optimizer.average, X)
        total = output_losses(objective.loss, A, T, s)
    return None, total / len(order), moved


def epoch_of_active_outputs(objective, optimizer, X, T, s, order, stopped):
    """``online_epoch`` when some one-vs-rest outputs have stopped.

    A stopped output takes no step, so the epoch trains the others alone, on
    a copy of their columns: the same weights, for less work as outputs stop.
    A stopped output has no loss this epoch (NaN): the ``Monitor`` keeps its
    last one.
    """
    active = ~stopped
    columns = optimizer.columns(active)
    _, active_loss, moved = online_epoch(objective, columns, X, T[:, active], s, order)
    optimizer.set_columns(active, columns)
    loss = np.full(T.shape[1], np.nan)
    loss[active] = active_loss
    return None, loss, moved


def advance_block(model, optimizer, X, C, stepped):
    """Move the parameters and their average by a block's steps ``C``.

    ``stepped`` marks the rows with a step: the others add nothing to the sums.
    """
    m = len(C)
    # (count_nonzero: ndarray.any() costs several times more on a few rows.)
    if not np.count_nonzero(stepped):  # no mistake: the steps only count
        optimizer.advance(m)
        return
    X, C = X[stepped], C[stepped]
    if optimizer.average is None:
        optimizer.advance(m, model.backward(optimizer.params, X, C))
        return
    # Both sums from one product: X^T [C, w C].
    weights = optimizer.average_weights(m)[stepped, None]
    both = model.backward(optimizer.params, X, np.hstack([C, weights * C]))
    K = C.shape[1]
    change = [g[..., :K] for g in both]
    weighted = [g[..., K:] for g in both]
    optimizer.advance(m, change, weighted)


#: Samples per block of ``online_epoch``: the products ``g_ji`` cost a block's
#: length per step and long blocks take more rounds; short blocks cost more
#: calls per sample.  32 was the fastest on MNIST (benchmarks/).
ONLINE_BLOCK = 32


def online_block(objective, optimizer, X, T, s):
    """The steps of the online rule over the rows of ``X``, in score space.

    Sample j's step is ``c_j = -gamma dE/da (a_j)`` (zero without a mistake),
    taken at its scores when visited, ``a_j = a0_j + sum_{i<j} g_ji c_i``,
    where ``a0`` are the scores before the block and ``g_ji = <x_j, x_i> + 1``
    (step i moved W by ``x_i c_i`` and b by ``c_i``).  That is a triangular
    system for the steps C.  Guess C from ``a0`` (a step rarely moves a later
    sample across a decision boundary), then recompute the scores from C and
    C from the scores until C no longer changes: each round makes at least
    the first row it changes final, and a C that does not change solves the
    system row after row, so it is the sequential rule's.

    Returns C, which samples (rows) took a step, and the summed loss of the
    samples at their visit (per column, if the loss has ``column_values``).
    """
    # -gamma dE/da = dE/da with weights -gamma s: the criteria are linear in s.
    steps = objective.loss.delta_at(T, -optimizer.gamma * s)
    A0 = objective.decision(optimizer.params, X)
    C = steps(A0)
    A, stepped = A0, C.any(axis=1)
    if np.count_nonzero(stepped):
        # Only the columns g_.i of samples that step are needed: most do not.
        G = np.zeros((len(A0), len(A0)), dtype=A0.dtype)
        known = np.zeros(len(A0), dtype=bool)
        for _ in range(len(A0) + 1):  # each round fixes one more row at least
            new = stepped & ~known
            if np.count_nonzero(new):
                G[:, new] = step_influence(X, new, objective.model.fit_intercept)
                known |= new
            A = A0 + G @ C
            C_next = steps(A)
            if (C_next == C).all():
                break
            C, stepped = C_next, C_next.any(axis=1)
    return C, stepped, output_losses(objective.loss, A, T, s)


def output_losses(loss, A, T, s):
    """The summed loss, per output if the outputs are separate problems."""
    if hasattr(loss, "column_values"):
        return loss.column_values(A, T, s)
    return float(loss.value(A, T, s))


#: ``BEFORE[j, i]``: sample i comes before sample j in a block.
BEFORE = np.tri(ONLINE_BLOCK, k=-1, dtype=bool)


def step_influence(X, rows, fit_intercept):
    """``g_ji = <x_j, x_i> + 1`` if i comes before j, else 0, for i in ``rows``.

    How much a unit step at sample i moves the scores of sample j.
    """
    products = X @ X[rows].T
    if sp.issparse(products):
        products = products.toarray()
    n = X.shape[0]
    return (products + float(fit_intercept)) * BEFORE[:n, :n][:, rows]


def resolve_batch_size(cfg):
    return 200 if cfg.batch_size == "auto" else cfg.batch_size


def new_optimizer(cfg, objective, params, X, s):
    learning_rate, gamma0 = cfg.learning_rate, cfg.learning_rate_init
    if learning_rate == "auto":
        learning_rate, gamma0 = auto_step_size(cfg, objective, X, s)
    # Averaging starts after the first epoch: the first iterates, far from the
    # optimum, would otherwise weigh on the average for a long time.  With
    # full batches there is no gradient noise for the average to cancel.
    average_start = cfg.average_start
    if average_start is None:
        average_start = -(-X.shape[0] // resolve_batch_size(cfg))
    return Optimizer(
        params,
        learning_rate=learning_rate,
        gamma0=gamma0,
        power_t=cfg.power_t,
        average=cfg.solver == "asgd" and not is_full_batch(cfg, X.shape[0]),
        average_start=average_start,
    )


#: Averaged SGD forgives steps beyond 2 / L(B): the worst-case curvature in L(B)
#: is far above the curvature near the optimum, where most predictions are
#: confident, and the average smooths the iterates' oscillation (Bach and
#: Moulines, 2013).  16 was the largest factor that trained scaled MNIST,
#: digits, iris, wine and breast-cancer well (benchmarks/, docs/design.md).
ASGD_STEP_FACTOR = 16


def auto_step_size(cfg, objective, X, s):
    """``learning_rate="auto"``: a step size from the curvature of the objective.

    Full-batch GD takes ``gamma = 1 / L``, inside the slide's ``0 < gamma < 2/L``,
    so the loss decreases at every step.  A minibatch of ``B`` of the ``n``
    samples, drawn without replacement, is smooth with constant

        L(B) = n (B - 1) / (B (n - 1)) L + (n - B) / (B (n - 1)) L_max

    (Gower et al., 2019, "SGD: general analysis and improved rates"), between
    the full objective's ``L`` and the largest single-sample ``L_max``.  "sgd"
    starts at ``1 / L(B)`` and divides it by 5 whenever the loss stalls
    ("adaptive"); "asgd" keeps ``ASGD_STEP_FACTOR / L(B)``, halved after any
    epoch that raises the loss ("safeguarded").  When a
    batch holds all the data, every solver is gradient descent.
    """
    fit_intercept, mu = objective.model.fit_intercept, objective.model.offset
    curvature, alpha = objective.loss.curvature, objective.alpha
    if is_full_batch(cfg, X.shape[0]):
        L = lipschitz_constant(X, s, fit_intercept, curvature, alpha, mu)
        return "constant", 1.0 / L
    # For a stochastic step size an estimate of L from a subsample will do.
    rows = slice(None, None, max(1, X.shape[0] // 10_000))
    L = lipschitz_constant(X[rows], s[rows], fit_intercept, curvature, alpha, mu)
    L_max = curvature * max_squared_row_norm(X, fit_intercept, mu) + alpha
    n, B = X.shape[0], min(resolve_batch_size(cfg), X.shape[0])
    L_B = L if n == B else (n * (B - 1) * L + (n - B) * L_max) / (B * (n - 1))
    if cfg.solver == "asgd":
        return "safeguarded", ASGD_STEP_FACTOR / L_B
    return "adaptive", 1.0 / L_B


# -- Hooks of the MLP (issue 8) ---------------------------------------------------


def interrupted(cfg, est, monitor, params):
    """KeyboardInterrupt: keep the weights reached so far, with a warning,
    as scikit-learn's MLP does.  The stochastic solvers' weights live in their
    optimizer; L-BFGS's, in its last finished iteration."""
    warnings.warn(
        f"{type(est).__name__}: training interrupted by the user; keeping the "
        "weights reached so far.",
        UserWarning,
        stacklevel=3,
    )
    optimizer = getattr(est, "_optimizer", None)
    if cfg.solver != "lbfgs" and optimizer is not None:
        return [p.copy() for p in optimizer.model_params()]
    return monitor.last_params if monitor.last_params is not None else params


def running_loss_epoch(objective, optimizer, X, T, s, order, batch_size, stopped=None):
    """``minibatch_epoch`` that returns the epoch's loss as scikit-learn's MLP
    records it: the mean of the minibatch objectives, each taken before its
    step, weighted by the batch's length.  It comes with the gradients, so it
    costs no pass over the data.  An averaged model (``"asgd"``) is not the
    iterates: its loss is left to the loop (None), which takes that pass.

    Calls ``optimizer.end_epoch(n)`` where the optimizer has it (step sizes
    that follow the samples seen).
    """
    total = 0.0
    for batch in gen_batches(len(order), batch_size):
        rows = order[batch]
        value, grads = objective.value_and_grad(
            optimizer.params, X[rows], T[rows], s[rows]
        )
        total += value * len(rows)
        optimizer.step(grads)
    if hasattr(optimizer, "end_epoch"):
        optimizer.end_epoch(len(order))
    loss = None if optimizer.average is not None else total / len(order)
    return grads, loss, True
