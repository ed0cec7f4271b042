"""``python -m evidence.batch``: groups of real toolkit commands in one process; a group whose
inputs (its slice of a shared table) did not change gets its last outputs back instead of a re-run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evidence import batch

COLUMNS = ["analysis", "outcome", "measure", "study_id", "arm_id", "slab", "treatment_class", "xi", "ni", "include"]


def _effects(path: Path, events_b: int) -> None:
    rows = []
    for analysis, events in (("alpha", (3, 5, 8)), ("beta", (events_b, 4, 6))):
        for i, xi in enumerate(events):
            rows.append([analysis, analysis, "PLO", f"s{i}", "all", f"Study {i}", "ablation", str(xi), "20", "True"])
    path.write_text("\n".join("\t".join(r) for r in [COLUMNS, *rows]) + "\n")


def _groups() -> list[dict]:
    out = []
    for a in ("alpha", "beta"):
        out.append({
            "name": a, "log": f"logs/{a}.log",
            "steps": [["evidence", "pool-outcome", "--effects", "effects.tsv", "--analysis", a,
                       "--out-table", f"pooled/{a}.tsv", "--out-json", f"pooled/{a}.json"]],
            "inputs": ["effects.tsv"], "slices": {"effects.tsv": ["analysis", a]},
            "outputs": [f"pooled/{a}.tsv", f"pooled/{a}.json"],
        })
    return out


def _run(capsys: pytest.CaptureFixture[str], groups: list[dict]) -> tuple[int, str]:
    Path("groups.json").write_text(json.dumps(groups))
    status = batch.main(["@groups.json", "--state", "state"])
    return status, capsys.readouterr().out


def test_only_the_group_whose_rows_changed_runs_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    _effects(tmp_path / "effects.tsv", events_b=2)
    status, out = _run(capsys, _groups())
    assert status == 0 and batch.last_run("state") == {"alpha": "ran", "beta": "ran"}
    first = {a: Path(f"pooled/{a}.tsv").read_text() for a in ("alpha", "beta")}
    assert "Study 1" in first["alpha"] and "pool-outcome" in Path("logs/alpha.log").read_text()

    _effects(tmp_path / "effects.tsv", events_b=7)  # one row of beta changes
    for a in ("alpha", "beta"):  # Snakemake removes a job's outputs before running it
        for p in Path("pooled").glob(f"{a}.*"):
            p.unlink()
    status, out = _run(capsys, _groups())
    assert status == 0 and batch.last_run("state") == {"alpha": "unchanged", "beta": "ran"}
    assert "alpha: done" in out and "beta: done" in out  # the log does not depend on the cache
    assert Path("pooled/alpha.tsv").read_text() == first["alpha"]
    assert Path("pooled/beta.tsv").read_text() != first["beta"]

    changed = _groups()
    changed[0]["steps"][0] += ["--method", "DL"]  # a changed step runs again too
    status, out = _run(capsys, changed)
    assert batch.last_run("state") == {"alpha": "ran", "beta": "unchanged"}


def test_a_failing_step_fails_the_run_and_names_its_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    _effects(tmp_path / "effects.tsv", events_b=2)
    groups = _groups()
    groups[1]["steps"][0][groups[1]["steps"][0].index("beta")] = "gamma"  # no such analysis
    Path("groups.json").write_text(json.dumps(groups))
    status = batch.main(["@groups.json", "--state", "state"])
    captured = capsys.readouterr()
    assert status == 1
    assert "beta: step failed: evidence pool-outcome" in captured.err and "logs/beta.log" in captured.err
    assert "gamma" in Path("logs/beta.log").read_text()
    assert not (tmp_path / "state" / "beta" / "key").exists()


def _after_group() -> dict:
    """A group that reads what the others write (as the workflow's GRADE table does)."""
    return {"name": "_both", "after": True, "log": "logs/both.log",
            "steps": [["evidence", "pool-outcome", "--effects", "effects.tsv", "--analysis", "alpha",
                       "--out-table", "both/alpha.tsv", "--out-json", "both/alpha.json"]],
            "inputs": ["pooled/alpha.tsv", "pooled/beta.tsv"], "outputs": ["both/alpha.tsv", "both/alpha.json"]}


def test_an_after_group_runs_once_the_others_succeeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    _effects(tmp_path / "effects.tsv", events_b=2)
    groups = [_after_group(), *_groups()]  # listed first, still run after the others
    status, out = _run(capsys, groups)
    assert status == 0 and batch.last_run("state") == {"_both": "ran", "alpha": "ran", "beta": "ran"}
    assert out.splitlines() == ["_both: done", "alpha: done", "beta: done"]  # reported in the listed order
    kept = Path("both/alpha.tsv").read_text()

    Path("both/alpha.tsv").unlink()  # Snakemake removes a job's outputs before running it
    status, out = _run(capsys, groups)  # nothing changed: all restored, the after group too
    assert status == 0 and set(batch.last_run("state").values()) == {"unchanged"}
    assert Path("both/alpha.tsv").read_text() == kept

    _effects(tmp_path / "effects.tsv", events_b=7)  # beta's pooled table changes: the after group reads it
    status, out = _run(capsys, groups)
    assert batch.last_run("state") == {"_both": "ran", "alpha": "unchanged", "beta": "ran"}

    broken = [_after_group(), *_groups()]
    broken[2]["steps"][0][broken[2]["steps"][0].index("beta")] = "gamma"  # beta fails
    status, out = _run(capsys, broken)
    ran = batch.last_run("state")
    assert status == 1 and ran["_both"].startswith("not run") and ran["beta"].startswith("step failed")


def test_unchanged_groups_import_nothing_heavy(tmp_path: Path) -> None:
    """A re-run in which every group is unchanged (a correction that moves no pooled number) costs
    no pandas, scipy or matplotlib start-up; one that runs a group imports them."""
    import subprocess
    import sys

    _effects(tmp_path / "effects.tsv", events_b=2)
    groups = _groups()
    groups[0]["steps"].append(["figures", "forest", "--pooled", "pooled/alpha.tsv", "--out", "figures/forest_alpha"])
    groups[0]["outputs"] += [f"figures/forest_alpha.{ext}" for ext in ("svg", "pdf", "png")]
    (tmp_path / "groups.json").write_text(json.dumps(groups))
    probe = ("import sys; from evidence import batch; status = batch.main(['@groups.json', '--state', 'state', '--jobs', '2']); "
             "print(status, *(m in sys.modules for m in ('pandas', 'scipy.stats', 'matplotlib')))")
    root = Path(__file__).resolve().parents[2]

    def run() -> list[str]:
        done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                              env={"PYTHONPATH": str(root), "MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"})
        assert done.returncode == 0, done.stderr
        return done.stdout.split()[-4:]

    assert run() == ["0", "True", "True", "True"]  # both groups ran (forked workers, imports shared)
    assert run() == ["0", "False", "False", "False"]  # both restored
    assert (tmp_path / "figures/forest_alpha.png").stat().st_size > 1000
