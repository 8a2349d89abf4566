"""The package's main job, on scikit-learn's bundled digits: ``python -m skcourse``.

Each estimator of the course goes into a ``Pipeline`` after a ``StandardScaler``,
is tuned with ``GridSearchCV`` on a training split, and is scored on a held-out
test split, beside its scikit-learn counterpart fitted the same way.
"""

import time
import warnings

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model import Perceptron as SklearnPerceptron
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .linear_model import Perceptron, SoftmaxRegression


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
    ]


def tune(estimator, grid, X, y):
    search = GridSearchCV(make_pipeline(StandardScaler(), estimator), grid, cv=5)
    start = time.perf_counter()
    with warnings.catch_warnings():
        # Some grid points stop at max_iter; the search still compares them.
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X, y)
    return search, time.perf_counter() - start


def main():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    print(
        f"Digits: {X_train.shape[0]} training and {X_test.shape[0]} test images "
        f"of {X.shape[1]} pixels, 10 classes.\n"
        "Each model: StandardScaler + the classifier, tuned by 5-fold GridSearchCV.\n"
    )
    print(
        f"{'model':32} {'best parameters':46} {'CV acc':>7} {'test acc':>8} {'time':>6}"
    )
    for name, estimator, grid in candidates():
        search, seconds = tune(estimator, grid, X_train, y_train)
        best = ", ".join(
            f"{k.split('__')[1]}={v}" for k, v in search.best_params_.items()
        )
        print(
            f"{name:32} {best:46} {search.best_score_:7.3f} "
            f"{search.score(X_test, y_test):8.3f} {seconds:5.1f}s"
        )


if __name__ == "__main__":
    main()
