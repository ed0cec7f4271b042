"""escalc measures against pinned metafor 3.8-1 numbers, plus input validation."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from evidence.effects import MEASURES, compute_effects, hedges_cm

from .conftest import TOL, assert_close, case_ids, load_case, parse_escalc_call


def _escalc_blocks():
    for case in case_ids():
        d = load_case(case)
        yield pytest.param(case, "escalc", id=f"{case}-escalc")
        for name in d.get("escalc_variants", {}):
            yield pytest.param(case, name, id=f"{case}-{name}")


@pytest.mark.metafor
@pytest.mark.parametrize("case, block", list(_escalc_blocks()))
def test_escalc_matches_metafor(case: str, block: str) -> None:
    d = load_case(case)
    b = d["escalc"] if block == "escalc" else d["escalc_variants"][block]
    measure, df, opts = parse_escalc_call(b["call"], d["inputs"]["columns"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # add=0 recodes +-Inf to NaN with a warning, as escalc
        out = compute_effects(df, measure, **opts)
    assert_close(out["yi"], b["yi"], TOL["exact"], 1e-14, f"{case} {block} yi")
    assert_close(out["vi"], b["vi"], TOL["exact"], 1e-14, f"{case} {block} vi")


@pytest.mark.metafor
def test_add0_warns_and_recodes_infinite_values() -> None:
    d = load_case("edge_zero_arms_OR")
    measure, df, opts = parse_escalc_call(d["escalc_variants"]["add0"]["call"], d["inputs"]["columns"])
    with pytest.warns(UserWarning, match=r"\+-Inf; recoded to NaN"):
        out = compute_effects(df, measure, **opts)
    assert out["yi"].isna().sum() == 4


def test_returns_copy_with_yi_vi_appended() -> None:
    df = pd.DataFrame({"xi": [3, 5], "ni": [10, 20], "slab": ["a", "b"]})
    out = compute_effects(df, "plo")  # any case accepted, canonical stored
    assert "yi" not in df and list(out.columns) == ["xi", "ni", "slab", "yi", "vi"]
    assert out.attrs["measure"] == "PLO"
    np.testing.assert_allclose(out["yi"], np.log([3 / 7, 5 / 15]))


def test_unknown_measure() -> None:
    with pytest.raises(ValueError, match=r"Invalid measure 'XYZ'; must be one of \["):
        compute_effects(pd.DataFrame({"yi": [1.0], "vi": [1.0]}), "XYZ")
    assert set(MEASURES) >= {"MN", "MC", "SMCR", "MD", "SMD", "ROM", "PR", "PLO", "PAS", "PFT",
                             "OR", "RR", "RD", "GEN"}


@pytest.mark.parametrize(
    "measure, frame, pattern",
    [
        ("PR", {"xi": [3, 12], "ni": [10, 10], "slab": ["a", "b"]},
         r"row 1 \(slab 'b'\): xi=12.0; event counts must not exceed"),
        ("MN", {"mi": [1.0], "sdi": [-1.0], "ni": [10]}, r"row 0: sdi=-1.0; standard deviations must be >= 0"),
        ("MD", {"m1i": [1.0], "sd1i": [1.0], "n1i": [1], "m2i": [1.0], "sd2i": [1.0], "n2i": [5]},
         r"n1i=1.0; group sizes must be >= 2"),
        ("OR", {"ai": [5], "n1i": [4], "ci": [1], "n2i": [10]}, r"ai=5.0; event counts must not exceed"),
        ("OR", {"ai": [-1], "bi": [4], "ci": [1], "di": [10]}, r"ai=-1.0; cell counts must be >= 0"),
        ("MC", {"m1i": [1.0], "m2i": [2.0], "sd1i": [1.0], "sd2i": [1.0], "ri": [1.5], "ni": [9]},
         r"ri=1.5; correlations must lie in \[-1, 1\]"),
        ("PLO", {"xi": [1]}, r"Measure 'PLO' needs columns \(xi, ni\); missing \['ni'\]"),
    ],
)
def test_impossible_inputs_raise_with_row_and_column(measure, frame, pattern) -> None:
    with pytest.raises(ValueError, match=pattern):
        compute_effects(pd.DataFrame(frame), measure)


def test_missing_values_give_nan_not_error() -> None:
    df = pd.DataFrame({"xi": [3, None], "ni": [10, 20]})
    out = compute_effects(df, "PR")
    assert np.isnan(out["yi"].iloc[1]) and np.isfinite(out["yi"].iloc[0])


def test_continuity_correction_options_for_proportions() -> None:
    df = pd.DataFrame({"xi": [0, 10, 4], "ni": [10, 10, 10]})
    only0 = compute_effects(df, "PLO")
    np.testing.assert_allclose(only0["yi"], np.log([0.5 / 10.5, 10.5 / 0.5, 4 / 6]))
    none = compute_effects(df, "PR", to="none")
    np.testing.assert_allclose(none["vi"], [0, 0, 0.4 * 0.6 / 10])
    allc = compute_effects(df, "PR", to="all")
    np.testing.assert_allclose(allc["yi"], [0.5 / 11, 10.5 / 11, 4.5 / 11])
    # PAS/PFT are never corrected (escalc)
    pft = compute_effects(df, "PFT")
    assert np.isfinite(pft["yi"]).all()


def test_smcr_and_hedges_factor() -> None:
    # Hedges' exact c(m) against the series approximation 1 - 3/(4m - 1) for large m
    assert abs(hedges_cm(200) - (1 - 3 / (4 * 200 - 1))) < 1e-6
    df = pd.DataFrame({"m1i": [12.0], "m2i": [10.0], "sd1i": [4.0], "ri": [0.5], "ni": [20]})
    out = compute_effects(df, "SMCR")
    g = hedges_cm(19) * 2 / 4
    np.testing.assert_allclose(out["yi"], [g])
    np.testing.assert_allclose(out["vi"], [2 * 0.5 / 20 + g**2 / 40])


def test_invalid_options() -> None:
    df = pd.DataFrame({"xi": [1], "ni": [10]})
    with pytest.raises(ValueError, match=r"Invalid to 'some'"):
        compute_effects(df, "PR", to="some")
    with pytest.raises(ValueError, match=r"Invalid vtype 'HO'"):
        compute_effects(df, "PR", vtype="HO")
    with pytest.raises(ValueError, match=r"Invalid add"):
        compute_effects(df, "PR", add=-1)
