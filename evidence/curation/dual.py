"""Dual extraction: compare two sources field by field, then turn adjudications into corrections.

A source is a corrections file (its winning rows), a manual-entries file, an ``outcomes.tsv`` or a
folder of tables (``studies.tsv``, ``arms.tsv``, ``outcomes.tsv``, extracted or curated). A key that
a corrections file leaves alone has the base value: ``--extracted``, or the other source when that
is a table (extractor vs curator).
"""

from __future__ import annotations

from pathlib import Path

from evidence.curation.audit import append_corrections, now_iso
from evidence.curation.corrections import history, load_corrections
from evidence.curation.errors import CurationError, Problem
from evidence.curation.manual import load_manual
from evidence.curation.schemas import ARM_FIELDS, STUDY_FIELDS
from evidence.curation.tables import DELETE, KEY_COLUMNS, Key, Row, read_csv_rows, read_table, same_value, write_table

DISAGREEMENT_COLUMNS = KEY_COLUMNS + (
    "base_value", "value_a", "value_b", "source_a", "source_b", "reason_a", "reason_b",
    "adjudication", "adjudicated_value", "adjudicator", "adjudication_reason",
)
Values = dict[Key, dict[str, str]]


def _from_tables(studies: list[Row], arms: list[Row], outcomes: list[Row], label: str) -> Values:
    values: Values = {}
    for row in studies:
        for field in STUDY_FIELDS:
            values[(row["study_id"], "-", "study", "-", field)] = {"value": row.get(field, ""), "source": label}
    for row in arms:
        for field in ARM_FIELDS:
            values[(row["study_id"], row["arm_id"], "arm", "-", field)] = {"value": row.get(field, ""), "source": label}
    for row in outcomes:
        key = tuple(row[c] for c in KEY_COLUMNS)
        where = f"{row.get('source_file', '')} p.{row.get('page', '')}".strip() if row.get("page") else row.get("source_address", "")
        values[key] = {"value": row["value"], "source": where or label}  # type: ignore[index]
    return values


def load_values(path: str | Path) -> tuple[Values, bool]:
    """The values a source gives, and whether it is a corrections file (a partial source)."""
    source = Path(path)
    if source.is_dir():
        tables = [read_table(source / n, ("study_id",)) for n in ("studies.tsv", "arms.tsv", "outcomes.tsv")]
        return _from_tables(*tables, label=source.name), False
    if source.suffix == ".tsv":
        return _from_tables([], [], read_table(source, KEY_COLUMNS + ("value",)), source.name), False
    header = read_csv_rows(source)[0]
    if "new_value" in header:
        values: Values = {}
        for key, chain in history(load_corrections(source)).items():
            c = chain[-1]
            values[key] = {"value": "" if c.deletes else c.new_value, "old": c.old_value,
                           "source": f"{c.curator} ({c.place})", "reason": c.reason}
        return values, True
    if "include" in header:
        manual = load_manual(source)
        return _from_tables(manual.studies, manual.arms, manual.outcomes, source.name), False
    raise ValueError(f"{source}: not a corrections file, manual-entries file, outcomes.tsv or folder of tables")


def compare(a: str | Path, b: str | Path, out: str | Path, base: str | Path | None = None) -> tuple[int, int]:
    """Write the disagreements of ``a`` and ``b`` to ``out``; return (disagreements, keys compared)."""
    (va, partial_a), (vb, partial_b) = load_values(a), load_values(b)
    base_values = load_values(base)[0] if base else {}
    if partial_a and not base and not partial_b:
        base_values = vb
    if partial_b and not base and not partial_a:
        base_values = va
    rows = []
    keys = sorted(set(va) | set(vb))
    for key in keys:
        base_entry = base_values.get(key, {})
        ea = va.get(key) or (base_entry if partial_a else {})
        eb = vb.get(key) or (base_entry if partial_b else {})
        if same_value(ea.get("value", ""), eb.get("value", "")):
            continue
        base_value = base_entry.get("value", va.get(key, {}).get("old", vb.get(key, {}).get("old", "")))
        rows.append({**dict(zip(KEY_COLUMNS, key)), "base_value": base_value,
                     "value_a": ea.get("value", ""), "value_b": eb.get("value", ""),
                     "source_a": ea.get("source", "not reported"), "source_b": eb.get("source", "not reported"),
                     "reason_a": ea.get("reason", ""), "reason_b": eb.get("reason", "")})
    write_table(out, rows, list(DISAGREEMENT_COLUMNS))
    return len(rows), len(keys)


def adjudicate(disagreements: str | Path, out: str | Path, curator: str | None = None,
               allow_pending: bool = False, date: str | None = None,
               expect_sha256: str | None = None) -> list[Row]:
    """Append one correction per adjudicated disagreement (choice ``a``, ``b`` or ``custom``).

    A choice equal to ``base_value`` needs no correction and is skipped. Every problem (unknown
    choice, custom without value, no adjudicator, pending rows) is reported at once.
    ``expect_sha256``: the version of ``out`` the adjudication was based on (see ``append_corrections``).
    """
    name = str(disagreements)
    table = read_table(disagreements, DISAGREEMENT_COLUMNS)
    problems: list[Problem] = []
    rows: list[Row] = []
    for line, row in enumerate(table, start=2):
        choice = row["adjudication"].strip().lower()
        who = row["adjudicator"] or curator or ""
        if not choice:
            if not allow_pending:
                problems.append(Problem(name, line, "adjudication", "", "a, b or custom (or --allow-pending to skip)"))
            continue
        if choice not in ("a", "b", "custom"):
            problems.append(Problem(name, line, "adjudication", row["adjudication"], "one of ['a', 'b', 'custom']"))
            continue
        value = {"a": row["value_a"], "b": row["value_b"], "custom": row["adjudicated_value"]}[choice]
        if choice == "custom" and not value:
            problems.append(Problem(name, line, "adjudicated_value", "", "the value chosen (NA to delete it)"))
            continue
        if not who:
            problems.append(Problem(name, line, "adjudicator", "", "the adjudicator's name (or --curator)"))
            continue
        value = value or DELETE
        if same_value(value, row["base_value"]) or (value == DELETE and not row["base_value"]):
            continue
        reason = row["adjudication_reason"] or (f"dual extraction adjudicated: chose {choice} "
                                                f"(a={row['value_a']!r}, b={row['value_b']!r})")
        rows.append({**{c: row[c] for c in KEY_COLUMNS}, "old_value": row["base_value"], "new_value": value,
                     "curator": who, "date": date or now_iso(), "reason": reason})
    if problems:
        raise CurationError(problems, f"{name}: adjudication incomplete, nothing written")
    if rows:
        append_corrections(out, rows, action=f"adjudicate {Path(name).name}", who=curator or rows[0]["curator"],
                           expect_sha256=expect_sha256)
    return rows
