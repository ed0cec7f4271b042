"""One statistic parser for table cells and prose: printed notation -> named fields with spans.

A *reading* is one interpretation of a printed statistic: its ``kind`` and its fields, each with
the value and the character span of the number that gives it. Notation read:

* ``12.3 ± 4.5`` (mean, sd), optionally followed by ``(min–max)`` or ``[q1–q3]``;
* ``12.3 (4.5)``: mean (sd), or n (%) when it reads as a count (integer, percent ≤ 100);
* ``64 (47–83)``, ``64 [47–83]``, ``64 (47 to 83)``: median (q1, q3), median (min, max) or
  mean (ci_lower, ci_upper) — which one the *hint* says (row label, header, caption words such as
  "IQR", "range", "95% CI"); without a hint each is returned as an alternative reading;
* ``12 (34%)``, ``12 (34.0)``, ``12/35 (34%)``, ``12/35``, ``12 of 35``, ``12 out of 35 (34%)``:
  events, total, percent; ``34%`` alone: percent;
* ``(95% CI 1.2 to 3.4)``, ``95% CI: 1.2–3.4`` after a value: ci_lower, ci_upper;
* number words ("three", "Twelve") followed by a counted noun: events;
* unicode minus (U+2212), en/em/figure dashes, the middle dot as decimal point, thousands
  separators ("1,234"), footnote markers after a cell ("12 (34)a", "12 (34)*†").

:func:`parse_cell` reads a whole table cell (``None`` when it is not one statistic);
:func:`find_statistics` finds every statistic in running text. Both work on one bounded scan of
the input (no backtracking blow-up: every pattern is linear; inputs longer than
:data:`MAX_CELL` characters are not cells).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_CELL = 120

_TRANS = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-",
                        "\u00b7": ".", "\u2027": ".", "\u22c5": ".", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
                        "\uff05": "%", "\u2264": "<", "\u2265": ">"})
WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}
_N = r"(?:-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+)"
_D = r"\s*(?:-|to|,|;)\s*"  # interval separator (after normalisation)
_FOOT = r"(?:\s*[a-h*†‡§¶#]|\s*[\u00b9\u00b2\u00b3\u2070-\u2079]+)*"
_SUBJ_NOUN = r"(?:patients?|subjects?|participants?|cases?|children|women|men|infants?|persons?|people|individuals?|events?|deaths?|lesions?|procedures?|eyes?|of\s+them)"


def normalise(text: str) -> str:
    """Same length as the input: dashes, minus, middle dot and odd spaces mapped to ASCII."""
    return text.translate(_TRANS)


_NORMALISED: dict[str, str] = {}


def _normalised_document(text: str) -> str:
    """``normalise(text)``, kept for the last few texts: prose is searched one sentence at a time
    in the same document string (``normalise(text[:end])`` per sentence was quadratic in length)."""
    t = _NORMALISED.get(text)
    if t is None:
        if len(_NORMALISED) >= 4:
            _NORMALISED.clear()
        t = _NORMALISED[text] = normalise(text)
    return t


def _num(s: str) -> float:
    return float(s.replace(",", ""))


@dataclass
class Reading:
    kind: str  # mean_sd, mean_sd_range, mean_sd_iqr, count_pct, count_total, count_total_pct, percent, median_iqr,
    #            median_range, mean_ci, value_ci, mean_paren, count_words, value
    fields: dict[str, float] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    start: int = 0
    end: int = 0
    alternative: bool = False  # not the default reading of an ambiguous notation

    def slot(self, name: str) -> str:
        """Position of a field in the notation: main, second, interval_lo/hi, pct, total."""
        return _SLOTS.get((self.kind, name), name)


_SLOTS = {}
for _k in ("median_iqr", "median_range", "mean_ci"):
    _lo, _hi = {"median_iqr": ("q1", "q3"), "median_range": ("min", "max"), "mean_ci": ("ci_lower", "ci_upper")}[_k]
    _SLOTS[(_k, _lo)] = "interval_lo"
    _SLOTS[(_k, _hi)] = "interval_hi"
    _SLOTS[(_k, "median" if _k != "mean_ci" else "mean")] = "main"


def _hint_interval(hint: str) -> list[str]:
    """Kinds of "a (b-c)" the hint words support, most specific first."""
    h = hint.lower()
    out = []
    if re.search(r"\biqr\b|interquartile|inter-quartile|\bq1\b|quartile|25th", h):
        out.append("median_iqr")
    if re.search(r"\brange\b|min[\s,-]*max|minimum", h):
        out.append("median_range")
    if re.search(r"\bci\b|confidence", h):
        out.append("mean_ci")
    return out


def _hint_paren(hint: str) -> str | None:
    h = hint.lower()
    if re.search(r"\bsd\b|s\.d\.|standard deviation|±|\bmean\b(?!.*%)", h):
        return "mean_sd"
    if re.search(r"\bse\b|sem\b|standard error", h):
        return "mean_se"
    if re.search(r"%|percent|\bno\.|\bn\b|number", h):
        return "count_pct"
    return None


def _interval(kind: str, a: float, sa, b: float, sb, c: float, sc, start: int, end: int, alt: bool) -> Reading:
    main = "mean" if kind == "mean_ci" else "median"
    lo, hi = {"median_iqr": ("q1", "q3"), "median_range": ("min", "max"), "mean_ci": ("ci_lower", "ci_upper")}[kind]
    return Reading(kind, {main: a, lo: b, hi: c}, {main: sa, lo: sb, hi: sc}, start, end, alt)


_CELL_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("pm", re.compile(r"(?P<a>" + _N + r")\s*(?:±|\+/-|\+-)\s*(?P<b>" + _N + r")(?:\s*[(\[]\s*(?P<c>" + _N + r")" + _D + r"(?P<d>" + _N + r")\s*[)\]])?")),
    ("frac", re.compile(r"(?P<a>\d+)\s*(?:/|of|out of)\s*(?P<b>\d+)(?:\s*[(\[]\s*(?P<c>" + _N + r")\s*%?\s*[)\]])?")),
    ("cnt_frac", re.compile(r"(?P<a>\d+)\s*\(\s*(?P<b>\d+)\s*/\s*(?P<c>\d+)(?:\s*[,;]\s*(?P<d>" + _N + r")\s*%)?\s*\)")),
    ("interval", re.compile(r"(?P<a>" + _N + r")\s*(?P<o>[(\[])\s*(?:(?:IQR|range|95\s*%\s*CI)\s*[,:]?\s*)?(?P<b>" + _N + r")\s*%?" + _D + r"(?P<c>" + _N + r")\.?\s*%?\s*[)\]]", re.I)),
    ("paren", re.compile(r"(?P<a>" + _N + r")\s*%?\s*(?:[a-z]{1,12}\s*)?\(\s*(?P<q>(?:SD|SE|SEM|s\.d\.)\s*[,:=]?\s*±?|±)?\s*(?P<b>" + _N + r")\s*(?P<p>%)?\s*\)", re.I)),
    ("pct", re.compile(r"(?P<a>" + _N + r")\s*%")),
    # "12 patients expired (24%)": a count, its noun and verb, then its percentage
    ("noun_pct", re.compile(r"(?P<a>\d+)\s+" + _SUBJ_NOUN + r"\s+[a-z]{2,12}\s*\(\s*(?P<b>" + _N + r")\s*%\s*\)", re.I)),
    ("plain", re.compile(r"(?P<a>" + _N + r")")),
]
# table cells only (not running text): "2.5–17 (median 8.5)", a bare interval "37–79" under a
# row label "Range" / "IQR" / "95% CI"
_CELL_ONLY: list[tuple[str, re.Pattern[str]]] = [
    ("range_centre", re.compile(r"(?P<b>" + _N + r")\s*(?:-|to)\s*(?P<c>" + _N + r")\s*[(\[]\s*(?P<w>median|mean)\s*[:=,]?\s*(?P<a>" + _N + r")\s*[)\]]", re.I)),
    ("bare_interval", re.compile(r"(?P<b>" + _N + r")\s*(?:-|to)\s*(?P<c>" + _N + r")")),
    ("sd_only", re.compile(r"(?:±|\+/-)\s*(?P<b>" + _N + r")")),  # "±27.45" in a column of SDs
]
# what a cell may print after its statistic: footnote markers, the column's own n ("(n = 32)"),
# a unit ("7.5 (5-14) months", "250 J")
_CELL_TAIL = re.compile(_FOOT + r"(?:\s*\(\s*n\s*=\s*\d+\s*\))?(?:\s*(?:years?|yrs?|months?|mo|days?|weeks?|wks?|hours?|h|min|minutes?|"
                        r"mm|cm|ml|mL|kg|g|mg|J|U|points?)\.?)?" + _FOOT + r"\s*")
_LOOSE_MINUS = re.compile(r"(?:(?<=^)|(?<=[\s(\[;,]))-\s(?=\d)")
_PCT_CI_HINT = re.compile(r"(?:^|\s)%\s*\(\s*95\s*%\s*(?:CI|confidence)", re.I)
_PCT_N_HINT = re.compile(r"%\s*\(\s*(?:n|no\.?|number)\s*\)", re.I)
_SE_HINT = re.compile(r"\bse\b|\bsem\b|s\.e\.|standard error", re.I)


def _readings(name: str, m: re.Match[str], hint: str, off: int = 0) -> list[Reading]:
    s, e = m.start() + off, m.end() + off

    def g(k: str) -> tuple[float, tuple[int, int]]:
        return _num(m.group(k)), (m.start(k) + off, m.end(k) + off)

    if name == "pm":
        (a, sa), (b, sb) = g("a"), g("b")
        if b < 0:  # an SD is never negative: "3 ± -1" is no mean ± SD
            return []
        r = Reading("mean_sd", {"mean": a, "sd": b}, {"mean": sa, "sd": sb}, s, e)
        if m.group("c") is None and _SE_HINT.search(hint) and not re.search(r"(?i)\bsd\b|standard deviation", hint):
            # "mean ± SE" said by the label, header or caption
            return [Reading("mean_se", {"mean": a, "se": b}, {"mean": sa, "se": sb}, s, e), Reading("mean_sd", {"mean": a, "sd": b}, {"mean": sa, "sd": sb}, s, e, True)]
        if m.group("c") is not None:
            (c, sc), (d, sd) = g("c"), g("d")
            if c > d:  # "(5-3)" is no range or IQR
                return []
            iq = "median_iqr" in _hint_interval(hint) or m.group(0).rstrip().endswith("]")
            lo, hi = ("q1", "q3") if iq else ("min", "max")
            r.kind = "mean_sd_iqr" if iq else "mean_sd_range"
            r.fields.update({lo: c, hi: d})
            r.spans.update({lo: sc, hi: sd})
        return [r]
    if name == "frac":
        (a, sa), (b, sb) = g("a"), g("b")
        if b == 0 or a > b:
            return []
        r = Reading("count_total", {"events": a, "total": b}, {"events": sa, "total": sb}, s, e)
        if m.group("c") is not None:
            c, sc = g("c")
            if not 0 <= c <= 100:  # "3/5 (250%)": the bracket is no percentage
                return []
            r.kind = "count_total_pct"
            r.fields["percent"], r.spans["percent"] = c, sc
        return [r]
    if name == "cnt_frac":
        (a, sa), (b, sb), (c, sc) = g("a"), g("b"), g("c")
        if c == 0 or b > c:  # "12 (15/10)": no count of a total
            return []
        r = Reading("count_total", {"events": b, "total": c}, {"events": sb, "total": sc}, s, e)
        if m.group("d") is not None:
            d, sd = g("d")
            if not 0 <= d <= 100:
                return []
            r.kind = "count_total_pct"
            r.fields["percent"], r.spans["percent"] = d, sd
        return [r]
    if name == "interval":
        (a, sa), (b, sb), (c, sc) = g("a"), g("b"), g("c")
        if b > c:
            return []
        inner = m.group(0).lower()
        kinds = _hint_interval(inner) or _hint_interval(hint)
        order = kinds + [k for k in ("median_iqr", "median_range", "mean_ci") if k not in kinds]
        out = [_interval(k, a, sa, b, sb, c, sc, s, e, i > 0) for i, k in enumerate(order)]
        if _PCT_CI_HINT.search(hint) and 0 <= b <= a <= c <= 100:
            # "% (95% CI)": a percentage and its confidence interval
            out.insert(0, Reading("pct_ci", {"percent": a, "ci_lower": b, "ci_upper": c}, {"percent": sa, "ci_lower": sb, "ci_upper": sc}, s, e))
            for r in out[1:]:
                r.alternative = True
        return out
    if name == "paren":
        (a, sa), (b, sb) = g("a"), g("b")
        count_ok = float(a).is_integer() and 0 <= b <= 100 and a >= 0
        q = (m.group("q") or "").lower()
        if b < 0:  # "5 (-3)": no SD, SE or percentage is negative
            return []
        if q:
            sd = "se" if q.startswith("se") else "sd"
            return [Reading("mean_" + sd, {"mean": a, sd: b}, {"mean": sa, sd: sb}, s, e)]
        if m.group("p"):
            return [Reading("count_pct", {"events": a, "percent": b}, {"events": sa, "percent": sb}, s, e)] if count_ok else []
        pref = _hint_paren(hint)
        # "47.5 (1900)": percent (n), as a header "% (n)" says, else an alternative reading when
        # the bracket is a whole count larger than the percentage or the percentage has decimals
        pct_n = (Reading("pct_count", {"percent": a, "events": b}, {"percent": sa, "events": sb}, s, e)
                 if 0 <= a <= 100 and "." not in m.group("b") and (_PCT_N_HINT.search(hint) or (b >= a and (b > 100 or not float(a).is_integer())))
                 else None)
        if pct_n is not None and _PCT_N_HINT.search(hint):
            rest = [Reading("mean_sd", {"mean": a, "sd": b}, {"mean": sa, "sd": sb}, s, e, True)]
            return [pct_n] + rest
        mean = Reading("mean_sd", {"mean": a, "sd": b}, {"mean": sa, "sd": sb}, s, e)
        se = Reading("mean_se", {"mean": a, "se": b}, {"mean": sa, "se": sb}, s, e)
        cnt = Reading("count_pct", {"events": a, "percent": b}, {"events": sa, "percent": sb}, s, e)
        if pref == "mean_sd" or (pref is None and not count_ok):
            out = [mean, se] + ([cnt] if count_ok else [])
        elif pref == "mean_se":
            out = [se, mean] + ([cnt] if count_ok else [])
        else:
            out = ([cnt] if count_ok else []) + [mean, se]
        if pct_n is not None:
            out.append(pct_n)
        for r in out[1:]:
            r.alternative = True
        return out
    if name == "noun_pct":
        (a, sa), (b, sb) = g("a"), g("b")
        return [Reading("count_pct", {"events": a, "percent": b}, {"events": sa, "percent": sb}, s, e)] if 0 <= b <= 100 else []
    if name == "range_centre":
        (a, sa), (b, sb), (c, sc) = g("a"), g("b"), g("c")
        if b > c:
            return []
        main = m.group("w").lower()
        return [Reading("range_" + main, {main: a, "min": b, "max": c}, {main: sa, "min": sb, "max": sc}, s, e)]
    if name == "sd_only":
        b, sb = g("b")
        if b < 0:
            return []
        fld = "se" if _SE_HINT.search(hint) and not re.search(r"(?i)\bsd\b|standard deviation", hint) else "sd"
        return [Reading("sd_only", {fld: b}, {fld: sb}, s, e)]
    if name == "bare_interval":
        (b, sb), (c, sc) = g("b"), g("c")
        if b > c:
            return []
        kinds = _hint_interval(hint)
        order = kinds + [k for k in ("median_range", "median_iqr", "mean_ci") if k not in kinds]
        names = {"median_range": ("range", "min", "max"), "median_iqr": ("iqr", "q1", "q3"), "mean_ci": ("ci", "ci_lower", "ci_upper")}
        out = []
        for i, k in enumerate(order):
            kind, lo, hi = names[k]
            out.append(Reading(kind, {lo: b, hi: c}, {lo: sb, hi: sc}, s, e, i > 0))
        return out
    if name == "pct":
        a, sa = g("a")
        return [Reading("percent", {"percent": a}, {"percent": sa}, s, e)] if 0 <= a <= 100 else []
    a, sa = g("a")
    return [Reading("value", {"value": a}, {"value": sa}, s, e)]


def parse_cell(text: str, hint: str = "") -> list[Reading]:
    """Readings of a whole table cell, default first; ``[]`` when the cell is not one statistic.

    ``hint``: the words that say how the cell is printed (row label, column header, caption)."""
    if not text or len(text) > MAX_CELL:
        return []
    # a minus sign set apart from its number ("- 3.6 ( - 6.3; - 1.0)", a separate glyph of a
    # math font): moved next to it, the length kept
    t = _LOOSE_MINUS.sub(lambda m: " -", normalise(text))
    pats = _CELL_PATTERNS[:-1] + _CELL_ONLY + _CELL_PATTERNS[-1:]
    for name, pat in pats:
        m = pat.match(t.lstrip(), 0)
        lead = len(t) - len(t.lstrip())
        if m is None:
            continue
        rest = t[lead + m.end():]
        tail = _CELL_TAIL.fullmatch(rest)
        if tail is None:
            continue
        out = _readings(name, m, hint, lead)
        if out:
            return out
    return []


# ----------------------------------------------------------------------------------------------
# running text

_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_UNITS = {k: v for k, v in WORDS.items() if 1 <= v <= 9}
# "Seventy-four", "thirty nine", "forty": a tens word with an optional unit word
TENS_WORDS = r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(_UNITS) + r"))?)"
# "seven", "Seventy-four", "thirty nine"
_NUMWORD = (r"(?:(?:" + "|".join(_TENS) + r")(?:[- ](?:" + "|".join(_UNITS) + r")\b)?|"
            + "|".join(sorted((w for w in WORDS if w not in _TENS), key=len, reverse=True)) + r")")


def word_number(tok: str) -> float | None:
    """The value of a number written in words ("Seventy-four" -> 74), else None."""
    parts = re.split(r"[- ]+", tok.strip().lower())
    if len(parts) == 1:
        return float(_TENS.get(parts[0], WORDS.get(parts[0], -1))) if parts[0] in _TENS or parts[0] in WORDS else None
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS:
        return float(_TENS[parts[0]] + _UNITS[parts[1]])
    return None


# a zero count in words: "no deaths", "no patient died", "none of the patients", "compared with none"
_ZERO_NOUN = (r"(?:patients?|subjects?|participants?|children|infants?|cases?|deaths?|death|mortality|died|"
              r"(?:serious\s+)?adverse\s+(?:events?|effects?|reactions?)|side\s+effects?|complications?|s?aes?|teaes?|"
              r"events?|infections?|recurrences?|fatalities|bleedings?)")
_ZERO_SKIP = r"(?!(?:significant|statistically|difference|differences|change|changes|evidence|association|correlation|further|other|more|longer|clear|relevant)\b)"
_ZERO = (r"\b(?:no|none\s+of\s+the)\s+(?:" + _ZERO_SKIP + r"[a-z][\w-]*\s+){0,2}?" + _ZERO_NOUN + r"\b"
         r"|(?:(?<=\()|" + "|".join(r"(?<=\b" + w + r"\s)" for w in ("to", "with", "and", "vs", "versus")) + r")none\b(?!\s+of\b)")
_PROSE = re.compile(
    r"(?P<pm>(?<![\w.])" + _N + r"\s*(?:±|\+/-)\s*" + _N + r"(?:\s*[(\[]\s*" + _N + _D + _N + r"\s*[)\]])?)"
    r"|(?P<cnt_frac>(?<![\w.])\d+\s*\(\s*\d+\s*/\s*\d+(?:\s*[,;]\s*" + _N + r"\s*%)?\s*\))"
    r"|(?P<frac>(?<![\w./])\d+\s*(?:/|of|out of)\s*\d+(?![\d/])(?:\s*[(\[]\s*" + _N + r"\s*%\s*[)\]])?)"
    r"|(?P<interval>(?<![\w.])" + _N + r"\s*[(\[]\s*(?:(?:IQR|range|95\s*%\s*CI)\s*[,:]?\s*)?" + _N + r"\s*%?" + _D + _N + r"\s*%?\s*[)\]])"
    r"|(?P<noun_pct>(?<![\w.])\d+\s+" + _SUBJ_NOUN + r"\s+[a-z]{2,12}\s*\(\s*" + _N + r"\s*%\s*\))"
    r"|(?P<paren>(?<![\w.])" + _N + r"\s*%?\s*(?:[a-z]{1,12}\s*)?\(\s*(?:(?:SD|SE|SEM|s\.d\.)\s*[,:=]?\s*±?|±)?\s*" + _N + r"\s*%?\s*\))"
    r"|(?P<pct>(?<![\w.])" + _N + r"\s*%)"
    r"|(?P<words>\b" + _NUMWORD + r"(?:\s+(?:\w+\s+)?" + _SUBJ_NOUN + r"\b|(?=\s*\(\s*" + _N + r"\s*%\s*\))))"
    r"|(?P<zero>" + _ZERO + r")"
    r"|(?P<plain>(?<![\w.])" + _N + r"(?![\w%]))",
    re.I,
)
_PCT_PAREN_AFTER = re.compile(r"\s*\(\s*(?P<p>" + _N + r")\s*%\s*\)")
_PCT_FRAC_AFTER = re.compile(r"\s*[(\[]\s*(?P<e>\d+)\s*(?:/|of|out\s+of)\s*(?P<t>\d+)\s*(?:[a-z]+\s*)?[)\]]", re.I)
_CI_AFTER = re.compile(r"\s*[(\[,;]?\s*(?:95\s*%\s*(?:CI|confidence interval)|CI)\s*[,:=]?\s*(?P<b>" + _N + r")\s*%?" + _D + r"(?P<c>" + _N + r")\s*%?\s*[)\]]?", re.I)


def find_statistics(text: str, start: int = 0, end: int | None = None, hint: str = "") -> list[Reading]:
    """Every statistic printed in ``text[start:end]`` (default readings only; spans are offsets
    into ``text``). A value followed by "(95% CI a to b)" gets ci_lower / ci_upper."""
    end = len(text) if end is None else min(end, len(text))
    t = _normalised_document(text)  # same length: offsets, and the search is bounded by ``end``
    out: list[Reading] = []
    pos = start
    while pos < end:
        m = _PROSE.search(t, pos, end)
        if m is None:
            break
        name = m.lastgroup or "plain"
        if name == "zero":
            w = re.match(r"\w+", m.group(0)).group(0)
            out.append(Reading("count_zero", {"events": 0.0}, {"events": (m.start(), m.start() + len(w))}, m.start(), m.end()))
            pos = m.end()
            continue
        if name == "words":
            w = re.match(r"(?i)" + _NUMWORD, m.group(0)).group(0)
            r = Reading("count_words", {"events": word_number(w)}, {"events": (m.start(), m.start() + len(w))}, m.start(), m.end())
            pp = _PCT_PAREN_AFTER.match(t, m.end(), min(end, m.end() + 20))
            if pp is not None and 0 <= _num(pp.group("p")) <= 100:
                # "Two patients (3%)": the count and its percentage
                r.kind = "count_words_pct"
                r.fields["percent"], r.spans["percent"] = _num(pp.group("p")), pp.span("p")
                r.end = pp.end()
            out.append(r)
            pos = r.end
            continue
        sub = _CELL_PATTERNS[[n for n, _ in _CELL_PATTERNS].index(name)][1]
        mm = sub.match(t, m.start(), m.end())
        rs = _readings(name, mm, hint) if mm is not None else []
        pos = m.end()
        if not rs:
            continue
        r = rs[0]
        pf = _PCT_FRAC_AFTER.match(t, r.end, min(end, r.end + 40)) if r.kind == "percent" else None
        if pf is not None:
            e_, t_ = _num(pf.group("e")), _num(pf.group("t"))
            if 0 < t_ and e_ <= t_ and abs(100.0 * e_ / t_ - r.fields["percent"]) <= 1.0:
                # "40% (12 out of 30)": one count with its total and percentage
                r.kind = "count_total_pct"
                r.fields.update(events=e_, total=t_)
                r.spans.update(events=(pf.start("e"), pf.end("e")), total=(pf.start("t"), pf.end("t")))
                r.end = pos = pf.end()
                out.append(r)
                continue
        ci = _CI_AFTER.match(t, r.end, min(end, r.end + 60))
        if ci is not None and r.kind in ("value", "percent", "mean_sd", "count_pct", "count_total_pct"):
            lo, hi = _num(ci.group("b")), _num(ci.group("c"))
            if lo <= hi:
                if r.kind == "value":
                    r.kind, r.fields, r.spans = "value_ci", {"mean": r.fields["value"]}, {"mean": r.spans["value"]}
                r.fields.update(ci_lower=lo, ci_upper=hi)
                r.spans.update(ci_lower=(ci.start("b"), ci.end("b")), ci_upper=(ci.start("c"), ci.end("c")))
                r.end = ci.end()
                pos = ci.end()
        out.append(r)
    return out
