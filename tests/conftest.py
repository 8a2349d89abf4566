"""What several test modules share."""

import pytest
from sklearn.datasets import load_digits, load_iris
from sklearn.preprocessing import StandardScaler


@pytest.fixture(scope="session")
def iris():
    """Iris, standardised."""
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="session")
def digits():
    """The digits, standardised."""
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X), y


class EpochRecorder:
    """A scikit-learn (>= 1.9) fit callback: records what ``record(fitted)``
    returns at the end of each task (each epoch, then the fit), and asks
    training to stop after ``stop_after`` of them."""

    def __init__(self, record, stop_after=None):
        self.record, self.ends, self.stop_after = record, [], stop_after

    def setup(self, estimator, context):
        pass

    def on_fit_task_begin(self, estimator, context):
        pass

    def on_fit_task_end(self, estimator, context, *, fitted_estimator):
        self.ends.append(self.record(fitted_estimator))
        return self.stop_after is not None and len(self.ends) >= self.stop_after

    def teardown(self, estimator, context):
        pass


@pytest.fixture
def epoch_recorder():
    """The ``EpochRecorder`` class, for the callback tests."""
    return EpochRecorder
