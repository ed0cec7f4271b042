"""Geometry helpers for figure tests: text extents, overlaps."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.text import Text


def texts(fig: Figure) -> list[Text]:
    """Visible, non-empty Text artists (tick labels included)."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def text_strings(fig: Figure) -> set[str]:
    """Every printed string, with wrapped lines joined by spaces."""
    return {t.get_text().replace("\n", " ") for t in texts(fig)}


def table_texts(fig: Figure) -> list[Text]:
    """The texts the forest layout placed (not the axis' own tick and axis labels)."""
    ax = fig.axes[0]
    own = set(ax.xaxis.findobj(Text)) | set(ax.yaxis.findobj(Text))
    return [t for t in texts(fig) if t not in own]


def extents(fig: Figure, artists: list[Text]) -> np.ndarray:
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    return np.array([t.get_window_extent(r).extents for t in artists])  # x0, y0, x1, y1


def overlaps_box(boxes: np.ndarray, box: np.ndarray, tol: float = 0.5) -> np.ndarray:
    """Which boxes intersect ``box`` (by more than ``tol`` pixels)."""
    return (
        (boxes[:, 0] < box[2] - tol)
        & (boxes[:, 2] > box[0] + tol)
        & (boxes[:, 1] < box[3] - tol)
        & (boxes[:, 3] > box[1] + tol)
    )


def overlapping_pairs(boxes: np.ndarray, tol: float = 0.5) -> list[tuple[int, int]]:
    """Index pairs of intersecting boxes (sweep over sorted x0 to stay fast at 1000 texts)."""
    order = np.argsort(boxes[:, 0])
    pairs = []
    for n, i in enumerate(order):
        for j in order[n + 1 :]:
            if boxes[j, 0] >= boxes[i, 2] - tol:
                break
            if boxes[i, 1] < boxes[j, 3] - tol and boxes[j, 1] < boxes[i, 3] - tol:
                pairs.append((int(i), int(j)))
    return pairs
