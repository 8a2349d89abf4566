"""
===========================================================
Softmax regression partitions the plane into convex regions
===========================================================

Slide "Linear classifier": class :math:`k` wins where its score is the
largest, :math:`w_k^\\top\\varphi + b_k > w_\\ell^\\top\\varphi + b_\\ell` for every
:math:`\\ell \\neq k`. Each of these :math:`K - 1` inequalities is a
half-plane, so the region of class :math:`k` is their intersection: an
(unbounded) *convex polygon*. Since
:math:`\\mathrm{argmax}_k\\,\\mathrm{softmax}(a) = \\mathrm{argmax}_k\\, a`, the
probabilities of :class:`~skcourse.linear_model.SoftmaxRegression` change
nothing to that partition.
"""

# %%
# Five classes in the plane
# -------------------------

from inspect import signature

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from sklearn.datasets import make_blobs
from sklearn.inspection import DecisionBoundaryDisplay

from skcourse.linear_model import SoftmaxRegression

centers = [[0, 3], [3, 1], [2, -2.5], [-2, -2.5], [-3, 1]]
X, y = make_blobs(500, centers=centers, cluster_std=1.0, random_state=0)
clf = SoftmaxRegression().fit(X, y)
print(f"training accuracy {clf.score(X, y):.3f}")

# %%
# The regions, and the lines that bound them
# ------------------------------------------
#
# The colours are ``predict``'s regions
# (:class:`~sklearn.inspection.DecisionBoundaryDisplay`). The lines are the
# :math:`K(K-1)/2` boundaries :math:`(w_k - w_\ell)^\top x + b_k - b_\ell = 0`
# between two classes; only the pieces where :math:`k` and :math:`\ell` are
# the two best classes bound a region, the rest (dotted) cross regions where
# a third class wins.

# One colour per class, for the regions and the samples alike. scikit-learn
# >= 1.7 colours multiclass regions with ``multiclass_colors``, before
# with ``cmap``.
colors = ListedColormap(plt.cm.tab10.colors[: len(clf.classes_)])
if "multiclass_colors" in signature(DecisionBoundaryDisplay.from_estimator).parameters:
    region_colors = {"multiclass_colors": list(colors.colors)}
else:
    region_colors = {"cmap": colors}
fig, ax = plt.subplots(figsize=(6.4, 5.6))
display = DecisionBoundaryDisplay.from_estimator(
    clf, X, response_method="predict", plot_method="pcolormesh", alpha=0.25,
    ax=ax, grid_resolution=300, **region_colors,
)  # fmt: skip
ax.scatter(X[:, 0], X[:, 1], c=y, cmap=colors, s=10)
xx, yy = display.xx0, display.xx1
scores = clf.decision_function(np.c_[xx.ravel(), yy.ravel()])
top_two = np.sort(np.argsort(scores, axis=1)[:, -2:], axis=1)
W, b = clf.coef_, clf.intercept_
for k in range(len(clf.classes_)):
    for l in range(k + 1, len(clf.classes_)):
        # (w_k - w_l)^T x + b_k - b_l, on the grid
        margin = (scores[:, k] - scores[:, l]).reshape(xx.shape)
        bounding = ((top_two[:, 0] == k) & (top_two[:, 1] == l)).reshape(xx.shape)
        ax.contour(xx, yy, np.where(bounding, margin, np.nan), [0], colors="k")
        ax.contour(xx, yy, margin, [0], colors="k", linewidths=0.4,
                   linestyles=":")  # fmt: skip
ax.set(xlabel="$x_1$", ylabel="$x_2$", title="SoftmaxRegression, 5 classes")
fig.tight_layout()

# %%
# Convexity, checked
# ------------------
#
# A region is convex when the segment between any two of its points stays
# inside. Take random pairs of grid points predicted alike and test the
# points along the segment between them: none leaves its region. (An MLP's
# regions, drawn in the XOR example, fail this test.)

rng = np.random.RandomState(0)
grid = np.c_[xx.ravel(), yy.ravel()]
labels = clf.predict(grid)
left_region = 0
for k in clf.classes_:
    inside = grid[labels == k]
    pairs = inside[rng.randint(len(inside), size=(200, 2))]
    t = np.linspace(0, 1, 21)[:, None, None]
    segments = (1 - t) * pairs[:, 0] + t * pairs[:, 1]
    left_region += np.sum(clf.predict(segments.reshape(-1, 2)) != k)
print(f"points on 1,000 segments that left their region: {left_region}")
plt.show()
