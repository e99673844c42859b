# Two entry points for a fresh machine with Python 3.11+ and make:
#   make lab   installs everything into .venv and opens the curriculum in JupyterLab
#   make test  installs everything into .venv and runs the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test install build bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

lab: $(STAMP)
	$(BIN)/aipm-lab lab

test: $(STAMP)
	$(BIN)/aipm-lab build --check
	$(BIN)/python -m pytest -n 2 --durations=15

build: $(STAMP)
	$(BIN)/aipm-lab data
	$(BIN)/aipm-lab build

bench: $(STAMP)
	$(BIN)/python benchmarks/notebook_times.py
	$(BIN)/python benchmarks/grade_cohort.py
	$(BIN)/python benchmarks/seed_sweep.py

clean:
	rm -rf $(VENV)
