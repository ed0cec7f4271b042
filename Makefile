# Two commands do all the set-up on a fresh machine:
#   make run   - install into .venv, then run the workflow on the bundled example
#                (results, logs and report.html in examples/sacral/results)
#   make test  - install into .venv, then `make check` (snakefmt, snakemake --lint), then the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORES ?= 2
export OPENBLAS_NUM_THREADS := 1
export MPLBACKEND := Agg

.PHONY: run test check install clean bench

# Debian packages the tests need: fonts to regenerate the example PDFs byte for byte; a real
# single-node Slurm with accounting for tests/workflow/test_slurm.py (daemons started by the test);
# a headless Chromium and its driver for the curation web app's browser tests (tests/web).
DEBS := fonts-dejavu-core slurm-wlm slurmdbd munge mariadb-server chromium chromium-driver

$(STAMP): pyproject.toml
	@missing=$$(for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "please install the Debian packages: $$missing" >&2; exit 1; fi; \
	fi
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

EXAMPLE := examples/sacral

run: $(STAMP)
	$(BIN)/srtk run $(EXAMPLE) --cores $(CORES)
	$(BIN)/srtk run $(EXAMPLE) --cores $(CORES) --report $(abspath $(EXAMPLE))/results/report.html

# The Snakemake catalogue's checks: formatting and lint of the workflow (the example's config).
check: $(STAMP)
	$(BIN)/snakefmt --check Snakefile workflow/
	$(BIN)/snakemake --lint
	$(BIN)/snakemake --lint --configfile .test/config/config.yaml

test: $(STAMP) check
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest

# scale and speed (benchmarks/run_all.py: medians and ratios of one run); then accuracy and the rest
bench: $(STAMP)
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python benchmarks/run_all.py --quick
	for f in benchmarks/bench_*.py; do PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python $$f; done

clean:
	rm -rf $(EXAMPLE)/results .snakemake
