"""The package's main job, on scikit-learn's bundled data: ``python -m skcourse``.

Each classifier of the course goes into a ``Pipeline`` after a ``StandardScaler``,
is tuned with ``GridSearchCV`` on a training split of the digits, and is scored
on a held-out test split, beside its scikit-learn counterpart fitted the same
way; then the course's "linear classifier in feature space": a feature
transform ``phi`` (random features, or the hidden layer of a trained MLP)
followed by ``SoftmaxRegression``, beside scikit-learn's random Fourier
features; and the course's least-squares network, ``MLPRegressor``, beside
scikit-learn's on the diabetes data.
"""

import time

from sklearn.compose import TransformedTargetRegressor
from sklearn.datasets import load_diabetes, load_digits
from sklearn.kernel_approximation import RBFSampler
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model import Perceptron as SklearnPerceptron
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neural_network import MLPClassifier as SklearnMLPClassifier
from sklearn.neural_network import MLPRegressor as SklearnMLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .linear_model import Perceptron, SoftmaxRegression
from .neural_network import MLPClassifier, MLPRegressor
from .preprocessing import RandomFeatures


def candidates():
    """(name, estimator, parameter grid) for each model of the demo."""
    return [
        (
            "skcourse Perceptron",
            Perceptron(),
            {
                "perceptron__average": [False, True],
                "perceptron__multi_class": ["ovr", "multinomial"],
            },
        ),
        (
            "sklearn Perceptron",
            SklearnPerceptron(),
            {"perceptron__penalty": [None, "l2"]},
        ),
        (
            "skcourse SoftmaxRegression",
            SoftmaxRegression(random_state=0),
            {
                "softmaxregression__alpha": [1e-4, 1e-3, 1e-2],
                "softmaxregression__solver": ["lbfgs", "asgd"],
            },
        ),
        (
            "sklearn LogisticRegression",
            LogisticRegression(max_iter=1000),
            {"logisticregression__C": [0.1, 1.0, 10.0]},
        ),
        (
            "skcourse MLPClassifier",
            MLPClassifier((64,), early_stopping=True, random_state=0),
            {"mlpclassifier__activation": ["relu", "softplus"]},
        ),
        (
            "sklearn MLPClassifier",
            SklearnMLPClassifier((64,), early_stopping=True, random_state=0),
            {"mlpclassifier__activation": ["relu", "tanh"]},
        ),
        *feature_space_candidates(),
    ]


def feature_space_candidates():
    """The linear classifier after a feature transform phi, in a pipeline
    (the MLP as phi is trained on the training folds only, like any step)."""

    def after(phi, classifier):
        return make_pipeline(StandardScaler(), phi, classifier)

    return [
        (
            "skcourse RandomFeatures+Softmax",
            after(RandomFeatures(random_state=0), SoftmaxRegression(alpha=1e-3)),
            {"randomfeatures__n_components": [256, 1024]},
        ),
        (
            "sklearn RBFSampler+Logistic",
            after(
                RBFSampler(gamma=0.01, random_state=0),
                LogisticRegression(C=10.0, max_iter=1000),
            ),
            {"rbfsampler__n_components": [256, 1024]},
        ),
        (
            "skcourse MLP features+Softmax",
            after(
                MLPClassifier(solver="lbfgs", random_state=0),
                SoftmaxRegression(alpha=1e-3),
            ),
            {"mlpclassifier__hidden_layer_sizes": [(64,), (256,)]},
        ),
    ]


def regressors():
    """(name, estimator, parameter grid) for the least-squares networks."""
    grid = {"regressor__mlpregressor__alpha": [0.01, 1.0]}
    return [
        ("skcourse MLPRegressor", MLPRegressor(**REGRESSION), grid),
        ("sklearn MLPRegressor", SklearnMLPRegressor(**REGRESSION), grid),
    ]


#: Small data: stop on a held-out tenth, and give Adam the epochs it needs.
REGRESSION = dict(early_stopping=True, max_iter=2000, random_state=0)


def tune(estimator, grid, X, y):
    """A search over ``grid`` of the scaled pipeline; ``estimator`` may be a
    pipeline already (the regressors: targets scaled too)."""
    if not hasattr(estimator, "steps") and not hasattr(estimator, "regressor"):
        estimator = make_pipeline(StandardScaler(), estimator)
    search = GridSearchCV(estimator, grid, cv=5)
    start = time.perf_counter()
    search.fit(X, y)
    return search, time.perf_counter() - start


def report(name, search, seconds, X_test, y_test):
    best = ", ".join(f"{k.split('__')[-1]}={v}" for k, v in search.best_params_.items())
    print(
        f"{name:32} {best:46} {search.best_score_:7.3f} "
        f"{search.score(X_test, y_test):8.3f} {seconds:5.1f}s"
    )


def main():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    print(
        f"Digits: {X_train.shape[0]} training and {X_test.shape[0]} test images "
        f"of {X.shape[1]} pixels, 10 classes.\n"
        "Each model: StandardScaler + the classifier, tuned by 5-fold GridSearchCV;\n"
        "the last three after a feature transform phi (random or learned features).\n"
    )
    print(
        f"{'model':32} {'best parameters':46} {'CV acc':>7} {'test acc':>8} {'time':>6}"
    )
    for name, estimator, grid in candidates():
        search, seconds = tune(estimator, grid, X_train, y_train)
        report(name, search, seconds, X_test, y_test)

    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0
    )
    print(
        f"\nDiabetes: {X_train.shape[0]} training and {X_test.shape[0]} test "
        "patients, 10 features, a disease progression to predict (least squares).\n"
        "Each model: StandardScaler + the network, targets standardised too.\n"
    )
    print(
        f"{'model':32} {'best parameters':46} {'CV R^2':>7} {'test R^2':>8} {'time':>6}"
    )
    for name, estimator, grid in regressors():
        model = TransformedTargetRegressor(
            make_pipeline(StandardScaler(), estimator), transformer=StandardScaler()
        )
        search, seconds = tune(model, grid, X_train, y_train)
        report(name, search, seconds, X_test, y_test)


if __name__ == "__main__":
    main()
