"""Issue 15: a run killed at any moment recovers with the plain command, byte for byte.

The workflow (``srtk run``, the whole process group) is SIGKILLed at seeded random moments inside
each stage, found by watching job starts in Snakemake's output: extraction, merge, curation,
harmonisation, the analyses (pooling and sensitivity, then their plots), PRISMA and risk-of-bias
plots, GRADE and the summary of findings, and Snakemake's own start-up. Each kill is followed by the
plain ``srtk run REVIEW --cores 2`` (no ``--unlock``, no ``--rerun-incomplete``), itself killed at
the next moment; after each completed recovery every file under ``results/`` is compared byte for
byte with an uninterrupted run of the same folder. Snakemake's own state (``.snakemake/``), the
analyses' cache (``.batch/``) and the run-lock file are not outputs and are left out; the rules' logs under ``results/logs`` are compared
too (they hold no timings). Before each kill an output of the chosen stage is deleted (and between
rounds one more), so the job that writes it and every stage after it run, and are killed, again.

The review is the bundled example with its analyses cut to the first of each model (every rule
still runs; all nine analyses would take four times longer on two cores). That two clean runs of
the whole example are byte-identical, logs included, was checked by hand (no file differed).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

pytestmark = [pytest.mark.workflow, pytest.mark.slow]

SEED = 15
NOT_OUTPUTS = (".snakemake", ".srtk-run.lock", ".batch")
"""Entries of the output folder that are Snakemake's or srtk's state, not results (``.batch``: the
analyses' steps and the outputs kept from their last success, ``evidence.batch``)."""

STAGE_RULES = {
    "extraction": {"extract_pdf"},
    "merge": {"merge_extracted"},
    "curation": {"curate_tables"},
    "harmonisation": {"harmonize"},
    "analysis": {"analyse"},
    "plots": {"plot_prisma", "plot_risk_of_bias"},  # and an analysis job past its pooling steps
}
"""Rules of each stage; ``appraisal`` (GRADE and the summary of findings) is the analysis job past
its analyses (see ``Run.appraising``)."""
SPAN = {"startup": 5.0, "extraction": 3.0, "merge": 0.4, "curation": 0.4, "harmonisation": 0.4,
        "analysis": 3.0, "plots": 1.5, "appraisal": 0.8}
"""Upper bound of the random delay (s) after the stage is seen running (after the start for
``startup``); a delay past the job's end kills whatever runs next, which is a moment too."""

STAGE_OUTPUT = {"extraction": "extracted/*/outcomes.tsv", "merge": "tables/extracted/studies.tsv",
                "curation": "tables/studies.tsv", "harmonisation": "harmonized/effects.tsv",
                "analysis": "sensitivity/*_cumulative.tsv .batch",
                "plots": "sensitivity/*_cumulative.tsv .batch figures/prisma.png",
                "appraisal": "tables/grade.tsv .batch/analyse/_grade .batch/analyse/_summary_of_findings"}
"""An output of the stage, deleted (when present) before a run meant to be killed in that stage, so
the stage runs whatever the kills before it left: a fast machine may finish a whole chain of
stages between two kills. ``.batch`` (the analyses' cache) makes the analyses recompute instead of
getting their kept outputs back; deleting the kept GRADE table and summary of findings
(``.batch/analyse/_grade``, ``_summary_of_findings``) makes the job grade and summarise again."""

ROUNDS: list[tuple[str | None, list[str]]] = [
    (None, ["startup", "extraction", "extraction", "merge", "curation", "harmonisation", "analysis",
            "plots", "appraisal"]),
    ("tables/grade.tsv", ["appraisal", "appraisal"]),
    ("sensitivity/*_cumulative.tsv .batch", ["analysis", "plots"]),
]
"""(outputs deleted before the round, the first match of each pattern; stages to kill in, in order):
the job that writes it and every job after it run again. Each round ends with a run left to finish,
whose outputs are compared. (Touching an input would not do: Snakemake 9 re-runs on a newer input
only when its checksum changed.) Deleting the analyses' cache (``.batch``) makes them
recompute instead of getting their kept outputs back."""

START = re.compile(r"^\s*(?:local)?rule (\w+):\s*$")
JOBID = re.compile(r"^\s+jobid: (\d+)\s*$")
WILDCARDS = re.compile(r"^\s+wildcards: (.*?)\s*$")
FINISH = re.compile(r"Finished jobid: (\d+) \(Rule: \w+\)")


def trimmed_example(review: Path) -> Path:
    """The example review (a copy at ``review``) with its analyses cut to the first of each model
    (and its GRADE judgements to those analyses)."""
    config = yaml.safe_load((review / "config.yaml").read_text(encoding="utf-8"))
    keep: dict[str, str] = {}
    for name, spec in config["analyses"].items():
        keep.setdefault(spec.get("model", "rma"), name)
    names = set(keep.values())
    config["analyses"] = {k: v for k, v in config["analyses"].items() if k in names}
    (review / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    grade = review / "grade.csv"
    if grade.is_file():
        rows = list(csv.DictReader(io.StringIO(grade.read_text(encoding="utf-8-sig"))))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(r for r in rows if r["analysis"] in names)
        grade.write_text(out.getvalue(), encoding="utf-8")
    return review


def results_tree(results: Path) -> dict[str, str]:
    """{path under results/: SHA-256} of every output file."""
    tree = {}
    for path in sorted(results.rglob("*")):
        rel = path.relative_to(results)
        if path.is_file() and rel.parts[0] not in NOT_OUTPUTS:
            tree[rel.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return tree


def delete_output(results: Path, pattern: str) -> None:
    """Delete the first output matching ``pattern`` (when the last kill left it in place)."""
    for one in pattern.split():
        for path in sorted(results.glob(one))[:1]:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def srtk_run_cmd(review: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "evidence.srtk", "run", str(review), "--cores", "2", *args]


@dataclass
class Run:
    """One ``srtk run`` in its own process group, its output read line by line as it comes."""

    review: Path
    env: dict[str, str]
    proc: subprocess.Popen[str] = field(init=False)
    lines: list[str] = field(default_factory=list)
    jobs: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Running jobs: {jobid: (rule, wildcards)}."""
    started: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        self.proc = subprocess.Popen(srtk_run_cmd(self.review), env=self.env, cwd=self.review.parent,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        rule, jobid = None, None
        for line in self.proc.stdout:
            self.lines.append(line)
            if m := START.match(line):
                rule, jobid = m.group(1), None
            elif rule and (m := JOBID.match(line)):
                jobid = m.group(1)
                self.jobs[jobid] = (rule, "")
            elif rule and jobid and (m := WILDCARDS.match(line)):
                self.jobs[jobid] = (rule, m.group(1))
            elif m := FINISH.search(line):
                self.jobs.pop(m.group(1), None)
                rule = None

    def active(self) -> set[str]:
        return {rule for rule, _ in list(self.jobs.values())}

    def plotting(self) -> bool:
        """A PRISMA or risk-of-bias job runs, or an analysis job has pooled and draws its plots
        (its log names a figure it wrote)."""
        jobs = list(self.jobs.values())
        if any(rule in STAGE_RULES["plots"] for rule, _ in jobs):
            return True
        if not any(rule == "analyse" for rule, _ in jobs):
            return False
        logs = self.review / "results" / "logs" / "analyse"  # one log per analysis, steps as "$ ..."
        return any("$ figures " in log.read_text(errors="replace") for log in logs.glob("*.log"))

    def appraising(self) -> bool:
        """The analysis job grades or writes the summary of findings: past its analyses, it has
        (re)written the GRADE group's log in this run (when that group starts, or is restored)."""
        if not any(rule == "analyse" for rule, _ in list(self.jobs.values())):
            return False
        try:
            return (self.review / "results" / "logs" / "grade_certainty.log").stat().st_mtime >= self.started
        except FileNotFoundError:
            return False

    def in_stage(self, stage: str) -> bool:
        if stage == "startup":
            return True
        if stage == "plots":
            return self.plotting()
        if stage == "appraisal":
            return self.appraising()
        return bool(self.active() & STAGE_RULES[stage])

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # every process of the group is gone before the re-run
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)
        raise AssertionError("processes of the killed run outlived SIGKILL")

    def output(self) -> str:
        return "".join(self.lines)


def kill_in(review: Path, env: dict[str, str], stage: str, rng: random.Random, timeout: float = 900) -> tuple[str, str | None]:
    """Start the plain run, kill it ``uniform(0, SPAN)`` s after ``stage`` is seen running.

    Returns (what ran at the kill, as rule names, or ``completed``; the run's output if it ended
    first with an error, else None).
    """
    run = Run(review, env)
    delay = rng.uniform(0, SPAN[stage])
    deadline = time.monotonic() + timeout
    seen: float | None = None
    while time.monotonic() < deadline:
        if run.proc.poll() is not None:
            time.sleep(0.2)
            return "completed", (None if run.proc.returncode == 0 else run.output())
        now = time.monotonic()
        if seen is None and run.in_stage(stage):
            seen = now
        if seen is not None and now - seen >= delay:
            active = sorted(run.active()) or ["startup"]
            if stage == "appraisal" and run.appraising():  # a stage inside the analysis job
                active.append("[appraisal]")
            run.kill()
            return "+".join(active), None
        time.sleep(0.05)
    run.kill()
    raise AssertionError(f"no {stage} job within {timeout} s:\n{run.output()[-4000:]}")


def finish(review: Path, env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(srtk_run_cmd(review), env=env, cwd=review.parent, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"the plain re-run failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}"
    return done


def assert_identical(tree: dict[str, str], reference: dict[str, str], when: str) -> None:
    missing = sorted(set(reference) - set(tree))
    extra = sorted(set(tree) - set(reference))
    differ = sorted(p for p in set(tree) & set(reference) if tree[p] != reference[p])
    assert not (missing or extra or differ), f"after {when}: missing {missing}, extra {extra}, differ {differ}"


def rule_all_targets(review: Path, env: dict[str, str]) -> set[str]:
    """The inputs of rule all, from a dry run that forces every job (nothing is executed)."""
    done = subprocess.run(srtk_run_cmd(review, "--dry-run", "--forceall"), env=env, cwd=review.parent,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-4000:]
    m = re.search(r"^(?:local)?rule all:\n\s+input: (.*)$", done.stdout + done.stderr, re.M)
    assert m, (done.stdout + done.stderr)[-3000:]
    return set(m.group(1).split(", "))


@pytest.fixture(scope="module")
def env(review_env) -> dict[str, str]:
    return review_env()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, copy_example, env) -> tuple[Path, dict[str, str]]:
    """The trimmed example run once without interruption; its results moved aside."""
    review = trimmed_example(copy_example(tmp_path_factory.mktemp("kill") / "review"))
    finish(review, env)
    tree = results_tree(review / "results")
    shutil.move(review / "results", review.parent / "reference_results")
    return review, tree


def test_rule_all_requests_every_output(reference, env) -> None:
    """Every file the run writes under results/ (besides logs and Snakemake's state) is a target
    of rule all, and every target is written: a re-run after any kill re-makes what is missing."""
    review, tree = reference
    outputs = {p for p in tree if not p.startswith("logs/")}
    targets = rule_all_targets(review, env)
    assert outputs == targets, f"written, not requested: {sorted(outputs - targets)}; requested, not written: {sorted(targets - outputs)}"
    readme_outputs = ("sensitivity/", "pooled/", "figures/forest_", "figures/funnel_", "figures/prisma.",
                      "figures/rob_", "tables/grade.tsv", "tables/summary_of_findings.", "harmonized/qa.tsv")
    for prefix in readme_outputs:
        assert any(t.startswith(prefix) for t in targets), prefix


def test_sigkill_at_random_moments_recovers_byte_identical(reference, env) -> None:
    review, ref = reference
    rng = random.Random(SEED)
    kills: list[tuple[str, str, str]] = []
    compared = 0
    refused = False
    for deleted, stages in ROUNDS:
        if deleted:
            delete_output(review / "results", deleted)
        for stage in stages:
            delete_output(review / "results", STAGE_OUTPUT.get(stage, ""))
            hit, failed = kill_in(review, env, stage, rng)
            assert failed is None, f"a plain re-run (meant to be killed in {stage}) failed:\n{failed[-6000:]}"
            kills.append((deleted or "-", stage, hit))
            if hit == "completed":  # it ended before the chosen moment: a completed recovery too
                assert_identical(results_tree(review / "results"), ref, f"a re-run that finished ({stage})")
                compared += 1
        if deleted == ROUNDS[-1][0]:
            # a second run while one is live is refused naming its PID; the first finishes intact
            delete_output(review / "results", deleted)  # so the first has jobs to run
            first = Run(review, env)
            while not first.lines and first.proc.poll() is None:  # it holds the lock from its start
                time.sleep(0.05)
            second = subprocess.run(srtk_run_cmd(review), env=env, cwd=review.parent,
                                    capture_output=True, text=True, timeout=300)
            first.proc.wait(timeout=900)
            time.sleep(0.2)
            assert first.proc.returncode == 0, first.output()[-5000:]
            assert second.returncode == 2 and f"PID {first.proc.pid}" in second.stderr, second.stderr[-3000:]
            assert "Finished jobid" in first.output(), "the first run had no job left to do"
            refused = True
        else:
            finish(review, env)
        assert_identical(results_tree(review / "results"), ref, f"the round after deleting {deleted or 'nothing'}")
        compared += 1
    killed = [k for k in kills if k[2] != "completed"]
    hit_rules = set("+".join(k[2] for k in killed).split("+"))
    print(f"\nkill recovery: {len(kills)} kill points tried, {len(killed)} SIGKILLs landed, "
          f"{compared} completed re-runs compared byte for byte with the uninterrupted run, all identical "
          f"({len(ref)} files each); a concurrent second run refused: {refused}")
    for deleted, stage, hit in kills:
        print(f"  deleted {deleted:22} stage {stage:14} running at the kill: {hit}")
    assert len(killed) >= 10
    for stage in ("extraction", "merge", "curation", "harmonisation", "analysis"):
        assert hit_rules & STAGE_RULES[stage], f"no kill landed in {stage}: {kills}"
    assert "[appraisal]" in hit_rules, f"no kill landed in appraisal: {kills}"
    assert refused
