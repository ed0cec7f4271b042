"""Sensitivity and small-study checks of a pooled table agree with metafor 3.8-1.

Oracle: tests/reference/metafor/bcg_OR.json (leave1out(fit_REML), regtest(fit_REML),
ranktest(fit_REML), trimfill(fit_REML) and the fits of every estimator on dat.bcg).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evidence.sensitivity import sensitivity

REF = json.loads((Path(__file__).resolve().parents[1] / "reference/metafor/bcg_OR.json").read_text())


def pooled_table(k: int | None = None) -> pd.DataFrame:
    yi, vi = REF["escalc"]["yi"][:k], REF["escalc"]["vi"][:k]
    return pd.DataFrame({"analysis": "bcg", "measure": "OR", "row_type": "study",
                         "slab": [f"trial {i + 1}" for i in range(len(yi))], "yi": yi, "vi": vi})


@pytest.fixture(scope="module")
def checks() -> tuple[dict, pd.DataFrame]:
    return sensitivity(pooled_table(), method="REML", test="z")


def test_leave_one_out_matches_metafor(checks) -> None:
    _, loo = checks
    ref = REF["leave1out"]["REML"]
    np.testing.assert_allclose(loo["estimate"], ref["estimate"], rtol=1e-5)
    np.testing.assert_allclose(loo["ci_lb"], ref["ci.lb"], rtol=1e-5)
    np.testing.assert_allclose(loo["estimate_bt"], np.exp(ref["estimate"]), rtol=1e-5)


def test_small_study_tests_match_metafor(checks) -> None:
    summary, _ = checks
    egger = REF["regtest"]["REML_rma_sei"]
    assert summary["egger"]["intercept"] == pytest.approx(egger["est"], rel=1e-5)
    assert summary["egger"]["slope"] == pytest.approx(egger["fit"]["estimate"][1], rel=1e-5)
    assert summary["egger"]["pval"] == pytest.approx(egger["pval"], rel=1e-5)
    assert summary["ranktest"]["pval"] == pytest.approx(REF["ranktest"]["pval"], rel=1e-6)
    assert summary["trimfill"]["k0"] == REF["trimfill"]["REML_L0"]["k0"]
    assert summary["trimfill"]["estimate"] == pytest.approx(REF["trimfill"]["REML_L0"]["estimate"], rel=1e-5)


@pytest.mark.parametrize("method", ["DL", "HS", "SJ", "HE", "FE"])
def test_every_estimator_reported(checks, method: str) -> None:
    summary, _ = checks
    assert summary["estimators"][method]["estimate"] == pytest.approx(REF["fits"][method]["estimate"], rel=1e-8)


def test_fewer_than_ten_studies_skip_asymmetry_tests_with_a_note() -> None:
    summary, loo = sensitivity(pooled_table(6), method="REML", test="knha")
    assert "egger" not in summary and "k = 6 < 10" in summary["small_study_note"]
    assert len(loo) == 6
