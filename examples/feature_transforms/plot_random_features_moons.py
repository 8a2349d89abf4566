"""
===================================================
Random features make the moons linearly separable
===================================================

The slide "Feature transform": a map :math:`\\varphi: \\mathbb{R}^p \\to
\\mathbb{R}^D` chosen so that the classes become linearly separable, then the
course's linear classifier in feature space. No line separates the two moons;
:class:`~skcourse.preprocessing.RandomFeatures` draws a layer of :math:`D`
units :math:`\\varphi(x) = g(xW + b)` at random, and
:class:`~skcourse.linear_model.SoftmaxRegression` on :math:`\\varphi(x)` draws a
curved boundary in the plane: it is a one-hidden-layer network whose first
layer is not trained.
"""

# %%
# Decision regions, without and with the feature transform
# --------------------------------------------------------
#
# Each unit cuts the plane along the line :math:`x \cdot w_j + b_j = 0`. A
# ReLU unit bends there, a threshold unit ("sign") jumps: with ReLU units the
# boundary is piecewise linear, with sign units the regions are unions of the
# cells cut by the 200 random lines.

import matplotlib.pyplot as plt
from sklearn.datasets import make_moons
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skcourse.linear_model import SoftmaxRegression
from skcourse.preprocessing import RandomFeatures

X, y = make_moons(n_samples=200, noise=0.2, random_state=0)
cv = StratifiedKFold(5, shuffle=True, random_state=0)


def in_feature_space(phi):
    """The course's linear classifier after the transform phi."""
    return make_pipeline(StandardScaler(), phi, SoftmaxRegression())


models = {
    "linear: SoftmaxRegression": make_pipeline(StandardScaler(), SoftmaxRegression()),
    "200 random ReLU features": in_feature_space(
        RandomFeatures(200, activation="relu", random_state=0)
    ),
    "200 random sign features": in_feature_space(
        RandomFeatures(200, activation="sign", random_state=0)
    ),
}

fig, axes = plt.subplots(1, 3, figsize=(12, 3.8), sharey=True)
for ax, (name, model) in zip(axes, models.items(), strict=True):
    accuracy = cross_val_score(model, X, y, cv=cv).mean()
    model.fit(X, y)
    DecisionBoundaryDisplay.from_estimator(
        model, X, ax=ax, response_method="predict", alpha=0.3, cmap="coolwarm"
    )
    ax.scatter(X[:, 0], X[:, 1], c=y, s=12, cmap="coolwarm", edgecolor="k", lw=0.3)
    ax.set(title=f"{name}\nCV accuracy {accuracy:.3f}", xlabel="$x_1$")
    print(f"{name:28} CV accuracy {accuracy:.3f}")
axes[0].set_ylabel("$x_2$")
plt.tight_layout()

# %%
# How many features?
# ------------------
#
# The width :math:`D` of the random layer is the one knob. A few units already
# bend the boundary; the accuracy levels off after a few dozen. With
# ``activation="identity"`` the features are a random *linear* map of
# :math:`x`: the model stays linear, whatever :math:`D`.

widths = [1, 2, 5, 10, 20, 50, 100, 200, 500]
linear_accuracy = cross_val_score(models["linear: SoftmaxRegression"], X, y, cv=cv)
fig, ax = plt.subplots(figsize=(6, 4))
for activation in ["relu", "tanh", "sign", "identity"]:
    scores = [
        cross_val_score(
            in_feature_space(RandomFeatures(D, activation=activation, random_state=0)),
            X,
            y,
            cv=cv,
        ).mean()
        for D in widths
    ]
    ax.plot(widths, scores, "o-", label=activation)
ax.axhline(linear_accuracy.mean(), color="k", ls="--", label="linear model alone")
ax.set(
    xscale="log",
    xlabel="n_components D",
    ylabel="5-fold CV accuracy",
    title="make_moons(noise=0.2): a linear model on D random features",
)
ax.legend(title="activation")
plt.tight_layout()
plt.show()
