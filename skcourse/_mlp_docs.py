"""The docstring fragments that MLPClassifier and MLPRegressor share.

Their parameters and fitted attributes mean the same in both classes (and the
same as in scikit-learn's MLPs); they are written once, here, and joined into
each class's docstring in ``neural_network.py``.
"""

SHARED_PARAMETERS = """
    hidden_layer_sizes : array-like of shape (n_layers - 2,), default=(100,)
        The number of units of each hidden layer :math:`h_1, \\dots, h_{L-1}`.

    activation : {"identity", "logistic", "tanh", "relu", "softplus"}, \
default="relu"
        The hidden units :math:`g`: :math:`a`, :math:`1/(1+e^{-a})`,
        :math:`\\tanh a`, :math:`\\max(a, 0)` or (not in scikit-learn)
        :math:`\\log(1 + e^a)`.

    solver : {"lbfgs", "sgd", "adam", "asgd"}, default="adam"
        "lbfgs": scipy's L-BFGS-B on the whole objective (float32 stays
        float32). "sgd": minibatch SGD with momentum. "adam": Adam.
        "asgd" (not in scikit-learn): "sgd" (its momentum and schedule)
        until its loss first stalls, where "sgd" would stop; from there the
        iterates are averaged,
        :math:`\\bar W^{(n)} = \\frac{n}{n+1}\\bar W^{(n-1)} + \\frac{1}{n+1}W^{(n)}`,
        and the average is the model until its loss stalls (an average of
        iterates still descending a non-convex loss lags behind them).
        Without a stopping rule (``partial_fit``, ``tol=None``) averaging
        starts after the first epoch; with one batch per epoch, "asgd" is
        "sgd".

    alpha : float, default=0.0001
        Strength of the L2 penalty, with scikit-learn's meaning: each batch
        minimises its weighted mean loss plus
        :math:`\\frac{\\alpha}{2}\\|W\\|^2 / \\sum_{n \\in B} s_n`, the penalty
        divided by the batch's total sample weight (the whole data's for
        "lbfgs"). Unlike ``SoftmaxRegression``'s :math:`\\frac{\\alpha}{2}
        \\|W\\|^2`, its effect shrinks as the batch (or the data) grows.

    batch_size : int or "auto", default="auto"
        Minibatch size of the stochastic solvers; "auto" is
        ``min(200, n_samples)``.

    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Step-size schedule of "sgd" (and "asgd"). "invscaling" divides
        ``learning_rate_init`` by :math:`(t + 1)^{power\\_t}` with
        :math:`t` the samples seen, after each epoch. "adaptive" divides
        the step by 5 whenever the loss stalls (and stops below 1e-6).

    learning_rate_init : float, default=0.001
        The initial step size :math:`\\gamma` ("sgd", "adam", "asgd").

    power_t : float, default=0.5
        Exponent of the "invscaling" schedule.

    max_iter : int, default=200
        Maximum number of epochs (stochastic solvers) or iterations (L-BFGS).

    shuffle : bool, default=True
        Whether to shuffle the samples at each epoch.

    random_state : int, RandomState instance or None, default=None
        Seeds the weights' start, the shuffling and the validation split.
        An int gives bit-identical refits.

    tol : float, default=1e-4
        The stochastic solvers stop when the training loss (with early
        stopping, the validation score) has not improved by ``tol`` for
        ``n_iter_no_change`` epochs in a row; L-BFGS's gradient tolerance.

    verbose : bool or int, default=False
        Print scikit-learn's "Iteration N, loss = ..." line per epoch (and,
        with early stopping, the validation score and loss).

    warm_start : bool, default=False
        Start ``fit`` from the fitted ``coefs_`` and ``intercepts_``.

    momentum : float, default=0.9
        Momentum :math:`\\mu` of "sgd" and "asgd", in [0, 1].

    nesterovs_momentum : bool, default=True
        Whether "sgd" and "asgd" use Nesterov's momentum.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (as
        scikit-learn's MLP: stratified for two classes, a class of one sample
        refused), stop when its score has not improved by ``tol`` for
        ``n_iter_no_change`` epochs, and keep the best epoch's weights (the
        first of tied ones). Stochastic solvers only, as in scikit-learn.

    validation_fraction : float, default=0.1
        Share of the training data held out for early stopping.

    beta_1, beta_2 : float, default=0.9, 0.999
        Decay rates of Adam's estimates of the gradient's first and second
        moments, in [0, 1).

    epsilon : float, default=1e-8
        Adam's guard against division by zero.

    n_iter_no_change : int, default=10
        Epochs without improvement by ``tol`` before stopping (or, for
        "adaptive", before dividing the step by 5).

    max_fun : int, default=15000
        L-BFGS's maximum number of evaluations of the objective.
"""

SHARED_ATTRIBUTES = """
    loss_ : float
        The objective (loss plus penalty) at the end of training.

    best_loss_ : float or None
        The smallest epoch loss; None with early stopping.

    loss_curve_ : list of float
        The objective after each epoch: the mean of the epoch's minibatch
        objectives (scikit-learn's rule; "asgd": the average's objective on
        the data), or after each L-BFGS iteration.

    validation_scores_ : list of float or None
        With early stopping, the validation score after each epoch.

    best_validation_score_ : float or None
        With early stopping, the best validation score.

    validation_loss_curve_ : list of float or None
        With early stopping (not in scikit-learn), the validation loss (no
        penalty) after each epoch.

    t_ : int
        Number of training samples seen by the solver, over the calls since
        the last cold ``fit``.

    coefs_ : list of ndarray of shape (n_units[k], n_units[k + 1])
        The weights :math:`W_{k+1}^\\top` of each layer (rows: inputs).

    intercepts_ : list of ndarray of shape (n_units[k + 1],)
        The biases :math:`b_{k+1}` of each layer.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string column names.

    n_iter_ : int
        Number of epochs (or L-BFGS iterations) of the last call.

    n_layers_ : int
        Number of layers, input and output included.

    n_outputs_ : int
        Number of outputs.

    out_activation_ : str
        The output function.
"""
