"""The optional extras: a module that needs one says which, when it is missing."""

import importlib
import subprocess
import sys

import pytest


def test_onnx_module_names_the_extra_it_needs(monkeypatch):
    # As on a machine without the "onnx" extra: importing them fails.
    monkeypatch.setitem(sys.modules, "onnx", None)
    monkeypatch.setitem(sys.modules, "skl2onnx", None)
    monkeypatch.delitem(sys.modules, "skcourse.onnx", raising=False)
    with pytest.raises(ImportError, match=r"pip install 'skcourse\[onnx\]'"):
        importlib.import_module("skcourse.onnx")


def test_the_package_imports_no_optional_extra():
    # `import skcourse` and its public modules but skcourse.onnx need only
    # scikit-learn, numpy and scipy.
    code = (
        "import sys, skcourse, skcourse.datasets, skcourse.linear_model, "
        "skcourse.neural_network, skcourse.preprocessing, skcourse.inspection, "
        "skcourse.persistence, skcourse.activations; "
        "print(sorted(m for m in ('skl2onnx', 'onnx', 'onnxruntime', 'skops', "
        "'dask', 'distributed', 'dask_ml', 'matplotlib', 'torch') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
