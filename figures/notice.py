"""A figure that says why there is nothing to plot (an analysis with k = 0)."""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure

from figures.style import style


def notice_figure(title: str | None, message: str) -> Figure:
    """A small figure with ``title`` and ``message``, written where a plot is expected."""
    with style():
        fig = Figure(figsize=(6.6, 1.6))
        if title:
            fig.text(0.02, 0.85, title, ha="left", va="top", fontweight="bold")
        fig.text(0.02, 0.5, "\n".join(textwrap.wrap(message, 100)), ha="left", va="center")
    return fig
