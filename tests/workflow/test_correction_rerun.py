"""Editing a correction re-runs curate -> harmonize -> pool -> plot, never extraction; adding one
PDF extracts exactly that one document."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from evidence.batch import last_run

pytestmark = [pytest.mark.workflow, pytest.mark.slow]


ROOT = Path(__file__).resolve().parents[2]


def planned_counts(dry_run_output: str) -> dict[str, int]:
    """Rule name -> number of jobs a ``--dry-run`` would run (from its job-stats table)."""
    lines = dry_run_output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("job "))
    jobs = {}
    for line in lines[start + 2:]:
        parts = line.split()
        if len(parts) != 2 or parts[0] == "total":
            break
        jobs[parts[0]] = int(parts[1])
    return jobs


def planned_jobs(dry_run_output: str) -> set[str]:
    """Rule names of the jobs a ``--dry-run`` would run."""
    return set(planned_counts(dry_run_output))


def test_correction_reruns_only_downstream_jobs(tmp_path: Path, new_review, snakemake_run) -> None:
    work = new_review(tmp_path)
    snakemake_run(work)
    before = pd.read_csv(work / "results/pooled/cement_leakage.tsv", sep="\t")
    arms = pd.read_csv(work / "results/tables/arms.tsv", sep="\t")
    group_b = arms[(arms.study_id == "tian2022") & (arms.n_patients == 75)].arm_id.iloc[0]
    outcomes = pd.read_csv(work / "results/tables/outcomes.tsv", sep="\t")
    leak = outcomes[(outcomes.study_id == "tian2022") & (outcomes.arm_id == group_b)
                    & (outcomes.outcome == "cement_leakage")]
    timepoint = leak.timepoint.iloc[0]
    # a curator decides the 20 leaking lesions of group B should be counted per patient (18/75)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for field, value in (("events", "18"), ("total", "75")):
        subprocess.run(
            [sys.executable, "-m", "evidence", "curate", "set", "tian2022", group_b,
             "cement_leakage", timepoint, field, value, "--reason", "per-patient denominator",
             "--curator", "test-curator", "--corrections", str(work / "corrections.csv"),
             "--extracted", str(work / "results/tables/extracted")],
            check=True, env=env, capture_output=True, text=True)
    dry = snakemake_run(work, "--dry-run")
    jobs = planned_jobs(dry.stdout)
    assert "extract_pdf" not in jobs and "merge_extracted" not in jobs
    assert {"curate_tables", "harmonize", "analyse"} <= jobs
    summary = snakemake_run(work, "--summary").stdout
    assert "extracted/" in summary
    snakemake_run(work)
    after = pd.read_csv(work / "results/pooled/cement_leakage.tsv", sep="\t")
    rows = after[(after.row_type == "study") & (after.study_id == "tian2022")]
    assert (18, 75) in set(zip(rows.events, rows.total))
    overall = lambda t: t[t.row_type == "overall"].estimate.iloc[0]  # noqa: E731
    assert overall(after) != pytest.approx(overall(before))
    # only the analysis whose rows changed was redrawn; the others' outputs were kept
    ran = last_run(work / "results/.batch/analyse")
    assert ran["cement_leakage"] == "ran" and ran["pain_last"] == "unchanged", ran

    # a new PDF in the review's folder: one extraction job (that document), then the rest
    new = next(p for p in sorted((ROOT / "tests/data/pdfs/real").glob("*.pdf")) if not p.name.startswith("hostile_"))
    shutil.copy(new, work / "pdfs" / new.name)
    counts = planned_counts(snakemake_run(work, "--dry-run").stdout)
    assert counts.get("extract_pdf") == 1 and counts.get("merge_extracted") == 1, counts
