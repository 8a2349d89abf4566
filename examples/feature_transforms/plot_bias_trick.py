"""
===================================================
The bias trick: the bias as one more weight
===================================================

The slide "Bias trick for linear classifier": append a constant coordinate 1
to the features, :math:`\\tilde\\varphi = (\\varphi, 1)`, and the bias becomes
one more weight,

.. math::

    w_k^\\top \\varphi + b_k = \\begin{pmatrix} w_k \\\\ b_k \\end{pmatrix}^\\top
    \\begin{pmatrix} \\varphi \\\\ 1 \\end{pmatrix} = \\tilde w_k^\\top
    \\tilde\\varphi.

:class:`~skcourse.preprocessing.AddBias` appends that 1. A
:class:`~skcourse.linear_model.SoftmaxRegression` with ``fit_intercept=False``
after it is the model with ``fit_intercept=True``: without a penalty the two
find the same classifier. With a penalty they differ a little, since the
folded-in bias is then penalised like any weight, which is why the estimators
keep ``fit_intercept`` and the bias apart.
"""

# %%
# Same classifier, two ways
# -------------------------

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_iris
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skcourse.linear_model import SoftmaxRegression
from skcourse.preprocessing import AddBias

X, y = load_iris(return_X_y=True)
X = X[:, 2:]  # petal length and width: a plane we can draw


def with_intercept(alpha):
    return make_pipeline(StandardScaler(), SoftmaxRegression(alpha=alpha))


def with_bias_trick(alpha):
    return make_pipeline(
        StandardScaler(), AddBias(), SoftmaxRegression(alpha=alpha, fit_intercept=False)
    )


for alpha in [0.0, 0.1]:
    a, b = with_intercept(alpha).fit(X, y), with_bias_trick(alpha).fit(X, y)
    b_folded = b[-1].coef_[:, -1]  # the weight of the constant feature
    print(f"alpha = {alpha}:")
    print("  intercept_            ", np.round(a[-1].intercept_, 3))
    print("  weight of the 1       ", np.round(b_folded, 3))
    print(
        "  largest gap in decision function:",
        f"{np.abs(a.decision_function(X) - b.decision_function(X)).max():.1e}",
    )

# %%
# The features after the trick
# ----------------------------
#
# ``AddBias`` names its new column ``bias``; the decision regions of the two
# pipelines (no penalty) are drawn on top of each other: one set of lines.

trick = with_bias_trick(0.0).fit(X, y)
print(trick[:-1].get_feature_names_out(["petal length", "petal width"]))

grid = np.linspace(-0.5, 8, 300), np.linspace(-0.5, 3, 300)
xx, yy = np.meshgrid(*grid)
points = np.c_[xx.ravel(), yy.ravel()]
fig, ax = plt.subplots(figsize=(6, 4))
for model, style in [
    (with_intercept(0.0).fit(X, y), dict(colors="silver", linewidths=5)),
    (trick, dict(colors="k", linestyles=":", linewidths=2)),
]:
    regions = model.predict(points).reshape(xx.shape)
    ax.contour(xx, yy, regions, levels=[0.5, 1.5], **style)
ax.scatter(X[:, 0], X[:, 1], c=y, s=12, cmap="viridis")
ax.set(
    xlabel="petal length (cm)",
    ylabel="petal width (cm)",
    title="fit_intercept=True (grey), AddBias (dotted): one boundary",
)
plt.tight_layout()
plt.show()
