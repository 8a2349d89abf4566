"""What the training loop tells the user, in the estimator's own words: the
advice when training diverges, the ``ConvergenceWarning``'s message, and
``warn``, which points a warning at the user's line."""

import os
import sys
import warnings

import numpy as np
import scipy.sparse as sp

from ._array_api import to_host


def divergence_advice(cfg, homogeneous=False):
    """What to change when training diverges, in the estimator's own
    parameters: the step the user set (not an optimizer's internal, decayed
    or bias-corrected one) and only remedies the estimator offers."""
    scale = "standardise the features (StandardScaler)"
    if cfg.solver == "lbfgs":
        return f"L-BFGS chooses its own steps: {scale}."
    name = cfg.step_parameter
    if homogeneous:
        # The perceptron criteria: the step only scales the weights; the
        # scores overflow where features times weights leave float range.
        return (
            f"The scores overflowed: they grow with the features and with "
            f"{name}={cfg.learning_rate_init:g}. Standardise the features "
            f"(StandardScaler), or lower {name}."
        )
    if cfg.learning_rate == "auto":
        return (
            "learning_rate='auto' sizes the step from the features, and on "
            f"these training still diverged: {scale}, or set "
            "learning_rate='constant' with a small learning_rate_init."
        )
    auto = "auto" in cfg.learning_rates
    return (
        f"The learning rate ({name}={cfg.learning_rate_init:g}) is too large "
        f"for this data. Lower {name}"
        + (", use learning_rate='auto'" if auto else "")
        + f", or {scale}."
    )


def not_converged(cfg, X, max_iter):
    """The ``ConvergenceWarning`` message, in the estimator's own words."""
    solver = f" (solver={cfg.solver!r})" if "solver" in cfg.parameters else ""
    steps = "iterations" if cfg.solver == "lbfgs" else "epochs"
    message = (
        f"{cfg.name}{solver} reached max_iter={max_iter} {steps} before "
        f"its loss stopped improving by tol={cfg.tol}. Increase max_iter"
    )
    spread = scale_spread(X)
    if spread > 10:
        return (
            f"{message}, or scale the features: the largest is {spread:.0f} times "
            "the typical one in root mean square (StandardScaler)."
        )
    return f"{message}, or raise tol."


def scale_spread(X):
    """How many times the largest feature exceeds the typical (median) one,
    in root mean square over (at most 10,000 of) the samples; constant-zero
    features are left out."""
    # (another library's sample comes to the host: once, for a warning)
    X = to_host(X[:: max(1, X.shape[0] // 10_000), ...])
    if sp.issparse(X):
        squares = np.asarray(X.multiply(X).sum(axis=0)).ravel()
    else:
        squares = np.einsum("ij,ij->j", X, X)
    rms = np.sqrt(squares / X.shape[0])
    rms = rms[rms > 0]
    return float(rms.max() / np.median(rms)) if rms.size else 1.0


def warn(message, category):
    """``warnings.warn`` pointed at the user's line, the first caller outside
    skcourse and scikit-learn's ``fit`` wrapper (``sklearn/base.py``)."""
    here = os.path.dirname(__file__)
    wrapper = os.path.join("sklearn", "base.py")
    frame, level = sys._getframe(0), 1
    while frame is not None and (
        frame.f_code.co_filename.startswith(here)
        or frame.f_code.co_filename.endswith(wrapper)
    ):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
