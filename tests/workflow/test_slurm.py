"""The example review through a real Slurm cluster: ``--executor slurm --profile profiles/slurm``.

A single-node cluster (munge, MariaDB, slurmdbd, slurmctld, slurmd; see slurm_cluster.py) is
started for this module and stopped by PID afterwards. The review is run once locally and once
through Slurm; the pooled tables must be the same, every job must have gone through Slurm
(visible in ``sacct`` with its rule name) and completed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from slurm_cluster import SlurmCluster, missing_programs  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.workflow, pytest.mark.slow, pytest.mark.slurm]
DEBIAN_PACKAGES = "slurm-wlm slurmdbd munge mariadb-server"


def run_workflow(work: Path, *args: str, env: dict[str, str] | None = None,
                 timeout: int = 900) -> subprocess.CompletedProcess[str]:
    """``srtk run`` the review folder ``work`` (the one place that says how it is invoked).

    Under ``timeout -k 10``: the Slurm plugin can wait forever when its status checks fail.
    """
    env = {**(env or os.environ), "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{(env or os.environ)['PATH']}",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), (env or os.environ).get("PYTHONPATH")]))}
    cmd = ["timeout", "-k", "10", str(timeout), sys.executable, "-m", "evidence.srtk", "run", str(work),
           "--cores", "2", *args]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        logs = "\n".join(f"== {p}\n{p.read_text(errors='replace')[-2000:]}"
                         for p in sorted(work.rglob("logs/**/*.log")) + sorted(work.rglob("slurm_logs/**/*.log")))
        raise AssertionError(f"snakemake {' '.join(args)} exited {done.returncode} "
                             f"(124 = killed by timeout after {timeout} s):\n{done.stderr[-6000:]}\n{logs[-8000:]}")
    return done


def _require_cluster_software() -> None:
    missing = missing_programs()
    if not missing:
        return
    has_apt = shutil.which("apt-get") is not None
    if not has_apt or os.geteuid() != 0:
        pytest.skip(f"real-Slurm test needs root and apt to install {DEBIAN_PACKAGES} "
                    f"(missing programs: {', '.join(missing)}; "
                    f"{'not root' if os.geteuid() != 0 else 'no apt-get'})")
    pytest.fail(f"missing {', '.join(missing)}: run `make install` (installs the Debian packages "
                f"{DEBIAN_PACKAGES}) or apt-get install -y {DEBIAN_PACKAGES}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    _require_cluster_software()
    import snakemake_executor_plugin_slurm  # noqa: F401  (a declared dependency: fail, never skip)
    c = SlurmCluster(tmp_path_factory.mktemp("slurm"))
    c.start()
    try:
        yield c
    finally:
        c.stop()


def job_stats(stderr: str) -> dict[str, int]:
    """Rule name -> number of jobs, from Snakemake's first ``Job stats`` table."""
    lines = stderr.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("job ") and "count" in line)
    stats = {}
    for line in lines[start + 2:]:
        parts = line.split()
        if len(parts) != 2 or parts[0] == "total":
            break
        stats[parts[0]] = int(parts[1])
    return stats


@pytest.fixture(scope="module")
def runs(cluster: SlurmCluster, tmp_path_factory: pytest.TempPathFactory, new_review):
    local = new_review(tmp_path_factory.mktemp("local"))
    run_workflow(local, timeout=900)
    remote = new_review(tmp_path_factory.mktemp("on_slurm"))
    started = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(time.time() - 5))
    done = run_workflow(remote, "--executor", "slurm", "--profile", str(ROOT / "profiles" / "slurm"),
                        "--slurm-init-seconds-before-status-checks", "2", env=cluster.env(), timeout=900)
    return local, remote, done, started


def test_outputs_exist(runs) -> None:
    _, remote, _, _ = runs
    for name in ("tables/studies.tsv", "tables/outcomes.tsv", "harmonized/effects.tsv", "tables/grade.tsv",
                 "figures/forest_pain_last.png", "figures/prisma.png", "tables/summary_of_findings.csv"):
        assert (remote / "results" / name).stat().st_size > 0, name


def test_pooled_tables_equal_a_local_run(runs) -> None:
    local, remote, _, _ = runs
    tables = sorted((local / "results" / "pooled").glob("*.tsv"))
    assert len(tables) >= 6
    for table in tables:
        mine = pd.read_csv(remote / "results" / "pooled" / table.name, sep="\t")
        pd.testing.assert_frame_equal(mine, pd.read_csv(table, sep="\t"), check_exact=False, rtol=1e-12)
    # not only equal, but non-trivial: the example pools real studies
    pain = pd.read_csv(remote / "results/pooled/pain_last.tsv", sep="\t")
    assert (pain.row_type == "study").sum() >= 2 and pain.estimate.notna().any()


def test_every_job_ran_through_slurm_and_is_in_sacct(runs, cluster: SlurmCluster) -> None:
    _, _, done, started = runs
    planned = job_stats(done.stderr)
    planned.pop("all", None)  # the target rule has no command: Snakemake never submits it
    out = cluster.run("sacct", "-X", "-n", "-P", "-a", "-S", started, "-o", "JobID,State,Comment").stdout
    rows = [line.split("|") for line in out.splitlines() if line.strip()]
    assert rows, "sacct shows no job"
    assert {state for _, state, _ in rows} == {"COMPLETED"}, rows
    by_rule: dict[str, int] = {}
    for _, _, comment in rows:
        rule = comment.removeprefix("rule_").split("_wildcards_")[0]
        by_rule[rule] = by_rule.get(rule, 0) + 1
    assert by_rule == planned
