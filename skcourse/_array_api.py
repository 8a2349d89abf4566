"""Where arrays live: the input's array library and device, or the host.

With ``sklearn.set_config(array_api_dispatch=True)``, SoftmaxRegression and
the MLPs train where ``X`` lives (a PyTorch tensor on a GPU, say): the data,
the forward and backward passes and the optimizer's steps stay on that
device, and the fitted arrays come back there.  What stays on the host, as
NumPy, on purpose: labels and ``classes_``, random draws (the same seed gives
the same model on every device), L-BFGS's parameter vector (scipy works on
the host), loss curves and stopping decisions (read once per epoch), sparse
input (refused under dispatch, as scikit-learn does) and the Perceptron.

The namespace is found once per fit (``namespace_and_device``); the math
then runs through the seam it selects (``ops``: ``_fast_numpy`` for NumPy,
``_fast_xp.ArrayOps`` for any other library).

Dispatch needs scikit-learn's ``move_to`` and ``check_same_namespace``
(scikit-learn >= 1.9): ``SUPPORTED`` is False before, and then everything is
NumPy, as it always was.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from . import _fast_numpy

try:  # scikit-learn >= 1.9
    from sklearn.externals.array_api_compat import is_array_api_obj
    from sklearn.utils._array_api import (
        _is_numpy_namespace,
        _max_precision_float_dtype,
        check_same_namespace,
        get_namespace_and_device,
        move_to,
    )

    SUPPORTED = True
except ImportError:  # pragma: no cover - scikit-learn < 1.9 cannot dispatch
    SUPPORTED = False


def namespace_and_device(*arrays):
    """The array library and device of ``arrays``: ``(xp, device)``, or
    ``(numpy, None)`` when dispatch is off, unsupported, or they are NumPy
    (or sparse, or array-likes: ``validate_data`` makes NumPy of them)."""
    if not SUPPORTED:
        return np, None
    xp, is_array_api, device = get_namespace_and_device(*arrays)
    if not is_array_api or _is_numpy_namespace(xp):
        return np, None
    return xp, device


def is_device_array(a):
    """Whether ``a`` is an array of another library than NumPy."""
    return (
        SUPPORTED and not isinstance(a, np.ndarray | np.generic) and is_array_api_obj(a)
    )


def to_host(a):
    """``a`` as NumPy on the CPU (NumPy arrays, floats and array-likes as
    they are)."""
    if type(a) is float or not is_device_array(a):
        return a
    return move_to(a, xp=np, device="cpu")


def to_device(a, xp, device):
    """NumPy ``a`` moved to the library ``xp`` on ``device`` (as it is for
    NumPy)."""
    if xp is np or a is None:
        return a
    return move_to(a, xp=xp, device=device)


def host_dtype(A):
    """NumPy's float dtype for the float array ``A`` of any library."""
    if not is_device_array(A):
        return A.dtype
    return np.dtype(np.float32 if A.dtype == ops_of(A).xp.float32 else np.float64)


def float_dtypes(xp, device):
    """The float dtypes training may run in, on ``device``: float64 and
    float32, or float32 alone where the device has no float64 (Apple's MPS),
    as scikit-learn's ``_max_precision_float_dtype`` says."""
    if xp is np or _max_precision_float_dtype(xp, device) == xp.float64:
        return [xp.float64, xp.float32]
    return [xp.float32]


def check_namespace(X, est, attribute, method):
    """scikit-learn's error when ``X`` is not where the fitted ``attribute``
    lives (a model fitted on a GPU asked to predict NumPy input); first, its
    error when ``est`` is not fitted at all."""
    check_is_fitted(est)
    if SUPPORTED:
        check_same_namespace(X, est, attribute=attribute, method=method)


_OPS = {}


def ops(xp, device=None):
    """The seam the math runs through: ``_fast_numpy`` for NumPy, an
    ``_fast_xp.ArrayOps`` (the array API standard, plainly) for another
    library on ``device`` (one per library and device: the losses made for
    it, ``Loss.on``, are kept with it)."""
    if xp is np:
        return _fast_numpy
    from ._fast_xp import ArrayOps

    key = (xp.__name__, repr(device))
    if key not in _OPS:
        _OPS[key] = ArrayOps(xp, device)
    return _OPS[key]


def move(a, fast):
    """``a`` (an array, or a list of them) where the seam ``fast`` computes:
    a warm start's fitted arrays, to the new data."""
    if isinstance(a, list):
        return [move(p, fast) for p in a]
    if fast is _fast_numpy:
        return to_host(a)
    return move_to(a, xp=fast.xp, device=fast.device)


def ops_of(a):
    """The seam of the arrays like ``a`` (an optimizer's, after a copy or
    a load: the seam is not saved with it)."""
    if not is_device_array(a):
        return _fast_numpy
    from sklearn import config_context

    with config_context(array_api_dispatch=True):
        return ops(*namespace_and_device(a))
