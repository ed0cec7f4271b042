"""Crash safety: SIGKILL during writes never leaves a half-written corrections file; audit log."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from curation_helpers import correction
from evidence.curation.atomic import atomic_write_text
from evidence.curation.audit import append_corrections, audit_notes, audit_path, reconcile, sha256
from evidence.curation.corrections import CORRECTION_COLUMNS, load_corrections
from evidence.curation.edits import set_value
from evidence.curation.errors import ConflictError, CurationError
from evidence.curation.tables import format_csv

ROOT = Path(__file__).resolve().parents[2]


def _content(n: int, tag: str) -> str:
    rows = [correction(tp=f"m{i + 1}", new=str(i % 10), reason=f"{tag} row {i} " + "x" * 60) for i in range(n)]
    return format_csv(CORRECTION_COLUMNS, rows)


REWRITER = """
import sys
from evidence.curation.atomic import atomic_write_text
path, a, b = sys.argv[1], open(sys.argv[2]).read(), open(sys.argv[3]).read()
i = 0
while True:
    atomic_write_text(path, b if i % 2 == 0 else a)
    if i == 0:
        print("ready", flush=True)
    i += 1
"""

APPENDER = """
import sys
from evidence.curation.audit import append_corrections
path, run = sys.argv[1], int(sys.argv[2])
i = 0
print("ready", flush=True)
while True:
    row = dict(study_id="cazzato2021", arm_id="all", outcome="pain", timepoint="m%d" % (1000 * run + i),
               field="mean", old_value="", new_value="1", curator="ana", date="2026-11-22",
               reason="run %d append %d" % (run, i))
    append_corrections(path, [row], action="set", who="ana")
    i += 1
"""


def _spawn(script: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE, env=env, cwd=ROOT)
    assert child.stdout.readline().strip() == b"ready"
    return child


def test_sigkill_while_rewriting_leaves_old_or_new_file(tmp_path):
    old, new = _content(4000, "old"), _content(4001, "new")  # ~0.5 MB each
    (tmp_path / "a.csv").write_text(old)
    (tmp_path / "b.csv").write_text(new)
    target = tmp_path / "corrections.csv"
    rng = random.Random(20261122)
    parsed: dict[str, int] = {}
    for _ in range(40):
        atomic_write_text(target, old)
        child = _spawn(REWRITER, str(target), str(tmp_path / "a.csv"), str(tmp_path / "b.csv"))
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL
        text = target.read_text()
        assert text in (old, new), "half-written corrections file after SIGKILL"
        if text not in parsed:  # identical bytes parse identically; validate each content once
            parsed[text] = len(load_corrections(target))
    assert set(parsed.values()) <= {4000, 4001}
    # orphaned temp files of killed writers are removed by the next locked write
    append_corrections(target, [correction(tp="m9999", date="2026-12-01")], action="set", who="ana")
    assert not list(tmp_path.glob(".corrections.csv.*.tmp"))


def test_sigkill_while_appending_keeps_a_valid_prefix(tmp_path):
    target = tmp_path / "corrections.csv"
    base = _content(300, "base")
    atomic_write_text(target, base)
    rng = random.Random(7)
    for run in range(1, 13):
        reconcile(target)  # a write whose audit line landed before the kill is completed first
        before = target.read_text()
        child = _spawn(APPENDER, str(target), str(run))
        # kill at a random moment after this run's first row landed (an append takes 0.2-0.5 s
        # on a loaded machine, so a fixed delay may kill every run before it wrote anything)
        deadline = time.monotonic() + 60
        while target.stat().st_size == len(before.encode()) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.5))
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert child.returncode == -signal.SIGKILL  # killed while still appending, not crashed
        assert target.read_text().startswith(before)  # the file itself: a valid prefix, never torn
        reconcile(target)
        text = target.read_text()
        assert text.startswith(before) and text.endswith("\n")
        rows = load_corrections(target)
        added = [tuple(map(int, r.reason.split()[1::2])) for r in rows[len(before.splitlines()) - 1:]]
        assert added == [(run, i) for i in range(len(added))]  # whole rows, in order, none lost
    assert len(load_corrections(target)) > 300


def test_append_is_append_only_and_audited(tmp_path):
    target = tmp_path / "corrections.csv"
    append_corrections(target, [correction()], action="set", who="ana")
    first = target.read_bytes()
    append_corrections(target, [correction(new="4", date="2026-11-21")], action="set", who="ben")
    second = target.read_bytes()
    assert second.startswith(first)
    entries = [json.loads(line) for line in audit_path(target).read_text().splitlines()]
    assert [e["who"] for e in entries] == ["ana", "ben"]
    assert entries[1]["previous_sha256"] == sha256(first) and entries[1]["sha256"] == sha256(second)
    assert entries[1]["rows"][0]["new_value"] == "4"
    assert audit_notes(target) == []
    target.write_bytes(second + b"cazzato2021,all,pain,m1,mean,,1,cy,2026-11-23,hand edit,,,,\n")
    assert "changed since the last logged write" in audit_notes(target)[0]


def test_same_key_same_date_supersedes_and_keeps_both(tmp_path):
    target = tmp_path / "corrections.csv"
    append_corrections(target, [correction()], action="set", who="ana")
    append_corrections(target, [correction(new="5")], action="set", who="ben")
    rows = load_corrections(target)
    assert [r.new_value for r in rows] == ["3", "5"] and rows[1].when > rows[0].when
    entries = [json.loads(line) for line in audit_path(target).read_text().splitlines()]
    assert entries[1]["supersedes"][0]["curator"] == rows[0].curator and entries[1]["supersedes"][0]["line"] == "2"


def test_stale_version_is_a_conflict_and_writes_nothing(tmp_path):
    target = tmp_path / "corrections.csv"
    append_corrections(target, [correction()], action="set", who="ana")
    seen = sha256(target.read_bytes())
    append_corrections(target, [correction(new="4", date="2026-11-21")], action="set", who="ben", expect_sha256=seen)
    before = target.read_bytes()
    with pytest.raises(ConflictError, match="changed since this page was loaded"):
        append_corrections(target, [correction(new="6", date="2026-11-22")], action="set", who="cy", expect_sha256=seen)
    assert target.read_bytes() == before and len(audit_path(target).read_text().splitlines()) == 2


def test_logged_write_killed_before_replace_is_rolled_forward(tmp_path):
    target = tmp_path / "corrections.csv"
    append_corrections(target, [correction()], action="set", who="ana")
    landed = target.read_bytes()
    append_corrections(target, [correction(new="4", date="2026-11-21")], action="set", who="ben")
    target.write_bytes(landed)  # as if killed after the audit line, before os.replace
    assert "interrupted before the file was replaced" in audit_notes(target)[0]
    reconcile(target)
    assert [r.new_value for r in load_corrections(target)] == ["3", "4"] and audit_notes(target) == []


def test_set_fills_old_value_from_extracted(extracted, tmp_path):
    target = tmp_path / "corrections.csv"
    row = set_value(target, ("tian2022", "psp_rfa", "pain", "m1", "mean"), "2.7", curator="ana",
                    reason="table 2", extracted_dir=extracted, source_address="tian2022.pdf p.4")
    assert (row["old_value"], row["new_value"]) == ("2.5", "2.7")
    [loaded] = load_corrections(target)
    assert (loaded.old_value, loaded.source_address, loaded.line) == ("2.5", "tian2022.pdf p.4", 2)
    with pytest.raises(CurationError, match=r"got '14'; expected a pain value in \[0, 10\] on scale VAS10"):
        set_value(target, ("tian2022", "psp_rfa", "pain", "m1", "mean"), "14", curator="ana", reason="x",
                  extracted_dir=extracted)
    with pytest.raises(CurationError, match=r"column 'study_id': got 'nobody2020'"):
        set_value(target, ("nobody2020", "all", "pain", "m1", "mean"), "2", curator="ana", reason="x",
                  extracted_dir=extracted)
    with pytest.raises(ValueError, match=r"expected --extracted DIR .* or --old-value"):
        set_value(target, ("tian2022", "psp_rfa", "pain", "m1", "mean"), "2", curator="ana", reason="x")


def test_sigkill_curate_set_every_landed_row_has_its_audit_line(tmp_path):
    """30 real ``python -m evidence curate set`` processes killed at random moments."""
    target = tmp_path / "corrections.csv"
    rng = random.Random(12)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    started = time.monotonic()  # one uninterrupted run sets the range of kill moments
    subprocess.run([sys.executable, "-m", "evidence", "curate", "set", "cazzato2021", "all", "pain", "m3", "mean",
                    "1", "--old-value", "", "--reason", "timing", "--curator", "ana", "--corrections", str(target)],
                   env=env, check=True, capture_output=True)
    span = time.monotonic() - started
    for i in range(30):
        child = subprocess.Popen(
            [sys.executable, "-m", "evidence", "curate", "set", "cazzato2021", "all", "pain", "m1", "mean",
             str(i % 10), "--old-value", "", "--reason", f"kill {i}", "--curator", "ana",
             "--corrections", str(target)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3 * span, 1.3 * span))
        child.kill()
        child.wait()
    reconcile(target)
    rows = load_corrections(target) if target.exists() else []
    logged = [json.loads(line) for line in audit_path(target).read_text().splitlines()] if rows else []
    logged_reasons = {r["reason"] for e in logged for r in e["rows"]}
    assert all(r.reason in logged_reasons for r in rows), "a landed row without its audit line"
    assert audit_notes(target) == []
    assert len(rows) > 1, "no write landed in 30 runs (kills too early to test anything)"
    assert len(rows) == len(logged)  # every logged write landed (rolled forward when killed)
