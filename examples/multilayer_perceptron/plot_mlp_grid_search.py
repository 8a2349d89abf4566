"""
============================================================
Choosing the activation and the hidden layer's size
============================================================

The slides leave two choices to the user: the activation function of the
hidden units, and the architecture, which "defines the shape of the
separator". Both are hyperparameters, chosen on data the network does not
train on. :class:`~skcourse.neural_network.MLPClassifier` is a scikit-learn
estimator, so :class:`~sklearn.model_selection.GridSearchCV` chooses them by
cross-validation, here over five activations and three sizes of one hidden
layer on the digits.
"""

# %%
# The search
# ----------
#
# Three folds; each network trains with early stopping on a tenth of its
# training folds (at most 100 epochs), which keeps the 45 fits to a few
# seconds. The ``identity`` activation makes the network affine (slide
# "Linear units"): a softmax regression with a bottleneck.

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skcourse.neural_network import MLPClassifier

X, y = load_digits(return_X_y=True)
model = make_pipeline(
    StandardScaler(),
    MLPClassifier(
        learning_rate_init=0.01,
        early_stopping=True,
        n_iter_no_change=5,
        max_iter=100,
        random_state=0,
    ),
)
activations = ["identity", "logistic", "tanh", "relu", "softplus"]
sizes = [4, 16, 64]
search = GridSearchCV(
    model,
    {
        "mlpclassifier__activation": activations,
        "mlpclassifier__hidden_layer_sizes": [(size,) for size in sizes],
    },
    cv=3,
).fit(X, y)
print("best:", search.best_params_, f"accuracy {search.best_score_:.3f}")

# %%
# Mean cross-validated accuracy of each combination
# -------------------------------------------------
#
# ``cv_results_`` lists the combinations in the grid's order (activation,
# then size), so its scores reshape into a table. The size matters most:
# four hidden units are a bottleneck whatever the activation (the affine
# network, which has no saturating unit to lose information in, suffers
# least). At 64 units every non-linear activation beats the affine network,
# by one to two points; differences that small, on three folds of 1,797
# digits, are comparable to the spread of the folds (``std_test_score``,
# about 0.01).

scores = search.cv_results_["mean_test_score"].reshape(len(activations), len(sizes))
fig, ax = plt.subplots(figsize=(5.2, 4.4))
image = ax.imshow(scores, cmap="viridis")
for i in range(len(activations)):
    for j in range(len(sizes)):
        light = scores[i, j] < scores.mean()
        ax.text(
            j, i, f"{scores[i, j]:.3f}", ha="center", va="center",
            color="white" if light else "black",
        )  # fmt: skip
ax.set_xticks(np.arange(len(sizes)), [str(size) for size in sizes])
ax.set_yticks(np.arange(len(activations)), activations)
ax.set(xlabel="hidden units", ylabel="activation", title="digits, 3-fold CV")
fig.colorbar(image, ax=ax, label="mean accuracy")
fig.tight_layout()
plt.show()
