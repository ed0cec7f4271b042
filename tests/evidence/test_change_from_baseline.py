"""Change from baseline entered with its CI: SE from the CI, SD from the SE (Cochrane Handbook
6.5.2.2), checked against hand arithmetic with printed quantiles (z 0.975 = 1.959964, t 0.975 on
19 df = 2.093024 from a t table), not against our own output."""

from __future__ import annotations

import math

import pytest

from evidence.conversions import ci_df, sd_from_se, se_from_ci


def test_se_from_a_95_ci_with_the_normal_quantile_for_large_groups() -> None:
    # mean change -2.61 (95% CI -3.45 to -1.78), 100 patients
    assert ci_df(100) is None
    se, method = se_from_ci(-3.45, -1.78, df=ci_df(100))
    assert se == pytest.approx((3.45 - 1.78) / (2 * 1.959964), rel=1e-6)
    assert se == pytest.approx(0.42603, abs=5e-6)
    assert "z" in method
    sd, how = sd_from_se(se, 100)
    assert sd == pytest.approx(4.2603, abs=5e-5) and how == "sd_from_se"


def test_se_from_a_95_ci_with_student_t_for_small_groups() -> None:
    assert ci_df(20) == 19
    se, method = se_from_ci(-3.45, -1.78, df=ci_df(20))
    assert se == pytest.approx(1.67 / (2 * 2.093024), rel=1e-6)
    assert "t" in method
    assert sd_from_se(se, 20)[0] == pytest.approx(se * math.sqrt(20))


def test_two_groups_use_n1_plus_n2_minus_2() -> None:
    assert ci_df(30, 25) == 53
    assert ci_df(80, 90) is None


@pytest.mark.parametrize("lower, upper", [(-1.0, -2.0), (float("nan"), 1.0)])
def test_a_reversed_or_missing_ci_is_refused(lower: float, upper: float) -> None:
    with pytest.raises(ValueError, match="CI"):
        se_from_ci(lower, upper)


def test_a_negative_se_is_refused() -> None:
    with pytest.raises(ValueError, match="SE"):
        sd_from_se(-0.1, 10)


def test_a_change_entry_with_its_ci_is_harmonised_for_an_mc_analysis() -> None:
    """A manual entry 'mean change -2.61 (95% CI -3.45 to -1.78)' in an arm of 20 patients becomes
    an MC row: mi = -2.61, sdi = SE x sqrt(20) with SE from the CI by t on 19 df; a negative
    change on a 0-10 scale is not a range error."""
    import pandas as pd

    from evidence.harmonize import Analysis, Settings, harmonize_tables
    from vocab import Vocabulary
    from vocab.timepoints import timepoint_key

    vocabulary = Vocabulary.from_config({
        "treatment_classes": [{"code": "augmentation"}],
        "outcomes": [{"code": "pain", "kind": "continuous", "scales": ["NRS"], "common_scale": [0, 10]}],
        "scales": [{"code": "NRS", "min": 0, "max": 10}],
    })
    studies = pd.DataFrame({"study_id": ["c2022"], "decision": ["included"]})
    arms = pd.DataFrame({"study_id": ["c2022"], "arm_id": ["all"], "label": ["all"],
                         "treatment_class": ["augmentation"], "n_patients": [20], "n_lesions": [None]})
    key, days = timepoint_key("6 months")
    rows = [{"study_id": "c2022", "arm_id": "all", "outcome": "pain", "timepoint": key,
             "timepoint_label": "6 months", "timepoint_days": days, "scale": "NRS", "unit": "patients",
             "contrast": "change", "comparator": "", "field": f, "value": v, "source_file": "",
             "page": None, "x0": None, "top": None, "x1": None, "bottom": None, "origin": "manual"}
            for f, v in (("mean", -2.61), ("ci_lower", -3.45), ("ci_upper", -1.78))]
    result = harmonize_tables(studies, arms, pd.DataFrame(rows), [Analysis("pain_change", "pain", "change", "MC")],
                              Settings(vocabulary=vocabulary))
    row = result.effects.set_index("study_id").loc["c2022"]
    assert bool(row.include), row.exclusion_reason
    se = 1.67 / (2 * 2.093024)
    assert row.mi == pytest.approx(-2.61)
    assert row.sdi == pytest.approx(se * math.sqrt(20), rel=1e-5)
    assert row.ni == 20
    assert "ci" in row.method
