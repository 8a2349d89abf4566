"""``python -m tests.sklearn_suite [pytest options]``: run the installed
scikit-learn's test_mlp.py, test_perceptron.py and test_sgd.py (its
classifier part) against skcourse (``swap.py`` says how)."""

import sys

import pytest

MODULES = [
    "sklearn.neural_network.tests.test_mlp",
    "sklearn.linear_model.tests.test_perceptron",
    "sklearn.linear_model.tests.test_sgd",
]

if __name__ == "__main__":
    # Not this repository's options (doctests, warnings as errors): the
    # tests run as scikit-learn runs them.
    args = ["-p", "tests.sklearn_suite.swap", "-o", "addopts=", "-o", "filterwarnings="]
    sys.exit(
        pytest.main(
            [*args, "-p", "no:cacheprovider", "--pyargs", *MODULES, *sys.argv[1:]]
        )
    )
