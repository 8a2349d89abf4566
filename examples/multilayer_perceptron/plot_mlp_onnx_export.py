"""
==============================================
Saving an MLP with skops, serving it with ONNX
==============================================

A trained :class:`~skcourse.neural_network.MLPClassifier` leaves the
notebook in two ways:

- as a **skops file**, which loads back into Python only the types it is
  told to trust (unlike pickle, which runs whatever code a file asks for);
  :func:`~skcourse.persistence.skops_trusted_types` lists skcourse's;
- as an **ONNX graph**, which onnxruntime (or any other ONNX runtime, in
  C++, C#, Java, JavaScript...) evaluates without Python, scikit-learn or
  skcourse: :mod:`skcourse.onnx` teaches skl2onnx to convert skcourse's
  models.

This needs the "skops" and "onnx" extras (``pip install
skcourse[skops,onnx]``).
"""

# %%
# Train an MLP on the digits
# --------------------------

import matplotlib.pyplot as plt
import numpy as np
import onnxruntime
import skops.io as sio
from skl2onnx import to_onnx
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skcourse.neural_network import MLPClassifier
from skcourse.onnx import register_converters
from skcourse.persistence import skops_trusted_types

digits = load_digits()
X = digits.data.astype(np.float32)
X_train, X_test, y_train, y_test, images_train, images_test = train_test_split(
    X, digits.target, digits.images, random_state=0
)
model = make_pipeline(
    StandardScaler(),
    MLPClassifier(hidden_layer_sizes=(32,), max_iter=300, random_state=0),
)
model.fit(X_train, y_train)
print(f"test accuracy {model.score(X_test, y_test):.3f}")

# %%
# A skops file
# ------------
#
# ``get_untrusted_types`` lists the types a file holds beyond skops' own
# defaults (numpy, scipy, scikit-learn); load it only if they are all
# expected. Those of skcourse are its estimators and, after a stochastic
# solver, the optimizer state that ``partial_fit`` continues.

data = sio.dumps(model)
untrusted = sio.get_untrusted_types(data=data)
print("types beyond skops' defaults:", untrusted)
assert set(untrusted) <= set(skops_trusted_types())
loaded = sio.loads(data, trusted=skops_trusted_types())
assert np.array_equal(loaded.predict_proba(X_test), model.predict_proba(X_test))

# %%
# An ONNX graph
# -------------
#
# ``register_converters`` (which importing :mod:`skcourse.onnx` already
# runs) gives skl2onnx a converter per skcourse model; the
# ``StandardScaler`` step is converted by skl2onnx's own. ``zipmap=False``
# returns the probabilities as one array rather than one dict per sample.

register_converters()
onx = to_onnx(model, X_train[:1], options={"zipmap": False})
print(f"{len(onx.SerializeToString()) / 1024:.0f} kB, nodes:")
print(" ".join(node.op_type for node in onx.graph.node))

session = onnxruntime.InferenceSession(
    onx.SerializeToString(), providers=["CPUExecutionProvider"]
)
labels, proba = session.run(None, {"X": X_test})
print("labels equal predict:", np.array_equal(labels, model.predict(X_test)))
difference = np.abs(proba - model.predict_proba(X_test)).max()
print(f"largest probability difference: {difference:.1e}")

# %%
# The samples the model is least sure of
# --------------------------------------
#
# onnxruntime's answer and its probability for the eight test digits with
# the lowest top probability.

unsure = np.argsort(proba.max(axis=1))[:8]
fig, axes = plt.subplots(1, 8, figsize=(8, 1.8))
for ax, i in zip(axes, unsure, strict=True):
    ax.imshow(images_test[i], cmap="gray_r")
    ax.set_title(f"{labels[i]} ({proba[i].max():.2f})\ntrue {y_test[i]}", fontsize=8)
    ax.set_axis_off()
fig.tight_layout()
plt.show()
