"""Publication-ready figures and tables from pooled results.

Drawing functions return a :class:`matplotlib.figure.Figure` and never save or show it; use
:func:`save_figure`. Nothing changes matplotlib's global state at import; the house style is the
:func:`style` context (the forest-type plots apply it themselves while they lay out text).
"""

from figures.forest import cumulative_plot, forest_plot, loo_plot
from figures.formatting import format_estimate
from figures.funnel import funnel_plot
from figures.io import save_figure
from figures.prisma import prisma_counts_from_studies, prisma_flow
from figures.sof import summary_of_findings, write_sof
from figures.style import style
from figures.tables import read_pooled

__all__ = [
    "cumulative_plot",
    "forest_plot",
    "format_estimate",
    "funnel_plot",
    "loo_plot",
    "prisma_counts_from_studies",
    "prisma_flow",
    "read_pooled",
    "save_figure",
    "style",
    "summary_of_findings",
    "write_sof",
]
