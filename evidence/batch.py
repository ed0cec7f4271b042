"""Run groups of toolkit commands in one process: ``python -m evidence.batch [--jobs N] GROUPS``.

The workflow's per-analysis steps (pool, sensitivity, four plots) used to be six processes per
analysis, each paying 2-3 s of start-up (pandas, scipy, matplotlib) for well under a second of
work. Here every step is still a command of its own (``evidence ...`` or ``figures ...``, the same
arguments, its output in the group's log), but the imports are paid once and the groups run on
``--jobs`` forked workers.

A group whose inputs did not change is not run again: its key is a digest of its steps, of the
toolkit's code and of the content of its inputs (for a shared table, only its header and the rows
whose ``column`` is ``value``); when it equals the key of the last success, the outputs kept
from that run are copied back with its log (Snakemake removes a job's outputs before running it),
so a curator's correction that changes one analysis redraws that analysis, not all of them, and
the results folder holds the same bytes either way. Which groups ran is in ``STATE/last_run.tsv``.
The keys are computed before anything heavy is imported: when every group is unchanged the run
costs no pandas, scipy or matplotlib start-up; one group left to run runs in this process, several
on forked workers that share the imports their steps need.

GROUPS is JSON (inline or ``@file``): a list of objects with ``name``, ``log``, ``steps`` (lists of
arguments; the first is ``evidence`` or ``figures``), ``outputs``, ``inputs`` and optionally
``slices`` (``{path: [column, value]}``) and ``after`` (true: the group reads what the others
write, so it runs, or is restored, once they have all succeeded, in the order listed; the
workflow's GRADE table and summary of findings).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

PACKAGES = ("evidence", "figures")
CODE = (*PACKAGES, "vocab")
"""The packages whose sources are part of every key (``vocab``: the vocabulary the steps use)."""
STATE = ".batch"


def code_digest() -> str:
    """Digest of the toolkit's Python sources (a new version re-runs every group)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for pkg in CODE:
        for path in sorted((root / pkg).rglob("*.py")):
            h.update(str(path.relative_to(root)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _slice_digest(path: Path, column: str, value: str) -> bytes:
    """Header and the rows of a TSV whose ``column`` equals ``value`` (in file order)."""
    h = hashlib.sha256()
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader, [])
        h.update(repr(header).encode())
        if column not in header:  # nothing to slice on: the whole file counts
            for row in reader:
                h.update(repr(row).encode())
            return h.digest()
        i = header.index(column)
        for row in reader:
            if len(row) > i and row[i] == value:
                h.update(repr(row).encode())
    return h.digest()


def group_key(group: dict[str, Any], code: str) -> str:
    h = hashlib.sha256(code.encode())
    h.update(json.dumps(group["steps"]).encode())
    slices = group.get("slices", {})
    for name in sorted(group.get("inputs", [])):
        path = Path(name)
        h.update(name.encode())
        if not path.exists():
            h.update(b"<missing>")
        elif name in slices:
            h.update(_slice_digest(path, *slices[name]))
        else:
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _stash(state: Path, name: str) -> Path:
    return state / name


def _restore(group: dict[str, Any], state: Path, key: str) -> bool:
    """Copy the outputs kept at the last success back (Snakemake removes a job's outputs before
    running it) when the key is unchanged; False when anything is missing."""
    stash = _stash(state, group["name"])
    try:
        if (stash / "key").read_text() != key:
            return False
    except OSError:
        return False
    kept = [stash / str(i) for i in range(len(group.get("outputs", [])))]
    if not all(k.is_file() for k in [*kept, stash / "log"]):
        return False
    for k, out in [*zip(kept, group["outputs"]), (stash / "log", group["log"])]:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(k, out)
    return True


def _keep(group: dict[str, Any], state: Path, key: str) -> None:
    """Keep a copy of the outputs and the key they were made from (key written last)."""
    stash = _stash(state, group["name"])
    (stash / "key").unlink(missing_ok=True)
    stash.mkdir(parents=True, exist_ok=True)
    for i, out in enumerate(group.get("outputs", [])):
        if Path(out).is_file():
            shutil.copyfile(out, stash / str(i))
    shutil.copyfile(group["log"], stash / "log")  # restored with the outputs: the same bytes
    fd, tmp = tempfile.mkstemp(dir=stash, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    os.replace(tmp, stash / "key")


def _run_step(argv: list[str]) -> int:
    package, args = argv[0], argv[1:]
    if package not in PACKAGES:
        print(f"error: a step must start with one of {PACKAGES}, got {package!r}", file=sys.stderr)
        return 2
    if package == "evidence":
        from evidence.cli import main
    else:
        from figures.cli import main
    try:
        return int(main(args) or 0)
    except SystemExit as exc:  # argparse errors
        return exc.code if isinstance(exc.code, int) else 1


def run_group(group: dict[str, Any], state: Path, code: str, key: str | None = None) -> tuple[str, int, str]:
    """Run (or skip) one group with stdout and stderr going to its log; (name, status, note)."""
    name = group["name"]
    key = group_key(group, code) if key is None else key
    Path(group["log"]).parent.mkdir(parents=True, exist_ok=True)
    if _restore(group, state, key):  # outputs and log as that run wrote them
        return name, 0, "unchanged"
    return _execute(group, state, key)


def _execute(group: dict[str, Any], state: Path, key: str) -> tuple[str, int, str]:
    """Run every step of one group, its output in the group's log; keep its outputs on success."""
    name = group["name"]
    Path(group["log"]).parent.mkdir(parents=True, exist_ok=True)
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(group["log"], "w", encoding="utf-8") as log:
        os.dup2(log.fileno(), 1)  # output of C code and subprocesses
        os.dup2(log.fileno(), 2)
        try:
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                for step in group["steps"]:
                    print("$ " + " ".join(step), flush=True)
                    status = _run_step(step)
                    log.flush()
                    if status:
                        return name, status, f"step failed: {' '.join(step[:2])} (exit {status}); see {group['log']}"
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
    _keep(group, state, key)
    return name, 0, "ran"


def _worker(args: tuple[dict[str, Any], Path, str]) -> tuple[str, int, str]:
    group, state, key = args
    return _execute(group, state, key)


def _warm_up(groups: list[dict[str, Any]]) -> None:
    """Import what the steps of ``groups`` need once, before forking (the workers share it)."""
    steps = [step for g in groups for step in g["steps"]]
    import pandas  # noqa: F401

    import evidence.cli  # noqa: F401

    if any(s[:2] in (["evidence", "pool-outcome"], ["evidence", "sensitivity"]) for s in steps):
        import evidence.pooling  # noqa: F401  (scipy.stats: the slowest import of all)
        import evidence.sensitivity  # noqa: F401
    if any(s[0] == "figures" for s in steps):
        import matplotlib

        matplotlib.use("Agg")
        import figures.cli  # noqa: F401
        import figures.forest  # noqa: F401
        import figures.funnel  # noqa: F401
        import figures.io  # noqa: F401


def run_groups(groups: list[dict[str, Any]], state: Path, code: str, jobs: int = 1) -> list[tuple[str, int, str]]:
    """Restore every unchanged group, then run the others: in this process when one is left (or
    ``jobs`` is 1), else on ``jobs`` forked workers after importing what their steps need. Nothing
    heavy is imported when every group is unchanged. Results in the order of ``groups``."""
    results: dict[str, tuple[str, int, str]] = {}
    todo: list[tuple[dict[str, Any], Path, str]] = []
    for group in groups:
        key = group_key(group, code)
        Path(group["log"]).parent.mkdir(parents=True, exist_ok=True)
        if _restore(group, state, key):
            results[group["name"]] = (group["name"], 0, "unchanged")
        else:
            todo.append((group, state, key))
    if jobs > 1 and len(todo) > 1:
        import multiprocessing as mp

        _warm_up([g for g, _, _ in todo])
        with mp.get_context("fork").Pool(min(jobs, len(todo))) as pool:
            done = pool.map(_worker, todo, chunksize=1)
    else:
        done = [_worker(w) for w in todo]
    results.update((r[0], r) for r in done)
    return [results[g["name"]] for g in groups]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m evidence.batch", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("groups", help="JSON list of groups, or @FILE holding it")
    ap.add_argument("--jobs", type=int, default=1, help="groups run at once (forked workers)")
    ap.add_argument("--state", default=STATE, help=f"folder of the keys and kept outputs (default {STATE})")
    args = ap.parse_args(argv)
    text = Path(args.groups[1:]).read_text() if args.groups.startswith("@") else args.groups
    groups = json.loads(text)
    names = [g["name"] for g in groups]
    if len(set(names)) != len(names):
        print("error: group names must be unique", file=sys.stderr)
        return 2
    os.environ.setdefault("MPLBACKEND", "Agg")  # before any step imports matplotlib
    state, code = Path(args.state), code_digest()
    first = [g for g in groups if not g.get("after")]
    results = run_groups(first, state, code, args.jobs)
    failed_first = any(status for _, status, _ in results)
    for group in (g for g in groups if g.get("after")):  # in order, each after those before it
        if failed_first:
            results.append((group["name"], 1, "not run: a group it reads from failed"))
        else:
            results.append(run_group(group, state, code))
            failed_first = failed_first or bool(results[-1][1])
    order = {name: i for i, name in enumerate(names)}
    results.sort(key=lambda r: order[r[0]])
    failed = 0
    for name, status, note in results:
        print(f"{name}: {'done' if status == 0 else 'failed'}")
        if status:
            failed += 1
            print(f"error: {name}: {note}", file=sys.stderr)
    _write_last_run(state, results)
    return 1 if failed else 0


def _write_last_run(state: Path, results: list[tuple[str, int, str]]) -> None:
    """Which groups ran and which were restored, in the state folder (``last_run.tsv``): the job's
    log says only done/failed, so a run that restored outputs writes the same bytes as one that
    drew them."""
    state.mkdir(parents=True, exist_ok=True)
    lines = ["group\tstatus\n"] + [f"{name}\t{note}\n" for name, _, note in results]
    fd, tmp = tempfile.mkstemp(dir=state, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.writelines(lines)
    os.replace(tmp, state / "last_run.tsv")


def last_run(state: str | Path = STATE) -> dict[str, str]:
    """``{group: 'ran' | 'unchanged' | failure note}`` of the last batch run in ``state``."""
    with open(Path(state) / "last_run.tsv", encoding="utf-8", newline="") as fh:
        return {r["group"]: r["status"] for r in csv.DictReader(fh, delimiter="\t")}


if __name__ == "__main__":
    raise SystemExit(main())
