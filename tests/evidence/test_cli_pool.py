"""``python -m evidence pool`` on every pinned metafor case: its fit.json agrees with metafor."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evidence.cli import main

from .conftest import TOL, assert_close, case_ids, is_error, load_case, parse_escalc_call

CASES = case_ids()


def _write_input(case: str, tmp_path: Path) -> tuple[Path, str]:
    d = load_case(case)
    measure, df, _ = parse_escalc_call(d["escalc"]["call"], d["inputs"]["columns"])
    if "subgroup" in d:
        df["group"] = d["inputs"]["columns"][d["subgroup"]["variable"]]
    df["slab"] = [f"s{i + 1}" for i in range(len(df))]
    path = tmp_path / f"{case}.csv"
    df.to_csv(path, index=False)
    return path, measure


def _run(args: list[str]) -> int:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return main(args)


@pytest.mark.metafor
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("method, test", [("REML", "z"), ("REML", "knha"), ("DL", "knha"),
                                          ("FE", "z")])
def test_pool_cli_matches_metafor(case: str, method: str, test: str, tmp_path: Path) -> None:
    d = load_case(case)
    path, measure = _write_input(case, tmp_path)
    out = tmp_path / "fit.json"
    assert _run(["pool", "--input", str(path), "--measure", measure, "--method", method,
                 "--test", test, "--level", "95", "--out", str(out)]) == 0
    fit = json.loads(out.read_text())
    precise = method == "REML"
    block = ("fits_knha" if test == "knha" else "fits") + ("_precise" if precise else "")
    R = d[block][method]
    stat = "tval" if R["test"] == "knha" else "zval"
    est_tol = TOL["est"] if precise else TOL["exact"]
    tau_tol = TOL["iter"] if precise else TOL["exact"]
    assert fit["k"] == R["k"]
    for ours, theirs, tol in (("estimate", "estimate", est_tol), ("se", "se", est_tol),
                              (stat, "zval", est_tol), ("ci_lb", "ci.lb", est_tol),
                              ("ci_ub", "ci.ub", est_tol), ("pval", "pval", tau_tol),
                              ("tau2", "tau2", tau_tol), ("i2", "I2", tau_tol),
                              ("h2", "H2", tau_tol), ("qe", "QE", TOL["exact"]),
                              ("qe_pval", "QEp", TOL["exact"])):
        assert_close(np.nan if fit[ours] is None else fit[ours], R[theirs], tol, 1e-8,
                     f"{case} {method} {test} {ours}")
    for ours, theirs in (("pi_lb", "pi.lb"), ("pi_ub", "pi.ub")):
        got = fit[ours]
        assert_close(np.nan if got is None else got, R["predict"][theirs], est_tol, 1e-8, ours)
    assert_close(fit["weight"], R["weights"], est_tol, 1e-10, "weights")
    assert_close(fit["yi"], d["escalc"]["yi"], TOL["exact"], 1e-14, "yi")
    assert_close(fit["vi"], d["escalc"]["vi"], TOL["exact"], 1e-14, "vi")
    if "predict_transf" in R:
        T = R["predict_transf"]
        for ours, theirs in (("estimate_bt", "pred"), ("ci_lb_bt", "ci.lb"),
                             ("ci_ub_bt", "ci.ub"), ("pi_lb_bt", "pi.lb"), ("pi_ub_bt", "pi.ub")):
            got = fit[ours]
            assert_close(np.nan if got is None else got, T[theirs], est_tol, 1e-12, ours)
    C = d["fits"].get(method, {}).get("confint_precise")
    if C is not None and not is_error(C):
        assert_close(fit["tau2_ci_lb"], C["tau2"]["ci.lb"], TOL["confint"], 1e-10, "tau2 ci lb")
        assert_close(fit["tau2_ci_ub"], C["tau2"]["ci.ub"], TOL["confint"], 1e-10, "tau2 ci ub")
    elif C is not None:
        assert fit["tau2_ci_lb"] is None
    if "subgroup" in d and test == "z":
        sblock = "by_method_precise" if precise else "by_method"
        B = d["subgroup"][sblock][method]
        assert_close(fit["qm"], B["mods_fit"]["QM"], tau_tol, 1e-10, "QM")
        assert_close(fit["qm_pval"], B["mods_fit"]["QMp"], tau_tol, 1e-10, "QMp")
        T = B["test_between_separate_tau2"]
        assert_close(fit["q_between"], T["Q"], tau_tol, 1e-10, "Q between")
        assert_close(fit["q_between_pval"], T["pval"], tau_tol, 1e-10, "Q between p")
        for level, F in B["separate_fits"].items():
            assert_close(fit["subgroups"][level]["estimate"], F["estimate"], est_tol, 1e-10,
                         f"subgroup {level}")


def test_pool_cli_generic_yi_vi_and_missing_rows(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    pd.DataFrame({"yi": [0.1, 0.3, None, 0.2], "vi": [0.01, 0.02, 0.03, 0.04]}).to_csv(path, index=False)
    out = tmp_path / "f.json"
    assert _run(["pool", "--input", str(path), "--out", str(out)]) == 0
    fit = json.loads(out.read_text())
    assert fit["k"] == 3 and "1 study with NAs omitted" in fit["warnings"][0]
    assert "estimate_bt" not in fit  # GEN has no back-transformation


def test_pool_cli_errors_are_clear(tmp_path: Path, capsys) -> None:
    path = tmp_path / "d.csv"
    pd.DataFrame({"xi": [12], "ni": [10]}).to_csv(path, index=False)
    assert _run(["pool", "--input", str(path), "--measure", "PLO"]) == 2
    assert "event counts must not exceed" in capsys.readouterr().err
    assert _run(["pool", "--input", str(path), "--measure", "PXX"]) == 2
    assert "Invalid measure 'PXX'" in capsys.readouterr().err


def test_help_documents_fit_json() -> None:
    res = subprocess.run([sys.executable, "-m", "evidence", "pool", "--help"],
                         capture_output=True, text=True, check=True)
    for word in ("--measure", "--method", "--test", "--level", "xi, ni", "ai, bi, ci, di",
                 "tau2_ci_lb", "qm_pval", "q_between", "estimate_bt", "harmonic"):
        assert word in res.stdout


def test_cli_names_agree_with_the_engine() -> None:
    """cli_pool spells the engine's names out (so --help needs no numpy); they must not drift."""
    from evidence import cli_pool
    from evidence.effects import MEASURES
    from evidence.models import METHODS, TESTS

    assert cli_pool.METHODS == METHODS and cli_pool.TESTS == TESTS and cli_pool.MEASURES == MEASURES
