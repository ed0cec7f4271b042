"""Candidates: every statistic printed in a PDF, with its context and exact provenance.

A table cell gives one candidate per field of each reading of its text (extraction.statistics),
with the row label (and the group label of an indented block), the column header(s), the
caption, the column's arm; a prose sentence gives one per field of each statistic found in it,
with the words before it (its subject), the sentence and the arm named nearest to it.
Provenance is the cell's box (tables) or the box of subject + statistic, anchored on the number
(prose), both through extraction.provenance, so the excerpt is the text inside the box.
Which candidates are values a reviewer extracts, and as which outcome, is extraction.scorer's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .layout import Layout, PageTable
from .provenance import Provenance, from_box, from_span
from .rules import Arm, timepoint_of
from .statistics import Reading, find_statistics, parse_cell
from .tables import _header_depth, merged_header
from .text import slug

_N_IN_HEADER = re.compile(r"\(?\s*[nN]\s*=\s*(\d+)\s*\)?")
_TOTAL_COL = re.compile(r"(?i)^\s*(?:total|overall|all(?:\s+(?:patients|participants|subjects))?|whole\s+cohort|entire\s+cohort)\b")
# a total column named under a spanning header ("Value" over "All patients"): the name ends it
_TOTAL_END = re.compile(r"(?i)\b(?:total|overall|all\s+(?:patients|participants|subjects|cases)|whole\s+cohort|entire\s+cohort|"
                        r"study\s+(?:population|cohort)|included(?:\s+(?:patients|participants|subjects|cohort))?)\s*[a-z*†‡]?\s*(?:\(?\s*[nN]\s*=\s*\d[\d,]*\s*\)?)?\s*[,;:]?\s*$")
# how a column's values are printed, at the end of its header ("% (n) / Mean (SD)")
_NOTATION_TAIL = re.compile(r"(?i)(?:\s|[%/(),;:\[\]±]|\b(?:n|no|mean|sd|se|median|iqr|range|or|number|percent)\b)+$")
_NOT_ARM_COL = re.compile(r"(?i)\bp[\s-]*values?\b|^\s*p\s*$|\bdiff(?:erences?)?\b|\bvs\.?(?=\s)|\bversus\b|\bodds ratio\b|\bratio\b|\beffect\b|\bsmd\b"
                          r"|(?-i:\b(?:a?OR|RR|a?HR|IRR)\b)")
_CHANGE_COL = re.compile(r"(?i)\bchange\b")


@dataclass
class Candidate:
    source: str  # "table" or "prose"
    page: int
    value: float
    field: str
    kind: str
    slot: str
    alternative: bool
    label: str  # row label or sentence subject: the printed words naming the quantity
    header: str = ""
    caption: str = ""
    group: str = ""  # label of the block of rows above (tables) or "" (prose)
    context: str = ""  # the sentence (prose) or the whole row text (tables)
    arm_id: str = ""
    arm_label: str = ""
    arm_source: str = ""  # known | header | single | mention | total | none
    timepoint: tuple[str, str, float | None] | None = None
    col: int = 0
    n_readings: int = 1
    n_stats_in_context: int = 1
    section: str = ""
    page_frac: float = 0.0
    prov: Provenance | None = None
    key: tuple = field(default_factory=tuple)  # identity of the printed statistic (for one reading per statistic)
    possible: bool = True  # False: a bare number's reading its unit or label rules out (plain_fields)
    heading: str = ""  # prose: the section heading above the sentence ("Safety", "Adverse events")
    predicate: str = ""  # prose: the words after the statistic to the end of its clause
    label_after: bool = False  # prose: the label is the words after the statistic (none before it)
    list_head: str = ""  # prose: the words before a colon that introduces the statistic ("complications were: ...")
    label_borrowed: bool = False  # prose: the label is a neighbouring statistic's (it printed no words of its own)


_PLAIN_FIELDS = ("events", "mean", "median", "n")
_COUNT_FIELDS = ("events", "n")
_MEASURE_FIELDS = ("mean", "median")
_COUNTED_AFTER = re.compile(r"(?i)\s*(?:patients?|participants?|subjects?|cases?|children|women|men|males?|females?|boys|girls|deaths?|events?)\b")
_MEASURE_AFTER = re.compile(r"(?i)\s*(?:years?|yrs?|months?|mo|days?|weeks?|wks?|hours?|h|minutes?|mins?|seconds?|s|"
                            r"mm|cm|m|ml|l|kg|g|mg|µg|mmhg|bpm|points?|°|kg/m2|kg/m²)(?![a-z])")
_COUNT_LABEL = re.compile(r"(?i)\bn\s*\(\s*%\s*\)|\bno\.\s*(?:of\b|\(|$)|\bnumber\b|,\s*n\s*$|\bcount\b")
_MEASURE_LABEL = re.compile(r"(?i)[(,]\s*(?:years?|yrs?|months?|days?|weeks?|hours?|h|min|minutes?|mm|cm|ml|kg|g|mg|"
                            r"kg/m2|kg/m²|mmhg|bpm|points?|ms)\s*\)?\s*$|\b(?:mean|median|average)\b|\bage\b|\bduration\b")


def plain_fields(after: str, label: str) -> tuple[str, ...]:
    """The fields a bare number may be: a counted noun after it or a count label ("29 patients",
    "Smokers, n (%)") makes it a count, never a mean; a unit of measure or duration ("29 years",
    "Age (years)", "Hospital stay, days") a mean or median, never a count; otherwise any of them."""
    if _COUNTED_AFTER.match(after) or _COUNT_LABEL.search(label):
        return _COUNT_FIELDS
    if _MEASURE_AFTER.match(after) or _MEASURE_LABEL.search(label):
        return _MEASURE_FIELDS
    return _PLAIN_FIELDS


def expand_plain(readings: list[Reading], extra: tuple[str, ...] = ()) -> list[Reading]:
    """A bare number is one reading per field it may be (events, mean, median, n, and the
    ``extra`` ones: a table cell under a "%" label or header may be a percentage); the scorer
    picks, and a reading :func:`plain_fields` rules out is never accepted."""
    if not readings or readings[0].kind != "value":
        return readings
    r = readings[0]
    v, sp = r.fields["value"], r.spans["value"]
    fields = _PLAIN_FIELDS + tuple(f for f in extra if f not in _PLAIN_FIELDS and not (f == "percent" and not 0 <= v <= 100))
    return [Reading("value_" + f, {f: v}, {f: sp}, r.start, r.end, i > 0) for i, f in enumerate(fields)]


_FIELD_HEADERS = (
    ("mean", r"mean|average"), ("sd", r"sd|s\.d\.|standard\s+deviation|std\.?\s*dev\.?"), ("se", r"se|sem|s\.e\.|standard\s+error"),
    ("median", r"median"), ("min", r"min\.?|minimum|lowest"), ("max", r"max\.?|maximum|highest"), ("percent", r"%|percent(?:age)?"),
)
_FIELD_HEADER_RE = [(f, re.compile(r"(?i)^\s*(?:" + rx + r")\s*(?:\([^()]*\))?\s*[a-z*†‡]?\s*$")) for f, rx in _FIELD_HEADERS]


def header_field(head: str) -> str | None:
    """The field a column header names when it is nothing but a statistic's name ("Mean",
    "Standard deviation", "Maximum (mm)"): its cells are that statistic."""
    for f, rx in _FIELD_HEADER_RE:
        if rx.match(head or ""):
            return f
    return None


_UNMAPPED = re.compile(r"[\x00-\x08\x0e-\x1f]|\(cid:\d+\)")


def fix_unmapped(cell: str, hint: str) -> str:
    """A cell's glyph codes that the font maps to no character (a math font's control codes):
    one right before the cell's first number is its minus sign ("\\x0211.3"); one between two
    numbers, under a label or header printing "±" or "SD", the ± sign ("66\\x069")."""
    code = r"(?:[\x00-\x08\x0e-\x1f]|\(cid:\d+\))"
    out = re.sub(r"^(\s*)" + code + r"(?=\d)", r"\1-", cell)
    if re.search(r"±|\bsd\b|standard deviation", hint, re.I):
        out = re.sub(r"(?<=\d)\s*" + code + r"\s*(?=\d)", " ± ", out)
    return out


_PCT_HINT = re.compile(r"%|\bpercent(?:age)?\b|\bproportion\b")
_SLASH_CATS = re.compile(r"\(([^()]*?/[^()]*?)\)|((?:[A-Za-z][\w-]*|[+\u2212-])(?:\s*/\s*(?:[A-Za-z][\w-]*|[+\u2212-]))+)")
_SLASH_COUNTS = re.compile(r"^\s*\d+(?:\s*/\s*\d+)+\s*$")
_NAMED_COUNT = re.compile(r"([A-Za-z][A-Za-z -]{0,30}?)[\s:=]+(\d+)(?:\s*\(\s*(\d+(?:\.\d+)?)\s*%?\s*\))?")


def split_counts(cell: str, label: str) -> list[tuple[str, dict[str, float]]]:
    """(label, fields) per category of a cell that prints one count per category:
    "13/8" under "Gender (male/female)" or "Marker (+/−)" (as many numbers as the label's
    slash-separated categories), "Boys 10, girls 5" or "Male 12 (40%), female 18 (60%)" (a name
    before each count). ``[]`` for any other cell."""
    if _SLASH_COUNTS.match(cell):
        nums = [float(x) for x in re.findall(r"\d+", cell)]
        label = re.sub(r"\(\s*±\s*\)", "(+/−)", label)  # "(+/−)" read as one "±" glyph
        for m in _SLASH_CATS.finditer(label):
            cats = [c.strip() for c in (m.group(1) or m.group(2)).split("/")]
            if len(cats) == len(nums) and all(cats):
                fmt = "({})" if m.group(1) is not None else "{}"
                return [(_clean(label[: m.start()] + fmt.format(c) + label[m.end():]), {"events": n}) for c, n in zip(cats, nums)]
        return []
    pieces = [p for p in re.split(r"\s*[,;]\s*", cell.strip()) if p]
    if len(pieces) < 2:
        return []
    out = []
    for p in pieces:
        m = _NAMED_COUNT.fullmatch(p)
        if m is None:
            return []
        fields = {"events": float(m.group(2))}
        if m.group(3) is not None:
            fields["percent"] = float(m.group(3))
        out.append((_clean(f"{label} {m.group(1)}"), fields))
    return out


def _clean(s: str) -> str:
    return " ".join((s or "").replace("\n", " ").split())


_DESCRIPTOR = re.compile(
    r"(?i)\b(?:mean|median|sd|se|sem|iqr|range|ci|95|n|no|number|percent|value|values|standard|deviation|error|minimum|maximum|min|max|average|patients|participants|subjects|"
    r"baseline|pre|post|before|after|at|visit|follow-up|week|weeks|month|months|year|years|day|days|hours?|"
    r"discharge|end|treatment|study|overall|all|cohort|total|of|and|or|the|in|from|to|change|score|scores|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|twelve|first|second|third|%|±)\b|[0-9.()\[\]%±=,;:/+-]")


def _arm_for_header(text: str, arms: list[Arm], single: bool, caption: str = "", abbrev: dict[str, str] | None = None) -> tuple[str, str, str]:
    """(arm_id, label, source) of a table column from its header text.

    A header that only says how or when the column is measured ("Baseline, mean (SD)",
    "Week 26") is the whole cohort of a single-arm study, not an arm, or the one arm the
    caption names ("Characteristics of the surgery group"); a header that is mostly numbers (a
    data row read as header) or an effect or p-value column is no arm at all."""
    if not text:
        return ("all", "all", "single") if single or not arms else ("", "", "none")
    main = [a for a in arms if not a.subgroup]
    if _NOT_ARM_COL.search(text):
        return "", text, "not_arm"
    # the arm whose name matches the most of the header ("Class III/IV" over "Class II"); then
    # the header with the abbreviations its table's footnote defines ("ST" = "standard therapy")
    expanded = re.sub(r"\b[A-Z][A-Za-z0-9+/-]*[A-Z0-9]\b", lambda m: (abbrev or {}).get(m.group(0), m.group(0)), text) if abbrev else text
    for src, txt in (("known", text), ("abbreviation", expanded)):
        hits = [(max((m.end() - m.start() for m in a.alias_re().finditer(txt)), default=0), -i, a) for i, a in enumerate(main)]
        best = max(hits, key=lambda h: (h[0], h[1]), default=None)
        if best is not None and best[0] > 0:
            return best[2].arm_id, best[2].label, src
        if txt == text and not abbrev:
            break
    if _CHANGE_COL.search(text):
        return "", text, "not_arm"
    if _TOTAL_COL.match(text) or _TOTAL_END.search(_NOTATION_TAIL.sub("", text)):
        return "all", "all", "total"
    if len(re.findall(r"\d+(?:\.\d+)?", _N_IN_HEADER.sub(" ", text))) > 3:
        return "", text, "not_arm"
    if not _DESCRIPTOR.sub(" ", text).strip():
        if single or not arms:
            return "all", "all", "descriptor"
        named = [a for a in main if caption and a.alias_re().search(caption)]
        if len(named) == 1:
            return named[0].arm_id, named[0].label, "caption"
        return "", text, "descriptor"
    if len(re.findall(r"[A-Za-z]{2,}", _N_IN_HEADER.sub(" ", text))) > 6:
        return "", text, "not_arm"  # a run of header words, not an arm's name
    label = _N_IN_HEADER.sub(" ", text)
    label = _clean(re.sub(r"[,;:]\s*$", "", label))
    if not re.search(r"[A-Za-z]{2,}", label):
        return "", text, "none"
    return "col_" + slug(label, 30), label, "header"


_ARM_WORDS = re.compile(r"(?i)\b(?:group|arm|cohort|patients?|participants?|subjects?|n|all)\b|[^A-Za-z]+")


def _row_arm(label: str, arms: list[Arm]) -> Arm | None:
    """The arm a row label is, when it is nothing but an arm's name ("Drug X",
    "Placebo group (n = 40)"): a table whose rows are the arms and whose columns the quantities."""
    if not label:
        return None
    for a in arms:
        if a.subgroup:
            continue
        m = a.alias_re().search(label)
        if m is not None and not _ARM_WORDS.sub("", _N_IN_HEADER.sub(" ", label[: m.start()] + label[m.end():])).strip():
            return a
    return None


def _section(page: int, n_pages: int, pos: int, disc: int, ref: int) -> str:
    if pos >= ref:
        return "references"
    if pos >= disc:
        return "discussion"
    return "first_page" if page == 1 else "body"


def table_candidates(layout: Layout, source_file: str, arms: list[Arm], single: bool, n_pages: int) -> list[Candidate]:
    out: list[Candidate] = []
    for ti, t in enumerate(layout.tables):
        if len(t.rows) < 2:
            continue
        depth = _header_depth(t)
        header = merged_header(t)
        cols = {ci: _arm_for_header(_clean(h[0]) if h else "", arms, single, _clean(t.caption), t.abbreviations) for ci, h in enumerate(header)}
        if single:
            # a single-arm study's table with one column of values under a header that names no
            # arm ("Mean (SD) or N (%)", "Number"): that column is the cohort's
            named = [ci for ci, v in cols.items() if v[2] == "header" and ci > 0
                     and any(ci < len(r) and r[ci] is not None and re.search(r"\d", r[ci][0] or "") for r in t.rows[depth:])]
            if len(named) == 1 and not any(v[0] == "all" or v[2] == "known" for v in cols.values()):
                cols[named[0]] = ("all", "all", "single_col")
        group, group_x0, indented = "", 0.0, False
        for ri, row in enumerate(t.rows[depth:], start=depth):
            if not row or row[0] is None:
                continue
            label = _clean(row[0][0])
            data = [(ci, c) for ci, c in enumerate(row[1:], start=1) if c is not None and _clean(c[0])]
            if label and not data:
                group = label  # a block heading ("Complications, n (%)")
                group_x0, indented = row[0][1][0], False
                continue
            if group and label:
                # a block set off by indented rows ends at the first row that is not indented
                if row[0][1][0] > group_x0 + 1.0:
                    indented = True
                elif indented:
                    group = ""
            row_text = " | ".join(_clean(c[0]) for c in row if c is not None)
            row_arm = _row_arm(label, arms)
            for ci, (ctext, cbox) in data:
                ctext = _clean(ctext)
                if _UNMAPPED.search(ctext):
                    ctext = fix_unmapped(ctext, " ".join((label, group, header[ci][0] if ci < len(header) and header[ci] else "")))
                head = _clean(header[ci][0]) if ci < len(header) and header[ci] else ""
                hint = " ".join((label, group, head, t.caption, t.notes))
                pct = bool(_PCT_HINT.search(" ".join((label, group, head, t.notes))))
                arm_id, arm_label, arm_src = cols.get(ci, ("", "", "none"))
                qlabel = label
                if row_arm is not None and arm_src not in ("known", "total"):
                    # arms as rows, quantities as columns: "Drug X | 12.5 | 30.1"
                    arm_id, arm_label, arm_src = row_arm.arm_id, row_arm.label, "row"
                    qlabel = head or label
                tp = timepoint_of(label) or timepoint_of(head) or timepoint_of(group)
                prov = from_box(layout, source_file, t.page, cbox, "candidate.table", 0.0)
                parts = split_counts(ctext, label)
                if parts:
                    # "12/9" under "Gender (male/female)", "Boys 10, girls 5": one count per category
                    for k, (sub_label, fields) in enumerate(parts):
                        for fld, v in fields.items():
                            out.append(Candidate(
                                "table", t.page, v, fld, "split_" + fld, fld, False, sub_label if qlabel == label else qlabel + " " + sub_label, head, _clean(t.caption), group,
                                row_text, arm_id, arm_label, arm_src, tp, ci, 1, len(data), "table",
                                t.page / max(n_pages, 1), prov, ("t", ti, ri, ci, k)))
                    continue
                readings = parse_cell(ctext, hint)
                col_field = header_field(head)
                if col_field and readings and readings[0].kind in ("value", "sd_only"):
                    # a column of one statistic ("Mean", "Standard deviation", "Maximum")
                    r0 = readings[0]
                    v, sp = next(iter(r0.fields.values())), next(iter(r0.spans.values()))
                    if col_field in ("sd", "se") or r0.kind == "value":
                        readings = [Reading("col_" + col_field, {col_field: v}, {col_field: sp}, r0.start, r0.end)]
                readings = expand_plain(readings, ("percent",) if pct else ())
                possible = plain_fields("", " ".join((label, group)))
                if pct and "events" not in possible[:1]:
                    possible = possible + ("percent",)
                if not readings:
                    continue
                for r in readings:
                    for fld, v in r.fields.items():
                        out.append(Candidate(
                            "table", t.page, v, fld, r.kind, r.slot(fld), r.alternative, qlabel, head, _clean(t.caption), group,
                            row_text, arm_id, arm_label, arm_src, tp, ci, len(readings), len(data), "table",
                            t.page / max(n_pages, 1), prov, ("t", ti, ri, ci), not r.kind.startswith("value_") or fld in possible))
    return out


_SUBJECT_CUT = re.compile(r"[;:()\[\]]|,\s|\band\b|\bversus\b|\bvs\.?|\bcompared with\b")
# words that only join a statistic to the arm it belongs to ("12 (40%) of patients in the X group")
_JOIN_AFTER = re.compile(r"(?i)^[\s,()\[\]]*(?:(?:of|in|on|from|among|for|with|treated|receiving|received|given|randomi[sz]ed|"
                         r"allocated|assigned|those|patients?|subjects?|participants?|cases?|children|women|men|the|a|an|who|"
                         r"were|was|group|arm|cohort)\b[\s,()\[\]]*){1,8}$")
# words between an arm's name and its statistic printed right after it ("X (3%)", "in the X group was 4")
_JOIN_BEFORE = re.compile(r"(?i)^[\s(\[,:=]*(?:(?:group|arm|cohort|patients?|subjects?|with|had|has|have|was|were|is|are|"
                          r"showed|reported|experienced|of)\b[\s(\[,:=]*){0,3}$")
_EACH_ARM = re.compile(r"(?i)[\s,]*(?:patients?\s+|subjects?\s+|participants?\s+)?(?:in|of|from)\s+(?:each|both|either|all)\s+"
                       r"(?:of\s+the\s+)?(?:(?:two|three|treatment|study)\s+)?(?:groups?|arms?|cohorts?)\b")
_RESPECTIVELY = re.compile(r"(?i)\brespectively\b")
_COUNTED_NOUN = re.compile(r"(?i)\b(?:no|none|of\s+the|" + "|".join(
    ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
     "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty")) + r")\b")
_PREDICATE_CUT = re.compile(r"(?i)[;:\[\]]|,\s|\(\s*(?:95|p\b|difference|ci\b)|\s(?:compared|versus|vs\.?|whereas|while|but|than|respectively)\b"
                            r"|\sand\s+(?=(?:\S+\s+){0,2}?\S*\d)|\d")
_CLAUSE_BREAK = re.compile(r"(?i),\s+(?:but|and|whereas|while|although)(?:\s+|$)|;\s*|\s(?:while|whereas)(?:\s+|$)")
_NOT_CONTENT = {"patients", "patient", "subjects", "subject", "participants", "participant", "those", "group", "groups", "arm",
                "arms", "cohort", "cases", "case", "children", "respectively", "total", "overall",
                # units and time words: "... at 90 minutes (62%)" names no quantity
                "minutes", "minute", "min", "hours", "hour", "days", "day", "weeks", "week", "months", "month", "years", "year",
                "seconds"}


def _content_words(text: str, mentions_re: list[re.Pattern[str]]) -> list[str]:
    """Words of a subject that name a quantity: not an arm's name, a function word or a word for
    patients or groups."""
    from .scorer import _FUNCTION_WORDS

    for rx in mentions_re:
        text = rx.sub(" ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z-]+", text)
            if len(w) >= 3 and w.lower() not in _FUNCTION_WORDS and w.lower() not in _NOT_CONTENT]


def _predicate(text: str, end: int, sb: int) -> str:
    """The words after a statistic up to the end of its clause ("... experienced bradycardia")."""
    tail = text[end : min(sb, end + 100)]
    cut = _PREDICATE_CUT.search(tail)
    if cut:
        tail = tail[: cut.start()]
    return _clean(tail.strip(" ()[],.;"))


def _own_words(text: str, r: Reading) -> str:
    """The words printed inside a count ("no deaths", "Seven patients", "12 patients died (24%)")."""
    if r.kind not in ("count_words", "count_words_pct", "count_zero", "count_pct"):
        return ""
    own = re.sub(r"\(.*$", "", text[r.start : r.end])
    return _clean(_COUNTED_NOUN.sub(" ", re.sub(r"[\d.,%]+", " ", own)))


def _headings(layout: Layout) -> list[tuple[int, str]]:
    """(stream offset, text) of the lines that read as section headings: a short line outside
    tables, without digits or final punctuation, starting with a capital letter."""
    st = layout.stream
    out = []
    for i, ln in enumerate(layout.lines):
        if ln.table is not None or not ln.words or len(ln.words) > 4 or i >= len(st.line_spans):
            continue
        t = ln.text.strip()
        if not t or not t[0].isupper() or re.search(r"\d|[.,;:]$|[=±%]", t) or len(t) > 40:
            continue
        out.append((st.line_spans[i][0], t))
    return out


def _arm_of(text: str, r0: Reading, mentions: list[tuple[int, int, Arm]], sa: int) -> tuple[list[Arm], str]:
    """The arm(s) a prose statistic belongs to, and how that was found: an arm named right after
    it with only joining words between ("12 (40%) of patients in the X group"), "in each group"
    (every arm named), an arm named right before it ("X (3%)"), else the nearest arm named."""
    if not mentions:
        return [], "none"
    after = [m for m in mentions if m[0] >= r0.end and m[0] - r0.end <= 60]
    if after:
        p0, _e0, a0 = min(after, key=lambda m: m[0])
        between = text[r0.end : p0]
        if not re.search(r"\d", between) and (not between.strip() or _JOIN_AFTER.match(between)):
            return [a0], "attached"
    before = [m for m in mentions if m[1] <= r0.start and r0.start - m[1] <= 30]
    if before:
        _p0, e0, a0 = max(before, key=lambda m: m[1])
        between = text[e0 : r0.start]
        if not re.search(r"\d", re.sub(r"(?i)\bn\s*=\s*\d+", " ", between)) and _JOIN_BEFORE.match(between):
            return [a0], "attached"
    a = min(mentions, key=lambda m: min(abs(m[0] - r0.end), abs(m[1] - r0.start)) + (0 if m[0] >= r0.end else 15))[2]
    return [a], "mention"


def _subject_start(text: str, prev_end: int, start: int) -> int:
    """Where the words naming the statistic at ``start`` begin: after the last clause cut (";",
    brackets, ", ", "and", "versus", ...) at least 12 characters before it, within 90 characters and
    not before the previous statistic's end; never in the middle of a word."""
    lo = max(prev_end, start - 90)
    before = text[lo:start]
    cut = list(_SUBJECT_CUT.finditer(before))
    if cut and len(before) - cut[-1].end() > 12:
        return lo + cut[-1].end()
    if lo > prev_end and " " in before:
        return lo + before.index(" ") + 1
    return lo


def prose_candidates(layout: Layout, source_file: str, text: str, sents: Iterable[tuple[int, int]], arms: list[Arm],
                     single: bool, n_pages: int, disc: int, ref: int, extra_arms: Iterable[Arm] = ()) -> list[Candidate]:
    out: list[Candidate] = []
    st = layout.stream
    assert st is not None
    main_arms = [a for a in arms if not a.subgroup] + list(extra_arms)
    alias_res = [a.alias_re() for a in main_arms]
    heads = _headings(layout)
    hi = 0
    heading = ""
    for sa, sb in sents:
        while hi < len(heads) and heads[hi][0] <= sa:
            heading = heads[hi][1]
            hi += 1
        if sa >= ref or sb - sa > 1500:
            continue
        seg = text[sa:sb]
        stats = [r for r in find_statistics(text, sa, sb) if r.kind != "value" or _looks_counted(text, r, main_arms)]
        if not stats:
            continue
        mentions = []
        for a in main_arms:
            for m in a.alias_re().finditer(seg):
                mentions.append((sa + m.start(), sa + m.end(), a))
        tp_s = timepoint_of(seg)
        # "... in X and Y ... 24.5 and 61.0 months, respectively": the statistics before
        # "respectively" go to the arms named before them, in order
        resp: dict[int, Arm] = {}
        rm = _RESPECTIVELY.search(seg)
        if rm and not single and mentions:
            run = [r for r in stats if r.end <= sa + rm.start()]
            if len(run) >= 2:
                order: list[Arm] = []
                for p, _e, a in sorted(mentions, key=lambda m: m[0]):
                    if p < run[0].start and all(a.arm_id != x.arm_id for x in order):
                        order.append(a)
                same = [r for r in run if r.kind == run[-1].kind]
                if len(order) == len(same) >= 2:
                    resp = {r.start: a for r, a in zip(same, order)}
        prev_end = sa
        prev_label, prev_after = "", False
        labels: list[tuple[str, bool, bool]] = []  # (label, words after the statistic, borrowed from a neighbour)
        for r0 in stats:
            subj_start = _subject_start(text, prev_end, r0.start)
            subject = _clean(text[subj_start:r0.start])
            brk = list(_CLAUSE_BREAK.finditer(subject))
            if brk:
                subject = subject[brk[-1].end():]  # "No patient died, but one patient ...": not the clause before
            if max(prev_end, r0.start - 90) == prev_end > sa and re.search(r"(?i)(?:\b(?:and|or)|[,;])\s*$", subject):
                # "30 were men and 20 were women", "30 (60%) male, 20 (40%) female": the words before
                # "and" or the comma are the first count's
                subject = ""
            in_run = prev_end > sa and not re.search(r"[A-Za-z]", text[prev_end : r0.start])
            prev_end = r0.end
            after = borrowed = False
            if not _content_words(subject, alias_res):
                # no words of its own before it: in a run of numbers (a table's row read as text) the
                # subject of the statistic before it; else the counted noun and the clause after it
                # ("no deaths", "Seven patients ... experienced X"), else the subject before it
                own = _clean(_own_words(text, r0) + " " + _predicate(text, r0.end, sb))
                if in_run and prev_label:
                    subject, after, borrowed = prev_label, prev_after, True
                elif _content_words(own, alias_res):
                    subject, after = own, True
                elif prev_label:
                    subject, after, borrowed = prev_label, prev_after, True
            prev_label, prev_after = subject, after
            labels.append((subject, after, borrowed))
        # "Three patients in X and 9 in Y experienced Z": a statistic without words of its own takes
        # those of the next one
        for i in range(len(labels) - 2, -1, -1):
            between = text[stats[i].end : stats[i + 1].start]
            if not _content_words(labels[i][0], alias_res) and _content_words(labels[i + 1][0], alias_res) \
                    and "(" not in between and re.search(r"[A-Za-z]", between):  # not a breakdown in brackets or a row
                labels[i] = (labels[i + 1][0], labels[i + 1][1], True)
        prev_end = sa
        for r0, (subject, label_after, borrowed) in zip(stats, labels):
            subj_start = _subject_start(text, prev_end, r0.start)
            prev_end = r0.end
            if single:
                targets, src = [("all", "all")], "single"
            elif r0.start in resp:
                targets, src = [(resp[r0.start].arm_id, resp[r0.start].label)], "respectively"
            elif _EACH_ARM.match(text, r0.end) and len(main_arms) >= 2:
                targets, src = [(a.arm_id, a.label) for a in main_arms], "each"
            else:
                found, src = _arm_of(text, r0, mentions, sa)
                targets = [(a.arm_id, a.label) for a in found] or [("", "")]
            w = st.owner[r0.start] if 0 <= r0.start < len(st.owner) else -1
            page = layout.words[w].page if w >= 0 else 0
            anchor = next(iter(r0.spans.values()))
            prov = from_span(layout, source_file, subj_start, r0.end, "candidate.prose", 0.0, anchor)
            sec = _section(page, n_pages, r0.start, disc, ref)
            readings = expand_plain([r0])
            possible = plain_fields(text[r0.end : r0.end + 25], subject)
            predicate = _clean(_own_words(text, r0) + " " + _predicate(text, r0.end, sb))
            colon = text.rfind(":", sa, r0.start)
            list_head = _clean(text[sa:colon]) if colon >= 0 else ""
            for arm_id, arm_label in targets:
                for r in readings:
                    for fld, v in r.fields.items():
                        out.append(Candidate(
                            "prose", prov.page or page, v, fld, r.kind, r.slot(fld), r.alternative, subject, "", "", "", _clean(seg),
                            arm_id, arm_label, src, timepoint_of(subject) or tp_s, 0, len(readings), len(stats), sec,
                            (prov.page or page) / max(n_pages, 1), prov, ("p", r0.start, arm_id),
                            not r.kind.startswith("value_") or fld in possible, heading, predicate, label_after, list_head, borrowed))
    return out


def header_arms(cands: list[Candidate]) -> list[Arm]:
    """Arms named only by table column headers, so that sentences naming them are read too."""
    seen: dict[str, Arm] = {}
    for c in cands:
        if c.arm_source == "header" and c.arm_id not in seen and len(c.arm_label) >= 3:
            seen[c.arm_id] = Arm(c.arm_id, c.arm_label)
    return list(seen.values())


def _looks_counted(text: str, r: Reading, arms: Iterable[Arm] = ()) -> bool:
    """A bare number in prose is kept only when a counted noun or unit follows it, or an arm's
    name right after "in" / "on" ("compared with 4 in the X group")."""
    after = text[r.end : r.end + 25].lower()
    if re.match(r"\s*(?:patients?|participants?|subjects?|cases?|children|women|men|males?|females?|boys|girls|deaths?|events?|"
                r"days?|weeks?|months?|years?|hours?|minutes?|min\b|h\b|mm|cm|ml|kg)", after):
        return True
    if not float(r.fields.get("value", 0.5)).is_integer():
        return False
    m = re.match(r"\s+(?:in|on|from|of)\s+(?:the\s+|those\s+(?:in|on|receiving)\s+(?:the\s+)?)?", text[r.end : r.end + 40])
    return bool(m) and any(a.alias_re().match(text, r.end + m.end()) for a in arms)
