"""Random- and fixed-effects meta-analysis models that agree with R metafor's ``rma()``.

``fit_rma(yi, vi, method="REML", test="z")`` fits the intercept-only model and returns an
:class:`RmaResult`; ``fit_rma_mods(yi, vi, X, ...)`` fits a mixed-effects meta-regression with a
small design matrix (used by :mod:`evidence.subgroups`). ``confint_tau2(fit)`` gives the Q-profile
confidence interval for tau², I² and H².

All estimators are our own numpy/scipy code: the iterative ones (REML, ML, PM, EB) are solved to
full double precision by bracketing root finding on their estimating equations, so results match
metafor's tightly converged fits. Nothing builds a k x k matrix: every quantity is computed from
the k-vector of weights and p x p cross products, so k = 50,000 fits in milliseconds.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
from scipy import optimize, stats

from evidence.fits import (
    IDENTITY_MEASURES as _IDENTITY_MEASURES,
    MetaFit,
    backtransform,
    json_clean,
    transf_ipft,
    transf_pft,
)

__all__ = [
    "METHODS",
    "TESTS",
    "ESTIMATORS",
    "Estimator",
    "MetaFit",
    "RmaResult",
    "RmaModsResult",
    "Tau2CI",
    "fit_rma",
    "fit_rma_mods",
    "confint_tau2",
    "backtransform",
    "transf_ipft",
    "transf_pft",
    "json_clean",
]

TESTS: tuple[str, ...] = ("z", "knha")
_FIXED = ("FE", "EE")
KNHA_FE_WARNING = "Knapp & Hartung method is not meant to be used in the context of FE models."
K1_WARNING = 'Setting argument test="z" since k=1.'
ZERO_VI_WARNING = "There are outcomes with non-positive sampling variances."
ZERO_VI_DIVISION = "Division by zero when computing the inverse variance weights."
ZERO_VI_HET = "Cannot compute {q}, I^2, or H^2 when there are non-positive sampling variances in the data."
ZERO_VI_CONFINT = "Cannot compute CI for tau^2 when there are non-positive sampling variances in the data."


# --------------------------------------------------------------------------------------------
# core algebra (no k x k matrices)
# --------------------------------------------------------------------------------------------
class _Design:
    """Weighted least-squares quantities for one tau² value."""

    __slots__ = ("w", "A", "b", "r", "ypy", "yppy", "trP", "trPP", "sw", "sw2")

    def __init__(self, y: np.ndarray, X: np.ndarray, w: np.ndarray, need_pp: bool = False):
        self.w = w
        XtW = X.T * w
        M = XtW @ X
        A = _inv(M)
        self.A = A
        self.b = A @ (XtW @ y)
        self.r = y - X @ self.b
        wr = w * self.r
        self.ypy = float(np.dot(wr, self.r))
        self.yppy = float(np.dot(wr, wr))
        self.sw = float(w.sum())
        w2 = w * w
        self.sw2 = float(w2.sum())
        M2 = (X.T * w2) @ X
        AM2 = A @ M2
        self.trP = self.sw - float(np.trace(AM2))
        if need_pp:
            M3 = (X.T * (w2 * w)) @ X
            self.trPP = self.sw2 - 2 * float(np.trace(A @ M3)) + float(np.trace(AM2 @ AM2))
        else:
            self.trPP = float("nan")


def _inv(M: np.ndarray) -> np.ndarray:
    if M.shape == (1, 1):
        if not M[0, 0] > 0:
            raise ValueError("Model matrix not of full rank. Cannot fit model.")
        return np.array([[1.0 / M[0, 0]]])
    if np.linalg.matrix_rank(M) < M.shape[0]:
        raise ValueError("Model matrix not of full rank. Cannot fit model.")
    return np.linalg.inv(M)


def _root_decreasing(g: Callable[[float], float], start: float, tau2_max: float) -> float:
    """Root in (0, tau2_max] of a function with g(0) > 0 that becomes negative."""
    hi = max(start, 1e-8)
    ghi = g(hi)
    lo = 0.0
    while ghi > 0:
        lo = hi
        hi *= 4
        if hi > tau2_max:
            hi = tau2_max
            ghi = g(hi)
            if ghi > 0:
                raise ValueError(
                    f"tau2 estimate exceeds tau2_max = {tau2_max:g}; the estimating equation has "
                    "no root below it."
                )
            break
        ghi = g(hi)
    return optimize.brentq(g, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=1000)


# --------------------------------------------------------------------------------------------
# tau² estimators: one function per method, looked up in the ESTIMATORS registry
# --------------------------------------------------------------------------------------------
#: signature of an estimator: (y, v, X, tau2_max, threshold) -> (tau2, se_tau2)
EstimatorFn = Callable[[np.ndarray, np.ndarray, np.ndarray, float, "float | None"],
                       "tuple[float, float | None]"]


@dataclass(frozen=True)
class Estimator:
    """A tau² estimator: its function and the metafor 3.8 rules that depend on the method."""

    name: str
    fn: EstimatorFn
    fixed: bool = False
    #: metafor 3.8 fits this method when some sampling variances are 0 (Q, I², H² are then NA)
    zero_vi_ok: bool = False
    #: solved iteratively (convergence control ``threshold`` applies)
    iterative: bool = False


def _sampling_se(d0: "_Design", tau2: float, k: int, p: int, denom: float) -> float:
    return math.sqrt((2 * (k - p) + 4 * tau2 * d0.trP + 2 * tau2**2 * d0.trPP) / denom**2)


def _est_fixed(y, v, X, tau2_max, threshold):
    return 0.0, None


def _est_dl(y, v, X, tau2_max, threshold):
    k, p = X.shape
    d0 = _Design(y, X, 1 / v, need_pp=True)
    tau2 = max(0.0, (d0.ypy - (k - p)) / d0.trP)
    return tau2, _sampling_se(d0, tau2, k, p, d0.trP)


def _est_hs(y, v, X, tau2_max, threshold):
    k, p = X.shape
    d0 = _Design(y, X, 1 / v, need_pp=True)
    tau2 = max(0.0, (d0.ypy - k) / d0.sw)
    return tau2, _sampling_se(d0, tau2, k, p, d0.sw)


def _est_he(y, v, X, tau2_max, threshold):
    k, p = X.shape
    B = _inv(X.T @ X)
    r = y - X @ (B @ (X.T @ y))
    XVX = X.T @ (X * v[:, None])
    trPV = float(v.sum() - np.trace(B @ XVX))
    tau2 = max(0.0, (float(r @ r) - trPV) / (k - p))
    # tr(PV PV) with P = I - X B X'
    XV2X = X.T @ (X * (v * v)[:, None])
    trPVPV = float((v * v).sum() - 2 * np.trace(B @ XV2X) + np.trace(B @ XVX @ B @ XVX))
    se = math.sqrt((2 * trPVPV + 4 * tau2 * trPV + 2 * tau2**2 * (k - p)) / (k - p) ** 2)
    return tau2, se


def _est_sj(y, v, X, tau2_max, threshold):
    k, p = X.shape
    # starting value from the raw variance of yi, also with moderators (as metafor 3.8)
    tau2_0 = float(np.var(y))
    if tau2_0 <= 0:  # identical yi: tau2 = 0 with SE 0, as metafor
        return 0.0, 0.0
    d = _Design(y, X, 1 / (v + tau2_0))
    tau2 = max(0.0, tau2_0 * d.ypy / (k - p))
    return tau2, _se_sj(y, v, X, tau2, tau2_0)


def _est_pm(y, v, X, tau2_max, threshold):
    k, p = X.shape
    d0 = _Design(y, X, 1 / v)

    def g(t: float) -> float:
        return _Design(y, X, 1 / (v + t)).ypy - (k - p)

    start = max(1e-4, (d0.ypy - (k - p)) / d0.trP) if d0.trP > 0 else 1.0
    tau2 = 0.0 if g(0.0) <= 0 else _root_decreasing(g, start, tau2_max)
    # information from the REML likelihood, as metafor reports (see KNOWN_UNMATCHED in tests)
    return tau2, _se_reml_information(y, v, X, tau2)


def _se_reml_information(y, v, X, tau2):
    d = _Design(y, X, 1 / (v + tau2), need_pp=True)
    return math.sqrt(2 / d.trPP)


def _iterative(method: str) -> EstimatorFn:
    def fn(y, v, X, tau2_max, threshold):
        start = _est_he(y, v, X, tau2_max, None)[0]
        if start <= 0 and (v <= 0).any():
            raise ValueError(ZERO_VI_DIVISION)
        tau2 = _fisher_scoring(y, v, X, method, start, tau2_max, threshold)
        if tau2 <= 0 and (v <= 0).any():
            raise ValueError(ZERO_VI_DIVISION)
        d = _Design(y, X, 1 / (v + tau2), need_pp=method != "ML")
        se = math.sqrt(2 / d.sw2) if method == "ML" else math.sqrt(2 / d.trPP)
        return tau2, se

    return fn


def _score_reml(d: "_Design", k: int, p: int) -> tuple[float, float]:
    g = d.yppy - d.trP
    return g, g / d.trPP


def _score_ml(d: "_Design", k: int, p: int) -> tuple[float, float]:
    g = d.yppy - d.sw
    return g, g / d.sw2


def _score_eb(d: "_Design", k: int, p: int) -> tuple[float, float]:
    g = d.ypy * k / (k - p) - k  # Morris' empirical Bayes: the same root as PM
    return g, g / d.sw


#: estimating equation and Fisher-scoring step of the likelihood-type estimators
SCORES: dict[str, Callable[["_Design", int, int], tuple[float, float]]] = {
    "REML": _score_reml, "ML": _score_ml, "EB": _score_eb,
}

#: name -> estimator; the order is the order of ``METHODS`` (REML first: the default)
ESTIMATORS: dict[str, Estimator] = {
    e.name: e for e in (
        Estimator("REML", _iterative("REML"), zero_vi_ok=True, iterative=True),
        Estimator("DL", _est_dl),
        Estimator("PM", _est_pm, iterative=True),
        Estimator("ML", _iterative("ML"), zero_vi_ok=True, iterative=True),
        Estimator("HS", _est_hs),
        Estimator("SJ", _est_sj, zero_vi_ok=True),
        Estimator("EB", _iterative("EB"), zero_vi_ok=True, iterative=True),
        Estimator("HE", _est_he, zero_vi_ok=True),
        Estimator("FE", _est_fixed, fixed=True),
        Estimator("EE", _est_fixed, fixed=True),
    )
}
METHODS: tuple[str, ...] = tuple(ESTIMATORS)


def _estimate_tau2(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str, tau2_max: float,
    threshold: float | None = None,
) -> tuple[float, float | None]:
    """Return (tau2, se_tau2) for ``method`` (k - p = 0: tau2 = 0, SE undefined)."""
    k, p = X.shape
    est = ESTIMATORS[method]
    if est.fixed or k - p <= 0:
        return 0.0, None
    return est.fn(y, v, X, tau2_max, threshold)


def _score(y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str, t: float) -> tuple[float, float]:
    """(estimating-equation value, Fisher-scoring step) at tau2 = t."""
    k, p = X.shape
    d = _Design(y, X, 1 / (v + t), need_pp=method == "REML")
    return SCORES[method](d, k, p)


def _fisher_scoring(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str, start: float, tau2_max: float,
    threshold: float | None = None,
) -> float:
    """Fisher scoring from ``start`` (metafor's path: it starts at the HE estimate, so with a
    multimodal likelihood we reach the same local maximum), then a bracketing polish of the root
    of the estimating equation to full double precision."""
    t = start
    above: float | None = None  # the last tau2 whose score was positive / negative: a bracket of
    below: float | None = None  # the root if scoring cycles around it instead of converging
    cycling = False
    for i in range(10000):
        g, adj = _score(y, v, X, method, t)
        if g > 0:
            above = t
        elif g < 0:
            below = t
        if i >= 500 and threshold is None and above is not None and below is not None:
            cycling = True  # still cycling after 500 steps: solve within the bracket below
            break
        while t + adj < 0 and abs(adj) > 0:
            adj /= 2
            if abs(adj) < 1e-300:
                adj = 0.0
        t_new = min(t + adj, tau2_max)
        if threshold is not None:
            if abs(t_new - t) < threshold:
                return max(0.0, t_new)  # metafor-style stop (control threshold), no polish
            t = t_new
            continue
        if abs(t_new - t) <= 1e-12 * max(t_new, 1e-8) or t_new == 0.0:
            t = t_new
            break
        t = t_new
    else:
        cycling = True
    if cycling:  # scoring cycles around the root (e.g. one precise study against many agreeing ones)
        if above is None or below is None or not above < below:
            raise ValueError("Fisher scoring algorithm did not converge.")
        t = optimize.brentq(lambda x: _score(y, v, X, method, x)[0], above, below,
                            xtol=1e-300, rtol=4 * np.finfo(float).eps)
    if (v <= 0).any():  # the score at tau2 = 0 is undefined; t > 0 here
        return _polish(y, v, X, method, t)
    if _score(y, v, X, method, 0.0)[0] <= 0 and t < 1e-7 * max(1.0, start):
        return 0.0 if _score(y, v, X, method, t)[0] <= 0 or t < 1e-12 else _polish(y, v, X, method, t)
    return _polish(y, v, X, method, t)


def _polish(y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str, t: float) -> float:
    def g(x: float) -> float:
        return _score(y, v, X, method, x)[0]

    gt = g(t)
    if gt == 0:
        return t
    delta = max(abs(t) * 1e-9, 1e-15)
    floor = 0.0 if (v > 0).all() else t * 1e-6
    for _ in range(60):
        lo, hi = (t, t + delta) if gt > 0 else (max(floor, t - delta), t)
        glo, ghi = g(lo), g(hi)
        if glo >= 0 >= ghi:
            if glo == 0:
                return lo
            return optimize.brentq(g, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps)
        if lo == floor and glo < 0:
            return floor
        delta *= 4
    return t


def _se_sj(y, v, X, tau2, tau2_0) -> float:
    # SE of the Sidik-Jonkman estimator as a scaled quadratic form in y (delta method on V)
    k, p = X.shape
    w = 1 / (v + tau2_0)
    d = _Design(y, X, w, need_pp=True)
    # Var(y'Py) with Var(y) = diag(v + tau2): 2 tr(P S P S), S = diag(v + tau2)
    s = v + tau2
    A = d.A
    # tr(PSPS) where P = W - W X A X' W
    ws = w * s
    sum1 = float(np.sum(ws * ws))
    M1 = (X.T * (w * ws * ws)) @ X  # X' W S W S W X
    M2 = (X.T * (w * ws)) @ X  # X' W S W X
    tr = sum1 - 2 * float(np.trace(A @ M1)) + float(np.trace(A @ M2 @ A @ M2))
    return math.sqrt(tau2_0**2 / (k - p) ** 2 * 2 * tr)


# --------------------------------------------------------------------------------------------
# result objects
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tau2CI:
    """Q-profile confidence interval for tau², tau, I² (percent) and H²."""

    level: float
    tau2: float
    tau2_ci_lb: float
    tau2_ci_ub: float
    tau: float
    tau_ci_lb: float
    tau_ci_ub: float
    i2: float
    i2_ci_lb: float
    i2_ci_ub: float
    h2: float
    h2_ci_lb: float
    h2_ci_ub: float
    lb_sign: str = ""
    ub_sign: str = ""

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True, kw_only=True)
class RmaResult(MetaFit):
    """Intercept-only ``rma.uni`` fit: a :class:`~evidence.fits.MetaFit` plus the SE of tau²,
    the "typical" sampling variance ``vt``, the Knapp-Hartung factor ``s2w`` and the settings
    needed to refit (``tau2_max``, ``threshold``)."""

    model: str = "rma.uni"
    se_tau2: float | None = None
    vt: float = float("nan")
    s2w: float | None = None
    k_all: int = 0
    tau2_max: float = 1e8
    threshold: float | None = None

    def confint(self, level: float | None = None) -> Tau2CI:
        """Q-profile confidence interval for tau², tau, I² and H² (metafor ``confint``)."""
        return confint_tau2(self, level)

    def influence(self) -> Any:
        """Case-deletion diagnostics (metafor ``influence``), see :func:`evidence.diagnostics.influence`."""
        from evidence.diagnostics import influence

        return influence(self)

    def to_dict(self) -> dict:
        """The ``fit.json`` layout of ``python -m evidence pool``."""
        try:
            ci = confint_tau2(self)
        except ValueError:
            ci = None
        stat = "tval" if self.stat_name == "t" else "zval"
        out: dict[str, Any] = {
            "measure": self.measure,
            "method": self.method,
            "test": self.test,
            "level": self.level,
            "k": self.k,
            "estimate": self.estimate,
            "se": self.se,
            stat: self.stat,
            "pval": self.pval,
            "ci_lb": self.ci_lb,
            "ci_ub": self.ci_ub,
            "pi_lb": self.pi_lb,
            "pi_ub": self.pi_ub,
            "ddf": self.ddf,
            "tau2": self.tau2,
            "se_tau2": self.se_tau2,
            "tau2_ci_lb": ci.tau2_ci_lb if ci else None,
            "tau2_ci_ub": ci.tau2_ci_ub if ci else None,
            "tau": self.tau,
            "i2": self.i2,
            "i2_ci_lb": ci.i2_ci_lb if ci else None,
            "i2_ci_ub": ci.i2_ci_ub if ci else None,
            "h2": self.h2,
            "h2_ci_lb": ci.h2_ci_lb if ci else None,
            "h2_ci_ub": ci.h2_ci_ub if ci else None,
            "qe": self.qe,
            "qe_df": self.qe_df,
            "qe_pval": self.qe_pval,
        }
        if self.has_backtransform:
            out.update(
                estimate_bt=self.estimate_bt,
                ci_lb_bt=self.ci_lb_bt,
                ci_ub_bt=self.ci_ub_bt,
                pi_lb_bt=self.pi_lb_bt,
                pi_ub_bt=self.pi_ub_bt,
            )
            if self.measure == "PFT":
                out["harmonic_mean_n"] = float(len(self.ni) / np.sum(1 / self.ni))
        out["slab"] = list(self.slab)
        out["yi"] = self.yi.tolist()
        out["vi"] = self.vi.tolist()
        out["weight"] = self.weights.tolist()
        if self.has_backtransform:
            out["yi_bt"] = np.asarray(self.yi_bt).tolist()
        out["warnings"] = list(self.warnings)
        return json_clean(out)


@dataclass(frozen=True)
class RmaModsResult:
    """Mixed-effects meta-regression fit (``rma(yi, vi, mods=...)``)."""

    method: str
    test: str
    level: float
    k: int
    p: int
    names: tuple[str, ...]
    estimate: np.ndarray
    se: np.ndarray
    stat: np.ndarray
    pval: np.ndarray
    ci_lb: np.ndarray
    ci_ub: np.ndarray
    vb: np.ndarray
    qm: float
    qm_df: tuple[int, int | None]
    qm_pval: float
    tau2: float
    se_tau2: float | None
    i2: float
    h2: float
    qe: float
    qe_df: int
    qe_pval: float
    r2: float | None
    ddf: int | None
    s2w: float | None
    intercept: bool
    X: np.ndarray = field(repr=False, default=None)
    yi: np.ndarray = field(repr=False, default=None)
    vi: np.ndarray = field(repr=False, default=None)
    warnings: tuple[str, ...] = ()

    @property
    def stat_name(self) -> str:
        """``"t"`` for Knapp-Hartung fits, else ``"z"``: the name of ``stat``."""
        return "t" if self.test == "knha" else "z"

    @property
    def zval(self) -> np.ndarray | None:
        return self.stat if self.stat_name == "z" else None

    @property
    def tval(self) -> np.ndarray | None:
        return self.stat if self.stat_name == "t" else None

    def predict(self, newmods: np.ndarray) -> dict:
        """Predicted values, CI and PI at rows of ``newmods`` (without the intercept column)."""
        Xn = np.atleast_2d(np.asarray(newmods, dtype=float))
        if Xn.shape[0] == 1 and self.p - int(self.intercept) == 1 and Xn.shape[1] != 1:
            Xn = Xn.T
        if self.intercept:
            Xn = np.column_stack([np.ones(len(Xn)), Xn])
        pred = Xn @ self.estimate
        se = np.sqrt(np.einsum("ij,jk,ik->i", Xn, self.vb, Xn))
        crit = _crit(self.level, self.test, self.ddf)
        out = {"pred": pred, "se": se, "ci_lb": pred - crit * se, "ci_ub": pred + crit * se}
        if self.method in _FIXED:
            out["pi_lb"] = out["pi_ub"] = None
        else:
            sp = np.sqrt(se**2 + self.tau2)
            out["pi_lb"] = pred - crit * sp
            out["pi_ub"] = pred + crit * sp
        return out

    def to_dict(self) -> dict:
        return json_clean(
            {
                "method": self.method,
                "test": self.test,
                "level": self.level,
                "k": self.k,
                "p": self.p,
                "coefficients": {
                    "names": list(self.names),
                    "estimate": self.estimate.tolist(),
                    "se": self.se.tolist(),
                    ("tval" if self.stat_name == "t" else "zval"): self.stat.tolist(),
                    "pval": self.pval.tolist(),
                    "ci_lb": self.ci_lb.tolist(),
                    "ci_ub": self.ci_ub.tolist(),
                },
                "qm": self.qm,
                "qm_df": list(self.qm_df),
                "qm_pval": self.qm_pval,
                "tau2": self.tau2,
                "se_tau2": self.se_tau2,
                "i2": self.i2,
                "h2": self.h2,
                "qe": self.qe,
                "qe_df": self.qe_df,
                "qe_pval": self.qe_pval,
                "r2": self.r2,
            }
        )


# --------------------------------------------------------------------------------------------
# fitting
# --------------------------------------------------------------------------------------------
def _validate(method: str, test: str, level: float) -> tuple[str, str, float]:
    m = str(method).upper()
    if m not in METHODS:
        raise ValueError(f"Invalid method '{method}'; must be one of {list(METHODS)}.")
    t = str(test).lower()
    if t not in TESTS:
        raise ValueError(f"Invalid test '{test}'; must be one of {list(TESTS)}.")
    try:
        lv = float(level)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid level {level!r}; must be a number in (0, 100).") from None
    if lv < 1:  # accept 0.95 as 95 %, like metafor
        lv *= 100
    if not 0 < lv < 100:
        raise ValueError(f"Invalid level {level!r}; must lie in (0, 100).")
    return m, t, lv


def _crit(level: float, test: str, ddf: int | None) -> float:
    a = 1 - level / 100
    if test == "knha":
        return float(stats.t.ppf(1 - a / 2, ddf))
    return float(stats.norm.ppf(1 - a / 2))


def _prepare(
    yi: Any, vi: Any, extra: dict[str, Any] | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    y = np.asarray(yi, dtype=float).ravel()
    v = np.asarray(vi, dtype=float).ravel()
    if y.shape != v.shape:
        raise ValueError(
            f"yi and vi should have the same length. You provided yi with {y.size} and vi with "
            f"{v.size} values."
        )
    keep = np.isfinite(y) & np.isfinite(v)
    for name, arr in (extra or {}).items():
        a = np.asarray(arr, dtype=float)
        if a.ndim == 1:
            keep &= np.isfinite(a)
        else:
            keep &= np.isfinite(a).all(axis=1)
        del name
    msgs = []
    nd = int((~keep).sum())
    if nd:
        msg = f"{nd} {'study' if nd == 1 else 'studies'} with NAs omitted from model fitting."
        warnings.warn(msg, stacklevel=3)
        msgs.append(msg)
    if keep.sum() == 0:
        raise ValueError("Processing terminated since k = 0.")
    if (v[keep] < 0).any():
        raise ValueError("Negative sampling variances; 'vi' must be >= 0.")
    return y, v, keep, msgs


def fit_rma(
    yi: Sequence[float] | np.ndarray,
    vi: Sequence[float] | np.ndarray,
    method: str = "REML",
    test: str = "z",
    level: float = 95,
    slab: Sequence[Any] | None = None,
    measure: str = "GEN",
    ni: Sequence[float] | None = None,
    tau2_max: float = 1e8,
    tau2: float | None = None,
    threshold: float | None = None,
) -> RmaResult:
    """Fit the intercept-only (random- or fixed-effects) model, like metafor's ``rma(yi, vi)``.

    ``method``: REML (default), DL, PM, ML, HS, SJ, EB, HE, FE/EE. ``test``: ``"z"`` or
    ``"knha"`` (Hartung-Knapp; t with k - 1 df, not truncated, as metafor 3.8). ``level`` in
    percent. ``ni`` (sample sizes) is needed to back-transform PFT with the harmonic mean of n.
    Studies with missing ``yi``/``vi`` are dropped with a warning that counts them. ``tau2``
    fixes tau² at a given value instead of estimating it (as ``rma(..., tau2=)``).
    By default REML/ML/EB are solved to full precision; ``threshold`` instead stops Fisher
    scoring (started, like metafor, at the HE estimate) once the change in tau² is below it,
    reproducing metafor's default ``control=list(threshold=1e-5)`` results.
    """
    method, test, level = _validate(method, test, level)
    if tau2 is not None and not (math.isfinite(tau2) and tau2 >= 0):
        raise ValueError(f"Invalid tau2 {tau2!r}; must be a finite number >= 0.")
    measure = str(measure).upper()
    extra = {"ni": ni} if measure == "PFT" and ni is not None else None
    y, v, keep, msgs = _prepare(yi, vi, extra)
    k_all = y.size
    y, v = y[keep], v[keep]
    n_arr = None if ni is None else np.asarray(ni, dtype=float).ravel()[keep]
    if measure == "PFT" and n_arr is None:
        raise ValueError("measure 'PFT' needs 'ni' (sample sizes) for the back-transformation.")
    if slab is None:
        slabs = tuple(str(i + 1) for i in np.flatnonzero(keep))
    else:
        s = list(slab)
        if len(s) != k_all:
            raise ValueError(f"slab has {len(s)} entries but yi has {k_all}.")
        slabs = tuple(str(s[i]) for i in np.flatnonzero(keep))
    k = y.size
    X = np.ones((k, 1))
    if test == "knha" and k == 1:
        warnings.warn(K1_WARNING, stacklevel=2)
        msgs.append(K1_WARNING)
        test = "z"
    if (v <= 0).any() and k == 1 and method in _FIXED + ("DL", "HS", "SJ", "PM"):
        raise ValueError(ZERO_VI_DIVISION)
    if (v <= 0).any() and k > 1:
        msgs.extend(_check_zero_vi(v, method, tau2, "Q-test"))
    if test == "knha" and method in _FIXED:
        warnings.warn(KNHA_FE_WARNING, stacklevel=2)
        msgs.append(KNHA_FE_WARNING)
    core = _fit_core(y, v, X, method, test, level, tau2_max, fixed_tau2=tau2,
                     threshold=threshold)
    b = float(core.b[0])
    se = float(core.se[0])
    if method in _FIXED:
        pi_lb = pi_ub = None
    else:
        sp = math.sqrt(se**2 + core.tau2)
        pi_lb, pi_ub = b - core.crit * sp, b + core.crit * sp
    w = core.w
    return RmaResult(
        method=method, test=test, level=level, measure=measure, k=k, estimate=b, se=se,
        stat=float(core.stat[0]), stat_name="t" if test == "knha" else "z",
        pval=float(core.pval[0]), ci_lb=float(core.ci_lb[0]), ci_ub=float(core.ci_ub[0]),
        pi_lb=pi_lb, pi_ub=pi_ub, tau2=core.tau2, se_tau2=core.se_tau2, i2=core.i2, h2=core.h2,
        qe=core.qe, qe_df=core.qe_df, qe_pval=core.qe_pval, vt=core.vt,
        weights=100 * w / w.sum(), yi=y, vi=v, slab=slabs, ni=n_arr, ddf=core.ddf,
        s2w=core.s2w, k_all=k_all, tau2_max=tau2_max, threshold=threshold,
        warnings=tuple(msgs),
    )


def _check_zero_vi(v: np.ndarray, method: str, tau2: float | None, q_name: str) -> list[str]:
    """metafor 3.8 with sampling variances <= 0: FE/EE divide by zero, DL/PM/HS refuse, the
    others fit with Q, I² and H² undefined. Returns the warnings (also issued)."""
    msgs = []
    if (v > 0).any():  # metafor warns only when some variances are positive
        warnings.warn(ZERO_VI_WARNING, stacklevel=3)
        msgs.append(ZERO_VI_WARNING)
    est = ESTIMATORS[method]
    if est.fixed:
        raise ValueError(ZERO_VI_DIVISION)
    if not est.zero_vi_ok and tau2 is None:
        raise ValueError(
            f"{method} estimator cannot be used when there are non-positive sampling variances "
            "in the data."
        )
    het = ZERO_VI_HET.format(q=q_name)
    if (v > 0).any():
        warnings.warn(het, stacklevel=3)
        msgs.append(het)
    return msgs


@dataclass(frozen=True)
class _Core:
    """What every rma.uni fit computes from (y, v, X, tau²)."""

    b: np.ndarray
    vb: np.ndarray
    se: np.ndarray
    stat: np.ndarray
    pval: np.ndarray
    ci_lb: np.ndarray
    ci_ub: np.ndarray
    crit: float
    tau2: float
    se_tau2: float | None
    w: np.ndarray
    qe: float
    qe_df: int
    qe_pval: float
    vt: float
    i2: float
    h2: float
    s2w: float | None
    ddf: int | None


def _fit_core(
    y: np.ndarray, v: np.ndarray, X: np.ndarray, method: str, test: str, level: float,
    tau2_max: float,
    fixed_tau2: float | None = None,
    threshold: float | None = None,
) -> _Core:
    k, p = X.shape
    if k < p:
        raise ValueError(
            "Number of parameters to be estimated is larger than the number of observations."
        )
    if fixed_tau2 is None:
        tau2, se_tau2 = _estimate_tau2(y, v, X, method, tau2_max, threshold)
    else:
        tau2, se_tau2 = (0.0 if method in _FIXED else float(fixed_tau2)), None
    if (v + tau2 <= 0).any():
        raise ValueError(ZERO_VI_DIVISION)
    w = 1 / (v + tau2)
    d = _Design(y, X, w)
    vb = d.A.copy()
    df_res = k - p
    s2w = ddf = None
    if test == "knha":
        if df_res == 0:
            raise ValueError(
                f"test='knha' needs more studies than coefficients (k = {k}, p = {p}): "
                "no residual degrees of freedom."
            )
        s2w = d.ypy / df_res
        vb = vb * s2w
        ddf = df_res
    se = np.sqrt(np.diag(vb))
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = d.b / se
    crit = _crit(level, test, ddf)
    if test == "knha":
        pval = 2 * stats.t.sf(np.abs(stat), ddf)
    else:
        pval = 2 * stats.norm.sf(np.abs(stat))
    # heterogeneity (undefined with sampling variances <= 0, as metafor's NA)
    nan = float("nan")
    if df_res > 0 and (v <= 0).any():
        qe, qe_pval, vt, i2, h2 = nan, nan, nan, nan, nan
    elif df_res > 0:
        d0 = _Design(y, X, 1 / v)
        qe = d0.ypy
        qe_pval = float(stats.chi2.sf(qe, df_res))
        vt = df_res / d0.trP
        if method in _FIXED:
            i2 = max(0.0, 100 * (qe - df_res) / qe) if qe > 0 else 0.0
            h2 = qe / df_res
        else:
            i2 = 100 * tau2 / (tau2 + vt)
            h2 = (tau2 + vt) / vt
    else:
        qe, qe_pval, vt, i2, h2 = 0.0, 1.0, 0.0, 0.0, 1.0
    return _Core(
        b=d.b, vb=vb, se=se, stat=stat, pval=pval, ci_lb=d.b - crit * se,
        ci_ub=d.b + crit * se, crit=crit, tau2=float(tau2), se_tau2=se_tau2, w=w,
        qe=float(qe), qe_df=df_res, qe_pval=qe_pval, vt=float(vt), i2=float(i2),
        h2=float(h2), s2w=s2w, ddf=ddf,
    )


def fit_rma_mods(
    yi: Sequence[float] | np.ndarray,
    vi: Sequence[float] | np.ndarray,
    mods: np.ndarray,
    method: str = "REML",
    test: str = "z",
    level: float = 95,
    names: Sequence[str] | None = None,
    intercept: bool = True,
    tau2_max: float = 1e8,
    threshold: float | None = None,
) -> RmaModsResult:
    """Mixed-effects meta-regression ``rma(yi, vi, mods=~...)`` with a k x q moderator matrix.

    The omnibus test ``qm`` covers all coefficients except the intercept (Wald chi-square with
    ``test="z"``, F with (q, k - p) df for ``"knha"``). ``r2`` is the pseudo R² (percent) against
    the intercept-only fit with the same method (RE models with an intercept only).
    """
    method, test, level = _validate(method, test, level)
    M = np.asarray(mods, dtype=float)
    if M.ndim == 1:
        M = M[:, None]
    y, v, keep, msgs = _prepare(yi, vi, {"mods": M})
    y, v, M = y[keep], v[keep], M[keep]
    k = y.size
    X = np.column_stack([np.ones(k), M]) if intercept else M
    p = X.shape[1]
    if names is None:
        names = [f"x{j + 1}" for j in range(M.shape[1])]
    names = (["intrcpt"] if intercept else []) + list(names)
    if np.linalg.matrix_rank(X) < p:
        raise ValueError("Model matrix not of full rank. Cannot fit model.")
    if (v <= 0).any():
        msgs.extend(_check_zero_vi(v, method, None, "QE-test"))
    if test == "knha" and method in _FIXED:
        warnings.warn(KNHA_FE_WARNING, stacklevel=2)
        msgs.append(KNHA_FE_WARNING)
    core = _fit_core(y, v, X, method, test, level, tau2_max, threshold=threshold)
    idx = np.arange(1 if intercept else 0, p)
    m = len(idx)
    b, vb = core.b, core.vb
    if m:
        bs = b[idx]
        qm = float(bs @ np.linalg.solve(vb[np.ix_(idx, idx)], bs))
    else:
        qm = float("nan")
    if test == "knha":
        qm = qm / m
        qm_df = (m, k - p)
        qm_pval = float(stats.f.sf(qm, m, k - p))
    else:
        qm_df = (m, None)
        qm_pval = float(stats.chi2.sf(qm, m))
    r2 = None
    if intercept and method not in _FIXED and k > 1:
        t0, _ = _estimate_tau2(y, v, np.ones((k, 1)), method, tau2_max, threshold)
        r2 = 0.0 if t0 <= 0 else max(0.0, 100 * (t0 - core.tau2) / t0)
    return RmaModsResult(
        method=method, test=test, level=level, k=k, p=p, names=tuple(names), estimate=b,
        se=core.se, stat=core.stat, pval=core.pval, ci_lb=core.ci_lb,
        ci_ub=core.ci_ub, vb=vb, qm=qm, qm_df=qm_df, qm_pval=qm_pval, tau2=core.tau2,
        se_tau2=core.se_tau2, i2=core.i2, h2=core.h2, qe=core.qe,
        qe_df=core.qe_df, qe_pval=core.qe_pval, r2=r2, ddf=core.ddf, s2w=core.s2w,
        intercept=intercept, X=X, yi=y, vi=v, warnings=tuple(msgs),
    )


# --------------------------------------------------------------------------------------------
# Q-profile confidence interval
# --------------------------------------------------------------------------------------------
def confint_tau2(
    fit: RmaResult, level: float | None = None, tau2_max: float | None = None
) -> Tau2CI:
    """Q-profile confidence interval for tau² (Viechtbauer 2007), with tau, I² and H² bounds.

    Solves ``sum((yi - mu(tau2))^2 / (vi + tau2)) = chi2_{k-1}`` quantiles. Bounds that would be
    negative are set to 0 (``lb_sign``/``ub_sign = "<"`` if the whole interval is at 0); an upper
    bound beyond ``tau2_max`` is reported as ``tau2_max`` with ``ub_sign = ">"``.
    """
    if fit.k == 1:
        raise ValueError("Stopped because k = 1.")
    if (fit.vi <= 0).any():
        raise ValueError(ZERO_VI_CONFINT)
    lv = fit.level if level is None else _validate("REML", "z", level)[2]
    tmax = fit.tau2_max if tau2_max is None else float(tau2_max)
    y, v = fit.yi, fit.vi
    X = np.ones((y.size, 1))
    df = y.size - 1
    a = 1 - lv / 100
    q_hi = float(stats.chi2.ppf(1 - a / 2, df))  # for the lower bound
    q_lo = float(stats.chi2.ppf(a / 2, df))  # for the upper bound

    def qgen(t: float) -> float:
        return _Design(y, X, 1 / (v + t)).ypy

    q0 = qgen(0.0)
    lb_sign = ub_sign = ""
    if q0 < q_lo:
        lb = ub = 0.0
        lb_sign = ub_sign = "<"
    else:
        if q0 < q_hi:
            lb = 0.0
        else:
            lb = _solve_q(qgen, q_hi, tmax)
            if lb is None:
                lb, lb_sign = tmax, ">"
        ub = _solve_q(qgen, q_lo, tmax)
        if ub is None:
            ub, ub_sign = tmax, ">"
    vt = fit.vt

    def i2(t: float) -> float:
        return 100 * t / (t + vt) if vt > 0 else 0.0

    def h2(t: float) -> float:
        return (t + vt) / vt if vt > 0 else 1.0

    return Tau2CI(
        level=lv, tau2=fit.tau2, tau2_ci_lb=lb, tau2_ci_ub=ub, tau=fit.tau,
        tau_ci_lb=math.sqrt(lb), tau_ci_ub=math.sqrt(ub), i2=fit.i2, i2_ci_lb=i2(lb),
        i2_ci_ub=i2(ub), h2=fit.h2, h2_ci_lb=h2(lb), h2_ci_ub=h2(ub), lb_sign=lb_sign,
        ub_sign=ub_sign,
    )


def _solve_q(qgen: Callable[[float], float], target: float, tmax: float) -> float | None:
    def g(t: float) -> float:
        return qgen(t) - target

    if g(tmax) > 0:
        return None
    return _root_decreasing(g, 1e-2, tmax)
