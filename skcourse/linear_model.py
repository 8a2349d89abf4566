"""Linear classifiers of the course: the perceptron and softmax regression.

Symbols of the slides and their names here: ``phi`` the rows of ``X``;
``W = (w_1, ..., w_K)`` is ``coef_.T``; ``b`` is ``intercept_``;
``a = phi W + b`` is ``decision_function``; ``y = softmax(a)`` is
``predict_proba``; ``gamma`` is the step size (``learning_rate_init``).
"""

from numbers import Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if

from ._array_api import check_namespace, ops_of
from ._base import (
    TRAINING_CONSTRAINTS,
    LinearClassifier,
    _stochastic_solver,
    fit_context,
    one_hot,
    weighted_mean,
)
from ._losses import BinaryLogLoss, SoftmaxCrossEntropy, log_softmax_of_scores
from ._models import ElasticNet, Linear, Objective
from ._perceptron import Perceptron
from ._training import Config

__all__ = ["Perceptron", "SoftmaxRegression"]


class SoftmaxRegression(LinearClassifier):
    r"""Multinomial logistic ("softmax") regression, the course's linear classifier.

    The posterior probability of class :math:`C_k` is the softmax of an affine
    function of the features, and the weights minimise the sample-weighted mean
    cross-entropy plus an L2 penalty, with the course's solvers (gradient
    descent, minibatch SGD, averaged SGD) or L-BFGS.

    Parameters
    ----------
    alpha : float, default=0.0001
        Strength of the L2 penalty :math:`\frac{\alpha}{2}\|W\|_F^2` (the
        intercept is not penalised). ``alpha = 1 / (C * n_samples)`` gives the
        same model as ``sklearn.linear_model.LogisticRegression(C=C)``. With
        sample or class weights the loss is their weighted mean (the weights
        are rescaled to mean 1), so the same model is ``alpha = 1 / (C * S)``
        with ``S`` the sum of the weights (sample weight times class weight).

    solver : {"lbfgs", "gd", "sgd", "asgd"}, default="lbfgs"
        - "lbfgs": scipy's L-BFGS-B on the whole objective; fast and exact.
        - "gd": full-batch gradient descent (one step per epoch).
        - "sgd": minibatch stochastic gradient descent.
        - "asgd": averaged SGD; the running average of the SGD iterates
          :math:`\bar W^{(n)} = \frac{n}{n+1}\bar W^{(n-1)} + \frac{1}{n+1}W^{(n)}`
          is the model.

    learning_rate : {"auto", "constant", "invscaling", "adaptive"}, default="auto"
        Step-size schedule of "gd", "sgd" and "asgd" (ignored by "lbfgs").

        - "auto": no tuning. "gd" takes :math:`\gamma = 1/L` from a bound on the
          Lipschitz constant :math:`L` of the gradient (the slides'
          :math:`0 < \gamma < 2/L`), so the loss decreases at every epoch.
          "sgd" and "asgd" start from :math:`1/L(B)`, the smoothness of a
          minibatch of size B (between :math:`L` and the largest curvature of
          one sample's loss); "asgd" keeps 16 times that step (averaging
          tolerates large steps), "sgd" divides it by 5 when the loss stalls.
        - "constant": ``learning_rate_init`` throughout.
        - "invscaling": ``learning_rate_init / (t + 1) ** power_t`` at step t.
        - "adaptive": ``learning_rate_init``, divided by 5 each time
          ``n_iter_no_change`` epochs in a row fail to lower the training loss
          by ``tol``; training stops when it falls below 1e-6.

    learning_rate_init : float, default=0.01
        The initial step size :math:`\gamma` of the non-"auto" schedules.

    power_t : float, default=0.5
        Exponent of the "invscaling" schedule.

    fit_intercept : bool, default=True
        Whether to learn the biases :math:`b`. ``False`` is the course's "bias
        trick" left to the user (see :class:`skcourse.preprocessing.AddBias`).

    batch_size : int or "auto", default="auto"
        Minibatch size of "sgd" and "asgd"; "auto" is ``min(200, n_samples)``.

    max_iter : int, default=1000
        Maximum number of epochs (full passes over the data; for "lbfgs",
        iterations). ``LogisticRegression`` stops L-BFGS at 100 iterations;
        the course's first-order solvers need a few hundred cheap epochs on
        small, nearly separable data before their loss stops improving by
        ``tol``.

    tol : float, default=1e-4
        Stopping tolerance (``LogisticRegression``'s and ``MLPClassifier``'s
        default). "gd", "sgd" and "asgd" stop when the training loss (or, with
        early stopping, the validation accuracy or, at equal accuracy, the
        validation loss) has not improved by ``tol`` for ``n_iter_no_change``
        epochs; "lbfgs" stops when the largest gradient component is below
        ``tol`` (scipy's ``gtol``).

    n_iter_no_change : int, default=5
        Number of epochs without improvement before stopping.

    shuffle : bool, default=True
        Whether to shuffle the samples at each epoch ("sgd", "asgd").

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified),
        stop when its accuracy has not improved by ``tol`` for
        ``n_iter_no_change`` epochs, and keep the weights of the best epoch
        (the highest accuracy; at equal accuracy the lowest validation loss).
        Unlike ``SGDClassifier``, which keeps its last epoch's weights.
        Not available in ``partial_fit``.

    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.

    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into the sample weights. "balanced"
        weighs classes inversely to their frequencies.

    warm_start : bool, default=False
        Start ``fit`` from the previous solution (and, for the stochastic
        solvers, continue the same step schedule and average).

    random_state : int, RandomState instance or None, default=None
        Seeds the shuffling and the validation split; a fresh generator is
        made from it at every ``fit``.

    verbose : int, default=0
        Print one line per epoch, "Iteration N, loss = ..." as scikit-learn's
        MLP (and, with early stopping, the validation score and loss).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels.

    coef_ : ndarray of shape (n_classes, n_features) or (1, n_features)
        The weights, one row :math:`w_k` per class. For two classes there is
        one row, as in scikit-learn: the model is the softmax with the first
        class's weights fixed at 0, i.e. the logistic model
        :math:`P(C_1|x) = \sigma(x w + b)`.

    intercept_ : ndarray of shape (n_classes,) or (1,)
        The biases :math:`b_k`.

    n_iter_ : int
        Number of epochs (or L-BFGS iterations) of the last ``fit``.

    t_ : int
        Number of training samples the solver has processed, over all fits.

    loss_curve_ : list of float
        The training objective after each epoch.

    validation_scores_ : list of float
        With early stopping: the validation accuracy after each epoch.

    validation_loss_curve_ : list of float
        With early stopping: the validation cross-entropy after each epoch.

    best_validation_score_ : float
        With early stopping: the validation accuracy of the kept epoch.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column names.

    See Also
    --------
    sklearn.linear_model.LogisticRegression : the same model, other solvers.
    sklearn.linear_model.SGDClassifier : ``loss="log_loss"`` is one-vs-rest.

    Notes
    -----
    The model of the slides "Multiclass logistic regression":

    .. math::

        P(C_k \mid x) = y_k(x) = \frac{\exp(x^\top w_k + b_k)}
                                       {\sum_{j=1}^K \exp(x^\top w_j + b_j)},

    and the objective, with sample weights :math:`s_n` of mean 1 and one-hot
    targets :math:`t_n`:

    .. math::

        E(W, b) = -\frac{1}{N}\sum_{n=1}^N s_n \log y_{t_n}(x_n)
                  + \frac{\alpha}{2}\|W\|_F^2,
        \qquad
        \nabla_W E = \frac{1}{N}\sum_{n=1}^N s_n\, x_n (y(x_n) - t_n)^\top
                     + \alpha W.

    :math:`E` is convex, so every solver reaches the same minimum. Rescaling
    all sample weights by a constant does not change the model.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skcourse.linear_model import SoftmaxRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = SoftmaxRegression().fit(X, y)
    >>> clf.predict(X[:2])
    array([0, 0])
    >>> round(float(clf.predict_proba(X[:1]).sum()), 6)
    1.0
    >>> round(clf.score(X, y), 2)
    0.98
    """

    _stochastic_solvers = ("sgd", "asgd")
    _parameter_constraints: dict = {
        **TRAINING_CONSTRAINTS,
        "alpha": [Interval(Real, 0, None, closed="left")],
        "solver": [StrOptions({"lbfgs", "gd", "sgd", "asgd"})],
        "fit_intercept": ["boolean"],
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        *,
        alpha=0.0001,
        solver="lbfgs",
        learning_rate="auto",
        learning_rate_init=0.01,
        power_t=0.5,
        fit_intercept=True,
        batch_size="auto",
        max_iter=1000,
        tol=1e-4,
        n_iter_no_change=5,
        shuffle=True,
        early_stopping=False,
        validation_fraction=0.1,
        class_weight=None,
        warm_start=False,
        random_state=None,
        verbose=0,
    ):
        self.alpha = alpha
        self.solver = solver
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.fit_intercept = fit_intercept
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.class_weight = class_weight
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose

    @fit_context
    def fit(self, X, y, sample_weight=None):
        """Fit the model to the training data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training features; float32 stays float32.
        y : array-like of shape (n_samples,)
            Class labels (at least two classes).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples.

        Returns
        -------
        self : SoftmaxRegression
            The fitted estimator.
        """
        X, y, warm = self._start_fit(X, y)
        s = self._sample_weight(X, y, sample_weight)
        fast = self._fast(X)  # where X is, the model trains
        if not warm:
            self.t_ = 0
            # The centring of the model's coordinates (see _models.Linear);
            # kept while training continues, so that its state stays valid.
            self._feature_mean = weighted_mean(X, s, fast.xp)
        else:
            self._move_fitted(fast)
        params = self._params(X.dtype) if warm else None
        return self._train(X, y, s, params, partial=False, warm=warm)

    @available_if(_stochastic_solver)
    @fit_context
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """One epoch of the stochastic solver over ``X``, continuing from before.

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
        self : SoftmaxRegression
            The updated estimator.
        """
        X, y, first = self._start_partial_fit(X, y, classes)
        s = self._sample_weight(X, y, sample_weight, partial=True)
        fast = self._fast(X)
        if first:
            self.t_ = 0
            self._feature_mean = weighted_mean(X, s, fast.xp)
        else:
            self._move_fitted(fast)
        params = None if first else self._params(X.dtype)
        return self._train(X, y, s, params, partial=True, warm=not first)

    _array_api = True  # trains where the data live (_array_api)

    def _objective(self):
        # Where the centring _feature_mean lives, the data of this fit are.
        fast = ops_of(self._feature_mean)
        loss = BinaryLogLoss if len(self.classes_) == 2 else SoftmaxCrossEntropy
        model = Linear(self.fit_intercept, offset=self._feature_mean, fast=fast)
        return Objective(model, loss.on(fast), ElasticNet(self.alpha, fast=fast))

    def _config(self):
        return Config.from_estimator(self)

    def _targets(self, y, dtype):
        fast = ops_of(self._feature_mean)
        if fast.xp is np:
            return one_hot(y, self.classes_, dtype)
        # Labels live on the host: their code goes to the data, once a fit.
        return fast.xp.asarray(
            one_hot(y, self.classes_, bool), dtype=dtype, device=fast.device
        )

    def predict_proba(self, X):
        """The posterior probabilities :math:`y = \\mathrm{softmax}(a)`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1; columns follow ``classes_``.
        """
        check_namespace(X, self, "coef_", "predict_proba")
        return ops_of(self.coef_).xp.exp(self.predict_log_proba(X))

    def predict_log_proba(self, X):
        """The log-probabilities :math:`a_k - \\log \\sum_j \\exp a_j`, computed stably.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``; finite even for scores of 1e4.
        """
        A = self._scores(X, "predict_log_proba")
        return log_softmax_of_scores(A, ops_of(A))
