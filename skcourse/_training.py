"""The one training loop that every estimator of skcourse shares.

An estimator brings a model and a loss (an ``_models.Objective``), starting
parameters, and the training data as ``X`` (features), ``T`` (targets as the
loss wants them), ``s`` (sample weights) and ``y`` (labels, for the stratified
validation split and the validation score).  This module does the rest, as
the course's loop: epochs of minibatch steps (or L-BFGS), stopping on ``tol``
/ ``n_iter_no_change``, early stopping on a validation split (restoring the
best weights), ``loss_curve_``, ``verbose`` lines, scikit-learn callbacks, a
``ConvergenceWarning`` at ``max_iter`` and an error when training diverges.
It asks ``_optimizers`` for an optimizer and runs it; it knows no model, and
no estimator: the estimator hands it everything that differs (``Config``,
the objective, the optimizer to continue, a ``_monitoring.Stopping``
policy, a ``_callbacks.Callbacks`` factory) and records what it returns.

One job per module: this one runs the epochs; ``_monitoring`` watches them
(curves, stopping, divergence); ``_callbacks`` adapts scikit-learn's
callbacks; ``_messages`` words what the user is told.

The estimator's training parameters arrive as a ``Config``: the public names
of scikit-learn's MLP, which mean the same in every estimator of skcourse (an
estimator whose public names differ, like the Perceptron's ``eta0``, maps them).
"""

from dataclasses import dataclass, field, fields

import numpy as np
from sklearn.base import is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state, gen_batches

from . import _fast_numpy
from ._array_api import to_host
from ._callbacks import Callbacks
from ._messages import divergence_advice, not_converged, warn
from ._monitoring import (
    History,
    Monitor,
    Stopping,
    Validation,
    divergence_ceiling,
    has_stopping_rule,
    sampled_loss,
)
from ._optimizers import batch_size_of, make_optimizer, minimize_lbfgs


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
    # A module-level factory with make_optimizer's signature, a function of
    # its arguments alone, for an estimator whose steps are its own (the MLPs'
    # make_mlp_optimizer: momentum, Adam); None: make_optimizer.
    optimizer: object = None
    # The samples already trained on (an MLP's fitted t_): its "invscaling"
    # schedule goes on from there.  Not a step setting: it grows every epoch.
    samples_seen: int = 0
    # The estimator's own name for learning_rate_init (the Perceptron's eta0),
    # for the messages.
    step_parameter: str = "learning_rate_init"
    # All the estimator's parameters: those the loop has no name for (alpha,
    # momentum, beta_1, ...) shape the steps too.
    parameters: dict = field(default_factory=dict, repr=False)
    # Who trains, for the messages and the validation split: the estimator's
    # class name, whether it is a classifier, the learning_rate options it
    # offers.  (Not in ``steps``: they name the estimator, not its steps.)
    name: str = "The estimator"
    classifier: bool = False
    learning_rates: tuple = ()
    # The random draws: "linear" (stratified validation split by class for
    # classifiers, the training rows in their order as scikit-learn's SGD
    # keeps them; a fresh order each epoch) or "mlp" (scikit-learn's MLP's
    # draws: the split stratified by the output of a binary classifier only,
    # the training rows in the split's order; each epoch reorders the last
    # one's order), so that its random_state gives its batches.
    draws: str = "linear"

    @classmethod
    def from_estimator(cls, est, **overrides):
        """The estimator's parameters of these names, then ``overrides``."""
        params = est.get_params(deep=False)
        names = cls.__dataclass_fields__
        offered = est._parameter_constraints.get("learning_rate", [])
        return cls(
            **{k: v for k, v in params.items() if k in names},
            parameters=params,
            name=type(est).__name__,
            classifier=is_classifier(est),
            learning_rates=tuple(
                sorted(o for c in offered for o in getattr(c, "options", ()))
            ),
            **overrides,
        )

    def steps(self):
        """What defines the optimizer's steps: a change means a new optimizer.

        Every parameter, the loop's and the estimator's, but the stopping
        rule's, the chatter's and the samples seen. Plain data, as it is kept
        with the fitted optimizer and saved with the model: a factory by its
        name.
        """
        settings = {f.name: getattr(self, f.name) for f in fields(self)}
        settings = {**settings.pop("parameters"), **settings}
        steps = {
            name: value.tolist() if isinstance(value, np.ndarray) else value
            for name, value in settings.items()
            if name
            not in (
                *("max_iter", "tol", "n_iter_no_change", "verbose", "warm_start"),
                "samples_seen",
                *("name", "classifier", "learning_rates"),
            )
        }
        steps["optimizer"] = getattr(self.optimizer, "__qualname__", None)
        return steps


def split_validation(
    X, T, s, y, *, fraction, stratify, rng, score, how, fast=_fast_numpy
):
    """Hold out ``fraction`` of the data, stratified by the labels ``stratify``
    (None: at random), with ``train_test_split`` as scikit-learn does: a
    class of one sample cannot be stratified, and is refused with its error.
    The split is drawn on the host (the same on every device); ``X``, ``T``
    and ``s`` are split where they live (``fast``: their seam), ``y`` there.

    ``how`` (``Config.draws``): "linear", the training samples
    keep their order (scikit-learn's linear models' mask; ``shuffle=False``
    then reads them as given); "mlp", they come in the split's order and the
    validation set needs two samples (scikit-learn's MLP).
    """
    n = X.shape[0]
    train, val = train_test_split(
        np.arange(n),
        test_size=int(np.ceil(fraction * n)),
        stratify=stratify,
        random_state=rng,
    )
    if how == "linear":
        train = np.sort(train)
    elif len(val) < 2:
        raise ValueError(
            "The validation set is too small. Increase 'validation_fraction' "
            "or the size of your dataset."
        )
    X_val, T_val, s_val = (
        fast.take_rows(A, fast.indices(val), None) for A in (X, T, s)
    )
    if not fast.xp.sum(s_val) > 0:
        raise ValueError(
            "The sample weights for validation set are all zero, consider using a "
            "different random state: the validation split for early stopping "
            "holds only samples of zero weight, so it cannot score the model."
        )
    validation = Validation(X_val, T_val, s_val, y[val], score)
    X, T, s = (fast.take_rows(A, fast.indices(train), None) for A in (X, T, s))
    return X, T, s, y[train], validation


def split_strata(cfg, T, y):
    """The labels the validation split is stratified by (None: at random).

    scikit-learn's linear classifiers stratify by class; its MLP stratifies
    by its one output, so a binary classifier only (a multiclass or
    multilabel target is split at random there, and here).
    """
    if not cfg.classifier:
        return None
    if cfg.draws == "mlp":
        return T if T.shape[1] == 1 else None  # 2-D: labelled "True", "False"
    return y


def train(
    cfg,
    objective,
    params,
    X,
    T,
    s,
    y,
    *,
    score,
    fitted_attributes,
    callbacks=None,
    optimizer=None,
    stopping=None,
    partial=False,
    epoch=None,
    rng=None,
):
    """Minimise ``objective`` from ``params`` as ``cfg`` (a ``Config``) says.

    Returns the model's parameters, the ``History`` and the stochastic
    solver's optimizer (its step count, average, decayed step size: what
    ``partial_fit`` may continue; None for L-BFGS or an interrupted run).
    ``partial=True`` is one epoch of ``partial_fit``: no validation split, no
    stopping rule.  ``optimizer``: the one to continue (None: a new one from
    ``params``).  ``epoch`` replaces ``minibatch_epoch`` (the online
    perceptron's exact shortcut).  ``rng``: the generator the estimator drew
    its start from, to go on with (scikit-learn's MLP draws its start, the
    split and the shuffles from one generator); None: a new one from
    ``cfg.random_state``.  ``callbacks(X, y, max_iter)``: scikit-learn's
    callbacks for this run (``Callbacks``; None: none).  ``stopping``: the
    estimator's ``Stopping`` policy (None: the plain stall rule of ``cfg``).
    ``fitted_attributes(params)``: the public attributes the parameters give.

    The loop knows no estimator: it reads nothing of it and writes nothing to
    it; the estimator records what it returns.
    """
    rng = check_random_state(cfg.random_state) if rng is None else rng
    if not partial:
        # Weights of mean 1 make a minibatch's mean loss an unbiased estimate of
        # the objective, and make it invariant to rescaling the weights.  A
        # chunk of a stream keeps its weights: they weigh it against the others.
        # (Unit weights already have mean 1: no copy of them.)
        mean = objective.fast.xp.mean(s)
        s = s if mean == 1 else s / mean
    validation = None
    if cfg.early_stopping and not partial:
        X, T, s, y, validation = split_validation(
            X,
            T,
            s,
            y,
            fraction=cfg.validation_fraction,
            stratify=split_strata(cfg, T, y),
            rng=rng,
            score=score,
            how=cfg.draws,
            fast=objective.fast,
        )
    max_iter = 1 if partial else cfg.max_iter
    # A chunk of one minibatch measures its own start, that batch's loss
    # before its step: no pass of its own (a fifth of a small chunk's cost).
    # Not an average's, whose epoch reports the average after the step.
    one_batch = (
        partial
        and cfg.solver != "asgd"
        and batch_size_of(cfg, X.shape[0], partial) >= X.shape[0]
    )
    homogeneous = objective.loss.homogeneous
    start = (
        None if one_batch or homogeneous else sampled_loss(objective, params, X, T, s)
    )
    history = History()
    if stopping is None:
        stopping = Stopping(cfg.tol, cfg.n_iter_no_change)
    stopping.active = has_stopping_rule(cfg, partial, validation)
    if callbacks is None or partial:
        callbacks = Callbacks(None, X, y, max_iter, fitted_attributes, enabled=False)
    else:
        callbacks = callbacks(X, y, max_iter)
    monitor = Monitor(
        cfg,
        objective,
        history,
        validation=validation,
        stopping=stopping,
        callbacks=callbacks,
        ceiling=divergence_ceiling(objective, start),
        advice=divergence_advice(cfg, homogeneous),
    )
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if cfg.solver == "lbfgs":
                params = run_lbfgs(cfg, objective, params, X, T, s, monitor)
            else:
                if optimizer is None:
                    new_optimizer = cfg.optimizer or make_optimizer
                    optimizer = new_optimizer(cfg, objective, params, X, s, partial)
                params = run_epochs(
                    cfg,
                    objective,
                    optimizer,
                    X,
                    T,
                    s,
                    monitor,
                    rng,
                    max_iter,
                    partial,
                    epoch or minibatch_epoch,
                )
    except KeyboardInterrupt:
        params = interrupted(cfg, monitor, optimizer, params)
        optimizer = None  # it describes no finished run: not to continue
        max_iter = np.inf  # no ConvergenceWarning: the user stopped training
    if partial:
        if one_batch and history.loss_curve:
            monitor.ceiling = divergence_ceiling(objective, history.loss_curve[0])
        # One epoch of partial_fit saw its losses before its steps: where did
        # the last one go?  (Over a sample of the chunk, as the start.)
        monitor.check_end(sampled_loss(objective, params, X, T, s))
    else:
        monitor.check_end()
    if monitor.best_params is not None:
        params = monitor.best_params  # early stopping: the best validated epoch
    with np.errstate(over="ignore", invalid="ignore"):
        fitted = fitted_attributes(params).values()
    if not all_finite(fitted, objective.fast.xp):
        # (A finite loss may hide them: huge features' centred coordinates.)
        raise FloatingPointError(
            f"Training ended with weights that are not finite: training "
            f"diverged. {monitor.advice}"
        )
    callbacks.end_fit(params)
    stopped_early = history.converged or history.n_iter < max_iter
    if not partial and cfg.tol is not None and not stopped_early:
        warn(not_converged(cfg, X, max_iter), ConvergenceWarning)
    return params, history, optimizer


def all_finite(arrays, xp=np):
    """Whether every array (or list of arrays, an MLP's ``coefs_``) is finite."""
    return all(
        all_finite(a, xp) if isinstance(a, list) else xp.all(xp.isfinite(a))
        for a in arrays
    )


def interrupted(cfg, monitor, optimizer, params):
    """KeyboardInterrupt: keep the weights reached so far, with a warning, as
    scikit-learn's MLP does.  The minibatch solvers' weights live in their
    optimizer; L-BFGS's, in its last finished iteration."""
    warn(
        f"{cfg.name}: training interrupted by the user; keeping the "
        "weights reached so far.",
        UserWarning,
    )
    if cfg.solver != "lbfgs" and optimizer is not None:
        return [optimizer.fast.copy(p) for p in optimizer.model_params()]
    return monitor.last_params if monitor.last_params is not None else params


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
    if result.status == 1 and result.nit < cfg.max_iter:
        warn(
            f"L-BFGS-B stopped after {result.nit} iterations, at max_fun="
            f"{cfg.max_fun} evaluations of the objective, before converging "
            f"(tol={cfg.tol}). Increase max_fun, or scale the features.",
            ConvergenceWarning,
        )
    if result.status not in (0, 1, 99):  # 1: max_iter; 99: a callback stopped it
        warn(
            f"L-BFGS-B stopped abnormally after {result.nit} iterations "
            f"(status {result.status}: {result.message}); the model is where it "
            "stopped. Scale the features (StandardScaler), or try another solver.",
            ConvergenceWarning,
        )
    return params


def run_epochs(
    cfg, objective, optimizer, X, T, s, monitor, rng, max_iter, partial, epoch
):
    """Epochs of minibatch steps; one full batch per epoch is gradient descent."""
    n = X.shape[0]
    batch_size = batch_size_of(cfg, n, partial)
    order = np.arange(n)
    for _ in range(max_iter):
        if cfg.shuffle and batch_size < n:
            permutation = rng.permutation(n)
            # scikit-learn's MLP reorders its last order (sklearn.utils.shuffle
            # of sample_idx): the same random_state, the same batches.
            order = order[permutation] if cfg.draws == "mlp" else permutation
        stopping = monitor.stopping
        stopped = stopping.stopped_outputs()
        loss, moved = epoch(objective, optimizer, X, T, s, order, batch_size, stopped)
        model = optimizer.model_params()
        if stopping.judges_the_model(optimizer, batch_size):
            loss = objective.model_loss(model, X, T, s)
        # (on a device, the loss is read here: once an epoch)
        if monitor.end_epoch(model, to_host(loss), optimizer):
            break
        if not moved and stopping.still_is_converged and cfg.tol is not None:
            # An epoch without a step is a fixed point: so would every later
            # one be.  (``moved`` is True while an average still moves toward
            # the weights.)
            monitor.history.converged = True
            break
    return [objective.fast.copy(p) for p in optimizer.model_params()]


def minibatch_epoch(objective, optimizer, X, T, s, order, batch_size, stopped=None):
    """One pass over the samples in ``order``, one step per minibatch.

    A last minibatch of ``m < batch_size`` samples takes a step ``m /
    batch_size`` as long: each sample then moves the weights as much as in a
    full batch, and one odd sample (1,601 samples in batches of 200) cannot
    throw the model off with a whole step sized for 200.

    Returns the epoch's loss (the mean over its minibatches, each before its
    step, as scikit-learn's MLP: no extra pass over the data) and True: the
    weights moved.  ``stopped`` outputs (one-vs-rest, each stalled on its own)
    take no step: the others train alone, on a copy of their columns
    (``Optimizer.columns``); a stopped output's loss is NaN, and the
    ``Monitor`` keeps its last one.
    """
    if stopped is not None and stopped.any():
        active = ~stopped
        part = optimizer.columns(active)
        active_loss, moved = minibatch_epoch(
            objective, part, X, T[:, active], s, order, batch_size
        )
        optimizer.set_columns(active, part)
        loss = np.full(T.shape[1], np.nan)
        loss[active] = active_loss
        return loss, moved
    n, fast = len(order), objective.fast
    separate_penalty = optimizer.takes_penalty_step
    total = 0.0
    minibatch = minibatches_as_given if as_given(order) else minibatches_in_order
    # The fit's thread count is sized for its passes over all the data; the
    # steps' products are a minibatch's (one thread if small).
    with fast.blas_threads(min(batch_size, n), optimizer.params):
        for batch, (X_B, T_B, s_B) in minibatch(fast, X, T, s, order, batch_size):
            m = batch.stop - batch.start
            value, grads = objective.value_and_grad(
                optimizer.params, X_B, T_B, s_B, penalty=not separate_penalty
            )
            total += value * m
            optimizer.step(grads, scale=min(1.0, m / batch_size))
    optimizer.end_epoch(n)
    loss = total / n
    if separate_penalty:
        loss += objective.penalty_value(optimizer.params)
    return loss, True


def as_given(order):
    """Whether ``order`` reads the samples as given (no shuffle, or one full
    batch): 0, 1, ..., n - 1, the only increasing n indices from 0 to n - 1."""
    n = len(order)
    return order[0] == 0 and order[-1] == n - 1 and (order[1:] > order[:-1]).all()


def minibatches_as_given(fast, X, T, s, order, batch_size):
    """The minibatches ``(slice, (X_B, T_B, s_B))`` of consecutive samples:
    views of ``X``, ``T`` and ``s`` (one full batch is ``X`` itself), never a
    copy of the caller's data."""
    for batch in gen_batches(len(order), batch_size):
        yield batch, (X[batch, ...], T[batch, ...], s[batch, ...])


def minibatches_in_order(fast, X, T, s, order, batch_size):
    """The minibatches ``(slice, (X_B, T_B, s_B))`` of the samples in
    ``order``: their rows gathered into buffers that every minibatch reuses."""
    rows_of = fast.indices(order)  # drawn on the host: to the data, once an epoch
    buffers = [fast.row_buffer(A, min(batch_size, len(order))) for A in (X, T, s)]
    for batch in gen_batches(len(order), batch_size):
        rows = rows_of[batch]
        data = zip((X, T, s), buffers, strict=True)
        yield batch, tuple(fast.take_rows(A, rows, out) for A, out in data)
