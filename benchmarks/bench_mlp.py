"""MLPClassifier against scikit-learn's MLPClassifier on MNIST: time per epoch.

Both fit the same network, 784-100-10 with ReLU units and minibatches of 200,
for exactly ``EPOCHS`` epochs (``n_iter_no_change`` larger than that, so that
neither stops early): the ratio of their fit times is the ratio of their
times per epoch. Both start from the same weights (skcourse draws scikit-
learn's Glorot start) and take the same kind of steps, so their test errors
are close; the seed only makes the report reproducible.
"""

import numpy as np
from _harness import Candidate, Case, Target
from sklearn.neural_network import MLPClassifier as SkMLPClassifier

from skcourse.neural_network import MLPClassifier

EPOCHS = 5

#: The issue's target: at most 0.7 of scikit-learn's time per epoch, and a test
#: error at most 0.1 point above its own after the same epochs.
TARGET = Target(0.7, 0.1)


def _params(solver):
    return dict(
        hidden_layer_sizes=(100,),
        activation="relu",
        solver=solver,
        batch_size=200,
        max_iter=EPOCHS,
        n_iter_no_change=EPOCHS + 1,
        random_state=0,
    )


def cases(n_train):
    """One case per solver and dtype; ``n_train`` is unused (all cases scale)."""
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
                )
            )
    return out
