"""The table-and-plot engine behind every forest-type figure.

A forest-type figure is a list of :class:`Row` (one per study, subgroup header, pooled estimate,
prediction interval or note) and a list of :class:`Column` of text. The engine measures the text
with the renderer, wraps notes that are wider than their block, sizes the figure in inches from
what it measured (so 2 and 200 rows both fit), and draws squares, diamonds, prediction bars and
clipping arrows on one plotting Axes. Text lives left and right of that Axes, never inside it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib import transforms
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from figures.style import style

# geometry, in inches
LINE = 0.165  # height of one text line in the table at 7 pt
MARGIN = 0.08
COL_GAP = 0.14
PLOT_GAP = 0.14
INDENT = 0.10
SQUARE_MAX_FRACTION = 0.70  # largest square side, as a fraction of a line
SQUARE_MIN_PT = 2.2
DIAMOND_HALF = 0.36  # diamond half height, in lines
COLORS = {
    "square": "#1f3d7a",
    "ci": "#222222",
    "diamond": "#1f3d7a",
    "diamond_sub": "#8da0cb",
    "pi": "#b2182b",
    "ref": "#555555",
    "summary_line": "#1f3d7a",
    "point": "#222222",
}


@dataclass
class Row:
    """One line (or several, when the label wraps) of a forest-type figure."""

    kind: str  # "study" | "point" | "summary" | "subsummary" | "pi" | "header" | "note" | "blank"
    label: str = ""
    cells: dict[str, str] = field(default_factory=dict)
    est: float = math.nan  # in plot units (natural units x factor)
    lb: float = math.nan
    ub: float = math.nan
    weight: float = math.nan
    indent: int = 0
    bold: bool = False
    gid: str = ""
    height: float = 1.0  # for blank rows
    # filled in by the engine
    y: float = 0.0
    lines: int = 1


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    side: str  # "left" | "right"
    ha: str = "right"
    badges: Mapping[str, tuple[str, str]] | None = None
    """For a column of judgements (risk of bias): cell value -> (symbol, colour), drawn as a
    coloured disc with the symbol, as R meta's ``rob=`` columns."""


@dataclass(frozen=True)
class Axis:
    scale: str  # "log" | "percent" | "linear"
    null: float | None
    label: str
    xlim: tuple[float, float] | None = None


def _wrap_tokens(text: str, width_in: float, measure) -> str:
    """Wrap ``text`` to ``width_in`` inches: first before ``Q = `` (heterogeneity lines), then
    greedily at '; ' and finally at spaces. Returns the text unchanged when nothing fits."""
    if measure(text) <= width_in:
        return text
    if " Q = " in text:
        head, tail = text.split(" Q = ", 1)
        two = head + "\n" + "Q = " + tail
        if max(measure(t) for t in two.split("\n")) <= width_in:
            return two
    for sep in ("; ", " "):
        parts = text.split(sep)
        if len(parts) == 1:
            continue
        lines: list[str] = []
        cur = parts[0]
        for p in parts[1:]:
            trial = cur + sep + p
            if measure(trial + sep.rstrip()) <= width_in:
                cur = trial
            else:
                lines.append(cur + sep.rstrip())
                cur = p
        lines.append(cur)
        if all(measure(line) <= width_in for line in lines):
            return "\n".join(lines)
    return text


def _two_lines(text: str) -> str:
    """Heterogeneity and subgroup-test lines split before ``Q = ``."""
    if " Q = " in text:
        head, tail = text.split(" Q = ", 1)
        return head + "\n" + "Q = " + tail
    return text


def _nice_log_limits(lo: float, hi: float) -> tuple[float, float]:
    nice = sorted(m * 10.0**e for e in range(-4, 5) for m in (1, 2, 5))
    lo_n = max([v for v in nice if v <= lo * (1 + 1e-9)], default=lo)
    hi_n = min([v for v in nice if v >= hi * (1 - 1e-9)], default=hi)
    return lo_n, hi_n


def _log_ticks(lo: float, hi: float) -> list[float]:
    for mults in ((1, 2, 5), (1, 3), (1,)):
        ticks = [
            m * 10.0**e
            for e in range(-4, 5)
            for m in mults
            if lo * (1 - 1e-9) <= m * 10.0**e <= hi * (1 + 1e-9)
        ]
        if len(ticks) <= 7:
            break
    if len(ticks) > 7:  # decades only, thinned
        ticks = ticks[:: math.ceil(len(ticks) / 7)]
    return sorted(ticks)


def _fmt_tick(v: float, _pos: object = None) -> str:
    if v == 0:
        return "0"
    text = f"{v:.6g}"
    if "e" in text:
        text = f"{v:.10f}".rstrip("0").rstrip(".")
    return text.replace("-", "\u2212")


def _linear_ticks(lo: float, hi: float) -> tuple[float, float, list[float]]:
    loc = mpl.ticker.MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10])
    ticks = [float(t) for t in loc.tick_values(lo, hi)]
    lo_n = max([t for t in ticks if t <= lo + 1e-12], default=ticks[0])
    hi_n = min([t for t in ticks if t >= hi - 1e-12], default=ticks[-1])
    return lo_n, hi_n, [t for t in ticks if lo_n - 1e-12 <= t <= hi_n + 1e-12]


def auto_limits(rows: Sequence[Row], axis: Axis) -> tuple[float, float]:
    """x limits covering every point estimate, pooled interval and most study CIs.

    Study CIs may be clipped (they then end in an arrow) when they reach further than the
    range of the estimates on either side; the axis never stretches to one extreme study.
    """
    log = axis.scale == "log"

    def t(v: np.ndarray) -> np.ndarray:
        v = np.asarray(v, dtype=float)
        v = v[np.isfinite(v)]
        if log:
            v = np.log(v[v > 0])
        return v

    core = [r.est for r in rows if r.kind in ("study", "point", "summary", "subsummary", "pi")]
    core += [b for r in rows if r.kind in ("summary", "subsummary", "pi") for b in (r.lb, r.ub)]
    full = [b for r in rows if r.kind in ("study", "point") for b in (r.lb, r.ub)]
    if axis.null is not None:
        core.append(axis.null)
    c, f = t(np.array(core)), t(np.array(full))
    if c.size == 0:
        c = f if f.size else np.array([0.0, 1.0])
    lo, hi = float(c.min()), float(c.max())
    span = max(hi - lo, 0.5 if log else max(abs(hi), 1.0) * 0.2)
    if f.size:
        lo = min(lo, max(float(f.min()), lo - span))
        hi = max(hi, min(float(f.max()), hi + span))
    if hi - lo < 1e-9:
        lo, hi = lo - span / 2, hi + span / 2
    if log:
        return _nice_log_limits(math.exp(lo), math.exp(hi))
    if axis.scale == "percent":
        lo, hi = max(0.0, lo), min(100.0, hi)
        for _ in range(2):  # the limits land on ticks: round to the tick step of the span
            step = _percent_step(max(hi - lo, 1.0))
            lo = max(0.0, math.floor(lo / step + 1e-9) * step)
            hi = min(100.0, math.ceil(hi / step - 1e-9) * step)
        if hi <= lo:
            hi = min(100.0, lo + step)
            lo = hi - step
        return lo, hi
    lo_n, hi_n, _ = _linear_ticks(lo, hi)
    return lo_n, hi_n


def _percent_step(span: float) -> float:
    return float(next((s for s in (1, 2, 5, 10, 20, 25, 50) if span / s <= 5), 50))


def _ticks(lo: float, hi: float, axis: Axis) -> list[float]:
    if axis.scale == "log":
        return _log_ticks(lo, hi)
    if axis.scale == "percent":
        step = _percent_step(hi - lo)
        first = math.ceil(lo / step) * step
        return [float(v) for v in np.arange(first, hi + 1e-9, step)]
    return [t for t in _linear_ticks(lo, hi)[2] if lo - 1e-12 <= t <= hi + 1e-12]


def draw_forest_table(
    rows: Sequence[Row],
    columns: Sequence[Column],
    axis: Axis,
    *,
    title: str | None = None,
    footnote: str | None = None,
    plot_width: float = 2.0,
    label_width: int = 34,
    fontsize: float | None = None,
    summary_x: float | None = None,
    favours: tuple[str, str] | None = None,
    max_width: float | None = 7.2,
) -> Figure:
    """Lay out and draw a forest-type figure; see the module docstring."""
    with style():
        fs = float(fontsize or mpl.rcParams["font.size"])
        return _draw(rows, columns, axis, title, footnote, plot_width, label_width, fs,
                     summary_x, favours, max_width)  # fmt: skip


MAX_PAGES = 10
"""Most pages of one split plot; a longer one is refused (:class:`TooManyRows`), not drawn."""


class TooManyRows(ValueError):
    """A plot whose rows would take more than :data:`MAX_PAGES` pages of ``max_rows`` rows."""

    def __init__(self, rows: int, max_rows: int, pages: int) -> None:
        super().__init__(f"{rows} rows would take {pages} pages of {max_rows} rows; at most {MAX_PAGES} pages are drawn")
        self.rows, self.max_rows, self.pages = rows, max_rows, pages


PAGE_BREAKS = ("study", "point", "header", "blank")
"""Row kinds a page may start at: a summary, its prediction interval and notes stay with their rows."""


def paginate(rows: Sequence[Row], max_rows: int | None) -> list[list[Row]]:
    """``rows`` split into pages of at most ``max_rows`` rows (plus a summary's trailing rows).

    A page never starts with a blank line; a group continued on a new page repeats its header
    with "(continued)". ``max_rows`` None (or rows that fit) gives one page; more than
    :data:`MAX_PAGES` pages raise :class:`TooManyRows` before anything is drawn.
    """
    if max_rows is None or len(rows) <= max_rows:
        return [list(rows)]
    pages: list[list[Row]] = []
    page: list[Row] = []
    header: Row | None = None
    for r in rows:
        if len(page) >= max_rows and r.kind in PAGE_BREAKS:
            pages.append(page)
            page = []
            if r.kind == "blank":
                header = None
                continue
            if header is not None and r.kind != "header" and r.indent:
                page.append(replace(header, label=f"{header.label} (continued)"))
        page.append(r)
        if r.kind == "header":
            header = r
        elif r.kind in ("subsummary", "blank"):
            header = None
    if page:
        pages.append(page)
    if len(pages) > MAX_PAGES:
        raise TooManyRows(len(rows), max_rows, len(pages))
    return pages


def draw_forest_pages(rows: Sequence[Row], columns: Sequence[Column], axis: Axis, *, max_rows: int | None = None,
                      title: str | None = None, **kwargs: Any) -> list[Figure]:
    """:func:`draw_forest_table` over pages of at most ``max_rows`` rows (:func:`paginate`).

    Every page shares the x axis of the whole plot and says "page i of n" in its title.
    """
    pages = paginate(rows, max_rows)
    if len(pages) == 1:
        return [draw_forest_table(rows, columns, axis, title=title, **kwargs)]
    if axis.xlim is None:
        axis = replace(axis, xlim=auto_limits(rows, axis))
    n = len(pages)
    return [draw_forest_table(page, columns, axis, title=f"{title} (page {i} of {n})" if title else f"Page {i} of {n}",
                              **kwargs) for i, page in enumerate(pages, start=1)]


def _draw(rows, columns, axis, title, footnote, plot_width, label_width, fs, summary_x, favours,
          max_width):
    import textwrap

    scale = fs / 7.0
    line = LINE * scale
    fig = Figure(figsize=(6, 4))
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    prop = FontProperties(size=fs)
    bold = FontProperties(size=fs, weight="bold")
    dpi = fig.dpi

    def width(text: str, fp: FontProperties = prop) -> float:
        if not text:
            return 0.0
        return max(
            renderer.get_text_width_height_descent(s, fp, ismath=False)[0] / dpi
            for s in text.split("\n")
        )

    left = [c for c in columns if c.side == "left"]
    right = [c for c in columns if c.side == "right"]
    rows = list(rows)
    if rows and rows[-1].kind != "note":
        rows.append(Row("blank", height=0.4))  # keep the last diamond off the x axis
    labels = [r.label for r in rows]
    notes = [r.label for r in rows]

    def col_width(c: Column) -> float:
        ws = [width(c.header, bold)]
        for r in rows:
            if c.key == "label":
                if r.kind in ("note", "blank"):
                    continue
                ws.append(width(r.label, bold if r.bold else prop) + r.indent * INDENT)
            elif c.badges is not None:
                ws.append(width("\u00d7", bold) * 2.2)
            elif r.kind != "note":
                ws.append(width(r.cells.get(c.key, ""), bold if r.bold else prop))
        return max(ws)

    # 1. wrap long labels; narrow the wrap while the figure is wider than max_width
    rw = {c.key: col_width(c) for c in right}
    right_block = sum(rw.values()) + COL_GAP * max(len(right) - 1, 0)
    wrap = label_width
    while True:
        for r, original in zip(rows, labels):
            if r.kind not in ("note", "blank") and original and len(original) > wrap:
                r.label = "\n".join(textwrap.wrap(original, wrap, break_long_words=True))
            else:
                r.label = original
        lw = {c.key: col_width(c) for c in left}
        left_block = sum(lw.values()) + COL_GAP * max(len(left) - 1, 0)
        # notes (heterogeneity lines) may use the whole left block: wrap them to it before
        # "Q = " (never more than two lines), or widen the block
        for r, original in zip(rows, notes):
            if r.kind != "note":
                continue
            avail = left_block - r.indent * INDENT
            r.label = original
            if width(original) > avail:
                r.label = _two_lines(original) if " Q = " in original else _wrap_tokens(original, avail, width)
            extra = width(r.label) + r.indent * INDENT - left_block
            if extra > 0:
                lw[left[0].key] += extra
                left_block += extra
        total = 2 * MARGIN + left_block + 2 * PLOT_GAP + plot_width + right_block
        if max_width is None or total <= max_width or wrap <= 16:
            break
        wrap -= 3

    # 2. vertical positions, in lines from the top of the table
    y = 0.0
    for r in rows:
        if r.kind == "blank":
            r.lines = 0
            r.y = y + r.height / 2
            y += r.height
            continue
        r.lines = max(1, r.label.count("\n") + 1, *(v.count("\n") + 1 for v in r.cells.values()))
        r.y = y + r.lines / 2
        y += r.lines
    n_lines = max(y, 1.0)
    header_lines = max([c.header.count("\n") + 1 for c in columns] + [1])

    # 3. figure size
    x = MARGIN
    col_x: dict[str, tuple[float, float]] = {}  # key -> (left, right) in inches
    for c in left:
        col_x[c.key] = (x, x + lw[c.key])
        x += lw[c.key] + COL_GAP
    x = x - COL_GAP + PLOT_GAP
    plot_left = x
    x += plot_width + PLOT_GAP
    for c in right:
        col_x[c.key] = (x, x + rw[c.key])
        x += rw[c.key] + COL_GAP
    fig_w = x - COL_GAP + MARGIN
    top = MARGIN + header_lines * line * 0.8 + 0.10 * scale
    title_h = 0.0
    if title:
        title = _wrap_tokens(title, fig_w - 2 * MARGIN, lambda s: width(s, bold))
        title_h = (title.count("\n") + 1) * line * 0.85 + 0.06
        top += title_h
    bottom = 0.42 * scale + (0.16 * scale if favours else 0.0)
    foot_lines = 0
    if footnote:
        footnote = _wrap_tokens(footnote, fig_w - 2 * MARGIN, width)
        foot_lines = footnote.count("\n") + 1
        bottom += foot_lines * line * 0.8 + 0.05
    table_h = n_lines * line
    fig_h = top + table_h + bottom
    fig.set_size_inches(fig_w, fig_h)
    ax = fig.add_axes((plot_left / fig_w, bottom / fig_h, plot_width / fig_w, table_h / fig_h))
    ax.set_ylim(n_lines, 0)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.yaxis.set_major_locator(NullLocator())
    ax.set_facecolor("none")
    ax.tick_params(axis="x", labelsize=fs, pad=2)
    ax.set_gid("forest-axes")

    # 4. x axis
    if axis.scale == "log":
        ax.set_xscale("log")
    lo, hi = axis.xlim if axis.xlim is not None else auto_limits(rows, axis)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(FixedLocator(_ticks(lo, hi, axis)))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(_fmt_tick))
    ax.set_xlabel(axis.label, fontsize=fs, labelpad=(2 + fs * 1.3) if favours else 2)

    # 5. text
    blend = transforms.blended_transform_factory(fig.dpi_scale_trans, ax.transData)
    header_y = -0.25  # just above the first row
    for c in columns:
        x0, x1 = col_x[c.key]
        xx = {"left": x0, "right": x1, "center": (x0 + x1) / 2}[c.ha]
        fig.text(xx, header_y, c.header, transform=blend, ha=c.ha, va="bottom",
                 fontproperties=bold, gid=f"header-{c.key}", parse_math=False)  # fmt: skip
    fig.add_artist(Line2D([MARGIN, fig_w - MARGIN], [-0.08, -0.08], transform=blend, lw=0.5,
                          color="#444444", gid="header-rule"))  # fmt: skip
    label_x0 = col_x[left[0].key][0] if left else MARGIN
    for r in rows:
        if r.kind == "blank":
            continue
        fp = bold if r.bold else prop
        if r.label:
            fig.text(label_x0 + r.indent * INDENT, r.y, r.label, transform=blend, ha="left",
                     va="center" if "\n" in r.label else "center_baseline", fontproperties=fp,
                     gid=f"label-{r.kind}",
                     parse_math=False, linespacing=1.15)  # fmt: skip
        if r.kind == "note":
            continue
        for c in columns:
            if c.key == "label" or not r.cells.get(c.key):
                continue
            x0, x1 = col_x[c.key]
            xx = {"left": x0, "right": x1, "center": (x0 + x1) / 2}[c.ha]
            if c.badges is not None and r.cells[c.key] in c.badges:
                symbol, colour = c.badges[r.cells[c.key]]
                fig.text((x0 + x1) / 2, r.y, symbol, transform=blend, ha="center", va="center",
                         fontproperties=bold, color="black" if colour.upper() == "#E2DF07" else "white",
                         gid=f"rob-{c.key}-{r.cells[c.key]}", parse_math=False,
                         bbox={"boxstyle": "circle,pad=0.18", "facecolor": colour, "edgecolor": "#333333",
                               "linewidth": 0.4})  # fmt: skip
                continue
            fig.text(xx, r.y, r.cells[c.key], transform=blend, ha=c.ha, va="center_baseline",
                     fontproperties=fp, gid=f"cell-{c.key}", parse_math=False)  # fmt: skip
    if title:
        fig.text(MARGIN / fig_w, 1 - MARGIN / fig_h, title, ha="left", va="top",
                 fontproperties=FontProperties(size=fs + 1, weight="bold"), gid="title",
                 parse_math=False)  # fmt: skip
    if footnote:
        fig.text(MARGIN / fig_w, MARGIN / fig_h, footnote, ha="left", va="bottom",
                 fontproperties=FontProperties(size=fs - 0.5), color="#333333",
                 gid="footnote", parse_math=False, linespacing=1.15)  # fmt: skip
    if favours:
        ref = axis.null if axis.null is not None else (lo * hi) ** 0.5 if axis.scale == "log" else (lo + hi) / 2
        xfrac = (ax.transScale + ax.transLimits).transform((ref, 0))[0]
        off = transforms.offset_copy(ax.transAxes, fig=fig, y=-(fs + 5), units="points")
        fig.text(xfrac - 0.02, 0, favours[0], transform=off, ha="right", va="top",
                 fontproperties=prop, gid="favours-left", parse_math=False)  # fmt: skip
        fig.text(xfrac + 0.02, 0, favours[1], transform=off, ha="left", va="top",
                 fontproperties=prop, gid="favours-right", parse_math=False)  # fmt: skip

    # 6. graphics
    if axis.null is not None and lo < axis.null < hi:
        ax.axvline(axis.null, color=COLORS["ref"], lw=0.6, zorder=0, gid="null-line")
    if summary_x is not None and math.isfinite(summary_x) and lo < summary_x < hi:
        last = max((r.y for r in rows if r.kind == "summary"), default=n_lines)
        ax.plot([summary_x, summary_x], [0, last], color=COLORS["summary_line"], lw=0.6,
                ls=(0, (2, 2)), zorder=0, gid="summary-line")  # fmt: skip
    weights = np.array([r.weight for r in rows if r.kind == "study"], dtype=float)
    wmax = np.nanmax(weights) if weights.size and np.isfinite(weights).any() else math.nan
    max_side_pt = SQUARE_MAX_FRACTION * line * 72
    pts_per_line = line * 72
    for r in rows:
        if r.kind in ("study", "point"):
            _draw_interval(ax, r, lo, hi, lw=0.7)
            if math.isfinite(r.est) and lo <= r.est <= hi:
                if r.kind == "study" and math.isfinite(r.weight) and math.isfinite(wmax) and wmax > 0:
                    side = max(SQUARE_MIN_PT, max_side_pt * math.sqrt(max(r.weight, 0) / wmax))
                    marker, color = "s", COLORS["square"]
                else:
                    side, marker, color = 3.2 * scale, "o", COLORS["point"]
                ax.plot([r.est], [r.y], marker=marker, ms=side, mew=0, color=color,
                        ls="none", zorder=3, gid=f"marker-{r.kind}")  # fmt: skip
        elif r.kind in ("summary", "subsummary"):
            if not all(math.isfinite(v) for v in (r.est, r.lb, r.ub)):
                continue
            h = DIAMOND_HALF * min(1.0, 12.0 / pts_per_line * 1.0)
            poly = Polygon(
                [(r.lb, r.y), (r.est, r.y - h), (r.ub, r.y), (r.est, r.y + h)],
                closed=True,
                facecolor=COLORS["diamond"] if r.kind == "summary" else COLORS["diamond_sub"],
                edgecolor=COLORS["diamond"],
                lw=0.6,
                zorder=3,
                gid=r.gid or "diamond",
            )
            ax.add_patch(poly)
            if r.lb < lo or r.ub > hi:
                _arrows(ax, r, lo, hi, COLORS["diamond"])
        elif r.kind == "pi":
            _draw_interval(ax, r, lo, hi, lw=2.2, color=COLORS["pi"], gid=r.gid or "prediction-interval", cap=False)
    return fig


def _arrows(ax, r: Row, lo: float, hi: float, color: str, gid: str = "ci-arrow") -> None:
    if r.lb < lo:
        ax.plot([lo], [r.y], marker=(3, 0, 90), ms=4.5, mew=0, color=color, clip_on=False, zorder=4, gid=gid)
    if r.ub > hi:
        ax.plot([hi], [r.y], marker=(3, 0, -90), ms=4.5, mew=0, color=color, clip_on=False, zorder=4, gid=gid)


def _draw_interval(ax, r: Row, lo: float, hi: float, lw: float, color: str = COLORS["ci"],
                   gid: str = "ci", cap: bool = False) -> None:  # fmt: skip
    if not (math.isfinite(r.lb) and math.isfinite(r.ub)):
        return
    a, b = max(r.lb, lo), min(r.ub, hi)
    if b < lo or a > hi:
        a, b = (lo, lo) if r.ub < lo else (hi, hi)
    ax.plot([a, b], [r.y, r.y], color=color, lw=lw, solid_capstyle="butt", zorder=2, gid=gid)
    _arrows(ax, r, lo, hi, color)
