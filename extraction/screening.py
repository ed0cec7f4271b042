"""Screening of one document: type (primary / review / abstract / other) with the evidence, and
bibliographic fields (title, first author, year, DOI, citation, design, period, country).

Typing is by evidence categories, not by one phrasing (:func:`signals`):

* a *primary report* shows its own study: patients/participants enrolled, included, randomised or
  treated (with a count or "we ..."), allocation to groups (randomly assigned, placebo-controlled,
  double-blind), a design statement about the document itself (randomised trial, phase 1-4,
  cohort, case series, single-arm, cross-sectional, registry, post hoc / pooled analysis of
  trials: a design cited from other work — "a recent randomised trial" — does not count), ethics
  approval / consent / trial registration, and Methods + Results sections of its own;
* a *review* shows a literature search (databases searched, PRISMA, PROSPERO, "N studies were
  included"), meta-analytic statistics (random effects, heterogeneity, forest plot), or says so
  of itself ("this review", a title "systematic review" / "meta-analysis").

Decision (first that applies):

* review — the title says "systematic review" / "meta-analysis", or a literature search with
  meta-analytic statistics or without allocation / ethics approval of its own; or a weaker review
  cue (a review statement about the document, a title or keyword "review") with little primary
  evidence;
* abstract — a short record (< 1,200 words, or <= 2 pages without both methods and results
  sections of its own) with an abstract (conference abstracts, repository landing pages);
* primary — any primary category that shows the document's own patients (enrolment, allocation,
  a self-stated design), or ethics/registration together with Methods and Results sections;
* other — none of the above (software manuals, editorials, methods papers without patients).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .layout import Layout

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>,;]+)", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
COUNTRIES = [
    "United States", "USA", "United Kingdom", "UK", "China", "France", "Germany", "Italy", "Spain", "Japan",
    "Korea", "Canada", "Australia", "Netherlands", "Belgium", "Switzerland", "Austria", "Sweden", "Norway",
    "Denmark", "Finland", "Brazil", "India", "Turkey", "Israel", "Greece", "Portugal", "Poland", "Taiwan",
    "Iran", "Egypt", "Mexico", "Argentina", "Ireland", "Czech Republic", "Hungary", "Singapore", "Ghana",
    "Democratic Republic of the Congo", "Liberia", "New Zealand", "South Africa",
]
_DESIGNS = [
    (r"systematic review and meta-?analysis", "systematic review and meta-analysis"),
    (r"systematic review", "systematic review"),
    (r"meta-?analysis", "meta-analysis"),
    (r"randomi[sz]ed,?\s+(?:\w+[-,]?\s+){0,4}(?:controlled\s+)?trial", None),
    (r"post[- ]hoc analysis", None),
    (r"(?:prospective|retrospective),?\s+(?:\w+[-,]?\s+){0,3}(?:cohort\s+)?(?:study|series|trial|analysis|review)", None),
    (r"single[- ]cent(?:er|re)\s+retrospective\s+study", None),
    (r"case[- ]control study", None),
    (r"cohort study", None),
    (r"case series", None),
    (r"single[- ]arm\s+(?:\w+\s+){0,2}trial", None),
]


@dataclass
class Screening:
    document_type: str
    reason: str
    evidence: str = ""
    evidence_span: tuple[int, int] | None = None


@dataclass
class Bibliography:
    title: str = ""
    first_author: str = ""
    year: str = ""
    doi: str = ""
    citation: str = ""
    design: str = ""
    period: str = ""
    country: str = ""
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


def _first_pages_text(layout: Layout, pages: int = 2) -> tuple[str, int]:
    st = layout.stream
    assert st is not None
    end = len(st.text)
    for (s, e), ln in zip(st.line_spans, layout.lines):
        if ln.page > pages:
            end = s
            break
    return st.text[:end], end


def _title(layout: Layout, meta: dict[str, str]) -> str:
    t = (meta.get("Title") or "").strip()
    if len(t) > 20 and not re.search(r"\.(dvi|docx?|pdf|tex)$|^untitled|^microsoft", t, re.I):
        return " ".join(t.split())
    # largest font on the first text page
    first = min((ln.page for ln in layout.lines), default=None)
    lines = [ln for ln in layout.lines if ln.page == first]
    if not lines:
        return ""
    def size(ln):  # noqa: E306
        return max(w.size for w in ln.words)
    big = max(size(ln) for ln in lines)
    title_lines = [ln for ln in lines if size(ln) >= big - 0.5 and len(ln.text) > 3]
    return " ".join(ln.text for ln in title_lines)[:300]


def _surname_from_authors(text: str) -> str:
    # "Roberto Luigi Cazzato, Pierre ..." | "Q.-H. Tian, K. ..." | "Cazzato RL, De Marini P"
    first = text.split(",")[0].strip()
    first = re.sub(r"\b(MD|PhD|MSc|BSc|MPH|FRCR|Jr|Sr)\b\.?", "", first).strip()
    toks = [t for t in re.split(r"\s+", first) if t]
    toks = [t for t in toks if not re.fullmatch(r"(?:[A-Z]\.?-?)+[A-Z]?\.?|[A-Z]{1,3}|\d+|[a-z]|\*", t)]
    if not toks:
        return ""
    # "Cazzato RL" -> initials removed above; take the last capitalised token
    name = toks[-1]
    name = re.sub(r"[^A-Za-zÀ-ÿ'-]", "", name)
    return name.lower()


def _author_line(layout: Layout, meta: dict[str, str]) -> str:
    a = (meta.get("Author") or "").strip()
    if a and len(a) > 3:
        return a
    text, _ = _first_pages_text(layout, 1)
    for ln in layout.lines[:60]:
        t = ln.text
        if t.count(",") >= 2 and re.search(r"[A-Z][a-z]+", t) and not re.search(r"\d{4}|Department|University|Hospital", t):
            return t
    return ""


def bibliography(layout: Layout, meta: dict[str, str], source_file: str) -> Bibliography:
    st = layout.stream
    assert st is not None
    text = st.text
    head, head_end = _first_pages_text(layout, 2)
    b = Bibliography()
    b.title = _title(layout, meta)
    m = _DOI.search(head) or _DOI.search(text[:20000])
    if m:
        b.doi = m.group(1).rstrip(".)]")
        b.spans["doi"] = (m.start(1), m.start(1) + len(b.doi))
    b.first_author = _surname_from_authors(_author_line(layout, meta))
    # citation line: "Journal YYYY, vol (issue) pages" or "YYYY;vol:pages"
    subj = (meta.get("Subject") or "").strip()
    cm = re.search(r"[A-Z][A-Za-z .&]+?,?\s+(?:19|20)\d\d\s*[;,]\s*\d+\s*(?:\(\d+\))?\s*[:,]?\s*(?:pp\.)?\s*\d+\s*[-–]\s*\d+", head)
    if subj and _YEAR.search(subj):
        b.citation = subj
    elif cm:
        b.citation = " ".join(cm.group(0).split())
        b.spans["citation"] = cm.span()
    ym = _YEAR.search(b.citation) if b.citation else None
    if ym:
        b.year = ym.group(1)
    else:
        years = _YEAR.findall(head[:4000])
        if years:
            b.year = max(years, key=years.count)  # a tie: the year printed first
    # the file-name convention of the corpus: <surname>[_]<year>...
    fm = re.match(r"([a-z]+)_?(\d{4})", Path(source_file).stem.lower())
    if fm:
        if not b.first_author:
            b.first_author = fm.group(1)
        if not b.year:
            b.year = fm.group(2)
    # design
    for pat, label in _DESIGNS:
        dm = re.search(pat, head, re.I)
        if dm:
            b.design = label or " ".join(dm.group(0).lower().split())
            b.spans["design"] = dm.span()
            break
    pm = re.search(
        r"(?:from|between)\s+((?:January|February|March|April|May|June|July|August|September|October|November|December)?\s*(?:19|20)\d\d)\s+(?:to|and|through|until)\s+((?:January|February|March|April|May|June|July|August|September|October|November|December)?\s*(?:19|20)\d\d)",
        head,
    )
    if pm:
        b.period = f"{pm.group(1).strip()} to {pm.group(2).strip()}"
        b.spans["period"] = pm.span()
    counts: dict[str, int] = {}
    for c in COUNTRIES:
        n = len(re.findall(r"\b" + re.escape(c) + r"\b", head[:15000]))
        if n:
            counts[c] = n
    if counts:
        b.country = max(counts, key=lambda k: counts[k])
        b.country = {"USA": "United States", "UK": "United Kingdom"}.get(b.country, b.country)
    return b


_REVIEW_STRONG = [
    r"\bsystematic (?:literature )?review\b",
    r"\bmeta-?analys[ie]s\b",
    r"\bthis (?:narrative |pictorial |comprehensive )?review\b",
    r"\breview article\b",
    r"\bwe (?:review|summari[sz]e the (?:literature|evidence))\b",
    r"\breviews (?:available|the (?:literature|current|recent))\b",
    r"\bthis article (?:presents|reviews|discusses|provides an overview)\b",
    r"\b(?:narrative|literature) review\b",
    r"\bstate[- ]of[- ]the[- ]art review\b",
]
# words before a review or design cue that make it a citation of someone else's work
_CITED_REVIEW = re.compile(
    r"(?i)\b(?:a|an|the|one|two|several|recent(?:ly)?|previous(?:ly)?|prior|earlier|published|large|cochrane|existing|other|"
    r"individual[- ]patient[- ]data|network|updated?)\s+(?:\w+[- ]){0,3}$"
)
_SELF_REVIEW = re.compile(r"(?i)\b(?:we|our|this|present|here|current)\b[^.]*$")
# before a design cue: an article alone ("a retrospective study was performed") is the document's own
_CITED_DESIGN = re.compile(
    r"(?i)\b(?:recent(?:ly)?|previous(?:ly)?|prior|earlier|published|several|other|existing|many|few|some|"
    r"landmark|pivotal|seminal)\s+(?:\w+[- ]){0,3}$"
)

_NUMWORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
            r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)(?:[- ]\w+)?")
_COUNT = r"(?:\d[\d,]*|" + _NUMWORD + r")"
_POP = (r"(?:patients?|participants?|subjects?|individuals?|persons?|people|children|adolescents?|adults?|women|men|"
        r"infants?|neonates?|newborns?|volunteers?|cases|eyes|recipients?|survivors?|mothers?|pregnan\w+|"
        r"residents?|veterans?|athletes?|smokers?|employees?|workers?|students?)")
_ENROL_VERB = (r"(?:enrol+ed|included|randomi[sz]ed|recruited|treated|assigned|allocated|analy[sz]ed|identified|studied|"
               r"followed|evaluated|examined|screened|operated|underwent|received|participated|completed|selected)")
_DESIGN = (
    r"(?:randomi[sz]ed|controlled|comparative|observational|prospective|retrospective|pilot|feasibility|"
    r"single[- ](?:arm|cent(?:er|re)|blind)|multi-?cent(?:er|re)|open[- ]label|double[- ]blind|cross[- ]sectional|"
    r"longitudinal|population[- ]based|case[- ]control|interventional|clinical|cohort|phase\s*(?:[1-4]|I{1,3}V?|IV)(?:/(?:[1-4]|I{1,3}V?))?[ab]?)"
)
_DESIGN_NOUN = r"(?:trials?|study|studies|cohort|series|registry|analysis|review of (?:the )?(?:medical )?(?:records|charts|cases))"
_PRIMARY_SIGNALS: dict[str, list[str]] = {
    # the document's own patients, counted or "we ..."
    "enrolment": [
        r"\bwe (?:\w+ly )?(?:enrol+ed|included|recruited|randomi[sz]ed|studied|analy[sz]ed|identified|treated|followed|"
        r"reviewed the (?:medical |clinical )?(?:records|charts))\b",
        r"\b" + _COUNT + r"\s+(?:\w+[- ]){0,4}?" + _POP + r"\b[^.;]{0,80}?\b(?:were|was|had been|have been|who)\s+"
        r"(?:\w+ly\s+)?" + _ENROL_VERB + r"\b",
        r"\b" + _POP + r" (?:were|had been|have been) (?:\w+ly )?(?:enrol+ed|included|randomi[sz]ed|recruited|assigned|allocated|identified|treated)\b",
        r"\b(?:a total of|overall,?|in total,?) " + _COUNT + r"\s+(?:\w+[- ]){0,3}?" + _POP + r"\b",
        r"\b(?:study population|study cohort|study sample|participants of)\b[^.]{0,60}?\(?\bn\s*[=:]?\s*\d",
        r"\b(?:collectively |who were |had been )?randomi[sz]ed " + _COUNT + r"\s+(?:\w+[- ]){0,3}?" + _POP + r"\b",
        r"\bour (?:experience|institution|series|cohort|centre|center|patients)\b",
        r"\b(?:all|each|every) (?:\w+ ){0,2}?" + _POP + r" (?:\w+ly )?(?:underwent|received|had|gave|completed|were (?:treated|operated|followed))\b",
        r"\b(?:data|records|exams|charts|images) of " + _COUNT + r" (?:\w+ ){0,3}?" + _POP + r"\b",
    ],
    # allocation to groups
    "allocation": [
        r"\brandomly (?:assigned|allocated|divided)\b",
        r"\b(?:were|was) randomi[sz]ed (?:\(\d:\d\) |in a \d:\d ratio )?(?:to|into|between)\b",
        r"\b(?:assigned|allocated) (?:\(\d:\d\) )?to (?:receive|either|one of|the)\b",
        r"\bplacebo[- ]controlled\b",
        r"\bdouble[- ]blind(?:ed)?\b",
        r"\b\d:\d (?:ratio|randomi[sz]ation|allocation)\b",
    ],
    # a design statement: cited designs ("a recent randomised trial") are filtered in signals()
    "design": [
        r"\b(?:" + _DESIGN + r"[,]?\s+(?:\w+[-,]?\s+){0,4})" + _DESIGN_NOUN + r"\b",
        r"\bcase series\b",
        r"\b(?:post[- ]hoc|pre-?specified|secondary|pooled|exploratory|ancillary|sub-?study) analys[ie]s of\b[^.]{0,80}?\btrials?\b",
    ],
    "ethics": [
        r"\b(?:ethics|ethical|institutional review) (?:committee|board)s?\b",
        r"\bIRB\b",
        r"\b(?:informed|written|signed|oral|verbal|parental) (?:\w+ )?consent\b",
        r"\bDeclaration of Helsinki\b",
        r"\b(?:trial )?registration(?: number)?\s*:?\s*(?:NCT|ISRCTN|ACTRN|ChiCTR|EudraCT|DRKS|UMIN|jRCT|CTRI)",
        r"\bNCT\d{8}\b|\bISRCTN\d{6,}\b|\bclinicaltrials\.gov\b",
    ],
    "baseline": [
        r"\b(?:baseline|demographic|clinical) (?:and (?:\w+ )?)?characteristics\b",
    ],
}
_REVIEW_SIGNALS: dict[str, list[str]] = {
    "search": [
        r"\b(?:searched|search(?:es)? (?:of|in|was performed|was conducted|strategy))\b[^.]{0,120}?"
        r"\b(?:PubMed|MEDLINE|Embase|EMBASE|Cochrane|Web of Science|Scopus|CINAHL|Google Scholar|PsycINFO|databases?)\b",
        r"\bPRISMA\b",
        r"\bPROSPERO\b",
        r"\b\d+ (?:\w+ ){0,2}(?:studies|trials|articles|publications|reports|papers) (?:were |was )?(?:included|identified|eligible|met|retrieved|selected)\b",
        r"\bincluded (?:studies|trials|articles)\b",
    ],
    "meta": [
        r"\brandom[- ]effects?\b",
        r"\bheterogeneity\b[^.]{0,40}\bI\s*(?:2|²|\^2)",
        r"\b(?:forest|funnel) plots?\b",
        r"\bpublication bias\b",
        r"\bpooled (?:estimates?|odds ratio|risk ratio|relative risk|mean difference|prevalence|proportion|incidence)\b",
    ],
}
# one alternation per category: a single scan finds the category's leftmost cue
_COMPILED_P = {k: re.compile("|".join(f"(?:{p})" for p in v), re.I) for k, v in _PRIMARY_SIGNALS.items()}
_COMPILED_R = {k: re.compile("|".join(f"(?:{p})" for p in v), re.I) for k, v in _REVIEW_SIGNALS.items()}
_SECTION = re.compile(r"(?m)(?:^|\n|\.\s)\s*(?:\d+\.?\s*)?(?P<h>(?:materials? and |patients? and |subjects? and |study design and )?methods?|"
                      r"methodology|results?|findings)\b\s*[:.]?", re.I)


def _cited(text: str, start: int, cue: re.Pattern[str] = _CITED_REVIEW) -> bool:
    before = text[max(0, start - 45) : start]
    return bool(cue.search(before)) and not _SELF_REVIEW.search(before)


def signals(text: str) -> tuple[dict[str, re.Match[str]], dict[str, re.Match[str]]]:
    """The first match of each primary and each review evidence category in ``text``; a design
    or enrolment cue preceded by a citing phrase ("a recent prospective randomised trial")
    describes someone else's study and does not count."""
    def first(compiled: dict[str, re.Pattern[str]], cite_filter: set[str]) -> dict[str, re.Match[str]]:
        out: dict[str, re.Match[str]] = {}
        for cat, rx in compiled.items():
            for m in rx.finditer(text):
                if cat in cite_filter and _cited(text, m.start(), _CITED_DESIGN):
                    continue
                out[cat] = m
                break
        return out
    return first(_COMPILED_P, {"design", "allocation"}), first(_COMPILED_R, set())


def _own_sections(text: str) -> set[str]:
    """Which of methods / results the document has as section headings (or abstract labels)."""
    found = set()
    for m in _SECTION.finditer(text):
        h = m.group("h").lower()
        found.add("results" if h.startswith(("result", "finding")) else "methods")
    return found


def screen(layout: Layout, n_pages: int, title: str) -> Screening:
    """Type one document (primary / review / abstract / other) with its evidence; see the module
    docstring for the evidence categories and the decision."""
    st = layout.stream
    assert st is not None
    head, _ = _first_pages_text(layout, 2)
    head = head[:12000]
    body, _ = _first_pages_text(layout, 4)
    body = body[:30000]
    words = len(st.text.split())
    t = title.lower()
    title_review = bool(re.search(r"\b(?:systematic review|meta-?analysis|review|overview|primer)\b", t)) and not re.search(
        r"review of (?:our|the) (?:experience|institution|series|cases|records)", t
    )
    title_sr = bool(re.search(r"systematic review|meta-?analys[ie]s|umbrella review|scoping review", t))
    strong = None
    for pat in _REVIEW_STRONG:
        for m in re.finditer(pat, head, re.I):
            # "a recently published meta-analysis of randomised trials" cites other work; only a
            # review cue about the document itself counts
            if _cited(head, m.start()):
                continue
            strong = m
            break
        if strong is not None:
            break
    kw = re.search(r"keywords?\s*:?[^\n]{0,200}?\b(review|meta-analysis)\b", head, re.I)
    prim, rev = signals(body)
    sections = _own_sections(st.text)
    n_primary = len(prim) + (1 if sections >= {"methods", "results"} else 0)

    def ev(m: re.Match[str], src: str, where: str) -> tuple[str, tuple[int, int]]:
        a, b = max(0, m.start() - 40), min(len(src), m.end() + 40)
        return f"{where}: \"...{' '.join(src[a:b].split())}...\"", m.span()

    review = "review article, not a primary study"
    if title_sr:
        return Screening("review", review, f"title: \"{title}\"")
    own = {k: prim[k] for k in ("enrolment", "allocation", "design") if k in prim}
    # a literature search with meta-analytic statistics, or without the document's own allocation
    # or ethics approval (a trial's "evidence before this study" panel also searches databases)
    if "search" in rev and ("meta" in rev or not {"allocation", "ethics"} & set(prim)):
        e, span = ev(rev["search"], body, "literature search")
        return Screening("review", review, e, span)
    if strong is not None and (re.search(r"systematic|meta-?analys", strong.group(0), re.I) and len(own) < 2):
        e, span = ev(strong, head, "text")
        return Screening("review", review, e, span)
    if strong is not None and n_primary < 2:
        e, span = ev(strong, head, "text")
        return Screening("review", review, e, span)
    if (title_review or kw) and len(own) < 2 and n_primary < 3:
        if kw and not title_review:
            e, span = ev(kw, head, "keywords")
            return Screening("review", review, e, span)
        return Screening("review", review, f"title: \"{title}\"")
    # a record of an abstract: too few words for a report, or two pages without methods and results
    # sections of its own (a two-page research letter with both is a full report)
    short = words < 1200 or (n_pages <= 2 and not sections >= {"methods", "results"})
    if short and re.search(r"\babstract\b|\bpurpose\b|\bbackground\b", head, re.I):
        return Screening("abstract", "abstract only (no full text)", f"{n_pages} page(s), {words} words, no methods/results sections of its own")
    if own or ("ethics" in prim and sections >= {"methods", "results"}):
        cat = next(iter(own)) if own else "ethics"
        m = own.get("enrolment") or own.get("allocation") or own.get("design") or prim["ethics"]
        cats = ", ".join(sorted(prim) + (["methods+results sections"] if sections >= {"methods", "results"} else []))
        e, span = ev(m, body, f"{cat} ({cats})")
        return Screening("primary", "", e, span)
    return Screening("other", "not a clinical study report (no patients enrolled, allocated or treated)", "")
