"""Append-only writes to a corrections file, with a JSON-lines audit log that is its journal.

Every append runs under a lock: read the whole file, add the rows, validate the result. The audit
line (who, when, what, sha256 before and after) is appended and fsynced FIRST; only then is the
file replaced atomically. A process killed between the two leaves a logged write that has not
landed; the next locked write (or :func:`reconcile`) rolls it forward from the log, so every
landed row has its audit line and no logged edit is lost. Same-key writes are serialised by the
lock; a write whose key and date equal an earlier row's is dated a microsecond later and its
audit line names the rows it supersedes (both rows are kept).
"""

from __future__ import annotations

import getpass
import hashlib
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from evidence.curation import csvio
from evidence.curation.atomic import append_line, atomic_write_bytes, locked
from evidence.curation.corrections import CORRECTION_COLUMNS, load_corrections, parse_date
from evidence.curation.errors import ConflictError, CurationError
from evidence.curation.tables import Row, format_csv, read_csv_rows


def audit_path(path: str | Path) -> Path:
    return Path(f"{path}.audit.log")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second (``2026-11-22T14:05:00Z``)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _new_content(before: str, rows: list[Row], dialect: csvio.Dialect = csvio.DEFAULT) -> str:
    """``before`` + rows; the header gains optional columns only when a row needs them."""
    if not before.strip():
        return format_csv(CORRECTION_COLUMNS, rows, dialect)
    header, old_rows, _ = read_csv_rows("corrections", before)
    needed = [c for c in CORRECTION_COLUMNS if c not in header and any(r.get(c) for r in rows)]
    if needed:  # re-serialise with a wider header; every existing value is kept
        columns = header + needed
        return format_csv(columns, [r for _, r in old_rows] + rows, dialect)
    body = format_csv(header, rows, dialect).split("\n", 1)[1]
    return before + ("" if before.endswith("\n") else dialect.newline) + body


def _decoded(target: Path, before: bytes) -> csvio.CsvText:
    """The current file decoded (its dialect is kept on write); a file csvio refuses raises."""
    if not before.strip():
        return csvio.CsvText("", csvio.DEFAULT)
    found = csvio.decode(str(target), before)
    if found.problems:
        raise CurationError(list(found.problems), f"{target} cannot be appended to")
    return found


def _entries(log: Path) -> list[dict]:
    out = []
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut short by a killed process (its write never landed)
    return out


def _roll_forward(target: Path, before: bytes) -> bytes:
    """Complete a logged write that was killed before its file replace; return the file's bytes."""
    entries = [e for e in _entries(audit_path(target)) if "sha256" in e]
    if not entries:
        return before
    last = entries[-1]
    if last["sha256"] == sha256(before) or last.get("previous_sha256") != sha256(before):
        return before  # landed, or the file was edited by hand since (audit_notes reports that)
    try:
        found = _decoded(target, before)
    except CurationError:
        return before
    data = csvio.encode(_new_content(found.text, last["rows"], found.dialect), found.dialect)
    if sha256(data) != last["sha256"]:
        return before
    atomic_write_bytes(target, data)
    return data


def reconcile(path: str | Path) -> None:
    """Roll forward a logged write whose process was killed before the file was replaced."""
    target = Path(path)
    if audit_path(target).exists():
        with locked(target):
            _roll_forward(target, target.read_bytes() if target.exists() else b"")


def version(path: str | Path) -> str:
    """The sha256 of the corrections file after reconciling (what a form is based on)."""
    reconcile(path)
    target = Path(path)
    return sha256(target.read_bytes() if target.exists() else b"")


def _supersede(before: str, rows: list[Row]) -> list[dict[str, str]]:
    """Date each row after any same-key row with the same date; return the rows superseded."""
    if not before.strip():
        return []
    _, old_rows, _ = read_csv_rows("corrections", before)
    superseded = []
    for row in rows:
        key = tuple(row.get(c, "") for c in ("study_id", "arm_id", "outcome", "timepoint", "field"))
        same = [(line, r) for line, r in old_rows
                if tuple(r.get(c, "") for c in ("study_id", "arm_id", "outcome", "timepoint", "field")) == key]
        if not same:
            continue
        latest = max((parse_date(r.get("date", "")) for _, r in same if parse_date(r.get("date", ""))), default=None)
        mine = parse_date(row.get("date", ""))
        if latest is not None and mine is not None and mine <= latest:
            later = latest + timedelta(microseconds=1)
            row["date"] = later.isoformat(timespec="microseconds").replace("+00:00", "Z")
        superseded += [{"line": str(line), "curator": r.get("curator", ""), "date": r.get("date", ""),
                        "new_value": r.get("new_value", "")} for line, r in same]
    return superseded


def append_corrections(path: str | Path, rows: list[Row], action: str, who: str,
                       known_studies: set[str] | None = None, expect_sha256: str | None = None) -> str:
    """Append ``rows`` to the corrections file atomically and log it; return the new sha256.

    The whole resulting file is validated first; nothing is written if it is invalid.
    ``expect_sha256``: the version the edit was based on; a different file raises
    :class:`ConflictError` (a stale form never overwrites a newer edit).
    """
    target = Path(path)
    with locked(target):
        before = _roll_forward(target, target.read_bytes() if target.exists() else b"")
        if expect_sha256 is not None and expect_sha256 != sha256(before):
            raise ConflictError(str(target), expect_sha256, sha256(before))
        rows = [dict(r) for r in rows]
        found = _decoded(target, before)
        superseded = _supersede(found.text, rows)
        text = _new_content(found.text, rows, found.dialect)
        load_corrections(target, known_studies, text=text)
        data = csvio.encode(text, found.dialect)
        entry = {"time": now_iso(), "who": who, "user": _user(), "action": action, "file": str(target),
                 "rows": rows, "previous_sha256": sha256(before), "sha256": sha256(data)}
        if superseded:
            entry["supersedes"] = superseded
        append_line(audit_path(target), json.dumps(entry, ensure_ascii=False, sort_keys=True))
        atomic_write_bytes(target, data)
    return entry["sha256"]


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return ""


def audit_notes(path: str | Path) -> list[str]:
    """Notes on the audit trail: a file changed after its last logged write (a hand edit)."""
    target, log = Path(path), audit_path(path)
    if not log.exists() or not target.exists():
        return []
    entries = [e for e in _entries(log) if "sha256" in e]
    last = entries[-1] if entries else None
    now = sha256(target.read_bytes())
    if last and last.get("sha256") != now:
        if last.get("previous_sha256") == now:
            return [f"{target}: the last logged write ({last.get('time')}, {last.get('action')} by "
                    f"{last.get('who')}) was interrupted before the file was replaced; the next write "
                    "(or any curation page load) completes it from the log"]
        return [f"{target}: changed since the last logged write ({last.get('time')}, {last.get('action')} "
                f"by {last.get('who')}); hand edits are allowed but are not in {log.name}"]
    return []
