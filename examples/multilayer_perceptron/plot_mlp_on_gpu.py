"""
==========================================
Training on a GPU: fitting PyTorch tensors
==========================================

:class:`~skcourse.linear_model.SoftmaxRegression` and
:class:`~skcourse.neural_network.MLPClassifier` fit PyTorch tensors where they
are, on the GPU for instance, under scikit-learn's array API dispatch: the
forward and backward passes and the optimizer's steps run on the tensors'
device, and the fitted weights stay there. This example runs on the GPU when
PyTorch sees one (CUDA) and on PyTorch's CPU otherwise, fits both estimators
on the digits as tensors, shows where the fitted arrays live, and compares
them with the same fits on NumPy arrays.

PyTorch is no dependency of skcourse: install it (``pip install torch``, or
the build for your GPU from pytorch.org) to run this example. Where the
documentation was built without PyTorch, this page shows the code without its
output.
:ref:`user_guide_gpu` explains the set-up and what stays on the host.
"""

# %%
# Set-up
# ------
#
# scipy reads ``SCIPY_ARRAY_API`` once, when it is first imported, so the
# variable is set before anything imports scipy (in a shell:
# ``export SCIPY_ARRAY_API=1``).

import os

os.environ.setdefault("SCIPY_ARRAY_API", "1")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
import torch  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

from skcourse.linear_model import SoftmaxRegression  # noqa: E402
from skcourse.neural_network import MLPClassifier  # noqa: E402

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"PyTorch {torch.__version__}, device: {device}")

# %%
# The digits, as NumPy arrays and as tensors on the device
# --------------------------------------------------------
#
# float32, the GPUs' precision (Apple's MPS has no float64): the fitted
# weights come back in the input's dtype.

X, y = load_digits(return_X_y=True)
X = (X / 16).astype(np.float32)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
X_train_t, X_test_t, y_train_t, y_test_t = (
    torch.asarray(a, device=device) for a in (X_train, X_test, y_train, y_test)
)

# %%
# Fitting on the device
# ---------------------
#
# ``config_context(array_api_dispatch=True)`` (or ``sklearn.set_config``)
# lets the estimators take the tensors as they are; without it they would
# refuse them, as every scikit-learn estimator does.


def make_models():
    return {
        "SoftmaxRegression": SoftmaxRegression(alpha=1e-3),
        "MLPClassifier": MLPClassifier(
            hidden_layer_sizes=(64,), learning_rate_init=0.01, random_state=0
        ),
    }


on_device = make_models()
with sklearn.config_context(array_api_dispatch=True):
    for name, model in on_device.items():
        model.fit(X_train_t, y_train_t)
        predicted = model.predict(X_test_t)
        print(
            f"{name}: test accuracy {model.score(X_test_t, y_test_t):.3f}; "
            f"predict gives a {type(predicted).__name__} on {predicted.device}"
        )

# %%
# Where the fitted arrays live
# ----------------------------
#
# The weights are tensors on the input's device, in its dtype; the class
# labels (``classes_``) and the loss curve stay on the host, as NumPy and
# Python floats: the training loop reads the loss once per epoch.

softmax, mlp = on_device["SoftmaxRegression"], on_device["MLPClassifier"]
for name, array in [
    ("SoftmaxRegression.coef_", softmax.coef_),
    ("MLPClassifier.coefs_[0]", mlp.coefs_[0]),
    ("MLPClassifier.intercepts_[-1]", mlp.intercepts_[-1]),
    ("MLPClassifier.classes_", mlp.classes_),
]:
    where = "the host" if isinstance(array, np.ndarray) else array.device
    print(f"{name:30} {type(array).__name__:8} {str(array.dtype):14} on {where}")
print(f"MLPClassifier.loss_curve_[-1] = {mlp.loss_curve_[-1]:.4f}")

# %%
# The same fits on NumPy
# ----------------------
#
# The random draws (the MLP's starting weights, the order of the minibatches)
# are made on the host with NumPy, so the same seed trains the same model on
# every device: the weights agree up to float32 rounding, and so do the
# accuracies.

on_numpy = make_models()
for name, model in on_numpy.items():
    model.fit(X_train, y_train)
    device_weights = on_device[name]
    if name == "SoftmaxRegression":
        pairs = [(model.coef_, device_weights.coef_)]
    else:
        pairs = list(zip(model.coefs_, device_weights.coefs_, strict=True))
    gap = max(np.max(np.abs(a - w.cpu().numpy())) for a, w in pairs)
    with sklearn.config_context(array_api_dispatch=True):
        device_accuracy = device_weights.score(X_test_t, y_test_t)
    print(
        f"{name}: test accuracy {model.score(X_test, y_test):.3f} on NumPy, "
        f"{device_accuracy:.3f} on {device}; largest weight difference {gap:.1e}"
    )

# %%
# The training curves, one over the other
# ---------------------------------------

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(on_numpy["MLPClassifier"].loss_curve_, label="NumPy", linewidth=3)
ax.plot(on_device["MLPClassifier"].loss_curve_, "--", label=f"torch, {device}")
ax.set(xlabel="epoch", ylabel="training loss", yscale="log")
ax.set_title("MLPClassifier on the digits: the same training")
ax.legend()
plt.show()
