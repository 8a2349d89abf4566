"""pytest set-up for the whole repository (tests/ and the doctests of skcourse/).

Figures are drawn with matplotlib's Agg backend (no display: ``show`` returns at
once).  matplotlib is a test extra: where it is missing, the doctests that
draw are skipped rather than failed.
"""

import importlib.util

import pytest

# skcourse.onnx needs skl2onnx (the "onnx" extra): without it there is nothing
# to import for its doctests (tests/test_onnx.py skips with the reason).
collect_ignore = [] if importlib.util.find_spec("skl2onnx") else ["skcourse/onnx.py"]

#: The modules whose doctests draw figures.
DRAWING_MODULES = ("skcourse.inspection",)

try:
    import matplotlib
except ImportError:
    matplotlib = None
else:
    matplotlib.use("Agg")


def pytest_collection_modifyitems(config, items):
    if matplotlib is not None:
        return
    skip = pytest.mark.skip(reason="matplotlib is not installed")
    for item in items:
        if isinstance(item, pytest.DoctestItem) and item.name.startswith(
            DRAWING_MODULES
        ):
            item.add_marker(skip)
