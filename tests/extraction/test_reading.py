"""Reading layer: columns, headers/footers, glyph fixes, number patterns."""

from __future__ import annotations

import re

import pytest

from extraction.layout import build_layout
from extraction.patterns import find_counts, parse_stat
from extraction.pdf import UnreadablePDF, read_document
from extraction.text import fix_context, normalise_word

from .conftest import EXAMPLES, REAL


@pytest.fixture(scope="module")
def tian_layout():
    p = EXAMPLES / "tian2022_sacroplasty_rfa_ajnr.pdf"
    assert p.exists(), p
    return build_layout(read_document(p))


def test_two_columns_read_in_order(tian_layout):
    text = tian_layout.stream.text
    assert "In group A, the mean VAS score decreased from 7.43 (SD, 1.56) before the procedure to 2.25 (SD, 1.35) on day 1 after the procedure" in text
    assert "A total of 162 lesions were treated in these 126 patients: 58 lesions in the 51 group A patients" in text


def test_running_headers_removed(tian_layout):
    assert "Tian et al" in " ".join(ln.text for ln in tian_layout.removed)
    assert "Tian et al" not in tian_layout.stream.text


def test_glyph_fixes():
    assert normalise_word("P¼0.03") == "P=0.03"
    assert normalise_word("eﬀective") == "effective"
    assert normalise_word("8·70") == "8.70"
    assert normalise_word("\u22128.7") == "-8.7"
    assert fix_context("P,0.001 and 55+9 years", oup=True) == "P<0.001 and 55±9 years"
    assert fix_context("P,0.001 and 55+9 years", oup=False) == "P,0.001 and 55+9 years"


def test_no_space_pdf_words_split():
    p = REAL / "kuck_2016_ehj_fireandice_rct.pdf"
    assert p.exists(), p
    lay = build_layout(read_document(p, max_pages=2))
    assert "FIRE AND ICE was the first large randomized controlled trial" in lay.stream.text
    assert lay.oup and re.search(r"P\s*<\s*0\.001", lay.stream.text)


@pytest.mark.parametrize(
    "text,fields",
    [
        ("2 ± 2 (SD) (median, 1; range: 0–6; IQR: 0–3)", {"mean": 2, "sd": 2, "median": 1, "min": 0, "max": 6, "q1": 0, "q3": 3}),
        ("7.43 (SD, 1.56)", {"mean": 7.43, "sd": 1.56}),
        ("8 (interquartile range, 6–9.25)", {"median": 8, "q1": 6, "q3": 9.25}),
        ("7.2 (SD ± 2.1)", {"mean": 7.2, "sd": 2.1}),
        ("5 ± 1 (median, 5; range: 4–8; P < 0.001)", {"mean": 5, "sd": 1, "median": 5, "min": 4, "max": 8}),
    ],
)
def test_stat_patterns(text, fields):
    st = parse_stat(text, 0)
    assert st.fields == pytest.approx(fields)
    assert st.end == len(text)


@pytest.mark.parametrize(
    "text,expect",
    [
        ("Complications developed in 5 patients (5/23; 22%).", (5, 23, 22)),
        ("Five (22%) minor complications", (5, None, 22)),
        ("Three metastases out of 7 (43%) undergoing", (3, 7, 43)),
        ("in 10/58 (17%) of the treated lesions", (10, 58, 17)),
        ("Seven of 48 patients", (7, 48, None)),
    ],
)
def test_count_patterns(text, expect):
    c = find_counts(text)[0]
    assert (c.events, c.total, c.percent) == expect


def test_unreadable_reasons(tmp_path):
    html = tmp_path / "x.pdf"
    html.write_bytes(b"<!DOCTYPE html><html></html>")
    with pytest.raises(UnreadablePDF, match="not a PDF"):
        read_document(html)
    with pytest.raises(UnreadablePDF, match="file not found"):
        read_document(tmp_path / "missing.pdf")
