"""Activation functions ``g`` of the course and their derivatives ``g'``.

Slides "Activation functions": a layer computes ``h = g(a)`` element-wise from
its pre-activation ``a = W h_prev + b``.  Backpropagation needs ``g'(a)``; we
write it as a function of the *output* ``h`` where that is cheaper (logistic,
tanh, relu), as scikit-learn's MLP does, so the forward pass need not keep ``a``.

Symbols: ``a`` pre-activation, ``h = g(a)`` activation.
"""

import numpy as np
from scipy.special import expit


def identity(a):
    """Linear unit ``g(a) = a``: a network of these is affine (slide "Linear units")."""
    return a


def logistic(a):
    """Logistic sigmoid ``g(a) = 1 / (1 + exp(-a))`` in (0, 1)."""
    return expit(a)


def tanh(a):
    """Hyperbolic tangent in (-1, 1); ``tanh(a / 2) = 2 logistic(a) - 1``."""
    return np.tanh(a)


def relu(a):
    """Rectified linear unit ``g(a) = max(a, 0)``."""
    return np.maximum(a, 0)


def softplus(a):
    """Softplus ``g(a) = log(1 + exp(a))``, a smooth ReLU.

    ``logaddexp(0, a)`` does not overflow for large ``a`` as ``log1p(exp(a))`` would.
    """
    return np.logaddexp(0, a)


def sign(a):
    """Threshold unit of the perceptron: -1 if ``a < 0``, else +1 (forward use only)."""
    return np.where(a < 0, -1, 1).astype(np.result_type(a, np.float32))


def heaviside(a):
    """Step unit: 0 if ``a < 0``, else 1 (forward use only: its derivative is 0)."""
    return np.where(a < 0, 0, 1).astype(np.result_type(a, np.float32))


# Derivatives g'.  Each takes the pre-activation ``a`` and the output ``h = g(a)``
# and uses whichever is cheaper.


def identity_derivative(a, h):
    """``g'(a) = 1``."""
    return np.ones_like(h)


def logistic_derivative(a, h):
    """``g'(a) = h (1 - h)`` with ``h = logistic(a)``; at most 1/4, at ``a = 0``."""
    return h * (1 - h)


def tanh_derivative(a, h):
    """``g'(a) = 1 - h**2`` with ``h = tanh(a)``."""
    return 1 - h**2


def relu_derivative(a, h):
    """``g'(a) = 1`` if ``a > 0``, else 0 (read from ``h = relu(a)``)."""
    # The course's convention: max(0, t) has derivative 1 if t > 0, 0 if t <= 0.
    return (h > 0).astype(h.dtype)


def softplus_derivative(a, h):
    """``g'(a) = logistic(a)``: the derivative of softplus is the logistic function."""
    # d/da log(1 + e^a) = logistic(a)
    return expit(a)


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
