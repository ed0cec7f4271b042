"""Shared helpers for tests that run Snakemake for real."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def run_snakemake(work: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the repository's Snakefile in ``work`` with this interpreter's environment."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(ROOT / "Snakefile"),
           "--directory", str(work), "--cores", "2", *args]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1800)
    if check and done.returncode != 0:
        logs = "\n".join(f"== {p}\n{p.read_text()[-3000:]}" for p in sorted((work / "logs").rglob("*.log")))
        raise AssertionError(f"snakemake {' '.join(args)} failed:\n{done.stderr[-6000:]}\n{logs[-8000:]}")
    return done


def make_review(work: Path) -> Path:
    """A review folder whose config points at the bundled example; corrections are a copy."""
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    review = config["review"]
    shutil.copy(ROOT / review["corrections"], work / "corrections.csv")
    review["pdfs"] = str(ROOT / review["pdfs"])
    review["manual_entries"] = str(ROOT / review["manual_entries"])
    for key in ("risk_of_bias", "grade"):
        if review.get(key):
            review[key] = str(ROOT / review[key])
    review["corrections"] = str(work / "corrections.csv")
    (work / "config").mkdir()
    (work / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return work


@pytest.fixture(scope="session")
def snakemake_run():
    """The ``run_snakemake`` helper, as a fixture (test modules cannot import conftest)."""
    return run_snakemake


@pytest.fixture(scope="session")
def new_review():
    """The ``make_review`` helper, as a fixture."""
    return make_review
