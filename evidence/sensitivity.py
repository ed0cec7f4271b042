"""Sensitivity analyses and small-study checks of one pooled analysis.

From the study rows of a pooled table (``yi, vi``), refit the overall model and report:
leave-one-out estimates, the estimate under every tau² estimator (and fixed effects), Egger's
regression test and trim-and-fill (only when k >= 10, as the Cochrane Handbook advises; with fewer
studies the result says so instead of giving an underpowered test), and the rank-correlation test.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from evidence.diagnostics import cumulative, leave_one_out, rank_test, regtest, trim_and_fill
from evidence.models import METHODS, backtransform, fit_rma

MIN_K_SMALL_STUDY = 10
"""Fewest studies for funnel-asymmetry tests (Sterne et al. 2011, BMJ 343:d4002)."""


def _clean(value: Any) -> Any:
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def _bt(value: float, measure: str) -> float | None:
    return _clean(backtransform(value, measure)) if measure != "PFT" else None


def sensitivity(pooled: pd.DataFrame, method: str = "REML", test: str = "knha",
                level: float = 95, high_risk: set[str] | None = None) -> tuple[dict[str, Any], pd.DataFrame]:
    """Run the checks on the study rows of ``pooled``; returns (summary dict, leave-one-out table).

    ``high_risk``: studies at high overall risk of bias; when given, the summary's
    ``without_high_risk`` holds the overall model refitted without them.
    """
    studies = pooled[pooled["row_type"] == "study"]
    studies = studies[np.isfinite(studies["yi"].astype(float)) & np.isfinite(studies["vi"].astype(float))]
    measure = str(pooled["measure"].iloc[0]).upper() if len(pooled) else "GEN"
    out: dict[str, Any] = {"analysis": pooled["analysis"].iloc[0] if len(pooled) else None,
                           "measure": measure, "k": int(len(studies)), "method": method,
                           "test": test, "level": level}
    loo = pd.DataFrame(columns=["slab", "estimate", "ci_lb", "ci_ub", "estimate_bt", "ci_lb_bt",
                                "ci_ub_bt", "tau2", "i2"])
    if len(studies) == 0:
        out["note"] = "k = 0: nothing to check"
        return out, loo
    yi, vi = studies["yi"].to_numpy(float), studies["vi"].to_numpy(float)
    slab = studies["slab"].astype(str).tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = fit_rma(yi, vi, method=method, test=test, level=level, slab=slab, measure=measure)
        out["estimators"] = {}
        for name in (m for m in METHODS if m != "EE"):
            try:
                alt = fit_rma(yi, vi, method=name, test=test, level=level, measure=measure)
            except ValueError as exc:
                out["estimators"][name] = {"error": str(exc)}
                continue
            out["estimators"][name] = {key: _clean(val) for key, val in {
                "estimate": alt.estimate, "ci_lb": alt.ci_lb, "ci_ub": alt.ci_ub, "tau2": alt.tau2,
                "estimate_bt": _bt(alt.estimate, measure), "ci_lb_bt": _bt(alt.ci_lb, measure),
                "ci_ub_bt": _bt(alt.ci_ub, measure)}.items()}
        if high_risk is not None:
            out["without_high_risk"] = _without(studies, high_risk, method, test, level, measure)
        if fit.k >= 2:
            loo = leave_one_out(fit)
            for col in ("estimate", "ci_lb", "ci_ub"):
                loo[f"{col}_bt"] = [_bt(v, measure) for v in loo[col]]
        if fit.k >= MIN_K_SMALL_STUDY:
            egger = regtest(fit)
            out["egger"] = {"intercept": _clean(egger.est), "slope": _clean(egger.fit.estimate[1]),
                            "zval": _clean(egger.zval), "pval": _clean(egger.pval),
                            "model": egger.model, "predictor": egger.predictor}
            rank = rank_test(fit)
            out["ranktest"] = {"tau": _clean(rank.tau), "pval": _clean(rank.pval)}
            tf = trim_and_fill(fit)
            out["trimfill"] = {"k0": int(tf.k0), "side": tf.side,
                               "estimate": _clean(tf.fit.estimate), "ci_lb": _clean(tf.fit.ci_lb),
                               "ci_ub": _clean(tf.fit.ci_ub),
                               "estimate_bt": _bt(tf.fit.estimate, measure)}
        else:
            out["small_study_note"] = (
                f"k = {fit.k} < {MIN_K_SMALL_STUDY}: Egger's test, the rank test and trim-and-fill "
                "are not run (too few studies to assess funnel asymmetry)")
    return out, loo


def _without(studies: pd.DataFrame, high_risk: set[str], method: str, test: str, level: float,
             measure: str) -> dict[str, Any]:
    """The overall model without the studies at high risk of bias (or why it cannot be fitted)."""
    drop = studies["study_id"].astype(str).isin(high_risk)
    kept = studies[~drop]
    out: dict[str, Any] = {"excluded": sorted(set(studies.loc[drop, "study_id"].astype(str))), "k": int(len(kept)),
                           "test": test if len(kept) > 1 else "z"}
    if len(kept) == 0:
        out["note"] = "every study is at high risk of bias: nothing left to pool"
        return out
    try:
        alt = fit_rma(kept["yi"].to_numpy(float), kept["vi"].to_numpy(float), method=method,
                      test=test if len(kept) > 1 else "z", level=level, measure=measure)
    except ValueError as exc:
        out["note"] = str(exc)
        return out
    out.update({key: _clean(val) for key, val in {
        "estimate": alt.estimate, "ci_lb": alt.ci_lb, "ci_ub": alt.ci_ub, "tau2": alt.tau2,
        "estimate_bt": _bt(alt.estimate, measure), "ci_lb_bt": _bt(alt.ci_lb, measure),
        "ci_ub_bt": _bt(alt.ci_ub, measure)}.items()})
    return out


def cumulative_by_year(pooled: pd.DataFrame, years: dict[str, float], method: str = "REML",
                       test: str = "knha", level: float = 95) -> pd.DataFrame:
    """Cumulative meta-analysis of the study rows of ``pooled``, adding studies by publication year
    (then study id); studies with no year come last. Columns as :func:`evidence.diagnostics.cumulative`
    plus ``year`` and the natural-unit ``*_bt`` columns."""
    studies = pooled[pooled["row_type"] == "study"]
    studies = studies[np.isfinite(studies["yi"].astype(float)) & np.isfinite(studies["vi"].astype(float))]
    columns = ["slab", "year", "k", "estimate", "ci_lb", "ci_ub", "estimate_bt", "ci_lb_bt", "ci_ub_bt", "tau2", "i2"]
    if len(studies) < 2:
        return pd.DataFrame(columns=columns)
    measure = str(pooled["measure"].iloc[0]).upper()
    ids = studies["study_id"].astype(str).tolist()
    year = [years.get(i, math.inf) for i in ids]
    order = sorted(range(len(ids)), key=lambda j: (year[j], ids[j]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = fit_rma(studies["yi"].to_numpy(float), studies["vi"].to_numpy(float), method=method, test="z",
                      level=level, slab=studies["slab"].astype(str).tolist(), measure=measure)
        # knha needs k >= 2 for every step: the first step (k = 1) is a z interval
        table = cumulative(fit, order)
        if test == "knha":
            for j in range(1, len(order)):
                sub = [order[i] for i in range(j + 1)]
                alt = fit_rma(studies["yi"].to_numpy(float)[sub], studies["vi"].to_numpy(float)[sub],
                              method=method, test=test, level=level, measure=measure)
                table.loc[j, ["estimate", "ci_lb", "ci_ub"]] = [alt.estimate, alt.ci_lb, alt.ci_ub]
    table["year"] = [None if math.isinf(year[j]) else year[j] for j in order]
    for col in ("estimate", "ci_lb", "ci_ub"):
        table[f"{col}_bt"] = [_bt(v, measure) for v in table[col]]
    table["measure"] = measure
    return table[columns + ["measure"]]
