"""Effect sizes with metafor's ``escalc`` measure codes and conventions.

``compute_effects(df, measure)`` returns a copy of ``df`` with ``yi`` and ``vi`` appended. Input
columns are named as in metafor (``xi, ni`` / ``mi, sdi, ni`` / ``m1i, m2i, sd1i, sd2i, ri, ni`` /
``ai, bi, ci, di`` or ``ai, n1i, ci, n2i`` / ``m1i, sd1i, n1i, m2i, sd2i, n2i`` / ``yi, vi``).
Formulas follow the published definitions documented for metafor's ``escalc`` (written here from
the formulas, not from metafor's GPL code); the pinned reference numbers in
``tests/reference/metafor`` check them.

Rows with a missing input give ``yi = vi = NaN`` (the model fit drops them with a counted warning);
impossible inputs (events > total, negative SD, ...) raise ``ValueError`` naming row and column.
"""

from __future__ import annotations

import math
import warnings
from typing import Iterable

import numpy as np
import pandas as pd
from scipy.special import gammaln

__all__ = ["MEASURES", "compute_effects", "MEASURE_COLUMNS", "hedges_cm"]

#: measure -> tuple of alternative required column sets
MEASURE_COLUMNS: dict[str, tuple[tuple[str, ...], ...]] = {
    "GEN": (("yi", "vi"),),
    "PR": (("xi", "ni"),),
    "PLO": (("xi", "ni"),),
    "PAS": (("xi", "ni"),),
    "PFT": (("xi", "ni"),),
    "MN": (("mi", "sdi", "ni"),),
    "MC": (("m1i", "m2i", "sd1i", "sd2i", "ri", "ni"), ("mi", "sdi", "ni")),
    "SMCR": (("m1i", "m2i", "sd1i", "ri", "ni"),),
    "MD": (("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"),),
    "SMD": (("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"),),
    "ROM": (("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"),),
    "OR": (("ai", "bi", "ci", "di"), ("ai", "n1i", "ci", "n2i")),
    "RR": (("ai", "bi", "ci", "di"), ("ai", "n1i", "ci", "n2i")),
    "RD": (("ai", "bi", "ci", "di"), ("ai", "n1i", "ci", "n2i")),
}
MEASURES: tuple[str, ...] = tuple(MEASURE_COLUMNS)

#: vtype options supported per measure (first = default, metafor's "LS")
VTYPES: dict[str, tuple[str, ...]] = {
    "PR": ("LS", "UB", "AV"),
    "PLO": ("LS", "AV"),
    "MD": ("LS", "HO", "UB"),
    "SMD": ("LS", "UB", "LS2", "AV"),
    "ROM": ("LS", "HO", "AV"),
    "RD": ("LS", "UB", "AV"),
}
TO_OPTIONS = ("only0", "all", "if0all", "none")
_CC_MEASURES = {"PR", "PLO", "OR", "RR", "RD"}  # continuity correction applies (escalc: not PAS/PFT)


def hedges_cm(m: np.ndarray | float) -> np.ndarray:
    """Exact small-sample bias-correction factor of Hedges' g, ``c(m)`` with ``m`` degrees of freedom."""
    m = np.asarray(m, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.exp(gammaln(m / 2) - np.log(np.sqrt(m / 2)) - gammaln((m - 1) / 2))


def _row_name(df: pd.DataFrame, pos: int) -> str:
    idx = df.index[pos]
    idx = idx.item() if hasattr(idx, "item") else idx
    if "slab" in df.columns and pd.notna(df["slab"].iloc[pos]):
        return f"row {idx!r} (slab {df['slab'].iloc[pos]!r})"
    return f"row {idx!r}"


def _check(df: pd.DataFrame, bad: np.ndarray, col: str, values: np.ndarray, rule: str) -> None:
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        pos = np.flatnonzero(bad)
        where = "; ".join(f"{_row_name(df, p)}: {col}={float(values[p])!r}" for p in pos[:5])
        more = f" (and {len(pos) - 5} more)" if len(pos) > 5 else ""
        raise ValueError(f"{where}{more}; {rule}.")


def _num(df: pd.DataFrame, col: str) -> np.ndarray:
    try:
        return pd.to_numeric(df[col], errors="raise").to_numpy(dtype=float)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"Column '{col}' must be numeric: {exc}") from None


def _pick_columns(df: pd.DataFrame, measure: str) -> tuple[str, ...]:
    options = MEASURE_COLUMNS[measure]
    present = [cols for cols in options if all(c in df.columns for c in cols)]
    for cols in present:  # prefer a set that is not entirely empty
        if all(df[c].notna().any() for c in cols):
            return cols
    if present:
        return present[0]
    wanted = " or ".join("(" + ", ".join(c) + ")" for c in options)
    have = [c for c in options[0] if c not in df.columns]
    raise ValueError(
        f"Measure '{measure}' needs columns {wanted}; missing {have} in columns {list(df.columns)}."
    )


def _validate_option(name: str, value: str, allowed: Iterable[str]) -> str:
    allowed = list(allowed)
    if value not in allowed:
        raise ValueError(f"Invalid {name} '{value}'; must be one of {allowed}.")
    return value


def compute_effects(
    df: pd.DataFrame,
    measure: str,
    add: float = 0.5,
    to: str = "only0",
    drop00: bool = False,
    vtype: str = "LS",
) -> pd.DataFrame:
    """Compute ``yi`` and ``vi`` for ``measure`` (escalc semantics); return a copy of ``df``.

    Parameters
    ----------
    df : DataFrame with the escalc input columns named as in metafor.
    measure : metafor measure code (any case): GEN, PR, PLO, PAS, PFT, MN, MC, SMCR, MD, SMD, ROM,
        OR, RR, RD.
    add, to : continuity correction as escalc (``add=1/2, to="only0"``): add ``add`` to the cells of
        tables (2x2: all four cells; proportions: ``xi`` and ``ni - xi``) that have a zero cell
        (``"only0"``), to all tables (``"all"``), to all tables if any has a zero (``"if0all"``), or
        never (``"none"``). Not applied to PAS and PFT.
    drop00 : 2x2 measures: studies with no events (or only events) in both groups get NaN.
    vtype : sampling-variance type where metafor offers one ("LS" default; see ``VTYPES``).
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df must be a pandas DataFrame, not {type(df).__name__}.")
    measure = _validate_option("measure", str(measure).upper(), MEASURES)
    to = _validate_option("to", str(to), TO_OPTIONS)
    vtype = str(vtype).upper()
    _validate_option("vtype", vtype, VTYPES.get(measure, ("LS",)))
    if not (isinstance(add, (int, float)) and add >= 0 and math.isfinite(add)):
        raise ValueError(f"Invalid add {add!r}; must be a finite number >= 0.")
    cols = _pick_columns(df, measure)
    out = df.copy()
    data = {c: _num(df, c) for c in cols}

    if measure == "GEN":
        yi, vi = data["yi"].copy(), data["vi"].copy()
        _check(df, vi < 0, "vi", vi, "sampling variances must be >= 0")
    elif measure in ("PR", "PLO", "PAS", "PFT"):
        yi, vi = _proportion(df, measure, data["xi"], data["ni"], add, to, vtype)
    elif measure in ("MN",):
        m, sd, n = data["mi"], data["sdi"], data["ni"]
        _check_sd(df, "sdi", sd)
        _check(df, n < 1, "ni", n, "sample sizes must be >= 1")
        yi, vi = m.copy(), sd**2 / n
    elif measure == "MC":
        yi, vi = _mean_change(df, cols)
    elif measure == "SMCR":
        yi, vi = _change(df, measure, data)
    elif measure in ("MD", "SMD", "ROM"):
        yi, vi = _two_groups(df, measure, data, vtype)
    else:
        yi, vi = _two_by_two(df, measure, data, cols, add, to, drop00, vtype)

    inf = ~np.isfinite(yi) & ~np.isnan(yi) | ~np.isfinite(vi) & ~np.isnan(vi)
    if inf.any():
        warnings.warn(
            f"{int(inf.sum())} 'yi' and/or 'vi' values equal to +-Inf; recoded to NaN.",
            stacklevel=2,
        )
        yi = np.where(inf, np.nan, yi)
        vi = np.where(inf, np.nan, vi)
    out["yi"] = yi
    out["vi"] = vi
    out.attrs["measure"] = measure
    return out


def _check_sd(df: pd.DataFrame, col: str, sd: np.ndarray) -> None:
    _check(df, sd < 0, col, sd, "standard deviations must be >= 0")


def _pooled_p(xi: np.ndarray, ni: np.ndarray) -> float:
    ok = np.isfinite(xi) & np.isfinite(ni)
    return float(xi[ok].sum() / ni[ok].sum())


def _proportion(df, measure, xi, ni, add, to, vtype):
    _check(df, ni < 1, "ni", ni, "sample sizes must be >= 1")
    _check(df, xi < 0, "xi", xi, "event counts must be >= 0")
    _check(df, xi > ni, "xi", xi, "event counts must not exceed the sample size 'ni'")
    xi = xi.copy()
    ni = ni.copy()
    if measure in ("PR", "PLO") and to != "none" and add > 0:
        zero = (xi == 0) | (xi == ni)
        if to == "all":
            cc = np.ones_like(xi, dtype=bool)
        elif to == "if0all":
            cc = np.full_like(xi, bool(np.nansum(zero)), dtype=bool)
        else:
            cc = zero
        xi = np.where(cc, xi + add, xi)
        ni = np.where(cc, ni + 2 * add, ni)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = xi / ni
        if measure == "PR":
            yi = p
            if vtype == "UB":
                vi = p * (1 - p) / (ni - 1)
            elif vtype == "AV":
                pm = _pooled_p(xi, ni)
                vi = pm * (1 - pm) / ni
            else:
                vi = p * (1 - p) / ni
        elif measure == "PLO":
            yi = np.log(p / (1 - p))
            if vtype == "AV":
                pm = _pooled_p(xi, ni)
                vi = 1 / (ni * pm * (1 - pm))
            else:
                vi = 1 / xi + 1 / (ni - xi)
        elif measure == "PAS":
            yi = np.arcsin(np.sqrt(p))
            vi = 1 / (4 * ni)
        else:  # PFT (Freeman-Tukey double arcsine)
            yi = 0.5 * (np.arcsin(np.sqrt(xi / (ni + 1))) + np.arcsin(np.sqrt((xi + 1) / (ni + 1))))
            vi = 1 / (4 * ni + 2)
    return yi, vi


def _change(df, measure, d):
    m1, m2, sd1, ri, n = d["m1i"], d["m2i"], d["sd1i"], d["ri"], d["ni"]
    _check_sd(df, "sd1i", sd1)
    _check(df, (ri < -1) | (ri > 1), "ri", ri, "correlations must lie in [-1, 1]")
    _check(df, n < 2, "ni", n, "sample sizes must be >= 2")
    if measure == "MC":
        sd2 = d["sd2i"]
        _check_sd(df, "sd2i", sd2)
        yi = m1 - m2
        vi = (sd1**2 + sd2**2 - 2 * ri * sd1 * sd2) / n
    else:  # SMCR: raw-score standardisation by sd1i, bias-corrected with m = n - 1
        cm = hedges_cm(n - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            yi = cm * (m1 - m2) / sd1
        vi = 2 * (1 - ri) / n + yi**2 / (2 * n)
    return yi, vi


def _mean_change(df, cols):
    """MC from pre and post (``m1i, m2i, sd1i, sd2i, ri, ni``) and, on rows where those are
    missing, from a change reported as such (``mi`` = mean change, ``sdi`` = SD of the change:
    yi = mi, vi = sdi² / ni, metafor's advice to use MN for change scores)."""
    pre_post = MEASURE_COLUMNS["MC"][0]
    n = len(df)
    if all(c in df.columns for c in pre_post):
        yi, vi = _change(df, "MC", {c: _num(df, c) for c in pre_post})
    else:
        yi, vi = np.full(n, np.nan), np.full(n, np.nan)
    if all(c in df.columns for c in ("mi", "sdi", "ni")):
        m, sd, ni = _num(df, "mi"), _num(df, "sdi"), _num(df, "ni")
        direct = np.isnan(yi) & ~np.isnan(m)
        _check(df, direct & (sd < 0), "sdi", sd, "standard deviations must be >= 0")
        _check(df, direct & (ni < 1), "ni", ni, "sample sizes must be >= 1")
        yi = np.where(direct, m, yi)
        vi = np.where(direct, sd**2 / ni, vi)
    return yi, vi


def _two_groups(df, measure, d, vtype):
    m1, sd1, n1, m2, sd2, n2 = (d[c] for c in ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"))
    _check_sd(df, "sd1i", sd1)
    _check_sd(df, "sd2i", sd2)
    _check(df, n1 < 2, "n1i", n1, "group sizes must be >= 2")
    _check(df, n2 < 2, "n2i", n2, "group sizes must be >= 2")
    s2p = ((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "MD":
            yi = m1 - m2
            if vtype == "HO":
                vi = s2p * (1 / n1 + 1 / n2)
            else:  # "LS" and "UB" coincide for MD (sd^2/n is unbiased for var(mean))
                vi = sd1**2 / n1 + sd2**2 / n2
        elif measure == "SMD":
            mdf = n1 + n2 - 2
            cm = hedges_cm(mdf)
            di = (m1 - m2) / np.sqrt(s2p)
            yi = cm * di
            nt = 1 / n1 + 1 / n2
            if vtype == "UB":
                vi = nt + (1 - (mdf - 2) / (mdf * cm**2)) * yi**2
            elif vtype == "LS2":
                vi = cm**2 * (nt + di**2 / (2 * (n1 + n2)))
            elif vtype == "AV":
                ok = np.isfinite(yi)
                ybar = np.average(yi[ok], weights=(n1 + n2)[ok])  # n-weighted mean of g
                vi = nt + ybar**2 / (2 * (n1 + n2))
            else:
                vi = nt + yi**2 / (2 * (n1 + n2))
        else:  # ROM
            _check(df, m1 < 0, "m1i", m1, "means must be >= 0 for ROM")
            _check(df, m2 < 0, "m2i", m2, "means must be >= 0 for ROM")
            yi = np.log(m1 / m2)
            if vtype == "HO":
                vi = s2p / (n1 * m1**2) + s2p / (n2 * m2**2)
            elif vtype == "AV":
                ok = np.isfinite(sd1 / m1) & np.isfinite(sd2 / m2)
                cv1 = np.average((sd1 / m1)[ok], weights=n1[ok])  # n-weighted mean CVs
                cv2 = np.average((sd2 / m2)[ok], weights=n2[ok])
                vi = cv1**2 / n1 + cv2**2 / n2
            else:
                vi = sd1**2 / (n1 * m1**2) + sd2**2 / (n2 * m2**2)
    return yi, vi


def _two_by_two(df, measure, d, cols, add, to, drop00, vtype):
    ai, ci = d["ai"], d["ci"]
    if "bi" in cols:
        bi, di = d["bi"], d["di"]
        for c, v in (("ai", ai), ("bi", bi), ("ci", ci), ("di", di)):
            _check(df, v < 0, c, v, "cell counts must be >= 0")
    else:
        n1, n2 = d["n1i"], d["n2i"]
        _check(df, ai < 0, "ai", ai, "event counts must be >= 0")
        _check(df, ci < 0, "ci", ci, "event counts must be >= 0")
        _check(df, ai > n1, "ai", ai, "event counts must not exceed the group size 'n1i'")
        _check(df, ci > n2, "ci", ci, "event counts must not exceed the group size 'n2i'")
        bi, di = n1 - ai, n2 - ci
    n1 = ai + bi
    n2 = ci + di
    _check(df, n1 < 1, "n1i", n1, "group sizes must be >= 1")
    _check(df, n2 < 1, "n2i", n2, "group sizes must be >= 1")
    both0 = ((ai == 0) & (ci == 0)) | ((bi == 0) & (di == 0))
    if to != "none" and add > 0:
        zero = (ai == 0) | (bi == 0) | (ci == 0) | (di == 0)
        if to == "all":
            cc = np.ones_like(ai, dtype=bool)
        elif to == "if0all":
            cc = np.full_like(ai, bool(np.nansum(zero)), dtype=bool)
        else:
            cc = zero
        if drop00:
            cc = cc & ~both0
        ai, bi, ci, di = (np.where(cc, x + add, x) for x in (ai, bi, ci, di))
        n1 = ai + bi
        n2 = ci + di
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "OR":
            yi = np.log(ai * di / (bi * ci))
            vi = 1 / ai + 1 / bi + 1 / ci + 1 / di
        elif measure == "RR":
            yi = np.log((ai / n1) / (ci / n2))
            vi = 1 / ai - 1 / n1 + 1 / ci - 1 / n2
        else:  # RD
            p1, p2 = ai / n1, ci / n2
            yi = p1 - p2
            if vtype == "UB":
                vi = p1 * (1 - p1) / (n1 - 1) + p2 * (1 - p2) / (n2 - 1)
            elif vtype == "AV":
                p1m = np.nansum(ai) / np.nansum(n1)
                p2m = np.nansum(ci) / np.nansum(n2)
                vi = p1m * (1 - p1m) / n1 + p2m * (1 - p2m) / n2
            else:
                vi = p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2
    if drop00:
        yi = np.where(both0, np.nan, yi)
        vi = np.where(both0, np.nan, vi)
    return yi, vi
