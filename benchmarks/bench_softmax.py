"""SoftmaxRegression against scikit-learn's LogisticRegression on MNIST.

SoftmaxRegression minimises the mean cross-entropy + alpha/2 ||W||^2, and
LogisticRegression(C) the summed cross-entropy + 1/(2C) ||W||^2; dividing the
latter by n_samples shows that both have the same optimum when
alpha = 1 / (C * n_samples).
"""

import numpy as np
from _cases import Candidate, Case, Target
from sklearn.linear_model import LogisticRegression

from skcourse.linear_model import SoftmaxRegression

C = 1.0  # LogisticRegression's default

REFERENCE = Candidate("LogisticRegression()", LogisticRegression)


def cases(n_train):
    """The cases of this file; ``n_train`` is the number of training images used."""
    alpha = 1.0 / (C * n_train)
    return [
        _same_objective_case(alpha, np.float64, "a", Target(1.0, 0.1)),
        _same_objective_case(alpha, np.float32, "a32", None),
        _stochastic_case(),
    ]


def _same_objective_case(alpha, dtype, name, target):
    """(a) L-BFGS on the objective of LogisticRegression(C=1): faster, as accurate."""
    lbfgs = Candidate(
        f"SoftmaxRegression(solver='lbfgs', alpha=1/(C*n)) [{np.dtype(dtype).name}]",
        # Its defaults tol=1e-4 and max_iter=100 are LogisticRegression's: the
        # same problem, the same stopping test, two implementations.
        lambda: SoftmaxRegression(solver="lbfgs", alpha=alpha),
        target,
    )
    return Case(
        name=name,
        description=(
            "same objective as LogisticRegression(C=1.0), solved by L-BFGS, "
            f"pixels in {np.dtype(dtype).name}"
        ),
        reference=REFERENCE,
        candidates=[lbfgs],
        dtype=dtype,
    )


def _stochastic_case():
    """(b) averaged SGD with its defaults: a fraction of the time, nearly as good.

    The plain SGD and full-batch GD rows are informational. The seed only
    makes the report reproducible.
    """
    asgd = Candidate(
        "SoftmaxRegression(solver='asgd')",
        lambda: SoftmaxRegression(solver="asgd", random_state=0),
        Target(0.25, 0.3),
    )
    sgd = Candidate(
        "SoftmaxRegression(solver='sgd')",
        lambda: SoftmaxRegression(solver="sgd", random_state=0),
    )
    gd = Candidate(
        "SoftmaxRegression(solver='gd')", lambda: SoftmaxRegression(solver="gd")
    )
    return Case(
        name="b",
        description="default stochastic and first-order solvers",
        reference=REFERENCE,
        candidates=[asgd, sgd, gd],
    )
