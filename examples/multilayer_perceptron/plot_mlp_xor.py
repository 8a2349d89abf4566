"""
==================================================
A hidden layer solves XOR: by hand, then learned
==================================================

The slide "Neural networks solve non-linear separable problems" solves XOR,
which no line separates, with one hidden layer of two ReLU units:

.. math::

    h = \\mathrm{ReLU}(W_1 x + b_1), \\quad a = \\langle w_2, h\\rangle + b_2,

    W_1 = \\begin{pmatrix} 1 & -1 \\\\ -1 & 1 \\end{pmatrix},
    \\ b_1 = 0, \\ w_2 = (1, 1), \\ b_2 = 0.

:class:`~skcourse.neural_network.MLPClassifier` holds the weights of such a
network in ``coefs_`` (:math:`W_k^\\top`) and ``intercepts_`` (:math:`b_k`):
set the slide's weights on it and it separates XOR; fit it and it finds its
own. Its ``transform`` returns the hidden layer :math:`h = \\varphi(x)`, the
feature map in which the classes *are* linearly separable.
"""

# %%
# The slide's network, set by hand
# --------------------------------

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.inspection import DecisionBoundaryDisplay

from skcourse.datasets import make_xor
from skcourse.neural_network import MLPClassifier

X, y = make_xor(n_samples=200, random_state=0)  # the four corners (+-1, +-1)
by_hand = MLPClassifier(hidden_layer_sizes=(2,), solver="lbfgs", max_iter=1)
with warnings.catch_warnings():  # one iteration: it warns that it stopped early
    warnings.simplefilter("ignore", ConvergenceWarning)
    by_hand.fit(X, y)  # sets the classes and shapes; the weights are replaced below
by_hand.coefs_ = [np.array([[1.0, -1.0], [-1.0, 1.0]]).T, np.array([[1.0], [1.0]])]
by_hand.intercepts_ = [np.zeros(2), np.zeros(1)]
print(f"the slide's network: training accuracy {by_hand.score(X, y):.2f}")
print("a = |x1 - x2| on the corners:", np.unique(by_hand.decision_function(X)))

# %%
# A learned network
# -----------------
#
# On noisy corners, eight ReLU units trained by L-BFGS separate the classes.

X_noisy, y_noisy = make_xor(n_samples=200, noise=0.25, random_state=1)
learned = MLPClassifier(hidden_layer_sizes=(8,), solver="lbfgs", random_state=0)
learned.fit(X_noisy, y_noisy)
print(f"learned network: training accuracy {learned.score(X_noisy, y_noisy):.2f}")

# %%
# Decision regions, and the hidden features
# -----------------------------------------
#
# Left: the slide's network computes :math:`a = |x_1 - x_2|`, zero on the
# diagonal and growing away from it; with :math:`b_2 = 0` the boundary
# :math:`a = 0` is the diagonal itself, which the label-0 corners lie on
# (a score of 0 predicts the first class). Middle: the regions of the
# learned network on the noisy corners. Right: the slide's hidden layer
# :math:`h = \varphi(x)`. The two label-0 corners both map to :math:`h = 0`,
# the label-1 corners to :math:`(2, 0)` and :math:`(0, 2)`: in these
# features the line :math:`h_1 + h_2 = 1` separates the classes.

fig, (left, middle, right) = plt.subplots(1, 3, figsize=(13, 4))
display = DecisionBoundaryDisplay.from_estimator(
    by_hand,
    X_noisy,
    response_method="decision_function",
    cmap="coolwarm",
    alpha=0.5,
    ax=left,
)
fig.colorbar(display.surface_, ax=left, label="$a = |x_1 - x_2|$")
left.scatter(X[:, 0], X[:, 1], c=y, s=40, cmap="coolwarm", edgecolor="k")
left.set(title="the slide's network: its score", xlabel="$x_1$", ylabel="$x_2$")
DecisionBoundaryDisplay.from_estimator(
    learned,
    X_noisy,
    response_method="predict",
    cmap="coolwarm",
    alpha=0.3,
    ax=middle,
)
middle.scatter(X_noisy[:, 0], X_noisy[:, 1], c=y_noisy, s=10, cmap="coolwarm")
middle.set(title="learned MLP: decision regions", xlabel="$x_1$", ylabel="$x_2$")
H = by_hand.transform(X_noisy)
right.scatter(H[:, 0], H[:, 1], c=y_noisy, s=10, cmap="coolwarm")
right.plot([1, 0], [0, 1], "k--", label="$h_1 + h_2 = 1$")
right.set(title="the slide's hidden layer", xlabel="$h_1$", ylabel="$h_2$")
right.legend()
fig.tight_layout()
plt.show()
