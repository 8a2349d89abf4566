"""
==========================================
SGD and averaged SGD at a constant step
==========================================

Slide "Optimization": on a large training set, compute a noisy gradient on
a small random subset :math:`\\mathcal S` and step,
:math:`W^{(n)} = W^{(n-1)} - \\gamma \\nabla L(W^{(n-1)}, \\mathcal S)`; then
average the iterates,
:math:`\\bar W^{(n)} = \\frac{n}{n+1}\\bar W^{(n-1)} + \\frac{1}{n+1}W^{(n)}`.

At a constant step :math:`\\gamma`, the SGD iterates never settle: each
minibatch's gradient pushes them around the optimum, and the objective
stalls at a "noise floor" whose height grows with :math:`\\gamma`. Their
average cancels much of that noise and keeps approaching the optimum.
:class:`~skcourse.linear_model.SoftmaxRegression` runs both
(``solver="sgd"`` and ``solver="asgd"``, whose model is the average).
"""

# %%
# The optimum, for reference
# --------------------------
#
# The objective :math:`E(W) = -\frac1n\sum_n \log y_{t_n}(x_n) +
# \frac{\alpha}{2}\|W\|^2` on the standardised digits is strongly convex;
# L-BFGS run to a tight tolerance gives its minimum :math:`E^\star`.

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import log_loss
from sklearn.preprocessing import StandardScaler

from skcourse.inspection import LossCurveDisplay
from skcourse.linear_model import SoftmaxRegression

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X)
classes = np.unique(y)
alpha = 0.01


def objective(clf):
    """E(W): the mean cross-entropy plus the penalty (the bias unpenalised)."""
    cross_entropy = log_loss(y, clf.predict_proba(X), labels=classes)
    return cross_entropy + 0.5 * alpha * np.sum(clf.coef_**2)


optimum = SoftmaxRegression(alpha=alpha, tol=1e-10, max_iter=1000).fit(X, y)
E_star = objective(optimum)
print(f"E* = {E_star:.6f}")

# %%
# One epoch at a time
# -------------------
#
# Minibatches of 10 samples, the same constant step :math:`\gamma = 0.1` for
# both. ``partial_fit`` runs one epoch per call, so that the whole
# objective can be measured after each one, for the iterate (SGD) and for
# the average (ASGD) alike. (``loss_curve_`` would not compare them fairly:
# for SGD it is the mean of the minibatch losses met during the epoch.)

gaps = {}
for solver in ["sgd", "asgd"]:
    clf = SoftmaxRegression(
        solver=solver,
        alpha=alpha,
        learning_rate="constant",
        learning_rate_init=0.1,
        batch_size=10,
        random_state=0,
    )
    gaps[solver] = []
    for _ in range(40):  # one epoch each
        clf.partial_fit(X, y, classes=classes)
        gaps[solver].append(objective(clf) - E_star)
    print(f"{solver:>4}: E - E* after 40 epochs = {gaps[solver][-1]:.2e}")

# %%
# Distance to the optimum
# -----------------------
#
# SGD gets close fast, then stalls at its noise floor. Averaging starts
# after the first epoch and lags at first, since the average still carries
# the early iterates, then passes below SGD's floor and keeps falling.

display = LossCurveDisplay(
    list(gaps.values()),
    names=["SGD (last iterate)", "averaged SGD"],
    ylabel=r"$E(W) - E^\star$",
).plot(log_scale=True)
display.ax_.set_title(r"softmax regression on the digits, $\gamma = 0.1$")
display.figure_.tight_layout()
plt.show()
