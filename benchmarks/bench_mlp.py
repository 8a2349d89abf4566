"""MLPClassifier against scikit-learn's MLPClassifier on MNIST: time per epoch.

Both fit the same network, 784-100-10 with ReLU units and minibatches of 200,
for exactly ``EPOCHS`` epochs (``n_iter_no_change`` larger than that, so that
neither stops early): the ratio of their fit times is the ratio of their
times per epoch. Both start from the same weights (skcourse draws scikit-
learn's Glorot start) and take the same kind of steps, so their test errors
are close; the seed only makes the report reproducible.

Beside the table, each row's achieved FLOP/s (the FLOPs of the matrix
products of every step, ``products``, over the fit time) against this
machine's matrix-product throughput, and the peak memory of ``fit``.

``mlp-long`` (run only by ``--case mlp-long``) trains larger networks for a
few minutes each and puts their test errors beside LeCun et al. (1998)'s.
"""

import itertools
import math

import numpy as np
from _cases import Candidate, Case, Target
from _gemm import MatMul
from sklearn.neural_network import MLPClassifier as SkMLPClassifier

from skcourse.neural_network import MLPClassifier

EPOCHS = 5
BATCH = 200
LAYERS = (784, 100, 10)

#: The issue's target: at most 0.7 of scikit-learn's time per epoch, and a test
#: error at most 0.1 point above its own after the same epochs.
TARGET = Target(0.7, 0.1)


def _params(solver):
    return dict(
        hidden_layer_sizes=LAYERS[1:-1],
        activation="relu",
        solver=solver,
        batch_size=BATCH,
        max_iter=EPOCHS,
        n_iter_no_change=EPOCHS + 1,
        random_state=0,
    )


def products(layers, batch):
    """The matrix products of one step of a ``layers`` network on ``batch`` samples.

    Forward ``H_{i-1} W_i`` (``H_0 = X``, named X); backward, the weight gradients
    ``H_{i-1}^T delta_i`` and the deltas ``delta_i W_i^T`` sent down to every
    hidden layer (none to the input). Biases, activations, the loss and the
    updates are O(batch x units) or O(weights) per step, against
    O(batch x weights) for the products: left out.
    """
    pairs = list(itertools.pairwise(layers))
    H = ["X"] + [f"H{i}" for i in range(1, len(pairs))]
    forward = [
        MatMul(f"{H[i]} W{i + 1}", batch, a, b) for i, (a, b) in enumerate(pairs)
    ]
    down = [
        MatMul(f"delta{i + 1} W{i + 1}^T", batch, b, a, "b")
        for i, (a, b) in enumerate(pairs)
        if i > 0
    ]
    gradients = [
        MatMul(f"{H[i]}^T delta{i + 1}", a, batch, b, "a")
        for i, (a, b) in enumerate(pairs)
    ]
    return tuple(forward + down + gradients)


PRODUCTS = products(LAYERS, BATCH)


def flops_counter(batch, validation_fraction=0.0):
    """``flops(fitted, n_samples)``: the FLOPs of the products of a fit.

    The layers are read from the fitted ``coefs_``. Each epoch: the step
    products (``products``) of the training samples, which scale with the
    batch (a last, smaller batch too), and, with early stopping, the forward
    products of the validation samples (their score); ``n_iter_`` epochs.
    """

    def flops(fitted, n_samples):
        layers = [fitted.coefs_[0].shape[0]] + [w.shape[1] for w in fitted.coefs_]
        step = products(layers, batch)
        forward = step[: len(layers) - 1]
        n_validation = math.ceil(validation_fraction * n_samples)
        per_epoch = (
            sum(p.flops for p in step) * (n_samples - n_validation)
            + sum(p.flops for p in forward) * n_validation
        ) / batch
        return per_epoch * fitted.n_iter_

    return flops


def cases(n_train):
    """One case per solver and dtype, and ``mlp-long``; ``n_train`` is unused."""
    out = []
    for solver in ("adam", "sgd"):
        for dtype in (np.float64, np.float32):
            name = f"mlp-{solver}-{np.dtype(dtype).name}"
            params = _params(solver)
            out.append(
                Case(
                    name=name,
                    description=(
                        f"784-100-10 ReLU, solver={solver!r}, batch 200, "
                        f"{EPOCHS} epochs, pixels in {np.dtype(dtype).name}"
                    ),
                    reference=Candidate(
                        f"sklearn MLPClassifier(solver={solver!r})",
                        lambda params=params: SkMLPClassifier(**params),
                    ),
                    candidates=[
                        Candidate(
                            f"MLPClassifier(solver={solver!r})",
                            lambda params=params: MLPClassifier(**params),
                            TARGET,
                        )
                    ],
                    dtype=dtype,
                    flops=flops_counter(BATCH),
                    products=PRODUCTS,
                    memory=True,
                    interleave=True,
                )
            )
    return out + [long_case()]


#: Longest training of each network of ``mlp-long``, in epochs, so that a fit
#: takes at most about 3 minutes on 2 cores; early stopping usually ends it
#: sooner.
LONG_MAX_EPOCHS = {(300,): 150, (300, 100): 60}
VALIDATION_FRACTION = 0.1


def long_case():
    """Best test error in a few minutes: larger networks, early stopping."""

    def make(hidden):
        return MLPClassifier(
            hidden_layer_sizes=hidden,
            solver="adam",
            early_stopping=True,
            validation_fraction=VALIDATION_FRACTION,
            max_iter=LONG_MAX_EPOCHS[hidden],
            random_state=0,
        )

    return Case(
        name="mlp-long",
        description=(
            "784-300-10 and 784-300-100-10 ReLU, adam, batch 200, early stopping "
            "on 10 % of the training images (at most "
            + " and ".join(f"{e} epochs" for e in LONG_MAX_EPOCHS.values())
            + "), pixels in float32, one fit each whatever --repeat; "
            "LeCun et al. (1998) trained their networks as was done then "
            "(sigmoid-type units, mean square error, no adam): their rows "
            "are for scale, not the same training"
        ),
        reference=None,
        candidates=[
            Candidate(
                f"MLPClassifier(hidden_layer_sizes={hidden}, early_stopping=True)",
                lambda hidden=hidden: make(hidden),
            )
            for hidden in LONG_MAX_EPOCHS
        ],
        dtype=np.float32,
        max_repeat=1,
        flops=flops_counter(BATCH, VALIDATION_FRACTION),
        # The deeper network's products, a superset of the other's.
        products=products((784, 300, 100, 10), BATCH),
        opt_in=True,
        published=(
            ("LeCun et al. 1998, 2-layer NN, 300 hidden units", 4.7),
            ("LeCun et al. 1998, 3-layer NN, 300+100 hidden units", 3.05),
        ),
    )
