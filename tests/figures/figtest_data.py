"""Hand-built pooled tables (DESIGN.md "Pooled" columns) used as inputs of the figure tests.

The numbers are plausible, not reference results: a small DerSimonian-Laird computation only so
that estimates, intervals and weights hang together. What the tests check is that the figures
print what the table says.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
from scipy import stats

os.environ.setdefault("MPLBACKEND", "Agg")

COLUMNS = (
    "analysis measure method test level row_type group study_id slab k n events total mean sd yi "
    "vi weight weight_overall estimate se ci_lb ci_ub pi_lb pi_ub estimate_bt ci_lb_bt ci_ub_bt "
    "pi_lb_bt pi_ub_bt tau2 i2 h2 qe qe_df qe_pval qm qm_df qm_pval"
).split()

BT = {
    "PLO": lambda x: 1 / (1 + np.exp(-np.asarray(x, dtype=float))),
    "OR": np.exp,
    "RR": np.exp,
    "MN": lambda x: np.asarray(x, dtype=float),
    "MD": lambda x: np.asarray(x, dtype=float),
}


def _dl(yi: np.ndarray, vi: np.ndarray) -> dict[str, float]:
    w = 1 / vi
    k = len(yi)
    mu_fe = np.sum(w * yi) / np.sum(w)
    q = float(np.sum(w * (yi - mu_fe) ** 2))
    c = np.sum(w) - np.sum(w**2) / np.sum(w)
    tau2 = max(0.0, (q - (k - 1)) / c) if k > 1 else 0.0
    ws = 1 / (vi + tau2)
    mu = float(np.sum(ws * yi) / np.sum(ws))
    se = float(np.sqrt(1 / np.sum(ws)))
    z = 1.959963984540054
    i2 = max(0.0, (q - (k - 1)) / q * 100) if q > 0 and k > 1 else 0.0
    tcrit = stats.t.ppf(0.975, k - 2) if k > 2 else np.nan
    pise = np.sqrt(tau2 + se**2)
    return {
        "k": k, "estimate": mu, "se": se, "ci_lb": mu - z * se, "ci_ub": mu + z * se,
        "pi_lb": mu - tcrit * pise, "pi_ub": mu + tcrit * pise, "tau2": tau2, "i2": i2,
        "h2": 1 / (1 - i2 / 100) if i2 < 100 else np.inf, "qe": q, "qe_df": k - 1,
        "qe_pval": float(stats.chi2.sf(q, k - 1)) if k > 1 else np.nan,
        "weights": ws / ws.sum() * 100,
    }  # fmt: skip


def make_pooled(
    sizes: dict[str, int] | int = 5,
    measure: str = "PLO",
    seed: int = 1,
    long_labels: bool = False,
    analysis: str = "complication_any",
) -> pd.DataFrame:
    """A pooled table with ``sizes`` studies per group (an int: one group, no subgroup rows)."""
    rng = np.random.default_rng(seed)
    grouped = isinstance(sizes, dict)
    sizes = sizes if grouped else {"all": int(sizes)}
    bt = BT[measure]
    rows: list[dict] = []
    all_y, all_v, all_idx = [], [], []
    sub_fits = {}
    for gi, (g, k) in enumerate(sizes.items()):
        n = rng.integers(8, 120, size=k)
        if measure == "PLO":
            p = np.clip(rng.beta(2 + gi, 8, size=k), 0.02, 0.95)
            ev = np.maximum(1, np.round(p * n)).astype(int)
            ev = np.minimum(ev, n - 1)
            yi = np.log(ev / (n - ev))
            vi = 1 / ev + 1 / (n - ev)
        elif measure in ("OR", "RR"):
            yi = rng.normal(0.3 * gi, 0.5, size=k)
            vi = rng.uniform(0.04, 0.6, size=k)
            ev = None
        else:
            yi = rng.normal(6.5 - 2.5 * gi, 1.0, size=k)
            vi = rng.uniform(0.02, 0.3, size=k)
            ev = None
        fit = _dl(yi, vi)
        sub_fits[g] = fit
        for i in range(k):
            author = rng.choice(["smith", "tian", "cazzato", "garcia", "moser", "wang", "lee"])
            year = int(rng.integers(2005, 2024))
            slab = f"{author.title()} {year}"
            if long_labels and i % 3 == 0:
                slab = f"{author.title()} et al. {year} (retrospective multicentre cohort, sacral metastases)"
            r = {
                "analysis": analysis, "measure": measure, "method": "REML", "test": "knha",
                "level": 95, "row_type": "study", "group": g if grouped else None,
                "study_id": f"{author}{year}_{g}{i}", "slab": slab, "n": int(n[i]),
                "yi": yi[i], "vi": vi[i], "weight": fit["weights"][i], "estimate": yi[i],
                "se": np.sqrt(vi[i]), "ci_lb": yi[i] - 1.96 * np.sqrt(vi[i]),
                "ci_ub": yi[i] + 1.96 * np.sqrt(vi[i]),
            }  # fmt: skip
            if ev is not None:
                r["events"], r["total"] = int(ev[i]), int(n[i])
            if measure in ("MN", "MC"):
                r["mean"], r["sd"] = yi[i], float(np.sqrt(vi[i] * n[i]))
            rows.append(r)
            all_y.append(yi[i])
            all_v.append(vi[i])
            all_idx.append(len(rows) - 1)
    ov = _dl(np.array(all_y), np.array(all_v))
    for j, idx in enumerate(all_idx):
        rows[idx]["weight_overall"] = ov["weights"][j]
    base = {"analysis": analysis, "measure": measure, "method": "REML", "test": "knha", "level": 95}
    if grouped:
        for g, fit in sub_fits.items():
            r = dict(base, row_type="subgroup", group=g, slab=g)
            r.update({c: v for c, v in fit.items() if c != "weights"})
            rows.append(r)
    r = dict(base, row_type="overall", group=None, slab="Overall")
    r.update({c: v for c, v in ov.items() if c != "weights"})
    rows.append(r)
    if grouped and len(sizes) > 1:
        qm = float(rng.uniform(1, 9))
        rows.append(dict(base, row_type="subgroup_test", qm=qm, qm_df=len(sizes) - 1,
                         qm_pval=float(stats.chi2.sf(qm, len(sizes) - 1))))  # fmt: skip
    df = pd.DataFrame(rows)
    for c in ("estimate", "ci_lb", "ci_ub", "pi_lb", "pi_ub"):
        df[c + "_bt"] = bt(df[c])
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = np.nan
    return df[COLUMNS]
