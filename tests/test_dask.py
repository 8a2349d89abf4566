"""skcourse on a dask cluster: joblib's dask backend and dask-ml's Incremental.

A ``LocalCluster`` of 2 in-process workers (no network beyond the process,
no dashboard).  ``GridSearchCV`` under ``joblib.parallel_backend("dask")``
spreads its fits (folds x candidates) over the workers and finds what it
finds on one core; ``Incremental`` runs ``partial_fit`` on the chunks of a
dask array one after the other, and gives the model that the same loop of
``partial_fit`` calls gives.
"""

import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor
from skcourse.preprocessing import AddBias, RandomFeatures

REASON = "dask, distributed and dask-ml are not installed (extra 'dask')"
da = pytest.importorskip("dask.array", reason=REASON)
distributed = pytest.importorskip("distributed", reason=REASON)
wrappers = pytest.importorskip("dask_ml.wrappers", reason=REASON)
joblib = pytest.importorskip("joblib")

MLP = {"hidden_layer_sizes": (16,), "max_iter": 20, "random_state": 0}


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,  # in-process workers: nothing listens on the network
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X[:600]), y[:600]


SEARCHES = [
    (Perceptron(), {"eta0": [0.1, 1.0], "average": [False, True]}),
    (
        SoftmaxRegression(random_state=0),
        {"alpha": [1e-4, 1e-2], "solver": ["lbfgs", "asgd"]},
    ),
    (MLPClassifier(**MLP), {"alpha": [1e-4, 1e-1], "solver": ["adam", "sgd"]}),
    (MLPRegressor(**MLP), {"alpha": [1e-4, 1e-1]}),
    (
        make_pipeline(RandomFeatures(100, random_state=0), AddBias(), Perceptron()),
        {"randomfeatures__activation": ["relu", "sign"]},
    ),
]


@pytest.mark.parametrize(
    "est, grid", SEARCHES, ids=[type(e).__name__ for e, _ in SEARCHES]
)
def test_grid_search_on_the_dask_backend(est, grid, client, digits):
    """The same scores and the same best model as on one core."""
    X, y = digits
    target = y.astype(float) if isinstance(est, MLPRegressor) else y
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        local = GridSearchCV(clone(est), grid, cv=3, n_jobs=1).fit(X, target)
        with joblib.parallel_backend("dask"):
            spread = GridSearchCV(clone(est), grid, cv=3, n_jobs=-1).fit(X, target)
    np.testing.assert_array_equal(
        spread.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )
    assert spread.best_params_ == local.best_params_
    np.testing.assert_array_equal(spread.predict(X), local.predict(X))


STREAMED = [
    Perceptron(),
    Perceptron(average=True, multi_class="multinomial"),
    SoftmaxRegression(solver="sgd", random_state=0),
    SoftmaxRegression(solver="asgd", random_state=0),
    *[MLPClassifier(solver=s, **MLP) for s in ("sgd", "adam", "asgd")],
    MLPRegressor(**MLP),
]


@pytest.mark.parametrize("est", STREAMED, ids=repr)
def test_incremental_is_partial_fit_chunk_by_chunk(est, client, digits):
    """``Incremental`` over 4 chunks is 4 calls of ``partial_fit``, in order."""
    X, y = digits
    regression = isinstance(est, MLPRegressor)
    target = y.astype(float) if regression else y
    kwargs = {} if regression else {"classes": np.arange(10)}
    X_chunks = da.from_array(X, chunks=(150, X.shape[1]))
    y_chunks = da.from_array(target, chunks=150)

    streamed = wrappers.Incremental(clone(est), shuffle_blocks=False)
    streamed.fit(X_chunks, y_chunks, **kwargs)

    by_hand = clone(est)
    for rows in np.array_split(np.arange(len(X)), 4):
        by_hand.partial_fit(X[rows], target[rows], **kwargs)

    model = streamed.estimator_
    assert model.t_ == by_hand.t_  # the samples seen
    np.testing.assert_array_equal(model.predict(X), by_hand.predict(X))
    if hasattr(by_hand, "coef_"):
        np.testing.assert_array_equal(model.coef_, by_hand.coef_)
    else:
        for a, b in zip(model.coefs_, by_hand.coefs_, strict=True):
            np.testing.assert_array_equal(a, b)
    # Predictions on a dask array come chunk by chunk, as dask arrays (a
    # regression's products of 150 rows may round differently from 600's).
    predicted = streamed.predict(X_chunks)
    assert isinstance(predicted, da.Array)
    np.testing.assert_allclose(predicted.compute(), by_hand.predict(X), rtol=1e-12)
