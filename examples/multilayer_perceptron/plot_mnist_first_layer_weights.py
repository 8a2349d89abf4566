"""
===========================================
What the first layer of an MLP looks at
===========================================

A hidden unit of the first layer computes :math:`h_j = g(\\langle w_j, x
\\rangle + b_j)` (slides "Multilayer perceptron"): its weights
:math:`w_j` have one entry per pixel, so on MNIST they form a 28×28 image,
the pattern that excites the unit most. Here an
:class:`~skcourse.neural_network.MLPClassifier` with 32 hidden ReLU units is
trained for a few epochs on 5,000 MNIST digits, and the weights of its 32
units are shown as images: strokes and blobs, positive (red) where ink
excites the unit, negative (blue) where ink inhibits it.

MNIST is not bundled with scikit-learn: :func:`~skcourse.datasets.load_mnist`
downloads it (11.6 MB) into scikit-learn's data home the first time, or reads a
local copy named by ``SKCOURSE_MNIST_DIR``. Where the documentation was built
without MNIST on disk, this page shows the code without its output.
"""

# %%
# A few epochs on a subset of MNIST
# ---------------------------------
#
# Ten epochs of minibatch SGD; the pixels are scaled to [0, 1]. Stopping at
# ``max_iter`` before the loss settles is intended here, so the
# ``ConvergenceWarning`` is silenced.

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skcourse.datasets import load_mnist
from skcourse.neural_network import MLPClassifier

X_train, y_train = load_mnist("train", return_X_y=True)
X_test, y_test = load_mnist("test", return_X_y=True)
X_train, y_train = X_train[:5000] / 255.0, y_train[:5000]
X_test, y_test = X_test[:2000] / 255.0, y_test[:2000]

mlp = MLPClassifier(
    hidden_layer_sizes=(32,),
    solver="sgd",
    learning_rate_init=0.2,
    alpha=1e-4,
    max_iter=10,
    random_state=0,
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    mlp.fit(X_train, y_train)
print(f"training accuracy {mlp.score(X_train, y_train):.3f}")
print(f"test accuracy     {mlp.score(X_test, y_test):.3f}")

# %%
# The weights of the 32 hidden units
# ----------------------------------
#
# ``coefs_[0]`` is :math:`W_1^\top`, of shape (784, 32): column :math:`j` is
# :math:`w_j`. All images share one colour scale, centred on zero.

W1 = mlp.coefs_[0]
limit = np.abs(W1).max()
fig, axes = plt.subplots(4, 8, figsize=(8, 4.4))
for j, ax in enumerate(axes.ravel()):
    ax.imshow(W1[:, j].reshape(28, 28), cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_axis_off()
fig.suptitle("first-layer weights $w_j$ of an MLP trained on MNIST")
fig.tight_layout()
plt.show()
