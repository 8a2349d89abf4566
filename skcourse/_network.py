"""The dense network of the course: forward pass and backpropagation.

Slides "Multilayer perceptron": a network of L layers computes

    h_0 = x,    h_k = g_k(a_k),    a_k = W_k h_{k-1} + b_k    (k = 1, ..., L)

and its output is ``y = g_L(a_L)``.  The output function ``g_L`` belongs to the
loss (``_losses``: softmax with cross-entropy, logistic with the binary
log-loss, identity with squared error, exp with Poisson): the model returns
``a_L``, and the loss sends back ``delta_L = dE/da_L`` (for these canonical
pairs, ``s (y - t)``).  Backpropagation then runs the chain rule down:

    delta_k = g_k'(a_k) * (delta_{k+1} W_{k+1}^T)       (element-wise *)
    dE/dW_k = h_{k-1}^T delta_k,       dE/db_k = sum_n delta_k[n]

Symbols and layout: samples are rows, so a layer is ``A = H W + b`` with
``W_k`` of shape (fan_in, fan_out), the course's ``W_k`` transposed (and
scikit-learn's ``coefs_[k - 1]``).  ``params`` is ``[W_1, ..., W_L, b_1, ...,
b_L]``, scikit-learn's ``coefs_ + intercepts_``: the penalised arrays first.
This module is the math alone; how NumPy is made to run it fast (memory
layouts, activations written in place) is ``_fast_numpy``'s, and how another
array library runs it, ``_fast_xp``'s: the network computes through the seam
``fast`` it is built with.
"""

import numpy as np

from . import _fast_numpy
from ._activations import DERIVATIVES


def glorot_bound(fan_in, fan_out, activation):
    """Glorot and Bengio's uniform range, as scikit-learn's MLP draws it."""
    factor = 2.0 if activation == "logistic" else 6.0
    return np.sqrt(factor / (fan_in + fan_out))


def pre_activation(H, W, b, column_major=False, fast=_fast_numpy):
    """``a_k = W_k h_{k-1} + b_k`` for every row of ``H`` (``column_major``: the
    output layer's memory order, ``_fast_numpy.layer_product``)."""
    A = fast.layer_product(H, W, column_major)
    A += b
    return A


def layer_delta(delta_next, W_next, H, A, activation, xp=np):
    """``delta_k = g'(a_k) * (delta_{k+1} W_{k+1}^T)``."""
    delta = delta_next @ W_next.T
    delta *= DERIVATIVES[activation](A, H, xp=xp)
    return delta


def weight_gradient(H_prev, delta, W, fast=_fast_numpy):
    """``dE/dW_k = h_{k-1}^T delta_k`` (summed over the rows), in the memory
    order of ``W_k`` (``_fast_numpy.transposed_product``)."""
    return fast.transposed_product(H_prev, delta, like=W)


def bias_gradient(delta, fast=_fast_numpy):
    """``dE/db_k = sum_n delta_k[n]``."""
    return fast.reduce_sum(delta, axis=0)


class Network:
    """The model ``a_L = f(x; W, b)`` of a dense network, for ``_models.Objective``.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int
        Units of the hidden layers ``h_1, ..., h_{L-1}``.
    activation : str
        The hidden units ``g_1 = ... = g_{L-1}`` (a key of ``ACTIVATIONS``).
    fast : module or ArrayOps
        The seam it computes through (``_array_api.ops``).
    """

    def __init__(self, hidden_layer_sizes, activation, fast=_fast_numpy):
        self.hidden_layer_sizes = tuple(hidden_layer_sizes)
        self.activation = activation
        self.fast = fast

    def layer_units(self, n_features, n_outputs):
        return [n_features, *self.hidden_layer_sizes, n_outputs]

    def init_params(self, n_features, n_outputs, dtype, random_state):
        """Glorot-uniform weights and biases, drawn layer by layer as
        scikit-learn does (the same ``random_state`` gives its start, drawn
        on the host: the same on every device); the weights in the memory
        order of ``weight_order``."""
        units = self.layer_units(n_features, n_outputs)
        coefs, intercepts = [], []
        for fan_in, fan_out in zip(units[:-1], units[1:], strict=True):
            bound = glorot_bound(fan_in, fan_out, self.activation)
            coefs.append(random_state.uniform(-bound, bound, (fan_in, fan_out)))
            intercepts.append(random_state.uniform(-bound, bound, fan_out))
        return self.as_params(coefs + intercepts, dtype)

    def as_params(self, arrays, dtype):
        """Copies of ``[W_1, ..., W_L, b_1, ..., b_L]`` in ``dtype`` where the
        network computes, the weights in the memory order of ``weight_order``
        (training moves its parameters in place)."""
        if self.fast is not _fast_numpy:
            return [self.fast.array(p, dtype) for p in arrays]
        L, order = len(arrays) // 2, _fast_numpy.weight_order(dtype)
        return [
            np.array(p, dtype=dtype, order=order if i < L else "C")
            for i, p in enumerate(arrays)
        ]

    @staticmethod
    def n_layers(params):
        return len(params) // 2

    def forward(self, params, X):
        """The output pre-activations ``a_L`` and, for ``backward``, the lists
        of the activations ``h_0 = x, ..., h_{L-1}`` and of the ``a_k`` (None
        where ``g'`` reads ``h`` alone: ``_fast_numpy.activate``)."""
        L, fast = self.n_layers(params), self.fast
        hs, zs = [X], [None]
        for W, b in zip(params[: L - 1], params[L:-1], strict=True):
            H, A = fast.activate(
                pre_activation(hs[-1], W, b, fast=fast), self.activation
            )
            hs.append(H)
            zs.append(A)
        A = pre_activation(hs[-1], params[L - 1], params[-1], True, fast)
        return A, (hs, zs)

    def hidden(self, params, X):
        """The last hidden layer ``h_{L-1}``: the learned feature map ``phi(x)``."""
        hs, _ = self.forward(params, X)[1]
        return hs[-1]

    def backward(self, params, cache, delta):
        """The gradients ``[dE/dW_1, ..., dE/dW_L, dE/db_1, ..., dE/db_L]`` from
        ``delta_L = dE/da_L``, layer by layer from the output down."""
        (hs, zs), L = cache, self.n_layers(params)
        fast, xp = self.fast, self.fast.xp
        grad_W, grad_b = [None] * L, [None] * L
        for k in reversed(range(L)):  # layer k + 1 of the slides
            grad_W[k] = weight_gradient(hs[k], delta, params[k], fast)
            grad_b[k] = bias_gradient(delta, fast)
            if k > 0:
                delta = layer_delta(delta, params[k], hs[k], zs[k], self.activation, xp)
        return grad_W + grad_b

    def penalized(self, params):
        return params[: self.n_layers(params)]
