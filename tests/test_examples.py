"""Every gallery example (``examples/**/*.py``) runs as a plain script.

The documentation build runs them too, but only where Sphinx is installed;
here they run with the test suite, so an API change that breaks an example
fails ``make test``.  Warnings follow the suite's filters: a FutureWarning or
DeprecationWarning raised by an example is an error.  An example that needs
what this machine lacks (MNIST not on disk, an optional package) is skipped
with the reason, decided as the docs build decides it.
"""

import runpy
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1] / "examples"
sys.path.insert(0, str(ROOT.parent / "docs" / "sphinxext"))
from gallery_requirements import missing_requirement  # noqa: E402

# The examples live in one folder per chapter of the course.
EXAMPLES = sorted(ROOT.glob("**/*.py"))


@pytest.fixture
def pyplot():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")  # no display; plt.show() returns at once
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_examples_found():
    assert len(EXAMPLES) >= 10, f"only {len(EXAMPLES)} examples under {ROOT}"


@pytest.mark.parametrize(
    "path", EXAMPLES, ids=lambda path: path.relative_to(ROOT).as_posix()
)
def test_example_runs(path, pyplot, skip_for_missing):
    from threadpoolctl import threadpool_limits

    reason = missing_requirement(path)
    if reason is not None:
        skip_for_missing(f"{path.name}: {reason}")

    # The examples fit small data sets, where several BLAS threads only
    # compete for the cores (and with other jobs on a shared machine).
    with threadpool_limits(limits=1, user_api="blas"):
        runpy.run_path(str(path), run_name="__main__")


def test_the_gpu_example_says_what_it_lacks(monkeypatch):
    import importlib.util

    path = ROOT / "multilayer_perceptron" / "plot_mlp_on_gpu.py"
    find_spec = importlib.util.find_spec
    # With torch installed (or not: a user's clone may lack it) but scipy's
    # array API switch off, the switch is named.
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: True)
    monkeypatch.delenv("SCIPY_ARRAY_API", raising=False)
    assert "SCIPY_ARRAY_API=1" in missing_requirement(path)
    monkeypatch.setenv("SCIPY_ARRAY_API", "1")
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "torch" else find_spec(name, *args),
    )
    assert "it needs torch, which is not installed" in missing_requirement(path)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *args: True)
    assert missing_requirement(path) is None
