"""
=============================================
Streaming MNIST in chunks on a dask cluster
=============================================

Stochastic gradient descent needs one minibatch at a time, never the whole
training set: ``partial_fit`` takes one chunk of the data, runs one epoch
over it and keeps the optimizer's state (step count, average, momentum) for
the next. dask-ml's :class:`~dask_ml.wrappers.Incremental` feeds it the
chunks of a dask array one after the other, so the data can be larger than
memory: each chunk is read (here: scaled from the raw bytes) only when its
turn comes.

This needs the "dask" extra (``pip install skcourse[dask]``: dask,
distributed, dask-ml) and MNIST (:func:`~skcourse.datasets.load_mnist`
downloads it, 11.6 MB, the first time; the documentation build never
downloads). Where the documentation was built without either, this page
shows the code without its output.

What runs where: the chunks of one model are **sequential**, each
``partial_fit`` continues from the previous one, so a single model trains on
one worker at a time; the cluster loads and scales the next chunks while it
does. What runs in **parallel** is independent work: the folds and
candidates of a ``GridSearchCV`` under ``joblib.parallel_backend("dask")``,
or here, the two models below.
"""

# %%
# MNIST on disk, in chunks
# ------------------------
#
# The training images are written once as a stack of 6 ``.npy`` files of
# 10,000 images each: data too large for memory would come so, or as
# Parquet, HDF5 or Zarr files. The dask array reads a chunk only when a task
# needs it; ``/ 255`` (in float32) is part of its graph, applied chunk by
# chunk, so the scaled copy of the whole set never exists.

import tempfile
import time

import dask.array as da
import matplotlib.pyplot as plt
import numpy as np
from dask_ml.wrappers import Incremental
from distributed import Client, LocalCluster
from threadpoolctl import threadpool_limits

from skcourse.datasets import load_mnist
from skcourse.linear_model import SoftmaxRegression
from skcourse.neural_network import MLPClassifier

train, test = load_mnist("train"), load_mnist("test")
folder = tempfile.TemporaryDirectory()
chunk = 10_000
da.to_npy_stack(folder.name, da.from_array(train.data, chunks=(chunk, 784)))
da.to_npy_stack(folder.name + "/y", da.from_array(train.target, chunks=chunk))

X_train = da.from_npy_stack(folder.name, mmap_mode="r").astype(np.float32) / 255
y_train = da.from_npy_stack(folder.name + "/y", mmap_mode="r")
X_test = test.data.astype(np.float32) / 255  # small: a numpy array
classes = np.arange(10)
print(X_train)

# %%
# Two models, each trained chunk by chunk
# ---------------------------------------
#
# A local cluster of two workers in this process (no network), each with one
# thread; BLAS runs on one thread too, as dask gives its worker processes
# (``OMP_NUM_THREADS=1``): otherwise each worker's BLAS starts a thread per
# core, and they fight over the cores (on a busy 2-core machine, 27 s instead
# of 3 s for the linear model). Each call of
# ``Incremental.partial_fit`` is one pass over the 6 chunks: 6 calls of the
# model's ``partial_fit``, in order. Averaged SGD
# (:class:`~skcourse.linear_model.SoftmaxRegression`, ``solver="asgd"``)
# and an MLP with Adam (:class:`~skcourse.neural_network.MLPClassifier`)
# each make 3 passes; after each, the test accuracy is measured.

models = {
    "softmax regression, averaged SGD": SoftmaxRegression(
        solver="asgd", random_state=0
    ),
    "MLP (64 ReLU units), Adam": MLPClassifier(
        hidden_layer_sizes=(64,), solver="adam", random_state=0
    ),
}
n_passes = 3
accuracy = {name: [] for name in models}

with (
    LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster,
    Client(cluster),
    threadpool_limits(limits=1, user_api="blas"),
):
    for name, model in models.items():
        streamed = Incremental(model, shuffle_blocks=False)
        start = time.perf_counter()
        for _ in range(n_passes):
            streamed.partial_fit(X_train, y_train, classes=classes)
            accuracy[name].append(streamed.score(X_test, test.target))
        seconds = time.perf_counter() - start
        print(
            f"{name}: test accuracy {accuracy[name][-1]:.3f} after {n_passes} "
            f"passes over {X_train.numblocks[0]} chunks, {seconds:.1f} s"
        )

# %%
# Accuracy after each pass over the chunks
# ----------------------------------------
#
# The linear model is close to its best after one pass; the MLP, with many
# more weights, keeps improving. The fitted model is an ordinary skcourse
# estimator (``streamed.estimator_``): save it, or export it to ONNX, as any
# other.

fig, ax = plt.subplots(figsize=(6, 3.5))
for name, values in accuracy.items():
    ax.plot(range(1, n_passes + 1), values, marker="o", label=name)
ax.set_xticks(range(1, n_passes + 1))
ax.set_xlabel("passes over the 60,000 training images")
ax.set_ylabel("test accuracy")
ax.legend()
fig.tight_layout()
plt.show()
folder.cleanup()
