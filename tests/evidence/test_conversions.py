"""Median/IQR/range -> mean/SD (Luo 2018, Wan 2014, Shi 2020) and SD of a change score.

No pinned external numbers: metafor 3.8-1 (the version available here) predates
``conv.fivenum`` and no other implementation is available offline. The tests check properties
that follow from the published definitions: symmetric summaries give mean = median, the
estimators are consistent for normal data (exact normal quantiles at large n), and the
published weights and scale factors.
"""

from __future__ import annotations

import math

import pytest
from scipy.stats import norm

from evidence.conversions import (
    eta_iqr,
    mean_sd_from_five_numbers,
    mean_sd_from_median_iqr,
    mean_sd_from_median_range,
    sd_change,
    xi_range,
)


def test_scale_factors_tend_to_normal_quantiles() -> None:
    # Wan 2014: eta(n) -> 2 * 0.6745 (IQR of N(0,1)); xi(n) grows like the expected range
    assert eta_iqr(10**7) == pytest.approx(2 * norm.ppf(0.75), rel=1e-6)
    assert xi_range(50) == pytest.approx(2 * norm.ppf((50 - 0.375) / 50.25))


@pytest.mark.parametrize("n", [10, 57, 400])
def test_iqr_normal_consistency_and_symmetry(n: int) -> None:
    mu, sigma = 12.0, 3.0
    q = sigma * eta_iqr(n) / 2
    mean, sd, how = mean_sd_from_median_iqr(mu - q, mu, mu + q, n)
    assert mean == pytest.approx(mu) and sd == pytest.approx(sigma) and how.startswith("luo2018")


def test_luo_weights_on_skewed_summaries() -> None:
    n = 30
    mean, _, _ = mean_sd_from_median_iqr(2.0, 4.0, 10.0, n)
    w = 0.7 + 0.39 / n  # Luo 2018, S3
    assert mean == pytest.approx(w * 6.0 + (1 - w) * 4.0)
    mean, sd, _ = mean_sd_from_median_range(0.0, 4.0, 20.0, n)
    w = 4 / (4 + n**0.75)  # Luo 2018, S1
    assert mean == pytest.approx(w * 10.0 + (1 - w) * 4.0)
    assert sd == pytest.approx(20.0 / (2 * norm.ppf((n - 0.375) / (n + 0.25))))  # Wan 2014


def test_five_numbers_normal_consistency() -> None:
    n, mu, sigma = 200, 50.0, 8.0
    half_range = sigma * xi_range(n) / 2
    half_iqr = sigma * eta_iqr(n) / 2
    mean, sd, how = mean_sd_from_five_numbers(mu - half_range, mu - half_iqr, mu, mu + half_iqr,
                                              mu + half_range, n)
    assert mean == pytest.approx(mu) and sd == pytest.approx(sigma) and "shi2020" in how


def test_shi_weight() -> None:
    n = 100
    ws = 1 / (1 + 0.07 * n**0.6)
    _, sd, _ = mean_sd_from_five_numbers(0, 4, 5, 6, 20, n)
    assert sd == pytest.approx(ws * 20 / xi_range(n) + (1 - ws) * 2 / eta_iqr(n))


def test_errors() -> None:
    with pytest.raises(ValueError, match=r"q1=5.0 > median=4.0"):
        mean_sd_from_median_iqr(5, 4, 6, 20)
    with pytest.raises(ValueError, match="Invalid n"):
        mean_sd_from_median_range(1, 2, 3, 1)
    with pytest.raises(ValueError, match=r"Invalid correlation r=1.5"):
        sd_change(1, 1, 1.5)


def test_sd_change() -> None:
    assert sd_change(3, 4, 0) == pytest.approx(5)
    assert sd_change(2, 2, 1) == 0
    assert sd_change(15, 11.6, 0.47) == pytest.approx(math.sqrt(15**2 + 11.6**2 - 2 * 0.47 * 15 * 11.6))
