"""
==================================
Four solvers, one convex objective
==================================

The slides note that the softmax regression loss :math:`L(W)` is convex: every
minimum is the global minimum, so any solver that converges finds it.
Here the four solvers of :class:`~skcourse.linear_model.SoftmaxRegression`
train on the standardised digits, and their training objective after each
epoch (``loss_curve_``) is compared with the optimum that L-BFGS reaches when
run to a very small tolerance.
"""

# %%
# The data and the optimum
# ------------------------
#
# Standardising the pixels makes the objective well conditioned; the penalty
# ``alpha`` makes it strongly convex, with a unique minimiser :math:`W^\star`.

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from skcourse.inspection import LossCurveDisplay
from skcourse.linear_model import SoftmaxRegression

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X)
alpha = 1e-2

optimum = SoftmaxRegression(alpha=alpha, tol=1e-10, max_iter=1000).fit(X, y)
E_star = optimum.loss_curve_[-1]
print(f"E(W*) = {E_star:.6f} after {optimum.n_iter_} L-BFGS iterations")

# %%
# Each solver, from the same zero start
# -------------------------------------
#
# ``learning_rate="auto"`` (the default) picks the step sizes: :math:`1/L` for
# gradient descent, from a bound :math:`L` on the curvature; :math:`1/L(B)`,
# reduced when the loss stalls, for SGD on minibatches of :math:`B = 200`;
# :math:`16/L(B)` with averaging for ASGD. A small ``tol`` lets each solver
# run for up to 100 epochs so that the curves show how fast each one gets
# close; a solver stopped by ``max_iter`` warns, which is expected here.

solvers = ["gd", "sgd", "asgd", "lbfgs"]
fits = {}
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    for solver in solvers:
        fits[solver] = SoftmaxRegression(
            alpha=alpha, solver=solver, tol=1e-6, max_iter=100, random_state=0
        ).fit(X, y)

# %%
# Distance to the optimum, epoch by epoch
# ---------------------------------------
#
# One epoch is one pass over the data: one step for gradient descent, nine
# minibatch steps for SGD and ASGD (1797 samples), one iteration for L-BFGS
# (which evaluates the objective and its gradient on all the data at least
# once per iteration).

# :class:`~skcourse.inspection.LossCurveDisplay` draws any curves given to
# its constructor: here the gaps :math:`E(W) - E(W^\star)` (floored at
# 1e-12 for the log scale).

display = LossCurveDisplay(
    [np.maximum(np.asarray(fits[s].loss_curve_) - E_star, 1e-12) for s in solvers],
    names=solvers,
    xlabel="epoch (L-BFGS: iteration)",
    ylabel=r"$E(W) - E(W^\star)$",
).plot(log_scale=True)
display.ax_.set_title("Softmax regression on the digits, alpha = 0.01")
display.figure_.tight_layout()
plt.show()

# %%
# The same optimum
# ----------------
#
# All four end close to :math:`W^\star`: the faster solvers reach it to many
# digits, the slower ones are still on their way after 100 epochs but predict
# the same classes for nearly every sample.

print(
    f"{'solver':>6} {'epochs':>6} {'E - E*':>9} {'max|W-W*|':>10} {'same labels':>11}"
)
for solver in solvers:
    clf = fits[solver]
    print(
        f"{solver:>6} {clf.n_iter_:6d} {clf.loss_curve_[-1] - E_star:9.2e} "
        f"{np.abs(clf.coef_ - optimum.coef_).max():10.2e} "
        f"{np.mean(clf.predict(X) == optimum.predict(X)):11.1%}"
    )
