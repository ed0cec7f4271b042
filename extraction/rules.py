"""Field rules: arms, and outcome values from running text.

Every rule is a general pattern (documented at its function), never a per-paper special case.
Rules return :class:`Value` objects carrying stream spans; :mod:`extraction.extract` turns the spans
into provenance (page, box, excerpt).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from evidence.vocabulary import timepoint_key

from .lexicon import COMPLICATION_CODES, Lexicon, default_lexicon
from .patterns import NUM, NUMW, Count, find_counts, parse_stat, to_number, unit_of
from .statistics import TENS_WORDS as _TENS_WORDS
from .statistics import word_number
from .text import slug

# ---------------------------------------------------------------------------------------------
# treatment classes: the review's keywords (extraction.lexicon)


def treatment_class(text: str, lexicon: Lexicon | None = None) -> str:
    """The review's treatment class of an arm label or title (see :meth:`Lexicon.treatment_class`)."""
    return (lexicon or default_lexicon()).treatment_class(text)


# ---------------------------------------------------------------------------------------------


@dataclass
class Arm:
    arm_id: str
    label: str
    treatment_class: str = "other"
    n_patients: float | None = None
    n_lesions: float | None = None
    letter: str | None = None
    description: str = ""
    label_span: tuple[int, int] | None = None
    n_span: tuple[int, int] | None = None
    lesions_span: tuple[int, int] | None = None
    subgroup: bool = False
    aliases: list[str] = field(default_factory=list)  # regex alternatives naming the arm
    strict_alias: bool = False  # the label alone does not name the arm (only ``aliases`` do)
    treatment: str = ""  # what the arm received, when printed as a verb phrase ("undergo LVA ablation")

    def alias_re(self) -> re.Pattern[str]:
        alts = list(self.aliases)
        if self.letter:
            alts.append(r"groups?\s+" + self.letter + r"\b")
            alts.append(r"\b" + self.letter + r"\s+group\b")
        if self.label and len(self.label) > 1 and not self.strict_alias:
            # "PVI + CFAE" is also printed "PVI+CFAE" / "PVI +CFAE"
            alts.append(re.sub(r"(?:\\ )*\\\+(?:\\ )*", lambda _m: r"\s*\+\s*", re.escape(self.label)) + r"(?![\w+])")
            # "LVA-ABL group" is also named "LVA-ABL" (a table header, "the LVA-ABL arm")
            stem = re.sub(r"(?i)\s+(?:group|arm|cohort)$", "", self.label)
            if stem != self.label and len(stem) >= 3 and not re.fullmatch(r"(?i)control|treatment|study|intervention", stem):
                alts.append(r"(?<![\w-])" + re.escape(stem) + r"(?![\w+-])")
            # "PMMA-augmented" is also printed "augmented LSF" (but "non-augmented" is another arm)
            qual = re.fullmatch(r"[A-Z]{2,}-(?P<w>[a-z]{5,})", self.label)
            if qual:
                alts.append(r"(?<![\w-])" + qual.group("w") + r"(?![\w-])")
        return re.compile("|".join(alts) if alts else r"(?!x)x", re.I)


@dataclass
class Value:
    arm_id: str
    outcome: str
    field: str
    value: float
    span: tuple[int, int]
    anchor: tuple[int, int] | None
    extractor: str
    confidence: float
    timepoint: str = "post"
    timepoint_label: str = ""
    timepoint_days: float | None = None
    scale: str = ""
    unit: str = "patients"
    page: int | None = None
    box: tuple[float, float, float, float] | None = None


# ---------------------------------------------------------------------------------------------
# sentences

_ABBREV = re.compile(r"(?:\b(?:vs|et al|Fig|Figs|No|Nos|e\.g|i\.e|approx|Dr|Prof|Inc|Ltd|cf|al|ca|resp|Eq|Ref|Refs|Tab|Vol|pp|min|max|yr|yrs|mo)|\b[A-Z])\.$")


def sentences(text: str, line_spans: list[tuple[int, int]], table_lines: set[int]) -> list[tuple[int, int]]:
    """Sentence spans of the stream; table lines are never part of a sentence."""
    cuts: set[int] = {0, len(text)}
    for m in re.finditer(r"[.!?](?=[\s\n]+[\(\[]?[A-Z0-9])", text):
        head = text[max(0, m.start() - 8) : m.end()]
        if _ABBREV.search(head):
            continue
        if m.start() > 0 and text[m.start() - 1].isdigit() and m.end() < len(text) and text[m.end()].isdigit():
            continue
        cuts.add(m.end())
    for m in re.finditer(r"\n", text):
        before = text[: m.start()].rstrip()[-1:] if m.start() else ""
        if before in ".:;!?" or before == "":
            cuts.add(m.end())
    for li in table_lines:
        s, e = line_spans[li]
        cuts.add(s)
        cuts.add(e)
    # headings inside lines ("RESULTS:", "Results.") start a sentence
    for m in re.finditer(r"\b(?:Results|RESULTS|Conclusions?|CONCLUSIONS?|Methods|METHODS|Purpose|Background)\s*[:.]\s", text):
        cuts.add(m.start())
    cs = sorted(cuts)
    out = []
    for a, b in zip(cs, cs[1:]):
        if text[a:b].strip():
            out.append((a, b))
    return out


# ---------------------------------------------------------------------------------------------
# time points

# a procedure named by its noun ("ablation", "sacroplasty", "fat grafting", "lobectomy")
_PROC_NOUN = r"(?:[a-z]+\s+)?[a-z]*(?:ation|plasty|ectomy|otomy|ostomy|grafting)"
_TP_PATTERNS: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(r"(?i)\b(?:at\s+(?:the\s+)?baseline|baseline|before\s+(?:the\s+)?(?:procedure|treatment|intervention|surgery|operation|"+_PROC_NOUN+r")|pre-?(?:procedur(?:e|al)|operative(?:ly)?|treatment|intervention|"+_PROC_NOUN+r")|preoperative(?:ly)?|at admission|at (?:the )?(?:first|initial) (?:outpatient )?visit|prior to (?:the )?(?:procedure|treatment))\b"), "baseline"),
    (re.compile(r"(?i)\b(?:on|at|by|after)?\s*day\s+(\d+)(?:\s+(?:after|post|following)[\w\s-]{0,25}?(?=[,.;)]|$| \())?"), "day"),
    (re.compile(r"(?i)\b(?:at\s+|after\s+|within\s+)?(\d+|one|two|three|four|six|twelve)[\s-]*(days?|weeks?|months?|years?|h|hours?)\s+(?:after|post|following|of follow-up)[\w\s-]{0,25}?(?=[,.;)]|$| \()"), "dur"),
    (re.compile(r"(?i)\bat\s+(\d+|one|two|three|four|six|twelve)[\s-]*(days?|weeks?|months?|years?|h|hours?)\b"), "dur"),
    (re.compile(r"(?i)\b(?:at\s+(?:the\s+)?(?:last|final|latest)\s+(?:follow-?up|FU)|(?:last|final|latest)\s+(?:follow-?up|FU)|at\s+(?:mean|median)\s+[^.]{0,80}?follow-?up|at\s+follow-?up|at that time point|at this time point|during (?:the )?follow-?up)\b"), "last"),
    (re.compile(r"(?i)\b(?:after\s+(?:the\s+)?(?:procedure|treatment|intervention|surgery|"+_PROC_NOUN+r")|post-?(?:procedur(?:e|al)|operative(?:ly)?|treatment|"+_PROC_NOUN+r")|postprocedur(?:e|al)(?:ly)?)\b"), "post"),
]


def timepoint_of(phrase: str) -> tuple[str, str, float | None] | None:
    """(key, label as printed, days) for the first time-point phrase in ``phrase``."""
    best = None
    for pat, kind in _TP_PATTERNS:
        m = pat.search(phrase)
        if m and (best is None or m.start() < best[0].start()):
            best = (m, kind)
    if best is None:
        return None
    m, kind = best
    label = " ".join(m.group(0).split())
    try:
        if kind == "day":
            key, days = timepoint_key(f"{m.group(1)} day")
        elif kind == "dur":
            key, days = timepoint_key(f"{m.group(1)} {m.group(2)}")
        elif kind == "last":
            key, days = timepoint_key("last follow-up")
        elif kind == "baseline":
            key, days = timepoint_key("baseline")
        else:
            key, days = timepoint_key("after treatment")
    except ValueError:
        return None
    return key, label, days


# ---------------------------------------------------------------------------------------------
# arms


def _label_before(text: str, pos: int) -> str:
    """Treatment words printed just before an "(n = 51, group A)" parenthesis."""
    seg = text[max(0, pos - 80) : pos]
    seg = re.split(r"(?i)\b(?:either|receive|received|receiving|underwent|undergoing|to|or|and|with|versus|vs\.?)\s+(?=[^\s])", seg)[-1]
    seg = re.split(r"[;:,.()]", seg)[-1]
    return " ".join(seg.split()).strip(" -")


_GROUP_DEF = [
    # "(n = 51, group A)", "(group AP; n = 150)", "(group 2, n = 38)"
    re.compile(r"\(\s*n\s*=\s*(?P<n>\d+)\s*[,;]\s*groups?\s+(?P<g>[A-H]|(?-i:[A-Z]{2,3})|[1-9])\s*\)", re.I),
    re.compile(r"\(\s*groups?\s+(?P<g>[A-H]|(?-i:[A-Z]{2,3})|[1-9])\s*[,;]\s*n\s*=\s*(?P<n>\d+)\s*\)", re.I),
]
_N_LABEL = re.compile(r"(?P<label>[A-Za-z][\w+/&\- ]{0,40}?)\s*\(\s*[nN]\s*=\s*(?P<n>\d+)\s*\)")


_NPAREN = re.compile(r"\(\s*(?:[nN]\s*=?\s*(?P<n1>\d+)|(?P<n2>\d+)\s+(?:patients|participants|subjects))\s*\)")
_BAD_LABEL = re.compile(r"(?i)^(?:patients?|subjects?|participants?|randomi[sz]ed|total|overall|all|not|no|none|group|arm|either|both|the|a|an)$|\b(?:patients|randomi[sz]ed|total)\b|^(?:undergo|receive|be|have|had|not|no)\b")
# words of CONSORT flow-diagram boxes ("Lost to follow-up (n=35)", "Included in primary analysis
# (n=392)", "A 1 month (n=492)"): such "label (n = N)" cells are not arms
_FLOW_BOX = re.compile(
    r"(?i)(?<![a-z])(?:lost|follow[- ]?up|withdr[ae]wn?|withdrawals?|exclu\w+|includ\w+|analy[sz]\w+|discontinu\w+|declined|"
    r"deaths?|died|assessed|eligib\w*|screened|enrol+\w*|randomi[sz]\w*|allocat\w*|visits?|completed|criteria|"
    r"baseline|months?|weeks?|days?|years?|refused|consent\w*|did not|not receive|received allocated)\b"
)
_ALLOC_VERB = re.compile(r"(?i)\b(?:randomi[sz]ed|randomly|assigned|allocated)\b")


def words_to_number(tok: str) -> float | None:
    """'78', 'Seventy-eight', 'twenty one', 'five' -> number."""
    n = to_number(tok.strip().lower())
    return n if n is not None else word_number(tok)


def _clean_label(label: str) -> str:
    label = re.sub(r"(?i)^(?:the|a|an)\s+", "", label.strip())
    return " ".join(label.split()).strip(" -")


def allocation_arms(text: str) -> list[tuple[str, float, tuple[int, int], tuple[int, int]]]:
    """Arms of a comparative study from the sentence that allocates the patients, as
    (label, n, n span, label span). Three general forms are read:

    * "randomized to receive X (n = 145) or Y (n = 72)", "randomly assigned to CA (98 patients) or
      ADT (48 patients)", "assigned to X (N 99) or Y (N 101)";
    * "219 were assigned to ... the X system and 213 were assigned to ... the Y system",
      "374 subjects in the X group and 376 subjects in the Y group", "allocated 998 participants to
      X and 501 participants to Y" (a planned size, "about 1000 participants in the X group", is not
      an allocation);
    * "196 patients (X 90, Y 106)" where the parts add up to the total.

    A sentence with "randomized"/"randomly" beats one with only "assigned"/"allocated"; the first
    best sentence wins."""
    cands: list[tuple[int, int, list]] = []
    for vm in _ALLOC_VERB.finditer(text):
        seg_end = min(len(text), vm.end() + 260)
        stop = re.search(r"\.\s+[A-Z]", text[vm.end():seg_end])
        if stop:
            seg_end = vm.end() + stop.start()
        found = []
        prev_end = None
        for mm in _NPAREN.finditer(text, vm.end(), seg_end):
            pos = mm.start()
            raw = _label_before(text, pos)
            label = _clean_label(raw)
            if not label or len(label) > 40 or "\n" in text[pos - len(raw) - 1 : pos] or _BAD_LABEL.search(label):
                break
            lstart = text.rfind(label.split()[0], 0, pos)
            if prev_end is not None and not re.fullmatch(r"(?i)\s*,?\s*(?:or|and|versus|vs\.?|,)\s*(?:to\s+)?(?:the\s+)?", text[prev_end:lstart]):
                break
            if prev_end is None and pos - vm.end() > 150:
                break
            g = "n1" if mm.group("n1") else "n2"
            found.append((label, float(mm.group(g)), mm.span(g), (lstart, lstart + len(label))))
            prev_end = mm.end()
        if len(found) >= 2:
            prio = 2 if re.search(r"(?i)randomi[sz]ed|randomly", text[vm.start():vm.end()]) else 1
            cands.append((prio, vm.start(), found[:4]))
    # "219 were assigned to undergo treatment with the X system and 213 were assigned to ... the Y system"
    unit = r"(?:system|group|arm|cohort)"
    for sm in re.finditer(r"(?i)(?P<n>\d+)\s+(?:(?:patients|subjects|participants)\s+)?(?:were\s+(?:randomly\s+)?(?:assigned|allocated|randomi[sz]ed)\s+to\s+(?:undergo\s+|receive\s+)?(?:[a-z]+\s+(?:with|using)\s+)?|in\s+)the\s+(?P<label>[\w+-]+(?:\s+[\w+-]+)?)\s+" + unit + r"\b", text):
        nxt = re.match(r"(?i)\s*(?:,\s*)?(?:and|while|whereas)\s+", text[sm.end():sm.end() + 12])
        if not nxt:
            continue
        m2 = re.compile(r"(?i)(?P<n>\d+)\s+(?:(?:patients|subjects|participants)\s+)?(?:were\s+(?:randomly\s+)?(?:assigned|allocated|randomi[sz]ed)\s+to\s+(?:undergo\s+|receive\s+)?(?:[a-z]+\s+(?:with|using)\s+)?|in\s+)the\s+(?P<label>[\w+-]+(?:\s+[\w+-]+)?)\s+" + unit + r"\b").match(text, sm.end() + nxt.end())
        if not m2:
            continue
        found = []
        for mm in (sm, m2):
            label = _clean_label(mm.group("label"))
            if _BAD_LABEL.search(label):
                break
            found.append((label, float(mm.group("n")), mm.span("n"), mm.span("label")))
        if len(found) == 2 and found[0][0].lower() != found[1][0].lower():
            if re.search(r"(?i)\b(?:planned|plan|target(?:ed)?|sample size)\b[^.]{0,40}$|\b(?:about|approximately|around)\s*$", text[max(0, sm.start() - 60):sm.start()]):
                continue  # "we planned for about 1000 participants in the X group": a design, not the allocation
            ctx = text[max(0, sm.start() - 200):sm.start()]
            prio = 2 if re.search(r"(?i)randomi[sz]ed|randomly", ctx + sm.group(0)) else 1
            cands.append((prio, sm.start(), found))
    # "we enrolled and allocated 998 participants to moxidectin and 501 participants to ivermectin"
    who = r"(?:patients|participants|subjects)"
    lab = r"(?P<label{i}>[A-Za-z][\w+-]*(?:\s+[\w+-]+){{0,2}}?)"
    for sm in re.finditer(r"(?i)\b(?:allocated|assigned|randomi[sz]ed)\s+(?P<n1>\d+)\s+" + who + r"\s+to\s+(?:receive\s+)?" + lab.format(i=1)
                          + r"\s*,?\s+and\s+(?P<n2>\d+)\s+(?:" + who + r"\s+)?to\s+(?:receive\s+)?" + lab.format(i=2) + r"(?=\s*[.,;(])", text):
        found = [(_clean_label(sm.group(f"label{i}")), float(sm.group(f"n{i}")), sm.span(f"n{i}"), sm.span(f"label{i}")) for i in (1, 2)]
        if not any(_BAD_LABEL.search(f[0]) for f in found) and found[0][0].lower() != found[1][0].lower():
            cands.append((2, sm.start(), found))
    # "196 patients (dronedarone 90, placebo 106)"
    for sm in re.finditer(r"(?P<tot>\d+)\s+(?:patients|subjects|participants)\s*\((?P<inner>[A-Za-z][\w+ -]{0,30}?\s+\d+(?:\s*[,;]\s*[A-Za-z][\w+ -]{0,30}?\s+\d+)+)\)", text):
        parts = list(re.finditer(r"(?P<label>[A-Za-z][\w+ -]{0,30}?)\s+(?P<n>\d+)", sm.group("inner")))
        if sum(int(p.group("n")) for p in parts) != int(sm.group("tot")):
            continue
        base = sm.start("inner")
        found = []
        for p in parts:
            label = _clean_label(p.group("label").lstrip(",; "))
            if not label or _BAD_LABEL.search(label):
                break
            found.append((label, float(p.group("n")), (base + p.start("n"), base + p.end("n")), (base + p.start("label"), base + p.end("label"))))
        if len(found) == len(parts) >= 2:
            cands.append((2, sm.start(), found))
    if not cands:
        return []
    cands.sort(key=lambda c: (-c[0], c[1]))
    return cands[0][2]


_ASSIGN_ITEM = re.compile(r"(?i)(?P<n>\d+|" + _TENS_WORDS + r"|" + NUMW + r")\s+(?:(?:patients|participants|subjects|children|"
                          r"women|men|infants)\s+)?(?:(?:were|was)\s+(?:randomly\s+|then\s+)?(?P<verb>assigned|allocated|randomi[sz]ed|"
                          r"included|enrolled)\s+)?(?:to|in|into)\s+(?:the\s+)?groups?\s+(?P<g>[A-H]|[1-9])\b")


def group_assignments(text: str) -> list[tuple[str, str, float, tuple[int, int]]]:
    """Arm sizes from one sentence that lists how many patients went to each lettered or numbered
    group: "Seven patients were assigned to group A, eight to group B, and eight to group C"
    (label, letter, n, n span). The items must follow each other, joined by commas / "and", the
    first with an allocation verb, and name two or more different groups."""
    best: list[tuple[str, str, float, tuple[int, int]]] = []
    for m in _ASSIGN_ITEM.finditer(text):
        if not m.group("verb"):
            continue
        found = [m]
        pos = m.end()
        while True:
            j = re.match(r"(?i)\s*(?:,\s*(?:and\s+|while\s+)?|\s+and\s+|;\s*)", text[pos:pos + 12])
            if j is None:
                break
            nxt = _ASSIGN_ITEM.match(text, pos + j.end())
            if nxt is None:
                break
            found.append(nxt)
            pos = nxt.end()
        groups = [f.group("g").upper() for f in found]
        nums = [words_to_number(f.group("n")) for f in found]
        if len(set(groups)) == len(groups) >= 2 and all(n is not None for n in nums) and len(found) > len(best):
            best = [(f"group {g}", g, float(n), f.span("n")) for f, g, n in zip(found, groups, nums)]
    return best


_ALLOC_HEAD = re.compile(r"(?i)(?<![\d.])(?P<n>\d+)\s+(?:(?:patients|participants|subjects|children|women|men)\s+)?(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?"
                         r"(?:were\s+)?(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)\s+to\s+(?P<what>[^.;,\d()]{1,80})")
_ALLOC_NEXT = re.compile(r"(?i)\s*,?\s*(?:and|while|whereas)\s+(?P<n>\d+)\s+(?:(?:patients|participants|subjects|children|women|men)\s+)?"
                         r"(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?(?:were\s+(?:randomly\s+)?(?:randomi[sz]ed|assigned|allocated)\s+)?to\s+"
                         r"(?P<what>[^.;,\d()]{1,80})")


def allocated_sizes(text: str, arms: list[Arm]) -> list[tuple[Arm, float, tuple[int, int]]]:
    """(arm, n, n span) from an allocation sentence that names known arms: "42 patients (52%) were
    randomized to treatment X, and 38 patients (48%) to treatment Y". Each part must
    name exactly one arm, the parts different arms; else nothing."""
    for m in _ALLOC_HEAD.finditer(text):
        parts = [m]
        pos = m.end()
        while (nx := _ALLOC_NEXT.match(text, pos)) is not None:
            parts.append(nx)
            pos = nx.end()
        if len(parts) < 2:
            continue
        found = []
        for p in parts:
            hit = [a for a in arms if a.alias_re().search(p.group("what"))]
            if len(hit) != 1:
                break
            found.append((hit[0], float(p.group("n")), p.span("n")))
        if len(found) == len(parts) and len({id(a) for a, _, _ in found}) == len(found):
            return found
    return []


def _abbreviation_aliases(text: str, arm: Arm, arms: list[Arm]) -> list[str]:
    """Regex alternatives naming ``arm`` through the abbreviation its label starts with."""
    m = re.match(r"(?P<abbr>[A-Z][A-Z0-9]{1,5})(?:\s+(?P<rest>[A-Za-z][\w-]*(?:\s+[\w-]+){0,2}))?$", arm.label.strip())
    if m is None:
        return []
    abbr = m.group("abbr")
    if any(b is not arm and re.match(re.escape(abbr) + r"\b", b.label) for b in arms):
        return []  # shared by two arms ("PVI + X", "PVI only"): it names neither
    out = []
    if m.group("rest") and re.fullmatch(r"(?i)(?!patients|subjects|participants|cases|group|arm)[a-z][\w-]*", m.group("rest")):
        out.append(r"(?<![\w-])(?-i:" + re.escape(abbr) + r")(?![\w-])")
    for dm in re.finditer(r"(?P<words>(?:[A-Za-z][\w-]*\s+){1,6}?)\(\s*" + re.escape(abbr) + r"\s*\)", text):
        words = dm.group("words").split()[-len(abbr):]
        if len(words) == len(abbr) and "".join(w[0] for w in words).lower() == abbr.lower():
            out.append(r"(?<![\w-])" + r"[\s-]+".join(re.escape(w) for w in words) + r"(?![\w-])")
            break
    return out


def _abbreviates(letters: str, name: str) -> bool:
    """True if ``letters`` ("AP") occur in order in ``name`` ("Anteroposterior"), the first one
    starting the name."""
    name = name.lower()
    letters = letters.lower()
    if not name.startswith(letters[0]):
        return False
    pos = 0
    for ch in letters:
        pos = name.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


_OUTCOME_GROUP = re.compile(r"(?i)\s*(?:alive|expired|died|dead|deceased|deaths?|survivors?|non-?survivors?|survived|"
                            r"surviving|non-?surviving|non-?survival)\b")
_SIGN_MARK = re.compile(r"\(\s*(?P<s>[+\-−–])\s*\)")


def _label_tokens(label: str) -> set[str]:
    """The words of an arm label, for "same arm?" checks; a sign marker is a word of its own, so
    "X (+)" and "X (−)" (marker-positive and -negative groups) are two arms."""
    signs = {"(+)" if m.group("s") == "+" else "(-)" for m in _SIGN_MARK.finditer(label)}
    return (set(re.findall(r"[a-z0-9]+", label.lower())) | signs) - {"arm", "group", "the"}


def find_arms(text: str, table_header_cells: list[list[tuple[str, tuple[int, int] | None]]], lexicon: Lexicon | None = None) -> list[Arm]:
    """Arms from group definitions ("(n = 51, group A)", "PSP + RFA (Group A; n = 51)") and from
    table header rows with two or more "label (n = N)" cells."""
    arms: dict[str, Arm] = {}
    for pat in _GROUP_DEF:
        for m in pat.finditer(text):
            g = m.group("g").upper()
            n = float(m.group("n"))
            label = _label_before(text, m.start())
            treatment = ""
            if label and _BAD_LABEL.search(_clean_label(label)):
                # a verb phrase ("undergo LVA ablation", "not") is not an arm name, but what
                # follows the verb is the arm's treatment
                vm = re.match(r"(?i)(?:undergo|receive)\s+(?P<t>\S.*)$", _clean_label(label))
                if vm and not _BAD_LABEL.search(vm.group("t")):
                    treatment = vm.group("t")
                label = ""
            arm = arms.get(g)
            if arm is None:
                arm = Arm(arm_id=f"group_{g.lower()}", label=f"group {g}", letter=g)
                arms[g] = arm
            if treatment and not arm.treatment:
                arm.treatment = treatment
            if arm.n_patients is None:
                arm.n_patients = n
                arm.n_span = (m.start("n"), m.end("n"))
            if label and len(label) >= 2:
                if not arm.description or len(label) > len(arm.description):
                    arm.description = label
                if arm.label.startswith("group ") or len(label) < len(arm.label):
                    arm.label = label
                    arm.label_span = (m.start() - len(label) - 1, m.start())
    # "51 were assigned to receive PSP plus RFA (group A)"
    # "38 patients were randomized to receive procainamide (Group 1)"
    for m in re.finditer(r"(?<![:\d.])(?<!:\s)(?P<n>\d+)\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\))?\s*,?\s+(?:(?:patients|participants|subjects)\s+)?(?:were\s+)?(?P<verb>(?:randomly\s+)?(?:assigned|allocated|randomi[sz]ed))?\s*(?:to\s+)?(?:receive\s+)?(?P<label>[\w+ -]{2,60}?)\s*\(\s*[Gg]roups?\s+(?P<g>[A-H]|[1-9]|I{1,3}V?)\s*\)", text):
        g = {"I": "1", "II": "2", "III": "3", "IV": "4"}.get(m.group("g").upper(), m.group("g").upper())
        if g.isdigit() and not m.group("verb"):
            continue  # "16 infants (group 2)": numbered groups are arms only where they are allocated
        arm = arms.setdefault(g, Arm(arm_id=f"group_{g.lower()}", label=f"group {g}", letter=g))
        if arm.n_patients is None:
            arm.n_patients = float(m.group("n"))
            arm.n_span = m.span("n")
        lab = " ".join(m.group("label").split())
        if not arm.description:
            arm.description = lab
        if m.group("verb") and arm.label.startswith("group ") and not _BAD_LABEL.search(lab) and len(lab.split()) <= 4:
            arm.label, arm.label_span = lab, m.span("label")  # the allocated treatment names the arm
    # "Seven patients were assigned to group A, eight to group B and eight to group C"
    if len(arms) < 2:
        for label, g, n, nspan in group_assignments(text):
            arm = arms.setdefault(g, Arm(arm_id=f"group_{g.lower()}", label=f"group {g}", letter=g))
            if arm.n_patients is None:
                arm.n_patients, arm.n_span = n, nspan
    # allocation sentences: "randomized to receive drug X (n = 40) or placebo (n = 20)",
    # "219 were assigned to ... the investigational system and 213 ... the control system",
    # "196 patients (dronedarone 90, placebo 106)"
    if len(arms) < 2:
        for label, n, nspan, lspan in allocation_arms(text):
            arms.setdefault(label.lower(), Arm(arm_id="", label=label, n_patients=n, n_span=nspan, label_span=lspan))
    # prose-defined comparison: "78 in 209 patients ... were considered as a control group" and
    # "In 120 treated patients ..." (both needed)
    if len(arms) < 2:
        cm = re.search(r"(?i)\b(?P<n>\d+|" + _TENS_WORDS + r")\s+(?:in\s+\d+\s+)?(?:patients\s+)?[^.]{0,150}?\b(?:were\s+)?(?:considered|used|served|regarded)\s+as\s+(?:a\s+|the\s+)?controls?(?:\s+group)?\b", text)
        tm = re.search(r"(?i)\b(?P<n>\d+)\s+(?:treated|operated)\s+patients\b", text)
        if cm and tm and words_to_number(cm.group("n")) is not None:
            arms["treated"] = Arm(arm_id="treated", label="treated", n_patients=float(tm.group("n")), n_span=tm.span("n"),
                                  aliases=[r"\btreated\s+(?:patients|group|arm)\b", r"\b(?:patients|group|arm)\s+treated\b"], strict_alias=True)
            arms["control"] = Arm(arm_id="control", label="control", n_patients=words_to_number(cm.group("n")), n_span=cm.span("n"),
                                  aliases=[r"\bcontrols?\b"], strict_alias=True)
    # table headers: two or more "label (n = N)" cells side by side
    for cells in table_header_cells:
        if any(re.match(r"(?i)\s*cases?\b(?!\s+(?:series|report))", c) for c, _ in cells):
            continue  # cases and controls of a case-control comparison are not treatment arms
        if any(_OUTCOME_GROUP.match(c) for c, _ in cells):
            continue  # survivors and non-survivors: the cohort split by its outcome, not arms
        found = []
        for cell, span in cells:
            if re.match(r"(?i)\s*(?:total|overall|all(?: patients)?|entire cohort|p[- ]?value)\b", cell):
                continue
            if _FLOW_BOX.search(cell.split("(")[0]):
                continue  # a box of a CONSORT flow diagram, not an arm
            head = cell.split("(")[0]
            if re.search(r"\d\s*±", head):
                continue  # "Intubation group 11.9±4.2 (n=7)": a data cell merged into the header
            words = re.findall(r"[A-Za-z]{2,}", head)
            if not words or len(re.findall(r"\d+(?:\.\d+)?", head)) > len(words):
                continue  # "25 59 (n = 7)": numbers of a data row, not an arm name
            # "Label (n = 33)", "Label (group A; n = 51)", or on two lines "Label n = 33"
            mm = re.search(r"^(?P<label>.*?)\s*(?:\(\s*(?:[Gg]roups?\s+(?P<g>[A-H])\s*[;,]\s*)?|,\s*|\s+)[nN]\s*=\s*(?P<n>\d+)\s*\)?", cell.strip())
            if mm and mm.group("label").strip():
                found.append((mm, span))
        if len(found) < 2:
            continue
        for mm, span in found:
            label = " ".join(mm.group("label").split())
            g = (mm.group("g") or "").upper() or None
            key = g or label.lower()
            arm = arms.get(key)
            if arm is None:
                toks = _label_tokens(label)
                arm = next((a for a in arms.values() if toks and _label_tokens(a.label)
                            and (toks <= _label_tokens(a.label) or _label_tokens(a.label) <= toks)), None)
                if arm is not None:
                    continue  # already known (e.g. from the randomisation sentence)
                # "(group AP; n = 150)" in the text and "Anteroposterior group (n = 150)" in a table
                # header: the same arm when the n agrees and the letters abbreviate the name
                n_here = float(mm.group("n"))
                abbr = next((a for a in arms.values() if a.letter and len(a.letter) >= 2 and a.n_patients == n_here
                             and _abbreviates(a.letter, label)), None)
                if abbr is not None:
                    abbr.label, abbr.label_span = label, span
                    continue
            if arm is None and g is None:
                arm = next((a for a in arms.values() if a.label.lower() == label.lower()), None)
            if arm is None:
                arm = Arm(arm_id="", label=label, letter=g)
                arms[key] = arm
            if g and (arm.label.startswith("group ") or len(label) <= len(arm.label)):
                arm.label = label
                arm.label_span = span
            if arm.n_patients is None:
                arm.n_patients = float(mm.group("n"))
                arm.n_span = span
    out = list(arms.values())
    for a in out:
        a.treatment_class = treatment_class(a.label + " " + a.description, lexicon)
        a.arm_id = slug(a.label) if not a.label.startswith("group ") else f"group_{(a.letter or 'x').lower()}"
    # unique arm ids
    seen: dict[str, int] = {}
    for a in out:
        if a.arm_id in seen:
            seen[a.arm_id] += 1
            a.arm_id = f"{a.arm_id}_{seen[a.arm_id]}"
        else:
            seen[a.arm_id] = 1
    # an arm named by an abbreviation ("FTP group") is also named by its spelled-out words where the
    # text defines it ("fast track protocol (FTP)"); an abbreviation that starts one arm's
    # label only ("XY waveform", "ZW waveform") names that arm alone ("the XY group")
    for a in out:
        for alias in _abbreviation_aliases(text, a, out):
            if alias not in a.aliases:
                a.aliases.append(alias)
    # "42 patients (52%) were randomized to X, and 38 patients (48%) to Y": the allocated
    # numbers are the arms' sizes (a table header's n can be a subset analysed later)
    for arm, n, span in allocated_sizes(text, [a for a in out if not a.subgroup]):
        if arm.n_patients is None or n > arm.n_patients:
            arm.n_patients, arm.n_span = n, span
    # lesions per arm: "58 lesions in the 51 group A patients"
    for a in out:
        if a.letter:
            m = re.search(r"(\d+)\s+(?:lesions|metastases|tumou?rs)\s+in\s+(?:the\s+)?(?:\d+\s+)?groups?\s+" + a.letter + r"\b", text)
            if m:
                a.n_lesions = float(m.group(1))
                a.lesions_span = m.span(1)
    return [a for a in out if a.n_patients is not None or a.letter]


_SUB_N = r"(?P<n>\d+|" + _TENS_WORDS + r"|" + NUMW + r")"
_SUB_VP = r"(?P<label>(?P<verb>[a-z]+ed)\s+(?:(?:their|the|his|her)\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}?)"
# "In the treated group a total of 48 patients stopped their analgesic drug therapy."
_SUB_DEF = re.compile(r"(?i)(?:^|,\s*|\s)(?:a\s+total\s+of\s+)?" + _SUB_N + r"\s+(?:(?:of\s+(?:them|these|the\s+\d+))\s+)?(?:patients|subjects|participants)\s+(?:who\s+)?" + _SUB_VP + r"\s*[.;]?\s*$")
# "In this group ...", "Among them ..." -- the subgroup defined by the sentence before
_SUB_REF = re.compile(r"(?i)^\s*(?:In\s+(?:this|that)\s+(?:sub)?group|In\s+these\s+(?:patients|subjects)|Among\s+(?:them|these\s+(?:patients|subjects)))\b")
# "In the group of patients that continued analgesic therapy mean VAS ..."
_SUB_INLINE = re.compile(r"(?i)^\s*In\s+the\s+(?:sub)?group\s+of\s+(?:patients|subjects|participants)\s+(?:that|who|which)\s+" + _SUB_VP + r"(?=\s*,|\s+(?:the\s+)?(?:mean|median|average)\b|\s+(?:VAS|NRS|NPRS|pain)\b)")


def subgroup_definition(text: str, sent: tuple[int, int], parent: Arm | None) -> Arm | None:
    """A subgroup of a known arm defined by a whole sentence, "(In the treated group) a total of
    48 patients stopped their analgesic drug therapy.": N patients + a past-tense verb phrase
    that ends the sentence, N smaller than the parent arm. The arm is returned for the caller to
    use only when the next sentence refers back to it (:func:`subgroup_reference`)."""
    if parent is None or parent.n_patients is None:
        return None
    a, b = sent
    m = _SUB_DEF.search(text[a:b])
    if m is None or re.search(r"\d", m.group("label")):
        return None
    n = words_to_number(m.group("n"))
    if n is None or not 0 < n < parent.n_patients:
        return None
    label = _sub_label(m.group("label"))
    return Arm(arm_id=slug(label), label=label, treatment_class=parent.treatment_class, n_patients=n,
               n_span=(a + m.start("n"), a + m.end("n")), label_span=(a + m.start("label"), a + m.end("label")), subgroup=True, strict_alias=True)


def subgroup_reference(text: str, sent: tuple[int, int], pending: Arm | None) -> Arm | None:
    """The subgroup a sentence is about: "In this group ..." / "Among them ..." right after the
    sentence that defined ``pending``, or one defined inside the sentence itself ("In the group of
    patients that continued analgesic therapy mean VAS ...", size not printed)."""
    a, b = sent
    s = text[a:b]
    if pending is not None and _SUB_REF.match(s):
        return pending
    m = _SUB_INLINE.match(s)
    if m:
        label = _sub_label(m.group("label"))
        ls, le = a + m.start("label"), a + m.end("label")
        return Arm(arm_id=slug(label), label=label, label_span=(ls, le), subgroup=True, strict_alias=True)
    return None


def _sub_label(vp: str) -> str:
    return " ".join(w for w in vp.split() if w.lower() not in ("their", "the", "his", "her"))


def single_arm(text: str, title: str, lexicon: Lexicon | None = None) -> Arm:
    """The whole cohort of a single-arm study: 'N (consecutive) patients ... with M lesions'."""
    arm = Arm(arm_id="all", label="all")
    pats = [
        r"(?P<n>\d+)\s+(?:consecutive\s+)?(?:patients|participants|subjects)\s*(?:\([^)]{0,80}\))?\s*(?:with\s+(?P<l>\d+)\s+(?:\w+\s+){0,2}(?:metastases|lesions|tumou?rs))?(?:(?!\d+\s+(?:\w+\s+)?(?:patients|participants|subjects))[^.]){0,60}?\b(?:underwent|were\s+(?:treated|included|enrolled|evaluated|analy[sz]ed)|who\s+(?:had\s+)?(?:received|underwent))",
        r"\b(?:we\s+(?:evaluated|included|enrolled|treated|analy[sz]ed|reviewed))\s+(?P<n>\d+)\s+(?:consecutive\s+)?patients",
        r"(?:a total of|overall,?)\s+(?P<n>\d+)\s+(?:(?!(?:of|and|or|with|in)\b)[A-Za-z][\w-]*\s+){0,3}?(?:patients|participants|subjects|children|adults|infants|cases)\b"
        r"(?![^.]{0,40}?\b(?:screened|assessed|eligible|excluded|approached|invited)\b)",
        r"\b(?:study\s+population|study\s+cohort|study\s+sample)\s*\(\s*n\s*=?\s*(?P<n>\d+)\s*\)",
    ]
    # the earliest statement of the cohort's size (the abstract's, not a subgroup's on a later page)
    hits = [m for m in (re.search(p, text, re.I) for p in pats) if m]
    for m in sorted(hits, key=lambda m: m.start())[:1]:
        if m:
            arm.n_patients = float(m.group("n"))
            arm.n_span = m.span("n")
            if m.groupdict().get("l"):
                arm.n_lesions = float(m.group("l"))
                arm.lesions_span = m.span("l")
            break
    if arm.n_lesions is None and arm.n_patients is not None:
        m = re.search(r"(?P<l>\d+)\s+(?:\w+\s+){0,2}(?:metastases|lesions|tumou?rs)\s+(?:were\s+)?(?:treated|[a-z]+ated|included)", text, re.I)
        if m:
            arm.n_lesions = float(m.group("l"))
            arm.lesions_span = m.span("l")
    arm.treatment_class = treatment_class(title, lexicon)
    return arm


# ---------------------------------------------------------------------------------------------
# outcome rules on sentences

@lru_cache(maxsize=16)
def _instrument_re(lexicon: Lexicon, outcome: str) -> re.Pattern[str]:
    return lexicon.instrument_re(outcome) or re.compile(r"(?!x)x")


def instrument_mentions(lexicon: Lexicon, text: str) -> list[str]:
    """Every printed name of a scored outcome's instrument in ``text`` ("VAS", "NRS", ...)."""
    return [m.group(0) for o in lexicon.scored_outcomes for m in _instrument_re(lexicon, o.code).finditer(text)]
OTHER_INSTR = re.compile(r"(?i)\b(?:ODI|KPS|WOMAC|KSS\d?|SF-?\d+|analgesic\s+scale|MoCA|MMSE|EQ-5D|QoL|ECOG|opioid|morphine|Oswestry|Karnofsky)\b")
RESP_RE = re.compile(
    r"(?i)\b(?:pain relief|pain response|responders?|(?:complete|partial) (?:pain )?(?:relief|response)|(?:drop|decrease|reduction|improvement) (?:in (?:the )?(?:VAS|NPRS|NRS|pain)(?: score)? )?of (?:at least|≥|more than)\s*\d+\s*points?|(?<=had )(?:an? )?(?:reduction|decrease|improvement) in (?:their |the )?(?:visual analog(?:ue)? (?:scale )?|VAS |NRS |NPRS )?(?:pain(?: score)?|score)|pain (?:improved|decreased|resolved|was relieved) in)\b"
)
_PAIN_CONTEXT = re.compile(r"(?i)\bpain|\b(?:VAS|NRS|NPRS|BPI)\b|analgesi")
COMP_RE = re.compile(r"(?i)\b(?:(?P<sev>major|minor|severe|serious|mild|primary)\s+(?:(?:[\w]+-)?\w+,?\s+(?:or\s+|and\s+)?){0,3}?)?(?P<kw>complications?|adverse events?|safety events?|morbidit(?:y|ies)|toxicit(?:y|ies)|re-?operations?|revision surger(?:y|ies))\b")
# "adverse events" / "safety events" are complications only when tied to the procedure or device;
# drug trials' (treatment-emergent, study-drug) adverse events are not.
_PROC_QUAL = re.compile(r"(?i)\b(?:procedur\w*|peri-?procedural|device[- ]related|device|catheter|access[- ]site|vascular access|operative|surgical|surgery|[a-z]+(?:ation|plasty|ectomy)[- ]related|related to (?:the )?(?:\w+\s+){0,2}(?:[a-z]+(?:ation|plasty|ectomy)|procedure|device|surgery))")
_DRUG_QUAL = re.compile(r"(?i)\b(?:study drug|drug[- ]related|treatment[- ]emergent|TEAEs?|medication|infusion|dos(?:e|ing))\b")


_LED_TO_SURGERY = re.compile(r"(?i)\s+(?:which|that)\s+(?:led\s+to|required|needed|necessitated|resulted\s+in)\s+(?:a\s+)?(?:re-?operations?|revision|surgical\s+revision|re-?interventions?)")
_HIGH_GRADE = re.compile(r"(?i)\bgrade\s*(?:≥\s*3|>=\s*3|>\s*2|[3-5]\s*(?:\+|or\s+(?:higher|above|greater|more))|III\s*(?:or\s+(?:higher|above)|-\s*(?:IV|V)))")


def _is_reoperation(m: re.Match[str]) -> bool:
    return m.group("kw").lower().startswith(("reop", "re-op", "revision"))


def complication_outcome(m: re.Match[str], context: str) -> str | None:
    """Outcome code of a COMP_RE match, or None when it is not a procedure complication:
    "adverse events" and "safety events" need procedure / device wording in ``context`` (and no
    drug wording); "primary" qualifies only safety / adverse events (primary safety endpoint =
    major). A reoperation, or a complication "which led to revision surgery", is major (it needs
    surgery: SIR major, Clavien-Dindo III); so is a grade >= 3 toxicity or morbidity (CTCAE)."""
    kw = m.group("kw").lower()
    sev = (m.group("sev") or "").lower()
    if _is_reoperation(m):
        return "complication_major"
    if kw.startswith(("morbid", "toxic")):
        if _DRUG_QUAL.search(context):
            return None  # drug toxicity is not a procedure complication
        if _HIGH_GRADE.search(m.string[max(0, m.start() - 30) : m.start()]):
            return "complication_major"
    elif kw.startswith("complication"):
        if _LED_TO_SURGERY.match(m.string, m.end()):
            return "complication_major"
        if sev == "primary":
            sev = ""
    else:
        if _DRUG_QUAL.search(context):
            return None
        if sev != "primary" and not _PROC_QUAL.search(context):
            return None
    return {"major": "complication_major", "severe": "complication_major", "serious": "complication_major", "primary": "complication_major",
            "minor": "complication_minor", "mild": "complication_minor"}.get(sev, "complication_any")





@dataclass
class Context:
    text: str
    arms: list[Arm]
    single: bool
    doc_scale: str = ""
    ref_start: int = 10**12  # offset where the reference list starts
    discussion_start: int = 10**12
    no_major_end: int = -1  # end of the last study-wide "No major complications occurred." sentence
    title: str = ""  # the article's title: names the procedure every arm underwent
    lexicon: Lexicon = field(default_factory=default_lexicon)  # what the review's words mean


def _arm_mentions(ctx: Context, a: int, b: int) -> list[tuple[int, Arm]]:
    out = []
    for arm in ctx.arms:
        for m in arm.alias_re().finditer(ctx.text, a, b):
            out.append((m.start(), arm))
    out.sort(key=lambda t: t[0])
    return out


def _arm_for(ctx: Context, sent: tuple[int, int], pos: int, carry: Arm | None, end: int | None = None) -> Arm | None:
    """Whose value is at ``pos``: an arm named right after it ("10/58 ... in group A"), else the
    nearest arm named before it in the sentence, else the only arm named after it, else the arm
    of the previous sentences (``carry``)."""
    if ctx.single:
        return ctx.arms[0]
    ments = [(p, a) for p, a in _arm_mentions(ctx, sent[0], sent[1]) if not a.subgroup]
    end = pos if end is None else end
    soon = [(p, a) for p, a in ments if end <= p <= end + 90]
    if soon:
        p0, a0 = soon[0]
        between = ctx.text[end:p0]
        if not re.search(r"\d", between) and not re.search(r"(?i)\b(?:versus|vs|compared|than|while|whereas)\b", between):
            return a0
    before = [a for p, a in ments if p <= pos]
    after = [a for p, a in ments if p > pos]
    if before:
        return before[-1]
    if after and len({a.arm_id for a in after}) == 1:
        return after[0]
    return carry


def _scale_for(sent_text: str, ctx: Context, values: list[float], outcome: str) -> str:
    return ctx.lexicon.scale(sent_text, values, outcome, default=ctx.doc_scale)


_NUM_RE = re.compile(r"(?<![\w.])" + NUM + r"(?![\w])")
_UNIT_AFTER = re.compile(r"\s*(?:%|mm|cm|ml|mL|mg|kg|min|minutes|hours?|days?|weeks?|months?|years?|yrs?|mo\b|°|points?\b)")
_DURATION_AFTER = re.compile(r"\s*(?:months?|years?|days?|weeks?|mo\b)")


def pain_values(ctx: Context, sent: tuple[int, int], carry_arm: Arm | None, prev_tp: tuple | None, outcome: str = "pain") -> list[Value]:
    """Pain scores in a sentence that names a pain scale: every statistic group after the scale
    name, with its time point taken from the phrase right after it ("before the procedure",
    "on day 1 after the procedure", "at baseline") or, failing that, from the words before it
    ("At mean 31 months follow-up mean NPRS was ..."; "from X ... to Y" → baseline / post)."""
    text = ctx.text
    a, b = sent
    s = text[a:b]
    km = _instrument_re(ctx.lexicon, outcome).search(s)
    if not km:
        return []
    if not ctx.single and re.match(r"(?i)\s*In\s+(?:this|that|the)\s+(?:sub)?group\b(?!\s+[A-H]\b)", s) and not _arm_mentions(ctx, a, b) \
            and not (carry_arm is not None and carry_arm.subgroup):
        return []  # "In this group ..." about a subgroup that is not a known arm
    out: list[Value] = []
    groups = []
    pos = a + km.end()
    while True:
        m = _NUM_RE.search(text, pos, b)
        if not m:
            break
        start = m.start()
        pre = text[max(a, start - 12) : start]
        if re.search(r"(?i)\bP\s*[<>=≤≥]\s*$|[<>≤≥]\s*$|\bn\s*=\s*$|\[\s*$|\b(?:Table|Fig\.?|Figure|day|days|week|weeks|month|months|year|years|hours?|grade|group)\s*$", pre):
            pos = m.end()
            continue
        before = text[max(a, start - 40) : start].lower()
        if re.search(r"\b(?:decrease|reduction|improvement|change|drop|difference|decline)\s+(?:of|was|in)?\s*(?:[\w-]+\s+){0,2}?$", before) and not re.search(r"\b(?:mean|median)\s+(?:vas|nrs|nprs)", before[-25:]):
            # a change from baseline is not a pain score
            st = parse_stat(text, start)
            pos = max(st.end if st else m.end(), m.end())
            continue
        st = parse_stat(text, start, median_context="median" in before, iqr_context="iqr" in before or "interquartile" in before)
        if st is None:
            pos = m.end()
            continue
        after = text[st.end : st.end + 14]
        after_main = text[st.main_end : st.main_end + 14]
        is_duration = bool(_DURATION_AFTER.match(after)) or bool(_DURATION_AFTER.match(after_main))
        has_unit = bool(_UNIT_AFTER.match(after)) or bool(_UNIT_AFTER.match(after_main))
        groups.append((st, is_duration, has_unit))
        pos = max(st.end, m.end())
    stats = [(st, dur) for st, dur, unit in groups if not unit or dur]
    # other instruments listed with the pain scale ("VAS and ODI declined from x and y"): k-tuples
    seg_before_first = text[a : stats[0][0].start] if stats else ""
    instruments = len(OTHER_INSTR.findall(seg_before_first[km.start():]))
    values = [st for st, dur in stats if not dur]
    k = 1 + instruments if instruments and len(values) % (1 + instruments) == 0 else 1
    vi = -1
    for gi, (st, dur) in enumerate(stats):
        if dur:
            continue
        vi += 1
        if k > 1 and vi % k != 0:
            continue
        main = st.fields.get("mean", st.fields.get("median", st.fields.get("value")))
        if main is None or st.kind == "value":
            # a bare number counts only with "mean"/"median" right before it
            pre = text[max(a, st.start - 30) : st.start].lower()
            if not re.search(r"\b(mean|median|average)\b", pre):
                # "The mean visual analog scale score decreased from 8.8 to 4.7"
                lead = re.search(r"\b(mean|median|average)\s+$", s[max(0, km.start() - 12) : km.start()].lower())
                if not (lead and re.search(r"(?i)\b(?:from|to)\s*$", text[max(a, st.start - 6) : st.start])):
                    continue
                pre = lead.group(1)
            st.fields = {("median" if "median" in pre else "mean"): st.fields["value"]}
        vals = list(st.fields.values())
        scale = _scale_for(s, ctx, [v for k2, v in st.fields.items() if k2 != "sd"], outcome)
        sc = next((x for x in ctx.lexicon.vocabulary.scales if x.code == scale), None)
        limit = sc.max if sc is not None else 10
        if any(v < 0 or v > limit for k2, v in st.fields.items() if k2 not in ("sd",)) or st.fields.get("sd", 0) > limit:
            continue
        # time point: phrase right after, else words before (back to the previous group)
        nxt = stats[gi + 1][0].start if gi + 1 < len(stats) else b
        after_txt = text[st.end : min(nxt, st.end + 70)]
        after_txt = re.split(r"(?i),\s*(?:while|whereas)\b|;", after_txt)[0]  # another clause
        tp = None
        am = timepoint_of(after_txt)
        if am is not None:
            mpos = after_txt.lower().find(am[1].lower()[:6])
            if 0 <= mpos <= 20:
                tp = am
        if tp is None:
            if re.search(r"(?i)\bfrom\s*$", text[max(a, st.start - 8) : st.start]):
                tp = ("baseline", "from (before)", 0.0)
            elif re.search(r"(?i)\b(?:to|vs\.?|versus)\s*$", text[max(a, st.start - 9) : st.start]) and gi > 0:
                tp = ("post", "to (after treatment)", None)
        if tp is None:
            prv = a
            for pj in range(gi - 1, -1, -1):
                if not stats[pj][1]:
                    prv = stats[pj][0].end
                    break
            before_txt = text[prv : st.start]
            tp = timepoint_of(before_txt)
            if tp is not None and tp[0] == "last" and "that time" in tp[1].lower() and prev_tp is not None:
                tp = prev_tp if prev_tp[0] != "baseline" else tp
        if tp is None:
            tp = ("post", "after treatment (time not stated)", None)
        arm = _arm_for(ctx, sent, st.start, carry_arm)
        if arm is None:
            continue
        conf = 0.9 if st.kind in ("mean_sd", "median_iqr") else 0.75
        for fld, v in st.fields.items():
            if fld not in ("mean", "sd", "median", "q1", "q3", "min", "max"):
                continue
            out.append(
                Value(arm.arm_id, outcome, fld, v, (st.start, st.end), (st.start, st.main_end), f"text.{st.kind}", conf,
                      tp[0], tp[1], tp[2], scale, "patients")
            )
    return out


def _nearest_count(counts: list[Count], kpos: int, kend: int, max_dist: int = 90) -> Count | None:
    best = None
    for c in counts:
        if c.end <= kpos:
            d = kpos - c.end
        elif c.start >= kend:
            d = c.start - kend + 5  # slight preference for counts before the keyword
        else:
            d = 0
        if d <= max_dist and (best is None or d < best[0]):
            best = (d, c)
    return best[1] if best else None


_NEG = re.compile(r"(?i)\b(?:no|no (?:patients?|cases?) (?:had|developed|experienced)|none of the patients had|without any|there were no|did not (?:have|experience|observe)|in (?:the )?absence of)\s+(?:[\w≥≤>+-]+\s+){0,3}?$")
_NOT_COUNTED = re.compile(r"(?i)\b(?:were|was)\s+not\s+(?:taken\s+into\s+account|counted|included|considered)\b")
_COMPARATIVE = re.compile(r"(?i)\b(?:higher|lower|greater|more|less|fewer|increased|decreased|significant(?:ly)?|different|difference|excess)\b")
_LABELLED = re.compile(r"(?i)(?:following|after|with|receiving|in|among|undergoing|or|and|versus|vs\.?)\s+(?:patients\s+(?:receiving|undergoing|treated with)\s+)?(?:the\s+)?(?P<label>[A-Za-z][\w+-]*(?:\s+(?:and|\+|plus)?\s*[A-Za-z][\w+-]*){0,2})\s*$")


def count_values(ctx: Context, sent: tuple[int, int], carry_arm: Arm | None, sent_tp: tuple | None) -> tuple[list[Value], list[Arm]]:
    """Event counts for complications, local recurrence / progression, cement leakage and pain
    responders: the count expression nearest to the outcome words in the same sentence
    ("Complications developed in 5 patients (5/23; 22%)", "Five (22%) minor complications",
    "3 metastases out of 7 (43%) ... local progression", "10/58 (17%) of the treated lesions in group A",
    "46 patients reported pain relief", "No major complications occurred in group A").
    A count right after "following RFA" / "receiving palliative treatments" belongs to that subgroup."""
    text = ctx.text
    a, b = sent
    s = text[a:b]
    out: list[Value] = []
    new_arms: list[Arm] = []
    found: list[tuple[str, re.Match[str]]] = []
    for m in COMP_RE.finditer(s):
        oc = complication_outcome(m, s)
        if oc is None:
            continue
        found.append((oc, m))
    for o in ctx.lexicon.event_outcomes:
        for m in ctx.lexicon.outcome_re(o.code).finditer(s):
            found.append((o.code, m))
    for m in RESP_RE.finditer(s) if "responder" in ctx.lexicon.vocabulary.outcome_codes else ():
        # "responders" / "complete response" mean pain response only where pain is the subject
        # (not a tumour's RECIST response or a vascular-function responder analysis)
        if "pain" in m.group(0).lower() or _PAIN_CONTEXT.search(s):
            found.append(("responder", m))
    if found and _NOT_COUNTED.search(s):
        found = []  # "Reoperations after ... complications ... were not taken into account."
    if not found:
        if 0 <= ctx.no_major_end <= a and not text[ctx.no_major_end : a].strip():
            out.extend(_minor_after_no_major(ctx, sent, carry_arm, sent_tp))
        return out, new_arms
    # generic statements of method ("complications were graded according to ...") carry no counts
    counts = [c for c in find_counts(text, a, b)]
    counts = [c for c in counts if not re.match(r"\s*(?:had no|had not|did not|showed no|with no)\b", text[c.end : c.end + 12], re.I)]
    used: set[int] = set()
    tp_default = {oc: _default_tp(ctx.lexicon, oc) for oc in COMPLICATION_CODES + tuple(oc for oc, _ in found)}
    found.sort(key=lambda t: t[1].start())
    # "complications which led to revision surgery": one event, already major
    led = [m2.end() for _, m2 in found if m2.re is COMP_RE and _LED_TO_SURGERY.match(s, m2.end())]
    found = [(oc, m) for oc, m in found if not (m.re is COMP_RE and _is_reoperation(m) and any(e < m.start() <= e + 60 for e in led))]
    # a run-in heading ("Adverse events In the CA group, ...") is not a statement about events
    found = [(oc, m) for oc, m in found if s[: m.start()].strip() or not re.match(r"\s+(?:[A-Z][a-z]|[A-Z]{2,}\b)", s[m.end():])]
    for oc, m in found:
        kpos, kend = a + m.start(), a + m.end()
        pre = text[max(a, kpos - 40) : kpos]
        if re.search(r"(?i)\b(?:these|those|such|of the|among the)\s+(?:\w+\s+){0,2}$", pre):
            continue  # details of events already counted ("These adverse events were ...")
        bare = re.search(r"(?i)(?<![≥≤<>])\b(" + NUMW + r")\s+$", pre)
        if bare and re.search(r"(?i)\bgrades?\s*[≥≤<>]?\s*$", pre[: bare.start()]):
            bare = None  # "grade ≥3 toxicity": a grade, not a count
        if bare and not any(c.start <= kpos - len(bare.group(0)) < c.end for c in counts):
            counts.append(Count(kpos - len(bare.group(0)), kpos - len(bare.group(0)) + len(bare.group(1)), to_number(bare.group(1)), None, None, "", "n_before_keyword"))
        neg = _NEG.search(pre)
        if neg and _COMPARATIVE.search(neg.group(0)):
            neg = None  # "showed no higher reoperation rate": a comparison, not a zero count
        # an event is never at baseline ("in all 13 patients who were symptomatic prior to treatment")
        tp = sent_tp if sent_tp and sent_tp[0] != "baseline" else tp_default[oc]
        if tp_default[oc][0] == "last" and sent_tp is None:
            fu = re.search(r"(?i)(?:at|after)\s+(?:a\s+)?(?:mean|median)\s+(?:follow-?up\s+(?:of\s+)?)?[^.;]{0,50}?(?:months?|years?)(?:\s+follow-?up)?", s)
            if fu:
                tp = ("last", " ".join(fu.group(0).split()), None)
        if neg and not any(c.start >= kpos - 40 and c.end <= kpos for c in counts):
            # "No major complications occurred in group A" / "There were no complications"
            arms = []
            arm = _arm_for(ctx, sent, kpos, carry_arm, kend)
            if arm is not None and _arm_mentions(ctx, sent[0], sent[1]):
                arms = [arm]
            elif ctx.single:
                arms = [ctx.arms[0]]
            else:
                # several arms and none named: a study-wide statement holds for every arm, one
                # about complications "related to" one arm's own treatment for that arm only;
                # otherwise the zero is not stated for any one arm
                arms = _negation_scope(ctx, s, m, oc)
                if arms and oc == "complication_major" and len(arms) > 1:
                    ctx.no_major_end = b
            for arm in arms:
                out.append(Value(arm.arm_id, oc, "events", 0.0, (a + neg.start() + max(0, kpos - 40 - a), kend), (kpos, kend), "text.negation", 0.8, *tp, "", "patients"))
            continue
        c0 = _nearest_count([c for c in counts if id(c) not in used], kpos, kend)
        if c0 is None:
            continue
        if c0.total is None and c0.percent is not None:
            # "98 procedures were performed and 6 (6.1%) had periprocedural complications"
            c0 = _with_prior_total(text, a, c0)
        todo: list[tuple[Count, Arm | None]] = [(c0, None)]
        first = _arm_right_after(ctx, c0, b) if c0.total is not None else None
        if _label_of(text, a, c0) is not None:
            # parallel subgroup counts: "following RFA (4/5; 80%) or CA (9/11; 82%)"
            todo += [(c, None) for c in counts if c is not c0 and id(c) not in used and c.total is not None and _label_of(text, a, c) is not None]
        elif first is not None:
            # parallel arm counts: "Seven of 48 patients with X (15%) and 4 of 33 patients with Y (12%) had ..."
            todo = [(c0, first)]
            for c in counts:
                arm = _arm_right_after(ctx, c, b) if c is not c0 and id(c) not in used and c.total is not None else None
                if arm is not None and all(arm.arm_id != x.arm_id for _, x in todo):
                    todo.append((c, arm))
        for c, arm in todo:
            used.add(id(c))
            out.extend(_count_to_values(ctx, sent, c, oc, m, kpos, kend, tp, carry_arm, new_arms, arm))
    out.extend(_listed_events(ctx, sent, found, carry_arm, sent_tp, tp_default))
    # "better in group A than in group B (90% versus 76%)": percentages in arm order
    for oc, m in found:
        pm = re.search(r"\(?\s*(" + NUM + r")\s*%\s*\)?\s*(?:versus|vs\.?|and|compared with)\s*(" + NUM + r")\s*%", s)
        if pm and not ctx.single:
            ments = []
            for p, arm in _arm_mentions(ctx, a, a + pm.start()):
                if not ments or ments[-1].arm_id != arm.arm_id:
                    ments.append(arm)
            if len(ments) >= 2:
                tp = sent_tp or tp_default[oc]
                for arm, g in ((ments[-2], 1), (ments[-1], 2)):
                    out.append(Value(arm.arm_id, oc, "percent", float(pm.group(g)), (a + m.start(), a + pm.end()), (a + pm.start(g), a + pm.end(g)), "text.percent_versus", 0.75, *tp, "", "patients"))
            break
    return out, new_arms


_TP_WORDS = {"procedural": "peri-procedural (not stated)", "last": "last follow-up (not stated)", "post": "after treatment (time not stated)"}


def _default_tp(lexicon: Lexicon, oc: str) -> tuple[str, str, None]:
    """When a count is taken if the sentence does not say: complications during the procedure;
    otherwise the outcome's configured ``timepoint`` (default: after treatment)."""
    if oc in COMPLICATION_CODES:
        key = "procedural"
    else:
        try:
            key = lexicon.vocabulary.outcome(oc).timepoint or "post"
        except ValueError:
            key = "post"
    return key, _TP_WORDS[key], None


def _decimals(x: str) -> int:
    return len(x.split(".")[1]) if "." in x else 0


def _pct_agrees(events: float, total: float, pct_text: str) -> bool:
    """events/total printed as ``pct_text`` percent (to its printed precision)."""
    if not total:
        return False
    return abs(100.0 * events / total - float(pct_text)) <= 0.5 * 10 ** (-_decimals(pct_text)) + 1e-9


_PRIOR_TOTAL = re.compile(
    r"(?i)\b(?P<n>\d+)\s+(?P<noun>procedures|patients|subjects|participants|sessions|cases|[a-z]+ations)\s+(?:were\s+)?"
    r"(?:performed|treated|included|enrolled|analy[sz]ed|undertaken|carried\s+out|done)\s*,?\s*(?:and|of\s+(?:which|whom|these|them))\s*,?\s*$"
)


def _with_prior_total(text: str, a: int, c: Count) -> Count:
    """"N procedures were performed and k (p%) had ...": the count k (p%) with denominator N,
    when k/N is p% at the printed precision; else the count unchanged."""
    m = _PRIOR_TOTAL.search(text[a : c.start])
    if m is None or c.events is None or c.percent is None:
        return c
    pm = re.search(r"\(\s*(" + NUM + r")\s*%", text[c.start : c.end])
    n = float(m.group("n"))
    if pm is None or not _pct_agrees(c.events, n, pm.group(1)):
        return c
    return Count(a + m.start("n"), c.end, c.events, n, c.percent, m.group("noun").lower(), "n_pct_of_prior")


_LIST_ITEM = re.compile(r"(?i)^\s*(?P<k>" + NUMW + r")\s+[\w-]+(?:\s+[\w-]+){0,5}\s*$")


def _listed_events(ctx: Context, sent: tuple[int, int], found: list, carry_arm: Arm | None, sent_tp: tuple | None, tp_default: dict) -> list[Value]:
    """"The X group had one flecainide intoxication and one minor vascular access complication
    (4.2% of patients)": a coordinated list of counted events that ends in a complication keyword
    with a percentage of patients right after it. The events of all items add up to the arm's
    complications of any severity (number words count), accepted only when the sum over the
    arm's size is the printed percentage."""
    text = ctx.text
    a, b = sent
    s = text[a:b]
    out: list[Value] = []
    for oc, m in found:
        if not oc.startswith("complication"):
            continue
        pm = re.match(r"\s*\(\s*(?P<p>" + NUM + r")\s*%\s*(?:of\s+(?:the\s+)?(?:patients|subjects|participants))?\s*\)", s[m.end():])
        if pm is None:
            continue
        vm = None
        for vm in re.finditer(r"(?i)\b(?:had|experienced|developed|suffered|presented\s+with|included|were)\b|:", s[: m.start()]):
            pass
        if vm is None:
            continue
        items = re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", s[vm.end() : m.end()].strip())
        ks = [_LIST_ITEM.match(it) for it in items]
        if len(items) < 2 or not all(ks):
            continue
        total_events = sum(to_number(k.group("k")) or 0 for k in ks)
        arm = _arm_for(ctx, sent, a + vm.start(), carry_arm, a + vm.end())
        if arm is None or arm.n_patients is None or not _pct_agrees(total_events, arm.n_patients, pm.group("p")):
            continue
        tp = sent_tp or tp_default["complication_any"]
        span = (a + vm.end(), a + m.end() + pm.end())
        anchor = (a + m.end() + pm.start("p"), a + m.end() + pm.end("p"))
        out.append(Value(arm.arm_id, "complication_any", "events", total_events, span, anchor, "text.listed_events", 0.75, *tp, "", "patients"))
        out.append(Value(arm.arm_id, "complication_any", "percent", float(pm.group("p")), span, anchor, "text.listed_events", 0.75, *tp, "", "patients"))
    return out


_SCOPE_QUAL = r"(?:major|severe|serious|procedur\w*|peri-?procedural|intra-?procedural|post-?procedural|related|access[- ]site|vascular|device[- ]related|[a-z]+(?:ation|plasty|ectomy)[- ]related)"
# "No major procedure related complications occurred." / "There were no complications."
_STUDY_WIDE_NEG = re.compile(
    r"(?i)^\s*(?:there\s+(?:were|was)\s+no|no)\s+(?:" + _SCOPE_QUAL + r"[\s,-]+){0,4}(?:complications?|adverse\s+events?)"
    r"\s*(?:(?:occurred|developed|(?:were|was)\s+(?:observed|noted|seen|reported|recorded|encountered|documented))\s*)?"
    r"(?:(?:in|among)\s+(?:any|either|both|all)\s+(?:of\s+the\s+)?(?:\w+\s+)?(?:patients?|groups?|arms?|procedures?)\s*)?[.;]?\s*$"
)
_RELATED_COMMON = re.compile(r"(?i)^\s*(?:related\s+to|attributable\s+to|caused\s+by|due\s+to)\s+(?:the\s+)?(?P<x>[\w-]+(?:\s+[\w-]+)?)(?=\s*(?:[.;,]|\s+and\b|\s+(?:occurred|were|was)\b|$))")
_RELATED_TO = re.compile(r"(?i)^\s*(?:related\s+to|attributable\s+to|caused\s+by|due\s+to)\s+(?:the\s+)?(?P<x>[\w+-]+(?:\s+[\w+-]+){0,3}?)\s+(?:occurred|developed|(?:were|was)\s+(?:observed|noted|seen|reported))\s*[.;]?\s*$")


def _norm_words(x: str) -> str:
    return " ".join(re.findall(r"[a-z0-9+]+", x.lower()))


def _negation_scope(ctx: Context, s: str, m: re.Match[str], oc: str) -> list[Arm]:
    """Arms a negated complication statement that names no arm is about, in a study with several
    arms:

    * a study-wide statement -- the whole sentence is "No [major] [procedure related]
      complications occurred" / "There were no complications [in either group]" -- holds for
      every main arm;
    * "No severe complication related to <treatment> developed" holds for the one arm whose
      treatment (label, description or allocation verb phrase) is <treatment>; only with a
      stated severity (a zero of any event for one arm is seldom what such a sentence means).

    Anything else ("no significant difference in complications", "no complications in patients
    with ...") gives no arm."""
    main = [x for x in ctx.arms if not x.subgroup]
    if _STUDY_WIDE_NEG.match(s):
        return main
    sev = (m.group("sev") or "").lower()
    rel = _RELATED_TO.match(s[m.end():])
    if rel and sev in ("major", "severe", "serious") and re.match(r"(?i)\s*(?:there\s+(?:were|was)\s+no|no)\s*$", s[: m.start()]):
        x = _norm_words(rel.group("x"))
        hits = [arm for arm in main if x in {_norm_words(arm.treatment), _norm_words(arm.label), _norm_words(arm.description)} - {""}]
        if len(hits) == 1:
            return hits
    # "There were no complications related to cardioversion and ...": the procedure of the title,
    # which every arm underwent (the arms are ways of doing it), so the zero holds for every arm
    common = _RELATED_COMMON.match(s[m.end():])
    if common and re.match(r"(?i)\s*(?:there\s+(?:were|was)\s+no|no)\s*$", s[: m.start()]):
        x = _norm_words(common.group("x"))
        if len(x) >= 4 and re.search(r"(?i)\b" + re.escape(x), _norm_words(ctx.title)) and not any(x in _norm_words(arm.label) for arm in main):
            return main
    return []


# access-site events that are minor complications by every usual grading
MINOR_EVENT_RE = re.compile(r"(?i)\b(?:(?:groin|access[- ]site|puncture[- ]site|femoral|inguinal)\s+)?(?:ha?ematomas?|pseudo-?aneurysms?|arteriovenous\s+fistulae?s?)\b")


def _minor_after_no_major(ctx: Context, sent: tuple[int, int], carry_arm: Arm | None, sent_tp: tuple | None) -> list[Value]:
    """"No major complications occurred. One patient in the X group developed a groin hematoma."
    Right after a study-wide statement that no major complication occurred, a sentence that counts
    patients with an access-site event (hematoma, pseudoaneurysm, arteriovenous fistula) gives that
    arm's minor complications, and -- being the only complication the report goes on to name --
    its complications of any severity."""
    text = ctx.text
    a, b = sent
    em = MINOR_EVENT_RE.search(text, a, b)
    if em is None or _NEG.search(text[max(a, em.start() - 40) : em.start()]):
        return []
    counts = [c for c in find_counts(text, a, em.start()) if c.noun.startswith(("patient", "subject", "participant", "case"))]
    if not counts:
        return []
    c = counts[-1]
    if not re.match(r"(?i)[^.;]{0,60}?\b(?:developed|had|experienced|suffered|presented\s+with)\s+(?:an?\s+|\w+\s+){0,2}$", text[c.end : em.start()]):
        return []
    arm = _arm_for(ctx, sent, c.start, carry_arm, c.end)
    if arm is None:
        return []
    tp = sent_tp or ("procedural", "peri-procedural (not stated)", None)
    span = (c.start, em.end())
    out = []
    for oc in ("complication_minor", "complication_any"):
        out.append(Value(arm.arm_id, oc, "events", c.events, span, (c.start, c.end), "text.minor_after_no_major", 0.7, *tp, "", "patients"))
        if c.total is not None:
            out.append(Value(arm.arm_id, oc, "total", c.total, span, (c.start, c.end), "text.minor_after_no_major", 0.7, *tp, "", "patients"))
    return out


def _arm_right_after(ctx: Context, c: Count, b: int) -> Arm | None:
    """The arm named right after a count ("4 of 33 patients with augmented LSF"), if any."""
    for p, arm in _arm_mentions(ctx, c.end, min(b, c.end + 50)):
        if not arm.subgroup and not re.search(r"\d", ctx.text[c.end : p]):
            return arm
    return None


def _label_of(text: str, a: int, c: Count) -> re.Match[str] | None:
    if c.kind not in ("frac", "n_paren_frac"):
        return None
    if c.kind == "frac" and text[c.start - 2 : c.start].strip() == "(":
        return _LABELLED.search(text[max(a, c.start - 50) : c.start - 1].rstrip(" ("))
    if text[c.start - 1 : c.start] == "(":
        return None
    return _LABELLED.search(text[max(a, c.start - 50) : c.start])


def _cohort_if_not_arm(ctx: Context, c: Count, arm: Arm) -> Arm | None:
    """The whole cohort ("all") for a patient count that cannot be the carried arm's: more events
    than the arm has patients, or a percentage that does not agree with the arm's size but with the
    size of two or more arms together ("101 patients (23.4%) had ..." of 391 + 40 patients); None
    for a count larger than the arm that fits no cohort; the arm otherwise."""
    top = [x.n_patients for x in ctx.arms if not x.subgroup and x.n_patients]
    if ctx.single or arm.subgroup or arm.n_patients is None or len(top) < 2 or c.total is not None:
        return arm
    if c.noun and not re.match(r"(?:patients?|subjects?|participants?|cases?)$", c.noun):
        return arm  # lesions, procedures, sessions: not bounded by the arm's number of patients

    def agrees(n: float) -> bool:
        return c.percent is not None and n > 0 and abs(100.0 * c.events / n - c.percent) <= 0.51

    too_many = c.events > arm.n_patients
    if not too_many and (c.percent is None or agrees(arm.n_patients)):
        return arm
    sums = {sum(top[i] for i in range(len(top)) if mask >> i & 1) for mask in range(1, 1 << min(len(top), 8))
            if bin(mask).count("1") >= 2}
    fit = [n for n in sums if agrees(n) and n >= c.events]
    if fit:
        return Arm(arm_id="all", label="all", n_patients=min(fit))
    return None if too_many else arm


# "performed in 14/52", "was indicated in 3/9": a verb phrase before a count names no subgroup
_VERB_PHRASE = re.compile(r"(?i)^(?:[a-z]+ed|was|were|is|are|been|being)\b|\b(?:in|of|on|at|to|by|for|from|as)$")


def _count_to_values(ctx: Context, sent: tuple[int, int], c: Count, oc: str, m: re.Match[str], kpos: int, kend: int,
                     tp: tuple, carry_arm: Arm | None, new_arms: list[Arm], arm_hint: Arm | None = None) -> list[Value]:
    text = ctx.text
    a, b = sent
    s = text[a:b]
    out: list[Value] = []
    lab = None if arm_hint is not None else _label_of(text, a, c)
    arm = arm_hint  # the arm named right after the count, when the caller found one
    if lab is not None and c.total is not None:
        label = " ".join(lab.group("label").split())
        named = [x for x in ctx.arms if x.alias_re().fullmatch(label)]
        if named:
            arm = named[0]
        elif not re.fullmatch(r"(?i)(?:the\s+)?(?:patients?|cases?|total|all|which|whom|them|those|these|lesions?|metastases|sites?)", label) \
                and not _VERB_PHRASE.search(label):
            arm = next((x for x in ctx.arms + new_arms if x.label.lower() == label.lower()), None)
            if arm is None:
                cls = treatment_class(label, ctx.lexicon)
                if cls == "other" and ctx.single:
                    cls = ctx.arms[0].treatment_class
                arm = Arm(arm_id=slug(label), label=label, treatment_class=cls, n_patients=c.total, subgroup=True)
                arm.n_span = (c.start, c.end)
                new_arms.append(arm)
    if arm is None:
        arm = _arm_for(ctx, sent, c.start, carry_arm, c.end)
        if arm is not None and not any(not x.subgroup for _, x in _arm_mentions(ctx, a, b)):
            arm = _cohort_if_not_arm(ctx, c, arm)  # an arm carried from earlier sentences
    if arm is None:
        return out
    unit = unit_of(c.noun, text[c.start : min(b, c.end + 40)]) or ("lesions" if oc not in COMPLICATION_CODES + ("responder",) and re.search(r"(?i)lesion|metasta|tumou?r|vertebra", s) else "patients")
    span = (min(c.start, kpos), max(c.end, kend))
    if span[1] - span[0] > 160:
        span = (c.start, c.end)
    if c.total is None and c.events and re.search(r"(?i)\ball\s+(?:of\s+(?:the\s+)?)?$", text[max(a, c.start - 12) : c.start]):
        c = Count(c.start, c.end, c.events, c.events, c.percent, c.noun, c.kind)  # "in all 13 patients"
    conf = 0.85 if c.total is not None or c.percent is not None else 0.7
    ext = f"text.count_{c.kind}"
    out.append(Value(arm.arm_id, oc, "events", c.events, span, (c.start, c.end), ext, conf, *tp, "", unit))
    if c.total is not None:
        out.append(Value(arm.arm_id, oc, "total", c.total, span, (c.start, c.end), ext, conf, *tp, "", unit))
    if c.percent is not None:
        out.append(Value(arm.arm_id, oc, "percent", c.percent, span, (c.start, c.end), ext, conf, *tp, "", unit))
    return out
