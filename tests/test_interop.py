"""What scikit-learn users combine with an estimator keeps working with ours:
imbalanced-learn's samplers in a pipeline, ``CalibratedClassifierCV`` and
``permutation_importance`` (issue 20 found them working; these keep them so)."""

import warnings

import numpy as np
import pytest
from sklearn.calibration import CalibratedClassifierCV
from sklearn.exceptions import ConvergenceWarning
from sklearn.inspection import permutation_importance

from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier


@pytest.fixture
def imbalanced(digits):
    X, y = digits
    keep = (y != 1) | (np.arange(len(y)) % 10 == 0)  # class 1 is rare
    return X[keep], y[keep]


def test_imbalanced_learn_pipeline(imbalanced):
    pytest.importorskip("imblearn", reason="imbalanced-learn is not installed")
    from imblearn.over_sampling import RandomOverSampler
    from imblearn.pipeline import make_pipeline

    X, y = imbalanced
    pipe = make_pipeline(RandomOverSampler(random_state=0), SoftmaxRegression())
    pipe.fit(X, y)
    counts = np.bincount(RandomOverSampler(random_state=0).fit_resample(X, y)[1])
    assert len(set(counts)) == 1  # the model saw balanced classes
    assert pipe.score(X, y) > 0.9


def test_calibrated_perceptron(digits):
    X, y = digits
    calibrated = CalibratedClassifierCV(Perceptron(), cv=3).fit(X, y)
    proba = calibrated.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert calibrated.score(X, y) > 0.9


def test_permutation_importance(digits):
    X, y = digits
    X, y = X[:500], y[:500]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp = MLPClassifier((16,), max_iter=50, random_state=0).fit(X, y)
    result = permutation_importance(mlp, X, y, n_repeats=2, random_state=0)
    assert result.importances_mean.shape == (X.shape[1],)
    # Constant pixels (the digits' borders) carry no information at all.
    assert np.all(result.importances_mean[X.std(axis=0) == 0] == 0)
    assert result.importances_mean.max() > 0.01
