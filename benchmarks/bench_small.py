"""Small data sets: fit-time ratios and test errors, informational (no target).

On MNIST a fit takes seconds; on scikit-learn's bundled iris (150 samples, 4
features, 3 classes), breast cancer (569, 30, 2) and digits (1797, 64, 10) it
takes milliseconds, where fixed per-fit costs (validation, set-up, Python
loops) rather than arithmetic decide the ratio. Each data set is split once,
stratified 75/25 with ``random_state=0``, and standardised by a StandardScaler
fitted on the training split. Each fit is timed as the best of ``REPEAT``.

Per data set, three cases, one per scikit-learn reference:

- ``Perceptron()`` against scikit-learn's ``Perceptron()``;
- ``Perceptron(average=True)`` against
  ``SGDClassifier(loss="perceptron", eta0=1, learning_rate="constant",
  penalty=None, average=True)``, the same rule and average;
- ``SoftmaxRegression()`` (L-BFGS) and ``solver`` gd, sgd and asgd, all with
  their defaults, against ``LogisticRegression()``.

Stochastic estimators get ``random_state=0`` where their default is None, only
so that the report is reproducible.
"""

import functools

from _cases import Candidate, Case
from sklearn.datasets import load_breast_cancer, load_digits, load_iris
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.linear_model import Perceptron as SkPerceptron
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skcourse.linear_model import Perceptron, SoftmaxRegression

#: Fits per estimator (at least; more if the run's --repeat asks), best time kept.
REPEAT = 20
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


def cases(n_train):
    """The cases of this file; ``n_train`` (MNIST's) is unused."""
    return [case for name in DATASETS for case in _dataset_cases(name)]


def _dataset_cases(name):
    def case(suffix, description, reference, candidates):
        X_train, _, X_test, _ = load_split(name)
        return Case(
            name=f"{name}-{suffix}",
            description=(
                f"{description}; {name}, {len(X_train)} training and "
                f"{len(X_test)} test samples, standardised; best of {REPEAT} fits"
            ),
            reference=reference,
            candidates=candidates,
            data=functools.partial(load_split, name),
            min_repeat=REPEAT,
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
    ]
