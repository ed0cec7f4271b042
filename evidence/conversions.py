"""Conversions used by harmonization: median/IQR/range to mean/SD, SD of a pre-post change.

The defaults follow metafor's ``conv.fivenum(method="default")`` ("luo/wan/shi"):

* mean: Luo et al. (2018), Stat Methods Med Res 27(6):1785-1805 (scenario-specific weights);
* SD: Wan et al. (2014), BMC Med Res Methodol 14:135 for median + range and median + IQR;
  Shi et al. (2020), Res Synth Methods 11(5):641-654 for the five-number summary.

Each function returns ``(mean, sd, method_name)``. Unlike ``conv.fivenum`` no test for skewness is
applied (harmonization records the method so a sensitivity analysis can drop these rows).
"""

from __future__ import annotations

import math

from scipy.stats import norm

__all__ = [
    "mean_sd_from_median_iqr",
    "mean_sd_from_median_range",
    "mean_sd_from_five_numbers",
    "sd_change",
    "xi_range",
    "eta_iqr",
]


def _check_n(n: float) -> float:
    try:
        n = float(n)
    except (TypeError, ValueError):
        raise ValueError(f"Invalid n {n!r}; must be a number >= 2.") from None
    if not (math.isfinite(n) and n >= 2):
        raise ValueError(f"Invalid n {n!r}; must be a number >= 2.")
    return n


def _check_order(**values: float) -> list[float]:
    names = list(values)
    vals = [float(values[k]) for k in names]
    if any(not math.isfinite(v) for v in vals):
        raise ValueError(f"Non-finite summary value in {dict(zip(names, vals))}.")
    for (a, x), (b, y) in zip(zip(names, vals), zip(names[1:], vals[1:])):
        if x > y:
            raise ValueError(f"{a}={x} > {b}={y}; summary values must be ordered ({' <= '.join(names)}).")
    return vals


def xi_range(n: float) -> float:
    """Expected range of n standard normal values, Wan et al. (2014): 2 Phi^-1((n-0.375)/(n+0.25))."""
    return 2 * float(norm.ppf((n - 0.375) / (n + 0.25)))


def eta_iqr(n: float) -> float:
    """Expected IQR of n standard normal values, Wan et al. (2014): 2 Phi^-1((0.75n-0.125)/(n+0.25))."""
    return 2 * float(norm.ppf((0.75 * n - 0.125) / (n + 0.25)))


def mean_sd_from_median_iqr(
    q1: float, median: float, q3: float, n: float
) -> tuple[float, float, str]:
    """Mean (Luo 2018, scenario S3 weights 0.7 + 0.39/n) and SD (Wan 2014: IQR / eta(n))."""
    n = _check_n(n)
    q1, m, q3 = _check_order(q1=q1, median=median, q3=q3)
    w = 0.7 + 0.39 / n
    mean = w * (q1 + q3) / 2 + (1 - w) * m
    sd = (q3 - q1) / eta_iqr(n)
    return mean, sd, "luo2018_wan2014_iqr"


def mean_sd_from_median_range(
    min: float, median: float, max: float, n: float  # noqa: A002 - metafor's argument names
) -> tuple[float, float, str]:
    """Mean (Luo 2018, S1 weight 4/(4+n^0.75)) and SD (Wan 2014: range / xi(n))."""
    n = _check_n(n)
    a, m, b = _check_order(min=min, median=median, max=max)
    w = 4 / (4 + n**0.75)
    mean = w * (a + b) / 2 + (1 - w) * m
    sd = (b - a) / xi_range(n)
    return mean, sd, "luo2018_wan2014_range"


def mean_sd_from_five_numbers(
    min: float, q1: float, median: float, q3: float, max: float, n: float  # noqa: A002
) -> tuple[float, float, str]:
    """Mean (Luo 2018, S2 weights) and SD (Shi 2020: weighted range and IQR estimators)."""
    n = _check_n(n)
    a, q1, m, q3, b = _check_order(min=min, q1=q1, median=median, q3=q3, max=max)
    w1 = 2.2 / (2.2 + n**0.75)
    w2 = 0.7 - 0.72 / n**0.55
    mean = w1 * (a + b) / 2 + w2 * (q1 + q3) / 2 + (1 - w1 - w2) * m
    ws = 1 / (1 + 0.07 * n**0.6)
    sd = ws * (b - a) / xi_range(n) + (1 - ws) * (q3 - q1) / eta_iqr(n)
    return mean, sd, "luo2018_shi2020_fivenum"


def sd_change(sd_pre: float, sd_post: float, r: float) -> float:
    """SD of the within-person change: sqrt(sd_pre² + sd_post² - 2 r sd_pre sd_post).

    (Cochrane Handbook 6.5.2.8; the variance of metafor's ``MC`` measure is this squared / n.)
    """
    sd_pre, sd_post, r = float(sd_pre), float(sd_post), float(r)
    if sd_pre < 0 or sd_post < 0:
        raise ValueError(f"Standard deviations must be >= 0; got sd_pre={sd_pre}, sd_post={sd_post}.")
    if not -1 <= r <= 1:
        raise ValueError(f"Invalid correlation r={r}; must lie in [-1, 1].")
    return math.sqrt(max(0.0, sd_pre**2 + sd_post**2 - 2 * r * sd_pre * sd_post))
