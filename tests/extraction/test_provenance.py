"""Provenance is checkable: every extracted value's excerpt occurs on its page inside its box
(pdfplumber ``page.crop(bbox).extract_text()``, whitespace removed), for all test PDFs."""

from __future__ import annotations

from pathlib import Path

from extraction.pdf import page_texts
from extraction.text import strip_ws



def _check(results, paths: dict[str, Path]) -> int:
    bad = []
    n = 0
    for name, res in results.items():
        items = [r for r in res.outcomes + res.arms if r.get("page") not in ("", None)]
        if not items:
            continue
        texts = page_texts(paths[name], [(int(r["page"]), (r["x0"], r["top"], r["x1"], r["bottom"])) for r in items])
        for r, t in zip(items, texts):
            n += 1
            assert r["excerpt"], (name, r)
            if strip_ws(r["excerpt"]) not in strip_ws(t):
                bad.append((name, r.get("outcome", "arm"), r.get("field", ""), r["page"], r["excerpt"][:60], t[:60]))
        for r in res.outcomes:
            assert r["page"] not in ("", None), (name, r)
    assert not bad, bad[:10]
    return n


def test_provenance_examples(example_results, example_pdfs):
    assert _check(example_results, {p.name: p for p in example_pdfs}) > 50


def test_provenance_real(real_results, real_pdfs):
    assert _check(real_results, {p.name: p for p in real_pdfs}) > 20


def _number_in(value: float, excerpt: str) -> bool:
    import re

    nums = [float(x) for x in re.findall(r"(?<![\d.])\d+(?:\.\d+)?", excerpt.replace(",", ""))]
    return any(abs(n - value) < 1e-9 for n in nums)


def _unreadable_excerpts(results) -> list[tuple]:
    """Values read from a printed number (not a total taken from the arm size, nor a number
    word, nor a total from a column header) must show that number in their excerpt: an excerpt that interleaves the characters of
    two lines ("a7t.e2d(SpDat±ien2t.1s)") is inside its box but useless to a curator."""
    bad = []
    for name, res in results.items():
        for r in res.outcomes:
            if not str(r["extractor"]).startswith(("text.mean", "table.cell")) or r["field"] == "total":
                continue  # a table's total may be the column's n (printed in the header)
            if not _number_in(float(r["value"]), r["excerpt"]):
                bad.append((name, r["outcome"], r["field"], r["value"], r["excerpt"][:60]))
    return bad


def test_excerpts_show_the_printed_number_examples(example_results):
    assert not _unreadable_excerpts(example_results)


def test_excerpts_show_the_printed_number_real(real_results):
    assert not _unreadable_excerpts(real_results)
