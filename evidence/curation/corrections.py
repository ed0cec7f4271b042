"""The corrections file: loading, validation and the history of each key.

The file is append-only. For one key the row with the latest ``date`` wins (earlier rows are
history); two rows with the same key and the same date are a duplicate-key error.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from evidence.curation.checks import parse_date, value_problem
from evidence.curation.errors import CurationError, Problem
from evidence.curation.schemas import CORRECTION_OPTIONAL, CORRECTION_REQUIRED, row_problems, validator
from evidence.curation.tables import DELETE, Key, check_header, read_csv_rows
from evidence.vocabulary import timepoint_key

REGION = ("source_file", "page", "x0", "top", "x1", "bottom", "excerpt")
"""The columns of a correction naming the PDF region its value was read from."""

CORRECTION_COLUMNS: tuple[str, ...] = CORRECTION_REQUIRED + CORRECTION_OPTIONAL


@dataclass(frozen=True)
class Correction:
    """One row of a corrections file, with the place it came from."""

    file: str
    line: int
    study_id: str
    arm_id: str
    outcome: str
    timepoint: str
    field: str
    old_value: str
    new_value: str
    curator: str
    date: str
    reason: str
    scale: str = ""
    unit: str = ""
    timepoint_label: str = ""
    source_address: str = ""
    origin: str = ""
    source_file: str = ""
    page: str = ""
    x0: str = ""
    top: str = ""
    x1: str = ""
    bottom: str = ""
    excerpt: str = ""

    @property
    def key(self) -> Key:
        return (self.study_id, self.arm_id, self.outcome, self.timepoint, self.field)

    @property
    def when(self) -> datetime:
        moment = parse_date(self.date)
        if moment is None:
            raise ValueError(f"{self.place}: column 'date': got {self.date!r}; expected an ISO 8601 date")
        return moment

    @property
    def deletes(self) -> bool:
        return self.new_value == DELETE

    @property
    def level(self) -> str:
        """``study``, ``arm`` or ``outcome``."""
        return self.outcome if self.outcome in ("study", "arm") else "outcome"

    @property
    def place(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def region(self) -> dict[str, str]:
        """The PDF region the value was read from (empty when the row names none)."""
        cells = {c: getattr(self, c) for c in REGION}
        return cells if self.page else {}

    def as_row(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("file", "line")}


def key_text(key: Key) -> str:
    """``study/arm/outcome/timepoint/field`` for messages."""
    return "/".join(key)


def _row_checks(name: str, line: int, row: dict[str, str]) -> list[Problem]:
    problems = []
    if row.get("date") and parse_date(row["date"]) is None:
        problems.append(Problem(name, line, "date", row["date"], "a real calendar date/time in ISO 8601"))
    expected = value_problem(row["outcome"], row["field"], row["new_value"], row.get("scale", ""))
    if expected:
        problems.append(Problem(name, line, "new_value", row["new_value"], expected))
    label = row.get("timepoint_label", "")
    if label:
        try:
            key = timepoint_key(label)[0]
        except ValueError as exc:
            problems.append(Problem(name, line, "timepoint_label", label, str(exc).split("; expected ")[-1]))
        else:
            if key != row["timepoint"]:
                problems.append(Problem(name, line, "timepoint_label", label,
                                        f"a label whose key is the row's timepoint {row['timepoint']!r} (this label gives {key!r})"))
    return problems


def load_corrections(path: str | Path, known_studies: set[str] | None = None,
                     text: str | None = None) -> list[Correction]:
    """Read and validate a corrections file; raise :class:`CurationError` listing every problem.

    ``known_studies``: when given, a study id outside it is an error. ``text``: validate this
    content (e.g. a file about to be written) under the name ``path``.
    """
    name = str(path)
    header, rows, problems = read_csv_rows(path, text)
    problems += check_header(name, header, CORRECTION_REQUIRED, CORRECTION_OPTIONAL)
    if problems:
        raise CurationError(problems, f"{name} is not a valid corrections file")
    check = validator("corrections")
    out: list[Correction] = []
    for line, row in rows:
        found = row_problems(check, name, line, row)
        if known_studies is not None and row["study_id"] not in known_studies and not any(
                p.column == "study_id" for p in found):
            found.append(Problem(name, line, "study_id", row["study_id"],
                                 "a study id of the extracted tables or the manual entries"))
        if not found:
            found = _row_checks(name, line, row)
        problems += found
        if not found:
            out.append(Correction(file=name, line=line, **{c: row.get(c, "") for c in CORRECTION_COLUMNS}))
    problems += duplicate_problems(out)
    if problems:
        raise CurationError(problems, f"{name} has invalid corrections")
    return out


def duplicate_problems(corrections: list[Correction]) -> list[Problem]:
    """Rows with the same key and the same date (a later date supersedes; the same date is ambiguous)."""
    seen: dict[tuple[Key, datetime], Correction] = {}
    problems = []
    for c in corrections:
        first = seen.setdefault((c.key, c.when), c)
        if first is not c:
            problems.append(Problem(c.file, c.line, None, None,
                                    f"a unique (key, date); key {key_text(c.key)} with date {c.date!r} is "
                                    f"already on line {first.line} (duplicate key: delete one row, or give the "
                                    "later one a later date/time)"))
    return problems


def history(corrections: list[Correction]) -> dict[Key, list[Correction]]:
    """Corrections grouped by key, oldest first (by date, then line); the last one wins."""
    groups: dict[Key, list[Correction]] = defaultdict(list)
    for c in corrections:
        groups[c.key].append(c)
    return {k: sorted(v, key=lambda c: (c.when, c.line)) for k, v in groups.items()}
