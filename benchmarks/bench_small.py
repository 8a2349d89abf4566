"""Small data sets: fit-time ratios, test errors and peak memory, informational
(no target).

On MNIST a fit takes seconds; on scikit-learn's bundled iris (150 samples, 4
features, 3 classes), breast cancer (569, 30, 2) and digits (1797, 64, 10) it
takes milliseconds, where fixed per-fit costs (validation, set-up, Python
loops) rather than arithmetic decide the ratio. Each data set is split once,
stratified 75/25 with ``random_state=0``, and standardised by a StandardScaler
fitted on the training split. Each fit is timed as the best of ``REPEAT``,
the reference and the candidates fitted in turn (``Case.interleave``), and
each is fitted once more under tracemalloc for the peak memory of ``fit``.

Per data set, four cases, one per scikit-learn reference:

- ``Perceptron()`` against scikit-learn's ``Perceptron()``;
- ``Perceptron(average=True)`` against
  ``SGDClassifier(loss="perceptron", eta0=1, learning_rate="constant",
  penalty=None, average=True)``, the same rule and average;
- ``SoftmaxRegression()`` (L-BFGS) and ``solver`` gd, sgd and asgd, all with
  their defaults, against ``LogisticRegression()``;
- the same four at ``LogisticRegression()``'s own objective (``alpha = 1 /
  (C n)``, ``C = 1``: its penalty ``||W||^2 / 2`` over ``C`` times the summed
  loss is ours over the mean loss), where the L-BFGS fits end at the same
  weights (to 1e-13 here): the ratio of the solvers alone.  The defaults
  differ on purpose (``alpha=1e-4``, MLPClassifier's, regularises less than
  ``C=1`` on small data, hence more iterations: the "s" rows);
- ``MLPClassifier()`` against scikit-learn's ``MLPClassifier()``, both with
  their defaults (``random_state=0``).

And ``MLPRegressor()`` against scikit-learn's ``MLPRegressor()`` on the
diabetes data (442 samples, 10 features), whose targets (25 to 346) are
standardised too, as a user would (``TransformedTargetRegressor``): with raw
targets neither MLP learns them in its default 200 epochs. A regressor's
"test error" is the share of the test variance it leaves unexplained,
``100 (1 - R^2)``.

Stochastic estimators get ``random_state=0`` where their default is None, only
so that the report is reproducible.
"""

import functools

from _cases import Candidate, Case
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits, load_iris
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.linear_model import Perceptron as SkPerceptron
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.neural_network import MLPRegressor as SkMLPRegressor
from sklearn.preprocessing import StandardScaler

from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor

#: Fits per estimator, best time kept.
REPEAT = 20
#: The MLPs' fits take a tenth of a second or more (200 epochs): fewer suffice.
MLP_REPEAT = 5
DATASETS = {
    "iris": load_iris,
    "cancer": load_breast_cancer,
    "digits": load_digits,
}


@functools.cache
def load_split(name):
    """``X_train, y_train, X_test, y_test`` of a bundled data set, standardised."""
    X, y = DATASETS[name](return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), y_train, scaler.transform(X_test), y_test


@functools.cache
def load_regression_split():
    """Diabetes as ``load_split`` does, its targets standardised too."""
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    mean, std = y_train.mean(), y_train.std()
    return (
        scaler.transform(X_train),
        (y_train - mean) / std,
        scaler.transform(X_test),
        (y_test - mean) / std,
    )


def cases(n_train):
    """The cases of this file; ``n_train`` (MNIST's) is unused."""
    return [case for name in DATASETS for case in _dataset_cases(name)] + [
        _case(
            "diabetes-mlp",
            "MLPRegressor() with its defaults; diabetes",
            Candidate("sklearn MLPRegressor()", _seeded(SkMLPRegressor)),
            [Candidate("MLPRegressor()", _seeded(MLPRegressor))],
            load_regression_split,
            MLP_REPEAT,
            " (targets too)",
        )
    ]


def _seeded(cls):
    """``cls(random_state=0)``: the MLPs draw their start from it."""
    return functools.partial(cls, random_state=0)


def _case(name, description, reference, candidates, data, repeat, scaled=""):
    X_train, _, X_test, _ = data()
    return Case(
        name=name,
        description=(
            f"{description}, {len(X_train)} training and {len(X_test)} test "
            f"samples, standardised{scaled}; best of {repeat} fits, in turn"
        ),
        reference=reference,
        candidates=candidates,
        data=data,
        min_repeat=repeat,
        max_repeat=repeat,
        interleave=True,
        memory=True,
    )


def _dataset_cases(name):
    alpha = 1 / len(load_split(name)[0])  # LogisticRegression's C = 1 over n

    def case(suffix, description, reference, candidates, repeat=REPEAT):
        data = functools.partial(load_split, name)
        description = f"{description}; {name}"
        return _case(
            f"{name}-{suffix}", description, reference, candidates, data, repeat
        )

    return [
        case(
            "p",
            "Perceptron() with its defaults",
            Candidate("sklearn Perceptron()", SkPerceptron),
            [Candidate("Perceptron()", Perceptron)],
        ),
        case(
            "ap",
            "averaged perceptron with its defaults",
            Candidate(
                "sklearn SGDClassifier(loss='perceptron', average=True, ...)",
                lambda: SGDClassifier(
                    loss="perceptron",
                    eta0=1.0,
                    learning_rate="constant",
                    penalty=None,
                    average=True,
                    random_state=0,
                ),
            ),
            [Candidate("Perceptron(average=True)", lambda: Perceptron(average=True))],
        ),
        case(
            "s",
            "SoftmaxRegression's solvers with their defaults",
            Candidate("LogisticRegression()", LogisticRegression),
            [Candidate("SoftmaxRegression()", SoftmaxRegression)]
            + [
                Candidate(
                    f"SoftmaxRegression(solver='{solver}')",
                    functools.partial(SoftmaxRegression, solver=solver, random_state=0),
                )
                for solver in ("gd", "sgd", "asgd")
            ],
        ),
        case(
            "sC",
            "SoftmaxRegression's solvers at LogisticRegression's objective",
            Candidate("LogisticRegression()", LogisticRegression),
            [
                Candidate(
                    f"SoftmaxRegression(solver='{solver}', alpha=1/(C*n))",
                    functools.partial(
                        SoftmaxRegression, solver=solver, alpha=alpha, random_state=0
                    ),
                )
                for solver in ("lbfgs", "gd", "sgd", "asgd")
            ],
        ),
        case(
            "mlp",
            "MLPClassifier() with its defaults",
            Candidate("sklearn MLPClassifier()", _seeded(SkMLPClassifier)),
            [Candidate("MLPClassifier()", _seeded(MLPClassifier))],
            MLP_REPEAT,
        ),
    ]
