"""What several test modules share."""

import os

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


# .ci/run sets it where the MNIST mirror is: there a missing MNIST is a failure,
# not a skip, so that CI cannot pass without running the MNIST tests.
REQUIRE_MNIST_ENV = "SKCOURSE_REQUIRE_MNIST"


def _skip_for_missing(reason):
    """Skip the running test because ``reason`` (something this machine lacks);
    fail it instead where .ci/run requires MNIST and MNIST is what is missing."""
    if "MNIST" in reason and os.environ.get(REQUIRE_MNIST_ENV):
        pytest.fail(f"{REQUIRE_MNIST_ENV} is set, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def skip_for_missing():
    """``_skip_for_missing``, for test modules (they cannot import conftest)."""
    return _skip_for_missing


def load_mnist_or_skip(subset):
    """MNIST from a local mirror or the cache; never downloads (no test reaches
    the internet). Skips, saying how to provide the data, when it is absent."""
    from skcourse.datasets import MNIST_DIR_ENV, load_mnist

    try:
        return load_mnist(subset, download_if_missing=False)
    except FileNotFoundError:
        _skip_for_missing(
            f"MNIST is not on disk: set {MNIST_DIR_ENV} to a folder with its four "
            f".gz files, or download it once with "
            f"python -c 'from skcourse.datasets import load_mnist; load_mnist(\"all\")'"
        )


@pytest.fixture(scope="session")
def mnist_train():
    """MNIST's 60,000 training images (a Bunch); skipped without the data."""
    return load_mnist_or_skip("train")


@pytest.fixture(scope="session")
def mnist_test():
    """MNIST's 10,000 test images (a Bunch); skipped without the data."""
    return load_mnist_or_skip("test")


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
