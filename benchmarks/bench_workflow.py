"""A user's workflow: a grid search over a pipeline on digits, informational.

Most fits users run are small and run many times, inside a model selection:
``GridSearchCV(make_pipeline(StandardScaler(), Est()), grid, cv=5)`` on
scikit-learn's digits (1,347 training and 450 test images, 8 x 8 pixels, split
as ``bench_small.py`` splits it, not standardised: the pipeline does it).
Each skcourse estimator is searched beside its scikit-learn counterpart over
a grid of the same size (``GRID_SIZE`` candidates, so ``5 GRID_SIZE + 1``
fits, the refit included); the fit time is the search's wall time, the test
error that of its best model. BLAS keeps its default threads; each search
runs with ``n_jobs=1`` and ``n_jobs=2`` (joblib's worker processes, started
by the first search that needs them: the best of the repeats leaves that out).

The MLPs' searches take minutes (scikit-learn's ``MLPClassifier()`` runs
130 epochs on digits): run them by name (``--case workflow-mlp-1``).
"""

import functools

from _cases import Candidate, Case
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.linear_model import Perceptron as SkPerceptron
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neural_network import MLPClassifier as SkMLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier

#: Candidates of every grid: the same number for both sides of a case.
GRID_SIZE = 2
#: Searches per estimator at most (each is 11 fits), best wall time kept.
MAX_REPEAT = 3
N_JOBS = (1, 2)

_AVERAGED = dict(
    loss="perceptron", eta0=1.0, learning_rate="constant", penalty=None, average=True
)

#: name: (reference, its grid, skcourse's estimator, its grid, opt-in).
#: The grids search the same setting under each side's name for it (the
#: penalty: scikit-learn's ``C`` is ``1 / (alpha n)``).
SEARCHES = {
    "p": (
        SkPerceptron(penalty="l2"),
        {"alpha": [1e-4, 1e-3]},
        Perceptron(penalty="l2"),
        {"alpha": [1e-4, 1e-3]},
        False,
    ),
    "ap": (
        SGDClassifier(**_AVERAGED, random_state=0),
        {"fit_intercept": [True, False]},
        Perceptron(average=True),
        {"fit_intercept": [True, False]},
        False,
    ),
    "s": (
        LogisticRegression(),
        {"C": [1.0, 100.0]},
        SoftmaxRegression(),
        {"alpha": [1e-4, 1e-2]},
        False,
    ),
    "s-asgd": (
        LogisticRegression(),
        {"C": [1.0, 100.0]},
        SoftmaxRegression(solver="asgd", random_state=0),
        {"alpha": [1e-4, 1e-2]},
        False,
    ),
    "mlp": (
        SkMLPClassifier(random_state=0),
        {"alpha": [1e-4, 1e-2]},
        MLPClassifier(random_state=0),
        {"alpha": [1e-4, 1e-2]},
        True,
    ),
}


@functools.cache
def load_digits_split():
    """Digits split 75/25, stratified, ``random_state=0``; raw pixels (0-16)."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    return X_train, y_train, X_test, y_test


def search(estimator, grid, n_jobs):
    """The user's search: a scaler and ``estimator``, 5-fold, over ``grid``."""
    pipeline = make_pipeline(StandardScaler(), estimator)
    step = pipeline.steps[-1][0]
    grid = {f"{step}__{name}": values for name, values in grid.items()}
    assert all(len(values) == GRID_SIZE for values in grid.values())
    return GridSearchCV(pipeline, grid, cv=5, n_jobs=n_jobs)


def _label(estimator, grid, n_jobs):
    settings = ", ".join(f"{name}: {values}" for name, values in grid.items())
    return f"GridSearchCV({estimator!r}, {{{settings}}}, n_jobs={n_jobs})"


def cases(n_train):
    """The cases of this file; ``n_train`` (MNIST's) is unused."""
    return [
        Case(
            name=f"workflow-{name}-{n_jobs}",
            description=(
                f"GridSearchCV(make_pipeline(StandardScaler(), ...), cv=5, "
                f"n_jobs={n_jobs}) over {GRID_SIZE} candidates; digits, 1347 "
                f"training and 450 test samples; best of at most {MAX_REPEAT} "
                "searches, in turn"
            ),
            reference=Candidate(
                f"sklearn {_label(reference, reference_grid, n_jobs)}",
                functools.partial(search, reference, reference_grid, n_jobs),
            ),
            candidates=[
                Candidate(
                    _label(estimator, grid, n_jobs),
                    functools.partial(search, estimator, grid, n_jobs),
                )
            ],
            data=load_digits_split,
            max_repeat=MAX_REPEAT,
            interleave=True,
            opt_in=opt_in,
        )
        for name, (reference, reference_grid, estimator, grid, opt_in) in (
            SEARCHES.items()
        )
        for n_jobs in N_JOBS
    ]
