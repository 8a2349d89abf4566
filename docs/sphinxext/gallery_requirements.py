"""Which gallery examples can run on this machine, and why not.

Every example runs on data bundled with scikit-learn and the packages of the
``docs`` and ``test`` extras, except those that need MNIST (not shipped: it is
downloaded on first use, which an offline build cannot do), an optional
package that is not installed (skops, onnx, dask, torch...), or scikit-learn's
array API dispatch in a process whose scipy was imported without
``SCIPY_ARRAY_API=1`` (scipy reads it once; ``docs/conf.py`` sets it).
``docs/conf.py`` leaves such examples unexecuted (their page shows the code
and says why) and ``tests/test_examples.py`` skips them with the same reason,
so both work from a fresh, offline clone.
"""

import ast
import importlib.util
import os
from pathlib import Path

# What every example may import: skcourse's dependencies and the extras that
# both the docs and the test builds install.
ALWAYS_THERE = {"skcourse", "sklearn", "numpy", "scipy", "matplotlib", "pandas"}
ALWAYS_THERE |= {"warnings", "time", "math", "itertools", "functools", "pathlib"}


def missing_requirement(path):
    """Why the example at ``path`` cannot run here, or None if it can."""
    source = Path(path).read_text(encoding="utf-8")
    for module in sorted(_imported_modules(source) - ALWAYS_THERE):
        if importlib.util.find_spec(module) is None:
            return (
                f"it needs {module}, which is not installed (optional: see "
                f"the install page)"
            )
    if "array_api_dispatch" in source and os.environ.get("SCIPY_ARRAY_API") != "1":
        return (
            "it uses scikit-learn's array API dispatch, which needs the "
            "environment variable SCIPY_ARRAY_API=1 set before scipy is imported"
        )
    if "load_mnist(" in source and not mnist_on_disk():
        return (
            "it needs MNIST, which is not on disk: set SKCOURSE_MNIST_DIR to a "
            "folder with its four .gz files, or download it once with "
            "python -c 'from skcourse.datasets import load_mnist; load_mnist(\"all\")'"
        )
    return None


def mnist_on_disk():
    """Whether ``load_mnist`` finds all of MNIST without downloading."""
    from skcourse.datasets import _MNIST_FILES, _local_mnist_folder

    needed = [name for pair in _MNIST_FILES.values() for name in pair]
    return _local_mnist_folder(needed) is not None


def _imported_modules(source):
    """The top-level names of the modules that ``source`` imports."""
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules
