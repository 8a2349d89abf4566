"""The perceptron of the course (Rosenblatt, 1958), a drop-in for scikit-learn's.

Slides "Perceptron" and "Perceptron algorithm": ``y = sign(<w, x> + b)``, the
criterion ``E(w) = sum max(-d <w, x>, 0)`` over targets ``d = +-1``, and the
update ``w <- w + gamma d x`` on each mistake.  Here the perceptron is only a
*choice* of the shared ingredients: the linear model (``_models.Linear``), the
perceptron criterion (``_losses``), steps of one sample with a constant step
(``_training``, which runs them exactly but scans ahead for the mistakes).

Symbols of the slides and their names here: ``x`` the rows of ``X``; ``w`` a
row of ``coef_`` (``W = coef_.T`` in the model); ``b`` is ``intercept_``;
``a = <w, x> + b`` is ``decision_function``; ``d`` the +-1 targets; ``gamma``
is ``eta0``.
"""

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import _check_sample_weight, check_is_fitted

from ._base import (
    TRAINING_CONSTRAINTS,
    LinearClassifier,
    class_sample_weight,
    fit_context,
    one_hot,
    weighted_mean,
)
from ._losses import (
    MulticlassPerceptronCriterion,
    PerceptronCriterion,
    log_softmax_of_scores,
    logsumexp,
)
from ._models import ElasticNet, Linear, Objective
from ._monitoring import Stopping
from ._online import online_epoch, runs_online
from ._training import Config

#: ``penalty`` -> ``l1_ratio`` of the elastic-net penalty in ``Objective``.
_L1_RATIO = {"l2": 0.0, "l1": 1.0}

#: Folds of the out-of-fold scores that ``probability=True`` calibrates on.
CALIBRATION_FOLDS = 5


def plus_minus_one(y, classes, dtype):
    """The course's targets ``d = +-1``: one column for two classes (``+1`` is
    ``classes[1]``), else one per class (one-vs-rest)."""
    return 2 * one_hot(y, classes, dtype) - 1


def _has_probability(est):
    """``predict_proba`` exists only with ``probability=True``, as in ``SVC``."""
    if not est.probability:
        raise AttributeError(
            "predict_proba is not available when probability=False: a perceptron "
            "has no probability model. Set probability=True to calibrate its "
            "scores during fit."
        )
    return True


def _no_probability(est):
    """``partial_fit`` cannot update a calibration made on held-out folds."""
    if est.probability:
        raise AttributeError(
            "partial_fit is not available when probability=True: the calibration "
            "needs held-out folds of the whole training data."
        )
    return True


class Perceptron(LinearClassifier):
    r"""Rosenblatt's perceptron: the course's first classifier, averaged, multiclass.

    A drop-in for :class:`sklearn.linear_model.Perceptron` (same parameters,
    defaults, methods and attributes), plus the averaged perceptron
    (``average``), a winner-takes-all multiclass rule (``multi_class``),
    minibatches (``batch_size``) and calibrated probabilities
    (``probability``).

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet"} or None, default=None
        The penalty added to the criterion; None (the classic perceptron)
        ignores ``alpha``. As in scikit-learn, each step is followed by the
        penalty's own step: L2 shrinks the weights by
        :math:`\max(0, 1 - \eta_0\alpha(1-\rho))`, never past zero; L1 is
        the cumulative truncated step of Tsuruoka et al. (2009), which gives
        exact zeros (see :meth:`sparsify`). L2 only scales the weights, and
        the online rule still runs a block of samples at a time (as fast as
        scikit-learn on MNIST); L1 and "elasticnet" (and L2 with ``average``)
        move each weight its own way at every step, so the rule then runs one
        Python step per sample: several times slower than scikit-learn on
        large data.

    alpha : float, default=0.0001
        Strength of the penalty, when there is one.

    l1_ratio : float, default=0.15
        Mix of the "elasticnet" penalty: :math:`\alpha(\rho\|W\|_1 +
        \frac{1-\rho}{2}\|W\|^2)` with :math:`\rho` = ``l1_ratio``.

    fit_intercept : bool, default=True
        Whether to learn the bias :math:`b` (the slides' weight 0 of an input
        fixed at 1).

    max_iter : int, default=1000
        Maximum number of epochs (passes over the training data).

    tol : float or None, default=1e-3
        Training stops when the epoch's criterion has not fallen below its best
        value minus ``tol`` for ``n_iter_no_change`` epochs in a row. The
        online rule's criterion is the mean of :math:`\max(-d\,a, 0)` with
        each sample's score taken when the sample was visited, as in
        scikit-learn. The averaged perceptron's model is its average, whose
        criterion grows with it, and minibatches' criterion is 0 at the zero
        start (a full batch's first epoch would be a best no later one
        beats): both watch the model after each epoch, by the share of its
        scores on the wrong side,
        :math:`\sum_n s_n \max(-d_n a_n, 0) / \sum_n s_n |a_n|` (1 when
        all scores are 0), which depends on neither the weights' nor the
        features' scale. Each
        one-vs-rest perceptron stops on its own. With early stopping, the
        validation accuracy must rise by ``tol`` instead. None: exactly
        ``max_iter`` epochs, even on separable data, and no
        ``ConvergenceWarning``.

    shuffle : bool, default=True
        Whether to shuffle the samples at each epoch.

    verbose : int, default=0
        Print one line per epoch.

    eta0 : float, default=1.0
        The step :math:`\gamma` of the update :math:`w \leftarrow w + \gamma d x`.

    n_jobs : int or None, default=None
        Accepted for compatibility and ignored: the one-vs-rest perceptrons are
        trained together in one vectorised pass (BLAS may use several cores).

    random_state : int, RandomState instance or None, default=0
        Seeds the shuffling, the validation split and the calibration folds.
        A fresh generator is made from it at every ``fit``.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified), stop
        when its accuracy has not risen by ``tol`` for ``n_iter_no_change``
        epochs, and keep the weights of the best epoch (scikit-learn keeps the
        last epoch's). Not available in ``partial_fit``.

    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.

    n_iter_no_change : int, default=5
        Number of epochs without improvement before stopping.

    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into the sample weights.
        "balanced" counts the sample weights: each class's weights then sum to
        the same total (scikit-learn's Perceptron counts samples only).

    warm_start : bool, default=False
        Start ``fit`` from the public ``coef_`` and ``intercept_``, with the
        current parameters: a new step count and a new average, as in
        scikit-learn.

    multi_class : {"ovr", "multinomial"}, default="ovr"
        With more than two classes: "ovr" trains one perceptron per class (class
        k against the rest), all in the same pass; "multinomial" is the
        winner-takes-all rule: on a mistake, :math:`\gamma x` is added to the
        true class's row and subtracted from the predicted class's row. Two
        classes always use the single weight vector of the slides.

    average : bool or int, default=False
        The averaged perceptron: the mean of the weights after every step, not
        the last weights, is the model. True averages from the first sample,
        an int ``k`` from the ``k``-th sample on (as ``SGDClassifier``).

    batch_size : int, default=1
        Samples per step. 1 is the classic online rule; a larger value applies
        the summed update of the minibatch's mistakes, divided by its size:
        gradient descent on the mean criterion, in centred coordinates (the
        rule on :math:`x - \bar x`, as ``SoftmaxRegression``): on features
        far from zero the bias, a weight on a constant 1, otherwise takes
        hundreds of minibatch steps to find its place.

    probability : bool, default=False
        Also calibrate the scores during ``fit`` and offer ``predict_proba``,
        as ``SVC``: a copy of the perceptron is trained on each of 5
        stratified folds, and a temperature :math:`\tau` is fitted by
        minimising the cross-entropy of :math:`\mathrm{softmax}(a/\tau)` on
        the held-out scores. ``fit`` costs about 5 more fits; ``partial_fit``
        is not available.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.

    coef_ : ndarray of shape (1, n_features) or (n_classes, n_features)
        The weights :math:`w`; one row for two classes (``classes_[1]`` is the
        positive side), else one row per class. A sparse matrix after
        :meth:`sparsify`.

    intercept_ : ndarray of shape (1,) or (n_classes,)
        The biases :math:`b`.

    n_iter_ : int
        Number of epochs of the last ``fit`` (1 for ``partial_fit``).

    t_ : int
        As in scikit-learn: ``n_iter_ * n_samples + 1`` after a ``fit`` (warm
        or not), and one more per sample of each later ``partial_fit``.

    loss_curve_ : list of float
        The training criterion of each epoch, the one ``tol`` watches (see
        ``tol``); summed over the one-vs-rest perceptrons (one that has stopped
        adds its last value).

    temperature_ : float
        With ``probability=True``: the calibrated temperature :math:`\tau`.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column names.

    See Also
    --------
    sklearn.linear_model.Perceptron : the same model and parameters.
    skcourse.linear_model.SoftmaxRegression : a probabilistic linear classifier.

    Notes
    -----
    Two classes: targets :math:`d_n = +1` for ``classes_[1]`` and :math:`-1`
    for ``classes_[0]``, the decision and prediction

    .. math::

        a(x) = \langle w, x \rangle + b, \qquad y(x) = \mathrm{sign}(a(x)),

    and the criterion, with sample weights :math:`s_n` of mean 1,

    .. math::

        E(w, b) = \frac{1}{N} \sum_{n=1}^N s_n \max(-d_n a(x_n), 0).

    With ``batch_size=1`` and no penalty, the step on sample :math:`n` is the
    slides' rule: if :math:`d_n a(x_n) \le 0`,

    .. math::

        w \leftarrow w + \gamma\, s_n d_n x_n, \qquad b \leftarrow b + \gamma\, s_n d_n,

    else nothing. Without a penalty the steps of a block of samples are
    found together, exactly (``skcourse._online.online_epoch``), so that
    the online rule runs at the speed of matrix products.
    A score of exactly 0 counts as a mistake during training
    (so that the zero start moves) and predicts ``classes_[0]`` (``sign(0)``
    read as -1, as in scikit-learn). "multinomial" replaces the criterion by
    :math:`\max_k a_k(x_n) - a_{t_n}(x_n)`; ties of the scores go to the
    first class of ``classes_``. The data are read in a new random order at
    each epoch (``shuffle``); the weights start at zero.

    The perceptron converges when the data are linearly separable (training
    ends at the first epoch without a mistake, whatever ``tol``; the averaged
    perceptron goes on, as its average still moves) and cycles otherwise
    (XOR, the slide "Perceptrons book"), until ``max_iter`` with a
    ``ConvergenceWarning``. Among the many separating solutions it may stop
    at any one; the averaged perceptron (``average=True``) usually
    generalises much better.

    ``predict_proba`` (``probability=True``) is
    :math:`\mathrm{softmax}(a/\tau)` (for two classes, of :math:`[0, a]`):
    dividing by :math:`\tau > 0` keeps the order of the scores, so its argmax
    is ``predict``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skcourse.linear_model import Perceptron
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = Perceptron(average=True).fit(X, y)
    >>> clf.coef_.shape
    (3, 4)
    >>> round(clf.score(X, y), 2)
    0.92
    """

    _parameter_constraints: dict = {
        **{
            name: TRAINING_CONSTRAINTS[name]
            for name in (
                "max_iter",
                "shuffle",
                "verbose",
                "random_state",
                "early_stopping",
                "validation_fraction",
                "n_iter_no_change",
                "warm_start",
            )
        },
        "penalty": [StrOptions({"l2", "l1", "elasticnet"}), None],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "l1_ratio": [Interval(Real, 0, 1, closed="both")],
        "fit_intercept": ["boolean"],
        "tol": [Interval(Real, 0, None, closed="left"), None],
        "eta0": [Interval(Real, 0, None, closed="neither")],
        "n_jobs": [Integral, None],
        "class_weight": [StrOptions({"balanced"}), dict, None],
        "multi_class": [StrOptions({"ovr", "multinomial"})],
        "average": ["boolean", Interval(Integral, 0, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "probability": ["boolean"],
    }

    def __init__(
        self,
        *,
        penalty=None,
        alpha=0.0001,
        l1_ratio=0.15,
        fit_intercept=True,
        max_iter=1000,
        tol=1e-3,
        shuffle=True,
        verbose=0,
        eta0=1.0,
        n_jobs=None,
        random_state=0,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=5,
        class_weight=None,
        warm_start=False,
        multi_class="ovr",
        average=False,
        batch_size=1,
        probability=False,
    ):
        self.penalty = penalty
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.shuffle = shuffle
        self.verbose = verbose
        self.eta0 = eta0
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.multi_class = multi_class
        self.average = average
        self.batch_size = batch_size
        self.probability = probability

    # --- fitting ---------------------------------------------------------------

    @fit_context
    def fit(self, X, y, coef_init=None, intercept_init=None, sample_weight=None):
        """Fit the perceptron to the training data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training features; float32 stays float32.
        y : array-like of shape (n_samples,)
            Class labels (at least two classes).
        coef_init : array-like of shape (n_classes, n_features), default=None
            Starting weights (one row for two classes); zero by default.
        intercept_init : array-like of shape (n_classes,), default=None
            Starting biases (one for two classes); zero by default.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples: sample n's step is scaled by
            its weight, divided by the mean weight.

        Returns
        -------
        self : Perceptron
            The fitted estimator.
        """
        X, y, warm = self._start_fit(X, y)
        s = self._sample_weight(X, y, sample_weight)
        if not (warm and hasattr(self, "_feature_mean")):
            # Minibatches step in centred coordinates (see _objective).
            self._feature_mean = weighted_mean(X, s)
        params = self._initial_params(X, coef_init, intercept_init, warm)
        if params is None and warm:
            params = self._params(X.dtype)
        self.t_ = 1  # scikit-learn's count: n_iter_ * n_samples + 1 for this fit
        self._train(X, y, s, params, partial=False, warm=warm)
        if self.probability:
            if sample_weight is not None:
                sample_weight = _check_sample_weight(sample_weight, X, dtype=X.dtype)
            self.temperature_ = self._calibrate(X, y, sample_weight)
        return self

    @available_if(_no_probability)
    @fit_context
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One epoch over ``X``, continuing from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training features.
        y : array-like of shape (n_samples,)
            Its class labels.
        classes : array-like of shape (n_classes,), default=None
            All the classes; required at the first call, ignored after.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples.

        Returns
        -------
        self : Perceptron
            The updated estimator.
        """
        X, y, first = self._start_partial_fit(X, y, classes)
        s = self._sample_weight(X, y, sample_weight, partial=True)
        if first:
            self.t_ = 1
            self._feature_mean = weighted_mean(X, s)  # kept for the stream
        params = None if first else self._params(X.dtype)
        return self._train(X, y, s, params, partial=True, warm=not first)

    def _initial_params(self, X, coef_init, intercept_init, warm):
        """``[W, b]`` from ``coef_init`` / ``intercept_init``; None if neither."""
        if coef_init is None and intercept_init is None:
            return None
        n_outputs = self._n_outputs()
        W = np.zeros((X.shape[1], n_outputs), X.dtype)
        b = np.zeros(n_outputs, X.dtype)
        if warm:  # what is not given continues from the previous fit
            W = self._params(X.dtype)[0]
            b = self.intercept_.astype(X.dtype)
        if coef_init is not None:
            W = _as_init(coef_init, (n_outputs, X.shape[1]), "coef_init", X.dtype).T
        if intercept_init is not None:
            if n_outputs == 1 and np.ndim(intercept_init) == 0:
                intercept_init = [intercept_init]  # a binary problem's one bias
            b = _as_init(intercept_init, (n_outputs,), "intercept_init", X.dtype)
        return self._objective().model.params_from(W, b, X.dtype)

    def _objective(self):
        if self._n_outputs() > 1 and self.multi_class == "multinomial":
            loss = MulticlassPerceptronCriterion
        else:
            loss = PerceptronCriterion
        # scikit-learn's Perceptron uses alpha only with a penalty.
        alpha = 0.0 if self.penalty is None else self.alpha
        l1_ratio = _L1_RATIO.get(self.penalty, self.l1_ratio)
        # The online rule (batch_size=1) works in raw coordinates, where its
        # blocks compute <x_j, x_i>; minibatches step in centred ones, as
        # SoftmaxRegression (design, departure 8): on data far from the
        # origin the bias, whose "feature" is 1 against x's tens, otherwise
        # takes hundreds of minibatch steps to find its place.
        offset = self._feature_mean if self.batch_size > 1 else None
        model = Linear(self.fit_intercept, offset)
        return Objective(model, loss, ElasticNet(alpha, l1_ratio))

    def _epoch(self, objective, n_samples):
        """The online rule's exact block shortcut, where it applies."""
        averaged = bool(self.average)
        if runs_online(objective, self.batch_size, n_samples, "constant", averaged):
            return online_epoch
        return None

    def _stopping(self, cfg):
        """The perceptron criteria grow with the weights: a minibatch epoch
        is judged by the model's scale-free loss after it, and an epoch
        without a mistake is a fixed point (``_monitoring.Stopping``)."""
        return Stopping(
            cfg.tol, cfg.n_iter_no_change, scale_free=True, still_is_converged=True
        )

    def _targets(self, y, dtype):
        if self._objective().loss is MulticlassPerceptronCriterion:
            return one_hot(y, self.classes_, dtype)
        return plus_minus_one(y, self.classes_, dtype)

    def _config(self):
        """The training loop's ``Config``, from scikit-learn's Perceptron names."""
        # Averaging from the k-th sample is averaging from step ceil(k / B).
        start = -(-int(self.average) // self.batch_size) if self.average else None
        return Config.from_estimator(
            self,
            solver="asgd" if self.average else "sgd",
            learning_rate="constant",
            learning_rate_init=self.eta0,
            step_parameter="eta0",
            average_start=start,
        )

    # --- probabilities ---------------------------------------------------------

    def _calibrate(self, X, y, sample_weight):
        """The temperature that best calibrates out-of-fold scores (``SVC``-like)."""
        A = self._out_of_fold_scores(X, y, sample_weight)
        s = class_sample_weight(
            y, self.classes_, self.class_weight, sample_weight, X, np.float64
        )
        return fit_temperature(A, np.searchsorted(self.classes_, y), s)

    def _out_of_fold_scores(self, X, y, sample_weight):
        """Scores of each sample by a perceptron that did not train on it.

        With fewer than 2 samples in some class there are no such folds; the
        scores of the fitted model on its own training data stand in.
        """
        n_folds = min(CALIBRATION_FOLDS, np.unique(y, return_counts=True)[1].min())
        if n_folds < 2:
            return self._scores(X)
        folds = StratifiedKFold(
            n_folds, shuffle=True, random_state=check_random_state(self.random_state)
        )
        fold_model = clone(self).set_params(
            probability=False, warm_start=False, verbose=0
        )
        A = np.empty((X.shape[0], self._n_outputs()))
        for train_rows, test_rows in folds.split(X, y):
            weights = None if sample_weight is None else sample_weight[train_rows]
            with warnings.catch_warnings():
                # The folds' convergence is the main fit's business.
                warnings.simplefilter("ignore", ConvergenceWarning)
                fold = clone(fold_model).fit(
                    X[train_rows], y[train_rows], sample_weight=weights
                )
            A[test_rows] = fold._scores(X[test_rows])
        return A

    @available_if(_has_probability)
    def predict_proba(self, X):
        """Calibrated probabilities :math:`\\mathrm{softmax}(a / \\tau)`.

        Available with ``probability=True``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1; columns follow ``classes_``; the argmax is ``predict``.
        """
        return np.exp(self.predict_log_proba(X))

    @available_if(_has_probability)
    def predict_log_proba(self, X):
        """The logarithm of :meth:`predict_proba`, computed stably.

        Available with ``probability=True``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``.
        """
        check_is_fitted(self, "temperature_")
        return log_softmax_of_scores(self._scores(X) / self.temperature_)

    # --- sparse coefficients ---------------------------------------------------

    def sparsify(self):
        """Store ``coef_`` as a scipy sparse matrix (worth it when mostly zero).

        Returns
        -------
        self : Perceptron
            The estimator, with a sparse ``coef_``.
        """
        check_is_fitted(self)
        self.coef_ = sp.csr_matrix(self.coef_)
        return self

    def densify(self):
        """Store ``coef_`` as a numpy array again (the default after ``fit``).

        Returns
        -------
        self : Perceptron
            The estimator, with a dense ``coef_``.
        """
        check_is_fitted(self)
        if sp.issparse(self.coef_):
            self.coef_ = self.coef_.toarray()
        return self


def _as_init(value, shape, name, dtype):
    """``coef_init`` / ``intercept_init`` as an array of ``shape``, or a clear error."""
    array = np.asarray(value, dtype=dtype)
    if array.shape != shape:
        # scikit-learn's words first: code that catches its error catches ours.
        raise ValueError(
            f"Provided {name} does not match dataset: it has shape "
            f"{array.shape}; expected {shape}."
        )
    if not np.isfinite(array).all():
        raise ValueError(f"{name} holds NaN or infinite values.")
    return array


def fit_temperature(A, k, s):
    """The ``tau > 0`` minimising the weighted cross-entropy of ``softmax(a / tau)``.

    ``A`` holds held-out scores and ``k`` the true class indices.  The
    cross-entropy is convex in ``1 / tau``, so a bounded scalar search over
    ``log tau`` finds its minimum.  The scores are first scaled to unit
    spread, so that the bounds ``1e-6 .. 1e6`` are relative to their size.
    """
    A = np.hstack([np.zeros_like(A), A]) if A.shape[1] == 1 else A
    spread = float(np.std(A)) or 1.0
    A = A / spread
    true_score = A[np.arange(len(k)), k]

    def cross_entropy(log_tau):
        beta = np.exp(-log_tau)
        return s @ (logsumexp(beta * A)[:, 0] - beta * true_score)

    result = minimize_scalar(
        cross_entropy, bounds=(np.log(1e-6), np.log(1e6)), method="bounded"
    )
    return float(np.exp(result.x) * spread)
