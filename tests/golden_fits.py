"""The golden fits: a matrix of fits whose fitted attributes must not move.

Every estimator x solver (and the Perceptron's variants) x {iris, a digits
subset, a stream of ``partial_fit`` chunks, early stopping}, with a small
``max_iter`` so that the whole matrix fits in a few seconds; then
``variants()``: every hidden activation on two hidden layers, float32 and
sparse input, sample and class weights with the minibatch linear solvers.
``tests/test_golden_fits.py`` refits them and compares every array with the
stored ones in ``tests/golden_fits.npz``.

Regenerate the file ONLY when a change of behaviour is intended, and say in
the commit message which fits changed and why::

    python -m tests.golden_fits            # from the repository root

A refactor of the training core must leave it as it is.

Bit for bit holds on one stack only: another numpy, scipy, scikit-learn or
BLAS rounds differently, and an MLP's epochs amplify the last bit. The file
records the stack it was made on (``STACK_KEY``); the test compares on that
stack and skips, saying so, on any other (CI's oldest-stack run, a user's
machine). The fits run on one BLAS thread, so the thread count cannot move
a sum either.
"""

import warnings
from pathlib import Path

import numpy as np
import scipy
import scipy.sparse as sp
import sklearn
from sklearn.datasets import load_digits, load_iris
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info, threadpool_limits

from skcourse._activations import ACTIVATIONS
from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor

PATH = Path(__file__).with_name("golden_fits.npz")
#: The key under which the file records the stack that made it.
STACK_KEY = "_stack"


def stack():
    """The libraries whose rounding the fits depend on, as one line."""
    blas = sorted(
        f"{lib['internal_api']} {lib['version']}"
        for lib in threadpool_info()
        if lib["user_api"] == "blas"
    )
    return (
        f"numpy {np.__version__}, scipy {scipy.__version__}, "
        f"scikit-learn {sklearn.__version__}, BLAS {', '.join(blas)}"
    )


#: The fitted attributes recorded, where an estimator has them.
ATTRIBUTES = (
    "coef_",
    "intercept_",
    "coefs_",
    "intercepts_",
    "n_iter_",
    "t_",
    "loss_curve_",
    "validation_scores_",
    "validation_loss_curve_",
    "best_loss_",
    "best_validation_score_",
)


def datasets():
    """Small standardised problems: iris (3 classes), 300 digits (10 classes)."""
    iris = load_iris()
    digits = load_digits()
    X_iris = StandardScaler().fit_transform(iris.data)
    X_digits = StandardScaler().fit_transform(digits.data[:300])
    return {
        "iris": (X_iris, iris.target),
        "digits": (X_digits, digits.target[:300]),
    }


def estimators():
    """(name, factory(**extra)) for every estimator and solver."""
    cases = []
    for variant, params in {
        "online": {},
        "average": {"average": True},
        "batch8": {"batch_size": 8},
        "batch8avg": {"batch_size": 8, "average": True},
        "multinomial": {"multi_class": "multinomial"},
        "l2": {"penalty": "l2", "alpha": 1e-3},
        "probability": {"probability": True},
    }.items():
        cases.append((f"Perceptron-{variant}", Perceptron, {"max_iter": 50, **params}))
    for solver in ("lbfgs", "gd", "sgd", "asgd"):
        cases.append(
            (
                f"SoftmaxRegression-{solver}",
                SoftmaxRegression,
                {"solver": solver, "max_iter": 15, "batch_size": 16},
            )
        )
    for solver in ("lbfgs", "sgd", "adam", "asgd"):
        for cls in (MLPClassifier, MLPRegressor):
            cases.append(
                (
                    f"{cls.__name__}-{solver}",
                    cls,
                    {
                        "solver": solver,
                        "hidden_layer_sizes": (7,),
                        "max_iter": 12,
                        "batch_size": 32,
                        "learning_rate_init": 0.01,
                    },
                )
            )
    return cases


def fitted(est):
    """The recorded attributes of a fitted estimator, as arrays."""
    out = {}
    for name in ATTRIBUTES:
        value = getattr(est, name, None)
        if value is None:
            continue
        if isinstance(value, list) and value and isinstance(value[0], np.ndarray):
            for k, a in enumerate(value):
                out[f"{name}{k}"] = np.asarray(a)
        elif isinstance(value, np.ndarray) and value.dtype == np.float32:
            out[name] = value.copy()  # float32 stays float32: that is behaviour too
        else:
            out[name] = np.asarray(value, dtype=float)
    return out


def variants():
    """(name, factory, params, data, how) for the fits outside the matrix.

    Every hidden activation on two hidden layers (the matrix has relu on
    one), float32 and sparse input (digits, its small values set to 0),
    sample and class weights with the minibatch linear solvers and the
    online averaged perceptron.
    ``how`` is one of "fit", "float32", "sparse", "sample_weight",
    "class_weight".
    """
    mlp = {"hidden_layer_sizes": (7, 5), "max_iter": 8, "batch_size": 32}
    cases = []
    for activation in ACTIVATIONS:
        cases.append(
            (
                f"MLPClassifier-sgd-{activation}-7x5",
                MLPClassifier,
                {"solver": "sgd", "activation": activation, **mlp},
                "digits",
                "fit",
            )
        )
        cases.append(
            (
                f"MLPRegressor-lbfgs-{activation}-7x5",
                MLPRegressor,
                {"solver": "lbfgs", "activation": activation, **mlp},
                "iris",
                "fit",
            )
        )
    softmax = {"max_iter": 15, "batch_size": 16}
    for how in ("float32", "sparse"):
        for name, cls, params in (
            ("MLPClassifier-adam-7x5", MLPClassifier, {"solver": "adam", **mlp}),
            ("SoftmaxRegression-lbfgs", SoftmaxRegression, {"max_iter": 15}),
            ("SoftmaxRegression-sgd", SoftmaxRegression, {"solver": "sgd", **softmax}),
            ("Perceptron-average", Perceptron, {"max_iter": 50, "average": True}),
        ):
            cases.append((name, cls, params, "digits", how))
    batch8 = {"batch_size": 8}
    for how in ("sample_weight", "class_weight"):
        for data_name in ("iris", "digits"):
            for name, cls, params in (
                ("SoftmaxRegression-sgd", SoftmaxRegression, {"solver": "sgd"}),
                ("SoftmaxRegression-asgd", SoftmaxRegression, {"solver": "asgd"}),
                ("Perceptron-batch8", Perceptron, batch8),
                ("Perceptron-batch8avg", Perceptron, {**batch8, "average": True}),
                ("Perceptron-average", Perceptron, {"average": True}),
            ):
                extra = softmax if cls is SoftmaxRegression else {"max_iter": 50}
                cases.append((name, cls, {**params, **extra}, data_name, how))
    return cases


def variant_fits(data):
    """The fits of ``variants()``: {"estimator/data/how/attribute": array}."""
    results = {}
    for name, cls, params, data_name, how in variants():
        X, y = data[data_name]
        fit_params = {}
        if cls is MLPRegressor:
            X, y = np.delete(X, 0, axis=1), X[:, 0]
        if how == "float32":
            X = X.astype(np.float32)
        elif how == "sparse":
            X = sp.csr_matrix(np.where(np.abs(X) < 0.5, 0.0, X))
        elif how == "sample_weight":
            rng = np.random.default_rng(1)
            fit_params["sample_weight"] = rng.uniform(0.2, 3.0, len(y))
        elif how == "class_weight":
            params = {**params, "class_weight": {0: 3.0, 1: 0.5, 2: 2.0}}
        est = cls(random_state=0, **params).fit(X, y, **fit_params)
        for attr, value in fitted(est).items():
            results[f"{name}/{data_name}/{how}/{attr}"] = value
    return results


def fits():
    """Every fit of the matrix: {"estimator/data/mode/attribute": array}."""
    data = datasets()
    results = {}
    with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
        warnings.simplefilter("ignore")
        for name, cls, params in estimators():
            for data_name, (X, y) in data.items():
                # The regressors predict one feature from the others (a
                # central pixel of digits: the first is always 0).
                column = {"iris": 0, "digits": 20}[data_name]
                regressor = cls is MLPRegressor
                target = X[:, column] if regressor else y
                features = np.delete(X, column, axis=1) if regressor else X
                modes = {"fit": {}, "early": {"early_stopping": True}}
                if params.get("solver", "sgd") in ("sgd", "asgd", "adam") and not (
                    params.get("probability")
                ):
                    modes["stream"] = None
                for mode, extra in modes.items():
                    est = cls(random_state=0, **{**params, **(extra or {})})
                    if mode == "stream":
                        stream(est, features, target, y)
                    else:
                        est.fit(features, target)
                    for attr, value in fitted(est).items():
                        results[f"{name}/{data_name}/{mode}/{attr}"] = value
        results.update(variant_fits(data))
    return results


def stream(est, X, target, y):
    """Three passes of ``partial_fit`` over chunks of 40 samples."""
    order = np.random.default_rng(0).permutation(len(X))
    classifier = not isinstance(est, MLPRegressor)
    for _ in range(3):
        for start in range(0, len(X), 40):
            rows = order[start : start + 40]
            if classifier:
                est.partial_fit(X[rows], target[rows], classes=np.unique(y))
            else:
                est.partial_fit(X[rows], target[rows])


if __name__ == "__main__":
    results = fits()
    np.savez_compressed(PATH, **results, **{STACK_KEY: np.array(stack())})
    print(f"{len(results)} arrays written to {PATH}, made on {stack()}")
