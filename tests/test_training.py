"""The promises of the shared training core, through the estimators that use it.

Each test pins one promise that the core once broke: divergence is an error,
an aborted L-BFGS is reported, a short last minibatch does not throw the model
off, a warm start starts from the public attributes and the current
parameters, a stream may deliver any chunk, the defaults converge, and early
stopping keeps the best validated epoch.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone, is_classifier
from sklearn.datasets import load_breast_cancer, load_digits, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import Perceptron as SkPerceptron
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skcourse._training import split_validation
from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor

# -- 1. a blow-up is an error ---------------------------------------------------


@pytest.mark.parametrize("solver", ["sgd", "asgd"])
@pytest.mark.parametrize("learning_rate", ["constant", "invscaling"])
def test_a_diverging_step_size_is_an_error(solver, learning_rate):
    X, y = load_digits(return_X_y=True)
    est = SoftmaxRegression(
        solver=solver,
        learning_rate=learning_rate,
        learning_rate_init=1e6,
        random_state=0,
    )
    with pytest.raises(FloatingPointError, match="learning rate"):
        est.fit(X, y)


def test_a_stall_above_the_first_epoch_is_divergence_not_convergence(digits):
    # Gradient descent at 74/L: the loss jumps from 2.3 to 19 and never gets
    # back under its first epoch's value; the stall rule alone called that
    # "converged" and returned the model.
    X, y = digits
    est = SoftmaxRegression(
        solver="gd", alpha=0.0, learning_rate="constant", learning_rate_init=272.0
    )
    with pytest.raises(FloatingPointError, match="first epoch's 2.303"):
        est.fit(X, y)


# -- 2. an aborted L-BFGS is reported --------------------------------------------


def test_an_aborted_lbfgs_is_reported():
    X, y = load_iris(return_X_y=True)
    with pytest.warns(ConvergenceWarning, match="L-BFGS-B stopped abnormally"):
        SoftmaxRegression().fit(X * 1e30, y)


# -- 3. a short last minibatch takes a short step --------------------------------


def test_one_more_sample_does_not_change_the_fit(digits):
    X, y = digits
    scores, epochs = [], []
    for n in (1600, 1601):
        est = SoftmaxRegression(solver="asgd", random_state=0).fit(X[:n], y[:n])
        scores.append(est.score(X[1601:], y[1601:]))
        epochs.append(est.n_iter_)
    assert abs(scores[0] - scores[1]) <= 0.01
    assert abs(epochs[0] - epochs[1]) <= 0.5 * max(epochs)


def test_streams_in_odd_chunks_learn_as_well_as_in_even_ones(digits):
    X, y = digits
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    scores = {}
    for chunk in (200, 201):
        est = SoftmaxRegression(solver="asgd", random_state=0)
        for _ in range(5):
            for start in range(0, len(y_train), chunk):
                rows = slice(start, start + chunk)
                est.partial_fit(X_train[rows], y_train[rows], classes=np.arange(10))
        scores[chunk] = est.score(X_test, y_test)
    assert scores[201] >= scores[200] - 0.01 and scores[201] > 0.9


# -- 4. a warm start starts from the public attributes ---------------------------


def test_warm_fit_reads_the_current_parameters(digits):
    X, y = digits
    est = SoftmaxRegression(solver="sgd", warm_start=True, random_state=0).fit(X, y)
    W = est.coef_.copy()
    est.set_params(learning_rate="constant", learning_rate_init=1e-12, max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, y)
    assert np.abs(est.coef_ - W).max() < 1e-9


def test_warm_fit_starts_from_the_public_weights_whatever_the_history(iris):
    X, y = iris
    rng = np.random.RandomState(0)
    W0, b0 = rng.normal(size=(3, 4)), rng.normal(size=3)
    step = dict(solver="gd", learning_rate="constant", learning_rate_init=0.1)
    fitted = []
    for history in (dict(solver="sgd"), dict(solver="asgd", batch_size=16)):
        est = SoftmaxRegression(warm_start=True, random_state=0, **history).fit(X, y)
        est.coef_, est.intercept_ = W0.copy(), b0.copy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            fitted.append(est.set_params(max_iter=1, **step).fit(X, y))
    assert_allclose(fitted[0].coef_, fitted[1].coef_, rtol=1e-12)
    assert_allclose(fitted[0].intercept_, fitted[1].intercept_, rtol=1e-12)
    assert np.abs(fitted[0].coef_ - W0).max() > 1e-3  # the step was taken


@pytest.mark.parametrize("average", [False, True])
def test_perceptron_warm_fit_equals_a_fit_from_its_public_weights(iris, average):
    X, y = iris
    params = dict(tol=None, max_iter=3, average=average)
    warm = Perceptron(warm_start=True, **params).fit(X, y)
    warm.coef_ = -warm.coef_
    start = (warm.coef_.copy(), warm.intercept_.copy())
    warm.set_params(eta0=0.5).fit(X, y)
    cold = Perceptron(eta0=0.5, **params)
    cold.fit(X, y, coef_init=start[0], intercept_init=start[1])
    assert_allclose(warm.coef_, cold.coef_)
    assert warm.t_ == cold.t_ == 3 * len(y) + 1


@pytest.mark.parametrize("est", [SoftmaxRegression(), Perceptron()], ids=repr)
def test_warm_fit_on_other_features_is_a_clear_error(iris, est):
    X, y = iris
    est.set_params(warm_start=True).fit(X, y)
    with pytest.raises(ValueError, match="X has 2 features, but .* is expecting 4"):
        est.fit(X[:, :2], y)


def test_partial_fit_continues_the_hidden_state_only_while_it_describes_the_model(
    digits,
):
    X, y = digits
    classes = np.arange(10)
    a = SoftmaxRegression(solver="asgd", random_state=0)
    a.partial_fit(X[:500], y[:500], classes=classes)
    b = SoftmaxRegression(solver="asgd", random_state=0)
    b.partial_fit(X[:500], y[:500], classes=classes)
    b.coef_ = b.coef_ * 1.0  # the same weights, a new array: still its state
    a.partial_fit(X[500:1000], y[500:1000])
    b.partial_fit(X[500:1000], y[500:1000])
    assert_array_equal(a.coef_, b.coef_)
    b.coef_ = b.coef_ * 0.5  # new weights: a new optimizer starts from them
    b.partial_fit(X[1000:1500], y[1000:1500])
    a.partial_fit(X[1000:1500], y[1000:1500])
    assert not np.allclose(a.coef_, b.coef_)


# -- 5. a stream may deliver any chunk --------------------------------------------


@pytest.mark.parametrize(
    "est",
    [Perceptron(), Perceptron(average=True), SoftmaxRegression(solver="asgd")],
    ids=repr,
)
def test_chunks_of_one_class_and_of_one_sample_stream(iris, est):
    X, y = iris
    est.partial_fit(X[y == 0], y[y == 0], classes=[0, 1, 2])  # one class
    order = np.random.RandomState(0).permutation(len(y))
    for _ in range(5):
        for i in order:  # one sample at a time
            est.partial_fit(X[i : i + 1], y[i : i + 1])
    assert est.score(X, y) > 0.7  # the plain perceptron is weak on iris


def test_a_chunk_smaller_than_a_batch_is_averaged_and_stepped_as_a_stream(iris):
    X, y = iris
    coefs = {}
    for solver in ("sgd", "asgd"):
        est = SoftmaxRegression(solver=solver, random_state=0)
        for _ in range(3):
            est.partial_fit(X, y, classes=[0, 1, 2])  # 150 < batch_size 200
        coefs[solver] = est.coef_
    assert not np.allclose(coefs["sgd"], coefs["asgd"])  # asgd averages


def test_a_first_chunk_of_two_samples_does_not_spoil_the_stream(digits):
    X, y = digits
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    scores = []
    for first in (2, 1000):
        est = SoftmaxRegression(solver="asgd", random_state=0)
        est.partial_fit(X_train[:first], y_train[:first], classes=np.arange(10))
        for _ in range(5):
            for rows in np.array_split(np.arange(len(y_train)), 7):
                est.partial_fit(X_train[rows], y_train[rows])
        scores.append(est.score(X_test, y_test))
    assert scores[0] > 0.9 and scores[0] >= scores[1] - 0.04


@pytest.mark.parametrize(
    "est", [Perceptron(), SoftmaxRegression(solver="sgd")], ids=repr
)
def test_partial_fit_refuses_early_stopping(iris, est):
    X, y = iris
    with pytest.raises(ValueError, match="early_stopping"):
        est.set_params(early_stopping=True).partial_fit(X, y, classes=[0, 1, 2])


# -- 6. the defaults converge ---------------------------------------------------

DATA = {
    "iris": load_iris,
    "wine": load_wine,
    "breast_cancer": load_breast_cancer,
    "digits": load_digits,
}
PERCEPTRONS = [
    {},
    {"average": True},
    {"multi_class": "multinomial"},
    {"multi_class": "multinomial", "average": True},
    {"batch_size": 10},
]


@pytest.mark.parametrize("name", sorted(DATA))
def test_defaults_converge_and_match_lbfgs_on_small_data(name):
    X, y = DATA[name](return_X_y=True)
    scores = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        for solver in ("lbfgs", "gd", "sgd", "asgd"):
            model = make_pipeline(
                StandardScaler(), SoftmaxRegression(solver=solver, random_state=0)
            )
            scores[solver] = cross_val_score(model, X, y, cv=5).mean()
        for params in PERCEPTRONS:
            make_pipeline(StandardScaler(), Perceptron(**params)).fit(X, y)
    for solver in ("gd", "sgd", "asgd"):
        assert scores[solver] >= scores["lbfgs"] - 0.02, (solver, scores)


def test_the_averaged_perceptron_stops_on_raw_data():
    X, y = load_digits(return_X_y=True)
    for params in PERCEPTRONS[1::2]:
        assert Perceptron(**params).fit(X, y).n_iter_ < 30


# -- 7. early stopping ------------------------------------------------------------


def test_early_stopping_does_not_underfit_small_data(digits):
    X, y = digits
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    plain = SoftmaxRegression(solver="sgd", random_state=0).fit(X_train, y_train)
    early = SoftmaxRegression(solver="sgd", early_stopping=True, random_state=0)
    early.fit(X_train, y_train)
    assert early.score(X_test, y_test) >= plain.score(X_test, y_test) - 0.02
    assert early.best_validation_score_ == max(early.validation_scores_)


def test_validation_split_keeps_the_training_order():
    X = np.arange(40.0)[:, None]
    y = np.arange(40) % 2
    X_train, *_ = split_validation(
        X,
        y[:, None],
        np.ones(40),
        y,
        fraction=0.25,
        stratify=y,
        rng=np.random.RandomState(0),
        score=None,
        how="linear",
    )
    assert np.all(np.diff(X_train[:, 0]) > 0)


def test_a_weightless_validation_split_is_a_clear_error():
    X, y = load_iris(return_X_y=True)
    # The split is the first draw of the fit's generator: redo it.
    _, val = train_test_split(
        np.arange(150), test_size=15, stratify=y, random_state=np.random.RandomState(0)
    )
    s = np.ones(150)
    s[val] = 0
    with pytest.raises(ValueError, match="validation set are all zero"):
        Perceptron(early_stopping=True, random_state=0).fit(X, y, sample_weight=s)


# -- Perceptron: scikit-learn's penalties and details ----------------------------


@pytest.mark.parametrize("penalty", ["l2", "elasticnet", "l1"])
def test_a_large_penalty_shrinks_to_zero_and_never_past(iris, penalty):
    X, y = iris
    est = Perceptron(penalty=penalty, alpha=1e5, eta0=0.1, max_iter=6, tol=None)
    est.fit(X, y)
    assert_array_equal(est.coef_, 0.0)


def test_l1_gives_exact_zeros_as_scikit_learn_does():
    X, y = load_iris(return_X_y=True)
    ours = Perceptron(penalty="l1", alpha=0.01, random_state=0).fit(X, y)
    theirs = SkPerceptron(penalty="l1", alpha=0.01, random_state=0).fit(X, y)
    assert (ours.coef_ == 0).sum() >= 1
    assert (ours.coef_ == 0).sum() >= (theirs.coef_ == 0).sum() - 1


def test_scalar_intercept_init_for_two_classes():
    X = np.array([[-2.0, -1], [-1, -1], [-1, -2], [1, 1], [1, 2], [2, 1]])
    y = np.array([1, 1, 1, 2, 2, 2])
    est = Perceptron(shuffle=False, max_iter=1, tol=None).fit(X, y, intercept_init=3)
    theirs = SkPerceptron(shuffle=False, max_iter=1, tol=None)
    theirs.fit(X, y, intercept_init=3)
    assert_allclose(est.intercept_, theirs.intercept_)


def test_the_convergence_warning_speaks_to_the_user():
    """It names the estimator and solver, points at the user's line, and
    suggests scaling only where the features' scales differ."""
    X, y = load_wine(return_X_y=True)
    est = SoftmaxRegression(solver="sgd", max_iter=2, random_state=0)
    with pytest.warns(ConvergenceWarning) as raw:
        est.fit(X, y)
    message = str(raw[0].message)
    assert "SoftmaxRegression (solver='sgd') reached max_iter=2 epochs" in message
    assert "scale the features" in message
    assert raw[0].filename == __file__
    with pytest.warns(ConvergenceWarning) as scaled:
        est.fit(StandardScaler().fit_transform(X), y)
    assert "scale the features" not in str(scaled[0].message)
    with pytest.warns(ConvergenceWarning, match="Perceptron reached max_iter=1 "):
        Perceptron(max_iter=1).fit(X, y)


def test_a_cold_fit_drops_the_validation_curves_of_an_earlier_fit(digits):
    X, y = digits
    est = SoftmaxRegression(solver="sgd", early_stopping=True, random_state=0)
    est.fit(X, y)
    assert len(est.validation_scores_) == len(est.loss_curve_)
    est.set_params(early_stopping=False).fit(X, y)
    for name in (
        "validation_scores_",
        "validation_loss_curve_",
        "best_validation_score_",
    ):
        assert not hasattr(est, name)
    # A warm start continues the training and the validation curves together.
    est.set_params(early_stopping=True, warm_start=True, max_iter=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # 3 epochs, on purpose
        est.fit(X, y)
        assert len(est.validation_scores_) == 3
        n = len(est.loss_curve_)
        est.fit(X, y)
    assert len(est.loss_curve_) == n + 3 and len(est.validation_scores_) == 6
    # Its best_validation_score_ is the score of the epoch this run kept (not
    # scikit-learn's MLP's best over every run: test_mlp.py).
    est.set_params(learning_rate_init=50.0, learning_rate="constant", max_iter=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, y)
    assert est.best_validation_score_ == max(est.validation_scores_[6:])
    assert est.best_validation_score_ < max(est.validation_scores_)


def test_small_data_trains_on_one_blas_thread(iris, monkeypatch, blas_pool_of_3):
    # Several BLAS threads on products of a few thousand multiply-adds cost
    # far more than they save (digits under load: 300 ms against 18 ms).
    # BLAS has 3 threads outside the fit, whatever the machine's cores.
    import skcourse._base

    seen = []

    def recording_train(*args, **kwargs):
        seen.append(blas_pool_of_3())
        return train(*args, **kwargs)

    train = skcourse._base.train
    monkeypatch.setattr(skcourse._base, "train", recording_train)
    SoftmaxRegression().fit(*iris)
    assert seen == [1]
    # 300 x 20,000 multiply-adds per pass over the data: every thread.
    X = np.random.RandomState(0).standard_normal((300, 20_000))
    with pytest.warns(ConvergenceWarning):  # one iteration is enough here
        SoftmaxRegression(max_iter=1).fit(X, np.arange(300) % 2)
    assert seen == [1, 3]


def test_small_minibatches_of_large_data_step_on_one_blas_thread(
    monkeypatch, blas_pool_of_3
):
    # The fit's threads are sized by its passes over all the data; the steps'
    # products are a minibatch's: 100 x 2,000 multiply-adds, on one thread
    # (on a busy machine, threads on such products wait for others' cores:
    # MNIST's asgd 0.86 -> 0.69 s for 3 epochs with one core taken), while
    # the loss of the average, a pass over all 5,000 rows, keeps every thread.
    from skcourse._models import Objective

    steps, passes = [], []
    step, model_loss = Objective.value_and_grad, Objective.model_loss

    def recording_step(self, *args, **kwargs):
        steps.append(blas_pool_of_3())
        return step(self, *args, **kwargs)

    def recording_pass(self, *args, **kwargs):
        passes.append(blas_pool_of_3())
        return model_loss(self, *args, **kwargs)

    monkeypatch.setattr(Objective, "value_and_grad", recording_step)
    monkeypatch.setattr(Objective, "model_loss", recording_pass)
    X = np.random.RandomState(0).standard_normal((5000, 2000))
    est = SoftmaxRegression(solver="asgd", batch_size=100, max_iter=2, random_state=0)
    with pytest.warns(ConvergenceWarning):
        est.fit(X, np.arange(5000) % 2)
    assert len(steps) == 100 and set(steps) == {1}
    assert passes and set(passes) == {3}


def test_lbfgs_runs_scipys_own_blas_on_one_thread(monkeypatch, blas_pool_of_3):
    # scipy's wheels bundle a BLAS of their own beside numpy's; L-BFGS-B's
    # small vector operations need no threads, and its idle threads spun on
    # the cores numpy's products needed (MNIST's evaluations 50 -> 100-150 ms).
    # numpy's BLAS keeps every thread for the products of large data.
    from threadpoolctl import threadpool_info

    from skcourse import _fast_numpy
    from skcourse._models import Objective

    if _fast_numpy.scipy_own_blas() is None:
        pytest.skip("scipy uses numpy's BLAS here: one pool of threads")
    own = {lib["filepath"] for lib in _fast_numpy.scipy_own_blas().info()}
    seen = []
    value_and_grad = Objective.value_and_grad

    def recording(self, *args, **kwargs):
        threads = {p["filepath"]: p["num_threads"] for p in threadpool_info()}
        seen.append(
            (
                {threads[f] for f in own},
                {n for f, n in threads.items() if f not in own and "blas" in f},
            )
        )
        return value_and_grad(self, *args, **kwargs)

    monkeypatch.setattr(Objective, "value_and_grad", recording)
    X = np.random.RandomState(0).standard_normal((300, 20_000))
    with pytest.warns(ConvergenceWarning):
        SoftmaxRegression(max_iter=2).fit(X, np.arange(300) % 2)
    assert seen and all(scipys == {1} for scipys, _ in seen)
    assert all(3 in numpys for _, numpys in seen)
    assert blas_pool_of_3() == 3  # and all threads back after the fit


def test_a_small_chunk_with_a_large_batch_size_allocates_only_its_rows():
    # The minibatch buffers are sized by the rows there are, not by batch_size:
    # 100,000 rows of 784 float64 would be 600 MiB for a chunk of three samples.
    import tracemalloc

    X = np.random.default_rng(0).random((3, 784))
    est = SoftmaxRegression(solver="sgd", batch_size=100_000)
    tracemalloc.start()
    try:
        est.partial_fit(X, [0, 1, 2], classes=[0, 1, 2])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20


@pytest.mark.parametrize(
    "make",
    [
        lambda: SoftmaxRegression(solver="lbfgs", max_iter=3),
        lambda: SoftmaxRegression(solver="gd", max_iter=3),
        lambda: SoftmaxRegression(solver="sgd", max_iter=2, random_state=0),
        lambda: SoftmaxRegression(solver="asgd", max_iter=2, random_state=0),
        lambda: SoftmaxRegression(solver="sgd", shuffle=False, max_iter=2),
        lambda: MLPClassifier(solver="lbfgs", hidden_layer_sizes=(5,), max_iter=3),
        lambda: MLPClassifier(
            solver="sgd", batch_size=4000, hidden_layer_sizes=(5,), max_iter=2
        ),
    ],
    ids=["lbfgs", "gd", "sgd", "asgd", "sgd-in-order", "mlp-lbfgs", "mlp-full-batch"],
)
def test_no_solver_copies_the_callers_X(make):
    # A full batch in order is X itself, and the minibatches of an unshuffled
    # epoch are views of X: none is gathered into a copy (gd once copied the
    # whole of X every epoch: 130 MiB of 20,000 MNIST rows).  Early stopping's
    # split copies X by design, as scikit-learn's MLP does.
    import tracemalloc

    X = np.random.default_rng(0).random((4000, 400))  # 12 MiB
    y = np.arange(4000) % 3
    est = make()
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < X.nbytes / 4


def test_a_nested_one_thread_limit_is_free_and_the_outer_one_restores(
    iris, monkeypatch, blas_pool_of_3
):
    # The online perceptron limits BLAS at every epoch inside the fit's own
    # limit: a nested limit reads no library (threadpoolctl's costs ~10 us,
    # more than a small epoch), and the threads come back after the outer one.
    from skcourse import _fast_numpy

    limits = []
    controller = _fast_numpy.blas_controller()
    real_limit = controller.limit
    monkeypatch.setattr(
        controller, "limit", lambda **kw: limits.append(kw) or real_limit(**kw)
    )
    with _fast_numpy.one_blas_thread():
        with _fast_numpy.one_blas_thread():
            assert blas_pool_of_3() == 1
        assert blas_pool_of_3() == 1
    assert blas_pool_of_3() == 3 and len(limits) == 1
    with _fast_numpy.one_blas_thread():  # a later limit limits again
        assert blas_pool_of_3() == 1
    assert blas_pool_of_3() == 3 and len(limits) == 2
    Perceptron().fit(*iris)  # one limit per fit, not one per epoch
    assert len(limits) == 3


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    "est", [SoftmaxRegression(), MLPRegressor(hidden_layer_sizes=(7,))]
)
def test_a_full_batch_summed_over_row_blocks_is_the_whole_batchs(
    est, dtype, monkeypatch
):
    # Many rows are evaluated a block at a time (each block read once for both
    # products): the sums must be the whole batch's, the last, shorter block
    # and the normalisation by all n included.
    from skcourse import _fast_numpy

    rng = np.random.default_rng(0)
    X = rng.standard_normal((1000, 20)).astype(dtype)
    y = rng.integers(0, 3, 1000) if is_classifier(est) else rng.standard_normal(1000)
    est = clone(est).set_params(max_iter=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, y)
    objective = est._objective()
    params = est._params(dtype) if is_classifier(est) else est._params()
    params = [p.astype(dtype) for p in params]
    T = est._targets(y, dtype) if is_classifier(est) else y[:, None].astype(dtype)
    s = rng.random(1000).astype(dtype)
    whole = objective.value_and_grad(params, X, T, s)
    blocks = []
    forward = objective.model.forward
    monkeypatch.setattr(
        objective.model, "forward", lambda p, X: blocks.append(len(X)) or forward(p, X)
    )
    monkeypatch.setattr(_fast_numpy, "ROW_BLOCK_BYTES", 256 * 20 * X.itemsize)
    blocked = objective.value_and_grad(params, X, T, s)
    assert blocks == [256, 256, 256, 232]
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    assert_allclose(blocked[0], whole[0], rtol=rtol)
    for got, expected in zip(blocked[1], whole[1], strict=True):
        assert got.dtype == expected.dtype == dtype
        assert_allclose(got, expected, rtol=rtol, atol=rtol * np.abs(expected).max())
