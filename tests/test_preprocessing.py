"""Feature transforms phi: RandomFeatures, the MLP's learned features, and
scikit-learn's own transformers, each feeding a linear model of the course.

The course's slide "Feature transform": a map phi chosen so that the classes
become linearly separable.  The proofs here are cross-validated accuracies,
with the linear model alone as the baseline that phi must beat.
"""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.datasets import load_diabetes, load_digits, make_moons
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.kernel_approximation import Nystroem, RBFSampler
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, SplineTransformer, StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skcourse.datasets import make_xor
from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor
from skcourse.preprocessing import RandomFeatures

# Each unit written out again here, from its formula, not from _activations.
UNITS_BY_HAND = {
    "identity": lambda a: a,
    "logistic": lambda a: 1 / (1 + np.exp(-a)),
    "tanh": np.tanh,
    "relu": lambda a: np.where(a > 0, a, 0),
    "softplus": lambda a: np.log1p(np.exp(a)),
    "sign": lambda a: np.where(a >= 0, 1.0, -1.0),
    "heaviside": lambda a: np.where(a >= 0, 1.0, 0.0),
}


def cv_accuracy(model, X, y, folds=5):
    cv = StratifiedKFold(folds, shuffle=True, random_state=0)
    return cross_val_score(model, X, y, cv=cv).mean()


def linear():
    return make_pipeline(StandardScaler(), SoftmaxRegression())


def in_feature_space(phi, clf=None):
    """The course's linear classifier in feature space."""
    return make_pipeline(StandardScaler(), phi, clf or SoftmaxRegression())


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    """Small data: several BLAS threads only compete for the cores (on a
    loaded machine, a 3-fold CV on the digits took 3 s instead of 0.1 s)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


@pytest.fixture(scope="module")
def moons():
    return make_moons(200, noise=0.2, random_state=0)


@pytest.fixture(scope="module")
def X_small():
    return np.random.default_rng(0).standard_normal((30, 4))


# --- the transform is g(X W + b) ------------------------------------------------------


@pytest.mark.parametrize("activation", sorted(UNITS_BY_HAND))
def test_transform_is_the_unit_of_an_affine_map(activation, X_small):
    phi = RandomFeatures(7, activation=activation, random_state=0).fit(X_small)
    A = X_small @ phi.random_weights_ + phi.random_offset_
    assert phi.random_weights_.shape == (4, 7)
    assert phi.random_offset_.shape == (7,)
    np.testing.assert_allclose(phi.transform(X_small), UNITS_BY_HAND[activation](A))


def test_weights_and_offsets_have_the_documented_spread():
    # W_ij ~ N(0, s^2 / p), b_j ~ N(0, s^2): sample variances within 5 %
    # (a sample of 784 x 500 weights, of 20,000 offsets).
    p, s = 784, 1.7
    W = RandomFeatures(500, weight_scale=s, random_state=0).fit(np.zeros((1, p)))
    b = RandomFeatures(20_000, weight_scale=s, random_state=0).fit(np.zeros((1, p)))
    assert W.random_weights_.var() == pytest.approx(s**2 / p, rel=0.05)
    assert b.random_offset_.var() == pytest.approx(s**2, rel=0.05)
    assert abs(W.random_weights_.mean()) < 0.01 * s / np.sqrt(p)


def test_a_seed_gives_the_same_features_and_another_seed_other_ones(X_small):
    first = RandomFeatures(5, random_state=0).fit_transform(X_small)
    again = RandomFeatures(5, random_state=0).fit_transform(X_small)
    other = RandomFeatures(5, random_state=1).fit_transform(X_small)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)
    # Only the shape of X matters at fit: the weights do not depend on the data.
    shifted = RandomFeatures(5, random_state=0).fit(X_small + 10)
    fitted = RandomFeatures(5, random_state=0).fit(X_small)
    np.testing.assert_array_equal(shifted.random_weights_, fitted.random_weights_)


def test_float32_is_kept_and_agrees_with_float64(X_small):
    phi = RandomFeatures(6, activation="tanh", random_state=0).fit(X_small)
    H32 = phi.transform(X_small.astype(np.float32))
    assert H32.dtype == np.float32
    assert phi.transform(X_small).dtype == np.float64
    np.testing.assert_allclose(H32, phi.transform(X_small), rtol=1e-5, atol=1e-6)
    # The fitted weights stay float64 whatever the input: transform casts.
    assert phi.fit(X_small.astype(np.float32)).random_weights_.dtype == np.float64


@pytest.mark.parametrize("sparse", [sp.csr_matrix, sp.csc_matrix, sp.csr_array])
def test_sparse_input_gives_the_dense_result(sparse, X_small):
    X = np.where(np.abs(X_small) > 1, X_small, 0)  # mostly zeros
    phi = RandomFeatures(6, activation="softplus", random_state=0).fit(sparse(X))
    H = phi.transform(sparse(X))
    assert isinstance(H, np.ndarray)
    np.testing.assert_allclose(H, phi.transform(X))


def test_feature_names_and_pandas_output(X_small):
    pd = pytest.importorskip("pandas")
    names = ["a", "b", "c", "d"]
    phi = RandomFeatures(3, random_state=0).set_output(transform="pandas")
    df = pd.DataFrame(X_small, columns=names)
    H = phi.fit_transform(df)
    assert isinstance(H, pd.DataFrame)
    assert list(H.columns) == ["randomfeatures0", "randomfeatures1", "randomfeatures2"]
    assert list(phi.feature_names_in_) == names
    np.testing.assert_allclose(
        H.to_numpy(), phi.set_output(transform="default").transform(df)
    )


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_components": 0}, "n_components"),
        ({"n_components": 2.5}, "n_components"),
        ({"activation": "softmax"}, "activation"),
        ({"weight_scale": 0}, "weight_scale"),
    ],
)
def test_bad_parameters_are_named(params, match, X_small):
    with pytest.raises(InvalidParameterError, match=match):
        RandomFeatures(**params).fit(X_small)


def test_bad_input_gets_a_clear_error(X_small):
    with pytest.raises(NotFittedError):
        RandomFeatures().transform(X_small)
    X_nan = X_small.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        RandomFeatures().fit(X_nan)
    with pytest.raises(ValueError, match="string"):
        RandomFeatures().fit([["a", "b"], ["c", "d"]])
    phi = RandomFeatures(random_state=0).fit(X_small)
    with pytest.raises(ValueError, match="4 features"):
        phi.transform(X_small[:, :3])
    with pytest.raises(ValueError, match="NaN"):
        phi.transform(X_nan)


# --- why W ~ N(0, s^2/p) and b ~ N(0, s^2) --------------------------------------------


@pytest.fixture(scope="module", params=["moons, p=2", "MNIST, p=784"])
def standardised(request):
    if request.param.startswith("moons"):
        X = make_moons(1000, noise=0.2, random_state=0)[0]
    else:
        X = request.getfixturevalue("mnist_test").data[:1000].astype(np.float64)
    return StandardScaler().fit_transform(X)


def pre_activations(X, **params):
    return RandomFeatures(500, activation="identity", random_state=0, **params).fit(X)


def test_units_cut_the_data_in_many_places_whatever_the_dimension(standardised):
    """The ReLU unit j is active where x . w_j > -b_j: with b of the scale of
    the projections, its threshold falls at a random place among the data."""
    A = pre_activations(standardised).transform(standardised)
    active = (A > 0).mean(axis=0)  # for each unit, the share of active samples
    assert 0.4 < active.mean() < 0.6
    # Most units cut the data (neither dead nor always on) ...
    assert np.mean((active > 0.05) & (active < 0.95)) > 0.7
    # ... and at spread places: with b = 0 every unit would cut near the mean.
    assert np.quantile(active, 0.1) < 0.25 and np.quantile(active, 0.9) > 0.75


def test_tanh_units_are_not_saturated_and_would_be_without_the_1_over_p(standardised):
    p = standardised.shape[1]
    A = pre_activations(standardised).transform(standardised)
    assert A.var() == pytest.approx(2, rel=0.25)  # Var(x.w) + Var(b) = 1 + 1
    # |a| < 2: tanh'(a) > 0.07, the unit is in its nonlinear, non-flat part.
    assert np.mean(np.abs(A) < 2) > 0.8
    # W ~ N(0, 1) instead of N(0, 1/p) (and b ~ N(0, p)): on MNIST, nearly all
    # saturated.
    A_unscaled = pre_activations(standardised, weight_scale=np.sqrt(p))
    unsaturated = np.mean(np.abs(A_unscaled.transform(standardised)) < 2)
    assert unsaturated < 0.1 if p == 784 else unsaturated > 0.6


def test_weight_scale_moves_tanh_units_from_linear_to_threshold(standardised):
    """The same draws, scaled by s: tanh(s a) ~ s a for small s (phi affine),
    ~ sign(a) for large s (threshold units)."""
    X = standardised[:200]

    def features(activation, s):
        phi = RandomFeatures(50, activation=activation, weight_scale=s, random_state=0)
        return phi.fit_transform(X)

    A = features("identity", 1.0)
    np.testing.assert_allclose(features("tanh", 1e-4) / 1e-4, A, rtol=1e-6, atol=1e-9)
    close = np.abs(features("tanh", 1e3) - features("sign", 1.0)) < 1e-3
    assert close.mean() > 0.99
    # On its own scale a threshold unit does not see s at all.
    np.testing.assert_array_equal(features("sign", 1e3), features("sign", 1.0))


# --- the proofs: a linear model in feature space beats the linear model ---------------


@pytest.mark.parametrize("activation", ["relu", "tanh", "sign"])
def test_random_features_separate_the_moons(activation, moons):
    X, y = moons
    phi = RandomFeatures(200, activation=activation, random_state=0)
    base, featured = (
        cv_accuracy(linear(), X, y),
        cv_accuracy(in_feature_space(phi), X, y),
    )
    # Measured: linear 0.845; relu, tanh and sign 0.955.
    assert base < 0.87
    assert featured > 0.93 and featured > base + 0.08


@pytest.mark.parametrize("activation", ["relu", "tanh", "heaviside"])
def test_random_features_solve_xor(activation):
    X, y = make_xor(200, noise=0.3, random_state=0)
    phi = RandomFeatures(100, activation=activation, random_state=0)
    base, featured = (
        cv_accuracy(linear(), X, y),
        cv_accuracy(in_feature_space(phi), X, y),
    )
    # Measured: linear 0.455 (chance: no line separates XOR); random features
    # 0.99-1.0.
    assert base < 0.6
    assert featured > 0.95


def test_identity_random_features_are_still_a_linear_model(moons):
    """phi affine gives the same classifier family: no gain."""
    X, y = moons
    phi = RandomFeatures(50, activation="identity", random_state=0)
    featured = cv_accuracy(in_feature_space(phi), X, y)
    assert featured == pytest.approx(cv_accuracy(linear(), X, y), abs=0.015)


@pytest.fixture(scope="module")
def digits_scores():
    """3-fold CV accuracies on the digits (1,797 images, 64 pixels).

    The MLP is a Pipeline step: it is fitted on the training folds only (with
    their labels, which the Pipeline passes), and its ``transform`` feeds the
    softmax regression, trained afresh on top of the learned features.
    """
    X, y = load_digits(return_X_y=True)

    def cv(*steps):
        return cv_accuracy(make_pipeline(StandardScaler(), *steps), X, y, folds=3)

    def mlp(width):
        return MLPClassifier((width,), solver="lbfgs", random_state=0)

    return {
        "linear": cv(SoftmaxRegression(alpha=1e-3)),
        "random 300": cv(
            RandomFeatures(300, random_state=0), SoftmaxRegression(alpha=1e-3)
        ),
        "random 100": cv(
            RandomFeatures(100, random_state=0), SoftmaxRegression(alpha=1e-3)
        ),
        "mlp 100": cv(mlp(100), SoftmaxRegression(alpha=1e-3)),
    }


def test_random_features_beat_the_linear_model_on_digits(digits_scores):
    # Measured: linear 0.971 (its best alpha of 1e-4, 1e-3, 1e-2);
    # 300 random ReLU features 0.977 (0.974-0.981 over 5 seeds).  A small but
    # real gain: 20 % fewer errors.
    assert digits_scores["random 300"] > digits_scores["linear"] + 0.004


def test_learned_features_beat_random_features_of_the_same_width(digits_scores):
    # Measured at width 100: MLP features 0.978, random features 0.954:
    # half the errors.  (At width 300 the gap narrows to 0.2 points: a wide
    # enough random layer catches up.)
    assert digits_scores["mlp 100"] > digits_scores["random 100"] + 0.01
    assert digits_scores["mlp 100"] > digits_scores["linear"]


# --- "with enough random features a linear model fits any labelling" ------------------


def random_labelling(n, seed, n_classes=3):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, 2)), rng.integers(0, n_classes, n)


def interpolating_model(n_components, activation="relu", seed=0):
    """Almost no penalty: the softmax regression may separate what it can."""
    phi = RandomFeatures(n_components, activation=activation, random_state=seed)
    return in_feature_space(phi, SoftmaxRegression(alpha=1e-8, max_iter=1000))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_enough_random_features_fit_any_labelling(seed):
    n = 50
    X, y = random_labelling(n, seed)
    for width in (n, 2 * n):
        assert interpolating_model(width, seed=seed).fit(X, y).score(X, y) == 1.0
    # Few features cannot: 5 features and a bias for 50 random labels.
    assert interpolating_model(5, seed=seed).fit(X, y).score(X, y) < 0.75


@pytest.mark.parametrize("activation", ["tanh", "logistic", "softplus"])
def test_n_smooth_random_features_of_n_distinct_points_are_independent(activation):
    """The reason: for a smooth non-polynomial unit, the n feature vectors
    (with the bias's 1) span R^n, so every labelling is linearly separable.
    (ReLU units that are dead or always active on the data add nothing, which
    is why a few more ReLU features may be needed.)"""
    n = 50
    X, _ = random_labelling(n, seed=0)
    for width in (n // 5, n):
        Phi = RandomFeatures(width, activation=activation, random_state=0)
        Phi = np.hstack([Phi.fit_transform(X), np.ones((n, 1))])
        assert np.linalg.matrix_rank(Phi) == min(width + 1, n)


# --- scikit-learn's transformers as phi -----------------------------------------------

SKLEARN_PHIS = {
    "PolynomialFeatures": PolynomialFeatures(3),
    "SplineTransformer": SplineTransformer(),
    "RBFSampler": RBFSampler(gamma=1.0, n_components=200, random_state=0),
    "Nystroem": Nystroem(gamma=1.0, n_components=100, random_state=0),
}
CLASSIFIERS = {
    "SoftmaxRegression": SoftmaxRegression(),
    "averaged Perceptron": Perceptron(average=True, random_state=0),
}


@pytest.mark.parametrize("clf", CLASSIFIERS, ids=str)
@pytest.mark.parametrize("phi", SKLEARN_PHIS, ids=str)
def test_scikit_learn_nonlinear_transformers_are_phis(phi, clf, moons):
    X, y = moons
    clf = CLASSIFIERS[clf]
    base = cv_accuracy(make_pipeline(StandardScaler(), clone(clf)), X, y)
    featured = cv_accuracy(in_feature_space(clone(SKLEARN_PHIS[phi]), clone(clf)), X, y)
    # Measured: linear 0.845 (softmax) / 0.84 (perceptron); with phi 0.945-0.965.
    assert featured > base + 0.08


def test_pca_is_a_linear_phi_and_changes_nothing(moons):
    """A rotation of the plane: the same linear classifiers, the same scores."""
    X, y = moons
    featured = cv_accuracy(in_feature_space(PCA(2)), X, y)
    assert featured == pytest.approx(cv_accuracy(linear(), X, y), abs=1e-9)


# --- the learned phi: a fitted MLP's transform inside a Pipeline ----------------------


def mlp_features_pipeline():
    return make_pipeline(
        StandardScaler(),
        MLPClassifier((8,), solver="lbfgs", max_iter=500, random_state=0),
        SoftmaxRegression(),
    )


def test_mlp_features_in_a_grid_search(moons):
    X, y = moons
    grid = {
        "mlpclassifier__hidden_layer_sizes": [(2,), (16,)],
        "softmaxregression__alpha": [1e-4, 1e-1],
    }
    search = GridSearchCV(mlp_features_pipeline(), grid, cv=3).fit(X, y)
    # Two hidden units are one line each: too few for the moons.
    assert search.best_params_["mlpclassifier__hidden_layer_sizes"] == (16,)
    assert search.best_score_ > 0.93
    mlp = search.best_estimator_.named_steps["mlpclassifier"]
    np.testing.assert_array_equal(mlp.classes_, [0, 1])  # fitted with the labels
    names = search.best_estimator_[:-1].get_feature_names_out()
    assert list(names) == [f"mlpclassifier{j}" for j in range(16)]


def test_mlp_features_pipeline_is_clone_safe(moons):
    X, y = moons
    pipe = mlp_features_pipeline().fit(X, y)
    twin = clone(pipe)
    assert not hasattr(twin.named_steps["mlpclassifier"], "coefs_")
    np.testing.assert_array_equal(twin.fit(X, y).predict(X), pipe.predict(X))
    # The softmax regression sees the MLP's hidden features, 8 of them.
    assert pipe.named_steps["softmaxregression"].n_features_in_ == 8


def test_a_regression_network_is_a_phi_too():
    X, y = load_diabetes(return_X_y=True)
    mlp = MLPRegressor(
        hidden_layer_sizes=(16,), early_stopping=True, max_iter=2000, random_state=0
    )
    model = make_pipeline(StandardScaler(), mlp, Ridge())
    r2 = cross_val_score(model, X, (y - y.mean()) / y.std(), cv=3).mean()
    assert r2 > 0.3  # the diabetes data are noisy: R^2 ~ 0.4-0.5 at best
