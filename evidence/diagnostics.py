"""Diagnostics of an intercept-only fit: leave-one-out, influence, cumulative meta-analysis,
Egger's regression test, the rank correlation test and trim-and-fill (metafor's ``leave1out``,
``influence``, ``cumul``, ``regtest``, ``ranktest``, ``trimfill``), written from the published
definitions and checked against pinned metafor numbers.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evidence.models import RmaModsResult, RmaResult, fit_rma, fit_rma_mods

__all__ = [
    "leave_one_out",
    "influence",
    "cumulative",
    "egger_test",
    "regtest",
    "rank_test",
    "trim_and_fill",
    "RegtestResult",
    "RanktestResult",
    "TrimfillResult",
]


def _refit(fit: RmaResult, idx: np.ndarray, test: str | None = None) -> RmaResult:
    ni = None if fit.ni is None else fit.ni[idx]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_rma(fit.yi[idx], fit.vi[idx], method=fit.method, test=test or fit.test,
                       level=fit.level, slab=[fit.slab[i] for i in idx], measure=fit.measure,
                       ni=ni, tau2_max=fit.tau2_max, threshold=fit.threshold)


def _need_k(fit: RmaResult, k: int = 2) -> None:
    if fit.k < k:
        raise ValueError(f"Stopped because k = {fit.k}.")


def leave_one_out(fit: RmaResult) -> pd.DataFrame:
    """Refit the model leaving out each study in turn (metafor ``leave1out``)."""
    _need_k(fit)
    rows = []
    for i in range(fit.k):
        f = _refit(fit, np.delete(np.arange(fit.k), i))
        rows.append(dict(slab=fit.slab[i], estimate=f.estimate, se=f.se, zval=f.stat,
                         pval=f.pval, ci_lb=f.ci_lb, ci_ub=f.ci_ub, q=f.qe, q_pval=f.qe_pval,
                         tau2=f.tau2, i2=f.i2, h2=f.h2))
    return pd.DataFrame(rows)


def influence(fit: RmaResult) -> pd.DataFrame:
    """Case-deletion diagnostics (Viechtbauer & Cheung 2010; metafor ``influence``).

    Columns: ``rstudent`` (externally studentized deleted residual), ``dffits``, ``cook_d``,
    ``cov_r``, ``tau2_del``, ``qe_del``, ``hat``, ``weight`` (percent), ``dfbs`` and the flag
    ``is_infl`` (any of metafor's cut-offs exceeded).
    """
    _need_k(fit)
    k = fit.k
    w = 1 / (fit.vi + fit.tau2)
    hat = w / w.sum()
    var_b = fit.se**2
    out = {k_: np.empty(k) for k_ in ("rstudent", "dffits", "cook_d", "cov_r", "tau2_del",
                                       "qe_del", "dfbs")}
    for i in range(k):
        f = _refit(fit, np.delete(np.arange(k), i))
        delta = fit.estimate - f.estimate
        resid = fit.yi[i] - f.estimate
        out["rstudent"][i] = resid / math.sqrt(fit.vi[i] + f.tau2 + f.se**2)
        out["dffits"][i] = delta / math.sqrt(hat[i] * (f.tau2 + fit.vi[i]))
        out["cook_d"][i] = delta**2 / var_b
        out["cov_r"][i] = f.se**2 / var_b
        out["tau2_del"][i] = f.tau2
        out["qe_del"][i] = f.qe
        out["dfbs"][i] = delta / math.sqrt(_var_b_del(fit, f, i))
    df = pd.DataFrame({"slab": list(fit.slab), **out, "hat": hat, "weight": 100 * hat})
    p = 1
    df["is_infl"] = (
        (df["dffits"].abs() > 3 * math.sqrt(p / (k - p)))
        | (stats.chi2.sf(df["cook_d"], p) < 0.5)
        | (df["hat"] > 3 * p / k)
        | (df["dfbs"].abs() > 1)
    )
    return df


def _var_b_del(fit: RmaResult, f: RmaResult, i: int) -> float:
    w = 1 / (fit.vi + f.tau2)
    return 1 / w.sum() * (1.0 if fit.test == "z" else (f.s2w or 1.0))


def cumulative(fit: RmaResult, order: Sequence[int] | None = None) -> pd.DataFrame:
    """Cumulative meta-analysis: the fit after adding studies one at a time (metafor ``cumul``)."""
    idx = np.arange(fit.k) if order is None else np.asarray(order, dtype=int)
    rows = []
    for j in range(1, len(idx) + 1):
        f = _refit(fit, idx[:j])
        rows.append(dict(slab=fit.slab[idx[j - 1]], k=f.k, estimate=f.estimate, se=f.se,
                         zval=f.stat, pval=f.pval, ci_lb=f.ci_lb, ci_ub=f.ci_ub, q=f.qe,
                         q_pval=f.qe_pval, tau2=f.tau2, i2=f.i2, h2=f.h2))
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class RegtestResult:
    """Regression test for funnel-plot asymmetry."""

    model: str
    predictor: str
    zval: float  # t value for model="lm" or test="knha"
    pval: float
    dfs: int | None
    est: float  # limit estimate (intercept)
    ci_lb: float
    ci_ub: float
    fit: RmaModsResult | None = None


def regtest(fit: RmaResult, model: str = "rma", predictor: str = "sei") -> RegtestResult:
    """Egger-type regression test (metafor ``regtest``).

    ``model="rma"``: meta-regression of yi on the predictor with the fit's tau² method and test;
    ``model="lm"``: the classical Egger test, a weighted least-squares regression with weights
    1/vi and a t test with k - 2 df. ``predictor``: ``"sei"`` or ``"vi"``.
    """
    if model not in ("rma", "lm"):
        raise ValueError(f"Invalid model '{model}'; must be one of ['rma', 'lm'].")
    if predictor not in ("sei", "vi"):
        raise ValueError(f"Invalid predictor '{predictor}'; must be one of ['sei', 'vi'].")
    x = np.sqrt(fit.vi) if predictor == "sei" else fit.vi.copy()
    if fit.k < 2 or np.ptp(x) == 0:
        raise ValueError(
            "Model matrix no longer of full rank after addition of predictor. Cannot fit model."
        )
    if model == "rma":
        if fit.k < 3 and fit.method not in ("FE", "EE"):
            raise ValueError(
                "Number of parameters to be estimated is larger than the number of observations."
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = fit_rma_mods(fit.yi, fit.vi, x, method=fit.method, test=fit.test,
                             level=fit.level, names=[predictor], threshold=fit.threshold)
        return RegtestResult("rma", predictor, float(m.stat[1]), float(m.pval[1]), m.ddf,
                             float(m.estimate[0]), float(m.ci_lb[0]), float(m.ci_ub[0]), m)
    # weighted lm: y = b0 + b1 x, weights 1/vi
    w = 1 / fit.vi
    X = np.column_stack([np.ones(fit.k), x])
    XtW = X.T * w
    A = np.linalg.inv(XtW @ X)
    b = A @ (XtW @ fit.yi)
    r = fit.yi - X @ b
    dfs = fit.k - 2
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma2 = float(np.sum(w * r**2) / dfs) if dfs > 0 else float("nan")
        se = np.sqrt(np.diag(A) * sigma2)
        t = b / se
    pval = 2 * stats.t.sf(abs(t[1]), dfs) if dfs > 0 else float("nan")
    crit = stats.t.ppf(1 - (1 - fit.level / 100) / 2, dfs) if dfs > 0 else float("nan")
    return RegtestResult("lm", predictor, float(t[1]), float(pval), dfs, float(b[0]),
                         float(b[0] - crit * se[0]), float(b[0] + crit * se[0]))


def egger_test(fit: RmaResult) -> RegtestResult:
    """Classical Egger test (weighted ``lm`` of yi on sei): ``regtest(fit, model="lm")``."""
    return regtest(fit, model="lm", predictor="sei")


@dataclass(frozen=True)
class RanktestResult:
    tau: float
    pval: float
    exact: bool


def rank_test(fit: RmaResult, exact: bool = True) -> RanktestResult:
    """Begg & Mazumdar rank correlation test (metafor ``ranktest``): Kendall's tau between the
    standardized effects (against the fixed-effects estimate) and their variances; exact p-value
    unless there are ties or ``exact=False`` (normal approximation, no continuity correction)."""
    if fit.k < 2:
        raise ValueError("not enough finite observations")
    w = 1 / fit.vi
    b = np.sum(w * fit.yi) / np.sum(w)
    vb = 1 / np.sum(w)
    z = (fit.yi - b) / np.sqrt(fit.vi - vb)
    if np.ptp(z) == 0 or np.ptp(fit.vi) == 0:  # metafor (cor.test) returns NA with a warning
        warnings.warn("the standard deviation is zero", stacklevel=2)
        return RanktestResult(float("nan"), float("nan"), False)
    ties = len(np.unique(z)) < fit.k or len(np.unique(fit.vi)) < fit.k
    use_exact = exact and not ties
    if exact and ties:
        warnings.warn("Cannot compute exact p-value with ties", stacklevel=2)
    if not use_exact and fit.k < 3:  # variance of S undefined
        tau = stats.kendalltau(z, fit.vi, method="exact").statistic
        return RanktestResult(float(tau), float("nan"), False)
    res = stats.kendalltau(z, fit.vi, method="exact" if use_exact else "asymptotic")
    return RanktestResult(float(res.statistic), float(res.pvalue), use_exact)


@dataclass(frozen=True)
class TrimfillResult:
    """Trim-and-fill result: number of filled studies, side and the fit on the augmented data."""

    k0: int
    side: str
    estimator: str
    fit: RmaResult
    filled_yi: np.ndarray
    filled_vi: np.ndarray


def trim_and_fill(
    fit: RmaResult, estimator: str = "L0", side: str | None = None, maxiter: int = 100
) -> TrimfillResult:
    """Duval & Tweedie (2000) trim-and-fill with the L0 or R0 estimator (metafor ``trimfill``).

    The side with missing studies is taken from the sign of the slope of yi on sei (Egger-type
    meta-regression with the fit's method) unless given. Trimmed fits use the fit's method; the
    final fit uses the augmented data.
    """
    estimator = estimator.upper()
    if estimator not in ("L0", "R0"):
        raise ValueError(f"Invalid estimator '{estimator}'; must be one of ['L0', 'R0'].")
    _need_k(fit)
    k = fit.k
    if side is None:
        if k < 3 and fit.method not in ("FE", "EE"):
            raise ValueError(
                "Number of parameters to be estimated is larger than the number of observations."
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = fit_rma_mods(fit.yi, fit.vi, np.sqrt(fit.vi), method=fit.method,
                             threshold=fit.threshold)
        side = "left" if m.estimate[1] > 0 else "right"
    if side not in ("left", "right"):
        raise ValueError(f"Invalid side '{side}'; must be one of ['left', 'right'].")
    sign = 1.0 if side == "left" else -1.0
    y = sign * fit.yi
    order = np.argsort(y, kind="stable")
    y, v = y[order], fit.vi[order]
    k0 = 0
    mu = float("nan")
    for _ in range(maxiter):
        keep = np.arange(k - k0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mu = fit_rma(y[keep], v[keep], method=fit.method, threshold=fit.threshold).estimate
        d = y - mu
        if np.all(d == 0):
            raise ValueError("Trim and fill algorithm did not converge.")
        ranks = stats.rankdata(np.abs(d))
        if estimator == "L0":
            sr = float(np.sum(ranks[d > 0]))
            new = (4 * sr - k * (k + 1)) / (2 * k - 1)
            k0_new = max(0, int(np.floor(new + 0.5)))
        else:
            srt = np.argsort(-np.abs(d), kind="stable")
            run = 0
            for j in srt:
                if d[j] > 0:
                    run += 1
                else:
                    break
            k0_new = max(0, run - 1)
        if k0_new == k0:
            break
        k0 = min(k0_new, k - 1)
    else:
        raise ValueError("Trim and fill algorithm did not converge.")
    if k0 > 0:
        fy = 2 * mu - y[k - k0:]
        fv = v[k - k0:]
    else:
        fy = np.empty(0)
        fv = np.empty(0)
    yy = np.concatenate([fit.yi, sign * fy])
    vv = np.concatenate([fit.vi, fv])
    ni = None
    if fit.ni is not None:
        ni = np.concatenate([fit.ni, fit.ni[order][k - k0:]]) if k0 else fit.ni
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        f = fit_rma(yy, vv, method=fit.method, test=fit.test, level=fit.level,
                    threshold=fit.threshold,
                    measure=fit.measure, ni=ni if fit.measure == "PFT" else None,
                    slab=list(fit.slab) + [f"filled {j + 1}" for j in range(k0)])
    return TrimfillResult(k0=k0, side=side, estimator=estimator, fit=f,
                          filled_yi=sign * fy, filled_vi=fv)
