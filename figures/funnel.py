"""Contour-enhanced funnel plot (metafor ``funnel(res, level=c(90, 95, 99), refline=0)``)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Polygon
from matplotlib.lines import Line2D
from scipy import stats

from figures.formatting import format_pvalue, measure_info
from figures.style import style
from figures.tables import check_pooled

MIN_K_ASYMMETRY = 10
"""Fewer studies than this and funnel asymmetry is not assessable (Sterne et al., BMJ 2011)."""

CONTOUR_LEVELS = (0.10, 0.05, 0.01)
CONTOUR_SHADES = ("#ffffff", "#a6a6a6", "#cccccc", "#ededed")  # p>.10, .05-.10, .01-.05, <.01

MODEL_SCALE_LABELS = {
    "PLO": "Logit proportion",
    "PFT": "Double-arcsine proportion",
    "PAS": "Arcsine proportion",
    "PR": "Proportion",
    "OR": "Log odds ratio",
    "RR": "Log risk ratio",
    "IRR": "Log incidence rate ratio",
    "ROM": "Log ratio of means",
    "ZCOR": "Fisher's z",
}


def asymmetry_note(k: int, egger: Mapping[str, float] | None) -> str:
    """The sentence printed under a funnel plot about Egger's test."""
    if k < MIN_K_ASYMMETRY:
        return f"k = {k} < {MIN_K_ASYMMETRY}: funnel asymmetry not assessable"
    if egger is None:
        return f"k = {k}: Egger's test not supplied"
    return f"Egger's regression test: {format_pvalue(egger.get('pval'))} (k = {k})"


def funnel_plot(
    yi: Sequence[float] | np.ndarray,
    vi: Sequence[float] | np.ndarray,
    estimate: float | None,
    *,
    egger: Mapping[str, float] | None = None,
    measure: str = "MN",
    refline: float | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Contour-enhanced funnel plot: effect (model scale) against its standard error.

    Parameters
    ----------
    yi, vi
        Study effects and sampling variances on the model scale (the pooled table's ``yi, vi``).
    estimate
        Pooled estimate on the model scale; drawn as a vertical line.
    egger
        Egger's regression from the engine, never fitted here: a mapping with ``intercept``,
        ``slope`` and ``pval`` in metafor ``regtest(model="rma", predictor="sei")`` form,
        ``yi = intercept + slope * sei``, so ``intercept`` is the limit estimate (SE -> 0) and
        ``pval`` tests the slope (asymmetry). With ``"predictor": "vi"`` the line is
        ``yi = intercept + slope * vi``. Drawn only when k >= 10; with fewer studies the plot
        says "k = N < 10: funnel asymmetry not assessable".
    measure
        escalc code; names the axis (log ratios get back-transformed tick labels).
    refline
        Centre of the contours. Default: 0 (the null) for comparative measures, giving the
        significance contours p = 0.10, 0.05, 0.01 of metafor's contour-enhanced example; for
        single-group measures without a null (proportions, means) the pooled estimate, giving
        90/95/99% pseudo-confidence regions.
    """
    yi = np.asarray(yi, dtype=float)
    vi = np.asarray(vi, dtype=float)
    if yi.shape != vi.shape:
        raise ValueError(f"yi and vi differ in length ({yi.size} and {vi.size}).")
    ok = np.isfinite(yi) & np.isfinite(vi) & (vi > 0)
    yi, vi = yi[ok], vi[ok]
    k = int(yi.size)
    if k == 0:
        raise ValueError("No study with finite yi and positive vi; cannot draw a funnel plot (k = 0).")
    info = measure_info(measure)
    sei = np.sqrt(vi)
    significance = True
    if refline is None:
        if info.null is None and estimate is not None and math.isfinite(estimate):
            refline, significance = float(estimate), False
        else:
            refline = 0.0
    # sizes in inches: title, plot, x label, legend, note
    w, top, plot_h, below = 3.5, (0.30 if title else 0.08), 2.5, 0.95
    h = top + plot_h + below
    with style():
        if ax is None:
            fig = Figure(figsize=(w, h))
            FigureCanvasAgg(fig)
            ax = fig.add_axes((0.55 / w, below / h, (w - 0.7) / w, plot_h / h))
        else:
            fig = ax.figure  # type: ignore[assignment]
        se_max = float(sei.max()) * 1.08
        z = [stats.norm.isf(a / 2) for a in CONTOUR_LEVELS]
        half = max(np.max(np.abs(yi - refline)), z[-1] * se_max) * 1.05
        lo, hi = refline - half, refline + half
        if estimate is not None and math.isfinite(estimate):
            lo, hi = min(lo, estimate - 0.1 * half), max(hi, estimate + 0.1 * half)
        # shades: outermost first
        ax.add_patch(Polygon([(lo, 0), (hi, 0), (hi, se_max), (lo, se_max)], closed=True,
                             facecolor=CONTOUR_SHADES[3], edgecolor="none", zorder=0))  # fmt: skip
        for zi, shade in zip(reversed(z), reversed(CONTOUR_SHADES[:3])):
            ax.add_patch(Polygon([(refline, 0), (refline - zi * se_max, se_max),
                                  (refline + zi * se_max, se_max)], closed=True,
                                 facecolor=shade, edgecolor="none", zorder=0))  # fmt: skip
        ax.axvline(refline, color="#555555", lw=0.6, zorder=1)
        if estimate is not None and math.isfinite(estimate):
            ax.plot([estimate, estimate], [0, se_max], color="#1f3d7a", lw=0.8, ls=(0, (3, 2)),
                    zorder=2, gid="pooled-line")  # fmt: skip
        ax.plot(yi, sei, "o", ms=3.5, mfc="#1f3d7a", mec="white", mew=0.4, zorder=4, gid="studies")
        note = asymmetry_note(k, egger)
        handles = [Line2D([], [], ls="none", marker="o", ms=3.5, mfc="#1f3d7a", mec="white",
                          label="Studies")]  # fmt: skip
        if k >= MIN_K_ASYMMETRY and egger is not None:
            b0, b1 = float(egger["intercept"]), float(egger["slope"])
            s = np.linspace(0, se_max, 50)
            x = b0 + b1 * (s**2 if egger.get("predictor") == "vi" else s)
            ax.plot(x, s, color="#b2182b", lw=0.9, zorder=3, gid="egger-line")
            handles.append(Line2D([], [], color="#b2182b", lw=0.9, label="Egger's regression"))
        labels = (("p > 0.10", "0.05 < p \u2264 0.10", "0.01 < p \u2264 0.05", "p \u2264 0.01")
                  if significance else ("inside 90% region", "90-95%", "95-99%", "outside 99%"))
        handles += [
            Patch(facecolor=CONTOUR_SHADES[0], edgecolor="#999999", lw=0.4, label=labels[0]),
            Patch(facecolor=CONTOUR_SHADES[1], label=labels[1]),
            Patch(facecolor=CONTOUR_SHADES[2], label=labels[2]),
            Patch(facecolor=CONTOUR_SHADES[3], edgecolor="#999999", lw=0.4, label=labels[3]),
        ]
        if estimate is not None and math.isfinite(estimate):
            handles.insert(1, Line2D([], [], color="#1f3d7a", lw=0.8, ls=(0, (3, 2)),
                                     label="Pooled estimate"))  # fmt: skip
        ax.set_xlim(lo, hi)
        ax.set_ylim(se_max, 0)
        ax.set_ylabel("Standard error")
        label = xlabel or MODEL_SCALE_LABELS.get(info.code, info.name)
        if info.scale == "log":
            from matplotlib.ticker import FixedLocator, FuncFormatter

            from figures._layout import _fmt_tick, _log_ticks

            ticks = _log_ticks(math.exp(lo), math.exp(hi))
            ax.xaxis.set_major_locator(FixedLocator([math.log(t) for t in ticks]))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: _fmt_tick(float(f"{math.exp(v):.6g}"))))
            if xlabel is None:
                label = f"{info.name} (log scale)"
        ax.set_xlabel(label, labelpad=2)
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.06 / w, (below - 0.42) / h),
                   ncol=3, fontsize=5.5, frameon=False, handlelength=1.4, columnspacing=1.0,
                   borderaxespad=0.0, handletextpad=0.4)  # fmt: skip
        if title:
            fig.text(0.08 / w, 1 - 0.08 / h, title, ha="left", va="top", fontsize=8,
                     fontweight="bold", gid="title", parse_math=False)  # fmt: skip
        fig.text(0.08 / w, 0.06 / h, note, ha="left", va="bottom", fontsize=6.5, gid="asymmetry-note",
                 color="#b2182b" if k < MIN_K_ASYMMETRY else "#333333", parse_math=False)  # fmt: skip
    return fig


def funnel_from_pooled(
    pooled: pd.DataFrame,
    *,
    egger: Mapping[str, float] | None = None,
    title: str | None = None,
    source: str = "pooled table",
) -> Figure:
    """Funnel plot of the study rows of a pooled table (``yi, vi``) around its overall estimate."""
    df = check_pooled(pooled, source)
    studies = df[df["row_type"] == "study"]
    if studies["yi"].isna().all() or studies["vi"].isna().all():
        raise ValueError(f"{source}: columns 'yi' and 'vi' are empty; a funnel plot needs them.")
    overall = df[df["row_type"] == "overall"]
    est = float(overall["estimate"].iloc[0]) if len(overall) else None
    return funnel_plot(studies["yi"], studies["vi"], est, egger=egger,
                       measure=str(df["measure"].iloc[0]), title=title)  # fmt: skip
