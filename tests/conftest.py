"""What several test modules share."""

import pytest
from sklearn.datasets import load_digits, load_iris
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info, threadpool_limits


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


@pytest.fixture
def blas_pool_of_3():
    """BLAS set to 3 threads for the test, whatever the machine's cores (the
    limit is a setting: OpenBLAS takes 3 on one core too); gives a function
    that reads the threads BLAS would use now."""

    def blas_threads():
        pools = [p for p in threadpool_info() if p["user_api"] == "blas"]
        return max(p["num_threads"] for p in pools) if pools else None

    with threadpool_limits(limits=3, user_api="blas"):
        if blas_threads() != 3:
            pytest.skip("this BLAS does not take a thread limit of 3")
        yield blas_threads
