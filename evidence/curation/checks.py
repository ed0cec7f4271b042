"""Value checks that depend on the field, the outcome and the scale, and ISO dates."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from evidence import vocabulary as V
from evidence.curation.schemas import DECISIONS, DOCUMENT_TYPES, STUDY_ID
from evidence.curation.tables import DELETE, as_number

COUNT_FIELDS = frozenset({"events", "total", "n"})
PAIN_BOUNDED = frozenset({"mean", "median", "q1", "q3", "min", "max", "ci_lower", "ci_upper"})
NON_NEGATIVE = frozenset({"sd", "se", "q1", "q3", "min", "max"})
SPREAD = frozenset({"sd", "se"})


def _whole(value: str) -> bool:
    number = as_number(value)
    return number is not None and number >= 0 and float(number).is_integer()


def value_problem(outcome: str, field: str, value: str, scale: str = "", contrast: str = "") -> str | None:
    """What a valid ``value`` of ``field`` would be, or None when ``value`` is valid.

    ``NA`` (delete) and empty values are always valid here; pain values are bounded by the scale
    maximum from :data:`evidence.vocabulary.SCALES` when the scale is known: in [0, max] for a value
    at a time point, in [-max, max] for a change or a difference (``contrast``), whose SD or SE
    must still be >= 0.
    """
    value = str(value).strip()
    if value in ("", DELETE):
        return None
    if outcome == "arm":
        if field in ("n_patients", "n_lesions"):
            return None if _whole(value) else "a non-negative whole number"
        if field == "treatment_class" and value not in V.TREATMENT_CLASSES:
            return f"one of {list(V.TREATMENT_CLASSES)}"
        return None
    if outcome == "study":
        if field == "decision" and value not in DECISIONS:
            return f"one of {list(DECISIONS)}"
        if field == "document_type" and value not in DOCUMENT_TYPES:
            return f"one of {list(DOCUMENT_TYPES)}"
        if field == "year" and not re.fullmatch(r"[0-9]{4}", value):
            return "a four-digit year"
        if field == "duplicate_of" and not re.fullmatch(STUDY_ID[1:-1], value):
            return "a study id such as 'tian2022'"
        return None
    number = as_number(value)
    if number is None:
        if re.fullmatch(r"-?[0-9]+,[0-9]+", value.strip()):  # Excel in a decimal-comma locale
            return f"a number for field {field!r} with a decimal point ({value.strip().replace(',', '.')}); decimal commas are not guessed"
        return f"a number for field {field!r}"
    if field in COUNT_FIELDS:
        return None if _whole(value) else f"a non-negative whole number for field {field!r}"
    if field == "percent" and not 0 <= number <= 100:
        return "a percentage in [0, 100]"
    if contrast:
        if field in SPREAD and number < 0:
            return f"a value >= 0 for field {field!r}"
        if outcome == "pain" and field in PAIN_BOUNDED and scale in V.SCALES:
            top = V.SCALES[scale]
            if not -top <= number <= top:
                return f"a pain {contrast.replace('_', ' ')} in [-{top:g}, {top:g}] on scale {scale}"
        return None
    if outcome == "pain" and field in PAIN_BOUNDED and scale in V.SCALES:
        top = V.SCALES[scale]
        if not 0 <= number <= top:
            return f"a pain value in [0, {top:g}] on scale {scale}"
    if field in NON_NEGATIVE and number < 0:
        return f"a value >= 0 for field {field!r}"
    return None


def parse_date(text: str) -> datetime | None:
    """An ISO 8601 date or date-time as an aware datetime (naive = UTC), or None."""
    try:
        moment = datetime.fromisoformat(str(text).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def days_of(timepoint: str) -> str:
    """``timepoint_days`` for a key (``m3`` -> ``91.3125``); empty when not a duration."""
    if timepoint == "baseline":
        return "0"
    match = re.fullmatch(r"([dwm])([0-9]+(?:\.[0-9]+)?)", timepoint)
    if not match:
        return ""
    return f"{float(match.group(2)) * V.DAYS_PER[match.group(1)]:g}"
