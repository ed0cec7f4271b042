"""Property-based tests (hypothesis) of the statistics and harmonisation.

Invariances that hold for any valid input, whatever the numbers: pooled results do not depend on
the order of the studies; they move with a shift and scale of the data as the formulas say;
rescaling between scales is a linear map and its inverse; median/IQR/range conversions stay
within their bounds; nothing valid gives NaN or inf. Settings are fixed (derandomised, a
moderate number of examples) so the suite is quick and reproducible.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from evidence.conversions import (
    mean_sd_from_five_numbers,
    mean_sd_from_median_iqr,
    mean_sd_from_median_range,
    sd_change,
    se_from_ci,
    sd_from_se,
)
from evidence.effects import compute_effects
from evidence.harmonize_scales import ScaleRange, out_of_range, rescale
from evidence.models import fit_rma
from evidence.subgroups import fit_subgroups

FAST = settings(derandomize=True, max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
METHODS = ("REML", "DL", "PM", "ML", "HS", "SJ", "EB", "HE", "FE")
FIELDS = ("estimate", "se", "ci_lb", "ci_ub", "tau2", "i2", "h2", "qe", "pval")

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
variance = st.floats(0.005, 5, allow_nan=False, allow_infinity=False)


@st.composite
def studies(draw, min_k: int = 2, max_k: int = 25):
    """``(yi, vi, permutation)`` of a valid meta-analysis."""
    k = draw(st.integers(min_k, max_k))
    yi = np.array(draw(st.lists(finite, min_size=k, max_size=k)))
    vi = np.array(draw(st.lists(variance, min_size=k, max_size=k)))
    order = np.array(draw(st.permutations(range(k))))
    return yi, vi, order


CYCLING = (np.array([0.0] * 7 + [1.0]), np.array([1.0] * 6 + [0.125, 0.0625]), np.arange(8)[::-1].copy())
"""Found by this file: Fisher scoring (REML, EB) cycled around the root for ever and the fit failed."""


def _close(a: float, b: float, rel: float = 1e-7, abs_: float = 1e-7) -> bool:
    if a is None or b is None:
        return a is b
    if math.isnan(a) or math.isnan(b):  # e.g. a Knapp-Hartung t of 0/0 when every study agrees
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


def _fit(yi, vi, method, test="z"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit_rma(yi, vi, method=method, test=test)


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(data=studies())
@example(data=CYCLING)
def test_pooled_results_do_not_depend_on_the_order_of_the_studies(method, data) -> None:
    yi, vi, order = data
    a, b = _fit(yi, vi, method, "knha"), _fit(yi[order], vi[order], method, "knha")
    for name in FIELDS + ("pi_lb", "pi_ub"):
        x, y = getattr(a, name), getattr(b, name)
        # tau2 is solved numerically (to ~1e-10); what depends on it inherits that precision
        assert _close(x, y, 1e-6, 1e-6 * max(1.0, float(np.ptp(yi)))), (name, x, y)
    np.testing.assert_allclose(np.asarray(a.weights)[order], b.weights, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(data=studies(), shift=st.floats(-100, 100), factor=st.floats(0.1, 10))
def test_pooled_results_follow_a_shift_and_a_change_of_unit(method, data, shift, factor) -> None:
    """y -> a y + c, v -> a² v: estimate -> a estimate + c, se -> a se, tau² -> a² tau², I² unchanged."""
    yi, vi, _ = data
    a, b = _fit(yi, vi, method), _fit(factor * yi + shift, factor**2 * vi, method)
    spread = max(1.0, float(np.ptp(yi)))
    assert _close(b.estimate, factor * a.estimate + shift, 1e-6, 1e-6 * factor * spread + 1e-9 * abs(shift))
    assert _close(b.se, factor * a.se, 1e-6, 1e-8 * factor)
    assert _close(b.tau2, factor**2 * a.tau2, 1e-5, 1e-8 * factor**2 * spread**2)
    assert _close(b.i2, a.i2, 1e-5, 1e-6)


@pytest.mark.parametrize("method", METHODS)
@FAST
@given(data=studies(min_k=1))
@example(data=CYCLING)
def test_valid_input_gives_finite_results_within_their_bounds(method, data) -> None:
    yi, vi, _ = data
    fit = _fit(yi, vi, method)
    for name in ("estimate", "se", "ci_lb", "ci_ub", "tau2", "qe", "pval"):
        assert math.isfinite(getattr(fit, name)), (name, getattr(fit, name))
    assert fit.ci_lb <= fit.estimate <= fit.ci_ub and fit.se > 0 and fit.tau2 >= 0
    assert min(yi) - 1e-9 <= fit.estimate <= max(yi) + 1e-9  # a weighted mean of the studies
    assert 0 <= fit.pval <= 1 and abs(sum(fit.weights) - 100) < 1e-8
    if len(yi) > 1:  # H² = (tau² + vt) / vt >= 1 for random effects; Q / df >= 0 for FE (metafor)
        assert 0 <= fit.i2 <= 100 and fit.h2 >= (0 if method == "FE" else 1 - 1e-12)


def test_reml_and_ml_where_fisher_scoring_cycles_maximise_the_likelihood() -> None:
    """Checked against a bounded scalar maximisation of the (restricted) log-likelihood itself."""
    from scipy import optimize

    yi, vi, _ = CYCLING

    def loglik(t: float, restricted: bool) -> float:
        w = 1 / (vi + t)
        mu = (w * yi).sum() / w.sum()
        return -0.5 * (np.log(vi + t).sum() + (w * (yi - mu) ** 2).sum() + (np.log(w.sum()) if restricted else 0))

    for method, restricted in (("REML", True), ("ML", False)):
        best = optimize.minimize_scalar(lambda t: -loglik(t, restricted), bounds=(0, 10), method="bounded",
                                        options={"xatol": 1e-12}).x
        assert math.isclose(_fit(yi, vi, method).tau2, best, rel_tol=1e-6)
    assert math.isclose(_fit(yi, vi, "EB").tau2, _fit(yi, vi, "PM").tau2, rel_tol=1e-9)  # EB's root is PM's


@FAST
@given(data=studies(min_k=4), groups=st.lists(st.sampled_from("abc"), min_size=25, max_size=25))
def test_subgroup_results_do_not_depend_on_the_order_of_the_studies(data, groups) -> None:
    yi, vi, order = data
    g = np.array(groups[: len(yi)], dtype=object)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = fit_subgroups(yi, vi, list(g), method="REML")
        b = fit_subgroups(yi[order], vi[order], list(g[order]), method="REML")
    assert sorted(a.levels) == sorted(b.levels)
    for level in a.levels:
        assert _close(a.fits[level].estimate, b.fits[level].estimate, 1e-6, 1e-6 * max(1.0, float(np.ptp(yi))))
    assert _close(a.qm, b.qm, 1e-5, 1e-6)


# ---------------------------------------------------------------- harmonisation: rescaling

scale_ends = st.tuples(st.floats(-100, 100), st.floats(0.5, 1000)).map(lambda t: (t[0], t[0] + t[1]))


@FAST
@given(source=scale_ends, target=scale_ends, fraction=st.floats(0, 1), delta=st.floats(-1, 1))
def test_rescaling_is_linear_and_undone_by_the_reverse_map(source, target, fraction, delta) -> None:
    there = rescale(ScaleRange("a", *source), target)
    back = rescale(ScaleRange("b", *target), source)
    width = source[1] - source[0]
    value = source[0] + fraction * width
    mapped = there.level(value)
    assert target[0] - 1e-9 * abs(target[1]) <= mapped <= target[1] + 1e-9 * abs(target[1])
    assert math.isclose(back.level(mapped), value, rel_tol=1e-9, abs_tol=1e-9 * max(1.0, abs(source[1])))
    change = delta * width  # a change keeps its sign and takes the width ratio
    assert math.isclose(back.delta(there.delta(change)), change, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(there.delta(change), change * (target[1] - target[0]) / width, rel_tol=1e-9, abs_tol=1e-12)
    # in range before, in range after: a rescaled value is never refused for its range
    assert not out_of_range({"mean": mapped}, ScaleRange("t", *target))


@FAST
@given(st.lists(st.floats(0, 100), min_size=1, max_size=30))
def test_zero_to_hundred_to_zero_to_ten_and_back(values) -> None:
    down, up = rescale(ScaleRange("VAS100", 0, 100), (0, 10)), rescale(ScaleRange("NRS", 0, 10), (0, 100))
    assert down.method == "rescaled_100_to_10"
    for v in values:
        assert math.isclose(down.level(v), v / 10, rel_tol=1e-12, abs_tol=1e-12)
        assert math.isclose(up.level(down.level(v)), v, rel_tol=1e-12, abs_tol=1e-9)
    assert [down.level(v) for v in sorted(values)] == sorted(down.level(v) for v in values)  # order kept


# ---------------------------------------------------------------- conversions


@st.composite
def five_numbers(draw):
    """Sorted min <= q1 <= median <= q3 <= max and n >= 2."""
    values = sorted(draw(st.lists(st.floats(-1e4, 1e4), min_size=5, max_size=5)))
    return (*values, draw(st.integers(2, 10_000)))


@FAST
@given(five_numbers())
@example((-1.0, -6.7e-220, -6.7e-220, -6.7e-220, 0.0, 34))  # found: q1 = median = q3 gave a mean 1 ulp outside
@example((0.0, 0.1, 0.1, 0.1, 0.1, 3))
def test_median_conversions_stay_within_their_bounds(numbers) -> None:
    lo, q1, m, q3, hi, n = numbers
    for (mean, sd, _), (a, b) in (
        (mean_sd_from_median_iqr(q1, m, q3, n), (q1, q3)),
        (mean_sd_from_median_range(lo, m, hi, n), (lo, hi)),
        (mean_sd_from_five_numbers(lo, q1, m, q3, hi, n), (lo, hi)),
    ):
        assert math.isfinite(mean) and math.isfinite(sd)
        assert sd >= 0
        assert a <= mean <= b, (a, mean, b)


@FAST
@given(five_numbers(), st.floats(0.01, 100), st.floats(-1000, 1000))
def test_median_conversions_follow_a_change_of_unit(numbers, factor, shift) -> None:
    """x -> a x + c: mean -> a mean + c, SD -> a SD (the estimators are location-scale equivariant)."""
    lo, q1, m, q3, hi, n = numbers
    t = [factor * x + shift for x in (lo, q1, m, q3, hi)]
    pairs = ((mean_sd_from_median_iqr(q1, m, q3, n), mean_sd_from_median_iqr(t[1], t[2], t[3], n)),
             (mean_sd_from_median_range(lo, m, hi, n), mean_sd_from_median_range(t[0], t[2], t[4], n)),
             (mean_sd_from_five_numbers(lo, q1, m, q3, hi, n), mean_sd_from_five_numbers(*t, n)))
    scale = factor * max(1.0, abs(lo), abs(hi)) + abs(shift)
    for (mean, sd, _), (mean2, sd2, _) in pairs:
        assert math.isclose(mean2, factor * mean + shift, rel_tol=1e-9, abs_tol=1e-9 * scale)
        assert math.isclose(sd2, factor * sd, rel_tol=1e-9, abs_tol=1e-9 * scale)


@FAST
@given(st.floats(0, 1e3), st.floats(0, 1e3), st.floats(-1, 1), st.floats(-1e3, 1e3), st.floats(0, 1e3),
       st.integers(2, 5000))
def test_sd_of_change_and_ci_conversions_are_finite_and_non_negative(sd1, sd2, r, lower, width, n) -> None:
    s = sd_change(sd1, sd2, r)
    assert math.isfinite(s) and 0 <= s <= sd1 + sd2 + 1e-9 and s >= abs(sd1 - sd2) - 1e-6 * (sd1 + sd2 + 1)
    se_z, _ = se_from_ci(lower, lower + width)
    se_t, _ = se_from_ci(lower, lower + width, df=n - 1)
    assert 0 <= se_t <= se_z + 1e-12 and math.isfinite(se_t)  # t quantiles are wider: smaller SE
    sd, _ = sd_from_se(se_z, n)
    assert math.isfinite(sd) and math.isclose(sd, se_z * math.sqrt(n), rel_tol=1e-12, abs_tol=0)


# ---------------------------------------------------------------- effect sizes

counts = st.integers(2, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@pytest.mark.parametrize("measure", ["PR", "PLO", "PAS", "PFT"])
@FAST
@given(st.lists(counts, min_size=1, max_size=20))
def test_proportions_give_finite_effects(measure, rows) -> None:
    df = pd.DataFrame(rows, columns=["xi", "ni"])
    out = compute_effects(df, measure)
    assert np.isfinite(out["yi"]).all() and np.isfinite(out["vi"]).all() and (out["vi"] > 0).all()


@pytest.mark.parametrize("measure", ["OR", "RR", "RD"])
@FAST
@given(st.lists(st.tuples(counts, counts), min_size=1, max_size=20))
def test_two_by_two_tables_give_finite_effects(measure, rows) -> None:
    df = pd.DataFrame([(a, n1, c, n2) for (a, n1), (c, n2) in rows], columns=["ai", "n1i", "ci", "n2i"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = compute_effects(df, measure)
    both_none_or_all = [(a in (0, n1) and c in (0, n2) and a / n1 == c / n2) for (a, n1), (c, n2) in rows]
    keep = ~np.array(both_none_or_all) if measure == "RD" else np.ones(len(rows), bool)
    assert np.isfinite(out["yi"]).all() and np.isfinite(out["vi"]).all()
    assert (out["vi"][keep] > 0).all()


means = st.tuples(st.floats(-100, 100), st.floats(0.01, 50), st.integers(2, 1000))


@pytest.mark.parametrize("measure", ["MN", "MD", "SMD", "ROM"])
@FAST
@given(st.lists(st.tuples(means, means), min_size=1, max_size=20))
def test_means_give_finite_effects(measure, rows) -> None:
    if measure == "MN":
        df = pd.DataFrame([a for a, _ in rows], columns=["mi", "sdi", "ni"])
    else:
        df = pd.DataFrame([(*a, *b) for a, b in rows], columns=["m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i"])
        if measure == "ROM":  # ratio of means: means must be positive
            df["m1i"], df["m2i"] = df["m1i"].abs() + 0.1, df["m2i"].abs() + 0.1
    out = compute_effects(df, measure)
    assert np.isfinite(out["yi"]).all() and np.isfinite(out["vi"]).all() and (out["vi"] > 0).all()


# ---------------------------------------------------------------- harmonisation of one value


@st.composite
def pain_values(draw):
    """A pain value on the 0-100 scale as a paper may print it, and n."""
    five = sorted(draw(st.lists(st.floats(0, 100), min_size=5, max_size=5)))
    lo, q1, m, q3, hi = five
    form = draw(st.sampled_from(["mean_sd", "median_iqr", "median_range", "five", "mean_se"]))
    values = {"mean_sd": {"mean": m, "sd": q3 - q1}, "median_iqr": {"median": m, "q1": q1, "q3": q3},
              "median_range": {"median": m, "min": lo, "max": hi},
              "five": {"median": m, "q1": q1, "q3": q3, "min": lo, "max": hi},
              "mean_se": {"mean": m, "se": (q3 - q1) / 10}}[form]
    return values, draw(st.integers(2, 2000))


@FAST
@given(pain_values())
def test_a_value_on_0_100_harmonises_as_the_same_value_printed_on_0_10(case) -> None:
    """Scale invariance of harmonisation: converting then rescaling = rescaling then converting."""
    import yaml

    from evidence.harmonize import Record, Settings, level_mean_sd
    from evidence.review import BUNDLED_EXAMPLE

    settings = Settings.from_config(yaml.safe_load((BUNDLED_EXAMPLE / "config.yaml").read_text()))
    values, n = case

    def record(scale: str, divisor: float) -> Record:
        return Record("s2020", "all", "pain", "m6", 180.0, scale, "patients",
                      {k: v / divisor for k, v in values.items()}, "test")

    mean100, sd100, how100 = level_mean_sd(record("VAS100", 1), n, settings)
    mean10, sd10, how10 = level_mean_sd(record("VAS10", 10), n, settings)
    assert "rescaled_100_to_10" in how100 and "rescaled" not in how10
    assert math.isclose(mean100, mean10, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(sd100, sd10, rel_tol=1e-9, abs_tol=1e-12)
    assert 0 <= mean10 <= 10 and sd10 >= 0 and math.isfinite(sd10)
