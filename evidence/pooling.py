"""Pool one analysis of the harmonized effects table by treatment class.

``pool_outcome(effects, analysis, measure)`` selects the included rows of one analysis, computes
the effect sizes (``evidence.effects``), fits one model per treatment class and an overall model,
tests the subgroup differences, and returns the DESIGN.md "Pooled" table plus a JSON-able dict in
the ``fit.json`` layout of ``python -m evidence pool``.

Row types of the pooled table:

* ``study``: one per study arm; ``estimate/se/ci`` are the study's own ``yi``, ``sqrt(vi)`` and
  Wald interval at the model's level; ``weight`` is the percent weight within its subgroup,
  ``weight_overall`` within the overall model.
* ``subgroup``: one per treatment class (its own tau²).
* ``overall``: all included studies; its ``qm, qm_df, qm_pval`` are the moderator test of the
  mixed-effects model with a common tau² (metafor ``mods = ~ factor(treatment_class)``;
  ``qm_df`` holds the numerator df, the JSON also the denominator df for ``knha``).
* ``subgroup_test``: the test for subgroup differences with separate tau² per subgroup (Q between
  in ``qm, qm_df, qm_pval``), present when there are at least two subgroups.

``model`` chooses the fit (one :class:`~evidence.fits.MetaFit` shape for all, so the table keeps
its columns): ``"rma"`` (``rma.uni``, default), ``"glmm"`` (random-effects logistic regression
for proportions, ``rma.glmm``; study rows show the escalc PLO values and the table's measure is
PLO), ``"mh"`` / ``"peto"`` (two-group OR/RR/RD, ``rma.mh`` / ``rma.peto``), ``"multilevel"``
(``rma.mv`` with random effects for study and arm within study; ``robust=True`` adds
cluster-robust SEs by study). For models other than ``rma`` the overall row's ``qm`` (moderator
test with a common heterogeneity) is given for ``multilevel`` only; the test for subgroup
differences (Q between separate fits) is given for all.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from evidence.effects import MEASURES, compute_effects
from evidence.fits import MetaFit
from evidence.models import RmaResult, backtransform, fit_rma, json_clean, transf_ipft
from evidence.subgroups import SubgroupResult, fit_subgroups

__all__ = ["POOLED_COLUMNS", "POOL_MODELS", "ARMS", "pool_outcome", "read_include",
           "fit_dataset", "fit_model"]

#: values of ``model`` (CLI ``--model``)
POOL_MODELS: tuple[str, ...] = ("rma", "glmm", "mh", "peto", "multilevel")
#: values of ``arms`` (which arms of one study and class are pooled; harmonisation decides)
ARMS: tuple[str, ...] = ("largest", "all")
PROPORTIONS = ("PR", "PLO", "PAS", "PFT")
TWO_GROUP = ("OR", "RR", "RD")

POOLED_COLUMNS: list[str] = (
    "analysis, measure, method, test, level, row_type, group, study_id, slab, k, n, events, total, "
    "mean, sd, yi, vi, weight, weight_overall, estimate, se, ci_lb, ci_ub, pi_lb, pi_ub, "
    "estimate_bt, ci_lb_bt, ci_ub_bt, pi_lb_bt, pi_ub_bt, tau2, i2, h2, qe, qe_df, qe_pval, qm, "
    "qm_df, qm_pval, unit"
).split(", ")

_TRUE = {"true", "t", "1", "yes", "y"}
_FALSE = {"false", "f", "0", "no", "n", ""}


def read_include(values: pd.Series) -> pd.Series:
    """Parse an ``include`` column (bool, 0/1 or true/false strings) to booleans."""

    def parse(x: Any) -> bool:
        if isinstance(x, (bool, np.bool_)):
            return bool(x)
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return False
        if isinstance(x, (int, float, np.integer, np.floating)):
            return bool(x)
        s = str(x).strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise ValueError(f"include: value {x!r} is not true/false.")

    return values.map(parse).astype(bool)


def _unit(row: pd.Series) -> str | None:
    """What a study row's ``n`` counts (effects column ``unit``; empty = patients), None if unknown."""
    if "unit" not in row.index:
        return None
    unit = row["unit"]
    return "patients" if unit is None or (isinstance(unit, float) and math.isnan(unit)) or unit == "" else str(unit)


def _units_of(rows: pd.DataFrame) -> str | None:
    """The unit of a summary row: the one unit of its studies, or them joined by '+' when mixed."""
    units = sorted({u for u in (_unit(r) for _, r in rows.iterrows()) if u})
    return "+".join(units) if units else None


def _sample_size(df: pd.DataFrame) -> np.ndarray:
    if "ni" in df and df["ni"].notna().any():
        return pd.to_numeric(df["ni"], errors="coerce").to_numpy(float)
    if {"n1i", "n2i"} <= set(df.columns):
        return (pd.to_numeric(df["n1i"], errors="coerce") + pd.to_numeric(df["n2i"], errors="coerce")).to_numpy(float)
    if {"ai", "bi", "ci", "di"} <= set(df.columns):
        return df[["ai", "bi", "ci", "di"]].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=4).to_numpy(float)
    return np.full(len(df), np.nan)


def fit_dataset(
    es: pd.DataFrame,
    measure: str,
    method: str = "REML",
    test: str = "z",
    level: float = 95,
    group_col: str | None = None,
    slab_col: str = "slab",
) -> tuple[RmaResult, SubgroupResult | None, dict]:
    """Fit the overall model (and subgroups if ``group_col`` is given) on a table with ``yi, vi``.

    Returns ``(overall, subgroups, fit_json)`` where ``fit_json`` is the ``fit.json`` layout.
    """
    measure = measure.upper()
    slab = es[slab_col].astype(str).tolist() if slab_col in es else None
    ni = _sample_size(es) if measure == "PFT" else None
    overall = fit_rma(es["yi"], es["vi"], method=method, test=test, level=level, slab=slab,
                      measure=measure, ni=ni)
    out = overall.to_dict()
    sg = None
    if group_col is not None and group_col in es:
        sg = fit_subgroups(es["yi"], es["vi"], es[group_col].where(es[group_col].notna(), None),
                           method=method, test=test, level=level, slab=slab, measure=measure,
                           ni=ni)
        out["group_col"] = group_col
        out["subgroups"] = {lv: sg.fits[lv].to_dict() for lv in sg.levels}
        out.update(
            qm=sg.qm, qm_df=list(sg.qm_df) if sg.qm_df else None, qm_pval=sg.qm_pval,
            tau2_common=sg.tau2_common, q_between=sg.q_between, q_between_df=sg.q_between_df,
            q_between_pval=sg.q_between_pval,
        )
        out["warnings"] = list(out.get("warnings", [])) + list(sg.warnings)
    return overall, sg, json_clean(out)


def _two_by_two(es: pd.DataFrame) -> list[np.ndarray]:
    a = pd.to_numeric(es["ai"], errors="coerce").to_numpy(float)
    c = pd.to_numeric(es["ci"], errors="coerce").to_numpy(float)
    if "bi" in es and es["bi"].notna().any():
        b = pd.to_numeric(es["bi"], errors="coerce").to_numpy(float)
        d = pd.to_numeric(es["di"], errors="coerce").to_numpy(float)
    else:
        b = pd.to_numeric(es["n1i"], errors="coerce").to_numpy(float) - a
        d = pd.to_numeric(es["n2i"], errors="coerce").to_numpy(float) - c
    return [a, b, c, d]


def fit_model(
    es: pd.DataFrame, model: str, measure: str, method: str = "REML", test: str = "z",
    level: float = 95, slab_col: str = "slab", study_col: str = "study_id",
    arm_col: str = "arm_id", nagq: int = 7, robust: bool = False,
) -> MetaFit:
    """Fit one ``model`` (see the module docstring) to the rows of ``es`` (escalc output plus
    the raw columns). ``method``/``test`` are mapped to what the model supports: GLMM fits by ML
    (FE/EE: common effect), multilevel by REML (or ML), MH/Peto are common-effect z tests;
    ``test="knha"`` becomes metafor's ``test="t"`` for GLMM and multilevel."""
    slab = es[slab_col].astype(str).tolist() if slab_col in es else None
    tt = "t" if test in ("knha", "t") else "z"
    if model == "rma":
        ni = _sample_size(es) if measure == "PFT" else None
        return fit_rma(es["yi"], es["vi"], method=method, test=test, level=level, slab=slab,
                       measure=measure, ni=ni)
    if model == "glmm":
        from evidence.glmm import fit_glmm

        return fit_glmm(es["xi"], es["ni"], method="FE" if method in ("FE", "EE") else "ML",
                        test=tt, level=level, nagq=nagq, slab=slab)
    if model in ("mh", "peto"):
        from evidence.twogroup import fit_mh, fit_peto

        t = _two_by_two(es)
        if model == "peto":
            return fit_peto(*t, level=level, slab=slab)
        return fit_mh(*t, measure=measure, level=level, slab=slab)
    if model == "multilevel":
        from evidence.multilevel import fit_multilevel

        if study_col not in es:
            raise ValueError(f"model 'multilevel' needs the study column {study_col!r}.")
        arm = es[arm_col].tolist() if arm_col in es else None
        ni = _sample_size(es) if measure == "PFT" else None
        fit = fit_multilevel(es["yi"], es["vi"], es[study_col].tolist(), arm,
                             method="ML" if method == "ML" else "REML", test=tt, level=level,
                             measure=measure, slab=slab, ni=ni)
        if robust:
            try:
                fit = fit.robust()
            except ValueError as exc:
                warnings.warn(f"cluster-robust SEs not computed: {exc}", stacklevel=2)
        return fit
    raise ValueError(f"Invalid model '{model}'; must be one of {list(POOL_MODELS)}.")


def _model_subgroups(es: pd.DataFrame, group_col: str, fit_one, overall: MetaFit,
                     model: str, robust: bool, level: float) -> SubgroupResult:
    """Separate fits per level and the Q-between test (and, for multilevel, the moderator test
    with common variance components)."""
    groups = es[group_col]
    ok = groups.notna().to_numpy() & np.isfinite(es["yi"].to_numpy(float))
    levels = tuple(sorted(set(groups[ok].astype(str))))
    fits: dict[str, MetaFit] = {}
    msgs: list[str] = []
    for lv in levels:
        sub = es[ok & (groups.astype(str) == lv).to_numpy()]
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fits[lv] = fit_one(sub)
        msgs.extend(f"subgroup {lv}: {w.message}" for w in caught)
    qm = qm_df = qm_p = None
    qb = qb_df = qb_p = None
    if len(levels) >= 2:
        est = np.array([fits[lv].estimate for lv in levels])
        se = np.array([fits[lv].se for lv in levels])
        w = 1 / se**2
        b = float(np.sum(w * est) / np.sum(w))
        qb = float(np.sum(w * (est - b) ** 2))
        qb_df = len(levels) - 1
        qb_p = float(stats.chi2.sf(qb, qb_df))
        if model == "multilevel":
            from evidence.multilevel import fit_multilevel

            sub = es[ok]
            g = sub[group_col].astype(str).to_numpy()
            dummies = np.column_stack([(g == lv).astype(float) for lv in levels[1:]])
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    m = fit_multilevel(sub["yi"], sub["vi"], sub["study_id"].tolist(),
                                       sub["arm_id"].tolist() if "arm_id" in sub else None,
                                       mods=dummies, method=overall.method,
                                       test="t" if overall.stat_name == "t" else "z",
                                       level=level)
                    if robust:
                        m = m.robust()
                qm, qm_df, qm_p = m.extra["qm"], (m.extra["qm_df"], m.ddf), m.extra["qm_pval"]
            except ValueError as exc:
                msgs.append(f"moderator model not fitted: {exc}")
    return SubgroupResult(
        method=overall.method, test=overall.test, level=overall.level, measure=overall.measure,
        levels=levels, fits=fits, qm=qm, qm_df=qm_df, qm_pval=qm_p, tau2_common=None,
        q_between=qb, q_between_df=qb_df, q_between_pval=qb_p, warnings=tuple(msgs))


def _check_model(model: str, measure: str) -> str:
    model = str(model).lower()
    if model not in POOL_MODELS:
        raise ValueError(f"Invalid model '{model}'; must be one of {list(POOL_MODELS)}.")
    if model == "glmm" and measure not in PROPORTIONS:
        raise ValueError(f"model 'glmm' pools proportions (measure {'/'.join(PROPORTIONS)}); "
                         f"the analysis has measure {measure!r}.")
    if model == "mh" and measure not in TWO_GROUP:
        raise ValueError(f"model 'mh' pools two-group {'/'.join(TWO_GROUP)}; the analysis has "
                         f"measure {measure!r}.")
    if model == "peto" and measure != "OR":
        raise ValueError(f"model 'peto' pools odds ratios (measure OR); the analysis has "
                         f"measure {measure!r}.")
    return model


def pool_outcome(
    effects: pd.DataFrame,
    analysis: str,
    measure: str,
    method: str = "REML",
    test: str = "knha",
    level: float = 95,
    group_col: str = "treatment_class",
    model: str = "rma",
    nagq: int = 7,
    robust: bool = False,
) -> tuple[pd.DataFrame, dict]:
    """Pool the included rows of ``analysis`` overall and by ``group_col`` (see module docstring)."""
    measure = str(measure).upper()
    if measure not in MEASURES:
        raise ValueError(f"Invalid measure '{measure}'; must be one of {list(MEASURES)}.")
    model = _check_model(model, measure)
    if "analysis" not in effects:
        raise ValueError("effects table has no 'analysis' column.")
    rows = effects[effects["analysis"].astype(str) == str(analysis)].copy()
    if rows.empty:
        raise ValueError(f"No rows with analysis == {analysis!r} in the effects table.")
    if "include" in rows:
        rows = rows[read_include(rows["include"]).to_numpy()]
    if rows.empty:
        raise ValueError(f"Processing terminated since k = 0: no included rows for {analysis!r}.")
    if "measure" in rows:
        found = sorted(set(rows["measure"].dropna().astype(str).str.upper()))
        if found and found != [measure]:
            raise ValueError(
                f"analysis {analysis!r}: rows have measure {found}, but measure {measure!r} was asked."
            )
    rows = rows.reset_index(drop=True)
    if "slab" not in rows or rows["slab"].isna().all():
        rows["slab"] = rows["study_id"].astype(str) if "study_id" in rows else [
            str(i + 1) for i in range(len(rows))]
    if model == "glmm":  # study rows on the model's (logit) scale
        measure = "PLO"
    es = compute_effects(rows, measure)
    if model not in ("multilevel",) and "study_id" in es and group_col in es:
        inc = es[np.isfinite(es["yi"].to_numpy(float))]
        dup = inc.groupby([inc["study_id"].astype(str), inc[group_col].astype(str)]).size()
        if (dup > 1).any():
            warnings.warn(
                f"analysis {analysis!r}: {int((dup > 1).sum())} study/class pairs have several "
                f"included rows; model {model!r} treats them as independent (use model "
                "'multilevel' for dependent arms)", stacklevel=2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if model == "rma":
            overall, sg, fit_json = fit_dataset(es, measure, method, test, level, group_col)
        else:
            def fit_one(sub: pd.DataFrame) -> MetaFit:
                return fit_model(sub, model, measure, method, test, level, nagq=nagq,
                                 robust=robust)

            overall = fit_one(es)
            sg = None
            fit_json = overall.to_dict()
            if group_col in es:
                sg = _model_subgroups(es, group_col, fit_one, overall, model, robust, level)
                fit_json["group_col"] = group_col
                fit_json["subgroups"] = {lv: sg.fits[lv].to_dict() for lv in sg.levels}
                fit_json.update(
                    qm=sg.qm, qm_df=list(sg.qm_df) if sg.qm_df else None, qm_pval=sg.qm_pval,
                    q_between=sg.q_between, q_between_df=sg.q_between_df,
                    q_between_pval=sg.q_between_pval)
                fit_json["warnings"] = list(fit_json.get("warnings", [])) + list(sg.warnings)
            fit_json = json_clean(fit_json)
    for w in caught:
        warnings.warn(str(w.message), stacklevel=2)
    fit_json = {"analysis": analysis, "model": "rma.uni", **fit_json}  # metafor function

    ok = np.isfinite(es["yi"].to_numpy(float)) & np.isfinite(es["vi"].to_numpy(float))
    if group_col in es:
        ok_group = ok & es[group_col].notna().to_numpy()
    else:
        ok_group = np.zeros(len(es), dtype=bool)
    base = dict(analysis=analysis, measure=measure, method=overall.method, test=overall.test,
                level=overall.level)
    crit = float(stats.norm.ppf(1 - (1 - overall.level / 100) / 2))
    n_all = _sample_size(es)
    records: list[dict] = []

    w_overall = np.full(len(es), np.nan)
    w_overall[ok] = overall.weights
    w_group = np.full(len(es), np.nan)
    if sg is not None:
        groups = es[group_col].astype(str).to_numpy()
        for lv in sg.levels:
            sel = np.flatnonzero(ok_group & (groups == lv))
            w_group[sel] = sg.fits[lv].weights
    for i, r in es.iterrows():
        yi, vi = r["yi"], r["vi"]
        se = math.sqrt(vi) if np.isfinite(vi) else np.nan
        lb, ub = yi - crit * se, yi + crit * se
        if measure == "PFT":
            n_i = n_all[i]
            bt = [float(transf_ipft(x, n_i)) for x in (yi, lb, ub)]
        else:
            bt = [backtransform(x, measure) for x in (yi, lb, ub)]
        rec = dict(
            base, row_type="study", group=r.get(group_col), study_id=r.get("study_id"),
            slab=r.get("slab"), k=1, n=n_all[i], events=r.get("xi", r.get("ai")),
            total=r.get("ni", r.get("n1i")), mean=r.get("mi", np.nan), sd=r.get("sdi", np.nan),
            yi=yi, vi=vi, weight=w_group[i], weight_overall=w_overall[i], estimate=yi, se=se,
            ci_lb=lb, ci_ub=ub, estimate_bt=bt[0], ci_lb_bt=bt[1], ci_ub_bt=bt[2],
        )
        if measure == "MC":
            rec["mean"] = yi
        rec["unit"] = _unit(r)
        records.append(rec)

    def summary_row(fit: MetaFit, row_type: str, group: Any, n: float, sel: np.ndarray) -> dict:
        return dict(
            base, row_type=row_type, group=group, k=fit.k, n=n, weight=100.0, unit=_units_of(es[sel]),
            estimate=fit.estimate, se=fit.se, ci_lb=fit.ci_lb, ci_ub=fit.ci_ub, pi_lb=fit.pi_lb,
            pi_ub=fit.pi_ub, estimate_bt=fit.estimate_bt, ci_lb_bt=fit.ci_lb_bt,
            ci_ub_bt=fit.ci_ub_bt, pi_lb_bt=fit.pi_lb_bt, pi_ub_bt=fit.pi_ub_bt, tau2=fit.tau2,
            i2=fit.i2, h2=fit.h2, qe=fit.qe, qe_df=fit.qe_df, qe_pval=fit.qe_pval,
        )

    if sg is not None:
        for lv in sg.levels:
            sel = ok_group & (es[group_col].astype(str).to_numpy() == lv)
            rec = summary_row(sg.fits[lv], "subgroup", lv, float(np.nansum(n_all[sel])), sel)
            rec["weight_overall"] = float(np.nansum(w_overall[sel]))
            records.append(rec)
    rec = summary_row(overall, "overall", None, float(np.nansum(n_all[ok])), ok)
    rec["weight_overall"] = 100.0
    if sg is not None and sg.qm is not None:
        rec.update(qm=sg.qm, qm_df=sg.qm_df[0], qm_pval=sg.qm_pval)
    records.append(rec)
    if sg is not None and sg.q_between is not None:
        records.append(dict(base, row_type="subgroup_test", group=None, k=len(sg.levels),
                            qm=sg.q_between, qm_df=sg.q_between_df, qm_pval=sg.q_between_pval))
    table = pd.DataFrame.from_records(records)
    for c in POOLED_COLUMNS:
        if c not in table:
            table[c] = np.nan
    return table[POOLED_COLUMNS], fit_json
