r"""
=====================================================
alpha = 1 / (C n): the model of LogisticRegression(C)
=====================================================

scikit-learn's :class:`~sklearn.linear_model.LogisticRegression` minimises
:math:`C \sum_n \ell_n + \frac12 \|W\|^2`, a sum of losses plus a penalty
of fixed weight. :class:`~skcourse.linear_model.SoftmaxRegression` minimises
the course's *mean* loss plus :math:`\frac{\alpha}{2}\|W\|^2`. Dividing the
first objective by :math:`C n` gives the second with

.. math:: \alpha = \frac{1}{C n},

so the two estimators fit the same coefficients. This holds for two classes
too, where both keep one row of coefficients: the softmax with the first
class's row fixed at 0 is the logistic model.
"""

# %%
# Same coefficients on three data sets
# ------------------------------------
#
# Both estimators run L-BFGS to a tight tolerance, so that what remains is the
# difference between the two optima, not the solvers' stopping points.

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from skcourse.linear_model import SoftmaxRegression

datasets = {
    "iris": load_iris,
    "wine": load_wine,
    "breast cancer": load_breast_cancer,
}
pairs = {}
print(f"{'data':>13} {'classes':>7} {'C':>5} {'coef_':>8} {'max|coef diff|':>14}")
for name, load in datasets.items():
    X, y = load(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    n = X.shape[0]
    for C in [0.1, 1.0, 10.0]:
        sklearn_lr = LogisticRegression(C=C, tol=1e-10, max_iter=10_000).fit(X, y)
        course_lr = SoftmaxRegression(alpha=1 / (C * n), tol=1e-10, max_iter=10_000)
        course_lr.fit(X, y)
        diff = np.abs(course_lr.coef_ - sklearn_lr.coef_).max()
        shape = "x".join(map(str, course_lr.coef_.shape))
        print(f"{name:>13} {len(np.unique(y)):7d} {C:5g} {shape:>8} {diff:14.1e}")
        pairs[name, C] = (sklearn_lr.coef_.ravel(), course_lr.coef_.ravel())

# %%
# One coefficient against the other
# ---------------------------------
#
# Every point lies on the diagonal: the coefficients agree to the solvers'
# tolerance, whatever the number of classes and the strength of the penalty.

fig, ax = plt.subplots(figsize=(4.8, 4.8))
for (name, C), (theirs, ours) in pairs.items():
    if C == 1.0:
        ax.scatter(theirs, ours, s=12, label=name)
lim = max(np.abs(np.concatenate(list(pairs[k][0] for k in pairs if k[1] == 1.0))))
ax.plot([-lim, lim], [-lim, lim], color="grey", lw=0.8, zorder=0)
ax.set_xlabel("LogisticRegression(C=1).coef_")
ax.set_ylabel("SoftmaxRegression(alpha=1/n).coef_")
ax.set_aspect("equal")
ax.legend()
fig.tight_layout()
plt.show()
