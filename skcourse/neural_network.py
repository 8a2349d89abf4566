"""Multilayer perceptrons of the course: ``MLPClassifier`` and ``MLPRegressor``.

Drop-ins for scikit-learn's classes of the same names (same parameters,
methods and fitted attributes), built from the course's parts: the dense
network of ``_network`` (forward pass, backpropagation), the losses of
``_losses``, the optimizers of ``_optimizers`` and the one training loop of
``_training``.  What they share lives in ``_mlp.BaseMLP``.

Slides "Multilayer perceptron": ``h_k = g(W_k h_{k-1} + b_k)``, ``h_0 = x``;
``coefs_[k]`` is ``W_{k+1}^T`` and ``intercepts_[k]`` is ``b_{k+1}``.
"""

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.metrics import accuracy_score, r2_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import (
    _check_partial_fit_first_call,
    type_of_target,
    unique_labels,
)
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from ._array_api import (
    check_namespace,
    float_dtypes,
    host_dtype,
    move,
    namespace_and_device,
    ops_of,
    to_host,
)
from ._base import (
    _stochastic_solver,
    check_class_labels,
    class_sample_weight,
    fit_context,
    one_hot,
)
from ._mlp import BaseMLP
from ._mlp_docs import SHARED_ATTRIBUTES, SHARED_PARAMETERS

__all__ = ["MLPClassifier", "MLPRegressor"]


def _validate(est, X, y, first, **kwargs):
    """``X`` where it is; ``y`` (labels, or targets) on the host."""
    X, y = validate_data(
        est,
        X,
        to_host(y),
        accept_sparse="csr",
        multi_output=True,
        dtype=float_dtypes(*namespace_and_device(X)),
        reset=first,
        **kwargs,
    )
    if y.ndim == 2 and y.shape[1] == 1:
        y = column_or_1d(y, warn=True)
    return X, y


def _to_data(A, X, dtype=None):
    """``A`` (host) moved where the data ``X`` are, in ``dtype`` (once a fit)."""
    fast = ops_of(X)
    if fast.xp is np:
        return A if dtype is None else A.astype(dtype, copy=False)
    return fast.xp.asarray(A, dtype=dtype, device=fast.device)


def _sample_weight(sample_weight, X, y, class_weight=None, classes=None, partial=False):
    """The sample weights (times the class weights), computed on the host
    with the labels, moved where ``X`` is."""
    host = (y, host_dtype(X)) if ops_of(X).xp is not np else (X, X.dtype)
    s = class_sample_weight(
        y, classes, class_weight, to_host(sample_weight), *host, partial
    )
    return _to_data(s, X)


class MLPClassifier(ClassifierMixin, BaseMLP):
    __doc__ = (
        r"""Multilayer perceptron classifier, trained by backpropagation.

    A drop-in for ``sklearn.neural_network.MLPClassifier``: the same
    parameters, methods and fitted attributes, plus ``activation="softplus"``,
    ``solver="asgd"``, ``class_weight``, ``transform`` (the last hidden
    layer), ``decision_function`` and ``validation_loss_curve_``.

    The output layer is a softmax for several classes, trained with the
    cross-entropy; a logistic unit for two classes, and one logistic unit per
    label for multilabel targets, trained with the binary log-loss.

    Parameters
    ----------"""
        + SHARED_PARAMETERS
        + r"""
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into the sample weights (not in
        scikit-learn's MLP). "balanced" gives every class the same total of
        sample weights, as in the linear models of skcourse (classes weigh
        inversely to their weighted frequencies); ``partial_fit`` needs a
        dict.

    Attributes
    ----------
    classes_ : ndarray or list of ndarray
        The class labels (for multilabel targets, the label indices)."""
        + SHARED_ATTRIBUTES
        + r"""
    See Also
    --------
    MLPRegressor : the same network for regression.
    skcourse.linear_model.SoftmaxRegression : no hidden layer.

    Notes
    -----
    With hidden layers :math:`h_k = g(W_k h_{k-1} + b_k)`, :math:`h_0 = x`,
    the output :math:`y = \mathrm{softmax}(W_L h_{L-1} + b_L)` (logistic for
    two classes) minimises on each batch :math:`B`

    .. math::

        E_B = \frac{\sum_{n\in B} s_n E_n + \frac{\alpha}{2}\sum_k \|W_k\|^2}
                   {\sum_{n\in B} s_n},
        \qquad E_n = -\sum_k t_{nk} \log y_k(x_n),

    with :math:`\nabla E` by backpropagation,
    :math:`\delta_k = g'(a_k) \odot (\delta_{k+1} W_{k+1}^\top)`.

    Examples
    --------
    >>> from skcourse.datasets import make_xor
    >>> from skcourse.neural_network import MLPClassifier
    >>> X, y = make_xor(n_samples=40, noise=0.1, random_state=0)
    >>> clf = MLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs",
    ...                     random_state=0).fit(X, y)
    >>> clf.score(X, y)
    1.0
    """
    )

    _parameter_constraints: dict = {
        **BaseMLP._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=0.0001,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-08,
        n_iter_no_change=10,
        max_fun=15000,
        class_weight=None,
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
        )
        self.class_weight = class_weight

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags

    @fit_context
    def fit(self, X, y, sample_weight=None):
        """Fit the network to ``X`` and the classes ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training features; float32 stays float32.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a label indicator matrix (multilabel).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples.

        Returns
        -------
        self : MLPClassifier
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, partial=False)

    @available_if(_stochastic_solver)
    @fit_context
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """One epoch of the stochastic solver over ``X``, from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training features.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Its labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples.
        classes : array-like of shape (n_classes,), default=None
            All the classes; required at the first call, not after.

        Returns
        -------
        self : MLPClassifier
            The updated estimator.
        """
        return self._fit(X, y, sample_weight, partial=True, classes=classes)

    def _prepare(self, X, y, sample_weight, *, partial, first, classes):
        if partial and _check_partial_fit_first_call(self, classes):
            multilabel = type_of_target(y).startswith("multilabel")
            self._label_binarizer = LabelBinarizer().fit(y if multilabel else classes)
        X, y = _validate(self, X, y, first)
        check_class_labels(y)
        if not partial and (first or not hasattr(self, "classes_")):
            self._label_binarizer = LabelBinarizer().fit(y)
            self.classes_ = self._label_binarizer.classes_
        labels = unique_labels(y) if y.ndim == 2 else np.unique(y)
        if not partial and set(labels) != set(self.classes_):
            raise ValueError(
                "warm_start can only be used where `y` has the same classes as in "
                f"the previous call to fit. Previously got {self.classes_}, `y` "
                f"has {labels}"
            )
        if len(np.setdiff1d(labels, self.classes_)):
            raise ValueError(
                f"`y` has classes not in `self.classes_`. `self.classes_` has "
                f"{self.classes_}. 'y' has {labels}."
            )
        # Targets of 0 and 1 kept as bool, as scikit-learn's: a float copy
        # would take 8 times the memory (the losses read them as numbers).
        # On another library's device, in X's dtype (the standard does not
        # mix booleans with floats).
        if self._multilabel() or len(self.classes_) < 2:
            T = self._label_binarizer.transform(y).astype(bool)
        else:  # the binarizer's code, without its checks on every chunk
            T = one_hot(y, self.classes_, bool)
        T = T if ops_of(X).xp is np else _to_data(T, X, X.dtype)
        if self.class_weight is not None and self._multilabel():
            raise ValueError("class_weight is not supported for multilabel targets.")
        s = _sample_weight(
            sample_weight, X, y, self.class_weight, self.classes_, partial
        )
        return X, T, y, s

    def _multilabel(self):
        return self._label_binarizer.y_type_.startswith("multilabel")

    def _out_activation(self):
        return (
            "softmax" if self._label_binarizer.y_type_ == "multiclass" else "logistic"
        )

    def _score_outputs(self, Y, y, s=None):
        s = to_host(s)
        return float(accuracy_score(y, self._labels(Y), sample_weight=s))

    def _labels(self, Y):
        """scikit-learn's rule: the largest probability, or above 1/2; on the
        host (``classes_`` is there), from the winners found where ``Y`` is."""
        xp = ops_of(Y).xp
        if xp is not np:
            winners = (
                xp.argmax(Y, axis=1)
                if self.out_activation_ == "softmax"
                else xp.astype(Y > 0.5, xp.int64)
            )
            winners = to_host(winners)
            if self.out_activation_ == "softmax":
                return self.classes_[winners]
            Y = winners
        return self._label_binarizer.inverse_transform(
            Y[:, 0] if Y.shape[1] == 1 else Y
        )

    def predict(self, X):
        """The class of the largest probability (multilabel: each above 1/2).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
            Predicted classes.
        """
        labels = self._labels(self._predicted(X, "predict"))
        if labels.dtype.kind in "OUS":  # strings stay NumPy, as scikit-learn's
            return labels
        return move(labels, ops_of(self.coefs_[0]))

    def decision_function(self, X):
        """The output pre-activations :math:`a_L` (not in scikit-learn's MLP).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            One score per sample for two classes, positive for ``classes_[1]``.
        """
        A = self._outputs(X, "decision_function")
        return A[:, 0] if A.shape[1] == 1 else A

    def predict_proba(self, X):
        """The probabilities :math:`y = g_L(a_L)` of the classes.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``; for two classes ``[1 - y, y]``, from
            the one logistic output ``y``. Trained on one class (``classes_``
            of length 1) there are two columns all the same, as in
            scikit-learn: the first is that class, the second what the
            logistic output gives to no class seen in training.
        """
        Y = self._predicted(X, "predict_proba")
        if Y.shape[1] > 1:
            return Y
        xp = ops_of(Y).xp
        return np.hstack([1 - Y, Y]) if xp is np else xp.concat([1 - Y, Y], axis=1)

    def predict_log_proba(self, X):
        """The logarithms of ``predict_proba``, as scikit-learn computes them.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            ``log(predict_proba(X))``: -inf where a probability rounds to 0
            (scikit-learn's estimator checks ask for exactly that).
        """
        check_is_fitted(self)
        check_namespace(X, self, "_first_weights", "predict_log_proba")
        proba = self.predict_proba(X)
        # log(0) = -inf is the answer asked for, not an accident: no warning.
        with np.errstate(divide="ignore"):
            if ops_of(proba).xp is not np:
                return ops_of(proba).xp.log(proba)
            return np.log(proba, out=proba)


class MLPRegressor(RegressorMixin, BaseMLP):
    __doc__ = (
        r"""Multilayer perceptron regressor, trained by backpropagation.

    A drop-in for ``sklearn.neural_network.MLPRegressor`` (same parameters,
    methods and fitted attributes), plus ``activation="softplus"``,
    ``solver="asgd"``, ``transform`` (the last hidden layer) and
    ``validation_loss_curve_``. ``partial_fit`` exists only for the
    stochastic solvers.

    Parameters
    ----------
    loss : {"squared_error", "poisson"}, default="squared_error"
        "squared_error": identity output and the course's least squares
        :math:`\frac12\|y - d\|^2` (summed over the outputs; scikit-learn
        averages its value over them). "poisson": exp output and half the
        Poisson deviance, for counts :math:`d \ge 0`."""
        + SHARED_PARAMETERS
        + r"""
    Attributes
    ----------"""
        + SHARED_ATTRIBUTES
        + r"""
    See Also
    --------
    MLPClassifier : the same network for classes.

    Notes
    -----
    With hidden layers :math:`h_k = g(W_k h_{k-1} + b_k)`, the output is
    :math:`y = W_L h_{L-1} + b_L` and each batch :math:`B` minimises

    .. math::

        E_B = \frac{\sum_{n\in B} s_n \frac12\|y(x_n) - d_n\|^2
                    + \frac{\alpha}{2}\sum_k \|W_k\|^2}{\sum_{n\in B} s_n}.

    Examples
    --------
    >>> import numpy as np
    >>> from skcourse.neural_network import MLPRegressor
    >>> X = np.linspace(-1, 1, 50)[:, None]
    >>> reg = MLPRegressor(hidden_layer_sizes=(10,), activation="tanh",
    ...                    solver="lbfgs", random_state=0).fit(X, X[:, 0] ** 2)
    >>> bool(reg.score(X, X[:, 0] ** 2) > 0.99)
    True
    """
    )

    _parameter_constraints: dict = {
        **BaseMLP._parameter_constraints,
        "loss": [StrOptions({"squared_error", "poisson"})],
    }

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=0.0001,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-08,
        n_iter_no_change=10,
        max_fun=15000,
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
        )
        self.loss = loss

    @fit_context
    def fit(self, X, y, sample_weight=None):
        """Fit the network to ``X`` and the targets ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training features; float32 stays float32.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples.

        Returns
        -------
        self : MLPRegressor
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, partial=False)

    @available_if(_stochastic_solver)
    @fit_context
    def partial_fit(self, X, y, sample_weight=None):
        """One epoch of the stochastic solver over ``X``, from the current weights.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of training features.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Its targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the samples.

        Returns
        -------
        self : MLPRegressor
            The updated estimator.
        """
        return self._fit(X, y, sample_weight, partial=True)

    def _prepare(self, X, y, sample_weight, *, partial, first, classes):
        X, y = _validate(self, X, y, first, y_numeric=True)
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError(
                "Some value(s) of y are negative which is not allowed for "
                "Poisson regression."
            )
        T = _to_data(np.asarray(y).reshape(len(y), -1), X, X.dtype)
        return X, T, y, _sample_weight(sample_weight, X, y)

    def _out_activation(self):
        return "exp" if self.loss == "poisson" else "identity"

    def _score_outputs(self, Y, y, s=None):
        Y, s = to_host(Y), to_host(s)  # (y is: the validation's, once an epoch)
        if not np.isfinite(Y).all():
            return np.nan  # a diverging network has no score (scikit-learn's rule)
        return float(r2_score(y, Y[:, 0] if Y.shape[1] == 1 else Y, sample_weight=s))

    def predict(self, X):
        """The network's outputs :math:`y = g_L(a_L)`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predicted values, in the dtype of the fitted weights.
        """
        Y = self._predicted(X, "predict")
        return Y[:, 0] if Y.shape[1] == 1 else Y
