"""What MLPClassifier and MLPRegressor share: parameters, their docs, training.

The two estimators differ only by their output and loss (softmax or logistic
with cross-entropy; identity with squared error, exp with Poisson), their
targets and their score.  Everything else is written once here: the
constructor and its parameters' constraints (their docs: ``_mlp_docs``), the
call of the shared training loop (``_training.train``, with scikit-learn's
steps: ``_optimizers.make_mlp_optimizer``) and its bookkeeping, the fitted
attributes, ``transform``.

Symbols: ``params = [W_1, ..., W_L, b_1, ..., b_L]`` is ``coefs_ + intercepts_``
(see ``_network``); ``A`` the output pre-activations ``a_L``.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
)
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from . import _fast_numpy
from ._array_api import (
    SUPPORTED,
    check_namespace,
    float_dtypes,
    move,
    namespace_and_device,
    ops,
    ops_of,
)
from ._base import (
    TRAINING_CONSTRAINTS,
    CallbackSupportMixin,
    callbacks_of,
    keep_optimizer,
    record_history,
    resumable_optimizer,
)
from ._losses import BinaryLogLoss, PoissonDeviance, SoftmaxCrossEntropy, SquaredError
from ._models import BatchL2, Objective
from ._monitoring import Stopping
from ._network import Network
from ._optimizers import batch_size_of, make_mlp_optimizer
from ._training import Config, train

#: Each output function and the loss it is canonical for.
OUTPUT_LOSSES = {
    "softmax": SoftmaxCrossEntropy,
    "logistic": BinaryLogLoss,
    "identity": SquaredError,
    "exp": PoissonDeviance,
}


#: The solvers that take minibatch steps (and so have ``partial_fit``).
class BaseMLP(
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    CallbackSupportMixin,
    BaseEstimator,
):
    """The shared part of the MLPs.  A subclass says what it predicts:

    - ``_out_activation()``: its output function, a key of ``OUTPUT_LOSSES``
      (which gives the loss);
    - ``_prepare(X, y, sample_weight, *, partial, first, classes)``: the
      validated ``X``, the targets ``T`` as the loss wants them, the ``y``
      for early stopping and callbacks (labels, label indicators or values),
      and the sample weights;
    - ``_score_outputs(Y, y, s)``: the score of outputs ``Y`` (accuracy, R^2).
    """

    _stochastic_solvers = ("sgd", "adam", "asgd")
    _parameter_constraints: dict = {
        **TRAINING_CONSTRAINTS,
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [
            StrOptions({"identity", "logistic", "tanh", "relu", "softplus"})
        ],
        "solver": [StrOptions({"lbfgs", "sgd", "adam", "asgd"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(
        self,
        hidden_layer_sizes=(100,),
        activation="relu",
        *,
        solver="adam",
        alpha=0.0001,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init=0.001,
        power_t=0.5,
        max_iter=200,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=10,
        max_fun=15000,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        # Trains where the data live under array_api_dispatch (_array_api).
        tags.array_api_support = SUPPORTED
        # transform gives the hidden features, in the input's float dtype.
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

    # -- the model and its training ------------------------------------------

    def _network(self, fast=_fast_numpy):
        """The network, computing through the seam ``fast`` (``_array_api``)."""
        sizes = self.hidden_layer_sizes
        sizes = list(sizes) if np.iterable(sizes) else [sizes]
        if any(size <= 0 for size in sizes):
            raise ValueError(f"hidden_layer_sizes must be > 0, got {sizes}.")
        return Network(sizes, self.activation, fast)

    def _objective(self, weight_scale=1.0, fast=_fast_numpy):
        penalty = BatchL2(self.alpha, weight_scale, fast)
        return Objective(self._network(fast), self._loss().on(fast), penalty)

    def _config(self):
        # Early stopping as scikit-learn's (the validation score alone), and
        # its random draws.
        cfg = Config.from_estimator(
            self,
            optimizer=make_mlp_optimizer,
            draws="mlp",
            samples_seen=getattr(self, "t_", 0),
        )
        cfg.early_stopping = self._early_stopping()
        # scikit-learn stops after n_iter_no_change + 1 epochs without progress.
        cfg.n_iter_no_change = self.n_iter_no_change + 1
        return cfg

    def _start_params(self, X, n_outputs, first, partial, rng, fast):
        """``coefs_ + intercepts_`` (a warm start or ``partial_fit``), else a
        fresh Glorot start drawn from ``rng``, where ``X`` is (``fast``).
        (Whether the optimizer's state carries over is the training loop's
        call: only while it describes these weights.)"""
        network = self._network(fast)
        if first:
            return network.init_params(X.shape[1], n_outputs, X.dtype, rng)
        units = network.layer_units(X.shape[1], n_outputs)
        shapes = [(i, o) for i, o in zip(units[:-1], units[1:], strict=True)]
        fitted = [W.shape for W in self.coefs_]
        if fitted != shapes:
            again = "call fit() to" if partial else "set warm_start=False to"
            raise ValueError(
                f"The fitted coefs_ have shapes {fitted}, but hidden_layer_sizes "
                f"and the data ask for {shapes}; {again} start again."
            )
        # To the new data's device, and a copy: training moves its
        # parameters in place.
        self.coefs_, self.intercepts_ = (
            move(self.coefs_, fast),
            move(self.intercepts_, fast),
        )
        return network.as_params(self.coefs_ + self.intercepts_, X.dtype)

    def _blas_threads(self, params, n_samples, cfg, fast):
        """One BLAS thread when a step's products are small (``_models``)."""
        batch = n_samples if self.solver == "lbfgs" else batch_size_of(cfg, n_samples)
        return fast.blas_threads(min(batch, n_samples), params[: len(params) // 2])

    def _fast(self, X):
        """The seam the math runs through on ``X`` (``_array_api.ops``)."""
        return ops(*namespace_and_device(X))

    def _early_stopping(self):
        """As in scikit-learn, L-BFGS ignores ``early_stopping``."""
        return self.early_stopping and self.solver != "lbfgs"

    def _train(self, X, T, y, s, *, partial, first):
        """Validate the run, call the training loop, record what it learned."""
        if partial and self.early_stopping:
            raise ValueError("partial_fit does not support early_stopping=True")
        if self.solver != "lbfgs" and self.batch_size != "auto" and not partial:
            if self.batch_size > X.shape[0]:
                warnings.warn(
                    "Got `batch_size` less than 1 or larger than sample size. It is "
                    "going to be clipped",
                    stacklevel=4,
                )
        # One generator for the start, the validation split and the
        # shuffles, drawn in scikit-learn's order: its seed gives its model.
        rng = check_random_state(self.random_state)
        fast = self._fast(X)  # where X is, the network trains
        params = self._start_params(X, T.shape[1], first, partial, rng, fast)
        if first:
            self.t_ = 0
        # What prediction needs besides the weights, set before training so
        # that the copies handed to callbacks predict (a failed fit undoes it).
        self.n_layers_ = len(params) // 2 + 1
        self.n_outputs_ = T.shape[1]
        self.out_activation_ = self._out_activation()
        # fit rescales the weights to mean 1 (a chunk of partial_fit keeps
        # them): the penalty is in the caller's units of weight.
        scale = 1.0 if partial else float(fast.xp.mean(s)) or 1.0
        objective = self._objective(weight_scale=scale, fast=fast)
        cfg = self._config()
        with self._blas_threads(params, X.shape[0], cfg, fast):
            params, history, optimizer = train(
                cfg,
                objective,
                params,
                X,
                T,
                s,
                y,
                score=self._validation_score,
                fitted_attributes=self._fitted_attributes,
                callbacks=callbacks_of(self, self._fitted_attributes),
                optimizer=resumable_optimizer(self, cfg, partial),
                # Early stopping on the validation score alone, and the first
                # of tied epochs kept: scikit-learn's MLP's rule.
                stopping=Stopping(cfg.tol, cfg.n_iter_no_change, ties_by_loss=False),
                partial=partial,
                rng=rng,
            )
        keep_optimizer(self, optimizer, cfg, self._fitted_attributes)
        self.__dict__.update(self._fitted_attributes(params))
        record_history(
            self,
            history,
            X.shape[0],
            restart=first,
            validation=self._early_stopping(),
            best=lambda scores, run: max(scores, default=None),
            absent=None,
        )
        curve = history.loss_curve
        self.loss_ = float(curve[-1]) if curve else objective.value(params, X, T, s)
        self.best_loss_ = (
            None
            if self._early_stopping()
            else min(self.loss_curve_, default=self.loss_)
        )
        return self

    def _fitted_attributes(self, params):
        L = len(params) // 2
        return {"coefs_": list(params[:L]), "intercepts_": list(params[L:])}

    def _validation_score(self, params, X, y, s):
        fast = ops_of(params[0])
        A = self._objective(fast=fast).decision(params, X)
        return self._score_outputs(self._loss().on(fast).predict(A), y, s)

    def _loss(self):
        return OUTPUT_LOSSES[self._out_activation()]

    # -- prediction -------------------------------------------------------------

    def _params(self):
        return list(self.coefs_) + list(self.intercepts_)

    def _validate_X(self, X, method):
        """``X`` validated, where the model is (``method``: the caller, for
        the error when ``X`` is elsewhere)."""
        check_is_fitted(self)
        check_namespace(X, self, "_first_weights", method)
        return validate_data(
            self,
            X,
            accept_sparse="csr",
            dtype=float_dtypes(*namespace_and_device(X)),
            reset=False,
        )

    @property
    def _first_weights(self):
        """``coefs_[0]``: where the fitted network lives."""
        return self.coefs_[0]

    def _outputs(self, X, method):
        """The output pre-activations :math:`a_L` of the samples ``X``."""
        X = self._validate_X(X, method)
        A = self._network(ops_of(self.coefs_[0])).forward(self._params(), X)[0]
        if not isinstance(A, np.ndarray):
            return A
        # Row-major, as scikit-learn's (the network's are column-major).
        return np.ascontiguousarray(A)

    def _predicted(self, X, method):
        """The outputs :math:`y = g_L(a_L)`: probabilities or values."""
        A = self._outputs(X, method)
        return OUTPUT_LOSSES[self.out_activation_].on(ops_of(A)).predict(A)

    def transform(self, X):
        """The last hidden layer :math:`h_{L-1}(x)`: the learned features
        :math:`\\varphi(x)` on which the output layer is a linear model.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        H : ndarray of shape (n_samples, hidden_layer_sizes[-1])
            The activations of the last hidden layer.
        """
        X = self._validate_X(X, "transform")
        return self._network(ops_of(self.coefs_[0])).hidden(self._params(), X)

    @property
    def _n_features_out(self):
        """Units of the last hidden layer: ``transform``'s features, named
        ``mlpclassifier0``, ... by ``get_feature_names_out``."""
        return self.coefs_[-1].shape[0]

    def _fit(self, X, y, sample_weight, *, partial, classes=None):
        first = self._first_pass(partial)
        X, T, y, s = self._prepare(
            X, y, sample_weight, partial=partial, first=first, classes=classes
        )
        return self._train(X, T, y, s, partial=partial, first=first)

    def _first_pass(self, partial):
        """scikit-learn's rule: start afresh unless there are weights and the
        call is ``partial_fit`` or a warm start."""
        return not hasattr(self, "coefs_") or not (self.warm_start or partial)
