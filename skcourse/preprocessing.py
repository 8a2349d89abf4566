"""Feature transforms ``phi`` of the course, as scikit-learn transformers.

Slides "Feature transform" and "Bias trick": a map :math:`\\varphi: \\mathbb{R}^p
\\to \\mathbb{R}^D` chosen so that a linear classifier in feature space separates
the classes, and a constant coordinate so that the bias is one more weight.
``make_pipeline(phi, SoftmaxRegression())`` is the course's "linear classifier
in feature space".

- ``RandomFeatures``: :math:`\\varphi(x) = g(xW + b)` with random, untrained
  ``W`` and ``b``: a hidden layer that is drawn, not learned.
- ``AddBias``: :math:`\\tilde\\varphi = (\\varphi, 1)`.
- The learned :math:`\\varphi` is a fitted MLP's ``transform`` (its last hidden
  layer), in ``skcourse.neural_network``.

Symbols and names: ``W`` is ``random_weights_`` (one column per feature
:math:`\\varphi_j`), ``b`` is ``random_offset_``, ``g`` is ``activation``.
"""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._activations import ACTIVATIONS, heaviside, sign

__all__ = ["AddBias", "RandomFeatures"]

#: The course's units.  The threshold ones have a zero derivative, so no
#: network is trained through them, but a random layer is not trained at all.
FEATURE_ACTIVATIONS = {**ACTIVATIONS, "sign": sign, "heaviside": heaviside}


def float_features(transformer, X, *, reset):
    """``X`` checked as float64 or float32 (kept), dense or CSR/CSC."""
    return validate_data(
        transformer,
        X,
        accept_sparse=("csr", "csc"),
        dtype=[np.float64, np.float32],
        reset=reset,
    )


def draw_weights(rng, n_features, n_components, scale):
    """:math:`W_{ij} \\sim \\mathcal{N}(0, s^2/p)`: for standardised inputs
    :math:`\\mathrm{E}\\,(x \\cdot w_j)^2 = s^2\\,\\mathrm{E}\\|x\\|^2/p = s^2`,
    whatever the dimension :math:`p` and the correlations of the features."""
    return rng.standard_normal((n_features, n_components)) * (
        scale / np.sqrt(n_features)
    )


def draw_offsets(rng, n_components, scale):
    """:math:`b_j \\sim \\mathcal{N}(0, s^2)`: the threshold :math:`x \\cdot w_j = -b_j`
    of unit j then falls where the projected data :math:`x \\cdot w_j` lie, which
    have the same distribution's scale."""
    return rng.standard_normal(n_components) * scale


def random_layer(X, W, b, g):
    """:math:`\\varphi(X) = g(XW + b)`, in the dtype of ``X`` (dense or sparse)."""
    A = X @ W.astype(X.dtype, copy=False)  # sparse @ dense is dense
    A += b.astype(X.dtype, copy=False)
    return g(A)


class RandomFeatures(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    r"""Random features :math:`\varphi(x) = g(xW + b)`: a hidden layer left untrained.

    The first layer of a one-hidden-layer network, drawn at random once and
    frozen: a linear model on these features (``make_pipeline(RandomFeatures(),
    SoftmaxRegression())``) is a network whose output layer alone is trained.
    It is the bridge between the course's "feature transform" (a map
    :math:`\varphi: \mathbb{R}^p \to \mathbb{R}^D` chosen so that the classes
    become linearly separable) and its hidden layer (a :math:`\varphi` that is
    learned, ``MLPClassifier.transform``).

    Standardise the inputs first (``StandardScaler``): the scale of ``W`` is
    chosen for unit-variance features.

    Parameters
    ----------
    n_components : int, default=100
        Number of features :math:`D`, the width of the random layer.

    activation : str, default="relu"
        The unit :math:`g`, applied element-wise: one of "relu", "identity",
        "logistic", "tanh", "softplus", "sign", "heaviside". The threshold units "sign"
        (:math:`\pm 1`) and "heaviside" (0 or 1) are fine here: nothing is
        trained through them. With "identity" the features are a random
        linear map of :math:`x` (:math:`\varphi` is affine: no gain for a
        linear model).

    weight_scale : float, default=1.0
        The scale :math:`s` of ``W`` and ``b`` (Notes): on standardised data
        the pre-activations :math:`a_j = x \cdot w_j + b_j` have a standard
        deviation :math:`\sqrt{2}\,s`. A kernel width, like ``RBFSampler``'s
        ``gamma``: small, the sigmoid-like units work in their linear part and
        :math:`\varphi` is nearly affine; large, they saturate into threshold
        units. It does nothing for "sign" and "heaviside" and only scales the
        output of "relu" and "identity" (positively homogeneous units).

    random_state : int, RandomState instance or None, default=None
        Draws ``W`` and ``b`` at each ``fit``. Pass an int for reproducible
        features.

    Attributes
    ----------
    random_weights_ : ndarray of shape (`n_features_in_`, `n_components`)
        :math:`W`, one column :math:`w_j` per feature, float64.
    random_offset_ : ndarray of shape (n_components,)
        :math:`b`, float64.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column names.

    See Also
    --------
    sklearn.kernel_approximation.RBFSampler : Random Fourier features,
        :math:`\cos(xW + b)`, whose inner products approximate the RBF kernel.
    skcourse.neural_network.MLPClassifier.transform : The learned
        :math:`\varphi`: the last hidden layer of a trained network.
    AddBias : The bias trick, :math:`\tilde\varphi = (\varphi, 1)`.

    Notes
    -----
    With :math:`p` input features and :math:`s` = ``weight_scale``,

    .. math::

        \varphi(x) = g(xW + b), \qquad
        W_{ij} \sim \mathcal{N}\!\left(0, \frac{s^2}{p}\right), \qquad
        b_j \sim \mathcal{N}(0, s^2).

    Why this scale. For standardised inputs :math:`\mathrm{E}\|x\|^2 = p`, so
    :math:`\mathrm{E}(x \cdot w_j)^2 = s^2` whatever :math:`p`, and the
    pre-activations :math:`a_j = x \cdot w_j + b_j` have variance :math:`2s^2`
    (half from the projection, half from the offset): unit order for 2 features
    as for the 784 pixels of MNIST. Without the :math:`1/p`
    (:math:`W_{ij} \sim \mathcal{N}(0, 1)`), :math:`x \cdot w_j` would have a
    standard deviation :math:`\sqrt{p}` = 28 on MNIST: every tanh or logistic
    unit saturated, a threshold unit in disguise. And the
    offsets :math:`b_j`, of the same scale as the projections :math:`x \cdot w_j`,
    put the threshold :math:`x \cdot w_j = -b_j` of each unit at a random place
    *among* the data; with :math:`b = 0` all the thresholds would pass through
    the mean. A unit that does not cut the data adds nothing: a ReLU never
    active is constant, one always active is linear in :math:`x`, a saturated
    tanh is constant on each side. The slide's "non linear map that should make
    the classes linearly separable" needs units that cut the data in many
    different places.

    With :math:`D \ge n` smooth units (tanh, logistic, softplus), the feature
    vectors of :math:`n` distinct points, with the constant 1, are (almost
    surely) linearly independent, so a linear model fits any labelling of
    them: random features trade training for width. ReLU units may need a few
    more, as some are dead or always active on the data.

    Examples
    --------
    >>> from sklearn.datasets import make_moons
    >>> from sklearn.model_selection import cross_val_score
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skcourse.linear_model import SoftmaxRegression
    >>> from skcourse.preprocessing import RandomFeatures
    >>> X, y = make_moons(200, noise=0.2, random_state=0)
    >>> phi = RandomFeatures(200, random_state=0).fit(StandardScaler().fit_transform(X))
    >>> phi.random_weights_.shape, phi.random_offset_.shape
    ((2, 200), (200,))
    >>> phi.get_feature_names_out()[:3]
    array(['randomfeatures0', 'randomfeatures1', 'randomfeatures2'], dtype=object)

    A linear classifier in feature space beats the linear classifier:

    >>> linear = make_pipeline(StandardScaler(), SoftmaxRegression())
    >>> in_feature_space = make_pipeline(
    ...     StandardScaler(), RandomFeatures(200, random_state=0), SoftmaxRegression()
    ... )
    >>> round(float(cross_val_score(linear, X, y).mean()), 2)
    0.84
    >>> round(float(cross_val_score(in_feature_space, X, y).mean()), 2)
    0.96
    """

    _parameter_constraints: dict = {
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions(set(FEATURE_ACTIVATIONS))],
        "weight_scale": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_components=100,
        *,
        activation="relu",
        weight_scale=1.0,
        random_state=None,
    ):
        self.n_components = n_components
        self.activation = activation
        self.weight_scale = weight_scale
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Draw the weights :math:`W` and offsets :math:`b` for ``X``'s dimension.

        Only the number of features of ``X`` is used: the weights do not
        depend on the data.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data, standardised.
        y : None
            Ignored.

        Returns
        -------
        self : RandomFeatures
            The fitted transformer.
        """
        X = float_features(self, X, reset=True)
        rng = check_random_state(self.random_state)
        s, p, D = self.weight_scale, X.shape[1], self.n_components
        self.random_weights_ = draw_weights(rng, p, D, s)
        self.random_offset_ = draw_offsets(rng, D, s)
        return self

    def transform(self, X):
        """The features :math:`\\varphi(x) = g(xW + b)`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        Phi : ndarray of shape (n_samples, n_components)
            The features, dense, float32 for float32 input and float64 otherwise.
        """
        check_is_fitted(self)
        X = float_features(self, X, reset=False)
        g = FEATURE_ACTIVATIONS[self.activation]
        return random_layer(X, self.random_weights_, self.random_offset_, g)

    @property
    def _n_features_out(self):
        """``get_feature_names_out`` names them ``randomfeatures0``, ...; the
        drawn columns, so that before ``fit`` there are none (NotFittedError)."""
        return self.random_weights_.shape[1]


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
        float_features(self, X, reset=True)
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
        X = float_features(self, X, reset=False)
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
