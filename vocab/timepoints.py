"""Time points as printed -> stable keys and days (``timepoint_key``)."""

from __future__ import annotations

import re

DAYS_PER = {"d": 1.0, "w": 7.0, "m": 30.4375, "y": 365.25}

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "eighteen": 18, "twenty-four": 24,
}
_UNIT_RE = (
    r"(?P<unit>days?|d\b|weeks?|wks?|w\b|months?|mos?|mo\b|m\b|years?|yrs?|y\b)"
)
_DURATION = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|" + "|".join(_NUMBER_WORDS) + r")[\s-]*" + _UNIT_RE,
    re.IGNORECASE,
)


def _unit_letter(unit: str) -> str:
    u = unit.lower()
    if u.startswith("d"):
        return "d"
    if u.startswith("w"):
        return "w"
    if u.startswith("m"):
        return "m"
    return "y"


def _duration(text: str) -> tuple[str, float] | None:
    """The first duration in ``text`` as (key, days); a range 'a-b unit' gives its midpoint."""
    unit_first = re.search(r"\b(day|week|month|year)\s+(\d+(?:\.\d+)?)\b", text)
    ranged = re.search(r"(\d+(?:\.\d+)?)\s*[-\u2013to]+\s*(\d+(?:\.\d+)?)\s*" + _UNIT_RE, text)
    match = _DURATION.search(text)
    if unit_first and (not match or unit_first.start() < match.start()):
        letter, num = unit_first.group(1)[0], float(unit_first.group(2))
    elif ranged and match and ranged.start() <= match.start():
        letter = _unit_letter(ranged.group("unit"))
        num = (float(ranged.group(1)) + float(ranged.group(2))) / 2
    elif match:
        raw = match.group("num").lower()
        letter, num = _unit_letter(match.group("unit")), float(_NUMBER_WORDS.get(raw, raw))
    else:
        hours = re.search(r"\b(\d+)\s*(?:h|hours?)\b", text)
        if not hours:
            return None
        letter, num = "d", float(hours.group(1)) / 24
    days = num * DAYS_PER[letter]
    if letter == "y":
        letter, num = "m", num * 12
    return f"{letter}{num:g}", days


def timepoint_key(label: str) -> tuple[str, float | None]:
    """Map a time point as printed to its stable key and its length in days.

    Keys: ``baseline``, ``procedural``, ``d<N>``/``w<N>``/``m<N>`` (a range gives its midpoint),
    ``last`` (last, final or mean/median follow-up; days = the stated mean or median when given),
    ``post`` (after treatment, time not stated) and ``unknown``.

    >>> timepoint_key("1 month")
    ('m1', 30.4375)
    >>> timepoint_key("on day 1 after the procedure")
    ('d1', 1.0)
    >>> timepoint_key("last follow-up (mean 31 months)")
    ('last', 943.5625)
    """
    text = " ".join(str(label).split()).lower()
    if not text:
        raise ValueError("empty time point label; expected words such as 'baseline' or '1 month'")
    if re.search(r"\b(baseline|pre[- ]?(procedure|procedural|operative|treatment|op)|before)\b", text):
        return "baseline", 0.0
    if re.search(r"\b(peri[- ]?(procedural|operative)|intra[- ]?(procedural|operative)|procedural)\b", text):
        return "procedural", None
    if re.search(r"\b(not (stated|specified)|unspecified|unknown)\b", text):
        return ("post", None) if re.search(r"\b(post|after)", text) else ("unknown", None)
    if re.search(r"\b(last|final|latest)\b|follow[- ]?up|\bfu\b", text):
        stated = re.search(
            r"\b(?:mean|median)\b[^0-9;]{0,25}?(\d+(?:\.\d+)?)(?:\s*±\s*\d+(?:\.\d+)?)?"
            r"(?:\s*\(sd\))?\s*" + _UNIT_RE,
            text,
        )
        if stated:
            letter = _unit_letter(stated.group("unit"))
            return "last", float(stated.group(1)) * DAYS_PER[letter]
        return "last", None
    found = _duration(text)
    if found:
        return found
    if re.search(r"\b(post|after)", text):
        return "post", None
    raise ValueError(
        f"time point {label!r} not recognised; expected 'baseline', 'procedural', "
        "'last follow-up', 'after treatment', 'not stated' or a duration such as '3 months'"
    )
