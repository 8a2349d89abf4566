"""Feature transforms ``phi`` of the course, as scikit-learn transformers."""

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils.validation import check_is_fitted, validate_data


class AddBias(TransformerMixin, BaseEstimator):
    r"""The course's "bias trick": append a constant feature of 1.

    :math:`\tilde\varphi = (\varphi, 1)`, so that :math:`w^\top\varphi + b =
    \tilde w^\top\tilde\varphi` with :math:`\tilde w = (w, b)`: the bias becomes
    one more weight (slides "Bias trick for linear classifier").

    A model with ``fit_intercept=False`` after ``AddBias`` has the same decision
    function as the model with ``fit_intercept=True``; the two differ only where
    a penalty applies, since the folded-in bias is then penalised too.

    Attributes
    ----------
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from skcourse.preprocessing import AddBias
    >>> AddBias().fit_transform(np.array([[2.0, 3.0]]))
    array([[2., 3., 1.]])
    """

    _parameter_constraints: dict = {}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Record the number of features.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Features.
        y : None
            Ignored.

        Returns
        -------
        self : AddBias
            The fitted transformer.
        """
        validate_data(
            self, X, accept_sparse=("csr", "csc"), dtype=[np.float64, np.float32]
        )
        return self

    def transform(self, X):
        """Append the column of ones.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Features.

        Returns
        -------
        X_tilde : {ndarray, sparse matrix} of shape (n_samples, n_features + 1)
            ``X`` with a last column of ones, in the dtype of ``X``.
        """
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            accept_sparse=("csr", "csc"),
            dtype=[np.float64, np.float32],
            reset=False,
        )
        ones = np.ones((X.shape[0], 1), dtype=X.dtype)
        if sp.issparse(X):
            return sp.hstack([X, ones], format=X.format).astype(X.dtype)
        return np.hstack([X, ones])

    def get_feature_names_out(self, input_features=None):
        """Input feature names, then ``"bias"``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names; by default ``feature_names_in_`` or
            ``x0, x1, ...``.

        Returns
        -------
        feature_names_out : ndarray of str
            The output feature names.
        """
        from sklearn.utils.validation import _check_feature_names_in

        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        return np.append(names, "bias").astype(object)
