"""The one training loop that every estimator of skcourse shares.

An estimator brings a model and a loss (an ``_models.Objective``), starting
parameters, and the training data as ``X`` (features), ``T`` (targets as the
loss wants them), ``s`` (sample weights) and ``y`` (labels, for the stratified
validation split and the validation score).  This module does the rest, as
the course's loop: epochs of minibatch steps (or L-BFGS), stopping on ``tol``
/ ``n_iter_no_change``, early stopping on a validation split (restoring the
best weights), ``loss_curve_``, ``verbose`` lines, scikit-learn callbacks, a
``ConvergenceWarning`` at ``max_iter`` and an error when training diverges.
It asks ``_optimizers`` for an optimizer and runs it; it knows no model.

The estimator's training parameters arrive as a ``Config``: the public names
of scikit-learn's MLP, which mean the same in every estimator of skcourse (an
estimator whose public names differ, like the Perceptron's ``eta0``, maps them).
"""

import os
import sys
import warnings
from dataclasses import dataclass, field, fields

import numpy as np
import scipy.sparse as sp
from sklearn.base import is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state, gen_batches

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
    # A factory with make_optimizer's signature, for an estimator whose steps
    # are its own (the MLPs: momentum, Adam); None: make_optimizer.
    optimizer: object = None
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
        rule's and the chatter's. Plain data, as it is kept on the fitted
        optimizer: a factory by its name (an MLP's is a method bound to the
        estimator, a cycle that ``skops.io.dumps`` cannot follow).
        """
        settings = {f.name: getattr(self, f.name) for f in fields(self)}
        settings = {**settings.pop("parameters"), **settings}
        steps = {
            name: value.tolist() if isinstance(value, np.ndarray) else value
            for name, value in settings.items()
            if name
            not in (
                *("max_iter", "tol", "n_iter_no_change", "verbose", "warm_start"),
                *("name", "classifier", "learning_rates"),
            )
        }
        steps["optimizer"] = getattr(self.optimizer, "__qualname__", None)
        return steps


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
    best_validation_score: float = None
    n_iter: int = 0
    converged: bool = False


#: A loss that ends training this many times above the starting one (or above
#: 1, if that is larger) has blown up: a convex loss under a working step size
#: never ends that far up, and a stall test would call it "no improvement".
DIVERGENCE_FACTOR = 10.0


class Stopping:
    """The stopping policy: when an epoch is progress, and when training stops.

    The estimator chooses it (``train``'s ``stopping``); the loop asks it.
    A stall is ``n_iter_no_change`` epochs without progress by ``tol``.

    - ``ties_by_loss`` (early stopping): at equal validation score, a lower
      validation loss is progress too, and the later of tied epochs is kept
      (False: the score alone, and the first of tied epochs: scikit-learn's
      MLP's rule).
    - A loss per output (an array: the one-vs-rest perceptrons, each its own
      problem) stalls, and stops, per output (``stopped_outputs``): a stopped
      output is no longer trained.
    - ``scale_free``: the training loss grows with the weights (the
      perceptron criteria), so a minibatch epoch is judged by the model's
      loss after it (``Objective.model_loss`` takes the scale-free share),
      not by its minibatches' losses before their steps (0 at the zero start,
      a degenerate best no later epoch beats).
    - ``still_is_converged``: an epoch that took no step (the perceptron made
      no mistake: the data are separated) is a fixed point, as every later
      one would be.

    ``active`` is set by the loop: False where no rule applies (one epoch of
    ``partial_fit``, ``tol=None``, L-BFGS without validation).
    """

    def __init__(
        self,
        tol=1e-4,
        n_iter_no_change=10,
        *,
        ties_by_loss=True,
        scale_free=False,
        still_is_converged=False,
    ):
        self.tol = 0.0 if tol is None else tol
        self.n_iter_no_change = n_iter_no_change
        self.ties_by_loss = ties_by_loss
        self.scale_free = scale_free
        self.still_is_converged = still_is_converged
        self.active = True
        self.stall = 0
        self.best = np.inf
        self.best_validation = (-np.inf, np.inf)  # (score, loss) of the kept epoch

    def stalled(self):
        """Whether every output has stalled (and a rule applies)."""
        return self.active and not np.any(self.stall < self.n_iter_no_change)

    def go_on(self):
        """After a decay of the step size: count the stalls anew."""
        self.stall = np.zeros_like(self.stall)

    def stopped_outputs(self):
        """The outputs that stalled on their own (None: all train together)."""
        if not self.active or np.ndim(self.stall) == 0:
            return None
        return self.stall >= self.n_iter_no_change

    def track_loss(self, losses):
        """Count the epochs since the training loss last improved by ``tol``."""
        stall = np.where(losses < self.best - self.tol, 0, self.stall + 1)
        # An output that stopped stays stopped, as scikit-learn ends its binary
        # fit: its first epoch with frozen weights may score better than the
        # moving ones did, but that is no progress of training.
        stopped = self.stopped_outputs()
        self.stall = (
            stall if stopped is None else np.where(stopped, self.stall + 1, stall)
        )
        self.best = np.minimum(losses, self.best)

    def track_validation(self, score, loss):
        """Count the epochs since the validation score last progressed;
        whether this epoch is the best so far (the one to keep).

        An epoch is better when its accuracy is higher, or equal with a lower
        validation loss: on small validation sets accuracies tie often, and
        the later of tied epochs, fitted further, is usually the better model.
        It is progress when it is better by more than ``tol``.  With
        ``ties_by_loss=False`` (the MLPs) scikit-learn's MLP's rule: only a
        higher accuracy is better (the first of tied epochs is kept), and one
        at least ``tol`` above the best is progress.
        """
        best_score, best_loss = self.best_validation
        tol = self.tol
        if self.ties_by_loss:
            progress = score > best_score + tol or (
                score >= best_score and loss < best_loss - tol
            )
            better = score > best_score or (score == best_score and loss < best_loss)
        else:
            progress, better = score >= best_score + tol, score > best_score
        self.stall = 0 if progress else self.stall + 1
        if better:
            self.best_validation = (score, loss)
        return better

    def judges_the_model(self, optimizer, batch_size):
        """Whether an epoch is judged by its model's loss after it (a pass
        over the data), not by its minibatches' losses before their steps.

        An averaged model's once averaging has begun, since the model is then
        the average, not the iterates.  And a scale-free minibatch loss's.
        (The online rule keeps scikit-learn's criterion, each sample's before
        its step.)
        """
        return optimizer.averaging or (self.scale_free and batch_size > 1)


class Monitor:
    """End-of-epoch bookkeeping: curves, stopping rules, verbose, callbacks.

    ``end_epoch`` is called once per epoch (or per L-BFGS iteration) with the
    model's parameters and training objective, and says whether to stop.
    ``ceiling``: the loss above which training has diverged (None: only a
    non-finite loss has, for losses whose size grows with the weights).
    """

    def __init__(
        self,
        cfg,
        objective,
        history,
        *,
        validation,
        stopping,
        callbacks,
        ceiling=None,
        advice="",
    ):
        self.cfg = cfg
        self.objective = objective
        self.history = history
        self.validation = validation
        self.stopping = stopping
        self.callbacks = callbacks
        self.ceiling = ceiling
        self.advice = advice  # what to change, in the estimator's parameters
        self.best_params = None
        self.losses = None
        self.last_params = None  # what a KeyboardInterrupt keeps (L-BFGS)
        self.optimizer = None

    def end_epoch(self, params, loss, optimizer=None):
        """Record an epoch; True to stop.

        ``loss`` may be an array, one loss per output trained on its own (the
        one-vs-rest perceptrons): each then stalls, and stops, on its own.
        An output that stopped is no longer trained: it keeps its last loss.
        """
        stopped = self.stopping.stopped_outputs()
        if stopped is not None:
            loss = np.where(stopped, self.losses, loss)
        self.losses = loss
        losses, loss = loss, float(np.sum(loss))
        if not np.isfinite(loss):
            self.diverged(loss)
        self.optimizer = optimizer
        previous = self.history.loss_curve[-1] if self.history.loss_curve else np.inf
        if optimizer is not None and loss > previous:
            optimizer.back_off()  # the epoch raised the loss
        self.history.loss_curve.append(loss)
        self.history.n_iter += 1
        self.last_params = params
        if self.validation is None:
            self.stopping.track_loss(losses)
        else:
            self.track_best_validation(params)
        if self.cfg.verbose:
            self.print_line(loss)
        stop = self.callbacks.end_epoch(params)
        if self.converged(optimizer):
            self.history.converged = True
            stop = True
        return stop

    def check_end(self, reached=None):
        """A model that ends training far above its starting loss has blown
        up: an error, not a model.  (A loss may spike for an epoch or two and
        come back down, as units die or a momentum overshoots: only where
        training ends counts; with early stopping the kept epoch does.)

        ``reached``: the loss of the weights reached, for ``partial_fit``,
        whose one epoch takes each minibatch's loss before its step and so
        never sees where the last step went.
        """
        curve = self.history.loss_curve
        if reached is not None and not reached <= (self.ceiling or np.inf):
            raise FloatingPointError(
                f"An epoch of partial_fit took the loss on this chunk to "
                f"{reached:.4g}, over {DIVERGENCE_FACTOR:g} times its value "
                f"before: training diverged. {self.advice}"
            )
        if self.ceiling is None or self.validation is not None or not curve:
            return
        if curve[-1] > self.ceiling:
            self.diverged(curve[-1])
        # A stall that ends above the first epoch's loss is no convergence:
        # every later epoch did worse than the first (a step size too large).
        tol = self.cfg.tol or 0.0
        if self.history.converged and curve[-1] > curve[0] + tol:
            self.diverged(curve[-1], above=f"its first epoch's {curve[0]:.4g}")

    def diverged(self, loss, above=None):
        """Stop with an error that says what to change."""
        what = f"The training loss became {loss:.4g} at epoch {self.history.n_iter + 1}"
        if np.isfinite(loss):
            above = above or f"{DIVERGENCE_FACTOR:g} times its start"
            what = (
                f"The training loss ended at {loss:.4g} after "
                f"{self.history.n_iter} epochs, over {above}: training diverged"
            )
        raise FloatingPointError(f"{what}. {self.advice}")

    def converged(self, optimizer):
        """The stopping policy says the loss (or validation) stalled, and the
        optimizer has no smaller step to try ("adaptive" decays, then goes
        on).  L-BFGS applies its own tests."""
        if not self.stopping.stalled():
            return False
        if optimizer is not None and optimizer.decay():
            self.stopping.go_on()
            return False
        return True

    def track_best_validation(self, params):
        """Early stopping: keep the best validated epoch (``Stopping`` says
        which is best)."""
        score, loss = self.validate(params)
        if self.stopping.track_validation(score, loss):
            self.history.best_validation_score = score
            self.best_params = [p.copy() for p in params]

    def validate(self, params):
        v = self.validation
        loss = self.objective.mean_loss(params, v.X, v.T, v.s)
        score = v.score(params, v.X, v.y, v.s)
        self.history.validation_loss_curve.append(loss)
        self.history.validation_scores.append(score)
        return score, loss

    def print_line(self, loss):
        """scikit-learn's MLP's verbose lines (the validation line adds the
        validation loss)."""
        h = self.history
        print(f"Iteration {h.n_iter}, loss = {loss:.8f}")
        if self.validation is not None:
            print(
                f"Validation score: {h.validation_scores[-1]:f}, "
                f"validation loss = {h.validation_loss_curve[-1]:.8f}"
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


def split_validation(X, T, s, y, *, fraction, stratify, rng, score, how):
    """Hold out ``fraction`` of the data, stratified by the labels ``stratify``
    (None: at random), with ``train_test_split`` as scikit-learn does: a
    class of one sample cannot be stratified, and is refused with its error.

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
    if not s[val].sum() > 0:
        raise ValueError(
            "The sample weights for validation set are all zero, consider using a "
            "different random state: the validation split for early stopping "
            "holds only samples of zero weight, so it cannot score the model."
        )
    validation = Validation(X[val], T[val], s[val], y[val], score)
    return X[train], T[train], s[train], y[train], validation


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
        mean = s.mean()
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
    homogeneous = getattr(objective.loss, "homogeneous", False)
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
    if not all_finite(fitted):
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


def all_finite(arrays):
    """Whether every array (or list of arrays, an MLP's ``coefs_``) is finite."""
    return all(
        all_finite(a) if isinstance(a, list) else np.isfinite(a).all() for a in arrays
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
        return [p.copy() for p in optimizer.model_params()]
    return monitor.last_params if monitor.last_params is not None else params


def divergence_ceiling(objective, start):
    """``DIVERGENCE_FACTOR`` times the ``start`` loss, at least that times 1.

    None for a loss whose size grows with the weights (the perceptron
    criteria): there only a non-finite loss is a blow-up.
    """
    if getattr(objective.loss, "homogeneous", False):
        return None
    if start is None or not np.isfinite(start):
        return None
    return DIVERGENCE_FACTOR * max(start, 1.0)


def sampled_loss(objective, params, X, T, s):
    """The objective at ``params`` over at most a few thousand of the samples:
    enough to tell a factor of 10, where a pass over all of them would cost a
    sixth of an MLP's epoch."""
    rows = slice(None, None, max(1, X.shape[0] // 2000))
    with np.errstate(over="ignore", invalid="ignore"):
        return objective.value(params, X[rows], T[rows], s[rows])


def divergence_advice(cfg, homogeneous=False):
    """What to change when training diverges, in the estimator's own
    parameters: the step the user set (not an optimizer's internal, decayed
    or bias-corrected one) and only remedies the estimator offers."""
    scale = "standardise the features (StandardScaler)"
    if cfg.solver == "lbfgs":
        return f"L-BFGS chooses its own steps: {scale}."
    name = cfg.step_parameter
    if homogeneous:
        # The perceptron criteria: the step only scales the weights; the
        # scores overflow where features times weights leave float range.
        return (
            f"The scores overflowed: they grow with the features and with "
            f"{name}={cfg.learning_rate_init:g}. Standardise the features "
            f"(StandardScaler), or lower {name}."
        )
    if cfg.learning_rate == "auto":
        return (
            "learning_rate='auto' sizes the step from the features, and on "
            f"these training still diverged: {scale}, or set "
            "learning_rate='constant' with a small learning_rate_init."
        )
    auto = "auto" in cfg.learning_rates
    return (
        f"The learning rate ({name}={cfg.learning_rate_init:g}) is too large "
        f"for this data. Lower {name}"
        + (", use learning_rate='auto'" if auto else "")
        + f", or {scale}."
    )


def has_stopping_rule(cfg, partial, validation):
    """Every solver but L-BFGS stops on a stall of its loss (or validation).

    Full-batch gradient descent too: it could test its exact gradient, but
    with a small penalty the problem is ill-conditioned, and a gradient
    below ``tol`` would take it thousands of epochs after its predictions,
    and its loss to within ``tol``, have settled.
    """
    if partial or cfg.tol is None:
        return False  # one epoch at a time, or max_iter epochs: no rule
    return cfg.solver != "lbfgs" or validation is not None


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
        if monitor.end_epoch(model, loss, optimizer):
            break
        if not moved and stopping.still_is_converged and cfg.tol is not None:
            # An epoch without a step is a fixed point: so would every later
            # one be.  (``moved`` is True while an average still moves toward
            # the weights.)
            monitor.history.converged = True
            break
    return [p.copy() for p in optimizer.model_params()]


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
    n = len(order)
    separate_penalty = optimizer.takes_penalty_step
    total = 0.0
    buffers = [row_buffer(A, min(batch_size, n)) for A in (X, T, s)]
    for batch in gen_batches(n, batch_size):
        rows = order[batch]
        X_B, T_B, s_B = (
            take_rows(A, rows, out) for A, out in zip((X, T, s), buffers, strict=True)
        )
        value, grads = objective.value_and_grad(
            optimizer.params, X_B, T_B, s_B, penalty=not separate_penalty
        )
        total += value * len(rows)
        optimizer.step(grads, scale=min(1.0, len(rows) / batch_size))
    optimizer.end_epoch(n)
    loss = total / n
    if separate_penalty:
        loss += objective.penalty(optimizer.params)
    return loss, True


def row_buffer(A, n_rows):
    """An array for ``n_rows`` rows of ``A`` (None for a sparse ``A``)."""
    if sp.issparse(A):
        return None
    return np.empty((n_rows, *A.shape[1:]), dtype=A.dtype)


def take_rows(A, rows, out):
    """``A[rows]``, written into ``out`` (reused by every minibatch) when given.

    The minibatch is copied all the same (its rows are scattered over ``A``),
    but into memory the last step left in the cache, rather than into a new
    array: on MNIST, 10 % less time to gather the rows.  ``mode="clip"``
    (``rows`` are valid indices) lets ``take`` write straight into ``out``;
    its default mode would copy through a temporary.
    """
    if out is None:
        return A[rows]
    return np.take(A, rows, axis=0, out=out[: len(rows)], mode="clip")


def not_converged(cfg, X, max_iter):
    """The ``ConvergenceWarning`` message, in the estimator's own words."""
    solver = f" (solver={cfg.solver!r})" if "solver" in cfg.parameters else ""
    steps = "iterations" if cfg.solver == "lbfgs" else "epochs"
    message = (
        f"{cfg.name}{solver} reached max_iter={max_iter} {steps} before "
        f"its loss stopped improving by tol={cfg.tol}. Increase max_iter"
    )
    spread = scale_spread(X)
    if spread > 10:
        return (
            f"{message}, or scale the features: the largest is {spread:.0f} times "
            "the typical one in root mean square (StandardScaler)."
        )
    return f"{message}, or raise tol."


def scale_spread(X):
    """How many times the largest feature exceeds the typical (median) one,
    in root mean square over (at most 10,000 of) the samples; constant-zero
    features are left out."""
    X = X[:: max(1, X.shape[0] // 10_000)]
    if sp.issparse(X):
        squares = np.asarray(X.multiply(X).sum(axis=0)).ravel()
    else:
        squares = np.einsum("ij,ij->j", X, X)
    rms = np.sqrt(squares / X.shape[0])
    rms = rms[rms > 0]
    return float(rms.max() / np.median(rms)) if rms.size else 1.0


def warn(message, category):
    """``warnings.warn`` pointed at the user's line, the first caller outside
    skcourse and scikit-learn's ``fit`` wrapper (``sklearn/base.py``)."""
    here = os.path.dirname(__file__)
    wrapper = os.path.join("sklearn", "base.py")
    frame, level = sys._getframe(0), 1
    while frame is not None and (
        frame.f_code.co_filename.startswith(here)
        or frame.f_code.co_filename.endswith(wrapper)
    ):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
