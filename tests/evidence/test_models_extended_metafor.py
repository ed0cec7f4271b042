"""GLMM (rma.glmm PLO), Mantel-Haenszel / Peto (rma.mh, rma.peto) and the multilevel model with
cluster-robust SEs (rma.mv + robust) against pinned metafor 3.8-1 / lme4 1.1-31 results in
tests/reference/metafor/models/ (made by make_models_reference.R there). Tolerances: conftest.TOL.

Known gaps (not compared, with the reason):
* rma.glmm ``fit.stats`` when tau2 > 0: metafor builds its log-likelihood from lme4's
  ``deviance()``, which for nAGQ > 1 is the conditional deviance at the modes, not the AGQ
  marginal deviance. We report the marginal log-likelihood; it is checked against lme4's
  ``logLik`` (which, for nAGQ > 1, leaves out the saturated log-likelihood), and against
  metafor's ll when tau2 = 0 (where the two definitions coincide).
* rma.glmm with nAGQ = 1 (Laplace) and tau2 > 0: lme4's Laplace deviance, evaluated at its PIRLS
  tolerance, differs from the exact Laplace value by ~3e-5 in the log-likelihood; on the flat
  dat.bcg likelihood that moves tau2 by 1.3e-4 relative (TOL["glmm_laplace"]), and lme4's
  finite-difference Hessian of its Laplace deviance (36.15, -0.288, 18.41) differs from the
  Hessian of the exact Laplace deviance (35.93, -0.356, 18.33), so the SE differs by 2.3e-3
  relative (TOL["glmm_laplace_se"]); we have not found the cause. With 7 nodes
  (metafor's default) the estimates agree to 1e-8 with lme4 refitted tightly.
* rma.mh / rma.peto ``fit.stats``: metafor computes them from escalc effects with its own
  corrections; not used by this toolkit.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from evidence.glmm import fit_glmm
from evidence.multilevel import fit_multilevel
from evidence.twogroup import fit_mh, fit_peto

from .conftest import TOL, assert_close, num

DIR = Path(__file__).resolve().parents[1] / "reference" / "metafor" / "models"


def _load(case: str) -> dict:
    return json.loads((DIR / f"{case}.json").read_text())


def _cat(*xs) -> list:
    """Concatenate reference values that are scalars or length-1 arrays."""
    return [v for x in xs for v in (x if isinstance(x, list) else [x])]


def _missing(x) -> bool:
    return x is None or (isinstance(x, list) and all(v is None for v in x))


def _cases(prefix: str) -> list[str]:
    return sorted(p.stem for p in DIR.glob(f"{prefix}_*.json"))


# ---------------------------------------------------------------------------------------- GLMM
GLMM_BLOCKS = {"ML": {}, "ML_nAGQ1": {"nagq": 1}, "FE": {"method": "FE"}, "ML_knha": {"test": "t"}}


@pytest.mark.metafor
@pytest.mark.parametrize("case", _cases("glmm"))
@pytest.mark.parametrize("block", list(GLMM_BLOCKS))
def test_glmm_matches_rma_glmm(case: str, block: str) -> None:
    d = _load(case)
    R = d["fits"][block]
    col = d["inputs"]["columns"]
    fit = fit_glmm(col["xi"], col["ni"], **GLMM_BLOCKS[block])
    what = R["call"]
    assert fit.k == R["k"] and fit.stat_name == ("t" if block == "ML_knha" else "z")
    fixed = block == "FE"
    if fixed or R["tau2"] == 0:
        assert fit.tau2 == 0.0
    else:
        rt = TOL["glmm_laplace"] if block == "ML_nAGQ1" else TOL["glmm_tau2"]
        assert_close(fit.tau2, R["tau2"], rt, 0, f"{what} tau2")
        assert_close(fit.i2, R["I2"], rt, 0, f"{what} I2")
        assert_close(fit.h2, R["H2"], rt, 0, f"{what} H2")
    est_tol = 1e-12 if fixed else TOL["glmm_est_abs"] * (300 if block == "ML_nAGQ1" else 1)
    se_tol = TOL["exact"] if fixed else TOL["glmm_laplace_se" if block == "ML_nAGQ1" else "glmm_se"]
    assert_close(fit.estimate, R["estimate"], 0, est_tol, f"{what} estimate")
    assert_close(fit.se, R["se"], se_tol, 0, f"{what} se")
    ci_tol = est_tol + 3 * se_tol * R["se"]
    assert_close([fit.ci_lb, fit.ci_ub], [R["ci.lb"], R["ci.ub"]], 0, ci_tol, f"{what} ci")
    assert_close(fit.stat, R["zval"], 3 * se_tol, est_tol, f"{what} stat")
    for ours, theirs in (("qe", "QE.Wld"), ("qe_pval", "QEp.Wld")):
        assert_close(getattr(fit, ours), R[theirs], TOL["exact"], 1e-300, f"{what} {ours}")
    assert_close(fit.extra["qe_lrt"], R["QE.LRT"], TOL["exact"], 0, f"{what} QE.LRT")
    assert_close(fit.extra["qe_lrt_pval"], R["QEp.LRT"], TOL["exact"], 1e-300, f"{what} QEp.LRT")
    T = R["predict_transf"]
    pred = fit.predict(transf=True)
    assert pred.se is None
    assert_close(pred.pred, T["pred"], 3 * se_tol, 1e-9, f"{what} ilogit(pred)")
    if fixed:
        assert pred.pi_lb is None and _missing(T["pi.lb"])
    else:
        assert_close([pred.pi_lb, pred.pi_ub], _cat(T["pi.lb"], T["pi.ub"]),
                     1e-3 if block == "ML_nAGQ1" else 1e-4, 1e-9,
                     f"{what} PI (proportions)")
    if R["tau2"] == 0 or fixed:
        assert_close(fit.extra["loglik"], R["fit.stats"]["ML"]["ll"], 1e-8, 0, f"{what} ll")


@pytest.mark.metafor
@pytest.mark.parametrize("case", _cases("glmm"))
def test_glmm_matches_tightly_converged_lme4(case: str) -> None:
    d = _load(case)
    L = d["lme4_direct"]["nAGQ7_precise"]
    col = d["inputs"]["columns"]
    fit = fit_glmm(col["xi"], col["ni"])
    assert_close(fit.estimate, L["estimate"], TOL["glmm_precise"], 0, "estimate")
    assert_close(fit.tau2, L["tau2"], TOL["glmm_precise"], 1e-12, "tau2")
    assert_close(fit.se, L["se"], TOL["glmm_se"], 0, "se")
    if fit.tau2 > 0:  # lme4's logLik (nAGQ > 1): marginal ll - saturated ll
        F = d["fits"]["FE"]
        ll_sat = F["fit.stats"]["ML"]["ll"] + F["QE.LRT"] / 2
        lme4_ll = fit.extra["loglik"] - ll_sat
        assert_close(lme4_ll, L["logLik"], 1e-8, 0, "logLik")


def test_glmm_needs_no_correction_and_refuses_bad_counts() -> None:
    fit = fit_glmm([0, 0, 1], [11, 18, 20])
    assert fit.tau2 == 0 and 1 / 49 == pytest.approx(fit.estimate_bt) and np.isfinite(fit.se)
    with pytest.raises(ValueError, match="study 2"):
        fit_glmm([1, 5], [10, 4])


# ---------------------------------------------------------------------------------- MH / Peto
MH_BLOCKS = {"MH_OR": ("OR", True), "MH_OR_nocorrect": ("OR", False), "MH_RR": ("RR", True),
             "MH_RD": ("RD", True), "PETO": (None, None)}


@pytest.mark.metafor
@pytest.mark.parametrize("case", _cases("mh"))
@pytest.mark.parametrize("block", list(MH_BLOCKS))
def test_mh_and_peto_match_metafor(case: str, block: str) -> None:
    d = _load(case)
    R = d["fits"][block]
    t = [d["inputs"]["columns"][c] for c in ("ai", "bi", "ci", "di")]
    measure, correct = MH_BLOCKS[block]
    fit = fit_peto(*t) if measure is None else fit_mh(*t, measure=measure, correct=correct)
    what = R["call"]
    assert fit.k == R["k"] and fit.extra["k_yi"] == R["k.yi"]
    for ours, theirs in (("estimate", "estimate"), ("se", "se"), ("stat", "zval"),
                         ("pval", "pval"), ("ci_lb", "ci.lb"), ("ci_ub", "ci.ub"), ("qe", "QE"),
                         ("qe_pval", "QEp"), ("i2", "I2"), ("h2", "H2")):
        assert_close(getattr(fit, ours), R[theirs], TOL["exact"], 1e-14, f"{what} {ours}")
    assert_close(fit.weights, R["weights"], TOL["exact"], 1e-12, f"{what} weights")
    for ours, theirs in (("mh", "MH"), ("mh_pval", "MHp"), ("ta", "TA"), ("ta_pval", "TAp")):
        if R.get(theirs) is not None:
            assert_close(fit.extra[ours], R[theirs], 1e-9, 1e-14, f"{what} {theirs}")
    if "predict_transf" in R:
        p = fit.predict(transf=True)
        T = R["predict_transf"]
        assert_close([p.pred, p.ci_lb, p.ci_ub], _cat(T["pred"], T["ci.lb"], T["ci.ub"]),
                     TOL["exact"], 0, f"{what} exp()")
        assert p.pi_lb is None and _missing(T["pi.lb"])


# --------------------------------------------------------------------------------- multilevel
MV_BLOCKS = {"REML": {}, "ML": {"method": "ML"}, "REML_t": {"test": "t"}, "REML_mods": None}


def _mv_params():
    for case in _cases("mv"):
        for block in _load(case)["fits"]:
            yield pytest.param(case, block, id=f"{case}-{block}")


@pytest.mark.metafor
@pytest.mark.parametrize("case, block", list(_mv_params()))
def test_multilevel_and_robust_match_metafor(case: str, block: str) -> None:
    d = _load(case)
    R = d["fits"][block]
    col = d["inputs"]["columns"]
    kw = MV_BLOCKS[block]
    if kw is None:
        kw = {"mods": np.asarray(col["year"], float) - 1990}
    fit = fit_multilevel(col["yi"], col["vi"], col["study"], col["arm"], **kw)
    what = R["call"]
    assert fit.k == R["k"] and fit.extra["s_nlevels"] == R["s.nlevels"]
    assert_close(fit.extra["sigma2"], R["sigma2"], TOL["mv_sigma2"], 1e-9, f"{what} sigma2")
    C = R["coefficients"]
    ours = fit.extra["coefficients"]
    for key, theirs in (("estimate", "estimate"), ("se", "se"), ("stat", "zval"),
                        ("pval", "pval"), ("ci_lb", "ci.lb"), ("ci_ub", "ci.ub")):
        assert_close([c[key] for c in ours], C[theirs], TOL["mv_est"] * 10, 1e-9, f"{what} {key}")
    assert_close([fit.qe, fit.qe_pval], [R["QE"], R["QEp"]], TOL["exact"], 1e-300, f"{what} QE")
    assert_close(fit.extra["qm"], R["QM"], 1e-6, 0, f"{what} QM")
    ll = R["fit.stats"]["ML" if block == "ML" else "REML"]["ll"]
    assert_close(fit.extra["loglik"], ll, 1e-9, 0, f"{what} ll")
    if kw.get("mods") is None:
        P = R["predict"]
        assert_close([fit.pi_lb, fit.pi_ub], _cat(P["pi.lb"], P["pi.ub"]), 1e-6, 0, f"{what} PI")
    rb = fit.robust()
    B = R["robust"]
    assert rb.ddf == B["dfs"] and rb.extra["n_clusters"] == B["n_clusters"]
    assert rb.stat_name == "t" and rb.test == "robust"
    ours = rb.extra["coefficients"]
    CB = B["coefficients"]
    for key, theirs in (("estimate", "estimate"), ("se", "se"), ("stat", "zval"),
                        ("pval", "pval"), ("ci_lb", "ci.lb"), ("ci_ub", "ci.ub")):
        assert_close([c[key] for c in ours], CB[theirs], TOL["mv_est"] * 10, 1e-9,
                     f"robust {what} {key}")
    assert_close(rb.extra["qm"], B["QM"], 1e-6, 0, f"robust {what} QM")


def test_multilevel_reduces_to_rma_uni_with_one_row_per_study() -> None:
    from evidence.models import fit_rma

    yi, vi = [0.1, 0.4, 0.35, -0.1, 0.6], [0.02, 0.03, 0.05, 0.04, 0.06]
    mv = fit_multilevel(yi, vi, study=[1, 2, 3, 4, 5])
    uni = fit_rma(yi, vi, method="REML")
    assert_close(sum(mv.extra["sigma2"]), uni.tau2, 1e-6, 1e-10, "total variance")
    assert_close(mv.estimate, uni.estimate, 1e-7, 0, "estimate")
    assert num(mv.qe) == pytest.approx(uni.qe, rel=1e-12)
