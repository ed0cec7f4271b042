"""Mantel-Haenszel and Peto pooling of 2x2 tables (metafor ``rma.mh`` and ``rma.peto``).

Both are common-effect methods that use the cell counts directly, so tables with zero cells need
no continuity correction (a table with no events in either group carries no weight).

* ``fit_mh(..., measure="OR")``: Mantel-Haenszel log odds ratio with the Robins-Breslow-Greenland
  (1986) variance, the Cochran-Mantel-Haenszel test (``mh``, continuity-corrected by default) and
  Tarone's (1985) homogeneity test (``ta``); ``"RR"``: log risk ratio with the Greenland-Robins
  (1985) variance; ``"RD"``: risk difference with the Sato, Greenland & Robins (1989) variance.
* ``fit_peto``: Peto's one-step log odds ratio ``sum(O - E) / sum(V)`` (Yusuf et al. 1985).

As in metafor, Cochran's Q (and I², H² from it) compares the per-table escalc effects (1/2 added
to tables with a zero cell, double-zero tables dropped) with the pooled estimate for MH; for Peto
it is ``sum((O - E)² / V) - sum(O - E)² / sum(V)``. Our own code from the published formulas
(neither statsmodels nor pymare has MH for RR/RD or Peto; statsmodels'
``StratifiedTable`` gives the MH odds ratio and test and is used in the tests as a cross-check).
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evidence.fits import MetaFit, wald

__all__ = ["fit_mh", "fit_peto", "TWO_GROUP_MEASURES"]

TWO_GROUP_MEASURES = ("OR", "RR", "RD")


def _tables(ai, bi, ci, di, slab) -> tuple[np.ndarray, ...]:
    t = [np.asarray(a, dtype=float).ravel() for a in (ai, bi, ci, di)]
    if len({a.size for a in t}) != 1:
        raise ValueError("ai, bi, ci and di should have the same length.")
    keep = np.all([np.isfinite(a) for a in t], axis=0)
    msgs = []
    if (~keep).any():
        nd = int((~keep).sum())
        msg = f"{nd} {'study' if nd == 1 else 'studies'} with NAs omitted from model fitting."
        warnings.warn(msg, stacklevel=3)
        msgs.append(msg)
    a, b, c, d = (x[keep] for x in t)
    neg = (a < 0) | (b < 0) | (c < 0) | (d < 0)
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise ValueError(f"study {i + 1}: cell counts must be >= 0 (got {a[i]:g}, {b[i]:g}, "
                         f"{c[i]:g}, {d[i]:g}).")
    if a.size == 0:
        raise ValueError("Processing terminated since k = 0.")
    n1, n2 = a + b, c + d
    if ((n1 == 0) | (n2 == 0)).any():
        raise ValueError("every table needs at least one participant in each group.")
    slabs = (tuple(str(i + 1) for i in np.flatnonzero(keep)) if slab is None
             else tuple(str(list(slab)[i]) for i in np.flatnonzero(keep)))
    return a, b, c, d, slabs, msgs


def _escalc(a, b, c, d, measure: str) -> tuple[np.ndarray, np.ndarray]:
    from evidence.effects import compute_effects

    es = compute_effects(pd.DataFrame({"ai": a, "bi": b, "ci": c, "di": d}), measure,
                         drop00=True)
    return es["yi"].to_numpy(float), es["vi"].to_numpy(float)


def _het(yi: np.ndarray, vi: np.ndarray, est: float) -> tuple[float, int, float, float, float]:
    ok = np.isfinite(yi) & np.isfinite(vi)
    y, v = yi[ok], vi[ok]
    kq = int(ok.sum())
    if kq <= 1:
        return 0.0, max(kq - 1, 0), 1.0, 0.0, 1.0
    qe = float(np.sum((y - est) ** 2 / v))
    return _het_from_q(qe, kq - 1)


def _het_from_q(qe: float, df: int) -> tuple[float, int, float, float, float]:
    if df <= 0:
        return 0.0, 0, 1.0, 0.0, 1.0
    i2 = max(0.0, 100 * (qe - df) / qe) if qe > 0 else 0.0
    return qe, df, float(stats.chi2.sf(qe, df)), i2, qe / df


def _result(model, measure, level, a, est, se, w, yi, vi, slabs, msgs, qe_tuple, extra):
    stat, pval, lb, ub, name = wald(est, se, level)
    qe, qe_df, qe_p, i2, h2 = qe_tuple
    return MetaFit(
        model=model, method="MH" if model == "rma.mh" else "PETO", test="z", level=level,
        measure=measure, k=int(a.size), estimate=est, se=se, stat=stat, stat_name=name,
        pval=pval, ci_lb=lb, ci_ub=ub, tau2=0.0, i2=i2, h2=h2, qe=qe, qe_df=qe_df,
        qe_pval=qe_p, yi=yi, vi=vi, slab=slabs,
        weights=100 * w / w.sum() if w.sum() > 0 else np.full(a.size, np.nan),
        warnings=tuple(msgs), extra=extra,
    )


def fit_mh(
    ai: Sequence[float], bi: Sequence[float], ci: Sequence[float], di: Sequence[float],
    measure: str = "OR", level: float = 95, correct: bool = True,
    slab: Sequence[Any] | None = None,
) -> MetaFit:
    """Mantel-Haenszel pooled OR / RR / RD (``rma.mh``); see the module docstring.

    ``ai, bi`` = events / non-events in group 1, ``ci, di`` in group 2. OR and RR are pooled on
    the log scale (``predict(transf=True)`` and ``*_bt`` give ratios).
    """
    measure = str(measure).upper()
    if measure not in TWO_GROUP_MEASURES:
        raise ValueError(f"Invalid measure '{measure}'; rma.mh supports {list(TWO_GROUP_MEASURES)}.")
    lv = float(level) * (100 if float(level) < 1 else 1)
    a, b, c, d, slabs, msgs = _tables(ai, bi, ci, di, slab)
    n1, n2 = a + b, c + d
    n = n1 + n2
    extra: dict[str, Any] = {"k_yi": None}
    if measure == "OR":
        r, s = a * d / n, b * c / n
        R, S = r.sum(), s.sum()
        if R == 0 or S == 0:
            raise ValueError("All tables have a zero in the same diagonal: the MH odds ratio is "
                             "0 or infinite.")
        est = math.log(R / S)
        p, q = (a + d) / n, (b + c) / n
        var = (np.sum(p * r) / (2 * R**2) + np.sum(p * s + q * r) / (2 * R * S)
               + np.sum(q * s) / (2 * S**2))
        w = s
        # Cochran-Mantel-Haenszel test
        m1 = a + c
        ea = n1 * m1 / n
        with np.errstate(divide="ignore", invalid="ignore"):
            va = np.where(n > 1, n1 * n2 * m1 * (n - m1) / (n**2 * (n - 1)), 0.0)
        dev = abs(a.sum() - ea.sum()) - (0.5 if correct else 0.0)
        mh = dev**2 / va.sum() if va.sum() > 0 else float("nan")
        extra.update(mh=mh, mh_pval=float(stats.chi2.sf(mh, 1)))
        extra.update(_tarone(a, b, c, d, math.exp(est)))
    elif measure == "RR":
        r, s = a * n2 / n, c * n1 / n
        R, S = r.sum(), s.sum()
        if R == 0 or S == 0:
            raise ValueError("No events in one group of every table: the MH risk ratio is 0 or "
                             "infinite.")
        est = math.log(R / S)
        var = np.sum((n1 * n2 * (a + c) - a * c * n) / n**2) / (R * S)
        w = s
    else:  # RD
        w = n1 * n2 / n
        W = w.sum()
        est = float(np.sum((a * n2 - c * n1) / n) / W)
        P = np.sum((n1**2 * c - n2**2 * a + n1 * n2 * (n2 - n1) / 2) / n**2)
        Q = np.sum((a * (n2 - c) + c * (n1 - a)) / (2 * n))
        var = (est * P + Q) / W**2
    yi, vi = _escalc(a, b, c, d, measure)
    extra["k_yi"] = int(np.sum(np.isfinite(yi) & np.isfinite(vi)))
    return _result("rma.mh", measure, lv, a, est, math.sqrt(var), w, yi, vi, slabs, msgs,
                   _het(yi, vi, est), extra)


def _tarone(a, b, c, d, psi: float) -> dict:
    """Tarone's test of homogeneity of the odds ratios given the MH estimate ``psi``."""
    n1, n2 = a + b, c + d
    m1 = a + c
    n = n1 + n2
    ok = (m1 > 0) & (m1 < n)  # tables with information
    if ok.sum() < 2:
        return {"ta": float("nan"), "ta_pval": float("nan")}
    a, n1, n2, m1 = a[ok], n1[ok], n2[ok], m1[ok]
    # expected a under the common OR psi: root of (A)(n2 - m1 + A) = psi (n1 - A)(m1 - A)
    qa = 1 - psi
    qb = (n2 - m1) + psi * (n1 + m1)
    qc = -psi * n1 * m1
    lo, hi = np.maximum(0, m1 - n2), np.minimum(n1, m1)
    if abs(qa) < 1e-15:
        A = -qc / qb
    else:
        disc = np.sqrt(qb**2 - 4 * qa * qc)
        r1, r2 = (-qb + disc) / (2 * qa), (-qb - disc) / (2 * qa)
        A = np.where((r1 >= lo - 1e-9) & (r1 <= hi + 1e-9), r1, r2)
    B, C, D = n1 - A, m1 - A, n2 - m1 + A
    v = 1 / (1 / A + 1 / B + 1 / C + 1 / D)
    ta = float(np.sum((a - A) ** 2 / v) - (a.sum() - A.sum()) ** 2 / v.sum())
    return {"ta": ta, "ta_pval": float(stats.chi2.sf(ta, ok.sum() - 1))}


def fit_peto(
    ai: Sequence[float], bi: Sequence[float], ci: Sequence[float], di: Sequence[float],
    level: float = 95, slab: Sequence[Any] | None = None,
) -> MetaFit:
    """Peto's pooled log odds ratio (``rma.peto``); see the module docstring."""
    lv = float(level) * (100 if float(level) < 1 else 1)
    a, b, c, d, slabs, msgs = _tables(ai, bi, ci, di, slab)
    n1, n2 = a + b, c + d
    n = n1 + n2
    m1 = a + c
    oe = a - n1 * m1 / n
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(n > 1, n1 * n2 * m1 * (n - m1) / (n**2 * (n - 1)), 0.0)
    V = v.sum()
    if V <= 0:
        raise ValueError("No table has events in one group and non-events in the other: Peto's "
                         "odds ratio is undefined.")
    est = float(oe.sum() / V)
    info = v > 0
    qe = float(np.sum(oe[info] ** 2 / v[info]) - oe.sum() ** 2 / V)
    with np.errstate(divide="ignore", invalid="ignore"):
        yi = np.where(info, oe / v, np.nan)
        vi = np.where(info, 1 / v, np.nan)
    extra = {"k_yi": int(info.sum())}
    return _result("rma.peto", "OR", lv, a, est, math.sqrt(1 / V), v, yi, vi, slabs, msgs,
                   _het_from_q(max(qe, 0.0), int(info.sum()) - 1), extra)
