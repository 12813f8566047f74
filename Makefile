# The two commands of the README's quick start, and what CI runs on each stack:
#
#   make train                # set up .venv (Python 3.11) and train the tutorial's network
#   make test                 # set up .venv with the test tools and run the everyday tests
#   make test-all             # every test, as CI runs them on each stack
#   make train PYTHON=python3.6 VENV=.venv36    # the same on the tutorial's TensorFlow 1.x
#   make test-colab           # the notebook tests in a Colab-like Python 3.12 (.venv-colab)
#
# The set-up is one recipe for both stacks: Python 3.6 gets pip 21 first (its pip 18
# cannot see TensorFlow's wheels) and the lock of every package; Python 3.8+ gets run's
# tf-keras and tf-slim, without their dependencies (tf-keras would pull in a second
# TensorFlow over tensorflow-cpu; tools/check_tensorflow.py proves there is one).
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
LEGACY := $(shell $(PYTHON) -c 'import sys; print(int(sys.version_info < (3, 8)))' 2>/dev/null)
LOCK := $(if $(filter 1,$(LEGACY)),-c constraints-py36.txt)
PIP := $(PY) -m pip install -q --disable-pip-version-check

.PHONY: setup setup-test train test test-all test-colab clean

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

$(VENV)/.installed: requirements.txt requirements-run.txt constraints-py36.txt setup.cfg setup.py tf1_mnist/*.py tf1_mnist/legacy/*.py tf1_mnist/web/*
	@test -n "$(LEGACY)" || { echo "error: $(PYTHON) not found; give one: make $(MAKECMDGOALS) PYTHON=python3.11" >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(if $(filter 1,$(LEGACY)),$(PIP) -U "pip<22")
	$(PIP) -r requirements.txt $(LOCK)
	$(if $(filter 0,$(LEGACY)),$(PIP) --no-deps -r requirements-run.txt)
	# Built in a temporary copy, so the tree keeps no build/ or *.egg-info.
	rm -rf $(VENV)/src && mkdir -p $(VENV)/src && cp -r setup.py setup.cfg README.md tf1_mnist $(VENV)/src/
	$(PIP) --no-deps $(VENV)/src && rm -rf $(VENV)/src
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PIP) -r requirements-test.txt $(LOCK)
	touch $@

train: setup
	$(VENV)/bin/tf1-mnist train --seed 0

# With the environment's bin/ first on PATH, as an activated venv has it.
RUN_IN_VENV := PATH="$(abspath $(VENV))/bin:$$PATH"

test: setup-test
	$(RUN_IN_VENV) $(PY) -m pytest -m "not slow"

test-all: setup-test
	$(RUN_IN_VENV) $(PY) -m pytest

# Colab's stack (requirements-colab.txt), with this package installed as docs/notebooks.md
# tells Colab users: its wheel and tf-slim, without dependencies.
COLAB_PYTHON ?= python3.12
COLAB_VENV ?= .venv-colab

test-colab:
	test -x $(COLAB_VENV)/bin/python || $(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install -q --disable-pip-version-check -r requirements-colab.txt
	rm -rf $(COLAB_VENV)/src $(COLAB_VENV)/dist && mkdir -p $(COLAB_VENV)/src
	cp -r setup.py setup.cfg README.md tf1_mnist $(COLAB_VENV)/src/
	$(COLAB_VENV)/bin/python -m pip wheel -q --disable-pip-version-check --no-deps -w $(COLAB_VENV)/dist $(COLAB_VENV)/src
	$(COLAB_VENV)/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps tf-slim==1.1.0 $(COLAB_VENV)/dist/tf1_mnist-*.whl
	rm -rf $(COLAB_VENV)/src
	PATH="$(abspath $(COLAB_VENV))/bin:$$PATH" $(COLAB_VENV)/bin/python -m pytest tests/legacy/test_notebook.py

clean:
	rm -rf $(VENV) $(COLAB_VENV)
