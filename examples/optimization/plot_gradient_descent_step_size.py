"""
=====================================================
Gradient descent: step sizes below and above 2/L
=====================================================

Slide "Gradient descent": if the Hessian of :math:`F` is bounded,
:math:`\\|\\nabla^2 F(x)\\|_2 \\le L`, then gradient descent
:math:`x^{(n+1)} = x^{(n)} - \\gamma \\nabla F(x^{(n)})` converges to a
stationary point from any start whenever :math:`0 < \\gamma < 2/L`.

Two objectives show what the bound means:

- on a *quadratic* (least squares), the Hessian is constant and :math:`L`
  is exact: :math:`2/L` is a sharp threshold, below it the loss falls,
  above it gradient descent diverges geometrically;
- on the *softmax cross-entropy* of
  :class:`~skcourse.linear_model.SoftmaxRegression`, the package uses an
  upper bound on :math:`L`; steps below :math:`2/L` are guaranteed to
  converge, steps somewhat above usually converge too, and only much larger
  ones blow up, which skcourse reports with a ``FloatingPointError``.
"""

# %%
# Least squares: L is exact
# -------------------------
#
# :math:`F(w) = \frac{1}{2n}\|\tilde X w - d\|^2` on the standardised
# diabetes data, with :math:`\tilde X = [X, 1]` (the bias trick). Its
# Hessian is :math:`\tilde X^\top \tilde X / n` everywhere, so :math:`L` is
# its largest eigenvalue. Along the matching eigenvector the error is
# multiplied by :math:`1 - \gamma L` at each step: it shrinks when
# :math:`\gamma < 2/L`, and grows, with a flipping sign, when
# :math:`\gamma > 2/L`.

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_diabetes, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler

from skcourse.inspection import LossCurveDisplay
from skcourse.linear_model import SoftmaxRegression

X, d = load_diabetes(return_X_y=True)
X = StandardScaler().fit_transform(X)
d = (d - d.mean()) / d.std()
X_tilde = np.c_[X, np.ones(len(X))]
L = np.linalg.eigvalsh(X_tilde.T @ X_tilde / len(X)).max()
print(f"least squares: L = {L:.3f}, 2/L = {2 / L:.3f}")


def least_squares_gd(gamma, n_steps=60):
    """F(w) after each of n_steps gradient steps of size gamma, from w = 0."""
    w, losses = np.zeros(X_tilde.shape[1]), []
    for _ in range(n_steps):
        residual = X_tilde @ w - d
        losses.append(0.5 * np.mean(residual**2))
        w -= gamma * X_tilde.T @ residual / len(X)  # the gradient of F
    return losses


factors = [1.0, 1.9, 2.1]
quadratic = LossCurveDisplay(
    [least_squares_gd(factor / L) for factor in factors],
    names=[f"$\\gamma = {factor:g}/L$" for factor in factors],
    xlabel="step",
    ylabel="$F(w)$",
)

# %%
# Softmax regression: an upper bound on L
# ---------------------------------------
#
# For the mean cross-entropy (no penalty here, ``alpha=0``), the Hessian
# in the scores is at most :math:`\frac12` (Böhning's bound), so
#
# .. math:: L = \tfrac12\,\lambda_{\max}(\tilde X^\top \tilde X)/n
#
# bounds the Lipschitz constant of the gradient of the *mean* (not summed)
# loss; a penalty :math:`\frac{\alpha}{2}\|W\|^2` would add :math:`\alpha`.
# ``learning_rate="auto"`` with ``solver="gd"`` takes :math:`\gamma = 1/L`,
# estimating :math:`\lambda_{\max}` by a few power iterations. The
# curvature that gradient descent meets is smaller than the bound: at the
# zero start, where every class has probability :math:`1/K`, it is
# :math:`\lambda_{\max}/(nK)`, five times smaller for the ten
# digits, and it shrinks as the predictions grow confident. So
# :math:`\gamma = 4/L` still converges here.

X, y = load_digits(return_X_y=True)
X = StandardScaler().fit_transform(X)
X_tilde = np.c_[X, np.ones(len(X))]
lambda_max = np.linalg.eigvalsh(X_tilde.T @ X_tilde / len(X)).max()
L = 0.5 * lambda_max
print(f"softmax: L = {L:.3f} (bound), 2/L = {2 / L:.3f}")
print(f"curvature at the start: {lambda_max / 10:.3f}")

runs = {}
for factor in [1.0, 1.9, 4.0]:
    clf = SoftmaxRegression(
        solver="gd",
        alpha=0.0,
        learning_rate="constant",
        learning_rate_init=factor / L,
        max_iter=60,
        tol=0.0,  # no early stop: 60 epochs each, for the picture
    )
    with warnings.catch_warnings():  # reaching max_iter is the plan here
        warnings.simplefilter("ignore", ConvergenceWarning)
        runs[f"$\\gamma = {factor:g}/L$"] = clf.fit(X, y)

# %%
# Much larger steps make the loss jump far above its start. skcourse then
# stops training with a ``FloatingPointError`` that names the step size.
# To see the loss on the way, here is the same gradient descent in a few
# lines of numpy, with the course's gradient :math:`\nabla_W E = \frac1n
# \sum_n \tilde\varphi_n (y(\varphi_n) - t_n)^\top`:

gamma_large = 10_000 / L
try:
    SoftmaxRegression(
        solver="gd", alpha=0.0, learning_rate="constant",
        learning_rate_init=gamma_large, max_iter=60,
    ).fit(X, y)  # fmt: skip
except FloatingPointError as error:
    print("FloatingPointError:", error)

T = np.eye(10)[y]  # one-hot targets


def softmax_gd(gamma, n_steps=60):
    """E(W) before each of n_steps gradient steps of size gamma, from W = 0."""
    W, losses = np.zeros((X_tilde.shape[1], 10)), []
    for _ in range(n_steps):
        A = X_tilde @ W
        A -= A.max(axis=1, keepdims=True)  # the scores, shifted: exp stays finite
        log_Z = np.log(np.exp(A).sum(axis=1, keepdims=True))
        losses.append(np.mean(log_Z[:, 0] - A[T == 1]))  # -log y_{t_n}
        Y = np.exp(A - log_Z)  # softmax
        W -= gamma * X_tilde.T @ (Y - T) / len(X)
    return np.array(losses)


# The same numbers as SoftmaxRegression (which records the loss of each
# epoch before its step, on the same zero start):
same = np.allclose(softmax_gd(4 / L), runs["$\\gamma = 4/L$"].loss_curve_, rtol=1e-6)
print("numpy gradient descent = SoftmaxRegression(solver='gd'):", same)

# %%
# The curves
# ----------
#
# Left: on the quadratic, :math:`1.9/L` converges (its error along the top
# eigenvector flips sign at every step) and :math:`2.1/L` diverges
# geometrically. Right: on the cross-entropy, every step up to :math:`4/L`
# converges, the larger the faster. :math:`10^4/L` sends the loss to about 80
# times its start, where skcourse stops. It would come back down here: the
# cross-entropy grows at most linearly with the weights, so gradient
# descent cannot blow up geometrically as on the quadratic, and without a
# penalty the digits are separable, so the loss tends to 0 as the weights
# grow. Past :math:`2/L` nothing is guaranteed any more, and a jump like
# this one is how a too-large step shows on real problems.

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
quadratic.plot(ax=left, log_scale=True)
left.set_title("least squares: L exact")
display = LossCurveDisplay.from_estimator(runs, ax=right, log_scale=True)
right.plot(np.arange(1, 61), softmax_gd(gamma_large), color="C3",
           label="$\\gamma = 10^4/L$ (numpy)")  # fmt: skip
right.legend()
right.set(title="softmax regression: L an upper bound", ylabel="$E(W)$")
fig.tight_layout()
plt.show()
