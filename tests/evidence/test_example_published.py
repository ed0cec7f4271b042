"""Published analyses reproduced by the engine.

1. BCG vaccine trials (Colditz et al. 1994, JAMA 271:698-702; dat.bcg), log risk ratio, REML:
   Viechtbauer W (2010), "Conducting meta-analyses in R with the metafor package", J Stat Softw
   36(3), random-effects model output for ``rma(ai=tpos, bi=tneg, ci=cpos, di=cneg,
   data=dat.bcg, measure="RR", method="REML")``: tau^2 = 0.3132 (SE = 0.1664), I^2 = 92.22 %,
   H^2 = 12.86, Q(df = 12) = 152.2330, estimate -0.7145, se 0.1798, z -3.9744,
   CI -1.0669 to -0.3622 (4 decimals as printed; page number not verified here).
2. Normand (1999), Stat Med 18:321-359, length of hospital stay (dat.normand1999), mean
   differences: we are not sure of the printed Table III values, so the oracle is the pinned
   metafor JSON (tests/reference/metafor/normand1999_MD.json), as the brief allows.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from evidence.effects import compute_effects
from evidence.models import fit_rma

from .conftest import TOL, assert_close, load_case


def _bcg() -> pd.DataFrame:
    c = load_case("bcg_RR")["inputs"]["columns"]
    return pd.DataFrame({"ai": c["tpos"], "bi": c["tneg"], "ci": c["cpos"], "di": c["cneg"]})


def test_viechtbauer_2010_bcg_rr_reml() -> None:
    es = compute_effects(_bcg(), "RR")
    fit = fit_rma(es["yi"], es["vi"], method="REML", measure="RR")
    printed = {"estimate": -0.7145, "se": 0.1798, "zval": -3.9744, "ci_lb": -1.0669,
               "ci_ub": -0.3622, "tau2": 0.3132, "se_tau2": 0.1664, "i2": 92.22, "h2": 12.86,
               "qe": 152.2330}
    for name, value in printed.items():
        decimals = 2 if name in ("i2", "h2") else 4
        assert round(getattr(fit, name), decimals) == pytest.approx(value, abs=1e-9), name
    assert fit.qe_df == 12 and fit.qe_pval < 1e-4


@pytest.mark.metafor
def test_normand_1999_length_of_stay_md() -> None:
    d = load_case("normand1999_MD")
    c = d["inputs"]["columns"]
    df = pd.DataFrame({k: c[k] for k in ("m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i")})
    es = compute_effects(df, "MD")
    # the mean differences are the arithmetic differences of the printed group means
    np.testing.assert_array_equal(es["yi"], np.subtract(c["m1i"], c["m2i"]))
    assert_close(es["vi"], d["escalc"]["vi"], TOL["exact"], 0, "vi")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for method in ("FE", "DL"):
            fit = fit_rma(es["yi"], es["vi"], method=method, measure="MD")
            R = d["fits"][method]
            for ours, theirs in (("estimate", "estimate"), ("se", "se"), ("tau2", "tau2"),
                                 ("qe", "QE"), ("i2", "I2")):
                assert_close(getattr(fit, ours), R[theirs], TOL["exact"], 1e-12, f"{method} {ours}")
        fit = fit_rma(es["yi"], es["vi"], method="REML", measure="MD")
        R = d["fits_precise"]["REML"]
        assert_close(fit.estimate, R["estimate"], TOL["est"], 0, "REML estimate")
        assert_close(fit.tau2, R["tau2"], TOL["iter"], 0, "REML tau2")
