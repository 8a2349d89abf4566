"""
================================================
An MLP on the digits: when to stop training
================================================

An MLP with 100 hidden ReLU units and no penalty (``alpha=0``) can learn
the training digits by heart: its training loss falls toward zero, while its
loss on digits it has not seen stops falling, then rises. The slides keep a
*validation set*, apart from the training set, to choose hyperparameters;
the number of epochs is one of them. With ``early_stopping=True``,
:class:`~skcourse.neural_network.MLPClassifier` holds out
``validation_fraction`` of its training data, scores it after every epoch,
stops once the score has not improved for ``n_iter_no_change`` epochs, and
keeps the weights of the best epoch. ``loss_curve_``,
``validation_loss_curve_`` and ``validation_scores_`` record the way there,
and :class:`~skcourse.inspection.LossCurveDisplay` draws them.
"""

# %%
# Training with a held-out fifth
# ------------------------------
#
# Half of the digits are kept for the final test; the network trains on four
# fifths of the other half and validates on one fifth. ``n_iter_no_change``
# is large here (30) so that the curves go on well past the best epoch.

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skcourse.inspection import LossCurveDisplay
from skcourse.neural_network import MLPClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.5, stratify=y, random_state=0
)
model = make_pipeline(
    StandardScaler(),
    MLPClassifier(
        hidden_layer_sizes=(100,),
        alpha=0.0,
        learning_rate_init=0.01,
        early_stopping=True,
        validation_fraction=0.2,
        n_iter_no_change=30,
        random_state=0,
    ),
).fit(X_train, y_train)
mlp = model[-1]

best = int(np.argmax(mlp.validation_scores_)) + 1
lowest = int(np.argmin(mlp.validation_loss_curve_)) + 1
print(f"stopped after {mlp.n_iter_} epochs; kept the weights of epoch {best}")
print(f"lowest validation loss at epoch {lowest}")
print(f"training loss at the end: {mlp.loss_curve_[-1]:.4f}")
print(f"test accuracy: {model.score(X_test, y_test):.3f}")

# %%
# The curves
# ----------
#
# Top: the training loss (solid) keeps falling; the validation loss
# (dashed) is lowest after a few epochs, then rises as the network fits the
# training digits' noise. Bottom: the validation accuracy, on its own axes
# (``score_ax``) since it is on another scale. The grey line marks the epoch
# whose weights the estimator kept: the best validation accuracy (at equal
# accuracy, the lowest validation loss).

fig, (ax_loss, ax_score) = plt.subplots(2, 1, sharex=True, figsize=(6.4, 5.6))
LossCurveDisplay.from_estimator(model, ax=ax_loss, score_ax=ax_score, log_scale=True)
ax_loss.set(ylabel="cross-entropy", xlabel="")  # the x axis is shared
for ax in (ax_loss, ax_score):
    ax.axvline(best, color="grey", linestyle="--", linewidth=1)
fig.tight_layout()
plt.show()
