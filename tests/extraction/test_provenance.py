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
