"""
==================================================
Many solutions, and their average
==================================================

The slide "Perceptron algorithm" warns that the perceptron "may pick any of
many solutions": where several lines separate the training data, which one
the rule stops at depends on the order in which it meets the samples, and
where none does, the last weights are wherever the last mistakes left them.
The *averaged* perceptron (``average=True``) keeps as its model the mean of
the weights after every step, as averaged SGD does (slide "Optimization"):
it depends much less on the order, and usually generalises better.
"""

# %%
# Ten perceptrons on the digits, five orders of the samples
# ---------------------------------------------------------
#
# One perceptron per class ("one-vs-rest"), 20 epochs, the samples shuffled
# with five different seeds.

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from skcourse.linear_model import Perceptron

X, y = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
seeds = range(5)
scores = {"plain": [], "averaged": []}
for seed in seeds:
    for name, average in (("plain", False), ("averaged", True)):
        clf = Perceptron(average=average, max_iter=20, tol=None, random_state=seed)
        with warnings.catch_warnings():  # max_iter reached by design (tol=None)
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X_train, y_train)
        scores[name].append(clf.score(X_test, y_test))
for name, values in scores.items():
    print(f"{name:>8}: test accuracy {np.mean(values):.3f} ± {np.std(values):.3f}")

# %%
# Test accuracy, order by order
# -----------------------------
#
# Each seed is one order of the samples; the plain perceptron's accuracy
# jumps from one order to the next, the average's barely moves.

fig, ax = plt.subplots(figsize=(6, 3.8))
for name, marker in (("plain", "o"), ("averaged", "s")):
    ax.plot(list(seeds), scores[name], marker=marker, label=name)
ax.set(xlabel="random_state (order of the samples)", ylabel="test accuracy")
ax.set_xticks(list(seeds))
ax.legend()
fig.tight_layout()

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
plt.show()
