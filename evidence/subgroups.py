"""Subgroup analyses and meta-regression (metafor ``rma(..., mods=)`` and per-subgroup fits).

``fit_subgroups`` returns, for a categorical moderator:

* a separate :class:`~evidence.models.RmaResult` per level (own tau²; k = 1 gives tau² = 0);
* the moderator test ``qm`` of the mixed-effects model with a common tau²
  (metafor ``rma(yi, vi, mods = ~ factor(g))``: Wald chi-square, or F with ``test="knha"``);
* the test for subgroup differences with separate tau² per subgroup (``q_between``: Cochran's Q of
  the subgroup estimates with their standard errors, as in the R package meta and metafor's
  ``rma(yi=est, sei=se, method="FE")``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from evidence.models import (
    RmaModsResult,
    RmaResult,
    _validate,
    fit_rma,
    fit_rma_mods,
    json_clean,
)

__all__ = ["SubgroupResult", "fit_subgroups", "meta_regression"]


@dataclass(frozen=True)
class SubgroupResult:
    """Per-subgroup fits plus the moderator test and the test for subgroup differences."""

    method: str
    test: str
    level: float
    measure: str
    levels: tuple[str, ...]
    fits: dict[str, RmaResult]
    qm: float | None
    qm_df: tuple[int, int | None] | None
    qm_pval: float | None
    tau2_common: float | None
    q_between: float | None
    q_between_df: int | None
    q_between_pval: float | None
    between_estimate: float | None = None
    between_se: float | None = None
    mods_fit: RmaModsResult | None = field(default=None, repr=False)
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return json_clean(
            {
                "method": self.method,
                "test": self.test,
                "level": self.level,
                "measure": self.measure,
                "levels": list(self.levels),
                "subgroups": {lv: self.fits[lv].to_dict() for lv in self.levels},
                "qm": self.qm,
                "qm_df": list(self.qm_df) if self.qm_df else None,
                "qm_pval": self.qm_pval,
                "tau2_common": self.tau2_common,
                "q_between": self.q_between,
                "q_between_df": self.q_between_df,
                "q_between_pval": self.q_between_pval,
                "warnings": list(self.warnings),
            }
        )


def fit_subgroups(
    yi: Sequence[float] | np.ndarray,
    vi: Sequence[float] | np.ndarray,
    groups: Sequence[Any],
    method: str = "REML",
    test: str = "z",
    level: float = 95,
    slab: Sequence[Any] | None = None,
    measure: str = "GEN",
    ni: Sequence[float] | None = None,
    tau2_max: float = 1e8,
) -> SubgroupResult:
    """Fit every subgroup separately and test the subgroup differences (see module docstring).

    Levels are sorted as R sorts factor levels. Studies with a missing group, ``yi`` or ``vi``
    are dropped with a warning that counts them.
    """
    method, test, level = _validate(method, test, level)
    y = np.asarray(yi, dtype=float).ravel()
    v = np.asarray(vi, dtype=float).ravel()
    g = pd.Series(list(groups), dtype=object)
    if not (len(y) == len(v) == len(g)):
        raise ValueError(
            f"yi, vi and groups should have the same length; got {len(y)}, {len(v)} and {len(g)}."
        )
    missing = g.isna().to_numpy() | ~np.isfinite(y) | ~np.isfinite(v)
    n_arr = None if ni is None else np.asarray(ni, dtype=float).ravel()
    if n_arr is not None:
        missing |= ~np.isfinite(n_arr)
    msgs: list[str] = []
    if missing.any():
        nd = int(missing.sum())
        msg = f"{nd} {'study' if nd == 1 else 'studies'} with NAs omitted from model fitting."
        warnings.warn(msg, stacklevel=2)
        msgs.append(msg)
    keep = ~missing
    if not keep.any():
        raise ValueError("Processing terminated since k = 0.")
    y, v = y[keep], v[keep]
    gs = g[keep].astype(str).to_numpy()
    slabs = None if slab is None else np.asarray([str(s) for s in slab], dtype=object)[keep]
    n_arr = None if n_arr is None else n_arr[keep]
    levels = tuple(sorted(set(gs)))

    fits: dict[str, RmaResult] = {}
    for lv in levels:
        idx = gs == lv
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fits[lv] = fit_rma(
                y[idx], v[idx], method=method, test=test, level=level,
                slab=None if slabs is None else slabs[idx], measure=measure,
                ni=None if n_arr is None else n_arr[idx], tau2_max=tau2_max,
            )
        msgs.extend(f"subgroup {lv}: {w.message}" for w in caught)

    qm = qm_df = qm_pval = tau2_common = None
    mods_fit = None
    qb = qb_df = qb_p = b_est = b_se = None
    if len(levels) >= 2:
        dummies = np.column_stack([(gs == lv).astype(float) for lv in levels[1:]])
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                mods_fit = fit_rma_mods(
                    y, v, dummies, method=method, test=test, level=level,
                    names=[f"factor(group){lv}" for lv in levels[1:]], tau2_max=tau2_max,
                )
            qm, qm_df, qm_pval, tau2_common = (
                mods_fit.qm, mods_fit.qm_df, mods_fit.qm_pval, mods_fit.tau2,
            )
        except ValueError as exc:  # e.g. k = number of levels with knha: no residual df
            msgs.append(f"moderator model not fitted: {exc}")
        est = np.array([fits[lv].estimate for lv in levels])
        se = np.array([fits[lv].se for lv in levels])
        w = 1 / se**2
        b_est = float(np.sum(w * est) / np.sum(w))
        b_se = float(np.sqrt(1 / np.sum(w)))
        qb = float(np.sum(w * (est - b_est) ** 2))
        qb_df = len(levels) - 1
        qb_p = float(stats.chi2.sf(qb, qb_df))
    return SubgroupResult(
        method=method, test=test, level=level, measure=str(measure).upper(), levels=levels,
        fits=fits, qm=qm, qm_df=qm_df, qm_pval=qm_pval, tau2_common=tau2_common,
        q_between=qb, q_between_df=qb_df, q_between_pval=qb_p, between_estimate=b_est,
        between_se=b_se, mods_fit=mods_fit, warnings=tuple(msgs),
    )


def meta_regression(
    yi: Sequence[float] | np.ndarray,
    vi: Sequence[float] | np.ndarray,
    x: Sequence[float] | np.ndarray,
    method: str = "REML",
    test: str = "z",
    level: float = 95,
    name: str = "x",
    tau2_max: float = 1e8,
) -> RmaModsResult:
    """Meta-regression on one continuous moderator: ``rma(yi, vi, mods = ~ x)``."""
    return fit_rma_mods(
        yi, vi, np.asarray(x, dtype=float), method=method, test=test, level=level, names=[name],
        tau2_max=tau2_max,
    )
