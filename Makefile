# Two commands on a fresh machine: `make play` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: play test test-oldest bench check simulate clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

play: $(STAMP)
	$(BIN)/wargame

# Four workers on two cores: most of a TUI test's time is spent waiting for the next frame.
test: $(STAMP)
	$(BIN)/python -m pytest -n 4

# The suite again on the oldest versions pyproject.toml allows: constraints/oldest.txt pins
# every direct dependency to its floor (tests/test_floors.py keeps the two in step).
OLDEST := .venv-oldest
$(OLDEST)/.installed: pyproject.toml constraints/oldest.txt
	rm -rf $(OLDEST)
	$(PYTHON) -m venv $(OLDEST)
	$(OLDEST)/bin/pip install --quiet --upgrade pip
	$(OLDEST)/bin/pip install --quiet -c constraints/oldest.txt -e '.[test]'
	$(OLDEST)/bin/pip check
	touch $@

test-oldest: $(OLDEST)/.installed
	$(OLDEST)/bin/python -m pytest -n 4

check: $(STAMP)
	$(BIN)/wargame check

simulate: $(STAMP)
	$(BIN)/wargame simulate --games 1000

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(OLDEST)
