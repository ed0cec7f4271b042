"""Shared helpers for tests that run the workflow for real: ``run_review(path, *args)`` runs
``srtk run`` on a review folder, ``copy_example(dest)`` makes a private copy of the bundled example."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sacral"


def review_env() -> dict[str, str]:
    """The environment of a run: this checkout's code first; PATH without this interpreter's folder,
    so a rule that called a bare ``python`` would fail rather than pass by luck."""
    bindir = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ.get("PATH", "").split(os.pathsep) if p != bindir)
    return {**os.environ, "PATH": path, "PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg"}


def srtk(*args: str, cwd: Path | None = None, check: bool = True, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    """Run ``srtk ARGS`` (the console script's ``main``, as a module so this checkout is the one tested)."""
    cmd = [sys.executable, "-m", "evidence.srtk", *args]
    done = subprocess.run(cmd, env=review_env(), cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"srtk {' '.join(args)} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}")
    return done


def run_review(review: Path, *args: str, check: bool = True, cores: int = 2) -> subprocess.CompletedProcess[str]:
    """``srtk run REVIEW --cores N ARGS`` from a folder outside the checkout; on failure the error
    shows Snakemake's output and the tails of the rules' logs (``<review>/results/logs``)."""
    done = srtk("run", str(review), "--cores", str(cores), *args, cwd=review.parent, check=False)
    if check and done.returncode != 0:
        logs = "\n".join(f"== {p}\n{p.read_text()[-3000:]}" for p in sorted(review.rglob("logs/**/*.log")))
        raise AssertionError(f"srtk run {review} {' '.join(args)} failed:\n{done.stderr[-6000:]}\n{logs[-8000:]}")
    return done


def start_review(review: Path, *args: str, cores: int = 1) -> subprocess.Popen[str]:
    """``srtk run REVIEW --cores N ARGS`` started in the background (stdout and stderr together)."""
    cmd = [sys.executable, "-m", "evidence.srtk", "run", str(review), "--cores", str(cores), *args]
    return subprocess.Popen(cmd, env=review_env(), cwd=review.parent, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def copy_example(dest: Path) -> Path:
    """A copy of the bundled example review folder (without its results) at ``dest``."""
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("results", "literature", "seeds", "*.py"),
                    dirs_exist_ok=True)
    return dest


# Test modules cannot import conftest: the helpers are fixtures that return the functions.
@pytest.fixture(scope="session", name="run_review")
def run_review_fixture():
    """``run_review(review, *snakemake_args, check=True, cores=2)``."""
    return run_review


@pytest.fixture(scope="session", name="start_review")
def start_review_fixture():
    """``start_review(review, *snakemake_args, cores=1)`` -> the running ``subprocess.Popen``."""
    return start_review


@pytest.fixture(scope="session", name="srtk")
def srtk_fixture():
    """``srtk(*args, cwd=None, check=True)``."""
    return srtk


@pytest.fixture(scope="session", name="copy_example")
def copy_example_fixture():
    """``copy_example(dest)``: a private copy of the example review folder."""
    return copy_example


@pytest.fixture(scope="session")
def snakemake_run():
    """Older name of ``run_review``."""
    return run_review


@pytest.fixture(scope="session")
def new_review():
    """Older name of ``copy_example``."""
    return copy_example


@pytest.fixture(scope="session", name="review_env")
def review_env_fixture():
    """``review_env()``: the environment of a run (this checkout's code first, rules' bare ``python`` unreachable)."""
    return review_env
