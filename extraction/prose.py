"""Layout helpers for the prose rules: running text that a ruled-table box swallowed.

They work on the :class:`~extraction.layout.Layout` only (never on a particular paper); the text
rules themselves are in :mod:`extraction.rules`. (Header rows of unruled tables that the column
reader splits over several stream lines are rebuilt by :mod:`extraction.grid`.)
"""

from __future__ import annotations

import re

from .layout import Layout, TextStream

def unswallow_prose(layout: Layout, st: TextStream) -> tuple[str, set[int]]:
    """Running text inside a ruled-table box: (text for the sentence rules, lines to treat as prose).

    A table finder sometimes returns a box as wide as the page for a table printed in one column,
    so the other column's running text becomes "table lines" and its sentences are cut at every
    line, interleaved with the table's cells ("... and 6 (6.1%) had Sexual domain"). A table box is
    taken to hold a text column [L, R] when three or more of its lines begin with a run of at least
    five words, mostly alphabetic, that starts at L and ends at R (±2.5 pt), where L and R are the
    edges of three or more lines outside tables on that page (a justified body column). In such a
    table every word outside [L, R] is blanked in the returned text (same length, same offsets) and
    all its lines are returned as prose lines. Other tables are left alone."""
    text = st.text
    gap = 1.2 * layout.body_size
    by_table: dict[int, list[int]] = {}
    for i, ln in enumerate(layout.lines):
        if ln.table is not None and ln.words:
            by_table.setdefault(ln.table, []).append(i)
    if not by_table:
        return text, set()
    chars = list(text)
    freed: set[int] = set()
    for _ti, idxs in by_table.items():
        page = layout.lines[idxs[0]].page
        body = [ln for ln in layout.lines if ln.page == page and ln.table is None and ln.words]
        cols: dict[tuple[float, float], int] = {}
        for i in idxs:
            ws = layout.lines[i].words
            seg = [ws[0]]
            for a_, b_ in zip(ws, ws[1:]):
                if b_.x0 - a_.x1 >= gap:
                    break
                seg.append(b_)
            alpha = sum(1 for w in seg if re.fullmatch(r"[A-Za-z][a-z'-]*[,.;:]?", w.norm))
            if len(seg) < 5 or alpha < 0.7 * len(seg):
                continue
            left, right = seg[0].x0, seg[-1].x1
            n_body = sum(1 for ln in body if abs(ln.x0 - left) <= 2.5 and abs(ln.x1 - right) <= 2.5)
            if n_body >= 3:
                key = (round(left), round(right))
                cols[key] = cols.get(key, 0) + 1
        if not cols:
            continue
        (left, right), hits = max(cols.items(), key=lambda kv: kv[1])
        if hits < 3:
            continue
        keep = {w.idx for i in idxs for w in layout.lines[i].words if w.x0 >= left - 3 and w.x1 <= right + 3}
        for i in idxs:
            ls, le = st.line_spans[i]
            for k in range(ls, le):
                o = st.owner[k]
                if o >= 0 and o not in keep and chars[k] != "\n":
                    chars[k] = " "
            freed.add(i)
    return "".join(chars), freed


def reads_before(layout: Layout, st: TextStream, span: tuple[int, int], anchor: int, text: str | None = None) -> bool:
    """Whether the words of ``span`` come before the word at stream offset ``anchor`` in the
    printed reading order (an earlier page; on the same page a column to the left, or the same
    column higher up) although the stream puts them after it -- as it does for running text read
    with a table box (:func:`unswallow_prose`) that is placed after the next column. Characters
    blanked in ``text`` (table cells of :func:`unswallow_prose`) are not looked at."""
    aw = next((layout.words[o] for o in st.owner[anchor : anchor + 200] if o >= 0), None)
    if aw is None:
        return False
    col = [ln for ln in layout.lines if ln.page == aw.page and ln.region == aw.region and ln.words]
    cx0, cx1 = min(ln.x0 for ln in col), max(ln.x1 for ln in col)
    seen = False
    text = st.text if text is None else text
    for o in {st.owner[k] for k in range(span[0], min(span[1], len(st.owner))) if not text[k].isspace()}:
        if o < 0:
            continue
        w = layout.words[o]
        seen = True
        if w.page < aw.page:
            continue
        if w.page > aw.page:
            return False
        if w.x1 <= cx0 + 1 or (w.bottom <= aw.top + 1 and w.x0 >= cx0 - 3 and w.x1 <= cx1 + 3):
            continue
        return False
    return seen
