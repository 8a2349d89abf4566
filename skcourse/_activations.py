"""Activation functions ``g`` of the course and their derivatives ``g'``.

Slides "Activation functions": a layer computes ``h = g(a)`` element-wise from
its pre-activation ``a = W h_prev + b``.  Backpropagation needs ``g'(a)``; we
write it as a function of the *output* ``h`` where that is cheaper (logistic,
tanh, relu), as scikit-learn's MLP does, so the forward pass need not keep ``a``.

Symbols: ``a`` pre-activation, ``h = g(a)`` activation.

Each function takes the array namespace ``xp`` (NumPy by default; the
network passes its own, ``_fast_xp``, for arrays of another library).
"""

import numpy as np
from scipy.special import expit


def identity(a, xp=np):
    """Linear unit ``g(a) = a``: a network of these is affine (slide "Linear units")."""
    return a


def logistic(a, xp=np):
    """Logistic sigmoid ``g(a) = 1 / (1 + exp(-a))`` in (0, 1)."""
    return expit(a) if xp is np else 1 / (1 + xp.exp(-a))


def tanh(a, xp=np):
    """Hyperbolic tangent in (-1, 1); ``tanh(a / 2) = 2 logistic(a) - 1``."""
    return xp.tanh(a)


def relu(a, xp=np):
    """Rectified linear unit ``g(a) = max(a, 0)``."""
    return np.maximum(a, 0) if xp is np else xp.clip(a, min=0.0)


def softplus(a, xp=np):
    """Softplus ``g(a) = log(1 + exp(a))``, a smooth ReLU.

    ``logaddexp(0, a)`` does not overflow for large ``a`` as ``log1p(exp(a))`` would.
    """
    if xp is np:
        return np.logaddexp(0, a)
    # (the standard's logaddexp takes no scalar in every library)
    return relu(a, xp) + xp.log1p(xp.exp(-xp.abs(a)))


def sign(a):
    """Threshold unit of the perceptron: -1 if ``a < 0``, else +1 (forward use only)."""
    return np.where(a < 0, -1, 1).astype(np.result_type(a, np.float32))


def heaviside(a):
    """Step unit: 0 if ``a < 0``, else 1 (forward use only: its derivative is 0)."""
    return np.where(a < 0, 0, 1).astype(np.result_type(a, np.float32))


# Derivatives g'.  Each takes the pre-activation ``a`` and the output ``h = g(a)``
# and uses whichever is cheaper.


def identity_derivative(a, h, xp=np):
    """``g'(a) = 1``."""
    return xp.ones_like(h)


def logistic_derivative(a, h, xp=np):
    """``g'(a) = h (1 - h)`` with ``h = logistic(a)``; at most 1/4, at ``a = 0``."""
    return h * (1 - h)


def tanh_derivative(a, h, xp=np):
    """``g'(a) = 1 - h**2`` with ``h = tanh(a)``."""
    return 1 - h**2


def relu_derivative(a, h, xp=np):
    """``g'(a) = 1`` if ``a > 0``, else 0 (read from ``h = relu(a)``)."""
    # The course's convention: max(0, t) has derivative 1 if t > 0, 0 if t <= 0.
    return (h > 0).astype(h.dtype) if xp is np else xp.astype(h > 0, h.dtype)


def softplus_derivative(a, h, xp=np):
    """``g'(a) = logistic(a)``: the derivative of softplus is the logistic function."""
    # d/da log(1 + e^a) = logistic(a)
    return logistic(a, xp)


ACTIVATIONS = {
    "identity": identity,
    "logistic": logistic,
    "tanh": tanh,
    "relu": relu,
    "softplus": softplus,
}

DERIVATIVES = {
    "identity": identity_derivative,
    "logistic": logistic_derivative,
    "tanh": tanh_derivative,
    "relu": relu_derivative,
    "softplus": softplus_derivative,
}

#: The units whose ``g'`` reads the pre-activation ``a`` (the others read
#: ``h = g(a)`` alone, so the forward pass need not keep ``a``).
DERIVATIVE_READS_A = {"softplus"}
