"""Tables without rules: rebuilt from word positions under a "Table N" caption.

pdfplumber's ``find_tables()`` (ruled strategy) finds tables drawn with lines. Many publishers
(Nature's Extended Data tables, most journals' booktabs-style tables) print only a rule or two,
so their cells are words aligned in columns. The reading-order layout then splits such a table
into a label column and a value column that are read one after the other, and no value can be
paired with its row label and its arm.

This module rebuilds those tables from the page's words:

1. a *caption* is a line that starts with "Table 2", "Extended Data Table 4", "Supplementary
   Table S1" (not a sentence that cites a table: the caption must start the line and not be
   followed by a verb such as "shows");
2. the words below it (in its text column, or the full width when the caption crosses the
   gutter) are grouped into visual rows, and each row is cut into cells at gaps wider than about
   one em;
3. a *data row* is a row whose cells right of the label are all number-like ("3 (1.7)",
   "0.069", "7.43 ± 1.56", "12/40"); the table is the run of rows down to the first row that is
   prose, a footnote, another caption, or after a vertical gap much wider than the row pitch;
4. value columns are the x-intervals shared by the data rows' cells; rows above the first data
   row are header rows, whose cells are assigned to the column they overlap most and joined
   top to bottom ("PVI+LVA-ABL" over "n=170" gives "PVI+LVA-ABL n=170").

The result is a :class:`~extraction.layout.PageTable` like a ruled one: ``rows[0]`` is the
(merged) header, then one row per visual row: label cell, then one cell per value column, each
``(text, bbox)`` or ``None``. Only tables with at least two data rows and one value column are
returned, so a caption over a figure-like block or over prose gives nothing.
"""

from __future__ import annotations

import re
import statistics
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .layout import Layout, Line, PageTable, Word

Bbox = tuple[float, float, float, float]

CAPTION_RE = re.compile(
    r"^(?:Extended\s+Data\s+|Supplementa(?:l|ry)\s+|Online\s+|Appendix\s+)?(?:Table|TABLE)\s+(?:[A-Z]?\d+[A-Za-z]?|[IVX]+)\b(?!\s*(?:shows|summari[sz]es|lists|gives|presents|displays|reports|provides|compares|describes|depicts|illustrates|contains|includes|details|indicates|demonstrates|outlines|and|or|,|\)))"
)
# a cell that holds only numbers and the punctuation of statistics
_NUMBERLIKE = re.compile(
    r"^[\s(\[]*(?:[<>≤≥=~±]\s*)?[−–+-]?\s?\.?\d[\d.,]*(?:[\s%()\[\];,/:±–—−+-]|\bto\b|\bn\s*=|\d|\.|[<>≤≥])*$"
)
_FOOTNOTE = re.compile(r"^(?:[a-z*†‡§¶]\s+[A-Za-z]|Abbreviations?\b|Note\b|Notes\b|Source\b|" + r"(?:Data|Values|Results|Numbers)\s+(?:are|were|is|represent|expressed|presented|shown|given)\b)")
# a note saying how the values are printed ("Data represent means ± SE, or median (IQR)")
_NOTE = re.compile(r"(?i)^\W{0,3}(?:data|values|results|numbers|continuous variables|categorical variables)\s+(?:are|were|is|represent|expressed|presented|shown|given)\b")


def attach_notes(layout: "Layout") -> None:
    """Each table's notes on how its values are printed: a row of its own or a line printed
    just under it (within three lines) that starts "Data are", "Values represent", ...; the
    candidates read them with the label and header ("means ± SE" makes "38.4 ± 1.7" a mean
    and its SE)."""
    for t in layout.tables:
        notes = [" ".join((r[0][0] or "").split()) for r in t.rows if r and r[0] is not None and _NOTE.match(r[0][0] or "")
                 and all(c is None or not (c[0] or "").strip() for c in r[1:])]
        x0, _, x1, bottom = t.bbox
        h = max(layout.body_size, 6.0)
        for ln in layout.lines:
            if ln.page == t.page and bottom - 1 <= ln.top <= bottom + 3.5 * h and ln.x0 >= x0 - 5 and ln.x0 <= x1 and _NOTE.match(ln.text):
                notes.append(ln.text)
        t.notes = " ".join(dict.fromkeys(notes))
        foot = [ln.text for ln in layout.lines if ln.page == t.page and bottom - 1 <= ln.top <= bottom + 8 * h and ln.x0 >= x0 - 5 and ln.x0 <= x1]
        t.abbreviations = abbreviations(" ".join(foot))


_ABBREV_DEF = re.compile(r"(?:^|[;.]\s*|\s)([A-Z][A-Za-z0-9+/-]{0,9}[A-Z0-9])\s*(?:=|,|:)\s*([a-z][a-z -]{2,60}?)\s*(?=[;.]|$)")


def abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a table's footnote defines: "ST=standard therapy; EA=early
    ablation", "HF, heart failure; LV, left ventricle"."""
    return {m.group(1): m.group(2).strip() for m in _ABBREV_DEF.finditer(text)}


def _cell_text(words: list["Word"]) -> str:
    return " ".join(w.norm for w in words)


_LEADER = re.compile(r"^[.·…_–—-]{3,}$")  # dot leaders and rules typed as characters
# "n 5 20": a math font (the "AdvP" fonts) whose "=" is coded as the digit 5, between "n" and a number
_N_EQ_AS_5 = re.compile(r"\b([nN])\s+5\s+(?=\d)")


def _header_text(words: list["Word"]) -> str:
    return _N_EQ_AS_5.sub(r"\1 = ", _cell_text(words))


def _box(words: list["Word"]) -> Bbox:
    return (min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words), max(w.bottom for w in words))


def _rows(words: list["Word"]) -> list[list["Word"]]:
    """Visual rows: words whose vertical centres lie within half a line height of each other, and
    a small glyph ("=", "≥" of another font, set lower or higher) lying inside a row's band."""
    rows: list[list["Word"]] = []
    bands: list[list[float]] = []
    for w in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        cy = (w.top + w.bottom) / 2
        h = max(w.bottom - w.top, 1.0)
        if rows:
            last = rows[-1]
            lcy = statistics.fmean((x.top + x.bottom) / 2 for x in last)
            t, b = bands[-1]
            if abs(cy - lcy) <= 0.45 * h or (h < 0.9 * (b - t) and w.top >= t - 1.0 and w.bottom <= b + 1.0):
                last.append(w)
                bands[-1] = [min(t, w.top), max(b, w.bottom)]
                continue
        rows.append([w])
        bands.append([w.top, w.bottom])
    for r in rows:
        r.sort(key=lambda w: w.x0)
    return _attach_glyphs(rows)


def _is_glyph(w: "Word") -> bool:
    return len(w.norm) <= 2 and not any(ch.isalnum() for ch in w.norm)


def _attach_glyphs(rows: list[list["Word"]]) -> list[list["Word"]]:
    """A lone symbol ("=", "≥" of a math font whose box sits half a line low) goes to the row,
    of its own and the ones above and below, in whose gap between two words it fits most
    tightly ("score = 0": the gap between "score" and "0," is the symbol's width)."""
    if not any(_is_glyph(w) for r in rows for w in r):
        return rows
    rows = [list(r) for r in rows]
    centre = [statistics.fmean((x.top + x.bottom) / 2 for x in r) for r in rows]

    def slack(w: "Word", row: list["Word"]) -> float:
        others = [x for x in row if x is not w]
        best = float("inf")
        for a, b in zip(others, others[1:]):
            if a.x1 <= w.x0 + 0.5 and w.x1 <= b.x0 + 0.5:
                best = min(best, (b.x0 - a.x1) - (w.x1 - w.x0))
        return best

    for i in range(len(rows)):
        for w in [x for x in rows[i] if _is_glyph(x)]:
            cy, h = (w.top + w.bottom) / 2, max(w.bottom - w.top, 1.0)
            opts = [(slack(w, rows[j]), j) for j in (i - 1, i, i + 1) if 0 <= j < len(rows) and abs(centre[j] - cy) <= h]
            opts = [o for o in opts if o[0] < float("inf")]
            if not opts:
                continue
            j = min(opts)[1]
            if j != i:
                rows[i].remove(w)
                rows[j].append(w)
                rows[j].sort(key=lambda x: x.x0)
    return [r for r in rows if r]


def _skip_caption_lines(cap: "Line", words: list["Word"]) -> list["Word"]:
    """The words below a caption less the caption's own wrapped lines: while the line above runs
    to the right edge of the block, a one-cell line starting at the caption's left edge and set
    as close as caption lines are continues the caption ("... Variation of N is due to" /
    "missing data")."""
    if not words:
        return words
    right = max(w.x1 for w in words)
    width = right - min(min(w.x0 for w in words), cap.x0)
    prev_x1, prev_bottom = cap.x1, cap.bottom
    h = max(cap.bottom - cap.top, 1.0)
    drop: set[int] = set()
    for row in _rows(words):
        x0, top, x1, bottom = _box(row)
        if prev_x1 < right - 0.1 * width or abs(x0 - cap.x0) > 2.0 or top - prev_bottom > 0.6 * h:
            break
        if any(b.x0 - a.x1 > 0.9 * h for a, b in zip(row, row[1:])):
            break
        drop |= {id(w) for w in row}
        prev_x1, prev_bottom = x1, bottom
    return [w for w in words if id(w) not in drop]


def _cells(row: list["Word"], gap: float) -> list[list["Word"]]:
    cells: list[list["Word"]] = [[row[0]]]
    for a, b in zip(row, row[1:]):
        if b.x0 - a.x1 >= gap:
            cells.append([b])
        else:
            cells[-1].append(b)
    return [part for c in cells for part in _split_tight(c, gap)]


# the first or second line of a statistic printed over two lines ("58 (49" / "to 66)", "(0.21)")
_FRAGMENT = re.compile(r"^(?:[−–-]?\d[\d.]*\s*[(\[]\s*[−–-]?\d[\d.]*|(?:to\s*)?[−–-]?\d[\d.]*\s*[)\]]|[(\[]\s*[−–-]?\d[\d.,]*\s*[)\]])$")


def _split_tight(cell: list["Word"], gap: float) -> list[list["Word"]]:
    """A cell of a tightly set table holding a label and its values, or several values
    ("Score (% of predicted) 81.2 (12.4) 79.8 (13.1)"), cut at its wider gaps (half the cell gap
    or more) where what follows is number-like and what precedes is a label or one statistic."""
    if len(cell) < 2:
        return [cell]
    from .statistics import parse_cell

    out: list[list["Word"]] = []
    cur = [cell[0]]
    for i in range(1, len(cell)):
        a, b = cell[i - 1], cell[i]
        if b.x0 - a.x1 >= 0.5 * gap and is_numberlike(_cell_text(cell[i:])):
            left = _cell_text(cur)
            if parse_cell(left) or _FRAGMENT.match(left) or (re.search(r"[A-Za-z]{2,}", left) and not is_numberlike(left)):
                out.append(cur)
                cur = [b]
                continue
        cur.append(b)
    out.append(cur)
    return out


def is_numberlike(text: str) -> bool:
    t = re.sub(r"^to\s*(?=[−–-]?\d)", "", text.strip())  # the second line of "58 (49" / "to 66)"
    return bool(t) and bool(_NUMBERLIKE.match(t)) and not re.search(r"[A-Za-z]{2,}", t.replace("to", ""))


_PLACEHOLDER = re.compile(r"^(?:NS|n\.?s\.?|NA|N/A|n/a|NR|–|—|-|\.\.\.|…)[a-z*†‡]?$")


def _is_data_row(cells: list[list["Word"]]) -> bool:
    """A label (optional) followed by number-like cells ("NS", "NA", "–" allowed beside them)."""
    if len(cells) < 2:
        return False
    rest = cells[1:] if not is_numberlike(_cell_text(cells[0])) else cells
    texts = [_cell_text(c) for c in rest]
    return any(is_numberlike(t) for t in texts) and all(is_numberlike(t) or _PLACEHOLDER.match(t.strip()) or _stat_text(t) for t in texts)


def _stat_text(text: str) -> bool:
    """A value cell with a few letters beside its numbers ("1.8% (95% CI: 0.4–3.2%; P = 0.031)",
    "-2.7 mL/m 2"): a digit, and no run of more than three letters but "to"."""
    return bool(re.search(r"\d", text)) and not re.search(r"[A-Za-z]{4,}", text) and \
        len(re.findall(r"[A-Za-z]+", text)) <= 4


def _column_range(layout: "Layout", page: int, caption: "Word", cap_x1: float) -> tuple[float, float]:
    from .layout import _find_gutter

    pw = layout.pages[page].width if page in layout.pages else 1e9
    words = [w for w in layout.words if w.page == page]
    g = _find_gutter(words)
    if g is None:
        return (0.0, pw)
    if cap_x1 < g:
        return (0.0, g)
    if caption.x0 > g:
        return (g, pw)
    return (0.0, pw)


def text_tables(layout: "Layout") -> list["PageTable"]:
    """Unruled tables of the document (see the module docstring)."""
    from .layout import PageTable

    out: list[PageTable] = []
    ruled: dict[int, list[tuple[int, Bbox]]] = {}
    for ti, t in enumerate(layout.tables):
        ruled.setdefault(t.page, []).append((ti, t.bbox))
    gap = max(0.9 * layout.body_size, 5.0)
    captions = [ln for ln in layout.lines if ln.table is None and CAPTION_RE.match(ln.text)]
    for ci, cap in enumerate(captions):
        page = cap.page
        # a ruled table right under the caption is read by pdfplumber already, unless it is
        # only the header's box (no row of it holds a number): then its words head the table
        # rebuilt from the words below
        under = [ti for ti, b in ruled.get(page, []) if b[1] >= cap.top - 2 and b[1] - cap.bottom < 60]
        header_box = [ti for ti in under if _header_only(layout.tables[ti])]
        if under and len(header_box) < len(under):
            continue
        next_caps = [c.top for c in captions if c.page == page and c.top > cap.bottom + 1]
        stop_y = min(next_caps) if next_caps else 1e9
        cap_ids = {id(w) for w in cap.words}
        below = [
            w for w in layout.words
            if w.page == page and id(w) not in cap_ids and w.top >= cap.bottom - 0.5 and w.bottom <= stop_y
            and (w.line < 0 or layout.lines[w.line].table is None or layout.lines[w.line].table in header_box)
        ]
        # the full width (a short "Table 1" caption over a page-wide table) and the caption's
        # text column (a table in one column beside prose, whose lines spoil full-width rows):
        # the reading with more number cells wins
        lo, hi = _column_range(layout, page, cap.words[0], cap.x1)
        cand = [w for w in below if lo - 1 <= w.x0 and w.x1 <= hi + 1]
        full = _skip_caption_lines(cap, below)
        table = _build(full, gap, page) if full else None
        if len(cand) < len(below):
            cand = _skip_caption_lines(cap, cand)
            narrow = _build(cand, gap, page) if cand else None
            if narrow is not None and (table is None or _score(narrow) > _score(table)):
                table = narrow
        if table is not None and not any(t.page == page and t.bbox == table.bbox for t in out):
            table.caption = cap.text
            out.append(table)
            for ti in header_box:  # the header box is part of the rebuilt table now
                layout.tables[ti].rows = layout.tables[ti].rows[:1]
    return out


def _header_only(table: "PageTable") -> bool:
    """A ruled box of at most three rows none of whose cells is a number: a table's header
    drawn in a box, its body below it unruled."""
    if len(table.rows) > 3:
        return False
    return not any(c is not None and is_numberlike(" ".join((c[0] or "").split())) for r in table.rows for c in r)


def _stat_quality(rows: list[list[tuple[str, Bbox] | None]]) -> int:
    """How well a reading of a table puts one statistic in each cell: value cells that are one
    statistic, less the statistics printed in a cell with others (a whole row in one cell, a
    label cell holding its row's values, several rows in one cell)."""
    from .statistics import find_statistics, parse_cell

    good = bad = 0
    for row in rows:
        for ci, cell in enumerate(row):
            if cell is None or not (cell[0] or "").strip():
                continue
            text = cell[0]
            lines = [x for x in text.split("\n") if x.strip()]
            if ci > 0 and len(lines) == 1 and parse_cell(" ".join(text.split())):
                good += 1
                continue
            n = len([r for r in find_statistics(" ".join(text.split())) if r.kind != "value" or ci > 0])
            if n >= 2 or (ci == 0 and n >= 1 and len(lines) > 1):
                bad += n
    return good - bad


_SPACE = re.compile(r"\s+")


def _respace(table: "PageTable", words: list["Word"]) -> None:
    """A ruled cell's text with the spaces of the page's words: pdfplumber joins a cell's
    characters without the spaces some PDFs only imply by position ("Sinusrhythmafter4 hours"),
    and keeps glyph codes the words have normalised ("(n¼406)"). The words inside the cell (by
    their centre) replace its text when they spell the same characters, spaces aside, or when
    the cell's own text has no space at all."""
    from .text import normalise_word

    for row in table.rows:
        for k, cell in enumerate(row):
            if cell is None or not (cell[0] or "").strip():
                continue
            x0, top, x1, bottom = cell[1]
            inside = [w for w in words if x0 - 0.5 <= (w.x0 + w.x1) / 2 <= x1 + 0.5 and top - 0.5 <= (w.top + w.bottom) / 2 <= bottom + 0.5]
            if not inside:
                continue
            lines = _rows(inside)
            text = "\n".join(_cell_text(ln) for ln in lines)
            if text == cell[0]:
                continue
            raw = _SPACE.sub("", cell[0])
            if _SPACE.sub("", normalise_word(cell[0])) != _SPACE.sub("", text):
                continue
            if len(raw) == len(_SPACE.sub("", text)):
                # the words' spaces, the cell's own dashes and minus signs (which the words'
                # normalisation turned into hyphens: "Group (−)" names an arm as printed)
                chars, i = [], 0
                for ch in text:
                    if ch.isspace():
                        chars.append(ch)
                        continue
                    chars.append(raw[i] if raw[i] in "−–—‐‑" else ch)
                    i += 1
                text = "".join(chars)
            row[k] = (text, cell[1])


def reread_ruled(layout: "Layout") -> None:
    """Ruled tables whose cells do not hold one statistic each, read again from their words.

    A shaded box around a whole table, zebra stripes (every other row a filled rectangle) or a
    frame with only the outer rules make pdfplumber's ruled reading one cell per box: a white row
    band becomes one cell holding the whole row ("Male sex, n (%) 120 (60) 95 (58) ..."), or the
    whole table is one cell. Such a table is rebuilt from the words inside its box as an unruled
    table (:func:`_build`), below each "Table N" caption printed inside the box, and the reading
    that puts more statistics alone in their cells (:func:`_stat_quality`) is kept. The rebuilt
    table keeps the box's index (its lines stay table lines) with ``kind="ruled_words"``."""
    gap = max(0.9 * layout.body_size, 5.0)
    by_table: dict[int, list[int]] = {}
    for li, ln in enumerate(layout.lines):
        if ln.table is not None:
            by_table.setdefault(ln.table, []).append(li)
    extra: list["PageTable"] = []
    for ti, lis in sorted(by_table.items()):
        t = layout.tables[ti]
        if t.kind != "ruled":
            continue
        lines = [layout.lines[i] for i in lis]
        _respace(t, [w for ln in lines for w in ln.words])
        caps = [ln for ln in lines if CAPTION_RE.match(ln.text)]
        cap_ids = {id(w) for c in caps for w in c.words}
        words = [w for ln in lines for w in ln.words if id(w) not in cap_ids]
        if not words:
            continue
        parts: list[tuple[str, list["Word"]]] = []
        if caps:
            tops = sorted(c.top for c in caps) + [1e9]
            for c in sorted(caps, key=lambda c: c.top):
                nxt = min(x for x in tops if x > c.top + 1)
                parts.append((c.text, _skip_caption_lines(c, [w for w in words if w.top >= c.bottom - 0.5 and w.bottom <= nxt])))
        else:
            parts.append((t.caption, words))
        built = []
        for cap_text, ws in parts:
            tab = _build(ws, gap, t.page) if ws else None
            if tab is not None:
                tab.caption = cap_text or t.caption
                tab.kind = "ruled_words"
                built.append(tab)
        if not built or sum(_stat_quality(b.rows) for b in built) <= _stat_quality(t.rows):
            _rebuild_ruled_header(t, [w for ln in lines for w in ln.words], gap)
            continue
        layout.tables[ti] = built[0]
        extra.extend(built[1:])
    layout.tables.extend(extra)


def _score(table: "PageTable") -> int:
    """Number-like cells of a rebuilt table, less its prose-like cells (five words or more)."""
    good = bad = 0
    for row in table.rows[1:]:
        for cell in row[1:]:
            if cell is None:
                continue
            if is_numberlike(cell[0]):
                good += 1
            elif len(cell[0].split()) >= 5:
                bad += 1
    return good - 2 * bad


def _label_zone(data: list[list[list["Word"]]]) -> tuple[float, float] | None:
    """(right-most start of a text label, left-most start of a value) over the data rows whose
    first cell is a text label; None when fewer than two rows have one."""
    starts, vals = [], []
    for cells in data:
        if not is_numberlike(_cell_text(cells[0])):
            starts.append(_box(cells[0])[0])
            vals.extend(_box(c)[0] for c in cells[1:])
    if len(starts) < 2 or not vals:
        return None
    return max(starts), min(vals)


def _values(cells: list[list["Word"]], zone: tuple[float, float] | None) -> list[list["Word"]]:
    """The value cells of a data row: all but the label. A number-like first cell is a label too
    when it starts where the text labels start (or a little indented) and ends before the values
    ("< 25", "1.5", "2")."""
    if not is_numberlike(_cell_text(cells[0])):
        return cells[1:]
    if zone is not None and len(cells) > 1:
        x0, _, x1, _ = _box(cells[0])
        if x0 <= zone[0] + 0.25 * (zone[1] - zone[0]) and x1 <= zone[1] - 2.0:  # indented or not
            return cells[1:]
    return cells


def _columns(data: list[list[list["Word"]]]) -> list[list[float]]:
    """Value columns: x-intervals of the data rows' number cells, merged where they overlap."""
    from .statistics import parse_cell

    zone = _label_zone(data)
    spans: list[list[float]] = []
    loose: list[list[float]] = []
    for cells in data:
        for c in _values(cells, zone):
            x0, _, x1, _ = _box(c)
            text = _cell_text(c)
            # a cell holding two values of neighbouring columns ("11.0 12.6") would join them
            one = len(c) == 1 or parse_cell(text) or _FRAGMENT.match(text) or _PLACEHOLDER.match(text.strip())
            (spans if one else loose).append([x0, x1])
    spans = spans or loose
    spans.sort()
    cols: list[list[float]] = []
    for s in spans:
        if cols and s[0] <= cols[-1][1] + 1.0:
            cols[-1][1] = max(cols[-1][1], s[1])
        else:
            cols.append(list(s))
    return cols


_STAT_START = re.compile(r"(?i)^(?:n|no|mean|median|sd|se|range|iqr|min|max|total|and|or)\b")


def _continuation(label: str) -> bool:
    """A label line that continues the line above it (starts in lower case, not a statistic name)."""
    t = label.strip()
    return bool(t) and t[0].islower() and not _STAT_START.match(t)


def _open(text: str) -> int:
    return text.count("(") + text.count("[") - text.count(")") - text.count("]")


def _merge_cell_lines(rows: list[list[tuple[str, Bbox] | None]]) -> list[list[tuple[str, Bbox] | None]]:
    """Cells printed over two lines, joined: a line whose value cells each close a bracket the
    cell above left open ("119 (93–" / "139)"), its label absent or a continuation ("(mL/m2)"),
    is appended cell by cell to the row above."""
    out: list[list[tuple[str, Bbox] | None]] = []
    for row in rows:
        prev = out[-1] if out else None
        vals = [(k, c) for k, c in enumerate(row) if k > 0 and c is not None]

        def closes(k: int, c: tuple[str, Bbox]) -> bool:
            above = prev[k] if prev is not None and k < len(prev) else None
            if above is None:
                return False
            if _open(above[0]) > 0:
                return _open(c[0]) < 0
            return bool(re.fullmatch(r"\s*[(\[][^()\[\]]*[)\]][a-z*†‡]?\s*", c[0]))  # "1.52" / "(0.21)"

        if prev is not None and vals and all(closes(k, c) for k, c in vals) and any(_open(c[0]) < 0 for _, c in vals):
            lab = row[0]
            if lab is None or lab[0].lstrip().startswith("(") or _continuation(lab[0]) or (prev[0] is not None and _open(prev[0][0]) > 0):
                merged = list(prev)
                for k, c in enumerate(row):
                    if c is None:
                        continue
                    a = merged[k]
                    merged[k] = c if a is None else (a[0] + (" " if not a[0].endswith(("–", "-")) else "") + c[0],
                                                     (min(a[1][0], c[1][0]), min(a[1][1], c[1][1]), max(a[1][2], c[1][2]), max(a[1][3], c[1][3])))
                out[-1] = merged
                continue
        out.append(list(row))
    return out


def _merge_label_lines(rows: list[list[tuple[str, Bbox] | None]]) -> list[list[tuple[str, Bbox] | None]]:
    """Row labels printed over two lines, joined: a label-only line after a data row that starts
    in lower case or closes the row label's bracket ("At least one (sum score" / "1 or more)")
    is appended to it; a data row whose label starts in lower case, under a label-only line, gets
    that line in front ("Serious adverse events leading to" / "discontinuation 8 (2.6)")."""
    out: list[list[tuple[str, Bbox] | None]] = []

    def join(a: tuple[str, Bbox], b: tuple[str, Bbox]) -> tuple[str, Bbox]:
        return (a[0] + " " + b[0], (min(a[1][0], b[1][0]), min(a[1][1], b[1][1]), max(a[1][2], b[1][2]), max(a[1][3], b[1][3])))

    for row in rows:
        lab = row[0]
        has_vals = any(c is not None for c in row[1:])
        prev = out[-1] if out else None
        if prev is not None and lab is None and has_vals and prev[0] is not None and not any(c is not None for c in prev[1:]):
            # values set between the two lines of their label ("Gastric atrophy" / values /
            # "(C0-C1/C2-C3)"): the line above names them
            out[-1] = [prev[0]] + row[1:]
            continue
        if prev is not None and lab is not None and prev[0] is not None:
            prev_vals = any(c is not None for c in prev[1:])
            open_paren = prev[0][0].count("(") > prev[0][0].count(")")
            if not has_vals and prev_vals and (_continuation(lab[0]) or open_paren or lab[0].lstrip().startswith("(")):
                prev[0] = join(prev[0], lab)
                continue
            if has_vals and not prev_vals and _continuation(lab[0]) and not prev[0][0].rstrip().endswith(":"):
                out[-1] = [join(prev[0], lab)] + row[1:]
                continue
        out.append(list(row))
    return out


def _place(cell: list["Word"], cols: list[list[float]], label_x1: float) -> int:
    """Column index of a cell (0 = label column), by the largest overlap / nearest centre."""
    x0, _, x1, _ = _box(cell)
    if x1 <= label_x1 + 0.5:
        return 0
    best, best_ov = None, 0.0
    for k, (a, b) in enumerate(cols):
        ov = min(b, x1) - max(a, x0)
        if ov > best_ov:
            best, best_ov = k + 1, ov
    if best is None:
        cx = (x0 + x1) / 2
        best = 1 + min(range(len(cols)), key=lambda k: abs((cols[k][0] + cols[k][1]) / 2 - cx))
    return best


def _header_words(header_rows: list[list[list["Word"]]], cols: list[list[float]], label_x1: float, gap: float,
                  leaders: list["Word"] = ()) -> list[list["Word"]]:
    """The header's words per column (0 = label column), top to bottom. A cell is cut where a
    gap between its words holds a column boundary ("All patients" / "Placebo group" set closer
    than the cell gap); a part that covers half or more of two or more columns spans them
    ("NYHA class II" over "Drug" and "Placebo") and heads each. A dotted rule typed under a part
    (``leaders``) shows how far it spans."""
    bounds = [(cols[k][1] + cols[k + 1][0]) / 2 for k in range(len(cols) - 1)]
    out: list[list["Word"]] = [[] for _ in range(len(cols) + 1)]
    for cells in header_rows:
        for cell in cells:
            if _FOOTNOTE.match(_cell_text(cell)):
                continue
            parts: list[list["Word"]] = [[cell[0]]]
            for a, b in zip(cell, cell[1:]):
                if b.x0 - a.x1 >= 0.3 * gap and any(a.x1 <= m <= b.x0 for m in bounds):
                    parts.append([b])
                else:
                    parts[-1].append(b)
            for part in parts:
                x0, top, x1, bottom = _box(part)
                h = max(part[0].bottom - part[0].top, 1.0)
                for ld in leaders:
                    # not the rule under the whole header (it crosses every column)
                    full = all(min(ld.x1, b) - max(ld.x0, a) > 0 for a, b in cols)
                    if not full and top + 0.3 * h <= ld.top <= bottom + 1.5 * h and min(ld.x1, x1) - max(ld.x0, x0) > 0:
                        x0, x1 = min(x0, ld.x0), max(x1, ld.x1)
                spanned = [k + 1 for k, (a, b) in enumerate(cols) if min(b, x1) - max(a, x0) >= 0.5 * max(b - a, 1.0)]
                if len(spanned) >= 2 and x1 > label_x1 + 0.5:
                    for k in spanned:
                        out[k].extend(part)
                else:
                    out[_place(part, cols, label_x1)].extend(part)
    return out


def _rebuild_ruled_header(table: "PageTable", words: list["Word"], gap: float) -> None:
    """A ruled table whose header is one cell over all columns (the column names and group
    sizes typed as lines of text in one box) gets one header cell per column, rebuilt from the
    words of that box as an unruled table's header is (:func:`_header_words`)."""
    rows = table.rows
    body = next((i for i, r in enumerate(rows) if any(c is not None and re.search(r"\d", c[0] or "") and is_numberlike(" ".join((c[0] or "").split()))
                                                        for c in r[1:])), None)
    if body is None or body == 0:
        return
    # each value column's extent: its narrowest numeric cell's box (a cell spanning columns,
    # "5.5 (3.1-7.9)" centred under two arms, is as wide as both)
    ext: dict[int, list[float]] = {}
    for r in rows[body:]:
        for ci, c in enumerate(r[1:], start=1):
            if c is not None and (c[0] or "").strip() and is_numberlike(" ".join(c[0].split())):
                if ci not in ext or c[1][2] - c[1][0] < ext[ci][1] - ext[ci][0]:
                    ext[ci] = [c[1][0], c[1][2]]
    if len(ext) < 2:
        return
    cis = sorted(ext)
    cols = [ext[ci] for ci in cis]
    merged = []
    for ri, r in enumerate(rows[:body]):
        for c in r:
            if c is None or not (c[0] or "").strip() or CAPTION_RE.match(c[0]):
                continue
            b = c[1]
            inside = [w for w in words if b[0] - 0.5 <= (w.x0 + w.x1) / 2 <= b[2] + 0.5 and b[1] - 0.5 <= (w.top + w.bottom) / 2 <= b[3] + 0.5]
            # a header box: its words head two or more columns
            if sum(1 for a, z in cols if any(min(z, w.x1) - max(a, w.x0) > 0 for w in inside)) >= 2:
                merged.append((ri, c))
    if not merged:
        return
    last = max(ri for ri, _ in merged)
    boxes = [c[1] for _, c in merged]
    ws = [w for w in words if any(b[0] - 0.5 <= (w.x0 + w.x1) / 2 <= b[2] + 0.5 and b[1] - 0.5 <= (w.top + w.bottom) / 2 <= b[3] + 0.5 for b in boxes)]
    if not ws:
        return
    label_x1 = min(a for a, _ in cols)
    per = _header_words([_cells(r, gap) for r in _rows(ws)], cols, label_x1, gap)
    width = max(len(r) for r in rows)
    header: list[tuple[str, Bbox] | None] = [None] * width
    if per[0]:
        header[0] = (_header_text(per[0]), _box(per[0]))
    for k, ci in enumerate(cis, start=1):
        if per[k]:
            header[ci] = (_header_text(per[k]), _box(per[k]))
    table.rows = [header] + rows[last + 1 :]


def _build(words: list["Word"], gap: float, page: int) -> "PageTable | None":
    from .layout import PageTable

    leaders = [w for w in words if _LEADER.match(w.norm)]
    words = [w for w in words if not _LEADER.match(w.norm)]
    if not words:
        return None
    rows = _rows(words)
    split = [_cells(r, gap) for r in rows]
    first_data = next((i for i, c in enumerate(split) if _is_data_row(c)), None)
    if first_data is None or first_data > 8:
        return None
    # the body: rows from the header down to the first prose row, footnote or wide vertical gap
    end = first_data
    pitches: list[float] = []
    for i in range(first_data + 1, len(rows)):
        prev_b = max(w.bottom for w in rows[i - 1])
        top = min(w.top for w in rows[i])
        pitch = top - min(w.top for w in rows[i - 1])
        text = _cell_text(rows[i])
        if pitches and pitch > 3.0 * statistics.median(pitches) and top - prev_b > 12:
            break
        if _FOOTNOTE.match(text) and not _is_data_row(split[i]):  # "p value | <0.001 | ..." is a row
            break
        pitches.append(pitch)
        end = i
    cols = _columns([c for c in split[first_data : end + 1] if _is_data_row(c)])
    if not cols:
        return None
    # a prose line under the table (one long cell running into the value columns, not followed
    # by a data row as a block heading is) ends it
    for i in range(first_data + 1, end + 1):
        cells = split[i]
        if len(cells) == 1 and not is_numberlike(_cell_text(cells[0])) and len(cells[0]) >= 4 and _box(cells[0])[2] > cols[0][0] + 2:
            if i + 1 <= end and _is_data_row(split[i + 1]) and len(cells[0]) < 10:
                continue
            end = i - 1
            break
    body = split[first_data : end + 1]
    data = [c for c in body if _is_data_row(c)]
    cols = _columns(data)
    if len(data) < 2 or not cols:
        return None
    label_x1 = min(c[0] for c in cols)

    def place(cell: list["Word"]) -> int | None:
        return _place(cell, cols, label_x1)

    # label-only lines just above the first data row are block headings ("Cohort 1",
    # "Baseline age"), not header: the header's lines have cells over the value columns
    head_end = first_data
    while head_end > 0 and all(_box(c)[2] <= label_x1 + 0.5 for c in split[head_end - 1]):
        head_end -= 1
    if head_end > 0:
        body = split[head_end:first_data] + body
    else:
        head_end = first_data
    ncol = len(cols) + 1
    header_words = _header_words(split[:head_end], cols, label_x1, gap, leaders)
    header = [(_header_text(ws), _box(ws)) if ws else None for ws in header_words]
    out_rows: list[list[tuple[str, Bbox] | None]] = [header]
    for cells in body:
        row: list[list["Word"]] = [[] for _ in range(ncol)]
        for c in cells:
            k = place(c)
            if k is not None:
                row[k].extend(c)
        out_rows.append([(_cell_text(ws), _box(ws)) if ws else None for ws in row])
    out_rows = [out_rows[0]] + _merge_label_lines(_merge_cell_lines(out_rows[1:]))
    all_words = [w for r in rows[: end + 1] for w in r]
    return PageTable(page, _box(all_words), out_rows, kind="text")
