# Two commands do all the set-up on a fresh machine:
#   make run   - install into .venv, then run the workflow on the bundled example
#   make test  - install into .venv, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= 2
export OPENBLAS_NUM_THREADS := 1
export MPLBACKEND := Agg

.PHONY: run test report install clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/snakemake --cores $(CORES)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/snakemake --cores $(CORES) --report results/report.html

test: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest

bench: $(STAMP)
	for f in benchmarks/*.py; do PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python $$f; done

clean:
	rm -rf results logs .snakemake
