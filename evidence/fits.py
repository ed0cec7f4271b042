"""One result shape for every pooled fit, with metafor's verbs.

:class:`MetaFit` is what ``rma.uni`` (:func:`evidence.models.fit_rma`), ``rma.glmm``
(:func:`evidence.glmm.fit_glmm`), ``rma.mh`` / ``rma.peto`` (:mod:`evidence.twogroup`) and
``rma.mv`` (:func:`evidence.multilevel.fit_multilevel`) return: the pooled effect on the model
scale, its test statistic under an explicit name (``stat_name`` is ``"z"`` or ``"t"``), the
heterogeneity statistics (NaN where the model does not define them, as metafor's ``NA``), the
per-study data and weights, and ``predict(transf=)``, ``confint()``, ``influence()``.
Model-specific numbers (variance components, likelihood-ratio tests, MH statistics) are in
``extra``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
from scipy import stats

__all__ = [
    "MetaFit",
    "Prediction",
    "backtransform",
    "transf_ipft",
    "transf_pft",
    "json_clean",
    "IDENTITY_MEASURES",
]

_NAN = float("nan")


# --------------------------------------------------------------------------------------------
# back-transformations
# --------------------------------------------------------------------------------------------
def transf_pft(p: np.ndarray | float, n: np.ndarray | float) -> np.ndarray:
    """Freeman-Tukey double arcsine of proportion ``p`` with sample size ``n``."""
    p = np.asarray(p, dtype=float)
    n = np.asarray(n, dtype=float)
    x = p * n
    return 0.5 * (np.arcsin(np.sqrt(x / (n + 1))) + np.arcsin(np.sqrt((x + 1) / (n + 1))))


def transf_ipft(t: np.ndarray | float, n: np.ndarray | float) -> np.ndarray:
    """Inverse Freeman-Tukey double arcsine (Miller 1978), clamped to [0, 1]."""
    t = np.asarray(t, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.sin(2 * t)
        inner = 1 - (s + (s - 1 / s) / n) ** 2
        p = 0.5 * (1 - np.sign(np.cos(2 * t)) * np.sqrt(inner))
    p = np.where(t > transf_pft(1.0, n), 1.0, p)
    p = np.where(t < transf_pft(0.0, n), 0.0, p)
    return p


def _ilogit(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def _iarcsin(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return np.where(x < 0, 0.0, np.where(x > math.asin(1), 1.0, np.sin(x) ** 2))


EXP_MEASURES = {"OR", "RR", "ROM"}
IDENTITY_MEASURES = {"GEN", "PR", "MN", "MC", "SMCR", "MD", "SMD", "RD"}


def backtransform(x: Any, measure: str, ni: Sequence[float] | None = None) -> Any:
    """Back-transform model-scale values to natural units (PLO->ilogit, PAS->iarcsin,
    PFT->ipft with the harmonic mean of ``ni``, OR/RR/ROM->exp, others identity)."""
    if x is None:
        return None
    scalar = np.ndim(x) == 0
    arr = np.asarray(x, dtype=float)
    if measure in EXP_MEASURES:
        out = np.exp(arr)
    elif measure == "PLO":
        out = _ilogit(arr)
    elif measure == "PAS":
        out = _iarcsin(arr)
    elif measure == "PFT":
        if ni is None:
            raise ValueError("Back-transforming PFT needs the study sample sizes 'ni'.")
        n = np.asarray(ni, dtype=float)
        hm = len(n) / np.sum(1 / n)
        out = transf_ipft(arr, hm)
    else:
        out = arr.copy()
    return float(out) if scalar else out


def json_clean(obj: Any) -> Any:
    """Make ``obj`` JSON-safe: numpy scalars to Python, NaN to None, +-Inf to "Inf"/"-Inf"."""
    if isinstance(obj, dict):
        return {k: json_clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [json_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [json_clean(v) for v in obj.tolist()]
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        x = float(obj)
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "Inf" if x > 0 else "-Inf"
        return x
    return obj


# --------------------------------------------------------------------------------------------
# the shared result shape
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Prediction:
    """``predict(fit)``: the pooled value, its CI and (random-effects models) the PI."""

    pred: float
    se: float | None
    ci_lb: float
    ci_ub: float
    pi_lb: float | None
    pi_ub: float | None

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True, kw_only=True)
class MetaFit:
    """A pooled fit of any model (see the module docstring).

    ``test`` says how the CI and p-value were computed: ``"z"`` (normal), ``"knha"``
    (Hartung-Knapp, t with ``ddf`` df) or ``"t"`` (t with ``ddf`` df, e.g. cluster-robust).
    ``stat`` holds the test statistic and ``stat_name`` its name, ``"z"`` or ``"t"``.
    """

    model: str
    method: str
    test: str
    level: float
    measure: str
    k: int
    estimate: float
    se: float
    stat: float
    stat_name: str
    pval: float
    ci_lb: float
    ci_ub: float
    pi_lb: float | None = None
    pi_ub: float | None = None
    ddf: int | None = None
    tau2: float = 0.0
    i2: float = _NAN
    h2: float = _NAN
    qe: float = _NAN
    qe_df: int | None = None
    qe_pval: float = _NAN
    yi: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    vi: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    slab: tuple[str, ...] = ()
    weights: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    ni: np.ndarray | None = field(default=None, repr=False)
    warnings: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    # -- test statistic under its own name -----------------------------------------------------
    @property
    def zval(self) -> float | None:
        """The z statistic (``None`` when the test is a t test; see ``stat``)."""
        return self.stat if self.stat_name == "z" else None

    @property
    def tval(self) -> float | None:
        """The t statistic (``None`` when the test is a z test; see ``stat``)."""
        return self.stat if self.stat_name == "t" else None

    @property
    def tau(self) -> float:
        return math.sqrt(self.tau2) if self.tau2 is not None and self.tau2 >= 0 else _NAN

    @property
    def is_fixed(self) -> bool:
        """True for common-effect fits (no prediction interval)."""
        return self.pi_lb is None

    # -- natural units -------------------------------------------------------------------------
    @property
    def has_backtransform(self) -> bool:
        return self.measure not in IDENTITY_MEASURES

    def transf(self, x: Any) -> Any:
        """The measure's own back-transformation (metafor ``transf=``) of model-scale ``x``."""
        if x is None:
            return None
        return backtransform(x, self.measure, self.ni)

    @property
    def estimate_bt(self) -> float:
        return self.transf(self.estimate)

    @property
    def ci_lb_bt(self) -> float:
        return self.transf(self.ci_lb)

    @property
    def ci_ub_bt(self) -> float:
        return self.transf(self.ci_ub)

    @property
    def pi_lb_bt(self) -> float | None:
        return self.transf(self.pi_lb)

    @property
    def pi_ub_bt(self) -> float | None:
        return self.transf(self.pi_ub)

    @property
    def yi_bt(self) -> np.ndarray:
        """Per-study values in natural units (PFT: each study's own n)."""
        if self.measure == "PFT":
            return transf_ipft(self.yi, self.ni)
        return backtransform(self.yi, self.measure)

    # -- metafor verbs -------------------------------------------------------------------------
    def crit(self) -> float:
        """Critical value of the fit's CI (normal, or t with ``ddf`` df)."""
        a = 1 - self.level / 100
        if self.stat_name == "t":
            return float(stats.t.ppf(1 - a / 2, self.ddf))
        return float(stats.norm.ppf(1 - a / 2))

    def predict(self, transf: Callable[[Any], Any] | bool | None = None) -> Prediction:
        """metafor ``predict(fit, transf=)``: ``transf=True`` applies the measure's own
        back-transformation, a callable applies that function; transformed predictions have
        ``se = None`` as in metafor."""
        p = Prediction(self.estimate, self.se, self.ci_lb, self.ci_ub, self.pi_lb, self.pi_ub)
        if transf is None or transf is False:
            return p
        f = self.transf if transf is True else transf

        def g(x: float | None) -> float | None:
            return None if x is None else float(f(x))

        return Prediction(g(p.pred), None, g(p.ci_lb), g(p.ci_ub), g(p.pi_lb), g(p.pi_ub))

    def confint(self, level: float | None = None) -> Any:
        """Confidence interval for the heterogeneity parameters (model-specific)."""
        raise NotImplementedError(f"confint() is not available for {self.model} fits.")

    def influence(self) -> Any:
        """Case-deletion diagnostics (model-specific)."""
        raise NotImplementedError(f"influence() is not available for {self.model} fits.")

    # -- serialisation -------------------------------------------------------------------------
    def to_dict(self) -> dict:
        """The ``fit.json`` layout (the test statistic under ``zval`` or ``tval``)."""
        out: dict[str, Any] = {
            "model": self.model, "measure": self.measure, "method": self.method,
            "test": self.test, "level": self.level, "k": self.k, "estimate": self.estimate,
            "se": self.se, ("tval" if self.stat_name == "t" else "zval"): self.stat,
            "pval": self.pval, "ci_lb": self.ci_lb, "ci_ub": self.ci_ub, "pi_lb": self.pi_lb,
            "pi_ub": self.pi_ub, "ddf": self.ddf, "tau2": self.tau2, "tau": self.tau,
            "i2": self.i2, "h2": self.h2, "qe": self.qe, "qe_df": self.qe_df,
            "qe_pval": self.qe_pval,
        }
        if self.has_backtransform:
            out.update(estimate_bt=self.estimate_bt, ci_lb_bt=self.ci_lb_bt,
                       ci_ub_bt=self.ci_ub_bt, pi_lb_bt=self.pi_lb_bt, pi_ub_bt=self.pi_ub_bt)
        out.update({k: v for k, v in self.extra.items() if not k.startswith("_")})
        out["slab"] = list(self.slab)
        out["yi"] = np.asarray(self.yi).tolist()
        out["vi"] = np.asarray(self.vi).tolist()
        out["weight"] = np.asarray(self.weights).tolist()
        if self.has_backtransform and self.measure != "PFT":
            out["yi_bt"] = np.asarray(self.yi_bt).tolist()
        out["warnings"] = list(self.warnings)
        return json_clean(out)


def wald(estimate: float, se: float, level: float, ddf: int | None = None
         ) -> tuple[float, float, float, float, str]:
    """(stat, pval, ci_lb, ci_ub, stat_name) of a Wald test: z, or t with ``ddf`` df."""
    a = 1 - level / 100
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = float(np.divide(estimate, se))
    if ddf is None:
        crit = float(stats.norm.ppf(1 - a / 2))
        pval = float(2 * stats.norm.sf(abs(stat)))
        name = "z"
    else:
        crit = float(stats.t.ppf(1 - a / 2, ddf))
        pval = float(2 * stats.t.sf(abs(stat), ddf))
        name = "t"
    return stat, pval, estimate - crit * se, estimate + crit * se, name
