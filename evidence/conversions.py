"""Conversions used by harmonization: median/IQR/range to mean/SD, SD of a pre-post change,
SE from a confidence interval and SD from an SE, events from a printed percentage.

The defaults follow metafor's ``conv.fivenum(method="default")`` ("luo/wan/shi"):

* mean: Luo et al. (2018), Stat Methods Med Res 27(6):1785-1805 (scenario-specific weights);
* SD: Wan et al. (2014), BMC Med Res Methodol 14:135 for median + range and median + IQR;
  Shi et al. (2020), Res Synth Methods 11(5):641-654 for the five-number summary.

The median conversions return ``(mean, sd, method_name)``. Unlike ``conv.fivenum`` no test for skewness is
applied (harmonization records the method so a sensitivity analysis can drop these rows).
"""

from __future__ import annotations

import math

__all__ = [
    "mean_sd_from_median_iqr",
    "mean_sd_from_median_range",
    "mean_sd_from_five_numbers",
    "sd_change",
    "xi_range",
    "eta_iqr",
    "se_from_ci",
    "sd_from_se",
    "Z_THRESHOLD_N",
    "ci_df",
    "printed_decimals",
    "percent_consistent",
    "events_from_percent",
]


def _z(p: float) -> float:
    """The standard normal quantile, as ``scipy.stats.norm.ppf(p)`` computes it (``ndtri``),
    without importing scipy.stats (~0.7 s of start-up for every harmonisation)."""
    from scipy.special import ndtri

    return float(ndtri(p))


def _t(p: float, df: float) -> float:
    """Student's t quantile, as ``scipy.stats.t.ppf(p, df)`` computes it (``stdtrit``)."""
    from scipy.special import stdtrit

    return float(stdtrit(df, p))


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


def _within(mean: float, lo: float, hi: float) -> float:
    """``mean`` kept in [lo, hi]: the estimators are convex combinations, so this only undoes
    rounding (q1 = median = q3 = x gave a mean one ulp off x)."""
    return min(max(mean, lo), hi)


def xi_range(n: float) -> float:
    """Expected range of n standard normal values, Wan et al. (2014): 2 Phi^-1((n-0.375)/(n+0.25))."""
    return 2 * _z((n - 0.375) / (n + 0.25))


def eta_iqr(n: float) -> float:
    """Expected IQR of n standard normal values, Wan et al. (2014): 2 Phi^-1((0.75n-0.125)/(n+0.25))."""
    return 2 * _z((0.75 * n - 0.125) / (n + 0.25))


def mean_sd_from_median_iqr(
    q1: float, median: float, q3: float, n: float
) -> tuple[float, float, str]:
    """Mean (Luo 2018, scenario S3 weights 0.7 + 0.39/n) and SD (Wan 2014: IQR / eta(n))."""
    n = _check_n(n)
    q1, m, q3 = _check_order(q1=q1, median=median, q3=q3)
    w = 0.7 + 0.39 / n
    mean = _within(w * (q1 + q3) / 2 + (1 - w) * m, q1, q3)
    sd = (q3 - q1) / eta_iqr(n)
    return mean, sd, "luo2018_wan2014_iqr"


def mean_sd_from_median_range(
    min: float, median: float, max: float, n: float  # noqa: A002 - metafor's argument names
) -> tuple[float, float, str]:
    """Mean (Luo 2018, S1 weight 4/(4+n^0.75)) and SD (Wan 2014: range / xi(n))."""
    n = _check_n(n)
    a, m, b = _check_order(min=min, median=median, max=max)
    w = 4 / (4 + n**0.75)
    mean = _within(w * (a + b) / 2 + (1 - w) * m, a, b)
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
    mean = _within(w1 * (a + b) / 2 + w2 * (q1 + q3) / 2 + (1 - w1 - w2) * m, a, b)
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


Z_THRESHOLD_N = 60
"""From this many participants (per group) a CI is taken to use the normal quantile; below it,
Student's t (Cochrane Handbook 6.5.2.2-6.5.2.3)."""


def se_from_ci(lower: float, upper: float, level: float = 95, df: float | None = None) -> tuple[float, str]:
    """SE of an estimate from its symmetric confidence interval: (upper - lower) / (2 q).

    ``q`` is the normal quantile, or Student's t with ``df`` degrees of freedom when ``df`` is given
    (small samples, Cochrane Handbook 6.5.2.2). Returns ``(se, method)``, e.g. ``"se_from_ci95_z"``.
    """
    lower, upper, level = float(lower), float(upper), float(level)
    if not (math.isfinite(lower) and math.isfinite(upper)) or lower > upper:
        raise ValueError(f"CI lower {lower:g} must not exceed upper {upper:g}.")
    if not 0 < level < 100:
        raise ValueError(f"Invalid CI level {level!r}; must lie in (0, 100).")
    p = 1 - (1 - level / 100) / 2
    if df is None:
        return (upper - lower) / (2 * _z(p)), f"se_from_ci{level:g}_z"
    if not df >= 1:
        raise ValueError(f"Invalid degrees of freedom {df!r} for a t-based CI; must be >= 1.")
    return (upper - lower) / (2 * _t(p, df)), f"se_from_ci{level:g}_t{df:g}"


def ci_df(*group_sizes: float) -> float | None:
    """Degrees of freedom of a t-based CI, or None (normal) when every group has at least
    :data:`Z_THRESHOLD_N`: n - 1 for one group, n1 + n2 - 2 for two."""
    sizes = [float(n) for n in group_sizes]
    if all(n >= Z_THRESHOLD_N for n in sizes):
        return None
    return sum(sizes) - len(sizes)


def sd_from_se(se: float, n: float) -> tuple[float, str]:
    """SD of one group from the SE of its mean: SE x sqrt(n) (Cochrane Handbook 6.5.2.2)."""
    se, n = float(se), _check_n(n)
    if not (math.isfinite(se) and se >= 0):
        raise ValueError(f"Invalid SE {se!r}; must be a finite number >= 0.")
    return se * math.sqrt(n), "sd_from_se"


def printed_decimals(text: object) -> int:
    """Decimal places of a number as printed: ``"11"`` -> 0, ``"10.5"`` -> 1, ``"12.50"`` -> 2.

    A float (no printed text) counts its shortest representation: ``11.0`` -> 0, ``10.5`` -> 1.
    """
    if isinstance(text, float):
        text = repr(text).removesuffix(".0") if text.is_integer() else repr(text)
    digits = str(text).strip().rstrip("%").strip()
    if "e" in digits.lower():
        raise ValueError(f"percentage {text!r} printed in exponent form; expected digits such as 11 or 10.5")
    return len(digits.partition(".")[2])


def percent_consistent(events: float, total: float, percent: float, decimals: int) -> bool:
    """Whether ``events / total`` rounds to the printed ``percent`` at ``decimals`` places (either
    way at an exact half, so 1/8 = 12.5 % matches a printed 12 % and 13 %)."""
    if not total > 0:
        return False
    return abs(100 * events / total - percent) <= 0.5 * 10 ** -decimals + 1e-9


def events_from_percent(percent: float, total: float, decimals: int) -> int | None:
    """Events back-calculated from a printed percentage of ``total``: round(percent x total / 100),
    or None when no whole count gives the printed percentage (the rounding is inconsistent)."""
    if not total > 0 or not 0 <= percent <= 100:
        return None
    events = int(math.floor(percent * total / 100 + 0.5))
    return events if percent_consistent(events, total, percent, decimals) else None
