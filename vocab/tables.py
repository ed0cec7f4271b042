"""Column names of every table, statistic fields, units, measure codes, and the include-flag parser.

These are the toolkit's own contract (not a review's): every stage reads and writes these names.
"""

from __future__ import annotations

import math
from typing import Any

FIELDS: tuple[str, ...] = (
    "mean",
    "sd",
    "se",
    "median",
    "q1",
    "q3",
    "min",
    "max",
    "ci_lower",
    "ci_upper",
    "events",
    "total",
    "n",
    "percent",
)
"""Statistics as reported, one row of ``outcomes.tsv`` each."""

CONTRASTS: tuple[str, ...] = ("", "change", "difference", "change_difference")
"""What a value of a curated outcome row describes (column ``contrast``; empty = the arm's value at
the time point): ``change`` from baseline to the time point within the arm; ``difference`` between
the arm and its ``comparator`` arm at the time point; ``change_difference`` between their changes."""

UNITS: tuple[str, ...] = ("patients", "lesions", "procedures")
"""Units of count outcomes (what ``events`` and ``total`` count)."""

PROVENANCE: tuple[str, ...] = (
    "source_file",
    "page",
    "x0",
    "top",
    "x1",
    "bottom",
    "excerpt",
    "extractor",
    "confidence",
)

STUDY_COLUMNS: tuple[str, ...] = (
    "study_id",
    "source_file",
    "title",
    "citation",
    "doi",
    "year",
    "design",
    "country",
    "period",
    "document_type",
    "decision",
    "reason",
    "duplicate_of",
    "n_pages",
) + PROVENANCE[1:]

ARM_COLUMNS: tuple[str, ...] = (
    "study_id",
    "arm_id",
    "label",
    "treatment_class",
    "n_patients",
    "n_lesions",
) + PROVENANCE

OUTCOME_COLUMNS: tuple[str, ...] = (
    "study_id",
    "arm_id",
    "outcome",
    "label",
    "timepoint",
    "timepoint_label",
    "timepoint_days",
    "scale",
    "unit",
    "field",
    "value",
) + PROVENANCE
"""``label`` holds the printed words naming the quantity (row label, sentence subject)."""

_TRUE = frozenset({"true", "t", "1", "yes", "y"})
_FALSE = frozenset({"false", "f", "0", "no", "n", ""})


def parse_flag(value: Any, *, where: str = "") -> bool:
    """Parse an include flag: booleans, 0/1, and yes/no, true/false, y/n, t/f (any case).

    Empty or missing is False. Anything else raises ``ValueError`` naming ``where``.
    """
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    place = f"{where}: " if where else ""
    raise ValueError(f"{place}include flag {value!r} not understood; expected yes/no or true/false")
