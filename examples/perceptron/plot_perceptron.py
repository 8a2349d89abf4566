"""
===================================================
The perceptron: a separating line, and none for XOR
===================================================

The first model of the course (slides "Perceptron" and "Perceptron
algorithm"): :math:`y = \\mathrm{sign}(\\langle w, x\\rangle + b)`, trained by
the rule :math:`w \\leftarrow w + \\gamma\\, d\\, x` on each mistake.
:class:`~skcourse.linear_model.Perceptron` runs that rule. Two facts of the
slides follow:

- on linearly separable data the rule converges: an epoch without a mistake
  ends the training;
- on XOR (Minsky and Papert's "Perceptrons", 1969) no line separates the
  classes, and the rule never stops making mistakes.
"""

# %%
# Separable data: the rule converges
# ----------------------------------
#
# Two well-separated blobs. The weights start at zero; every mistake adds
# :math:`\gamma d x` (here :math:`\gamma` = ``eta0`` = 1), and training stops
# at the first epoch without a mistake.

import matplotlib.pyplot as plt
from sklearn.datasets import make_blobs
from sklearn.inspection import DecisionBoundaryDisplay

from skcourse.datasets import make_xor
from skcourse.inspection import LossCurveDisplay
from skcourse.linear_model import Perceptron

X_sep, y_sep = make_blobs(200, centers=[[-2, -2], [2, 2]], random_state=1)
separating = Perceptron(random_state=0).fit(X_sep, y_sep)
print(
    f"separable: {separating.n_iter_} epochs, "
    f"training accuracy {separating.score(X_sep, y_sep):.2f}"
)

# %%
# XOR: no line will do
# --------------------
#
# With ``tol=None`` the only way to stop early is an epoch without a mistake,
# which never comes: training runs all ``max_iter`` epochs (without a
# warning: ``tol=None`` asks for exactly that many).

X_xor, y_xor = make_xor(200, noise=0.2, random_state=0)
xor = Perceptron(tol=None, max_iter=50, random_state=0).fit(X_xor, y_xor)
print(f"XOR: {xor.n_iter_} epochs, training accuracy {xor.score(X_xor, y_xor):.2f}")

# %%
# Decision regions and training curves
# ------------------------------------
#
# Top: the half-planes :math:`\langle w, x\rangle + b > 0` and
# :math:`< 0` that each perceptron ends with. On XOR a line leaves at least
# one of the four corners on the wrong side. Bottom: the training criterion
# after each epoch (``loss_curve_``: the share of the scores
# :math:`|\langle w, x\rangle + b|` that lies on the wrong side). It reaches
# 0 on the blobs (the last epoch, without a mistake, moved nothing), and
# keeps jumping on XOR: every epoch some corner pulls
# the line its way.

fig, axes = plt.subplots(2, 2, figsize=(9, 7.5))
for column, (clf, X, y, title) in enumerate(
    [
        (separating, X_sep, y_sep, "separable: converged"),
        (xor, X_xor, y_xor, "XOR: no separating line"),
    ]
):
    ax = axes[0, column]
    DecisionBoundaryDisplay.from_estimator(
        clf, X, response_method="predict", cmap="coolwarm", alpha=0.3, ax=ax
    )
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="coolwarm", s=12, edgecolor="k", lw=0.3)
    ax.set(title=title, xlabel="$x_1$", ylabel="$x_2$")
    LossCurveDisplay.from_estimator(clf, ax=axes[1, column])
    axes[1, column].set_ylabel("perceptron criterion")
fig.tight_layout()
plt.show()
