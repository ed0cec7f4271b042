"""Screening of one document: type (primary / review / abstract / other) with the evidence, and
bibliographic fields (title, first author, year, DOI, citation, design, period, country).

Rules (first that applies):

* review — the title says "systematic review", "meta-analysis", "review" (but not "a review of
  our experience"), or the first pages say "this review", "review article", "we review",
  "reviews available ...", or a keyword list contains "review"/"meta-analysis" — unless the document
  also reports its own patients (methods describe enrolment / a retrospective or randomised
  design) and the review evidence is only a loose title word.
* abstract — a short record (≤ 2 pages, or < 1,200 words) with an abstract but no methods /
  results sections of its own (conference abstracts, repository landing pages).
* primary — everything else that describes patients that were treated, enrolled or randomised.
* other — none of the above (software manuals, editorials).
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
    lines = [ln for ln in layout.lines if ln.page == min(l.page for l in layout.lines)] if layout.lines else []
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
            b.year = max(set(years), key=years.count)
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
# words before a review cue that make it a citation of someone else's review
_CITED_REVIEW = re.compile(
    r"(?i)\b(?:a|an|the|one|two|several|recent(?:ly)?|previous(?:ly)?|prior|earlier|published|large|cochrane|existing|other|"
    r"individual[- ]patient[- ]data|network|updated?)\s+(?:\w+[- ]){0,3}$"
)
_SELF_REVIEW = re.compile(r"(?i)\b(?:we|our|this|present|here|current)\b[^.]*$")
_PRIMARY = [
    r"\b(?:we|were) (?:retrospectively |prospectively )?(?:enrolled|included|treated|randomi[sz]ed|reviewed the (?:medical )?records)\b",
    r"\bpatients (?:were|had been) (?:enrolled|included|treated|randomi[sz]ed|assigned|allocated|identified)\b",
    r"\b(?:retrospective|prospective)(?:ly)? (?:study|analysis|review of|cohort|series|trial|report)\b",
    r"\brandomi[sz]ed (?:controlled )?trial\b",
    r"\b\d+ (?:consecutive )?patients\b",
    r"\bour (?:experience|institution|series|cohort|centre|center)\b",
    r"\bclinical study\b",
]


def screen(layout: Layout, n_pages: int, title: str) -> Screening:
    st = layout.stream
    assert st is not None
    head, _ = _first_pages_text(layout, 2)
    head = head[:12000]
    words = len(st.text.split())
    t = title.lower()
    title_review = bool(re.search(r"\b(?:systematic review|meta-?analysis|review|overview|primer)\b", t)) and not re.search(
        r"review of (?:our|the) (?:experience|institution|series|cases|records)", t
    )
    strong = None
    for pat in _REVIEW_STRONG:
        for m in re.finditer(pat, head, re.I):
            # "a recently published meta-analysis of randomised trials" cites other work; only a
            # review cue about the document itself counts
            before = head[max(0, m.start() - 45) : m.start()]
            if _CITED_REVIEW.search(before) and not _SELF_REVIEW.search(before):
                continue
            strong = m
            break
        if strong is not None:
            break
    kw = re.search(r"keywords?\s*:?[^\n]{0,200}?\b(review|meta-analysis)\b", head, re.I)
    primary_hits = [m for pat in _PRIMARY for m in [re.search(pat, head, re.I)] if m]
    has_methods = bool(re.search(r"\b(?:materials and methods|methods|patients and methods)\b", st.text, re.I))
    has_results = bool(re.search(r"\bresults\b", st.text, re.I))

    def ev(m: re.Match[str], where: str) -> tuple[str, tuple[int, int]]:
        a, b = max(0, m.start() - 40), min(len(head), m.end() + 40)
        return f"{where}: \"...{' '.join(head[a:b].split())}...\"", m.span()

    if title_review and re.search(r"systematic review|meta-?analysis", t):
        return Screening("review", "review article, not a primary study", f"title: \"{title}\"")
    if strong is not None and (re.search(r"systematic|meta-?analys", strong.group(0), re.I) or len(primary_hits) < 2 or title_review):
        e, span = ev(strong, "text")
        return Screening("review", "review article, not a primary study", e, span)
    if title_review and len(primary_hits) < 2:
        return Screening("review", "review article, not a primary study", f"title: \"{title}\"")
    if kw and len(primary_hits) < 2:
        e, span = ev(kw, "keywords")
        return Screening("review", "review article, not a primary study", e, span)
    short = n_pages <= 2 or words < 1200
    if short and re.search(r"\babstract\b|\bpurpose\b|\bbackground\b", head, re.I):
        return Screening("abstract", "abstract only (no full text)", f"{n_pages} page(s), {words} words, no methods/results sections of its own")
    if primary_hits and (has_methods or has_results):
        e, span = ev(primary_hits[0], "text")
        return Screening("primary", "", e, span)
    if primary_hits:
        e, span = ev(primary_hits[0], "text")
        return Screening("primary", "", e, span)
    return Screening("other", "not a clinical study report (no patients enrolled or treated)", "")
