"""Number and statistic grammar shared by the text and table rules.

A *statistic group* is a main number, an optional "± SD", and any parentheticals that follow:
``2 ± 2 (SD) (median, 1; range: 0–6; IQR: 0–3)``, ``7.43 (SD, 1.56)``, ``8 (IQR, 6–9.25)``,
``6.42 (SD, 1.73) (3-8)``. A *count* is ``n/N (x%)``, ``n of N``, ``n out of N (x%)``,
``n (x%)``, ``n (n/N; x%)`` or a bare ``n patients``; number words ("Five", "three") count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

NUM = r"-?(?:\d+(?:\.\d+)?|\.\d+)"
DASH = r"\s*(?:-|–|—|to)\s*"
WORDS = {
    "no": 0, "none": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20,
}
NUMW = r"(?:\d+|" + "|".join(sorted((k for k in WORDS if k not in ("no", "none")), key=len, reverse=True)) + r")"
NUMW_RE = re.compile(r"(?i)\b" + NUMW + r"\b")


def to_number(tok: str) -> float | None:
    t = tok.strip().lower()
    if t in WORDS:
        return float(WORDS[t])
    t = t.replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None


@dataclass
class Stat:
    start: int
    end: int
    fields: dict[str, float] = field(default_factory=dict)
    kind: str = ""  # mean_sd, mean_range, median_iqr, median_range, value
    main_end: int = 0


_ITEM_SD = re.compile(r"^\s*(?:(?:SD|s\.d\.|standard deviation)\s*[,:=]?\s*(?:±\s*)?|±\s*)(" + NUM + r")\s*%?\s*$", re.I)
_ITEM_SD_ONLY = re.compile(r"^\s*(?:SD|s\.d\.|±\s*SD|standard deviation)\s*$", re.I)
_ITEM_MEDIAN = re.compile(r"^\s*median\s*[,:=]?\s*(" + NUM + r")\s*$", re.I)
_ITEM_MEAN = re.compile(r"^\s*mean\s*[,:=]?\s*(" + NUM + r")\s*$", re.I)
_ITEM_RANGE = re.compile(r"^\s*(?:range\s*[,:=]?\s*)?(" + NUM + r")" + DASH + r"(" + NUM + r")\s*(?:[a-z]+)?\s*$", re.I)
_ITEM_RANGE_KW = re.compile(r"^\s*range", re.I)
_ITEM_IQR = re.compile(r"^\s*(?:IQR|interquartile range|inter-quartile range)\s*[,:=]?\s*(" + NUM + r")" + DASH + r"(" + NUM + r")\s*$", re.I)
_ITEM_P = re.compile(r"^\s*P\s*[<>=≤≥]", re.I)
_MAIN = re.compile(r"(" + NUM + r")(?:\s*±\s*(" + NUM + r"))?")
_PM_SD = re.compile(r"\s*\(\s*SD\s*\)", re.I)


def _split_items(inner: str) -> list[str]:
    items = [x for x in re.split(r";", inner)]
    out: list[str] = []
    for it in items:
        # "median, 1" / "SD, 1.56" keep their comma; "median 5, range 4-8" splits
        parts = re.split(r",\s*(?=(?:range|IQR|interquartile|median|mean|SD|P\b))", it, flags=re.I)
        out.extend(parts)
    return out


def parse_stat(text: str, pos: int, median_context: bool = False, iqr_context: bool = False) -> Stat | None:
    """Parse a statistic group starting exactly at ``pos``."""
    m = _MAIN.match(text, pos)
    if not m:
        return None
    st = Stat(pos, m.end())
    main = float(m.group(1))
    has_pm = m.group(2) is not None
    if has_pm:
        st.fields["mean"] = main
        st.fields["sd"] = float(m.group(2))
        st.kind = "mean_sd"
    end = m.end()
    pm_sd = _PM_SD.match(text, end)
    if pm_sd:
        end = pm_sd.end()
    st.main_end = end
    extra: dict[str, float] = {}
    saw_sd = False
    saw_range_kw = False
    bare_range: tuple[float, float] | None = None
    n_paren = 0
    while n_paren < 3:
        j = end
        while j < len(text) and text[j] == " ":
            j += 1
        if j >= len(text) or text[j] not in "([":
            break
        close = ")" if text[j] == "(" else "]"
        k = text.find(close, j + 1)
        nested = text.find("(" if close == ")" else "[", j + 1)
        if k < 0 or k - j > 90:
            break
        if 0 <= nested < k:  # "(mean, 1.38 [SD, 0.78])": take the inner bracket as an item too
            k2 = text.find(close, k + 1)
            inner = text[j + 1 : k2 if k2 > 0 else k].replace("[", ";").replace("]", "").replace("(", ";").replace(")", "")
            k = k2 if k2 > 0 else k
        else:
            inner = text[j + 1 : k]
        items = _split_items(inner)
        recognised = False
        for it in items:
            if not it.strip():
                continue
            if (mm := _ITEM_SD.match(it)) is not None:
                extra["sd"] = float(mm.group(1))
                saw_sd = recognised = True
            elif _ITEM_SD_ONLY.match(it):
                saw_sd = recognised = True
            elif (mm := _ITEM_IQR.match(it)) is not None:
                extra["q1"], extra["q3"] = float(mm.group(1)), float(mm.group(2))
                recognised = True
            elif (mm := _ITEM_MEDIAN.match(it)) is not None:
                extra["median"] = float(mm.group(1))
                recognised = True
            elif (mm := _ITEM_MEAN.match(it)) is not None:
                extra["mean_inner"] = float(mm.group(1))
                recognised = True
            elif (mm := _ITEM_RANGE.match(it)) is not None:
                if _ITEM_RANGE_KW.match(it):
                    saw_range_kw = True
                    extra["min"], extra["max"] = float(mm.group(1)), float(mm.group(2))
                else:
                    bare_range = (float(mm.group(1)), float(mm.group(2)))
                recognised = True
            elif _ITEM_P.match(it):
                recognised = True
            else:
                continue
        if not recognised:
            break
        end = k + 1
        n_paren += 1
    st.end = end
    if not has_pm:
        if saw_sd and "sd" in extra:
            st.fields["mean"] = main
            st.fields["sd"] = extra.pop("sd")
            st.kind = "mean_sd"
        elif "q1" in extra or (bare_range and iqr_context):
            st.fields["median"] = main
            if bare_range and "q1" not in extra:
                extra["q1"], extra["q3"] = bare_range
                bare_range = None
            st.kind = "median_iqr"
        elif saw_range_kw or bare_range:
            key = "median" if median_context else "mean"
            st.fields[key] = main
            st.kind = f"{key}_range"
        else:
            st.kind = "value"
            st.fields["value"] = main
    if bare_range and "min" not in extra:
        extra["min"], extra["max"] = bare_range
    extra.pop("mean_inner", None)
    for k2, v in extra.items():
        if k2 == "median" and "median" in st.fields:
            continue
        st.fields.setdefault(k2, v)
    return st


# ---------------------------------------------------------------------------------------------
# counts


@dataclass
class Count:
    start: int
    end: int
    events: float | None
    total: float | None = None
    percent: float | None = None
    noun: str = ""
    kind: str = ""


_NOUN = r"(?:patients?|subjects?|participants?|cases?|lesions?|metastas[ie]s|tumou?rs?|sites?|procedures?|sessions?|vertebrae|levels?)"
_PCT = r"(" + NUM + r")\s*%"
COUNT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 5 patients (5/23; 22%)  |  Sixteen patients (16/23; 70%)
    ("n_paren_frac", re.compile(r"(?i)\b(?P<e>" + NUMW + r")\s+(?:(?P<noun>" + _NOUN + r")\s+)?(?:\w+\s+){0,1}\(\s*(?P<e2>\d+)\s*/\s*(?P<t>\d+)\s*(?:[;,]\s*(?P<p>" + NUM + r")\s*%)?\s*\)")),
    # 3 metastases out of 7 (43%) | 3 patients out of five (3/5; 60%)
    ("out_of", re.compile(r"(?i)\b(?P<e>" + NUMW + r")\s+(?:(?P<noun>" + _NOUN + r")\s+)?out\s+of\s+(?:the\s+)?(?P<t>" + NUMW + r")(?:\s+" + _NOUN + r")?(?:\s*\(\s*(?:\d+\s*/\s*\d+\s*[;,]\s*)?(?P<p>" + NUM + r")\s*%\s*\)?)?")),
    # 10/58 (17%) | 46/51 (90.19%) | (4/16; 25%)
    ("frac", re.compile(r"(?P<e>\d+)\s*/\s*(?P<t>\d+)(?:\s*(?:\(\s*|[;,]\s*|\[\s*)(?P<p>" + NUM + r")\s*%\s*[\)\]]?)?(?:\s+(?:of\s+(?:the\s+)?)?(?:\w+\s+){0,2}?(?P<noun>" + _NOUN + r"))?")),
    # Seven of 48 patients
    ("of", re.compile(r"(?i)\b(?P<e>" + NUMW + r")\s+of\s+(?:the\s+)?(?P<t>\d+)\s+(?:\w+\s+){0,1}(?P<noun>" + _NOUN + r")(?:\s*\((?P<p>" + NUM + r")\s*%\))?")),
    # Five (22%) | 6 (6.1%) | 3 (1.4%) patients
    ("n_pct", re.compile(r"(?i)\b(?P<e>" + NUMW + r")\s*\(\s*(?P<p>" + NUM + r")\s*%\s*\)(?:\s+(?P<noun>" + _NOUN + r"))?")),
    # 10 patients (40%)
    ("n_noun_pct", re.compile(r"(?i)\b(?P<e>" + NUMW + r")\s+(?:\w+\s+){0,1}(?P<noun>" + _NOUN + r")\s*\(\s*(?P<p>" + NUM + r")\s*%\s*\)")),
    # 46 patients | three patients
    ("n_noun", re.compile(r"(?i)\b(?P<e>" + NUMW + r")\s+(?:\w+\s+){0,1}(?P<noun>" + _NOUN + r")\b")),
    # While 57 had pain relief
    ("n_verb", re.compile(r"(?i)\b(?P<e>" + NUMW + r")\s+(?:had|reported|experienced|achieved|showed|developed|presented)\b")),
]


def find_counts(text: str, start: int = 0, end: int | None = None) -> list[Count]:
    """All count expressions in text[start:end], longest match first at each position."""
    end = len(text) if end is None else end
    found: list[Count] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in COUNT_PATTERNS:
        for m in pat.finditer(text, start, end):
            s, e = m.span()
            if any(not (e <= a or s >= b) for a, b in taken):
                continue
            gd = m.groupdict()
            ev = to_number(gd["e"]) if gd.get("e") else None
            if gd.get("e2") and ev is not None and to_number(gd["e2"]) != ev:
                continue
            tot = to_number(gd["t"]) if gd.get("t") else None
            pct = float(gd["p"]) if gd.get("p") else None
            if ev is None:
                continue
            if tot is not None and (tot <= 0 or ev > tot):
                continue
            if pct is not None and pct > 100:
                continue
            # years, dates, doses are not counts
            tail = text[e : e + 12].lower()
            if re.match(r"\s*(?:years?|months?|days?|weeks?|mm|cm|ml|mg|kg|min|hours?)\b|\s*°", tail):
                continue
            noun = (gd.get("noun") or "").lower()
            found.append(Count(s, e, ev, tot, pct, noun, kind))
            taken.append((s, e))
    found.sort(key=lambda c: c.start)
    return found


def unit_of(noun: str, context: str = "") -> str | None:
    n = noun.lower()
    if re.match(r"(lesion|metasta|tumo|site|vertebra|level)", n):
        return "lesions"
    if re.match(r"(procedure|session)", n):
        return "procedures"
    if re.match(r"(patient|subject|participant|case)", n):
        return "patients"
    c = context.lower()
    if re.search(r"\b(lesions|metastases|tumou?rs|vertebrae|levels)\b", c):
        return "lesions"
    if re.search(r"\bprocedures\b", c):
        return "procedures"
    if re.search(r"\bpatients\b", c):
        return "patients"
    return None
