# Two commands: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_DB ?= demo.db
PIP_FLAGS ?= --disable-pip-version-check --progress-bar off -q

.PHONY: demo test install install-test clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Cronica needs Python 3.11, found " + sys.version'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install $(PIP_FLAGS) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install $(PIP_FLAGS) -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/cronica ingest --db sqlite:///$(DEMO_DB) $$($(BIN)/python -c 'import cronica.samples as s, os; print(os.path.dirname(s.__file__))')
	$(BIN)/cronica stats --db sqlite:///$(DEMO_DB)
	$(BIN)/cronica figures --db sqlite:///$(DEMO_DB)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
