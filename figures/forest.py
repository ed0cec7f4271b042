"""Forest plots from the pooled table, and leave-one-out / cumulative forest plots.

The plots never re-fit: every number printed is a column of the table, formatted by
:mod:`figures.formatting`, and the axis uses the table's natural-unit (``*_bt``) columns:
proportions in percent, ratios on a log axis, means and differences on a linear one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from figures._layout import Axis, Column, Row, draw_forest_pages
from figures.formatting import (
    MeasureInfo,
    format_ci,
    format_count,
    format_estimate,
    format_heterogeneity,
    format_i2,
    format_number,
    format_subgroup_test,
    format_tau2,
    format_weight,
    group_label,
    measure_info,
)
from figures.formatting import estimate_digits, estimate_text, prediction_text  # noqa: F401  (moved; importable here)
from evidence.appraisal.tools import LEVEL_COLOURS, LEVEL_SYMBOLS
from figures.tables import check_pooled, check_sensitivity

COMMON_EFFECT_METHODS = ("FE", "EE", "CE")
TESTS = {"knha": "Hartung\u2013Knapp", "z": "Wald z", "t": "t"}


def _f(x: object) -> float:
    try:
        v = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return v


def _first(df: pd.DataFrame, col: str) -> object:
    vals = df[col].dropna() if col in df.columns else pd.Series(dtype=object)
    return vals.iloc[0] if len(vals) else None


def _level(df: pd.DataFrame) -> float:
    lv = _f(_first(df, "level"))
    if not math.isfinite(lv):
        return 95.0
    return lv * 100 if lv <= 1 else lv


def _level_text(level: float) -> str:
    return f"{level:g}%"


def _model_note(df: pd.DataFrame, level: float, has_pi: bool, info: MeasureInfo) -> str:
    method = str(_first(df, "method") or "").upper()
    test = str(_first(df, "test") or "").lower()
    if method in COMMON_EFFECT_METHODS:
        model = "Common-effect model"
    elif method:
        model = f"Random-effects model ({method} estimator of \u03c4\u00b2"
        model += f", {TESTS.get(test, test)} CIs)" if test else ")"
    else:
        model = "Pooled estimates"
    parts = [model, f"squares sized by weight, lines show {_level_text(level)} CIs",
             "diamonds show pooled estimates"]  # fmt: skip
    if has_pi:
        parts.append(f"red bars show {_level_text(level)} prediction intervals")
    if info.scale == "percent":
        parts.append("proportions back-transformed to percent")
    return "; ".join(parts) + "."


def forest_plot(pooled: pd.DataFrame, **kwargs: Any) -> Figure:
    """Forest plot of a pooled table on one page; the options are those of :func:`forest_pages`."""
    return forest_pages(pooled, **kwargs)[0]


def forest_pages(
    pooled: pd.DataFrame,
    *,
    title: str | None = None,
    xlabel: str | None = None,
    digits: int | None = None,
    xlim: tuple[float, float] | None = None,
    weights: str = "auto",
    prediction: str = "overall",
    group_labels: Mapping[str, str] | None = None,
    label_width: int = 34,
    plot_width: float = 2.0,
    fontsize: float | None = None,
    favours: tuple[str, str] | None = None,
    summary_line: bool = True,
    footnote: bool | str = True,
    source: str = "pooled table",
    rob: RobColumns | None = None,
    max_rows: int | None = None,
) -> list[Figure]:
    """Forest plot of a pooled table (DESIGN.md "Pooled"), never re-fitting the model, as pages.

    Parameters
    ----------
    pooled
        The table ``evidence.pooling`` writes: one row per study (``row_type == "study"``), per
        subgroup (``"subgroup"``), ``"overall"`` and ``"subgroup_test"``. Study rows are grouped by
        ``group`` in order of first appearance; the plot uses the natural-unit ``*_bt`` columns.
    title, xlabel
        Figure title; x-axis label (default from ``measure``, e.g. "Proportion (%)").
    digits
        Decimals printed (default 1 for proportions in percent, 2 otherwise).
    xlim
        x limits in printed units (percent for proportions); CIs beyond them end in arrows.
    weights
        ``"overall"`` prints and sizes squares by ``weight_overall``, ``"subgroup"`` by ``weight``
        (percent within the subgroup); ``"auto"`` uses ``weight_overall`` when every study has one.
    prediction
        Prediction-interval bars for ``"overall"`` (default), ``"all"`` (also subgroups) or ``"none"``.
    group_labels
        Display names of groups; defaults to :data:`figures.formatting.GROUP_LABELS`
        (``"ert"`` -> "External radiation therapy (ERT)"), else the code as written.
    label_width
        Labels longer than this many characters are wrapped.
    plot_width
        Width of the plotting panel in inches; the figure width follows from the text.
    favours
        Optional ``("Favours A", "Favours B")`` printed under the axis, left and right of the null.
    summary_line
        Dotted vertical line at the overall estimate.
    footnote
        ``True`` for a model description under the plot, a string for your own, ``False`` for none.
    rob
        Risk-of-bias columns right of the plot, one per domain, as R meta's ``rob=``
        (:func:`rob_columns` builds them from the assessments).
    max_rows
        Most rows on one page (``plots.forest_max_rows``); more are split over pages that share
        one x axis (:func:`figures._layout.paginate`). None: one page, however long.

    Returns
    -------
    list of matplotlib.figure.Figure
        The pages, each sized in inches from its content (height grows with its rows).
    """
    df = check_pooled(pooled, source)
    measure = str(df["measure"].iloc[0])
    info = measure_info(measure)
    d = estimate_digits(measure, digits)
    f = info.factor
    level = _level(df)
    group_labels = dict(group_labels or {})
    if weights not in ("auto", "overall", "subgroup"):
        raise ValueError(f"Invalid weights {weights!r}; must be one of ['auto', 'overall', 'subgroup'].")
    if prediction not in ("overall", "all", "none"):
        raise ValueError(f"Invalid prediction {prediction!r}; must be one of ['overall', 'all', 'none'].")

    studies = df[df["row_type"] == "study"]
    subgroups = df[df["row_type"] == "subgroup"]
    overall = df[df["row_type"] == "overall"]
    sgtest = df[df["row_type"] == "subgroup_test"]
    wcol = weight_column(df, weights)

    groups: list[object] = list(dict.fromkeys(studies["group"].tolist()))
    use_groups = len(subgroups) > 0 and (len(groups) > 1 or overall.empty)

    has_events = studies["events"].notna().any() and studies["total"].notna().any()
    has_mean = studies["mean"].notna().any()
    has_n = not has_events and studies["n"].notna().any()
    columns = [Column("label", "Study", "left", "left")]
    if has_events:
        columns.append(Column("events", "Events/Total", "left", "right"))
    if has_n:
        columns.append(Column("n", "N", "left", "right"))
    if has_mean:
        columns.append(Column("mean_sd", "Mean (SD)", "left", "right"))
    columns.append(Column("estimate", f"{info.short}\n[{_level_text(level)} CI]", "right", "right"))
    if studies[wcol].notna().any():
        columns.append(Column("weight", "Weight", "right", "right"))
    if rob is not None:
        badges = {lv: (LEVEL_SYMBOLS[lv], LEVEL_COLOURS[lv]) for lv in LEVEL_SYMBOLS}
        columns.extend(Column(f"rob_{code}", "RoB" if code == "overall" and len(rob.domains) == 1 else
                              ("O" if code == "overall" else code), "right", "center", badges)
                       for code in rob.domains)  # fmt: skip

    def counts(sub: pd.DataFrame, summary_row: pd.Series | None) -> dict[str, str]:
        cells: dict[str, str] = {}
        if has_events:
            ev = _f(summary_row["events"]) if summary_row is not None else math.nan
            tot = _f(summary_row["total"]) if summary_row is not None else math.nan
            ev = ev if math.isfinite(ev) else sub["events"].sum(min_count=1)
            tot = tot if math.isfinite(tot) else sub["total"].sum(min_count=1)
            if pd.notna(ev) and pd.notna(tot):
                cells["events"] = f"{format_count(ev)}/{format_count(tot)}"
        if has_n:
            n = _f(summary_row["n"]) if summary_row is not None else math.nan
            n = n if math.isfinite(n) else sub["n"].sum(min_count=1)
            cells["n"] = format_count(n)
        return cells

    def study_row(s: pd.Series, indent: int) -> Row:
        cells: dict[str, str] = {}
        if has_events and pd.notna(s["events"]) and pd.notna(s["total"]):
            cells["events"] = f"{format_count(s['events'])}/{format_count(s['total'])}"
        if has_n:
            cells["n"] = format_count(s["n"])
        if has_mean and pd.notna(s["mean"]):
            cells["mean_sd"] = format_number(s["mean"], d)
            if pd.notna(s["sd"]):
                cells["mean_sd"] += f" ({format_number(s['sd'], d)})"
        cells["estimate"] = estimate_text(s, measure, d)
        cells["weight"] = format_weight(s[wcol])
        if rob is not None:
            for domain, judged in rob.levels.get(str(s["study_id"]), {}).items():
                cells[f"rob_{domain}"] = judged
        label = s["slab"] if s["slab"] else (s["study_id"] or "")
        return Row("study", str(label), cells, _f(s["estimate_bt"]) * f, _f(s["ci_lb_bt"]) * f,
                   _f(s["ci_ub_bt"]) * f, weight=_f(s[wcol]), indent=indent)  # fmt: skip

    def summary_rows(s: pd.Series, label: str, kind: str, sub: pd.DataFrame, weight: str,
                     pi: bool, gid: str, indent: int) -> list[Row]:  # fmt: skip
        cells = counts(sub, s)
        cells["estimate"] = estimate_text(s, measure, d)
        cells["weight"] = weight
        out = [Row(kind, label, cells, _f(s["estimate_bt"]) * f, _f(s["ci_lb_bt"]) * f,
                   _f(s["ci_ub_bt"]) * f, bold=True, gid=gid, indent=indent)]  # fmt: skip
        if pi and math.isfinite(_f(s["pi_lb_bt"])) and math.isfinite(_f(s["pi_ub_bt"])):
            out.append(Row("pi", "Prediction interval", {"estimate": prediction_text(s, measure, d)},
                           _f(s["estimate_bt"]) * f, _f(s["pi_lb_bt"]) * f, _f(s["pi_ub_bt"]) * f,
                           gid=f"{gid.replace('diamond', 'prediction-interval')}", indent=indent))  # fmt: skip
        k = _f(s["k"])
        if not (math.isfinite(k) and k < 2) and math.isfinite(_f(s["qe"])):
            out.append(Row("note", format_heterogeneity(s["tau2"], s["i2"], s["qe"], s["qe_df"],
                                                        s["qe_pval"]), indent=indent))  # fmt: skip
        return out

    rows: list[Row] = []
    has_pi = False
    if use_groups:
        for gi, g in enumerate(groups):
            sub = studies[studies["group"].eq(g) if g is not None else studies["group"].isna()]
            name = group_label(g, group_labels)
            if gi:
                rows.append(Row("blank", height=0.6))
            rows.append(Row("header", name, bold=True, gid="group-header"))
            rows.extend(study_row(s, 1) for _, s in sub.iterrows())
            srow = subgroups[subgroups["group"].eq(g)] if g is not None else subgroups.iloc[0:0]
            if len(srow):
                s = srow.iloc[0]
                k = _f(s["k"]) if math.isfinite(_f(s["k"])) else len(sub)
                wsum = s["weight_overall"] if pd.notna(s["weight_overall"]) else sub[wcol].sum(min_count=1)
                wtxt = format_weight(wsum if wcol == "weight_overall" else 100.0)
                pi = prediction == "all"
                has_pi |= pi and math.isfinite(_f(s["pi_lb_bt"]))
                rows.extend(summary_rows(s, f"Subtotal (k = {k:.0f})", "subsummary", sub, wtxt, pi,
                                         f"diamond-subgroup-{g}", 1))  # fmt: skip
        if len(overall):
            rows.append(Row("blank", height=0.6))
    else:
        rows.extend(study_row(s, 0) for _, s in studies.iterrows())
    summary_x = None
    if len(overall):
        s = overall.iloc[0]
        k = _f(s["k"]) if math.isfinite(_f(s["k"])) else len(studies)
        pi = prediction in ("overall", "all")
        has_pi |= pi and math.isfinite(_f(s["pi_lb_bt"]))
        rows.extend(summary_rows(s, f"Overall (k = {k:.0f})", "summary", studies,
                                 format_weight(100.0), pi, "diamond-overall", 0))  # fmt: skip
        summary_x = _f(s["estimate_bt"]) * f if summary_line else None
    if use_groups and len(sgtest):
        s = sgtest.iloc[0]
        rows.append(Row("note", format_subgroup_test(s["qm"], s["qm_df"], s["qm_pval"])))

    note = None
    if footnote is True:
        note = _model_note(df, level, has_pi, info)
        if rob is not None:
            note += " " + rob.legend
    elif isinstance(footnote, str):
        note = footnote
    axis = Axis(
        info.scale,
        info.null,
        xlabel if xlabel is not None else info.name + (" (log scale)" if info.scale == "log" else ""),
        tuple(xlim) if xlim is not None else None,  # type: ignore[arg-type]
    )
    return draw_forest_pages(rows, columns, axis, max_rows=max_rows, title=title, footnote=note,
                             plot_width=plot_width, label_width=label_width, fontsize=fontsize,
                             summary_x=summary_x, favours=favours)  # fmt: skip


@dataclass(frozen=True)
class RobColumns:
    """Risk-of-bias columns of a forest plot: domain codes in order, study_id -> {domain: level}
    (levels of :mod:`evidence.appraisal.tools`), and the legend printed under the plot."""

    domains: tuple[str, ...]
    levels: Mapping[str, Mapping[str, str]]
    legend: str


def rob_columns(assessments: pd.DataFrame, study_ids: Sequence[str]) -> RobColumns | None:
    """The columns for the studies of one forest plot: every domain when all its assessed studies
    used one tool, else the overall judgement only (the traffic-light plot has the domains)."""
    from evidence.appraisal.tools import tool

    sub = assessments[assessments["study_id"].isin(list(study_ids))]
    if sub.empty:
        return None
    tools = sorted(set(sub["tool"]))
    symbols = "; ".join(f"{LEVEL_SYMBOLS[lv]} {name}" for lv, name in
                        (("low", "low"), ("some", "some concerns"), ("high", "high"), ("none", "no information")))
    if len(tools) == 1:
        t = tool(tools[0])
        domains = tuple(d for d in t.domain_codes if d in set(sub["domain"]))
        key = "; ".join(f"{d.code} {d.label.lower()}" for d in t.domains if d.code in domains)
        legend = f"Risk of bias ({t.name}): {key}; O overall ({symbols})."
    else:
        domains = ("overall",)
        names = ", ".join(tool(c).name for c in tools)
        legend = f"RoB: overall risk of bias ({names}; domains in the traffic-light plot; {symbols})."
    levels: dict[str, dict[str, str]] = {}
    for r in sub.itertuples():
        if r.domain in domains:
            levels.setdefault(r.study_id, {})[r.domain] = r.level
    return RobColumns(domains, levels, legend)


def weight_column(pooled: pd.DataFrame, weights: str = "auto") -> str:
    """Which weight column a forest plot prints: ``weight_overall`` or ``weight``."""
    studies = pooled[pooled["row_type"] == "study"]
    has_overall = "weight_overall" in pooled.columns and studies["weight_overall"].notna().all()
    if weights == "overall" or (weights == "auto" and has_overall):
        return "weight_overall" if has_overall else "weight"
    return "weight"


def _sensitivity_plot(
    table: pd.DataFrame,
    kind: str,
    *,
    measure: str | None,
    overall: Mapping[str, object] | pd.Series | None,
    title: str | None,
    xlabel: str | None,
    digits: int | None,
    xlim: tuple[float, float] | None,
    label_width: int,
    plot_width: float,
    source: str,
    max_rows: int | None = None,
) -> list[Figure]:
    if measure is None:
        if "measure" not in table.columns or table["measure"].dropna().empty:
            raise ValueError(f"{source}: no 'measure' column and no measure= given.")
        measure = str(table["measure"].dropna().iloc[0])
    info = measure_info(measure)
    table = add_backtransformed(table, info.code, source)
    df = check_sensitivity(table, source)
    d = estimate_digits(measure, digits)
    f = info.factor
    has_k = df["k"].notna().any()
    has_i2 = df["i2"].notna().any()
    has_tau2 = df["tau2"].notna().any()
    columns = [Column("label", "Omitted study" if kind == "loo" else "Study added", "left", "left")]
    if has_k:
        columns.append(Column("k", "k", "left", "right"))
    if has_tau2:
        columns.append(Column("tau2", "\u03c4\u00b2", "right", "right"))
    if has_i2:
        columns.append(Column("i2", "I\u00b2", "right", "right"))
    level = _level(df)
    columns.append(Column("estimate", f"{info.short}\n[{_level_text(level)} CI]", "right", "right"))
    rows: list[Row] = []
    for _, s in df.iterrows():
        cells = {"estimate": format_estimate(_f(s["estimate_bt"]) * f, _f(s["ci_lb_bt"]) * f,
                                             _f(s["ci_ub_bt"]) * f, d)}  # fmt: skip
        if has_k:
            cells["k"] = format_count(s["k"])
        if has_tau2:
            cells["tau2"] = format_tau2(s["tau2"])
        if has_i2:
            cells["i2"] = format_i2(s["i2"])
        label = ("\u2212 " if kind == "loo" else "+ ") + str(s["slab"])
        rows.append(Row("point", label, cells, _f(s["estimate_bt"]) * f, _f(s["ci_lb_bt"]) * f,
                        _f(s["ci_ub_bt"]) * f))  # fmt: skip
    summary_x = None
    if overall is not None:
        o = pd.Series(overall)
        for col in ("estimate", "ci_lb", "ci_ub"):
            if col + "_bt" not in o.index or pd.isna(o.get(col + "_bt")):
                o[col + "_bt"] = o.get(col)
        cells = {"estimate": estimate_text(o, measure, d)}
        if has_k and "k" in o.index:
            cells["k"] = format_count(o["k"])
        if has_tau2 and "tau2" in o.index:
            cells["tau2"] = format_tau2(o["tau2"])
        if has_i2 and "i2" in o.index:
            cells["i2"] = format_i2(o["i2"])
        rows.append(Row("blank", height=0.5))
        rows.append(Row("summary", "All studies", cells, _f(o["estimate_bt"]) * f,
                        _f(o["ci_lb_bt"]) * f, _f(o["ci_ub_bt"]) * f, bold=True,
                        gid="diamond-overall"))  # fmt: skip
        summary_x = _f(o["estimate_bt"]) * f
    axis = Axis(
        info.scale,
        info.null,
        xlabel if xlabel is not None else info.name + (" (log scale)" if info.scale == "log" else ""),
        tuple(xlim) if xlim is not None else None,  # type: ignore[arg-type]
    )
    what = "leaving out one study at a time" if kind == "loo" else "adding studies in the order listed"
    note = f"Each line is the pooled estimate with its {_level_text(level)} CI, {what}."
    return draw_forest_pages(rows, columns, axis, max_rows=max_rows, title=title, footnote=note,
                             plot_width=plot_width, label_width=label_width, summary_x=summary_x)  # fmt: skip


_TRANSF = {
    "PLO": lambda x: 1 / (1 + np.exp(-x)),
    "PAS": lambda x: np.sin(np.clip(x, 0, np.pi / 2)) ** 2,
    "OR": np.exp, "RR": np.exp, "IRR": np.exp, "ROM": np.exp,
    "ZCOR": np.tanh,
}  # fmt: skip
"""Presentation back-transforms (metafor ``transf=``) for tables that lack ``*_bt`` columns."""


def add_backtransformed(table: pd.DataFrame, measure: str, source: str = "table") -> pd.DataFrame:
    """Return ``table`` with ``estimate_bt, ci_lb_bt, ci_ub_bt`` (and ``pi_*_bt``) filled in.

    Columns already present are kept. Missing ones are computed from the model-scale columns
    with the measure's inverse transform (expit for PLO, exp for log ratios, identity for means
    and differences). PFT needs each fit's sample size, so its ``*_bt`` columns must be given.
    """
    out = table.copy()
    code = measure.upper()
    for col in ("estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub"):
        if col not in out.columns or (col + "_bt" in out.columns and out[col + "_bt"].notna().any()):
            continue
        if code == "PFT":
            raise ValueError(f"{source}: measure PFT needs column '{col}_bt' (back-transformed).")
        f = _TRANSF.get(code, lambda x: x)
        out[col + "_bt"] = f(pd.to_numeric(out[col], errors="coerce").to_numpy(dtype=float))
    return out


def loo_plot(
    table: pd.DataFrame,
    *,
    measure: str | None = None,
    overall: Mapping[str, object] | pd.Series | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    digits: int | None = None,
    xlim: tuple[float, float] | None = None,
    label_width: int = 34,
    plot_width: float = 2.0,
    source: str = "leave-one-out table",
) -> Figure:
    """Leave-one-out forest plot (metafor ``forest(leave1out(res))``).

    ``table`` has one row per omitted study, in plotting order, with columns

    * ``slab``: the omitted study's label;
    * ``estimate, ci_lb, ci_ub``: the pooled estimate without that study (model scale);
    * optional ``estimate_bt, ci_lb_bt, ci_ub_bt``: the same in natural units; when absent they
      are computed with the measure's inverse transform (see :func:`add_backtransformed`;
      ``evidence.diagnostics.leave_one_out`` output can be passed as it is, except for PFT);
    * optional ``k, tau2, i2`` (printed when present), ``measure`` (unless ``measure=`` is given),
      ``level``.

    ``overall`` is the pooled table's overall row (or any mapping with the same columns); it adds
    an "All studies" diamond and a dotted reference line.
    """
    return _sensitivity_plot(table, "loo", measure=measure, overall=overall, title=title,
                             xlabel=xlabel, digits=digits, xlim=xlim, label_width=label_width,
                             plot_width=plot_width, source=source)[0]  # fmt: skip


def cumulative_plot(
    table: pd.DataFrame,
    *,
    measure: str | None = None,
    overall: Mapping[str, object] | pd.Series | None = None,
    title: str | None = None,
    xlabel: str | None = None,
    digits: int | None = None,
    xlim: tuple[float, float] | None = None,
    label_width: int = 34,
    plot_width: float = 2.0,
    source: str = "cumulative table",
) -> Figure:
    """Cumulative forest plot (metafor ``forest(cumul(res))``).

    ``table`` has one row per step, in the order studies were added (e.g. by year), with columns

    * ``slab``: the study added at that step;
    * ``estimate, ci_lb, ci_ub``: the pooled estimate of the studies up to and including it;
    * optional ``estimate_bt, ci_lb_bt, ci_ub_bt`` (natural units), ``k, tau2, i2``,
      ``measure``, ``level``; see :func:`loo_plot`.
    """
    return _sensitivity_plot(table, "cumulative", measure=measure, overall=overall, title=title,
                             xlabel=xlabel, digits=digits, xlim=xlim, label_width=label_width,
                             plot_width=plot_width, source=source)[0]  # fmt: skip


def sensitivity_pages(table: pd.DataFrame, kind: str, *, max_rows: int | None, **kwargs: Any) -> list[Figure]:
    """A leave-one-out (``kind="loo"``) or cumulative plot as pages of at most ``max_rows`` rows.

    ``kwargs``: the options of :func:`loo_plot` / :func:`cumulative_plot`.
    """
    if kind not in ("loo", "cumulative"):
        raise ValueError(f"Invalid kind {kind!r}; must be one of ['loo', 'cumulative'].")
    options = {"measure": None, "overall": None, "title": None, "xlabel": None, "digits": None, "xlim": None,
               "label_width": 34, "plot_width": 2.0, "source": f"{kind} table", **kwargs}
    return _sensitivity_plot(table, kind, max_rows=max_rows, **options)


def expected_texts(pooled: pd.DataFrame, digits: int | None = None, weights: str = "auto") -> list[str]:
    """Every estimate / interval / weight string a forest plot of ``pooled`` must show.

    Recomputed from the table's columns with the same formatting functions; used by tests and
    by anyone checking a figure against its table.
    """
    df = check_pooled(pooled)
    measure = str(df["measure"].iloc[0])
    out: list[str] = []
    wcol = weight_column(df, weights)
    for _, r in df.iterrows():
        if r["row_type"] in ("study", "subgroup", "overall"):
            out.append(estimate_text(r, measure, digits))
        if r["row_type"] == "study" and pd.notna(r[wcol]):
            out.append(format_weight(r[wcol]))
        if r["row_type"] == "overall" and np.isfinite(_f(r["pi_lb_bt"])):
            out.append(prediction_text(r, measure, digits))
    return out
