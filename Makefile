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
# --dist loadgroup keeps the tests marked xdist_group together on one worker, so their costly
# module fixtures (the expert's look-aheads) are built once. Byte-code writing is on for the run
# even where PYTHONDONTWRITEBYTECODE is set: every worker would otherwise rewrite and compile all
# test modules afresh (about 3 s of CPU each).
test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 4 --dist loadgroup

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
	PYTHONDONTWRITEBYTECODE= $(OLDEST)/bin/python -m pytest -n 4 --dist loadgroup

check: $(STAMP)
	$(BIN)/wargame check

simulate: $(STAMP)
	$(BIN)/wargame simulate --games 1000

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(OLDEST)
