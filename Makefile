# kerlite — the two commands:
#   make lab    open the course (notebooks/) in JupyterLab
#   make test   run the whole test suite (library tests, then the lesson notebooks with nbval)
# Both create ./.venv on first use and reinstall only when pyproject.toml changes.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# Stamp files carry a hash of pyproject.toml, so an edited pyproject triggers a reinstall.
PYPROJECT_HASH := $(shell sha256sum pyproject.toml 2>/dev/null | cut -c1-12)
NOTEBOOK_STAMP := $(VENV)/.installed-notebook-$(PYPROJECT_HASH)
TEST_STAMP     := $(VENV)/.installed-test-$(PYPROJECT_HASH)

# pytest-xdist workers for the library tests and the notebooks (0 = no xdist).
PYTEST_WORKERS ?= 2
# Extra arguments, e.g. make test PYTEST_ARGS="-m 'not slow' -x"
PYTEST_ARGS ?=
# Parity tests compare against Keras 3 on the JAX backend (installed by the test extra).
export KERAS_BACKEND ?= jax

LAB_ARGS := --ServerApp.ip=127.0.0.1 --LabApp.news_url=None \
            --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate
ifeq ($(shell id -u),0)
LAB_ARGS += --allow-root
endif

.PHONY: help lab test install clean

help:
	@echo "make lab    open the course (notebooks/) in JupyterLab"
	@echo "make test   run the whole test suite"
	@echo "make clean  remove .venv, build files and test artifacts"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(NOTEBOOK_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[notebook]'
	rm -f $(VENV)/.installed-notebook-*
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[notebook,test]'
	rm -f $(VENV)/.installed-test-* $(VENV)/.installed-notebook-*
	touch $@ $(NOTEBOOK_STAMP)

install: $(TEST_STAMP)

lab: $(NOTEBOOK_STAMP)
	$(VENV)/bin/jupyter lab notebooks/ $(LAB_ARGS)

# Runs both stages even if the first fails; exits non-zero if either failed.
# pytest exit code 5 ("no tests collected") counts as success for a stage, so an
# empty notebooks/ folder does not fail the build.
XDIST := $(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS))
test: $(TEST_STAMP)
	@status=0; \
	echo "== library tests: pytest tests/"; \
	MPLBACKEND=Agg $(PY) -m pytest $(XDIST) $(PYTEST_ARGS) tests/ || { \
	  rc=$$?; if [ $$rc -eq 5 ]; then echo "(no library tests collected)"; else status=$$rc; fi; }; \
	if compgen -G 'notebooks/*.ipynb' >/dev/null; then \
	  echo "== lessons: pytest --nbval notebooks/"; \
	  $(PY) -m pytest --nbval --nbval-current-env \
	    --nbval-sanitize-with notebooks/nbval-sanitize.cfg \
	    $(if $(XDIST),$(XDIST) --dist loadscope) $(PYTEST_ARGS) notebooks/ || { \
	    rc=$$?; if [ $$rc -eq 5 ]; then echo "(no notebook cells collected)"; else status=$$rc; fi; }; \
	else \
	  echo "(no notebooks in notebooks/ yet)"; \
	fi; \
	if [ $$status -ne 0 ]; then echo "make test: FAILED (pytest exit $$status)"; fi; \
	exit $$status

clean:
	rm -rf $(VENV) build dist *.egg-info test-artifacts .pytest_cache
	find . -name __pycache__ -type d -prune -not -path './.git/*' -exec rm -rf {} +
	find . -name .ipynb_checkpoints -type d -prune -not -path './.git/*' -exec rm -rf {} +
