"""Independent cross-checks of our own estimators with pymare and statsmodels (test-only
dependencies, see DESIGN.md "Meta-analysis engine"): DL and REML against pymare, DL and PM
against statsmodels' ``combine_effects``, meta-regression against weighted least squares,
the common-effect logistic GLMM against statsmodels' binomial GLM, and the Mantel-Haenszel
odds ratio against ``StratifiedTable``."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from evidence.glmm import fit_glmm
from evidence.models import fit_rma, fit_rma_mods
from evidence.twogroup import fit_mh

from .conftest import case_effects, load_case

CASES = ["bcg_OR", "bcg_RR", "normand1999_SMD", "prepost_MC", "edge_zero_arms_OR"]


def _yv(case: str) -> tuple[np.ndarray, np.ndarray]:
    _, es = case_effects(case)
    ok = np.isfinite(es["yi"]) & np.isfinite(es["vi"])
    return es["yi"][ok].to_numpy(float), es["vi"][ok].to_numpy(float)


@pytest.mark.parametrize("case", CASES)
def test_dl_and_reml_agree_with_pymare(case: str) -> None:
    from pymare import Dataset
    from pymare.estimators import DerSimonianLaird, VarianceBasedLikelihoodEstimator

    y, v = _yv(case)
    ds = Dataset(y=y[:, None], v=v[:, None])
    dl = DerSimonianLaird().fit_dataset(ds).params_
    ours = fit_rma(y, v, method="DL")
    assert ours.tau2 == pytest.approx(float(np.ravel(dl["tau2"])[0]), rel=1e-10, abs=1e-14)
    assert ours.estimate == pytest.approx(float(np.ravel(dl["fe_params"])[0]), rel=1e-10)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reml = VarianceBasedLikelihoodEstimator(method="REML").fit_dataset(ds).params_
    ours = fit_rma(y, v, method="REML")
    # pymare maximises the REML likelihood with scipy's default optimizer tolerance
    assert ours.tau2 == pytest.approx(float(np.ravel(reml["tau2"])[0]), rel=1e-3, abs=1e-6)
    assert ours.estimate == pytest.approx(float(np.ravel(reml["fe_params"])[0]), rel=1e-4,
                                          abs=1e-6)


@pytest.mark.parametrize("case", CASES)
def test_dl_and_pm_agree_with_statsmodels(case: str) -> None:
    from statsmodels.stats.meta_analysis import combine_effects

    y, v = _yv(case)
    for ours_m, sm_m, tol in (("DL", "dl", 1e-10), ("PM", "pm", 1e-6)):
        r = combine_effects(y, v, method_re=sm_m)
        ours = fit_rma(y, v, method=ours_m)
        assert ours.tau2 == pytest.approx(r.tau2, rel=tol, abs=1e-10), ours_m
        assert ours.estimate == pytest.approx(r.mean_effect_re, rel=tol, abs=1e-10), ours_m
        assert ours.se == pytest.approx(r.sd_eff_w_re, rel=tol, abs=1e-10), ours_m
    fe = fit_rma(y, v, method="FE")
    assert fe.estimate == pytest.approx(r.mean_effect_fe, rel=1e-12)
    assert fe.qe == pytest.approx(r.q, rel=1e-10)


@pytest.mark.parametrize("case", ["bcg_OR", "edge_zero_arms_OR"])
def test_meta_regression_agrees_with_weighted_least_squares(case: str) -> None:
    import statsmodels.api as sm

    d = load_case(case)
    _, es = case_effects(case)
    x = np.asarray(d["inputs"]["columns"][d["metareg"]["moderator"]], dtype=float)
    ok = np.isfinite(es["yi"]) & np.isfinite(es["vi"])
    y, v, x = es["yi"][ok].to_numpy(), es["vi"][ok].to_numpy(), x[ok.to_numpy()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = fit_rma_mods(y, v, x, method="REML", test="knha")
    wls = sm.WLS(y, sm.add_constant(x), weights=1 / (v + fit.tau2)).fit()
    # Knapp-Hartung SEs are the WLS SEs scaled by the residual variance, as in statsmodels
    assert fit.estimate == pytest.approx(wls.params, rel=1e-9)
    assert fit.se == pytest.approx(wls.bse, rel=1e-9)
    assert fit.tval == pytest.approx(wls.tvalues, rel=1e-9)


def test_common_effect_glmm_agrees_with_statsmodels_glm() -> None:
    import statsmodels.api as sm

    d = load_case("bcg_PLO")
    c = d["inputs"]["columns"]
    x = np.asarray(c["tpos"], float)
    n = x + np.asarray(c["tneg"], float)
    glm = sm.GLM(np.column_stack([x, n - x]), np.ones((len(x), 1)),
                 family=sm.families.Binomial()).fit(tol=1e-12)
    ours = fit_glmm(x, n, method="FE")
    assert ours.estimate == pytest.approx(glm.params[0], rel=1e-10)
    # R's glm (which we emulate, as metafor reports it) takes the weights of the last IRLS
    # iteration; statsmodels those at the final estimate: 1e-6 relative apart here
    assert ours.se == pytest.approx(glm.bse[0], rel=1e-5)
    # the likelihood-ratio heterogeneity test is the FE model's deviance
    assert ours.extra["qe_lrt"] == pytest.approx(glm.deviance, rel=1e-8)


def test_mantel_haenszel_agrees_with_statsmodels_stratified_table() -> None:
    from statsmodels.stats.contingency_tables import StratifiedTable

    d = load_case("bcg_OR")
    c = d["inputs"]["columns"]
    t = [np.asarray(c[k], float) for k in ("tpos", "tneg", "cpos", "cneg")]
    tables = np.stack([np.array([[a, b], [cc, dd]]) for a, b, cc, dd in zip(*t)], axis=2)
    st = StratifiedTable(tables)
    ours = fit_mh(*t, measure="OR")
    assert ours.estimate == pytest.approx(st.logodds_pooled, rel=1e-12)
    assert ours.se == pytest.approx(st.logodds_pooled_se, rel=1e-10)
    assert ours.extra["mh"] == pytest.approx(st.test_null_odds(correction=True).statistic,
                                             rel=1e-10)
    assert ours.extra["ta"] == pytest.approx(st.test_equal_odds(adjust=True).statistic,
                                             rel=1e-8)
