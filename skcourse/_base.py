"""What the estimators of skcourse share besides training: parameters, classes.

- ``TRAINING_CONSTRAINTS``: scikit-learn's parameter constraints for the names
  of ``_training.Config``, written once for every estimator.
- ``CallbackSupportMixin``: scikit-learn's callback support where it exists
  (>= 1.9), an empty class before.
- Class encoding helpers: targets ``T`` as the losses want them and per-sample
  weights that fold in ``class_weight``.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.validation import _check_sample_weight

try:  # scikit-learn >= 1.9
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # pragma: no cover - older scikit-learn has no callbacks

    class CallbackSupportMixin:
        """Stand-in: scikit-learn < 1.9 has no ``sklearn.callback``."""


TRAINING_CONSTRAINTS = {
    "learning_rate": [StrOptions({"auto", "constant", "invscaling", "adaptive"})],
    "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
    "power_t": [Interval(Real, 0, None, closed="left")],
    "batch_size": [StrOptions({"auto"}), Interval(Integral, 1, None, closed="left")],
    "max_iter": [Interval(Integral, 1, None, closed="left")],
    "tol": [Interval(Real, 0, None, closed="left")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "shuffle": ["boolean"],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "warm_start": ["boolean"],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}


def one_hot(y, classes, dtype):
    """The course's 1-of-K code ``t_n``; one column (``t = [y == classes[1]]``)
    for two classes, whose model has a single output."""
    T = (y[:, None] == classes[None, :]).astype(dtype)
    return T[:, 1:] if len(classes) == 2 else T


def class_sample_weight(y, classes, class_weight, sample_weight, X, dtype):
    """Per-sample weights: ``sample_weight`` times the weight of the sample's class."""
    s = _check_sample_weight(sample_weight, X, dtype=dtype, ensure_non_negative=True)
    if class_weight is not None:
        weights = compute_class_weight(class_weight, classes=classes, y=y)
        s = s * weights[np.searchsorted(classes, y)].astype(dtype)
    weighted_classes = np.unique(y[s > 0])
    if weighted_classes.size < 2:
        raise ValueError(
            "The samples of positive weight hold only one class "
            f"({weighted_classes}): a classifier needs at least 2 classes."
        )
    return s
