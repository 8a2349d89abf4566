"""
=======================================================
The perceptron: a separating line, XOR, and the average
=======================================================

The first model of the course (slides "Perceptron" and "Perceptron
algorithm"): :math:`y = \\mathrm{sign}(\\langle w, x\\rangle + b)`, trained by
the rule :math:`w \\leftarrow w + \\gamma\\, d\\, x` on each mistake.
:class:`~skcourse.linear_model.Perceptron` runs that rule. Three facts of the
slides follow:

- on linearly separable data the rule converges: an epoch without a mistake
  ends the training;
- on XOR (Minsky and Papert) no line separates the classes, and the rule
  never stops making mistakes;
- the perceptron "may pick any of many solutions": its last weights depend on
  the order of the samples, while the *averaged* perceptron is stable and
  usually generalises much better.
"""

# %%
# Separable data: the rule converges
# ----------------------------------
#
# Two well-separated blobs. The weights start at zero; every mistake adds
# :math:`\gamma d x` (here :math:`\gamma` = ``eta0`` = 1), and training stops
# at the first epoch without a mistake.

import warnings

import numpy as np
from sklearn.datasets import load_digits, make_blobs
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from skcourse.datasets import make_xor
from skcourse.linear_model import Perceptron

X_sep, y_sep = make_blobs(200, centers=[[-2, -2], [2, 2]], random_state=0)
separating = Perceptron().fit(X_sep, y_sep)
print(
    f"separable: {separating.n_iter_} epochs, "
    f"training accuracy {separating.score(X_sep, y_sep):.2f}"
)

# %%
# XOR: no line will do
# --------------------
#
# With ``tol=None`` the only way to stop early is an epoch without a mistake,
# which never comes: training runs to ``max_iter`` and warns.

X_xor, y_xor = make_xor(200, noise=0.2, random_state=0)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", ConvergenceWarning)
    xor = Perceptron(tol=None, max_iter=50).fit(X_xor, y_xor)
print(
    f"XOR: {xor.n_iter_} epochs, training accuracy {xor.score(X_xor, y_xor):.2f}, "
    f"warned: {any(w.category is ConvergenceWarning for w in caught)}"
)

# %%
# Many solutions, and their average
# ---------------------------------
#
# On the digits, ten perceptrons (one per class, "one-vs-rest") trained with
# different random orders of the samples end at different weights, and their
# test accuracies spread; the averaged perceptron (``average=True``), whose
# model is the mean of the weights after every step, is more accurate and
# depends less on the order.

X, y = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
scores = {"plain": [], "averaged": []}
for seed in range(5):
    for name, average in (("plain", False), ("averaged", True)):
        clf = Perceptron(average=average, max_iter=20, tol=None, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X_train, y_train)
        scores[name].append(clf.score(X_test, y_test))
for name, values in scores.items():
    print(f"{name:>8}: test accuracy {np.mean(values):.3f} ± {np.std(values):.3f}")

# %%
# Probabilities
# -------------
#
# A perceptron has no probability model. With ``probability=True`` the scores
# are calibrated on held-out folds, as ``sklearn.svm.SVC`` does, by one
# temperature :math:`\tau`: the probabilities are
# :math:`\mathrm{softmax}(a / \tau)`, whose largest entry is the predicted
# class.

calibrated = Perceptron(average=True, probability=True, random_state=0)
calibrated.fit(X_train, y_train)
proba = calibrated.predict_proba(X_test[:3])
print(f"temperature {calibrated.temperature_:.3g}")
print(np.round(proba, 2))
print("predicted:", calibrated.predict(X_test[:3]), "true:", y_test[:3])

# %%
# Pictures
# --------
#
# The separating line on the blobs, and the best line the rule found on XOR.
# (Drawn only where matplotlib is installed.)

try:
    import matplotlib.pyplot as plt
except ImportError:  # the numbers above are the example's result
    plt = None

if plt is not None:
    fig, axes = plt.subplots(1, 2, figsize=(9, 4))
    for ax, clf, X_plot, y_plot, title in (
        (axes[0], separating, X_sep, y_sep, "separable: converged"),
        (axes[1], xor, X_xor, y_xor, "XOR: no separating line"),
    ):
        ax.scatter(X_plot[:, 0], X_plot[:, 1], c=y_plot, cmap="coolwarm", s=12)
        (w1, w2), b = clf.coef_[0], clf.intercept_[0]
        xs = np.linspace(X_plot[:, 0].min(), X_plot[:, 0].max(), 2)
        if w2 != 0:  # the line w1 x1 + w2 x2 + b = 0
            ax.plot(xs, -(w1 * xs + b) / w2, "k-")
        ax.set_ylim(X_plot[:, 1].min() - 0.5, X_plot[:, 1].max() + 0.5)
        ax.set_title(title)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
    fig.tight_layout()
    plt.show()
