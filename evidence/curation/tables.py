"""Reading and writing the CSV/TSV files of curation, keeping 1-based line numbers."""

from __future__ import annotations

import csv
import math
from pathlib import Path

from evidence.curation import csvio
from evidence.curation.atomic import atomic_write_text
from evidence.curation.errors import CurationError, Problem

Row = dict[str, str]
Key = tuple[str, str, str, str, str]
"""(study_id, arm_id, outcome, timepoint, field), the target of a correction."""

KEY_COLUMNS: tuple[str, ...] = ("study_id", "arm_id", "outcome", "timepoint", "field")
DELETE = "NA"
"""``new_value`` that deletes a value."""


def read_csv_rows(path: str | Path, text: str | None = None) -> tuple[list[str], list[tuple[int, Row]], list[Problem]]:
    """Rows of a CSV file as ``(line, row)``; ``line`` is where the record starts (header = 1).

    Encoding and delimiter are detected by :mod:`evidence.curation.csvio` (a file it refuses is
    one problem and no rows). ``text``: the content to parse instead of reading ``path`` (``path``
    still names it). Blank lines are skipped; ragged records are reported as problems, never guessed.
    """
    name = str(path)
    found = csvio.read_text(path, text)
    if found.problems:
        return [], [], list(found.problems)
    reader = csvio.rows(found.text, found.dialect)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [], [Problem(name, reader.line_num, None, None, f"a well-formed header row; {exc}")]
    if not header or not any(h.strip() for h in header):
        return [], [], [Problem(name, 1, None, None, "a header row naming the columns; the file is empty")]
    header = [h.strip() for h in header]
    rows: list[tuple[int, Row]] = []
    problems: list[Problem] = []
    previous = reader.line_num
    for record in _records(reader, name, problems):
        line, previous = previous + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            problems.append(Problem(name, line, None, None,
                                    f"{len(header)} {found.dialect.name}-separated fields as in the header; "
                                    f"this record has {len(record)} (quote values that contain "
                                    f"{found.dialect.name}s)"))
            continue
        rows.append((line, {h: cell.strip() for h, cell in zip(header, record)}))
    return header, rows, problems


def _records(reader, name: str, problems: list[Problem]):
    """The records of ``reader``; a malformed one (a NUL byte, say) ends the file with a problem."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(Problem(name, reader.line_num, None, None, f"well-formed CSV; {exc} (the rows after it are not read)"))
            return


def check_header(name: str, header: list[str], required: tuple[str, ...],
                 optional: tuple[str, ...] = ()) -> list[Problem]:
    """Problems with the header: missing required columns, unknown or repeated ones.

    An empty ``header`` (a file :func:`read_csv_rows` refused or found empty) has none of its own.
    """
    if not header:
        return []
    problems = []
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(Problem(name, 1, None, None, f"columns {missing} in the header; required are {list(required)}"))
    unknown = [c for c in header if c not in required and c not in optional]
    if unknown:
        problems.append(Problem(name, 1, None, None,
                                f"only known columns; unknown {unknown} (allowed: {list(required + optional)})"))
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        problems.append(Problem(name, 1, None, None, f"each column once; repeated {repeated}"))
    return problems


def format_csv(header: list[str] | tuple[str, ...], rows: list[Row], dialect: csvio.Dialect = csvio.DEFAULT) -> str:
    """CSV text with ``\\n`` line ends, quoting only where needed (``dialect``: its delimiter)."""
    return csvio.format_rows(header, rows, dialect)


def read_table(path: str | Path, columns: tuple[str, ...]) -> list[Row]:
    """A TSV table as rows of strings (empty = missing); required columns are checked."""
    import pandas as pd

    frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CurationError([Problem(str(path), 1, None, None,
                                     f"columns {missing} in the header (table layout of DESIGN.md)")])
    return frame.to_dict("records")


def write_table(path: str | Path, rows: list[Row], columns: list[str]) -> None:
    """Write rows as TSV atomically; ``columns`` first, then any extra (``_private`` keys are dropped)."""
    import pandas as pd

    extra = [c for r in rows for c in r if c not in columns and not c.startswith("_")]
    order = list(columns) + list(dict.fromkeys(extra))
    frame = pd.DataFrame([{c: r.get(c, "") for c in order} for r in rows], columns=order)
    text = frame.to_csv(sep="\t", index=False, lineterminator="\n")
    atomic_write_text(path, text)


def as_number(value: str) -> float | None:
    """``value`` as a finite float, or None."""
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def same_value(a: str | None, b: str | None) -> bool:
    """Equal as numbers when both are numbers (``6.9`` = ``6.90``), else as trimmed text."""
    a, b = ("" if a is None else str(a).strip()), ("" if b is None else str(b).strip())
    x, y = as_number(a), as_number(b)
    if x is not None and y is not None:
        return math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12)
    return a == b
