"""Provenance: from a span of the document text stream to (page, bbox, verbatim excerpt).

The box is the union of the boxes of the words the span covers, restricted to the page and
reading-order region of the span's anchor (the value itself), so a sentence that runs over a
column or page break still gets a tight box on one page. The excerpt is the text pdfplumber
returns for ``page.crop(bbox).extract_text()`` — computed from the stored characters of that page,
with whitespace collapsed — so "the excerpt occurs inside the box" holds by construction.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from .layout import Layout, Word, words_in_span
from .pdf import Bbox, text_in_bbox
from .text import collapse_ws


@dataclass
class Provenance:
    source_file: str
    page: int | None
    x0: float | None
    top: float | None
    x1: float | None
    bottom: float | None
    excerpt: str
    extractor: str
    confidence: float

    def as_dict(self) -> dict[str, object]:
        r = lambda v: None if v is None else round(float(v), 2)  # noqa: E731
        return {
            "source_file": self.source_file,
            "page": self.page,
            "x0": r(self.x0),
            "top": r(self.top),
            "x1": r(self.x1),
            "bottom": r(self.bottom),
            "excerpt": self.excerpt,
            "extractor": self.extractor,
            "confidence": round(self.confidence, 2),
        }


def _out(box: Bbox) -> Bbox:
    """Round outwards to 2 decimals, so the box written to the TSV still contains the words."""
    return (
        math.floor(box[0] * 100) / 100,
        math.floor(box[1] * 100) / 100,
        math.ceil(box[2] * 100) / 100,
        math.ceil(box[3] * 100) / 100,
    )


def union(words: list[Word], layout: Layout | None = None) -> Bbox:
    """The words' box. Its top and bottom come from the words that sit on their line's baseline:
    a raised glyph ("±" set 2.6 pt high) would stretch the box into the line above, and
    ``crop()`` would then interleave that line's characters with the excerpt."""
    by_line: dict[int, list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    level = []
    for li, ws in by_line.items():
        whole = layout.lines[li].words if layout is not None and 0 <= li < len(layout.lines) else ws
        mt = statistics.median(w.top for w in whole)
        mb = statistics.median(w.bottom for w in whole)
        level.extend(w for w in ws if abs(w.top - mt) <= 0.2 * max(mb - mt, 1.0))
    level = level or words
    return _out((
        min(w.x0 for w in words),
        min(w.top for w in level),
        max(w.x1 for w in words),
        max(w.bottom for w in level),
    ))


def from_words(layout: Layout, source_file: str, words: list[Word], extractor: str, confidence: float) -> Provenance:
    if not words:
        return Provenance(source_file, None, None, None, None, None, "", extractor, confidence)
    anchor = words[0]
    same = [w for w in words if w.page == anchor.page and w.region == anchor.region]
    # a span crossing a column break: keep the larger part on the anchor's page
    if len(same) < len(words):
        groups: dict[tuple[int, int], list[Word]] = {}
        for w in words:
            groups.setdefault((w.page, w.region), []).append(w)
        same = max(groups.values(), key=len)
    box = union(same, layout)
    page = layout.pages.get(same[0].page)
    excerpt = collapse_ws(text_in_bbox(page.chars, box)) if page is not None else ""
    return Provenance(source_file, same[0].page, box[0], box[1], box[2], box[3], excerpt, extractor, confidence)


def from_span(
    layout: Layout,
    source_file: str,
    start: int,
    end: int,
    extractor: str,
    confidence: float,
    anchor: tuple[int, int] | None = None,
) -> Provenance:
    """Provenance of stream[start:end]; ``anchor`` (a sub-span, e.g. the number) picks the page."""
    words = words_in_span(layout, start, end)
    if anchor is not None:
        a_words = words_in_span(layout, *anchor)
        if a_words:
            a = a_words[0]
            words = [a] + [w for w in words if w is not a]
    return from_words(layout, source_file, words, extractor, confidence)


def from_box(layout: Layout, source_file: str, page: int, box: Bbox, extractor: str, confidence: float) -> Provenance:
    p = layout.pages.get(page)
    box = _out(box)
    excerpt = collapse_ws(text_in_bbox(p.chars, box)) if p is not None else ""
    return Provenance(source_file, page, box[0], box[1], box[2], box[3], excerpt, extractor, confidence)
