"""The PDFium reader of extraction.pdf gives what pdfplumber (pdfminer) reads from the same page:
the same words at the same boxes (within 1 pt), the same ruled tables, and the same chars on pages
turned by /Rotate. pdfplumber is the oracle here: an independent parser of the same file, whose
frame every box of outcomes.tsv is written in (and whose ``crop`` the provenance check uses)."""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest

from extraction import pdf
from extraction.corpus import CORPUS, corpus_items
from extraction.geometry import reading_path

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "data" / "pdfs" / "real"
_spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "tests" / "data" / "hostile" / "make_hostile.py")
make_hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_hostile)

_TRAIN = {item.pdf.name for item in corpus_items(split="train")}
# real PDFs of several publishers: no space glyphs (BMC, Hindawi), spaces as their own text objects,
# ligatures, symbol fonts without a descent, Lancet fonts whose "f" overhangs its advance
PDFS = [REAL / "brown_2014_lancetrm_stopadvisor_rct.pdf", REAL / "mont_2014_ehj_sara_rct.pdf",
        REAL / "hwang_2021_medicine_af_cfae_rct.pdf", REAL / "caramelli_2022_bmcmed_giraf_rct.pdf"] + [
    CORPUS / "pdfs" / name for name in ("abbas_2016_critcareresprac_pediatric_ich_picu_cohort.pdf",
                                       "kawai_2019_scirep_af_nonpv_triggers_cohort.pdf",
                                       "mertimo_2022_bmcmsd_disc_degeneration_lbp_cohort.pdf",
                                       "bergonti_2024_ehj_bruloop_cohort.pdf")]


def _plumber_words(path: Path, pages: int) -> list[list[dict]]:
    with pdfplumber.open(str(reading_path(path))) as doc:
        out = []
        for page in doc.pages[:pages]:
            out.append(page.extract_words(**pdf.WORD_SETTINGS))
            page.close()
        return out


def _matched(expected: list[dict], got: list[dict], tol: float = 1.0) -> int:
    by_text = defaultdict(list)
    for w in got:
        by_text[w["text"]].append(w)
    return sum(any(max(abs(v[k] - w[k]) for k in ("x0", "x1", "top", "bottom")) <= tol for v in by_text[w["text"]])
               for w in expected)


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name[:24])
def test_words_and_boxes_are_pdfplumbers(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert path.parent == REAL or path.name in _TRAIN  # only train-split corpus files are looked at
    monkeypatch.setenv("SRTK_PAGE_CACHE", "off")
    doc = pdf.read_document(path, max_pages=4)
    expected = _plumber_words(path, 4)
    n = sum(len(ws) for ws in expected)
    found = sum(_matched(ws, page.words) for ws, page in zip(expected, doc.pages))
    assert n > 1500
    assert found >= 0.975 * n, f"{n - found} of {n} pdfplumber words not read at their box"


def _table_key(t) -> tuple:
    return (tuple(round(v) for v in t.bbox), [[None if c is None else c.text for c in row] for row in t.rows])


@pytest.mark.parametrize("path", [CORPUS / "pdfs" / "bergonti_2024_ehj_bruloop_cohort.pdf",
                                  REAL / "anter_2024_natmed_latticetip_ablation_rct.pdf"], ids=lambda p: p.name[:24])
def test_ruled_tables_are_pdfplumbers(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfplumber's find_tables on pdfminer's drawing of the page, its cells read from the same
    chars, against the same algorithm on PDFium's drawing (no pdfminer parse of the page)."""
    monkeypatch.setenv("SRTK_PAGE_CACHE", "off")
    doc = pdf.read_document(path)
    expected, tables_seen = [], 0
    with pdfplumber.open(str(reading_path(path))) as plumber:
        for page, content in zip(plumber.pages, doc.pages):
            want = [_table_key(t) for t in pdf._tables(page, list(content.chars), content.number)]
            got = [_table_key(t) for t in content.tables]
            expected.append((content.number, want == got, want, got))
            tables_seen += len(want)
            page.close()
    assert tables_seen >= 2
    assert all(same for _, same, _, _ in expected), [e for e in expected if not e[1]][:1]


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_chars_of_a_turned_page_are_pdfplumbers(tmp_path: Path, angle: int) -> None:
    """Every char of a page shown turned (/Rotate) at pdfplumber's box in the displayed frame."""
    turned = make_hostile.rotate_pdf(REAL / "mont_2014_ehj_sara_rct.pdf", tmp_path / f"turned{angle}.pdf", angle)
    reader = pdf._PdfiumReader(turned)
    try:
        with pdfplumber.open(str(turned)) as plumber:
            page = plumber.pages[1]
            pdf._font_descents(page.page_obj.resources, reader.descents)
            expected = [c for c in page.chars if not c["text"].isspace()]
            pp = reader.doc[1]
            tp = pp.get_textpage()
            got = reader.chars(pp, tp)
            tp.close()
            pp.close()
    finally:
        reader.close()
    assert len(expected) > 2000
    grid = defaultdict(list)
    for c in got:
        grid[(round(c["x0"]), round(c["top"]))].append(c)

    def found(c: dict) -> bool:
        near = [d for dx in (-1, 0, 1) for dy in (-1, 0, 1) for d in grid[(round(c["x0"]) + dx, round(c["top"]) + dy)]]
        return any(d["text"] == c["text"] and d["upright"] == c["upright"]
                   and max(abs(d[k] - c[k]) for k in ("x0", "x1", "top", "bottom")) <= 0.5 for d in near)

    assert sum(found(c) for c in expected) >= 0.98 * len(expected)


def test_pdfium_is_the_only_parser_of_a_page_without_ruled_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """pdfminer never interprets a page's content: its page parse is what made reading slow."""
    from pdfminer import pdfinterp

    def refuse(*args, **kwargs):
        raise AssertionError("pdfminer parsed a page")

    monkeypatch.setattr(pdfinterp.PDFPageInterpreter, "process_page", refuse)
    monkeypatch.setenv("SRTK_PAGE_CACHE", "off")
    doc = pdf.read_document(REAL / "mont_2014_ehj_sara_rct.pdf")
    assert len(doc.pages) >= 5 and sum(len(p.words) for p in doc.pages) > 3000


@pytest.mark.parametrize("path", PDFS[:4] + [None], ids=lambda p: "turned" if p is None else p.name[:24])
def test_our_word_builder_is_pdfplumbers(path: Path | None, tmp_path: Path) -> None:
    """pdf.extract_words (pdfplumber's steps written out) gives pdfplumber's words, in its order,
    on upright text and on the sideways text of a turned page."""
    import pdfplumber.utils as plumber_utils

    if path is None:
        path = make_hostile.rotate_pdf(REAL / "mont_2014_ehj_sara_rct.pdf", tmp_path / "turned.pdf", 90)
    reader = pdf._PdfiumReader(path)
    try:
        with pdfplumber.open(str(path)) as plumber:
            for i, page in enumerate(plumber.pages[:3]):
                pdf._font_descents(page.page_obj.resources, reader.descents)
                pp = reader.doc[i]
                tp = pp.get_textpage()
                chars = reader.chars(pp, tp)
                tp.close()
                pp.close()
                want = [{k: w[k] for k in ("text", "x0", "x1", "top", "bottom", "upright", "size")}
                        for w in plumber_utils.extract_words(chars, **pdf.WORD_SETTINGS)]
                got = [{k: w[k] for k in ("text", "x0", "x1", "top", "bottom", "upright", "size")}
                       for w in pdf.extract_words(chars)]
                assert len(want) > 100 and got == want
    finally:
        reader.close()


def test_ligature_on_a_turned_page_spans_its_advance(monkeypatch: pytest.MonkeyPatch) -> None:
    """A glyph of two letters ("fl") in text set sideways on a landscape page: its box reaches the
    next letter's origin, as pdfminer's does (its advance runs along the text, not across it)."""
    name = "vonlewinski_2022_ehj_emmy_empagliflozin_rct.pdf"
    assert name in _TRAIN
    path = CORPUS / "pdfs" / name
    monkeypatch.setenv("SRTK_PAGE_CACHE", "off")
    ours = [c for c in pdf.read_document(path).pages[7].chars if len(c["text"]) > 1 and not c["text"].startswith("(cid")]
    with pdfplumber.open(str(reading_path(path))) as doc:
        theirs = [c for c in doc.pages[7].chars if len(c["text"]) > 1 and not c["text"].startswith("(cid")]
    assert ours and len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a["text"] == b["text"]
        assert max(abs(a[k] - b[k]) for k in ("x0", "x1", "top", "bottom")) < 0.5, (a, b)
