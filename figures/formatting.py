"""Text formatting of the numbers printed on figures and in tables.

Every number a figure or a summary-of-findings table prints goes through one of these functions,
so a test can recompute the expected strings from the pooled table they came from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

MINUS = "\u2212"
"""Typographic minus sign used for negative numbers (the same glyph matplotlib uses on axes)."""

NA = "\u2013"
"""What is printed for a missing number (an en dash)."""


@dataclass(frozen=True)
class MeasureInfo:
    """How a measure (metafor escalc code) is shown: axis scale, names and digits."""

    code: str
    name: str  # axis label, e.g. "Odds ratio"
    short: str  # column header, e.g. "OR"
    scale: str  # "log" | "percent" | "linear"
    null: float | None  # reference line in natural units (1 for ratios, 0 for differences)
    digits: int

    @property
    def factor(self) -> float:
        """Multiplier from the table's natural units (``*_bt``) to the printed units."""
        return 100.0 if self.scale == "percent" else 1.0


_MEASURES: tuple[MeasureInfo, ...] = (
    MeasureInfo("PR", "Proportion (%)", "Proportion, %", "percent", None, 1),
    MeasureInfo("PLO", "Proportion (%)", "Proportion, %", "percent", None, 1),
    MeasureInfo("PAS", "Proportion (%)", "Proportion, %", "percent", None, 1),
    MeasureInfo("PFT", "Proportion (%)", "Proportion, %", "percent", None, 1),
    MeasureInfo("OR", "Odds ratio", "OR", "log", 1.0, 2),
    MeasureInfo("RR", "Risk ratio", "RR", "log", 1.0, 2),
    MeasureInfo("IRR", "Incidence rate ratio", "IRR", "log", 1.0, 2),
    MeasureInfo("ROM", "Ratio of means", "Ratio of means", "log", 1.0, 2),
    MeasureInfo("RD", "Risk difference", "RD", "linear", 0.0, 2),
    MeasureInfo("MN", "Mean", "Mean", "linear", None, 2),
    MeasureInfo("MC", "Mean change", "Mean change", "linear", 0.0, 2),
    MeasureInfo("MD", "Mean difference", "MD", "linear", 0.0, 2),
    MeasureInfo("SMD", "Standardised mean difference", "SMD", "linear", 0.0, 2),
    MeasureInfo("SMCC", "Standardised mean change", "SMC", "linear", 0.0, 2),
    MeasureInfo("SMCR", "Standardised mean change", "SMC", "linear", 0.0, 2),
    MeasureInfo("COR", "Correlation", "r", "linear", 0.0, 2),
    MeasureInfo("ZCOR", "Correlation", "r", "linear", 0.0, 2),
)
MEASURES: dict[str, MeasureInfo] = {m.code: m for m in _MEASURES}


def measure_info(measure: str) -> MeasureInfo:
    """Return the display information of an escalc measure code (any case)."""
    code = str(measure).strip().upper()
    try:
        return MEASURES[code]
    except KeyError:
        raise ValueError(
            f"Unknown measure {measure!r}; must be one of {sorted(MEASURES)}."
        ) from None


def _missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def format_number(x: float | None, digits: int = 2) -> str:
    """Fixed-point number with a typographic minus; missing values print as an en dash."""
    if _missing(x):
        return NA
    value = round(float(x), digits)  # type: ignore[arg-type]
    if value == 0:
        value = 0.0  # no "-0.00"
    text = f"{value:.{digits}f}"
    return text.replace("-", MINUS)


def format_ci(lb: float | None, ub: float | None, digits: int = 2) -> str:
    """``[lb, ub]``."""
    return f"[{format_number(lb, digits)}, {format_number(ub, digits)}]"


def format_estimate(est: float | None, lb: float | None, ub: float | None, digits: int = 2) -> str:
    """``est [lb, ub]``, e.g. ``0.45 [0.30, 0.60]``: the estimate column of every forest plot."""
    if _missing(est):
        return NA
    return f"{format_number(est, digits)} {format_ci(lb, ub, digits)}"


def format_weight(w: float | None) -> str:
    """Weight in percent with one decimal, e.g. ``12.3%``."""
    if _missing(w):
        return ""
    return f"{float(w):.1f}%"  # type: ignore[arg-type]


def format_pvalue(p: float | None) -> str:
    """``p = 0.123`` / ``p < 0.001``."""
    if _missing(p):
        return f"p = {NA}"
    p = float(p)  # type: ignore[arg-type]
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}"


def format_count(x: float | None) -> str:
    """Integer count, blank when missing."""
    if _missing(x):
        return ""
    return f"{int(round(float(x)))}"  # type: ignore[arg-type]


def format_df(df: object) -> str:
    """Degrees of freedom: an integer, or as written (``"2, 15"`` for an F test)."""
    if isinstance(df, str):
        return df.strip().strip("()[]") or NA
    if isinstance(df, (tuple, list)):
        return ", ".join(format_count(d) for d in df if not _missing(d)) or NA
    return format_count(df) or NA  # type: ignore[arg-type]


def format_tau2(tau2: float | None) -> str:
    """tau² with three decimals (``< 0.001`` for tiny positive values)."""
    if _missing(tau2):
        return NA
    t = float(tau2)  # type: ignore[arg-type]
    if 0 < t < 0.0005:
        return "< 0.001"
    return f"{t:.3f}"


def format_i2(i2: float | None) -> str:
    """I² in percent (the pooled table stores percent, as metafor does)."""
    if _missing(i2):
        return NA
    return f"{float(i2):.0f}%"  # type: ignore[arg-type]


def format_heterogeneity(
    tau2: float | None,
    i2: float | None,
    q: float | None,
    df: float | None,
    p: float | None,
) -> str:
    """``Heterogeneity: τ² = 0.034; I² = 45%; Q = 7.30, df = 4 (p = 0.121)``."""
    return (
        f"Heterogeneity: \u03c4\u00b2 = {format_tau2(tau2)}; I\u00b2 = {format_i2(i2)}; "
        f"Q = {format_number(q, 2)}, df = {format_df(df)} ({format_pvalue(p)})"
    )


def format_subgroup_test(q: float | None, df: float | None, p: float | None) -> str:
    """``Test for subgroup differences: Q = 3.10, df = 2 (p = 0.212)``."""
    return (
        f"Test for subgroup differences: Q = {format_number(q, 2)}, "
        f"df = {format_df(df)} ({format_pvalue(p)})"
    )


GROUP_LABELS: dict[str, str] = {
    "ablation": "Ablation",
    "sacroplasty": "Sacroplasty",
    "ablation+sacroplasty": "Ablation + sacroplasty",
    "ert": "External radiation therapy (ERT)",
    "surgery": "Surgery",
    "other": "Other",
}
"""Display names of the treatment classes (``evidence.vocabulary.TREATMENT_CLASSES``)."""


def group_label(group: object, labels: dict[str, str] | None = None) -> str:
    """Display name of a subgroup: ``labels``, then :data:`GROUP_LABELS`, else as written."""
    key = "" if group is None else str(group)
    if labels and key in labels:
        return labels[key]
    return GROUP_LABELS.get(key, key or "Other")


def _float(x: object) -> float:
    try:
        return float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def estimate_digits(measure: str, digits: int | None = None) -> int:
    """Digits printed for ``measure`` (1 for proportions in percent, 2 otherwise)."""
    return measure_info(measure).digits if digits is None else int(digits)


def estimate_text(row: Mapping[str, object], measure: str, digits: int | None = None) -> str:
    """The estimate column of one pooled-table row, as the forest plot prints it.

    Uses the natural-unit columns ``estimate_bt, ci_lb_bt, ci_ub_bt`` (times 100 for
    proportions, which are printed in percent).
    """
    info = measure_info(measure)
    d = estimate_digits(measure, digits)
    f = info.factor
    return format_estimate(
        _float(row["estimate_bt"]) * f, _float(row["ci_lb_bt"]) * f, _float(row["ci_ub_bt"]) * f, d
    )


def prediction_text(row: Mapping[str, object], measure: str, digits: int | None = None) -> str:
    """The prediction interval of one pooled-table row, as printed: ``[lb, ub]``."""
    info = measure_info(measure)
    f = info.factor
    return format_ci(_float(row["pi_lb_bt"]) * f, _float(row["pi_ub_bt"]) * f, estimate_digits(measure, digits))
