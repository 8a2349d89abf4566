"""The course's activation functions ``g`` and their derivatives ``g'``.

Slides "Activation functions": a unit computes ``h = g(a)`` from its
pre-activation ``a``. These are the functions the networks of skcourse use
(the ``activation`` parameter of the MLPs and of
:class:`~skcourse.preprocessing.RandomFeatures` names them), public so that
students can plot and test them. Each works element-wise on an array.

The derivatives take both the pre-activation ``a`` and the output
``h = g(a)``, and use whichever is cheaper (``logistic' = h (1 - h)``,
``tanh' = 1 - h**2``), as backpropagation has both at hand. The threshold
units ``sign`` and ``heaviside`` have no derivative here: it is 0 wherever it
exists, which is why gradient descent cannot train them.

Examples
--------
>>> import numpy as np
>>> from skcourse.activations import relu, relu_derivative, tanh, logistic
>>> a = np.array([-1.0, 0.0, 2.0])
>>> relu(a)
array([0., 0., 2.])
>>> relu_derivative(a, relu(a))
array([0., 0., 1.])
>>> bool(np.allclose(tanh(a / 2), 2 * logistic(a) - 1))
True
"""

from ._activations import (
    heaviside,
    identity,
    identity_derivative,
    logistic,
    logistic_derivative,
    relu,
    relu_derivative,
    sign,
    softplus,
    softplus_derivative,
    tanh,
    tanh_derivative,
)

__all__ = [
    "identity",
    "logistic",
    "tanh",
    "relu",
    "softplus",
    "sign",
    "heaviside",
    "identity_derivative",
    "logistic_derivative",
    "tanh_derivative",
    "relu_derivative",
    "softplus_derivative",
]
