"""What the training loop watches at the end of each epoch: the curves, the
stopping policy, divergence.

- ``Stopping``: the estimator's stopping policy (stall rules, ties, outputs
  that stop on their own, the perceptron's scale-free criterion), handed to
  ``_training.train``;
- ``Monitor``: an epoch's bookkeeping: ``History`` (what becomes
  ``loss_curve_`` and friends), the validation of early stopping (keeping
  the best epoch), the divergence checks, verbose lines and callbacks.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from ._array_api import ops_of


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


def one_value(x):
    """A number (or 0-d array), not one per output: ``np.ndim(x) == 0``, which
    costs more than a small epoch's bookkeeping should (it runs a few times
    an epoch)."""
    return not isinstance(x, np.ndarray) or x.ndim == 0


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
        if one_value(self.stall):  # one loss: Python's numbers, 5x faster
            return self.active and self.stall >= self.n_iter_no_change
        return self.active and not np.any(self.stall < self.n_iter_no_change)

    def go_on(self):
        """After a decay of the step size: count the stalls anew."""
        self.stall = np.zeros_like(self.stall)

    def stopped_outputs(self):
        """The outputs that stalled on their own (None: all train together)."""
        if not self.active or one_value(self.stall):
            return None
        return self.stall >= self.n_iter_no_change

    def track_loss(self, losses):
        """Count the epochs since the training loss last improved by ``tol``."""
        if one_value(losses):  # one loss (finite: Monitor checked it)
            self.stall = 0 if losses < self.best - self.tol else self.stall + 1
            self.best = min(losses, self.best)
            return
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
        losses, loss = loss, float(loss if one_value(loss) else np.sum(loss))
        if not math.isfinite(loss):
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
            self.best_params = [ops_of(p).copy(p) for p in params]

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


def divergence_ceiling(objective, start):
    """``DIVERGENCE_FACTOR`` times the ``start`` loss, at least that times 1.

    None for a loss whose size grows with the weights (the perceptron
    criteria): there only a non-finite loss is a blow-up.
    """
    if objective.loss.homogeneous:
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
        return objective.value(params, X[rows, ...], T[rows, ...], s[rows])
