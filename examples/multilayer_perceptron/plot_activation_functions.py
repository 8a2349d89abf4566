"""
======================================
Activation functions and their slopes
======================================

Slides "Activation functions": a unit computes :math:`h = g(a)` from its
pre-activation :math:`a`. The threshold units (sign, Heaviside) of the
perceptron are flat almost everywhere, so a gradient tells nothing through
them; the sigmoidal units (tanh, logistic) are smooth versions of them; the
"modern" units (ReLU, softplus) do not saturate for large :math:`a`.
Backpropagation multiplies by :math:`g'(a)` at every layer, so the
derivative is what training sees.

The functions below are the ones the networks of skcourse use, from
:mod:`skcourse.activations`, named after the math; each derivative is written
as a function of :math:`a` and of the output :math:`h = g(a)`, whichever is
cheaper (:math:`\\mathrm{logistic}' = h (1 - h)`,
:math:`\\tanh' = 1 - h^2`).
"""

# %%
# The functions and their derivatives
# -----------------------------------

import matplotlib.pyplot as plt
import numpy as np

from skcourse import activations as act

a = np.linspace(-4, 4, 801)
smooth = ["identity", "logistic", "tanh", "relu", "softplus"]

fig, (ax_g, ax_dg) = plt.subplots(1, 2, figsize=(10, 4), sharex=True)
for name in smooth:
    g, g_prime = getattr(act, name), getattr(act, f"{name}_derivative")
    h = g(a)
    (line,) = ax_g.plot(a, h, label=name)
    ax_dg.plot(a, g_prime(a, h), color=line.get_color(), label=name)
# The threshold units: forward use only, their derivative is 0 (where it exists).
ax_g.plot(a, act.sign(a), "k:", label="sign")
ax_g.plot(a, act.heaviside(a), "k--", lw=1, label="heaviside")
ax_g.set(title="$h = g(a)$", xlabel="$a$", ylim=(-1.6, 2.6))
ax_dg.set(title="$g'(a)$", xlabel="$a$", ylim=(-0.1, 1.2))
for ax in (ax_g, ax_dg):
    ax.axhline(0, color="grey", lw=0.5)
    ax.axvline(0, color="grey", lw=0.5)
ax_g.legend(loc="upper left", fontsize="small")
fig.tight_layout()

# %%
# Two identities of the slides
# ----------------------------
#
# The sigmoidal units are the same up to an affine change of scale,
# :math:`\tanh(a/2) = 2\,\mathrm{logistic}(a) - 1`, and softplus is a
# smooth ReLU whose derivative is the logistic function. The largest slope
# of the logistic function is :math:`1/4`, at :math:`a = 0`: through
# :math:`L` logistic layers a gradient shrinks by up to :math:`4^{-L}`, one
# reason why ReLU "prevents the gradient vanishing problem".

print(
    "max |tanh(a/2) - (2 logistic(a) - 1)| =",
    np.abs(act.tanh(a / 2) - (2 * act.logistic(a) - 1)).max(),
)
print(
    "max |softplus'(a) - logistic(a)|      =",
    np.abs(act.softplus_derivative(a, act.softplus(a)) - act.logistic(a)).max(),
)
h = act.logistic(a)
print("largest logistic slope:", act.logistic_derivative(a, h).max())
plt.show()
