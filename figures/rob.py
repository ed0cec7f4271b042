"""Risk-of-bias figures in the style of robvis: a traffic-light plot (study x domain) and a
weighted-or-unweighted summary bar plot (share of studies per judgement, per domain).

Studies assessed with different tools are drawn in one section per tool, with the tool's domain
key beneath each section. Colours and symbols follow robvis (:mod:`evidence.appraisal.tools`).
"""

from __future__ import annotations

import textwrap

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, Patch

from evidence.appraisal.tools import LEVEL_COLOURS, LEVEL_SYMBOLS, LEVELS, tool
from figures.style import style

LEVEL_NAMES = {"low": "Low", "some": "Some concerns / moderate / unclear", "high": "High / serious / critical",
               "none": "No information / not applicable"}


def _tools_in_order(assessments: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(assessments.sort_values(["tool", "study_id"])["tool"]))


def traffic_light_plot(assessments: pd.DataFrame, *, title: str | None = None,
                       study_labels: dict[str, str] | None = None) -> Figure:
    """Traffic-light plot of validated assessments (:func:`evidence.appraisal.assessments.read_assessments`)."""
    if assessments.empty:
        raise ValueError("no risk-of-bias assessments to plot")
    labels = study_labels or {}
    cell, label_w, gap = 0.26, 1.6, 0.12  # inches; gap sets the overall column apart
    sections = []
    for code in _tools_in_order(assessments):
        t = tool(code)
        sub = assessments[assessments["tool"] == code]
        domains = [d for d in t.domain_codes if d in set(sub["domain"])]
        sections.append((t, sub, sorted(sub["study_id"].unique()), domains))
    width = max(4.8, label_w + cell * max(len(s[3]) for s in sections) + gap + 0.3)
    chars = int((width - 0.2) * 19)  # domain-key wrap width at 5.8 pt

    def col_x(j: int, domain: str) -> float:
        return label_w + cell * (j + 0.5) + (gap if domain == "overall" else 0.0)

    ops: list[tuple] = []  # (kind, y from the top in inches, payload)
    y = 0.2
    if title:
        ops.append(("title", y, title))
        y += 0.3
    for t, sub, studies, domains in sections:
        ops.append(("tool", y, f"{t.name} ({t.reference})"))
        y += cell * 1.3
        ops.append(("headers", y, domains))
        y += cell * 0.6
        by = {(r.study_id, r.domain): r.level for r in sub.itertuples()}
        for sid in studies:
            ops.append(("study", y, (labels.get(sid, sid), [(col_x(j, d), by.get((sid, d))) for j, d in enumerate(domains)])))
            y += cell
        wrapped = textwrap.wrap("; ".join(f"{d.code}: {d.label}" for d in t.domains if d.code in domains), chars)
        ops.append(("key", y - cell * 0.2, "\n".join(wrapped)))
        y += 0.105 * len(wrapped) + cell * 0.6
    legend_top = y
    height = y + 0.55
    with style():
        fig = Figure(figsize=(width, height))
        FigureCanvasAgg(fig)

        def fy(v: float) -> float:
            return 1 - v / height

        for kind, yy, payload in ops:
            if kind == "title":
                fig.text(0.08 / width, fy(yy), payload, ha="left", va="top", fontweight="bold", gid="title")
            elif kind == "tool":
                fig.text(0.08 / width, fy(yy), payload, ha="left", va="top", fontsize=6.5, fontstyle="italic",
                         gid="tool-name")
            elif kind == "headers":
                for j, d in enumerate(payload):
                    fig.text(col_x(j, d) / width, fy(yy), "Overall" if d == "overall" else d, ha="center",
                             va="bottom", fontweight="bold", fontsize=6.5, gid="domain-header")
            elif kind == "study":
                label, cells = payload
                fig.text((label_w - 0.08) / width, fy(yy), label, ha="right", va="center", gid="study-label")
                for cx, level in cells:
                    if level is None:
                        continue
                    fig.add_artist(Circle((cx, height - yy), cell * 0.4, transform=fig.dpi_scale_trans,
                                          facecolor=LEVEL_COLOURS[level], edgecolor="#333333", lw=0.4,
                                          gid=f"judgement-{level}"))
                    fig.text(cx / width, fy(yy), LEVEL_SYMBOLS[level], ha="center", va="center", fontsize=7,
                             fontweight="bold", color="black" if level == "some" else "white")
            else:
                fig.text(0.08 / width, fy(yy), payload, ha="left", va="top", fontsize=5.8, color="#333333",
                         gid="domain-key", linespacing=1.1)
        handles = [Patch(facecolor=LEVEL_COLOURS[lv], edgecolor="#333333", lw=0.4, label=LEVEL_NAMES[lv])
                   for lv in LEVELS if lv in set(assessments["level"])]
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.06 / width, fy(legend_top)), ncol=2,
                   frameon=False, fontsize=6, title="Judgement", title_fontsize=6.5, alignment="left")
    return fig


def summary_plot(assessments: pd.DataFrame, *, title: str | None = None) -> Figure:
    """Summary bar plot: for each tool and domain, the share of studies at each level."""
    if assessments.empty:
        raise ValueError("no risk-of-bias assessments to plot")
    lines: list[tuple[str, dict[str, float] | None]] = []  # a tool header has no shares
    for code in _tools_in_order(assessments):
        t = tool(code)
        sub = assessments[assessments["tool"] == code]
        lines.append((f"{t.name} (n = {sub['study_id'].nunique()} studies)", None))
        for d in t.domain_codes:
            rows = sub[sub["domain"] == d]
            if rows.empty:
                continue
            name = "Overall risk of bias" if d == "overall" else f"{d} {t.domain(d).label}"
            lines.append((name, {lv: float((rows["level"] == lv).mean()) for lv in LEVELS}))
    bar_h = 0.2
    with style():
        probe = Figure()
        renderer = FigureCanvasAgg(probe).get_renderer()
        label_w = max(renderer.get_text_width_height_descent(text, FontProperties(size=6), ismath=False)[0]
                      for text, _ in lines) / probe.dpi
        plot_w, margin = 2.6, 0.12
        width = margin + label_w + 0.2 + plot_w + margin
        top = 0.35 if title else 0.12
        height = top + bar_h * len(lines) + 0.7
        fig = Figure(figsize=(width, height))
        FigureCanvasAgg(fig)
        ax = fig.add_axes(((margin + label_w + 0.2) / width, 0.7 / height, plot_w / width, bar_h * len(lines) / height))
        n = len(lines)
        for i, (label, shares) in enumerate(lines):
            yy = n - 1 - i
            if shares is None:
                ax.text(-0.1 * 100 / plot_w - 100 * label_w / plot_w, yy, label, ha="left", va="center", fontsize=6.5,
                        fontweight="bold")
                continue
            left = 0.0
            for lv in LEVELS:
                if shares[lv] > 0:
                    ax.barh(yy, shares[lv] * 100, left=left, height=0.72, color=LEVEL_COLOURS[lv],
                            edgecolor="#333333", lw=0.3, gid=f"bar-{lv}")
                    left += shares[lv] * 100
            ax.text(-1.5, yy, label, ha="right", va="center", fontsize=6)
        ax.set_yticks([])
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_xlabel("Studies (%)")
        ax.spines["left"].set_visible(False)
        if title:
            fig.text(margin / width, 1 - 0.1 / height, title, ha="left", va="top", fontweight="bold", gid="title")
        handles = [Patch(facecolor=LEVEL_COLOURS[lv], edgecolor="#333333", lw=0.3, label=LEVEL_NAMES[lv])
                   for lv in LEVELS if any(sh and sh[lv] > 0 for _, sh in lines)]
        fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(margin / width, 0.0), ncol=2, frameon=False,
                   fontsize=5.5)
    return fig
