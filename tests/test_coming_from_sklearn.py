"""docs/coming_from_sklearn.rst, row by row: each parameter row's names and
status are checked against scikit-learn's estimators.  A "same" row names
parameters both have, with equal defaults; "skcourse only" ours alone; "...
only" for scikit-learn theirs alone.  (That a "same" row also trains the same
is shown where it is claimed: for the MLPs, every "same" parameter beside a
seed in test_mlp.py::test_every_same_parameter_gives_scikit_learns_weights
and ::test_the_same_seed_gives_scikit_learns_weights; the linear models'
rows about random draws say "differs".)"""

import re
from pathlib import Path

import pytest
import sklearn
from sklearn import linear_model, neural_network

from skcourse.linear_model import Perceptron, SoftmaxRegression
from skcourse.neural_network import MLPClassifier, MLPRegressor

PAGE = Path(__file__).parents[1] / "docs" / "coming_from_sklearn.rst"

#: Parameters the page describes as scikit-learn has them now, which older
#: scikit-learn lacks: name -> the version that brought it.
NEWER_IN_SKLEARN = {"loss": "1.7"}  # MLPRegressor(loss="poisson")

#: section heading -> (ours, {the page's name for scikit-learn's: theirs})
SECTIONS = {
    "Perceptron": ([Perceptron], {"": [linear_model.Perceptron]}),
    "SoftmaxRegression": (
        [SoftmaxRegression],
        {"": [linear_model.LogisticRegression], "SGD": [linear_model.SGDClassifier]},
    ),
    "MLPClassifier and MLPRegressor": (
        [MLPClassifier, MLPRegressor],
        {"": [neural_network.MLPClassifier, neural_network.MLPRegressor]},
    ),
}


def parameter_rows(section):
    """(names, status) of each row of the section's parameter table."""
    text = PAGE.read_text()
    start = text.index(f"\n{section}\n")
    end = text.find("\n---", start + len(section) + 10)
    body = text[start : end if end > 0 else None]
    table = body[body.index("   * - parameter") :]
    rows = re.split(r"\n   \* - ", table)[1:]
    parsed = []
    for row in rows:
        cells = re.split(r"\n     - ", row)
        names = re.findall(r"``(\w+)``(?: \((\w+)\))?", cells[0])
        parsed.append((names, " ".join(cells[1].split())))
    return parsed


def defaults(estimators, name, qualifier):
    """{estimator: default} of those that have ``name`` (a "(regressor)" row
    asks of the regressors alone)."""
    found = {}
    for est in estimators:
        if qualifier == "regressor" and "Regressor" not in est.__name__:
            continue
        params = est().get_params()
        if name in params:
            found[est] = params[name]
    return found


def older_than(version):
    """Whether the installed scikit-learn predates ``version`` (None: no)."""
    if version is None:
        return False
    installed = tuple(int(part) for part in sklearn.__version__.split(".")[:2])
    return installed < tuple(int(part) for part in version.split("."))


def same_default(a, b):
    return a == b or (a is None and b is None)


@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_row_of_the_page_holds(section):
    ours, theirs = SECTIONS[section]
    rows = parameter_rows(section)
    assert rows
    listed = set()
    for names, status in rows:
        which = "SGD" if "SGD" in status else ""
        reference = theirs.get(which, theirs[""])
        for name, qualifier in names:
            listed.add(name)
            mine = defaults(ours, name, qualifier)
            other = defaults(reference, name, qualifier)
            if not other and older_than(NEWER_IN_SKLEARN.get(name)):
                continue
            if status.startswith("same"):
                assert mine and other, (section, name, status)
                for value in mine.values():
                    assert all(same_default(value, v) for v in other.values()), (
                        section,
                        name,
                        value,
                        other,
                    )
            elif status == "skcourse only":
                assert mine and not other, (section, name)
            elif status.endswith("only"):
                assert other and not mine, (section, name)
            else:
                assert status.startswith("differs"), (section, name, status)
                assert mine, (section, name)
    # Every parameter of ours has its row.
    for est in ours:
        assert set(est().get_params()) <= listed, (section, est.__name__)


def array_api_support(est):
    return est.__sklearn_tags__().array_api_support


def test_the_array_api_row_holds():
    """The row "array API inputs": who takes them, by the estimators' tags."""
    from sklearn.utils import _array_api

    assert "``array_api_dispatch=True``" in PAGE.read_text()
    # What skcourse uses of scikit-learn's array API support (1.9 has it).
    supported = hasattr(_array_api, "move_to")
    for est in (SoftmaxRegression, MLPClassifier, MLPRegressor):
        assert array_api_support(est()) is supported, est.__name__
    theirs_without = (
        neural_network.MLPClassifier,
        neural_network.MLPRegressor,
        linear_model.Perceptron,
    )
    for est in (Perceptron, *theirs_without):
        assert not array_api_support(est()), est.__name__
    if supported:
        assert array_api_support(linear_model.LogisticRegression())


def test_scikit_learn_s_mlp_refuses_array_api_inputs():
    """The same row: scikit-learn's MLP, fitted on such an array, raises."""
    import os

    xp = pytest.importorskip("array_api_strict")
    if os.environ.get("SCIPY_ARRAY_API") != "1":
        pytest.skip("array API dispatch needs SCIPY_ARRAY_API=1 set before scipy")
    X = xp.asarray([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    y = xp.asarray([0, 1, 0, 1])
    with sklearn.config_context(array_api_dispatch=True):
        with pytest.raises(TypeError):
            neural_network.MLPClassifier(max_iter=5).fit(X, y)
