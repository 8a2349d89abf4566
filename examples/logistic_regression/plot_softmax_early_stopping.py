"""
=====================================
Early stopping: the validation curves
=====================================

The slides separate the *training set*, on which the loss is minimised, from
the *validation set*, used to adjust the hyperparameters; the number of
epochs is one of them. With ``early_stopping=True``,
:class:`~skcourse.linear_model.SoftmaxRegression` holds out
``validation_fraction`` of its training data, scores it after every epoch,
stops once the validation accuracy has not improved for ``n_iter_no_change``
epochs, and keeps the weights of the best epoch.
``validation_scores_`` and ``validation_loss_curve_`` record the way there.
"""

# %%
# Training with a held-out fifth
# ------------------------------
#
# Averaged SGD without penalty (``alpha=0``) on the standardised digits: the
# training loss keeps falling, and the held-out data tell when more epochs
# stop paying off.

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skcourse.inspection import LossCurveDisplay
from skcourse.linear_model import SoftmaxRegression

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

clf = SoftmaxRegression(
    solver="asgd",
    alpha=0.0,
    early_stopping=True,
    validation_fraction=0.2,
    n_iter_no_change=10,
    random_state=0,
).fit(X_train, y_train)

best = int(np.argmax(clf.validation_scores_)) + 1
print(f"stopped after {clf.n_iter_} epochs; kept the weights of epoch {best}")
print(f"best validation accuracy: {max(clf.validation_scores_):.3f}")
print(f"test accuracy:            {clf.score(X_test, y_test):.3f}")

# %%
# The three curves
# ----------------
#
# ``loss_curve_`` is the training objective on the four fifths that the
# solver sees; ``validation_loss_curve_`` is the mean cross-entropy on the
# held-out fifth (dashed), and ``validation_scores_`` its accuracy (dotted,
# on its own axes). :class:`~skcourse.inspection.LossCurveDisplay` draws
# the three. The grey line marks the epoch whose weights the estimator kept.

fig, (ax_loss, ax_score) = plt.subplots(2, 1, sharex=True, figsize=(6.4, 5.4))
LossCurveDisplay.from_estimator(clf, ax=ax_loss, score_ax=ax_score, log_scale=True)
ax_loss.set(ylabel="cross-entropy", xlabel="")  # the x axis is shared
for ax in (ax_loss, ax_score):
    ax.axvline(best, color="grey", linestyle="--", linewidth=1)
fig.tight_layout()
plt.show()
