"""``srtk run``'s run lock (issue 15): one live run per review, stale Snakemake locks cleared only
when no other run is live. The whole-workflow kill test is ``test_kill_recovery.py``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from evidence import runlock
from evidence.srtk import executes_jobs

HOLD = "import sys, time; from pathlib import Path; from evidence.runlock import acquire; " \
       "acquire(Path(sys.argv[1])); print('locked', flush=True); time.sleep(120)"


def hold_lock(output: Path) -> subprocess.Popen[str]:
    """A process that takes the run lock on ``output`` and keeps it."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(output)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_a_held_lock_is_refused_naming_the_pid_and_freed_by_sigkill(tmp_path: Path) -> None:
    holder = hold_lock(tmp_path)
    try:
        with pytest.raises(runlock.RunLockedError, match=f"PID {holder.pid}\\b"):
            runlock.acquire(tmp_path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    fd = runlock.acquire(tmp_path)  # the kernel released it with the dead process
    assert (tmp_path / runlock.LOCK_NAME).read_text().strip() == str(os.getpid())
    os.close(fd)


@pytest.mark.parametrize("args, expected", [
    (["--cores", "2"], True), (["--forceall", "-p"], True), (["-n"], False), (["-np"], False),
    (["--dry-run", "--cores", "2"], False), (["--report", "r.html"], False), (["--report=r.html"], False),
    (["--unlock"], False), (["--lint"], False), (["--summary"], False),
])
def test_only_runs_that_execute_jobs_take_the_lock(args: list[str], expected: bool) -> None:
    assert executes_jobs(args) is expected


@pytest.fixture
def review(tmp_path: Path, copy_example) -> Path:
    work = copy_example(tmp_path / "review")
    stale = work / "results" / ".snakemake" / "locks"
    stale.mkdir(parents=True)
    (stale / "0.input.lock").write_text("some/input\n")
    return work


@pytest.mark.parametrize("option", ["--forceall", "--unlock"])
def test_srtk_run_is_refused_while_another_holds_the_lock(review: Path, srtk, option: str) -> None:
    holder = hold_lock(review / "results")
    try:
        done = srtk("run", str(review), "--cores", "1", option, check=False)
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 2 and f"PID {holder.pid}" in done.stderr, done.stderr
    assert (review / "results" / ".snakemake" / "locks" / "0.input.lock").is_file()  # left alone


@pytest.mark.parametrize("argv", [["snakemake", "--cores", "2"], ["-m", "evidence", "pool-outcome"]],
                         ids=["plain snakemake", "orphaned job"])
def test_stale_locks_are_kept_while_another_runs_process_works_there(review: Path, srtk, argv) -> None:
    """A plain ``snakemake`` run takes no srtk lock, and the jobs of a run whose Snakemake alone was
    killed outlive it: their locks are not cleared under them."""
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)", *argv],
                             cwd=review / "results")
    try:
        done = srtk("run", str(review), "--cores", "1", check=False)
    finally:
        other.kill()
        other.wait()
    assert done.returncode == 2 and f"PID {other.pid}" in done.stderr and "not started by srtk" in done.stderr, done.stderr
    assert (review / "results" / ".snakemake" / "locks" / "0.input.lock").is_file()
