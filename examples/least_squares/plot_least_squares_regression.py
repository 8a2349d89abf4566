"""
===================================================
Least-squares regression: approximating a function
===================================================

Slides "Approximation – Least square regression": to predict a real
function, a network with ReLU hidden layers and a *linear* output unit,
:math:`g(a) = a`, is trained on the sum of squared errors

.. math:: E(W) = \\sum_{i=1}^N \\|f(x^i; W) - d^i\\|_2^2 .

With enough flexibility and data, the minimiser predicts the posterior
mean :math:`\\mathbb{E}[d \\mid x]`: the noise averages out.
:class:`~skcourse.neural_network.MLPRegressor` is that network (it minimises
half the mean squared error plus a small penalty: the same minimiser up to
the penalty).
"""

# %%
# Noisy samples of a function
# ---------------------------
#
# :math:`d = f(x) + \varepsilon` with :math:`f(x) = \sin 2x + x^2/10` and
# Gaussian noise of standard deviation 0.2, so that
# :math:`\mathbb{E}[d \mid x] = f(x)`.

import matplotlib.pyplot as plt
import numpy as np

from skcourse.inspection import LossCurveDisplay
from skcourse.neural_network import MLPRegressor


def f(x):
    return np.sin(2 * x) + x**2 / 10


rng = np.random.RandomState(0)
x = rng.uniform(-3, 3, size=(300, 1))
d = f(x[:, 0]) + 0.2 * rng.standard_normal(300)

# %%
# Two ReLU layers, a linear output
# --------------------------------
#
# Adam on minibatches of 200 samples; training stops when the loss has not
# improved by ``tol`` for ten epochs.

net = MLPRegressor(
    hidden_layer_sizes=(50, 50),
    activation="relu",
    learning_rate_init=0.01,
    max_iter=1000,
    random_state=0,
).fit(x, d)
grid = np.linspace(-3, 3, 400)[:, None]
rmse = np.sqrt(np.mean((net.predict(grid) - f(grid[:, 0])) ** 2))
print(f"{net.n_iter_} epochs; root mean squared distance to f: {rmse:.3f}")
print("(the noise's standard deviation is 0.2)")

# %%
# Predictions against the truth, and the training curve
# -----------------------------------------------------
#
# Left: the network's prediction follows :math:`f`, the mean of the noisy
# samples, not the samples themselves. Right: ``loss_curve_``, the training
# objective :math:`\frac{1}{2N}\sum_i (y^i - d^i)^2` plus the penalty after
# each epoch; it levels off near half the noise's variance,
# :math:`0.2^2 / 2 = 0.02`, the part of the error that no function of
# :math:`x` can remove.

fig, (ax_fit, ax_loss) = plt.subplots(1, 2, figsize=(10, 4))
ax_fit.scatter(x[:, 0], d, s=8, color="grey", alpha=0.6, label="samples $d^i$")
ax_fit.plot(grid[:, 0], f(grid[:, 0]), "k--", label=r"$f(x) = E[d \mid x]$")
ax_fit.plot(grid[:, 0], net.predict(grid), color="C3", label="MLPRegressor")
ax_fit.set(xlabel="$x$", ylabel="$d$", title="least-squares fit")
ax_fit.legend()
LossCurveDisplay.from_estimator(net, ax=ax_loss, log_scale=True)
ax_loss.axhline(0.02, color="grey", lw=1, ls=":", label="noise variance / 2")
ax_loss.legend()
ax_loss.set(ylabel="half mean squared error", title="training curve")
fig.tight_layout()
plt.show()
