"""leave1out, influence, regtest, ranktest and trimfill against pinned metafor numbers.

metafor stores diagnostics only for its default-converged fits. FE and DL are closed form and
compared at ``exact``-level tolerance; for REML we fit with ``threshold=1e-5`` (metafor's default
Fisher-scoring stop), which every refit inherits, and compare at ``default_path``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from evidence import diagnostics as D
from evidence.models import fit_rma

from .conftest import TOL, assert_close, case_effects, case_ids, is_error, load_case
from .test_models_metafor import KNOWN_UNMATCHED


def _fits(case: str) -> dict:
    measure, es = case_effects(case)
    ni = es["ni"].to_numpy() if "ni" in es else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {m: fit_rma(es["yi"], es["vi"], method=m, measure=measure, ni=ni,
                           threshold=1e-5 if m == "REML" else None)
                for m in ("REML", "FE", "DL")}


def _rtol(method: str) -> float:
    return TOL["default_path"] if method == "REML" else 1e-8


@pytest.mark.metafor
@pytest.mark.parametrize("case", case_ids())
def test_leave1out(case: str) -> None:
    d = load_case(case)
    fits = _fits(case)
    for method, L in d["leave1out"].items():
        if is_error(L):
            with pytest.raises(ValueError, match=L["error"]):
                D.leave_one_out(fits[method])
            continue
        r = D.leave_one_out(fits[method])
        assert list(r["slab"]) == [str(s) for s in L["slab"]] or len(r) == len(L["slab"])
        for ours, theirs in (("estimate", "estimate"), ("se", "se"), ("ci_lb", "ci.lb"),
                             ("ci_ub", "ci.ub"), ("q", "Q"), ("q_pval", "Qp"), ("tau2", "tau2"),
                             ("i2", "I2"), ("h2", "H2")):
            if theirs not in L:
                continue
            assert_close(r[ours], L[theirs], _rtol(method), 1e-9, f"{case} leave1out {method} {ours}")


@pytest.mark.metafor
@pytest.mark.parametrize("case", case_ids())
def test_influence(case: str) -> None:
    d = load_case(case)
    fits = _fits(case)
    for method, I in d["influence"].items():
        if is_error(I["influence"]):
            with pytest.raises(ValueError, match="Stopped because k = 1"):
                D.influence(fits[method])
            continue
        r = D.influence(fits[method])
        inf = I["influence"]["inf"]
        for ours, theirs in (("rstudent", "rstudent"), ("dffits", "dffits"), ("cook_d", "cook.d"),
                             ("cov_r", "cov.r"), ("tau2_del", "tau2.del"), ("qe_del", "QE.del"),
                             ("hat", "hat"), ("weight", "weight")):
            assert_close(r[ours], inf[theirs], _rtol(method), 1e-7, f"{case} influence {method} {ours}")
        assert_close(r["dfbs"], I["influence"]["dfbs"]["intrcpt"], _rtol(method), 1e-7, "dfbs")
        assert list(r["is_infl"]) == I["influence"]["is.infl"]
        assert_close(r["cook_d"], I["cooks.distance"]["values"], _rtol(method), 1e-7, "cooks")
        assert_close(r["rstudent"], I["rstudent"]["z"], _rtol(method), 1e-7, "rstudent z")


REGTEST = {"REML_rma_sei": ("REML", "rma", "sei"), "FE_rma_sei": ("FE", "rma", "sei"),
           "DL_rma_sei": ("DL", "rma", "sei"), "REML_rma_vi": ("REML", "rma", "vi"),
           "lm_sei": ("REML", "lm", "sei")}


@pytest.mark.metafor
@pytest.mark.parametrize("case", case_ids())
def test_regtest(case: str) -> None:
    d = load_case(case)
    fits = _fits(case)
    for key, R in d["regtest"].items():
        method, model, predictor = REGTEST[key]
        if is_error(R):
            if ("error", f"{case}/regtest {key}") in KNOWN_UNMATCHED:
                continue
            with pytest.raises(ValueError, match=R["error"].split(".")[0]):
                D.regtest(fits[method], model=model, predictor=predictor)
            continue
        if (key, case) in KNOWN_UNMATCHED:
            continue
        r = D.regtest(fits[method], model=model, predictor=predictor)
        rtol = TOL["default_path"] if method == "REML" and model == "rma" else 1e-8
        for ours, theirs in (("zval", "zval"), ("pval", "pval"), ("est", "est"),
                             ("ci_lb", "ci.lb"), ("ci_ub", "ci.ub")):
            assert_close(getattr(r, ours), R[theirs], rtol, 1e-10, f"{R['call']} {ours}")
        if model == "lm":
            assert r.dfs == R["dfs"]


@pytest.mark.metafor
@pytest.mark.parametrize("case", case_ids())
def test_ranktest(case: str) -> None:
    d = load_case(case)
    fit = _fits(case)["REML"]
    for key, exact in (("ranktest", True), ("ranktest_normal", False)):
        R = d[key]
        if is_error(R):
            with pytest.raises(ValueError, match=R["error"]):
                D.rank_test(fit, exact=exact)
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = D.rank_test(fit, exact=exact)
        assert_close(r.tau, R["tau"], 1e-10, 1e-12, f"{case} {key} tau")
        assert_close(r.pval, R["pval"], 1e-8, 1e-12, f"{case} {key} pval")


@pytest.mark.metafor
@pytest.mark.parametrize("case", case_ids())
def test_trimfill(case: str) -> None:
    d = load_case(case)
    fits = _fits(case)
    for key, T in d["trimfill"].items():
        method, estimator = key.split("_")
        if is_error(T):
            # metafor: "did not converge" / "Number of parameters ..." / "Stopped because k = 1."
            # (for R0 with identical yi metafor fails inside R; we refuse with our message)
            with pytest.raises(ValueError):
                D.trim_and_fill(fits[method], estimator=estimator)
            continue
        r = D.trim_and_fill(fits[method], estimator=estimator)
        assert (r.k0, r.side) == (T["k0"], T["side"]), key
        rtol = TOL["default_path"] if method == "REML" else 1e-8
        f = r.fit
        assert f.k == T["k"]
        for ours, theirs in (("estimate", "estimate"), ("se", "se"), ("ci_lb", "ci.lb"),
                             ("ci_ub", "ci.ub"), ("tau2", "tau2"), ("qe", "QE")):
            assert_close(getattr(f, ours), T[theirs], rtol, 1e-7, f"{T['call']} {ours}")
        assert_close(np.sort(r.filled_yi), np.sort(T["filled_yi"]), rtol, 1e-7, "filled yi")


def test_cumulative_ends_with_full_fit() -> None:
    fit = fit_rma([0.1, 0.4, 0.2, 0.5], [0.02, 0.03, 0.01, 0.04], method="DL")
    cum = D.cumulative(fit)
    assert list(cum["k"]) == [1, 2, 3, 4]
    assert cum["estimate"].iloc[-1] == pytest.approx(fit.estimate, rel=1e-12)
    assert cum["estimate"].iloc[0] == pytest.approx(0.1)


def test_egger_is_regtest_lm() -> None:
    fit = fit_rma([0.1, 0.4, 0.2, 0.5, 0.3], [0.02, 0.03, 0.01, 0.04, 0.05])
    assert D.egger_test(fit) == D.regtest(fit, model="lm")
