"""Manual entries: values of studies without a PDF, one value per row, with source and excerpt.

Rows with ``include = no`` are kept out of the curated tables but never lost: they go to
``excluded_values.tsv`` with their reason. A study is included when any of its rows is.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from evidence import vocabulary as V
from evidence.curation.checks import parse_date, value_problem
from evidence.curation.errors import CurationError, Problem
from evidence.curation.schemas import MANUAL_OPTIONAL, MANUAL_REQUIRED, row_problems, validator
from evidence.curation.tables import Row, check_header, read_csv_rows

STUDY_LEVEL = ("citation", "doi", "design", "document_type", "duplicate_of", "year")
ARM_LEVEL = ("arm_label", "treatment_class", "n_patients", "n_lesions")
EXCLUDED_COLUMNS = ("file", "line", "study_id", "arm_id", "outcome", "timepoint", "timepoint_label",
                    "field", "value", "exclusion_reason", "curator", "date", "source_address")


@dataclass
class ManualEntries:
    """Curated-table rows made from a manual-entries file (``_place`` keys hold file:line)."""

    studies: list[Row] = field(default_factory=list)
    arms: list[Row] = field(default_factory=list)
    outcomes: list[Row] = field(default_factory=list)
    excluded: list[Row] = field(default_factory=list)

    @property
    def study_ids(self) -> set[str]:
        return {r["study_id"] for r in self.studies}


def _joined(values: list[str]) -> str:
    return "; ".join(dict.fromkeys(v for v in values if v))


def _consistency(name: str, groups: dict[tuple[str, ...], list[tuple[int, Row]]],
                 columns: tuple[str, ...], what: str) -> list[Problem]:
    problems = []
    for rows in groups.values():
        for column in columns:
            hint = "; give a count that differs by outcome as field 'n' of the outcome" if column.startswith("n_") else ""
            first: tuple[int, str] | None = None
            for line, row in rows:
                value = row.get(column, "")
                if not value:
                    continue
                if first is None:
                    first = (line, value)
                elif value != first[1]:
                    problems.append(Problem(name, line, column, value,
                                            f"the same {column} for every row of the {what} "
                                            f"(line {first[0]} has {first[1]!r}){hint}"))
    return problems


def _row_checks(name: str, line: int, row: Row) -> list[Problem]:
    problems = []
    if parse_date(row["date"]) is None:
        problems.append(Problem(name, line, "date", row["date"], "a real calendar date/time in ISO 8601"))
    if row["outcome"]:
        try:
            row["timepoint"], days = V.timepoint_key(row["timepoint_label"])
            row["timepoint_days"] = "" if days is None else f"{days:g}"
        except ValueError as exc:
            problems.append(Problem(name, line, "timepoint_label", row["timepoint_label"],
                                    "a recognised time point: " + str(exc).split("; expected ")[-1]))
        expected = value_problem(row["outcome"], row["field"], row["value"], row["scale"],
                                 row.get("contrast", ""))
        if expected:
            problems.append(Problem(name, line, "value", row["value"], expected))
    if row.get("comparator") and row.get("contrast", "") not in ("difference", "change_difference"):
        problems.append(Problem(name, line, "comparator", row["comparator"],
                                "empty unless contrast is 'difference' or 'change_difference'"))
    elif row.get("comparator") and row["comparator"] == row["arm_id"]:
        problems.append(Problem(name, line, "comparator", row["comparator"],
                                f"another arm than the row's own arm {row['arm_id']!r}"))
    return problems


def _comparator_problems(name: str, good: list[tuple[int, Row]]) -> list[Problem]:
    """A difference's comparator must be an arm of the same study in the file."""
    arms: dict[str, set[str]] = defaultdict(set)
    for _, row in good:
        arms[row["study_id"]].add(row["arm_id"])
    return [Problem(name, line, "comparator", row["comparator"],
                    f"an arm of study {row['study_id']!r} in this file ({sorted(arms[row['study_id']])})")
            for line, row in good
            if row.get("comparator") and row["comparator"] not in arms[row["study_id"]]]


def _study_row(study_id: str, rows: list[tuple[int, Row]], name: str) -> Row:
    first = rows[0][1]
    included = [r for _, r in rows if r["include"] == "yes"]
    year = first.get("year") or (re.search(r"(19|20)[0-9]{2}", study_id) or [""])[0]
    return {
        "study_id": study_id, "citation": first["citation"], "title": "", "doi": first["doi"],
        "year": year, "design": first["design"], "document_type": first.get("document_type") or "primary",
        "decision": "included" if included else "excluded",
        "reason": (included[0]["reason"] if included else _joined([r["exclusion_reason"] for _, r in rows])),
        "duplicate_of": first.get("duplicate_of", ""), "extractor": "manual", "excerpt": "",
        "origin": "manual", "curator": _joined([r["curator"] for _, r in rows]),
        "curated_at": max((r["date"] for _, r in rows), key=lambda d: parse_date(d)),
        "curation_reason": _joined([r["reason"] for _, r in rows][:1]),
        "source_address": first["source_address"], "_place": f"{name}:{rows[0][0]}",
    }


def load_manual(path: str | Path, extracted_studies: set[str] | None = None) -> ManualEntries:
    """Read and validate a manual-entries file; raise :class:`CurationError` listing every problem.

    A study that is also extracted from a PDF may appear only with ``include = no`` rows.
    """
    name = str(path)
    header, rows, problems = read_csv_rows(path)
    problems += check_header(name, header, MANUAL_REQUIRED, MANUAL_OPTIONAL)
    if problems:
        raise CurationError(problems, f"{name} is not a valid manual-entries file")
    check = validator("manual_entries")
    good: list[tuple[int, Row]] = []
    for line, row in rows:
        found = row_problems(check, name, line, row)
        if not found:
            found = _row_checks(name, line, row)
        if extracted_studies and row["study_id"] in extracted_studies and row["include"] == "yes":
            found.append(Problem(name, line, "include", "yes",
                                 f"'no': study {row['study_id']!r} is extracted from a PDF; correct it in "
                                 "the corrections file, or give the manual study a distinct id"))
        problems += found
        if not found:
            good.append((line, row))
    by_study: dict[tuple[str, ...], list[tuple[int, Row]]] = defaultdict(list)
    by_arm: dict[tuple[str, ...], list[tuple[int, Row]]] = defaultdict(list)
    for line, row in good:
        by_study[(row["study_id"],)].append((line, row))
        if row["include"] == "yes":
            by_arm[(row["study_id"], row["arm_id"])].append((line, row))
    problems += _comparator_problems(name, good)
    problems += _consistency(name, by_study, STUDY_LEVEL, "study")
    problems += _consistency(name, by_arm, ARM_LEVEL, "arm (included rows)")
    seen: dict[tuple[str, ...], int] = {}
    for line, row in good:
        if row["outcome"] and row["include"] == "yes":
            key = (row["study_id"], row["arm_id"], row["outcome"], row["timepoint"], row["field"])
            key += tuple(filter(None, (row.get("contrast", ""), row.get("comparator", ""))))
            if key in seen:
                problems.append(Problem(name, line, None, None,
                                        f"a unique key among included rows; {'/'.join(key)} is already on "
                                        f"line {seen[key]} (duplicate key: set include = no on one of them)"))
            seen.setdefault(key, line)
    if problems:
        raise CurationError(problems, f"{name} has invalid manual entries")
    return _entries(name, good, by_study, by_arm, extracted_studies or set())


def _entries(name: str, good: list[tuple[int, Row]], by_study: dict, by_arm: dict,
             extracted: set[str]) -> ManualEntries:
    entries = ManualEntries()
    for (study_id,), rows in by_study.items():
        if study_id not in extracted:
            entries.studies.append(_study_row(study_id, rows, name))
    for (study_id, arm_id), rows in by_arm.items():
        line, first = rows[0]
        entries.arms.append({
            "study_id": study_id, "arm_id": arm_id, "label": first["arm_label"],
            "treatment_class": first["treatment_class"], "n_patients": first["n_patients"],
            "n_lesions": first["n_lesions"], "excerpt": first["excerpt"], "extractor": "manual",
            "origin": "manual", "curator": first["curator"], "curated_at": first["date"],
            "reason": first["reason"], "source_address": first["source_address"], "_place": f"{name}:{line}",
        })
    for line, row in good:
        if not row["outcome"]:
            continue
        if row["include"] == "no":
            entries.excluded.append({**{c: row.get(c, "") for c in EXCLUDED_COLUMNS}, "file": name, "line": str(line)})
            continue
        entries.outcomes.append({
            **{c: row[c] for c in ("study_id", "arm_id", "outcome", "timepoint", "timepoint_label",
                                   "timepoint_days", "scale", "unit", "field", "value", "excerpt")},
            "contrast": row.get("contrast", ""), "comparator": row.get("comparator", ""),
            "extractor": "manual", "origin": "manual", "curator": row["curator"], "curated_at": row["date"],
            "reason": row["reason"], "source_address": row["source_address"], "_place": f"{name}:{line}",
        })
    return entries
