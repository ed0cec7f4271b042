"""Per-document extraction: read → layout → screening → arms → values → provenance → tables.

:func:`extract_document` never raises for a bad document: an unreadable PDF becomes a problems row
(and an excluded studies row), any unexpected error too, with its reason.
"""

from __future__ import annotations

import hashlib
import logging
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vocab import ARM_COLUMNS, OUTCOME_COLUMNS, STUDY_COLUMNS

from . import pdf as pdfio
from .layout import build_layout
from .lexicon import Lexicon, default_lexicon
from .prose import reads_before, unswallow_prose
from .provenance import Provenance, from_box, from_span
from .rules import (
    Arm,
    Context,
    Value,
    count_values,
    find_arms,
    instrument_mentions,
    pain_values,
    sentences,
    single_arm,
    subgroup_definition,
    subgroup_reference,
    timepoint_of,
)
from .screening import bibliography, screen
from .tables import header_cells, table_values
from .text import ascii_text, id_from_name

log = logging.getLogger(__name__)

COMPLETENESS_COLUMNS = ("study_id", "arm_id", "outcome", "field", "status", "note")
PROBLEM_COLUMNS = ("source_file", "stage", "reason")



def expected_fields(lexicon: Lexicon) -> dict[str, tuple[str, ...]]:
    """What a curator expects per arm: outcome -> fields that should be found (the review's own
    outcomes: counts for events, mean and SD for continuous ones)."""
    out: dict[str, tuple[str, ...]] = {"arm": ("n_patients", "n_lesions")}
    for o in lexicon.vocabulary.outcomes:
        if not o.standard:
            out[o.code] = ("mean", "sd") if o.kind == "continuous" else ("events", "total") if o.kind == "events" else ()
    return {k: v for k, v in out.items() if v}


@dataclass
class Result:
    source_file: str
    studies: list[dict[str, Any]] = field(default_factory=list)
    arms: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    completeness: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    fingerprint: dict[str, Any] = field(default_factory=dict)
    suggestions: list[dict[str, Any]] = field(default_factory=list)  # scorer candidates below its threshold
    candidates: list[Any] = field(default_factory=list)  # every parsed statistic (extraction.candidates), for training


def _shingles(text: str, k: int = 5) -> list[str]:
    toks = re.findall(r"[a-z0-9]+", text.lower())
    out = set()
    for i in range(max(0, len(toks) - k + 1)):
        out.add(hashlib.blake2b(" ".join(toks[i : i + k]).encode(), digest_size=6).hexdigest())
    return sorted(out)


def norm_title(t: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", t.lower()))


def _study_row(study_id: str, source_file: str, **kw: Any) -> dict[str, Any]:
    row = {c: "" for c in STUDY_COLUMNS}
    row.update(study_id=study_id, source_file=source_file)
    row.update({k: ("" if v is None else v) for k, v in kw.items() if k in row})
    return row


def _unreadable(source_file: str, exc: pdfio.UnreadablePDF, n_pages: int) -> Result:
    res = Result(source_file)
    sid = id_from_name(Path(source_file).stem, 40)
    res.problems.append({"source_file": source_file, "stage": exc.stage, "reason": exc.reason})
    res.studies.append(
        _study_row(sid, source_file, document_type="other", decision="excluded", reason=f"unreadable: {exc.reason}", n_pages=n_pages or "", extractor="read.unreadable", confidence=1.0)
    )
    res.fingerprint = {"source_file": source_file, "study_id": sid, "document_type": "other", "unreadable": True,
                       "title": "", "norm_title": "", "doi": "", "abstract_shingles": [], "text_shingles": []}
    return res


def extract_document(path: str | Path, max_pages: int | None = None, lexicon: Lexicon | None = None) -> Result:
    """Extract one PDF with the review's ``lexicon`` (the bundled example's by default)."""
    lexicon = lexicon or default_lexicon()
    path = Path(path)
    source_file = path.name
    try:
        doc = pdfio.read_document(path, max_pages=max_pages)
    except pdfio.UnreadablePDF as exc:
        return _unreadable(source_file, exc, pdfio.count_pages(path))
    except Exception as exc:  # never a traceback for a bad PDF
        log.debug("read failed: %s", traceback.format_exc())
        return _unreadable(source_file, pdfio.UnreadablePDF(f"unexpected error while reading ({type(exc).__name__}: {exc})"), 0)
    try:
        return _extract(doc, source_file, lexicon)
    except Exception as exc:
        log.warning("%s: extraction failed: %s", source_file, traceback.format_exc())
        return _unreadable(source_file, pdfio.UnreadablePDF(f"extraction failed ({type(exc).__name__}: {exc})", stage="extract"), doc.n_pages)


_MIN_BODY = 6000  # characters of a study report before its references, at the least


def _section_starts(text: str) -> tuple[int, int]:
    """Where References and Discussion start. A heading counts once it lies past 40% (References)
    or 20% (Discussion) of the body it closes: the text up to the last References heading (when
    that is past the first ~2 pages), so an appendix after the references (a 300-page supplement)
    does not move the thresholds."""
    heads = [m.start() for m in re.finditer(r"(?m)(?:^|\n)\s*(?:\d+\.?\s*)?(?:REFERENCES|References|Bibliography|Literature Cited)\b", text)]
    ref = len(text) + 1
    body = heads[-1] if heads and heads[-1] >= _MIN_BODY else len(text)
    for start in heads:
        if start > 0.4 * body:
            ref = start
            break
    body = min(ref, len(text))
    disc = len(text) + 1
    for m in re.finditer(r"(?:^|\n|\.\s|\s)(?:\d+\.?\s*)?(?:DISCUSSION|Discussion)(?=\s+[A-Z])", text):
        if m.start() > 0.2 * body:
            disc = m.start()
            break
    return ref, min(disc, ref)


def _extract(doc: pdfio.DocumentContent, source_file: str, lexicon: Lexicon) -> Result:
    layout = build_layout(doc)
    st = layout.stream
    assert st is not None
    text = st.text
    res = Result(source_file)
    bib = bibliography(layout, doc.metadata, source_file)
    scr = screen(layout, doc.n_pages, bib.title)
    study_id = re.sub(r"[^a-z0-9_]", "", ascii_text(bib.first_author + bib.year).lower()) if bib.first_author and bib.year else ""
    study_id = study_id or id_from_name(Path(source_file).stem, 30)
    pages = layout.article_pages or doc.n_pages
    # an appendix after the article's last page (layout.article_pages) is read like its references
    end = next((a for (a, _), ln in zip(st.line_spans, layout.lines) if ln.page > pages), len(text))
    ref_start, disc_start = _section_starts(text[:end])

    def prov_span(span, extractor, conf, anchor=None) -> Provenance:
        return from_span(layout, source_file, span[0], span[1], extractor, conf, anchor)

    def prov_loc(loc, extractor, conf) -> Provenance | None:
        if loc is None:
            return None
        if isinstance(loc, tuple) and loc and loc[0] == "box":
            return from_box(layout, source_file, loc[1], loc[2], extractor, conf)
        return prov_span(loc, extractor, conf)

    # ------------------------------------------------------------------ arms
    arms: list[Arm] = []
    values: list[Value] = []
    table_vals = []
    if scr.document_type in ("primary", "abstract"):
        headers = [header_cells(t) for t in layout.tables]
        # unruled table headers: a line with two or more "(n = N)" cells, split at wide gaps
        for (ls, le), ln in zip(st.line_spans, layout.lines):
            seg = text[ls:le]
            if ln.table is not None or len(re.findall(r"\b[nN]\s*=\s*\d+", seg)) < 2:
                continue
            groups: list[list] = [[ln.words[0]]]
            for a_, b_ in zip(ln.words, ln.words[1:]):
                if b_.x0 - a_.x1 >= 1.2 * layout.body_size:
                    groups.append([b_])
                else:
                    groups[-1].append(b_)
            if len(groups) < 2:
                continue
            cells = []
            for g in groups:
                gs = [i for i in range(ls, le) if st.owner[i] in {w.idx for w in g}]
                if gs:
                    cells.append((" ".join(w.norm for w in g), (gs[0], gs[-1] + 1)))
            headers.append(cells)
        arms = find_arms(text[:ref_start], headers, lexicon)
        single = len([a for a in arms if not a.subgroup]) < 2
        randomised = bool(re.search(r"(?i)randomi[sz]ed|\bversus\b|\bvs\.?\s", bib.design + " " + bib.title))
        if single and randomised:
            arms = []  # a comparative study whose arms were not recognised: no pooled "all" values
        elif single:
            arms = [single_arm(text[:ref_start], bib.title + " " + text[:3000], lexicon)]
        # running text that a ruled-table box swallowed is read as prose (table cells blanked)
        rtext, freed = unswallow_prose(layout, st)
        ctx = Context(rtext, arms, single, title=bib.title, lexicon=lexicon)
    if arms:
        # the document's scale: the instrument it names most precisely (NPRS before NRS, VAS)
        ctx.doc_scale = lexicon.scale(" ".join(sorted(set(instrument_mentions(lexicon, text[:ref_start])))))
        table_line_idx = {i for i, ln in enumerate(layout.lines) if ln.table is not None} - freed
        sents = sentences(rtext, st.line_spans, table_line_idx)
        carry: Arm | None = None
        prev_tp = None
        pending_sub: Arm | None = None  # subgroup defined by the previous sentence
        freed_spans = [st.line_spans[i] for i in freed]
        cell_spans = [st.line_spans[i] for i in table_line_idx if layout.tables[layout.lines[i].table].kind != "text"]
        for sa, sb in sents:
            if any(ls <= sa and sb <= le for ls, le in cell_spans):
                continue  # a row of a ruled table is read by the table rules, not as a sentence
            if sa >= disc_start:
                # only running text read with a table box that is printed before the Discussion
                if not any(ls <= sa < le for ls, le in freed_spans) or not reads_before(layout, st, (sa, sb), disc_start, rtext):
                    continue
            seg = rtext[sa:sb]
            if len(seg) > 2500:  # not a sentence (a run-together table or list)
                continue
            sent_tp = timepoint_of(seg)
            if sent_tp is not None and "that time" in sent_tp[1].lower() and prev_tp is not None:
                sent_tp = prev_tp
            # "In this group ..." after "48 patients stopped their therapy." is about that subgroup
            sub = subgroup_reference(rtext, (sa, sb), pending_sub) if not single else None
            if sub is not None:
                known = next((a for a in arms if a.arm_id == sub.arm_id), None)
                if known is None:
                    arms.append(sub)
                else:
                    sub = known
            here = sub or carry
            for scored in lexicon.scored_outcomes:
                values.extend(pain_values(ctx, (sa, sb), here, prev_tp, scored.code))
            vals, new_arms = count_values(ctx, (sa, sb), here, sent_tp)
            values.extend(vals)
            for na in new_arms:
                if all(na.arm_id != a.arm_id for a in arms):
                    arms.append(na)
            ments = [a for a in arms if not a.subgroup and a.alias_re().search(seg)] if not single else []
            if ments:
                carry = ments[-1]
            pending_sub = subgroup_definition(rtext, (sa, sb), carry) if not single else None
            if re.search(r"(?i)follow-?up", seg) and sent_tp is not None:
                prev_tp = sent_tp
            elif re.search(r"(?i)\bmean follow-?up|median follow-?up", seg):
                prev_tp = ("last", "mean follow-up", None)
        table_vals = table_values(layout, arms, lexicon)

    # ------------------------------------------------------------------ rows
    arm_by_id = {a.arm_id: a for a in arms}
    own_outcomes = {o.code for o in lexicon.vocabulary.outcomes if not o.standard}
    continuous = {o.code for o in lexicon.vocabulary.outcomes if o.kind == "continuous"}
    rows: list[dict[str, Any]] = []
    seen: dict[tuple, dict[str, Any]] = {}
    notes: dict[tuple, str] = {}

    def add_row(arm_id, outcome, tp, tpl, days, scale, unit, fld, value, prov: Provenance):
        if outcome not in own_outcomes:
            return
        key = (arm_id, outcome, tp, fld)
        if key in seen:
            old = seen[key]
            if not _same(old["value"], value):
                notes[(arm_id, outcome, fld)] = f"other value {value:g} printed at p.{prov.page} (kept {old['value']:g} from p.{old['page']})"
            return
        row = {c: "" for c in OUTCOME_COLUMNS}
        row.update(study_id=study_id, arm_id=arm_id, outcome=outcome, timepoint=tp, timepoint_label=tpl,
                   timepoint_days="" if days is None else round(days, 4), scale=scale, unit=unit, field=fld, value=value)
        row.update(prov.as_dict())
        seen[key] = row
        rows.append(row)

    # table values first where a table precedes the text (document order), then text values
    items: list[tuple[int, float, Any]] = []
    for v in values:
        items.append((0, v.span[0], v))
    for tv in table_vals:
        items.append((1, 0, tv))
    # order everything by page then position
    def order_key(item):
        kind, pos, v = item
        if kind == 0:
            w = st.owner[v.anchor[0]] if v.anchor and 0 <= v.anchor[0] < len(st.owner) else -1
            page = layout.words[w].page if w >= 0 else 0
            return (page, 1, pos)
        return (v.page, 0, v.box[1])

    for kind, pos, v in sorted(items, key=order_key):
        if kind == 0:
            prov = prov_span(v.span, v.extractor, v.confidence, v.anchor)
            add_row(v.arm_id, v.outcome, v.timepoint, v.timepoint_label, v.timepoint_days, v.scale, v.unit, v.field, v.value, prov)
        else:
            prov = from_box(layout, source_file, v.page, v.box, v.extractor, v.confidence)
            add_row(v.arm_id, v.outcome, v.timepoint, v.timepoint_label, v.timepoint_days, v.scale, v.unit, v.field, v.value, prov)

    # denominators from the arm size when a count has none
    for row in list(rows):
        if row["field"] != "events" or row["outcome"] in continuous:
            continue
        key = (row["arm_id"], row["outcome"], row["timepoint"], "total")
        if key in seen:
            continue
        arm = arm_by_id.get(row["arm_id"])
        if arm is None:
            continue
        n, loc = (arm.n_lesions, arm.lesions_span) if row["unit"] == "lesions" else (arm.n_patients, arm.n_span)
        if n is None or n < float(row["value"]):
            continue
        prov = prov_loc(loc, "arm.size", 0.7)
        if prov is None:
            continue
        add_row(row["arm_id"], row["outcome"], row["timepoint"], row["timepoint_label"], row["timepoint_days"] or None, row["scale"], row["unit"], "total", n, prov)
    res.outcomes = rows
    if scr.document_type != "review":
        _add_scored(res, layout, source_file, study_id, arms, ref_start, disc_start, pages,
                    rows_too=scr.document_type in ("primary", "abstract"), lexicon=lexicon)

    # ------------------------------------------------------------------ arms rows
    used_arms = {r["arm_id"] for r in rows}
    for a in arms:
        if a.subgroup and a.arm_id not in used_arms:
            continue
        loc = a.n_span or a.label_span or a.lesions_span
        prov = prov_loc(loc, "arm.subgroup" if a.subgroup else "arm.definition", 0.8 if not a.subgroup else 0.6)
        row = {c: "" for c in ARM_COLUMNS}
        row.update(study_id=study_id, arm_id=a.arm_id, label=a.label, treatment_class=a.treatment_class,
                   n_patients="" if a.n_patients is None else int(a.n_patients),
                   n_lesions="" if a.n_lesions is None else int(a.n_lesions))
        if prov is not None:
            row.update(prov.as_dict())
        else:
            row.update(source_file=source_file, extractor="arm.default", confidence=0.3)
        res.arms.append(row)

    # ------------------------------------------------------------------ completeness
    if scr.document_type in ("primary", "abstract"):
        for a in arms:
            if a.subgroup and a.arm_id not in used_arms:
                continue
            for outcome, fields in expected_fields(lexicon).items():
                for fld in fields:
                    if outcome == "arm":
                        val = a.n_patients if fld == "n_patients" else a.n_lesions
                        status = "found" if val is not None else "missing"
                        note = "" if val is not None else "not printed per arm (or not recognised)"
                    else:
                        hits = [r for r in rows if r["arm_id"] == a.arm_id and r["outcome"] == outcome and r["field"] == fld]
                        if outcome in continuous and not hits and fld == "mean":
                            hits = [r for r in rows if r["arm_id"] == a.arm_id and r["outcome"] == outcome and r["field"] == "median"]
                        status = "found" if hits else "missing"
                        if hits:
                            tps = sorted({r["timepoint"] for r in hits})
                            note = "time points: " + ", ".join(tps)
                            if outcome in continuous and "baseline" not in tps:
                                note += "; no baseline value found"
                        else:
                            note = "not found in text or tables"
                        extra = notes.get((a.arm_id, outcome, fld))
                        if extra:
                            note += "; " + extra
                    res.completeness.append({"study_id": study_id, "arm_id": a.arm_id, "outcome": outcome, "field": fld, "status": status, "note": note})

    # ------------------------------------------------------------------ study row
    n_out = len({(r["arm_id"], r["outcome"]) for r in rows})
    if scr.document_type == "primary":
        # screening sorts documents by type; a primary study is never excluded because the rules
        # found nothing in it (a missed value is the extractor's commonest error): it is kept, and
        # the reason tells the curator to extract it by hand
        decision = "included"
        reason = "" if rows else (
            "primary study, but no outcome value was found automatically"
            + (" (its arms were not recognised)" if not arms else "")
            + ": extract by hand or exclude with a reason"
        )
    elif scr.document_type == "review":
        decision, reason = "excluded", f"{scr.reason} ({scr.evidence})" if scr.evidence else scr.reason
    elif scr.document_type == "abstract":
        decision, reason = "excluded", scr.reason
    else:
        decision, reason = "excluded", scr.reason
    prov = prov_span(scr.evidence_span, "screen." + scr.document_type, 0.8) if scr.evidence_span else None
    srow = _study_row(study_id, source_file, title=bib.title, citation=bib.citation, doi=bib.doi, year=bib.year,
                      design=bib.design, country=bib.country, period=bib.period, document_type=scr.document_type,
                      decision=decision, reason=reason, duplicate_of="", n_pages=doc.n_pages)
    if prov is not None:
        d = prov.as_dict()
        d.pop("source_file")
        srow.update(d)
    else:
        srow.update(extractor="screen." + scr.document_type, confidence=0.6)
    res.studies.append(srow)
    if doc.skipped_pages:
        res.problems.append({"source_file": source_file, "stage": "read",
                             "reason": f"pages without a text layer skipped: {', '.join(map(str, doc.skipped_pages))} (OCR needed for them)"})

    # ------------------------------------------------------------------ fingerprint
    abstract = _abstract_text(text)
    res.fingerprint = {
        "source_file": source_file,
        "study_id": study_id,
        "first_author": bib.first_author,
        "year": bib.year,
        "title": bib.title,
        "norm_title": norm_title(bib.title),
        "doi": bib.doi.lower(),
        "document_type": scr.document_type,
        "n_pages": doc.n_pages,
        "n_outcome_rows": len(rows),
        "abstract_sha1": hashlib.sha1(norm_title(abstract).encode()).hexdigest() if abstract else "",
        "abstract_shingles": _shingles(abstract),
        "text_shingles": _shingles(text[: min(len(text), 60000)]),
    }
    return res


def _add_scored(res: Result, layout, source_file: str, study_id: str, arms: list[Arm], ref: int, disc: int, n_pages: int,
                rows_too: bool = True, lexicon: Lexicon | None = None) -> None:
    """Every statistic as a candidate; the trained scorer's accepted ones join the outcome rows
    (with ``rows_too``; otherwise the candidates are only kept, for training)."""
    from .candidates import header_arms, prose_candidates, table_candidates
    from .scorer import scored_rows

    st = layout.stream
    single = len([a for a in arms if not a.subgroup]) == 1
    rtext, freed = unswallow_prose(layout, st)
    table_lines = {i for i, ln in enumerate(layout.lines) if ln.table is not None} - freed
    sents = sentences(rtext, st.line_spans, table_lines)
    cands = table_candidates(layout, source_file, arms, single, n_pages)
    cands += prose_candidates(layout, source_file, rtext, sents, arms, single, n_pages, disc, ref, header_arms(cands))
    res.candidates = cands
    if not rows_too:
        return
    rows, new_arms, res.suggestions = scored_rows(cands, study_id, res.outcomes, OUTCOME_COLUMNS,
                                                   _outcome_codes(lexicon or default_lexicon()))
    res.outcomes.extend(rows)
    for a in new_arms:
        row = {c: "" for c in ARM_COLUMNS}
        row.update(study_id=study_id, arm_id=a["arm_id"], label=a["label"], treatment_class="other")
        row.update({k: a["prov"][k] for k in ("source_file", "page", "x0", "top", "x1", "bottom", "excerpt")},
                   extractor="arm.table_header", confidence=0.5)
        res.arms.append(row)


def _outcome_codes(lexicon: Lexicon) -> tuple[str, ...]:
    """The codes the scorer may give: the review's outcomes, the standard ones and ``recurrence``."""
    return tuple(dict.fromkeys(lexicon.vocabulary.outcome_codes + _STANDARD))


_STANDARD = ("age", "sex_female", "sex_male", "follow_up", "death", "serious_adverse_event", "adverse_event", "recurrence")


def _abstract_text(text: str) -> str:
    m = re.search(r"(?i)\babstract\b", text)
    start = m.end() if m else 0
    end_m = re.search(r"(?i)\b(?:keywords?|introduction|abbreviations|view graph of relations)\b", text[start : start + 6000])
    end = start + (end_m.start() if end_m else min(3000, len(text) - start))
    return text[start:end]


def _same(a: Any, b: Any) -> bool:
    try:
        fa, fb = float(a), float(b)
    except (TypeError, ValueError):
        return a == b
    if abs(fa - fb) < 1e-9:
        return True
    # equal after rounding to the coarser printed precision (17.24 vs 17)
    def dec(x: float) -> int:
        s = f"{x:.6f}".rstrip("0").rstrip(".")
        return len(s.split(".")[1]) if "." in s else 0

    d = min(dec(fa), dec(fb))
    return round(fa, d) == round(fb, d)
