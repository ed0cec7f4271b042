"""xlsx round trip: export the curated tables for review, import edits as correction rows.

Layout (one long sheet per table, one value per row): a hidden ``row_id`` column, the five key
columns and ``value`` (locked), then ``new_value``, ``reason`` and ``source_address`` (unlocked, for
the curator), then context and provenance. A very hidden sheet ``_export`` keeps, per ``row_id``,
the key and the exported value, so import can tell an intended edit (a filled ``new_value``) from
an ambiguous one (an edited key or value cell, a duplicated row, a missing reason) and refuse it.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill, Protection

from evidence.curation.atomic import atomic_write_bytes
from evidence.curation.audit import append_corrections, now_iso
from evidence.curation.build import ARM_OUT, OUTCOME_OUT, STUDY_OUT
from evidence.curation.checks import value_problem
from evidence.curation.errors import AmbiguousEditError, CurationError, Problem
from evidence.curation.schemas import ARM_FIELDS, STUDY_FIELDS
from evidence.curation.tables import KEY_COLUMNS, Row, read_table, same_value

EDIT_COLUMNS = ("new_value", "reason", "source_address")
LEAD = ("row_id",) + KEY_COLUMNS + ("value",) + EDIT_COLUMNS
CONTEXT = {
    "outcomes": ("timepoint_label", "scale", "unit", "origin", "curator", "curated_at", "curation_reason",
                 "previous_source", "extracted_value", "source_file", "page", "excerpt"),
    "arms": ("label", "origin", "curator", "curated_at", "curation_reason", "previous_source", "source_file", "page", "excerpt"),
    "studies": ("citation", "origin", "curator", "curated_at", "curation_reason", "previous_source", "source_file"),
}
HELP = [
    "Review sheet made by `python -m evidence curate export`.",
    "To correct a value: type the new value in new_value (NA deletes it) and say why in reason;",
    "optionally say where you read it in source_address. Leave every other cell as it is.",
    "Key columns and value are locked; sorting and filtering are fine; do not copy rows.",
    "Then run: python -m evidence curate import THIS.xlsx --corrections config/corrections.csv --curator NAME",
    "A value the extractor missed entirely is added with `curate set` instead.",
]
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _long(rows: list[Row], level: str, fields: tuple[str, ...]) -> list[Row]:
    """Arm or study rows, one row per field."""
    out = []
    for row in rows:
        for field in fields:
            out.append({**row, "arm_id": row.get("arm_id", "-") if level == "arm" else "-",
                        "outcome": level, "timepoint": "-", "field": field, "value": row.get(field, ""),
                        "curation_reason": row.get("curation_reason") or (row.get("reason", "") if level == "arm" else "")})
    return out


def _cell(text: str) -> Any:
    return float(text) if _PLAIN_NUMBER.fullmatch(text or "") and "." in text else (
        int(text) if _PLAIN_NUMBER.fullmatch(text or "") else text)


def export_xlsx(curated_dir: str | Path, out: str | Path) -> int:
    """Write the review workbook; return the number of value rows."""
    folder = Path(curated_dir)
    outcomes = read_table(folder / "outcomes.tsv", OUTCOME_OUT[:10])
    for row in outcomes:
        row["curation_reason"] = row.get("reason", "")
    sheets = {
        "outcomes": outcomes,
        "arms": _long(read_table(folder / "arms.tsv", ARM_OUT[:6]), "arm", ARM_FIELDS),
        "studies": _long(read_table(folder / "studies.tsv", STUDY_OUT[:14]), "study", STUDY_FIELDS),
    }
    book = Workbook()
    help_sheet = book.active
    help_sheet.title = "how_to"
    for line in HELP:
        help_sheet.append([line])
    registry = book.create_sheet("_export")
    registry.append(["row_id", "sheet", *KEY_COLUMNS, "value"])
    count = 0
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        columns = LEAD + CONTEXT[name]
        sheet.append(list(columns))
        for row in rows:
            count += 1
            row_id = f"{name[0]}{count}"
            row["previous_source"] = row.get("source_address", "")
            values = {**row, "row_id": row_id, "new_value": "", "reason": "", "source_address": ""}
            sheet.append([_cell(values.get(c, "")) if c == "value" else values.get(c, "") for c in columns])
            registry.append([row_id, name, *(row[c] for c in KEY_COLUMNS), row.get("value", "")])
        _protect(sheet, columns, len(rows))
    registry.sheet_state = "veryHidden"
    buffer = BytesIO()
    book.save(buffer)
    atomic_write_bytes(out, buffer.getvalue())
    return count


def _protect(sheet: Any, columns: tuple[str, ...], n: int) -> None:
    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for cell in sheet[1]:
        cell.font = bold
    for index, column in enumerate(columns, start=1):
        if column in EDIT_COLUMNS:
            sheet.cell(row=1, column=index).fill = fill
            for r in range(2, n + 2):
                sheet.cell(row=r, column=index).protection = Protection(locked=False)
    sheet.protection.sheet = True
    sheet.protection.sort = False
    sheet.protection.autoFilter = False
    sheet.protection.formatColumns = False


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _open_workbook(path: str | Path) -> Any:
    """The workbook at ``path``; a CSV or any other non-xlsx file is a :class:`CurationError` naming it."""
    from zipfile import BadZipFile

    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError) as exc:
        found = "a CSV file" if Path(path).suffix.lower() == ".csv" else f"no xlsx workbook ({exc})"
        raise CurationError([Problem(str(path), 0, None, None,
                                     f"an .xlsx workbook written by `curate export`; found {found} (edit the "
                                     "exported workbook and save it as .xlsx, or add rows with `curate set`)")],
                            f"{path} cannot be imported") from None


def import_xlsx(path: str | Path, corrections: str | Path, *, curator: str, reason_column: str = "reason",
                date: str | None = None, dry_run: bool = False) -> list[Row]:
    """Turn filled ``new_value`` cells into correction rows and append them (all or nothing).

    Refuses, naming sheet, row and column: edited key or value cells, rows duplicated or added by
    hand, keys shared by several rows, edits without a reason, values out of range.
    """
    book = _open_workbook(path)
    name = Path(path).name
    if "_export" not in book.sheetnames:
        raise AmbiguousEditError([Problem(name, 0, None, None, "a workbook written by `curate export` "
                                          "(its hidden _export sheet is missing)")])
    registry: dict[str, dict[str, str]] = {}
    by_key: dict[tuple[str, ...], list[str]] = {}
    for values in book["_export"].iter_rows(min_row=2, values_only=True):
        entry = dict(zip(["row_id", "sheet", *KEY_COLUMNS, "value"], (_text(v) for v in values)))
        registry[entry["row_id"]] = entry
        by_key.setdefault(tuple(entry[c] for c in KEY_COLUMNS), []).append(entry["row_id"])
    problems: list[Problem] = []
    rows: list[Row] = []
    seen: dict[str, str] = {}
    when = date or now_iso()
    for sheet_name in ("outcomes", "arms", "studies"):
        if sheet_name not in book.sheetnames:
            continue
        sheet = book[sheet_name]
        place = f"{name}[{sheet_name}]"
        header = [_text(c.value) for c in sheet[1]]
        missing = [c for c in LEAD[:-2] + (reason_column,) if c not in header]
        if missing:
            problems.append(Problem(place, 1, None, None, f"columns {missing} in the header row (as exported)"))
            continue
        for r, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            cell = {h: _text(v) for h, v in zip(header, cells)}
            found, row = _edit(place, r, cell, registry, by_key, seen, reason_column)
            problems += found
            if row and not found:
                rows.append({**row, "curator": curator, "date": when})
    if problems:
        raise AmbiguousEditError(problems, f"{name}: edits refused, nothing imported")
    if rows and not dry_run:
        append_corrections(corrections, rows, action=f"import {name}", who=curator)
    return rows


def _edit(place: str, r: int, cell: dict[str, str], registry: dict, by_key: dict, seen: dict,
          reason_column: str) -> tuple[list[Problem], Row | None]:
    row_id, new = cell.get("row_id", ""), cell.get("new_value", "")
    if not row_id:
        if new:
            return [Problem(place, r, "row_id", "", "a row exported by `curate export`; this row was added "
                            "by hand (add a missing value with `curate set`)")], None
        return [], None
    entry = registry.get(row_id)
    if entry is None:
        return [Problem(place, r, "row_id", row_id, "a row id written by `curate export` (hidden column A)")], None
    if row_id in seen:
        return [Problem(place, r, None, None, f"each exported row once; this row duplicates row {seen[row_id]} "
                        f"(key {'/'.join(entry[c] for c in KEY_COLUMNS)})")], None
    seen[row_id] = str(r)
    problems = [Problem(place, r, c, cell.get(c, ""), f"the exported key {entry[c]!r} (key columns are locked; "
                        "to move a value, correct the old key to NA and add the new one with `curate set`)")
                for c in KEY_COLUMNS if cell.get(c, "") != entry[c]]
    if not same_value(cell.get("value", ""), entry["value"]):
        problems.append(Problem(place, r, "value", cell.get("value", ""),
                                f"the exported value {entry['value']!r}; type the corrected value into new_value"))
    if problems or not new:
        return problems, None
    key = tuple(entry[c] for c in KEY_COLUMNS)
    if len(by_key[key]) > 1:
        return [Problem(place, r, "new_value", new, f"a key held by one row; {'/'.join(key)} is on "
                        f"{len(by_key[key])} exported rows, so a correction cannot tell them apart")], None
    reason = cell.get(reason_column, "")
    if not reason:
        return [Problem(place, r, reason_column, "", "a reason for the new value")], None
    if same_value(new, entry["value"]):
        return [], None  # nothing changes
    scale = cell.get("scale", "")
    expected = value_problem(key[2], key[4], new, scale)
    if expected:
        return [Problem(place, r, "new_value", new, expected)], None
    return [], {**dict(zip(KEY_COLUMNS, key)), "old_value": entry["value"], "new_value": new,
                "reason": reason, "source_address": cell.get("source_address", "")}
