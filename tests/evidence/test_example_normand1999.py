"""Reproduces the worked examples of Normand SL (1999), "Meta-analysis: formulating, evaluating,
combining, and reporting", Stat Med 18:321-359, at the precision the paper prints them.

Page and table numbers as given in the paper (and cited by metafor's analysis-example tests).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evidence.effects import compute_effects
from evidence.models import fit_rma

# Hine et al. (1989): prophylactic lidocaine, deaths / patients, treated (1) vs control (2);
# the six studies as tabulated in Normand 1999, Table III (p. 330).
HINE1989 = pd.DataFrame({
    "ai": [2, 4, 6, 7, 7, 11], "n1i": [39, 44, 107, 103, 110, 154],
    "ci": [1, 4, 4, 5, 3, 4], "n2i": [43, 44, 110, 100, 106, 146],
})


def test_table_iii_risk_differences_p330() -> None:
    es = compute_effects(HINE1989, "RD")
    yi, vi = es["yi"] * 100, es["vi"] * 100**2  # percentage points, as in the paper
    np.testing.assert_array_equal(np.round(yi, 4), [2.8026, 0.0000, 1.9711, 1.7961, 3.5334, 4.4031])
    np.testing.assert_array_equal(np.round(vi, 4), [17.7575, 37.5657, 8.1323, 10.8998, 8.0114, 6.1320])
    half = 1.959964 * np.sqrt(vi)
    np.testing.assert_array_equal(np.round(yi - half, 1), [-5.5, -12.0, -3.6, -4.7, -2.0, -0.5])
    np.testing.assert_array_equal(np.round(yi + half, 1), [11.1, 12.0, 7.6, 8.3, 9.1, 9.3])


def test_table_vii_pooled_risk_difference_p349() -> None:
    es = compute_effects(HINE1989, "RD")
    for method in ("FE", "DL", "REML"):
        fit = fit_rma(es["yi"] * 100, es["vi"] * 100**2, method=method)
        assert round(fit.estimate, 2) == 2.94
        assert (round(fit.ci_lb, 1), round(fit.ci_ub, 1)) == (0.4, 5.5)
        assert fit.tau2 == pytest.approx(0.0, abs=1e-10)


@pytest.fixture(scope="module")
def length_of_stay() -> tuple[np.ndarray, np.ndarray]:
    """Normand's stroke length-of-stay data; mean difference with the pooled SD (p. 351)."""
    ref = Path(__file__).resolve().parents[1] / "reference/metafor/normand1999_MD.json"
    data = pd.DataFrame(json.loads(ref.read_text())["inputs"]["columns"])
    sdp = np.sqrt(((data.n1i - 1) * data.sd1i**2 + (data.n2i - 1) * data.sd2i**2)
                  / (data.n1i + data.n2i - 2))
    es = compute_effects(data.assign(sd1i=sdp, sd2i=sdp), "MD")
    return es["yi"].to_numpy(), es["vi"].to_numpy()


def test_table_viii_mean_differences_p351(length_of_stay) -> None:
    yi, vi = length_of_stay
    np.testing.assert_array_equal(np.round(yi), [-20, -2, -55, -71, -4, 1, 11, -10, 7])
    np.testing.assert_allclose(vi, [40.5863, 2.0468, 15.2809, 150.2222, 20.1923, 1.2235,
                                    95.3756, 8.0321, 20.6936], atol=5e-5)


@pytest.mark.parametrize(("method", "estimate", "ci", "tau2"), [
    ("FE", -3.49, (-5.03, -1.96), 0.0),
    ("DL", -14.10, (-24.45, -3.75), 218.72),
    ("REML", -15.12, (-32.67, 2.43), 685.20),
])
def test_table_ix_pooled_mean_difference_p352(length_of_stay, method, estimate, ci, tau2) -> None:
    fit = fit_rma(*length_of_stay, method=method)
    assert round(fit.estimate, 2) == estimate
    assert (round(fit.ci_lb, 2), round(fit.ci_ub, 2)) == ci
    assert round(fit.tau2, 2) == pytest.approx(tau2, abs=0.006)
