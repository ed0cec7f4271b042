"""Publication-ready figures and tables from pooled results.

Drawing functions return a :class:`matplotlib.figure.Figure` and never save or show it; use
:func:`save_figure`. Nothing changes matplotlib's global state at import; the house style is the
:func:`style` context (the forest-type plots apply it themselves while they lay out text).
"""

from importlib import import_module

# public name -> module; imported on first use, so `python -m figures --help` starts without matplotlib
_EXPORTS = {
    "cumulative_plot": "figures.forest",
    "forest_plot": "figures.forest",
    "loo_plot": "figures.forest",
    "format_estimate": "figures.formatting",
    "funnel_plot": "figures.funnel",
    "save_figure": "figures.io",
    "prisma_counts_from_studies": "figures.prisma",
    "prisma_flow": "figures.prisma",
    "summary_of_findings": "figures.sof",
    "write_sof": "figures.sof",
    "style": "figures.style",
    "read_pooled": "figures.tables",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'figures' has no attribute {name!r}")


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
