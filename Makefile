# Set-up is one command each: `make demo`, `make test`. Both create .venv with
# python3 if it is missing and install one environment for everything: the
# package, the test, lint and docs extras (so that `make docs`, or
# `.venv/bin/python -m sphinx ...`, works after either command).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test sklearn-tests bench lint docs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,lint,docs]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m skcourse

# SCIPY_ARRAY_API=1 before scipy is imported: the array API tests (and
# scikit-learn's array API estimator checks) run; without it they skip.
test: $(STAMP)
	SCIPY_ARRAY_API=1 $(BIN)/python -m pytest

# scikit-learn's own test_mlp.py, test_perceptron.py and the classifier part of
# test_sgd.py, from the installed scikit-learn, run against skcourse with the
# import swapped (tests/sklearn_suite/swap.py lists the expected failures).
sklearn-tests: $(STAMP)
	$(BIN)/python -m tests.sklearn_suite -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Warnings are errors; the site needs no network to build or to read
# (docs/conf.py says how). Open docs/_build/html/index.html.
docs: $(STAMP)
	$(BIN)/python -m sphinx -b html -W --keep-going docs docs/_build/html

clean:
	rm -rf $(VENV) docs/_build docs/auto_examples docs/gen_modules .pytest_cache
