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
