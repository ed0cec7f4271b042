"""Reading order: columns, running headers/footers, superscripts, de-hyphenation.

Input is :class:`extraction.pdf.DocumentContent` (plain data); output is a :class:`Layout`: the
document's lines in reading order, each keeping its words with their boxes, plus a
:class:`TextStream` — one normalised string for the whole document with a map from every
character back to the word it came from, so a regular-expression match maps back to a page and a
bounding box.

Columns are found per page by gutter detection: the x positions (inside the middle half of the
region) that almost no word crosses, with enough words on both sides. Words that do cross the
gutter (titles, full-width abstracts and tables) define full-width bands that are read in place;
between bands the left column is read before the right one. The split is applied recursively (a
side column next to a two-column body). Running headers and footers are lines in the top or bottom
margin whose text (digits ignored) repeats on several pages, plus bare page numbers.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from .pdf import Bbox, DocumentContent, PageContent
from .text import fix_context, fold_math, is_oup_mapped, normalise_word


@dataclass
class Word:
    text: str  # raw, as in the text layer
    norm: str  # normalised (ligatures, glyph fixes)
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    page: int
    sup: bool = False  # superscript / subscript (citation markers, exponents)
    idx: int = -1
    region: int = -1
    line: int = -1


@dataclass
class Line:
    page: int
    words: list[Word]
    region: int  # id of the column region (a contiguous reading-order block on one page)
    table: int | None = None  # index into Layout.tables when the line lies inside a ruled table

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.norm for w in self.words)


@dataclass
class PageTable:
    page: int
    bbox: Bbox
    rows: list[list[tuple[str, Bbox] | None]]
    kind: str = "ruled"  # "ruled" (pdfplumber's lines), "text" (rebuilt from word positions, grid.py) or
    #                      "ruled_words" (a ruled box whose cells were rebuilt from its words, grid.reread_ruled)
    caption: str = ""  # the "Table N | ..." line above it, when there is one
    notes: str = ""  # the table's notes on how values are printed ("Data are mean ± SE"), grid.attach_notes
    abbreviations: dict[str, str] = field(default_factory=dict)  # "ST" -> "standard therapy", from its footnotes


@dataclass
class TextStream:
    text: str
    owner: list[int]  # word index for each character, -1 for separators
    breaks: list[int]  # offsets where a block (paragraph / region) starts
    line_spans: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each line


@dataclass
class Layout:
    lines: list[Line]
    words: list[Word]
    tables: list[PageTable]
    body_size: float
    removed: list[Line] = field(default_factory=list)
    oup: bool = False
    stream: TextStream | None = None
    pages: dict[int, PageContent] = field(default_factory=dict)
    article_pages: int = 0  # pages of the article itself (see article_pages)


# ----------------------------------------------------------------------------------------------
# columns


def _find_gutter(words: list[Word]) -> float | None:
    found = _gutter(words)
    return None if found is None else found[0]


def _gutter(words: list[Word]) -> tuple[float, list[list[float]]] | None:
    """The gutter's x and the full-width bands of ``_split(words, gutter)`` (computed here anyway)."""
    if len(words) < 40:
        return None
    x_min = min(w.x0 for w in words)
    x_max = max(w.x1 for w in words)
    width = x_max - x_min
    if width < 200:
        return None
    lo, hi = max(0, int(x_min + 0.25 * width)), max(0, int(x_min + 0.75 * width))
    if hi <= lo:
        return None
    n = len(words)
    size = int(x_max) + 2
    diff = [0] * (size + 1)
    for w in words:
        a, b = int(w.x0) + 1, int(w.x1)
        if b >= a:
            diff[max(a, 0)] += 1
            diff[min(b, size)] -= 1
    cross = []
    c = 0
    for x in range(size):
        c += diff[x]
        cross.append(c)
    # full-width items (title, abstract, wide tables) cross the gutter too: look for the
    # x range with the fewest crossings, then check that what is left really is two columns
    limit = min(cross[lo : hi + 1]) + max(1, int(0.004 * n))
    best: tuple[int, int, int] | None = None  # (run length, start, end)
    run_start = None
    for x in range(lo, hi + 1):
        ok = cross[x] <= limit
        if ok and run_start is None:
            run_start = x
        if (not ok or x == hi) and run_start is not None:
            end = x if ok else x - 1
            length = end - run_start + 1
            if best is None or length > best[0]:
                best = (length, run_start, end)
            run_start = None
    if best is None or best[0] < 4:
        return None
    g = (best[1] + best[2]) / 2.0
    bands, left, right = _split(words, g)
    if len(left) < 0.12 * n or len(right) < 0.12 * n or len(left) < 15 or len(right) < 15:
        return None

    def height(ws: list[Word]) -> float:
        return max(w.bottom for w in ws) - min(w.top for w in ws)

    if height(left) < 60 or height(right) < 60:
        return None
    # text columns: most lines of the left side run up to the gutter (a table's label column
    # does not: its cells are as long as their labels)
    left_lines = _group_lines(left)
    lx0 = min(w.x0 for w in left)
    reach = sum(1 for ln in left_lines if max(w.x1 for w in ln) >= g - 0.25 * (g - lx0))
    if reach < 0.45 * len(left_lines) and _has_inner_gap(right):
        return None
    return g, bands


def _has_inner_gap(words: list[Word]) -> bool:
    """True if some vertical strip inside the words' middle 80% is crossed by no word."""
    x0 = min(w.x0 for w in words)
    x1 = max(w.x1 for w in words)
    width = x1 - x0
    if width < 40:
        return False
    lo, hi = x0 + 0.1 * width, x1 - 0.1 * width
    spans = sorted((max(w.x0, lo), min(w.x1, hi)) for w in words if w.x1 > lo and w.x0 < hi)
    cur = lo
    for a, b in spans:
        if a - cur >= 6:
            return True
        cur = max(cur, b)
    return hi - cur >= 6


def _split(words: list[Word], g: float) -> tuple[list[list[float]], list[Word], list[Word]]:
    """Full-width bands (y intervals), and the left / right words outside them."""
    sizes = sorted(w.size for w in words if w.size > 0)
    em = sizes[len(sizes) // 2] if sizes else 10.0
    bands: list[list[float]] = []
    for ln in _group_lines(words):
        left = [w for w in ln if w.x1 <= g + 0.5]
        right = [w for w in ln if w.x0 >= g - 0.5]
        crossing = len(left) + len(right) < len(ln)
        if not crossing and left and right:
            gap = min(w.x0 for w in right) - max(w.x1 for w in left)
            crossing = gap < 0.8 * em
        if crossing:
            t, b = min(w.top for w in ln), max(w.bottom for w in ln)
            if bands and t <= bands[-1][1] + 0.9 * em:
                bands[-1][1] = max(bands[-1][1], b)
            else:
                bands.append([t, b])
    rest = [w for w in words if not _in_bands(w, bands)]
    left = [w for w in rest if (w.x0 + w.x1) / 2 < g]
    right = [w for w in rest if (w.x0 + w.x1) / 2 >= g]
    return bands, left, right


def _in_bands(w: Word, bands: list[list[float]]) -> bool:
    cy = (w.top + w.bottom) / 2
    return any(t - 0.5 <= cy <= b + 0.5 for t, b in bands)


def _group_lines(words: list[Word]) -> list[list[Word]]:
    """Cluster words into lines by vertical overlap, then sort each line by x."""
    lines: list[list[Word]] = []
    boxes: list[tuple[float, float]] = []  # top, bottom of each line's first word
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        wt, wb = w.top, w.bottom
        h = wb - wt
        if h < 0.1:
            h = 0.1
        n = len(lines)
        placed = False
        for i in range(n - 1, n - 4 if n > 3 else -1, -1):
            t, b = boxes[i]
            lh = b - t
            ov = (b if b <= wb else wb) - (t if t >= wt else wt)
            if ov >= 0.5 * (h if h <= lh else lh):
                lines[i].append(w)
                placed = True
                break
        if not placed:
            lines.append([w])
            boxes.append((wt, wb))
    # words come by top, so a line's first word has its smallest top
    keyed = [(ln[0].top, ln) for ln in lines]
    for _top, ln in keyed:
        ln.sort(key=lambda w: w.x0)
    keyed.sort(key=lambda t: t[0])
    return [ln for _top, ln in keyed]


def _order_region(words: list[Word], depth: int = 0) -> list[list[list[Word]]]:
    """Return regions (each a list of lines) in reading order."""
    if not words:
        return []
    found = _gutter(words) if depth < 3 else None
    if found is None:
        return [_group_lines(words)]
    g, bands = found
    edges = [-1e9] + [y for t, b in bands for y in (t, b)] + [1e9]
    regions: list[list[list[Word]]] = []
    centred = [((w.top + w.bottom) / 2, w) for w in words]
    outside = [(cy, w) for cy, w in centred if not any(t - 0.5 <= cy <= b + 0.5 for t, b in bands)]  # _in_bands
    for k in range(len(bands) + 1):
        seg_top, seg_bottom = edges[2 * k], edges[2 * k + 1]
        seg = [w for cy, w in outside if seg_top < cy < seg_bottom]
        left = [w for w in seg if (w.x0 + w.x1) / 2 < g]
        right = [w for w in seg if (w.x0 + w.x1) / 2 >= g]
        if left and right:
            regions.extend(_order_region(left, depth + 1))
            regions.extend(_order_region(right, depth + 1))
        elif seg:
            regions.append(_group_lines(seg))
        if k < len(bands):
            t, b = bands[k]
            band_words = [w for cy, w in centred if t - 0.5 <= cy <= b + 0.5]
            if band_words:
                regions.append(_group_lines(band_words))
    return [r for r in regions if r]


# ----------------------------------------------------------------------------------------------
# superscripts, headers and footers


def _mark_superscripts(line: list[Word], body: float) -> None:
    sizes = [w.size for w in line if w.size > 0]
    if not sizes:
        return
    main = max(sizes) if max(sizes) <= body * 1.6 else statistics.median(sizes)
    big = [w for w in line if w.size >= 0.85 * main]
    if not big:
        return
    base = statistics.median(w.bottom for w in big)
    for w in line:
        if 0 < w.size <= 0.8 * main and (w.bottom < base - 0.18 * main or w.bottom > base + 0.18 * main):
            w.sup = True


_SIG_DIGITS = re.compile(r"\d+")


def _signature(line: Line) -> str:
    return _SIG_DIGITS.sub("#", "".join(w.norm.lower() for w in line.words))


def _remove_furniture(lines: list[Line], heights: dict[int, float], n_pages: int) -> tuple[list[Line], list[Line]]:
    margin_lines = []
    for ln in lines:
        h = heights.get(ln.page, 792.0)
        if ln.top < 0.09 * h or ln.bottom > 0.92 * h:
            margin_lines.append(ln)
    counts: dict[str, set[int]] = {}
    for ln in margin_lines:
        counts.setdefault(_signature(ln), set()).add(ln.page)
    need = 2 if n_pages <= 4 else max(2, int(0.25 * n_pages))
    drop = set()
    for ln in margin_lines:
        sig = _signature(ln)
        if len(counts[sig]) >= need or re.fullmatch(r"#|page#|#of#|-#-", sig):
            drop.add(id(ln))
    kept = [ln for ln in lines if id(ln) not in drop]
    removed = [ln for ln in lines if id(ln) in drop]
    return kept, removed


_NUMBER = re.compile(r"\d+")


def article_pages(doc: DocumentContent) -> int:
    """Pages of the article itself: all of them, unless the pages after the last page printing
    three or more numbers outnumber the pages up to it; then the article ends there. A long
    appendix without numbers (it can hold no value) then changes neither which margin lines
    repeat "on several pages" (running headers) nor the relative page position of a value."""
    last = 0
    for p in doc.pages:
        if sum(len(_NUMBER.findall(w["text"])) for w in p.words) >= 3:
            last = max(last, p.number)
    if last <= 0 or doc.n_pages - last <= last:
        return doc.n_pages
    return last


# ----------------------------------------------------------------------------------------------


def build_layout(doc: DocumentContent) -> Layout:
    raw_all: list[str] = []
    for p in doc.pages:
        raw_all.extend(w["text"] for w in p.words)
    oup = is_oup_mapped(raw_all)
    sizes = [w["size"] for p in doc.pages for w in p.words if w["size"] > 0]
    body = statistics.median(sizes) if sizes else 10.0

    all_words: list[Word] = []
    lines: list[Line] = []
    tables: list[PageTable] = []
    region_id = 0
    heights = {p.number: p.height for p in doc.pages}
    norms: dict[str, str] = {}  # normalise_word is a function of the text; words recur
    for page in doc.pages:
        words = []
        for w in page.words:
            text = w["text"]
            if not w["upright"] or not text.strip():
                continue  # vertical watermarks, rotated margin text
            norm = norms.get(text)
            if norm is None:
                norm = norms[text] = normalise_word(text)
            words.append(Word(text, norm, w["x0"], w["top"], w["x1"], w["bottom"], w["size"], page.number))
        if not words:
            continue
        # ruled tables: their rows are read as full-width lines in place
        page_tables = []
        for t in page.tables:
            rows = [[(fold_math(c.text) if c.text else c.text, c.bbox) if c is not None else None for c in row] for row in t.rows]
            tables.append(PageTable(page.number, t.bbox, rows))
            page_tables.append((len(tables) - 1, t.bbox))

        def in_table(w: Word) -> int | None:
            for ti, (x0, top, x1, bottom) in page_tables:
                if x0 - 1 <= w.x0 and w.x1 <= x1 + 1 and top - 1 <= w.top and w.bottom <= bottom + 1:
                    return ti
            return None

        flow = []
        table_words: dict[int, list[Word]] = {}
        for w in words:
            ti = in_table(w)
            if ti is None:
                flow.append(w)
            else:
                table_words.setdefault(ti, []).append(w)
        regions = _order_region(flow)
        # place each table as its own region, before the first region that starts below it
        placed: list[tuple[float, list[list[Word]], int | None]] = []
        for reg in regions:
            placed.append((min(w.top for ln in reg for w in ln), reg, None))
        ordered: list[tuple[list[list[Word]], int | None]] = [(reg, None) for _, reg, _ in placed]
        for ti, tws in table_words.items():
            ttop = tables[ti].bbox[1]
            tlines = _group_lines(tws)
            pos = len(ordered)
            for k, (reg, tt) in enumerate(ordered):
                if tt is None and min(w.top for ln in reg for w in ln) > ttop:
                    pos = k
                    break
            ordered.insert(pos, (tlines, ti))
        for reg, ti in ordered:
            region_id += 1
            for ln in reg:
                _mark_superscripts(ln, body)
                lines.append(Line(page.number, ln, region_id, ti))

    pages = article_pages(doc)
    kept, removed = _remove_furniture(lines, heights, pages)
    for li, ln in enumerate(kept):
        for w in ln.words:
            w.idx = len(all_words)
            w.region = ln.region
            w.line = li
            all_words.append(w)
    layout = Layout(kept, all_words, tables, body, removed, oup, pages={p.number: p for p in doc.pages},
                    article_pages=pages)
    layout.stream = build_stream(layout)
    _attach_captions(layout)
    from .grid import attach_notes, reread_ruled, text_tables

    reread_ruled(layout)
    layout.tables.extend(text_tables(layout))
    attach_notes(layout)
    return layout


def _attach_captions(layout: Layout) -> None:
    """Give each ruled table the "Table N ..." line printed just above it (within 60 pt)."""
    from .grid import CAPTION_RE

    caps = [ln for ln in layout.lines if ln.table is None and CAPTION_RE.match(ln.text)]
    for t in layout.tables:
        above = [c for c in caps if c.page == t.page and c.bottom <= t.bbox[1] + 2 and t.bbox[1] - c.bottom < 60]
        if above:
            cap = max(above, key=lambda c: c.bottom)
            # a caption may run over two lines: take the following lines up to the table
            rest = [ln for ln in layout.lines if ln.page == t.page and ln.region == cap.region and cap.top < ln.top < t.bbox[1] and ln.table is None]
            t.caption = " ".join([cap.text] + [ln.text for ln in rest[:2]])


_HYPH_END = re.compile(r"[A-Za-z]{2,}-$")


def build_stream(layout: Layout) -> TextStream:
    """Join lines into one string; words keep their offsets. Hyphenated line ends are joined.

    Separators: a space between words of a line and between lines of one region; a newline
    between regions (column / page / table boundaries) unless the next region continues a
    sentence (starts with a lower-case letter). Superscript words are replaced by spaces so that
    citation markers never glue to numbers ("relief.12" stays "relief." + marker).
    """
    parts: list[str] = []
    owner: list[int] = []
    breaks: list[int] = []
    prev: Line | None = None
    pos = 0

    def add(s: str, idx: int) -> None:
        nonlocal pos
        parts.append(s)
        owner.extend([idx] * len(s))
        pos += len(s)

    line_spans: list[tuple[int, int]] = []
    for ln in layout.lines:
        if prev is not None:
            same_region = prev.region == ln.region
            first = ln.words[0].norm
            last = prev.words[-1].norm
            gap_para = same_region and ln.top - prev.bottom > 1.2 * max(prev.bottom - prev.top, 6)
            if _HYPH_END.search(last) and first[:1].islower() and not prev.words[-1].sup:
                # de-hyphenate: drop the hyphen from the stream (its char stays mapped)
                parts[-1] = parts[-1][:-1]
                owner.pop()
                pos -= 1
                add("", -1)
            elif (same_region and not gap_para) or (first[:1].islower() and ln.table is None and prev.table is None):
                add(" ", -1)
            else:
                add("\n", -1)
                breaks.append(pos)
        else:
            breaks.append(0)
        start = pos
        for k, w in enumerate(ln.words):
            if k:
                add(" ", -1)
            if w.sup:
                add(" ", -1)
                continue
            add(w.norm, w.idx)
        line_spans.append((start, pos))
        prev = ln
    text = "".join(parts)
    text = fix_context(text, layout.oup)
    return TextStream(text, owner, breaks, line_spans)


def words_in_span(layout: Layout, start: int, end: int) -> list[Word]:
    st = layout.stream
    assert st is not None
    seen: list[int] = []
    for i in range(max(start, 0), min(end, len(st.owner))):
        o = st.owner[i]
        if o >= 0 and (not seen or seen[-1] != o):
            if o not in seen:
                seen.append(o)
    return [layout.words[i] for i in seen]


def line_text_with_offsets(line: Line) -> tuple[str, list[tuple[int, int, Word]]]:
    out = []
    spans = []
    pos = 0
    for k, w in enumerate(line.words):
        if k:
            out.append(" ")
            pos += 1
        out.append(w.norm)
        spans.append((pos, pos + len(w.norm), w))
        pos += len(w.norm)
    return "".join(out), spans


def page_of(layout: Layout, number: int) -> PageContent:
    return layout.pages[number]


def summary(layout: Layout) -> dict[str, Any]:
    return {"lines": len(layout.lines), "words": len(layout.words), "removed": len(layout.removed), "tables": len(layout.tables)}
