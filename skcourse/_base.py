"""What the estimators of skcourse share besides training: parameters, classes.

- ``TRAINING_CONSTRAINTS``: scikit-learn's parameter constraints for the names
  of ``_training.Config``, written once for every estimator.
- ``CallbackSupportMixin``: scikit-learn's callback support where it exists
  (>= 1.9), an empty class before.
- ``fit_context``: the decorator of every ``fit`` and ``partial_fit``: all or
  nothing.
- Class encoding helpers: targets ``T`` as the losses want them and per-sample
  weights that fold in ``class_weight``.
- ``LinearClassifier``: the base of the Perceptron and SoftmaxRegression.
"""

import functools
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.extmath import safe_sparse_dot
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from . import _fast_numpy
from ._array_api import (
    SUPPORTED,
    check_namespace,
    float_dtypes,
    host_dtype,
    move,
    namespace_and_device,
    ops,
    ops_of,
    to_device,
    to_host,
)
from ._callbacks import Callbacks
from ._monitoring import Stopping
from ._training import train

try:  # scikit-learn >= 1.9
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # pragma: no cover - older scikit-learn has no callbacks

    class CallbackSupportMixin:
        """Stand-in: scikit-learn < 1.9 has no ``sklearn.callback``."""


def fit_context(fit):
    """scikit-learn's ``_fit_context`` (parameter validation, callbacks), and
    all or nothing: a ``fit`` or ``partial_fit`` that raises leaves the
    estimator as it was before the call.

    Never fitted, it stays unfitted (``classes_`` and ``n_features_in_``,
    set before training, go too); fitted, it keeps its previous model.  The
    snapshot is shallow: training never writes into the arrays of a fitted
    attribute, it replaces them (``_training.train`` copies the start).  A
    ``KeyboardInterrupt`` inside the training loop is no failure: the loop
    keeps the weights reached so far (``_training.interrupted``); one that
    escapes ``fit`` restores the estimator, as any other exception.
    """

    # The snapshot is taken outside scikit-learn's context, so that the
    # callbacks' teardown (at its exit) runs before the estimator is restored.
    validated = _fit_context(prefer_skip_nested_validation=True)(fit)

    @functools.wraps(fit)
    def all_or_nothing(est, *args, **kwargs):
        before = dict(est.__dict__)
        try:
            return validated(est, *args, **kwargs)
        except BaseException:
            est.__dict__.clear()
            est.__dict__.update(before)
            raise

    return all_or_nothing


def _stochastic_solver(est):
    """``partial_fit`` exists only for the solvers that take minibatch steps
    (``est._stochastic_solvers``), as in scikit-learn's MLP."""
    if est.solver not in est._stochastic_solvers:
        raise AttributeError(
            "partial_fit is only available for stochastic optimizers "
            f"{est._stochastic_solvers}; {est.solver!r} is not stochastic."
        )
    return True


def resumable_optimizer(est, cfg, partial):
    """The optimizer ``partial_fit`` continues, or None: a new one.

    A stochastic solver's state (step count, average, decayed step size)
    lives in ``est._optimizer``.  ``partial_fit`` continues it only while it
    still describes the estimator: its public fitted attributes are what this
    optimizer made them (``est._optimizer_made``), and the parameters that
    define the steps have not changed.  Otherwise, and at every ``fit``, a new
    optimizer starts from the public attributes or the model's start.
    """
    optimizer = getattr(est, "_optimizer", None)
    made = getattr(est, "_optimizer_made", None)
    if not partial or optimizer is None or not made:
        return None
    if made["steps"] != cfg.steps():
        return None
    if not all(
        same_arrays(getattr(est, name, None), value)
        for name, value in made["fitted"].items()
    ):
        return None
    # Until this run ends well, the optimizer (changed in place) describes no
    # fitted model: a failed run's is not resumed (departure 11), though a
    # failed fit puts the record itself back.
    made.clear()
    return optimizer


def keep_optimizer(est, optimizer, cfg, fitted_attributes):
    """Record the optimizer of a finished run, for ``resumable_optimizer``."""
    if optimizer is None:
        return
    reached = [optimizer.fast.copy(p) for p in optimizer.model_params()]
    est._optimizer = optimizer
    est._optimizer_made = {"fitted": fitted_attributes(reached), "steps": cfg.steps()}


def same_arrays(a, b):
    """Equal arrays, or equal lists of arrays (an MLP's ``coefs_``), of the
    same library on the same device."""
    if isinstance(b, list):
        return (
            isinstance(a, list)
            and len(a) == len(b)
            and all(same_arrays(p, q) for p, q in zip(a, b, strict=True))
        )
    if isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and a.shape == b.shape and np.array_equal(a, b)
    xp, device = namespace_and_device(b)
    return (
        type(a) is type(b)
        and a.shape == b.shape
        and namespace_and_device(a) == (xp, device)
        and bool(xp.all(a == b))
    )


def record_history(est, history, n_samples, *, restart, validation, best, absent):
    """Write a run's ``History`` into the estimator's public attributes.

    ``n_iter_`` and ``t_`` (the samples seen, over all runs); ``loss_curve_``
    and, for a run that validated (``validation``), ``validation_scores_``
    and ``validation_loss_curve_``: continued from the previous run, or
    started anew for a cold fit (``restart``), as scikit-learn's MLP does.
    ``best_validation_score_`` is ``best(validation_scores_, history)``:
    the linear models report the score of the epoch they kept in this run,
    the MLPs, as scikit-learn's, the best over every run of a warm start.
    Without validation those attributes are deleted (``absent="delete"``: the
    linear models, as scikit-learn's SGD has none) or None (``absent=None``:
    the MLPs, as scikit-learn's).
    """
    curves = ("loss_curve_", "validation_scores_", "validation_loss_curve_")
    if restart:
        for name in curves:
            est.__dict__.pop(name, None)

    def continued(name, values):
        return (getattr(est, name, None) or []) + [float(v) for v in values]

    est.n_iter_ = history.n_iter
    est.t_ = getattr(est, "t_", 0) + history.n_iter * n_samples
    est.loss_curve_ = continued("loss_curve_", history.loss_curve)
    if validation:
        est.validation_scores_ = continued(
            "validation_scores_", history.validation_scores
        )
        est.validation_loss_curve_ = continued(
            "validation_loss_curve_", history.validation_loss_curve
        )
        est.best_validation_score_ = best(est.validation_scores_, history)
        return
    for name in (*curves[1:], "best_validation_score_"):
        if absent == "delete":
            est.__dict__.pop(name, None)
        else:
            setattr(est, name, None)


def callbacks_of(est, fitted_attributes):
    """scikit-learn's callbacks of ``est``, for ``_training.train``."""

    def callbacks(X, y, max_iter):
        return Callbacks(est, X, y, max_iter, fitted_attributes, enabled=True)

    return callbacks


TRAINING_CONSTRAINTS = {
    "learning_rate": [StrOptions({"auto", "constant", "invscaling", "adaptive"})],
    "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
    "power_t": [Interval(Real, 0, None, closed="left")],
    "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "shuffle": ["boolean"],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "warm_start": ["boolean"],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}


def check_class_labels(y):
    """scikit-learn's ``check_classification_targets``, less its scan of ``y``
    where the dtype already says: a 1-D array of integers, booleans or
    strings holds class labels.  (The scan costs ~0.1 ms, a tenth of a fit
    on iris; floats and objects may be continuous or mixed: scanned.)"""
    if isinstance(y, np.ndarray) and y.ndim == 1 and y.dtype.kind in "biuUS":
        return
    check_classification_targets(y)


def one_hot(y, classes, dtype):
    """The course's 1-of-K code ``t_n``; one column (``t = [y == classes[1]]``)
    for two classes, whose model has a single output."""
    T = (y[:, None] == classes[None, :]).astype(dtype)
    return T[:, 1:] if len(classes) == 2 else T


def class_sample_weight(
    y, classes, class_weight, sample_weight, X, dtype, partial=False
):
    """Per-sample weights: ``sample_weight`` times the weight of the sample's class.

    The one definition of ``class_weight`` for every classifier of skcourse.
    "balanced" weighs each class by ``sum(s) / (n_classes sum_{n in class} s_n)``:
    the classes then weigh the same in the objective, counting the sample
    weights (as scikit-learn >= 1.9 does).  ``partial``: a chunk of
    ``partial_fit``, whose class frequencies are not the whole data's.
    """
    s = _check_sample_weight(sample_weight, X, dtype=dtype, ensure_non_negative=True)
    if class_weight is None:
        return s
    if partial and class_weight == "balanced":
        raise ValueError(
            "class_weight='balanced' needs the class frequencies of the whole "
            "data, which partial_fit does not see; pass a dict instead, e.g. "
            "from sklearn.utils.class_weight.compute_class_weight."
        )
    index = np.searchsorted(classes, y)
    if class_weight == "balanced":
        totals = np.bincount(index, weights=s, minlength=len(classes))
        present = totals > 0
        weights = np.ones(len(classes))
        weights[present] = s.sum() / (present.sum() * totals[present])
    else:
        weights = compute_class_weight(class_weight, classes=classes, y=y)
    return s * weights[index].astype(dtype)


def weighted_mean(X, s, xp=np):
    """The feature means ``sum_n s_n phi_n / sum_n s_n``, dense or sparse ``X``."""
    if xp is not np:
        return X.T @ s / xp.sum(s)
    return np.asarray(X.T @ s).ravel() / s.sum()


def check_two_classes(y, s):
    """A classifier's ``fit`` needs samples of positive weight in two classes."""
    weighted_classes = np.unique(y[s > 0])
    if weighted_classes.size < 2:
        raise ValueError(
            "The samples of positive weight hold only one class "
            f"({weighted_classes}): a classifier needs at least 2 classes."
        )


class LinearClassifier(CallbackSupportMixin, ClassifierMixin, BaseEstimator):
    """What the linear classifiers share: classes, training, scores, labels.

    A subclass says what it learns: ``_objective()`` (model, loss, penalty),
    ``_config()`` (the training loop's ``Config``) and ``_targets(y, dtype)``
    (the targets its loss wants).  Its ``coef_`` is ``W^T`` and ``intercept_``
    is ``b`` of the scores ``a = x W + b``; two classes have one column of
    scores, positive for ``classes_[1]``.

    ``_array_api``: whether it trains where the data live under
    ``array_api_dispatch`` (``_array_api``); otherwise other libraries'
    arrays are brought to the host first.
    """

    _array_api = False

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.array_api_support = self._array_api and SUPPORTED
        return tags

    # -- data and classes ------------------------------------------------------

    def _namespace(self, X):
        """Where this estimator computes on ``X``: ``(xp, device)``."""
        if not self._array_api:
            return np, None
        return namespace_and_device(X)

    def _validate_X(self, X, reset, y="no_validation"):
        """``validate_data`` where the estimator computes (labels: host)."""
        xp, device = self._namespace(X)
        if xp is np:
            X = to_host(X)
        return validate_data(
            self,
            X,
            to_host(y),
            accept_sparse="csr",
            dtype=float_dtypes(xp, device),
            reset=reset,
        )

    def _validate_X_y(self, X, y, reset):
        X, y = self._validate_X(X, reset, y)
        check_class_labels(y)
        return X, y

    def _start_fit(self, X, y):
        """Validate a fit's data; returns X, y and whether it is a warm start.

        A warm start keeps the features (same number, same names) and the
        classes of the previous fit.
        """
        warm = self.warm_start and hasattr(self, "classes_")
        X, y = self._validate_X_y(X, y, reset=not warm)
        classes = np.unique(y)
        if classes.size < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in the "
                f"data, but the data contains only one class: {classes[0]!r}."
            )
        if warm and not np.array_equal(classes, self.classes_):
            raise ValueError(
                f"warm_start: y has classes {classes}, the previous fit had "
                f"{self.classes_}; set warm_start=False to start again."
            )
        self.classes_ = classes
        return X, y, warm

    def _start_partial_fit(self, X, y, classes):
        """Validate a chunk; returns X, y and whether it is the first call.

        A chunk may hold any number of samples of any of the classes (a
        label-sorted stream starts with one class): ``classes`` names them all.
        """
        if self.early_stopping:
            raise ValueError(
                "early_stopping should be False with partial_fit: early stopping "
                "needs a validation split of the whole data, which partial_fit "
                "does not see; use fit."
            )
        first = not hasattr(self, "classes_")
        X, y = self._validate_X_y(X, y, reset=first)
        if first:
            if classes is None:
                raise ValueError(
                    "classes must be passed on the first call to partial_fit."
                )
            self.classes_ = np.unique(np.asarray(classes))
            if len(self.classes_) < 2:
                raise ValueError("classes must hold at least two classes.")
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(
                f"y has labels {unknown} that are not in classes {self.classes_}."
            )
        return X, y, first

    def _sample_weight(self, X, y, sample_weight, partial=False):
        """The per-sample weights, computed on the host with the labels, and
        moved to where ``X`` is (once a fit)."""
        xp, device = self._namespace(X)
        host = (X, X.dtype) if xp is np else (y, host_dtype(X))
        s = class_sample_weight(
            y, self.classes_, self.class_weight, to_host(sample_weight), *host, partial
        )
        if not partial:
            check_two_classes(y, s)
        return to_device(s, xp, device)

    def _fast(self, X):
        """The seam the math runs through on ``X`` (``_array_api.ops``)."""
        return ops(*self._namespace(X))

    def _move_fitted(self, fast):
        """A warm start's fitted arrays, to where the new data are."""
        for name in ("coef_", "intercept_", "_feature_mean"):
            if name in self.__dict__ and not sp.issparse(self.__dict__[name]):
                setattr(self, name, move(self.__dict__[name], fast))

    def _n_outputs(self):
        return 1 if len(self.classes_) == 2 else len(self.classes_)

    # -- training ----------------------------------------------------------------

    def _train(self, X, y, s, params, *, partial, warm):
        """Run the training loop from ``params`` (None: the model's start)."""
        objective = self._objective()
        if params is None:
            params = objective.model.init_params(X.shape[1], self._n_outputs(), X.dtype)
        cfg = self._config()
        # Small data on one BLAS thread; the epochs' passes over all the data
        # (the loss, the average, validation) are the products to size.
        with objective.fast.blas_threads(X.shape[0], params[:1]):
            params, history, optimizer = train(
                cfg,
                objective,
                params,
                X,
                self._targets(y, X.dtype),
                s,
                y,
                score=self._validation_score,
                fitted_attributes=self._fitted_attributes,
                callbacks=callbacks_of(self, self._fitted_attributes),
                optimizer=resumable_optimizer(self, cfg, partial),
                stopping=self._stopping(cfg),
                partial=partial,
                epoch=self._epoch(objective, X.shape[0]),
            )
        keep_optimizer(self, optimizer, cfg, self._fitted_attributes)
        self.__dict__.update(self._fitted_attributes(params))
        record_history(
            self,
            history,
            X.shape[0],
            restart=not (partial or warm),
            validation=self.early_stopping and not partial,
            best=lambda scores, run: run.best_validation_score,
            absent="delete",
        )
        return self

    def _stopping(self, cfg):
        """The training loop's stopping policy: the plain stall rule."""
        return Stopping(cfg.tol, cfg.n_iter_no_change)

    def _epoch(self, objective, n_samples):
        """A model-specific epoch for the training loop (None: minibatches)."""
        return None

    def _params(self, dtype):
        """The model's parameters for the fitted ``coef_`` and ``intercept_``."""
        coef = self.coef_.toarray() if sp.issparse(self.coef_) else self.coef_
        return self._objective().model.params_from(coef.T, self.intercept_, dtype)

    def _fitted_attributes(self, params):
        W = params[0]
        model = self._objective().model
        fast = model.fast
        if fast is not _fast_numpy:
            b = (
                model.bias(params)
                if self.fit_intercept
                else fast.zeros(W.shape[1], W.dtype)
            )
            return {"coef_": fast.copy(W.T), "intercept_": fast.copy(b)}
        b = model.bias(params) if self.fit_intercept else np.zeros(W.shape[1], W.dtype)
        return {"coef_": np.ascontiguousarray(W.T), "intercept_": np.array(b)}

    def _validation_score(self, params, X, y, s):
        A = self._objective().decision(params, X)
        return float(np.average(self._labels(A) == y, weights=to_host(s)))

    # -- prediction ----------------------------------------------------------------

    def _scores(self, X, method="predict"):
        """The scores ``a = x W + b`` as a 2-D array (one column for 2 classes),
        where ``X`` is (``method``: the caller, for the error when that is not
        where the model is)."""
        check_is_fitted(self)
        if self._array_api:  # else X is brought to the host, as in fit
            check_namespace(X, self, "coef_", method)
        X = self._validate_X(X, reset=False)
        return safe_sparse_dot(X, self.coef_.T, dense_output=True) + self.intercept_

    def _labels(self, A):
        """The classes of the scores ``A``, on the host (``classes_`` is there):
        the winner is found where ``A`` is, and only it comes back."""
        # A score of exactly 0 predicts classes_[0] (the perceptron's sign(0)).
        if isinstance(A, np.ndarray):
            winner = (A[:, 0] > 0).astype(int) if A.shape[1] == 1 else A.argmax(axis=1)
            return self.classes_[winner]
        xp = ops_of(A).xp
        winner = (
            xp.astype(A[:, 0] > 0, xp.int64)
            if A.shape[1] == 1
            else xp.argmax(A, axis=1)
        )
        return self.classes_[to_host(winner)]

    def decision_function(self, X):
        """The scores :math:`a = x W + b`, one per class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            For two classes, one score per sample: positive means ``classes_[1]``.
        """
        A = self._scores(X, "decision_function")
        return A[:, 0] if A.shape[1] == 1 else A

    def predict(self, X):
        """The class of the largest score (for two classes, the sign of the score).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        labels = self._labels(self._scores(X, "predict"))
        if labels.dtype.kind in "OUS":  # strings stay NumPy, as scikit-learn's
            return labels
        return move(labels, self._fast(X))
