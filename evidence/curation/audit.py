"""Append-only writes to a corrections file, with a JSON-lines audit log next to it.

Every append runs under a lock: read the whole file, add the rows, validate the result, write a
temp file, fsync, ``os.replace``. Then one line is appended to ``<corrections>.audit.log``:
who, when, what, and the sha256 of the file before and after.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from evidence.curation.atomic import append_line, atomic_write_bytes, locked
from evidence.curation.corrections import CORRECTION_COLUMNS, load_corrections
from evidence.curation.tables import Row, format_csv, read_csv_rows


def audit_path(path: str | Path) -> Path:
    return Path(f"{path}.audit.log")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def now_iso() -> str:
    """The current UTC time, ISO 8601 to the second (``2026-11-22T14:05:00Z``)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _new_content(before: str, rows: list[Row]) -> str:
    """``before`` + rows; the header gains optional columns only when a row needs them."""
    if not before.strip():
        return format_csv(CORRECTION_COLUMNS, rows)
    header, old_rows, _ = read_csv_rows("corrections", before)
    needed = [c for c in CORRECTION_COLUMNS if c not in header and any(r.get(c) for r in rows)]
    if needed:  # re-serialise with a wider header; every existing value is kept
        columns = header + needed
        return format_csv(columns, [r for _, r in old_rows] + rows)
    body = format_csv(header, rows).split("\n", 1)[1]
    return before + ("" if before.endswith("\n") else "\n") + body


def append_corrections(path: str | Path, rows: list[Row], action: str, who: str,
                       known_studies: set[str] | None = None) -> str:
    """Append ``rows`` to the corrections file atomically and log it; return the new sha256.

    The whole resulting file is validated first; nothing is written if it is invalid.
    """
    target = Path(path)
    with locked(target):
        before = target.read_bytes() if target.exists() else b""
        text = _new_content(before.decode("utf-8-sig"), rows)
        load_corrections(target, known_studies, text=text)
        data = text.encode("utf-8")
        atomic_write_bytes(target, data)
        entry = {"time": now_iso(), "who": who, "user": _user(), "action": action, "file": str(target),
                 "rows": rows, "previous_sha256": sha256(before), "sha256": sha256(data)}
        append_line(audit_path(target), json.dumps(entry, ensure_ascii=False, sort_keys=True))
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
    last = None
    for line in log.read_text(encoding="utf-8").splitlines():
        try:
            last = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short by a killed process
    if last and last.get("sha256") != sha256(target.read_bytes()):
        return [f"{target}: changed since the last logged write ({last.get('time')}, {last.get('action')} "
                f"by {last.get('who')}); hand edits are allowed but are not in {log.name}"]
    return []
