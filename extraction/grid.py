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
    from .layout import Layout, PageTable, Word

Bbox = tuple[float, float, float, float]

CAPTION_RE = re.compile(
    r"^(?:Extended\s+Data\s+|Supplementa(?:l|ry)\s+|Online\s+|Appendix\s+)?(?:Table|TABLE)\s+(?:[A-Z]?\d+[A-Za-z]?|[IVX]+)\b(?!\s*(?:shows|summari[sz]es|lists|gives|presents|displays|reports|provides|and|or|,|\)))"
)
# a cell that holds only numbers and the punctuation of statistics
_NUMBERLIKE = re.compile(
    r"^[\s(\[]*(?:[<>≤≥=~]\s*)?[−–-]?\.?\d[\d.,]*(?:[\s%()\[\];,/:±–—−-]|\bto\b|\bn\s*=|\d|\.|[<>≤≥])*$"
)
_FOOTNOTE = re.compile(r"^(?:[a-z*†‡§¶]\s+[A-Za-z]|Abbreviations?\b|Note\b|Notes\b|Data are\b|Values are\b|Source\b)")


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
    """Visual rows: words whose vertical centres lie within half a line height of each other."""
    rows: list[list["Word"]] = []
    for w in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        cy = (w.top + w.bottom) / 2
        h = max(w.bottom - w.top, 1.0)
        if rows:
            last = rows[-1]
            lcy = statistics.fmean((x.top + x.bottom) / 2 for x in last)
            if abs(cy - lcy) <= 0.45 * h:
                last.append(w)
                continue
        rows.append([w])
    for r in rows:
        r.sort(key=lambda w: w.x0)
    return rows


def _cells(row: list["Word"], gap: float) -> list[list["Word"]]:
    cells: list[list["Word"]] = [[row[0]]]
    for a, b in zip(row, row[1:]):
        if b.x0 - a.x1 >= gap:
            cells.append([b])
        else:
            cells[-1].append(b)
    return cells


def is_numberlike(text: str) -> bool:
    t = text.strip()
    return bool(t) and bool(_NUMBERLIKE.match(t)) and not re.search(r"[A-Za-z]{2,}", t.replace("to", ""))


_PLACEHOLDER = re.compile(r"^(?:NS|n\.?s\.?|NA|N/A|n/a|NR|–|—|-|\.\.\.|…)[a-z*†‡]?$")


def _is_data_row(cells: list[list["Word"]]) -> bool:
    """A label (optional) followed by number-like cells ("NS", "NA", "–" allowed beside them)."""
    if len(cells) < 2:
        return False
    rest = cells[1:] if not is_numberlike(_cell_text(cells[0])) else cells
    texts = [_cell_text(c) for c in rest]
    return any(is_numberlike(t) for t in texts) and all(is_numberlike(t) or _PLACEHOLDER.match(t.strip()) for t in texts)


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
    ruled = {}
    for t in layout.tables:
        ruled.setdefault(t.page, []).append(t.bbox)
    gap = max(0.9 * layout.body_size, 5.0)
    captions = [ln for ln in layout.lines if ln.table is None and CAPTION_RE.match(ln.text)]
    for ci, cap in enumerate(captions):
        page = cap.page
        # a ruled table right under the caption is read by pdfplumber already
        if any(b[1] >= cap.top - 2 and b[1] - cap.bottom < 60 for b in ruled.get(page, [])):
            continue
        next_caps = [c.top for c in captions if c.page == page and c.top > cap.bottom + 1]
        stop_y = min(next_caps) if next_caps else 1e9
        cap_ids = {id(w) for w in cap.words}
        below = [
            w for w in layout.words
            if w.page == page and id(w) not in cap_ids and w.top >= cap.bottom - 0.5 and w.bottom <= stop_y
            and (w.line < 0 or layout.lines[w.line].table is None)
        ]
        # the full width (a short "Table 1" caption over a page-wide table) and the caption's
        # text column (a table in one column beside prose, whose lines spoil full-width rows):
        # the reading with more number cells wins
        table = _build(below, gap, page) if below else None
        lo, hi = _column_range(layout, page, cap.words[0], cap.x1)
        cand = [w for w in below if lo - 1 <= w.x0 and w.x1 <= hi + 1]
        if len(cand) < len(below):
            narrow = _build(cand, gap, page) if cand else None
            if narrow is not None and (table is None or _score(narrow) > _score(table)):
                table = narrow
        if table is not None and not any(t.page == page and t.bbox == table.bbox for t in out):
            table.caption = cap.text
            out.append(table)
    return out


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


def reread_ruled(layout: "Layout") -> None:
    """Ruled tables whose cells do not hold one statistic each, read again from their words.

    A shaded box around a whole table, zebra stripes (every other row a filled rectangle) or a
    frame with only the outer rules make pdfplumber's ruled reading one cell per box: a white row
    band becomes one cell holding the whole row ("Male sex, n (%) 392 (82) 195 (82) ..."), or the
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
                parts.append((c.text, [w for w in words if w.top >= c.bottom - 0.5 and w.bottom <= nxt]))
        else:
            parts.append((t.caption, words))
        built = []
        for cap_text, ws in parts:
            tab = _build(ws, gap, t.page) if ws else None
            if tab is not None:
                tab.caption = cap_text or t.caption
                tab.kind = "ruled_words"
                built.append(tab)
        if not built:
            continue
        if sum(_stat_quality(b.rows) for b in built) <= _stat_quality(t.rows):
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


def _columns(data: list[list[list["Word"]]]) -> list[list[float]]:
    """Value columns: x-intervals of the data rows' number cells, merged where they overlap."""
    spans: list[list[float]] = []
    for cells in data:
        vals = cells[1:] if not is_numberlike(_cell_text(cells[0])) else cells
        for c in vals:
            x0, _, x1, _ = _box(c)
            spans.append([x0, x1])
    spans.sort()
    cols: list[list[float]] = []
    for s in spans:
        if cols and s[0] <= cols[-1][1] + 1.0:
            cols[-1][1] = max(cols[-1][1], s[1])
        else:
            cols.append(list(s))
    return cols


def _build(words: list["Word"], gap: float, page: int) -> "PageTable | None":
    from .layout import PageTable

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
        if _FOOTNOTE.match(text):
            break
        pitches.append(pitch)
        end = i
    cols = _columns([c for c in split[first_data : end + 1] if _is_data_row(c)])
    if not cols:
        return None
    # a prose line under the table (one long cell running into the value columns) ends it
    for i in range(first_data + 1, end + 1):
        cells = split[i]
        if len(cells) == 1 and not is_numberlike(_cell_text(cells[0])) and len(cells[0]) >= 4 and _box(cells[0])[2] > cols[0][0] + 2:
            end = i - 1
            break
    body = split[first_data : end + 1]
    data = [c for c in body if _is_data_row(c)]
    cols = _columns(data)
    if len(data) < 2 or not cols:
        return None
    label_x1 = min(c[0] for c in cols)

    def place(cell: list["Word"]) -> int | None:
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

    ncol = len(cols) + 1
    header_words: list[list["Word"]] = [[] for _ in range(ncol)]
    for cells in split[:first_data]:
        for c in cells:
            if _FOOTNOTE.match(_cell_text(c)):
                continue
            k = place(c)
            if k is not None:
                header_words[k].extend(c)
    header = [(_header_text(ws), _box(ws)) if ws else None for ws in header_words]
    out_rows: list[list[tuple[str, Bbox] | None]] = [header]
    for cells in body:
        row: list[list["Word"]] = [[] for _ in range(ncol)]
        for c in cells:
            k = place(c)
            if k is not None:
                row[k].extend(c)
        out_rows.append([(_cell_text(ws), _box(ws)) if ws else None for ws in row])
    all_words = [w for r in rows[: end + 1] for w in r]
    return PageTable(page, _box(all_words), out_rows, kind="text")
