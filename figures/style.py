"""The house style of every figure, applied as a context (never at import).

>>> from figures import style, forest_plot
>>> with style():
...     fig = forest_plot(pooled)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import matplotlib as mpl

FONT_SIZE = 7.0
"""Points; journals ask for 6-8 pt at final print size."""

SVG_HASHSALT = "sacral-evidence-toolkit"
"""Fixed salt for SVG element ids, so re-runs write identical bytes."""

RC: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],  # shipped with matplotlib: identical output everywhere
    "font.size": FONT_SIZE,
    "axes.labelsize": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 1,
    "axes.linewidth": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "xtick.labelsize": FONT_SIZE,
    "ytick.labelsize": FONT_SIZE,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3.0,
    "ytick.major.size": 3.0,
    "lines.linewidth": 0.8,
    "axes.unicode_minus": True,
    "figure.dpi": 100,
    "savefig.dpi": 300,
    "savefig.facecolor": "white",
    "figure.facecolor": "white",
    "pdf.fonttype": 42,  # TrueType: text stays editable in Illustrator/Inkscape
    "ps.fonttype": 42,
    "svg.fonttype": "path",  # glyphs as paths: the SVG looks the same without the font
    "svg.hashsalt": SVG_HASHSALT,
    "path.simplify": True,
}


@contextlib.contextmanager
def style(**overrides: object) -> Iterator[None]:
    """Apply the toolkit's figure style (fonts, sizes, line widths) inside a ``with`` block.

    Keyword arguments override single rcParams, e.g. ``style(**{"font.size": 8})``.
    Nothing is changed outside the block.
    """
    rc = dict(RC)
    rc.update(overrides)
    with mpl.rc_context(rc):
        yield
