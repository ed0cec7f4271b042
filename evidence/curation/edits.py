"""``curate set``: one correction appended to the corrections file, old value filled in."""

from __future__ import annotations

from pathlib import Path

from evidence.curation.audit import append_corrections, now_iso
from evidence.curation.build import _Curator, _read_extracted
from evidence.curation.checks import value_problem
from evidence.curation.corrections import Correction, key_text
from evidence.curation.errors import CurationError, Problem
from evidence.curation.manual import ManualEntries, load_manual
from evidence.curation.tables import Key, Row


def base_tables(extracted_dir: str | Path, manual_path: str | Path | None = None) -> _Curator:
    """Extracted tables plus manual entries, before corrections (what ``old_value`` refers to)."""
    studies, arms, outcomes = _read_extracted(Path(extracted_dir))
    manual = load_manual(manual_path, {r["study_id"] for r in studies}) if manual_path else ManualEntries()
    return _Curator(studies + manual.studies, arms + manual.arms, outcomes + manual.outcomes)


def current_value(base: _Curator, key: Key) -> tuple[str, Row | None]:
    """The value of ``key`` in the base tables ('' when absent) and its row."""
    probe = Correction("", 0, *key, old_value="", new_value="", curator="", date="", reason="")
    rows, table = base._targets(probe)
    if len(rows) > 1:
        raise ValueError(f"{key_text(key)}: {len(rows)} rows of {table} share this key; "
                         "expected one (fix the extraction or the manual entries first)")
    if not rows:
        return "", None
    return rows[0].get("value" if probe.level == "outcome" else key[4], ""), rows[0]


def set_value(corrections: str | Path, key: Key, value: str, *, curator: str, reason: str,
              extracted_dir: str | Path | None = None, manual_path: str | Path | None = None,
              old_value: str | None = None, date: str | None = None, expect_sha256: str | None = None,
              **extra: str) -> Row:
    """Append one correction (atomically, with an audit-log line) and return the row written.

    ``old_value`` comes from the extracted tables when ``extracted_dir`` is given; otherwise it
    must be passed (empty = adding a value the extractor missed). ``expect_sha256``: the
    corrections-file version the edit was based on (a different one raises ``ConflictError``).
    """
    known = None
    scale = extra.get("scale", "")
    if extracted_dir is not None:
        base = base_tables(extracted_dir, manual_path)
        found, row = current_value(base, key)
        if old_value is not None and old_value != found:
            raise ValueError(f"{key_text(key)}: --old-value {old_value!r} differs from the extracted value "
                             f"{found!r}; expected them to agree (or leave --old-value out)")
        old_value = found
        scale = scale or (row or {}).get("scale", "")
        known = {r["study_id"] for r in base.studies}
    elif old_value is None:
        raise ValueError("the old value is unknown; expected --extracted DIR (to read it) or --old-value VALUE "
                         "(empty string when adding a missing value)")
    expected = value_problem(key[2], key[4], value, scale)
    if expected:
        raise CurationError([Problem("command line", 0, "VALUE", value, expected)])
    row = {"study_id": key[0], "arm_id": key[1], "outcome": key[2], "timepoint": key[3], "field": key[4],
           "old_value": old_value, "new_value": value, "curator": curator, "date": date or now_iso(),
           "reason": reason, **{k: v for k, v in extra.items() if v}}
    append_corrections(corrections, [row], action="set", who=curator, known_studies=known,
                       expect_sha256=expect_sha256)
    return row
