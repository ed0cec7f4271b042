"""Zero sampling variances handled as metafor 3.8-1 (tests/reference/metafor/models/zero_vi_*.json).

FE/EE divide by zero, DL/PM/HS refuse with metafor's message, REML/ML/SJ/EB/HE fit with Q, I²
and H² undefined (NaN = metafor NA); a fit whose tau² ends at 0 divides by zero; confint refuses.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pytest

from evidence.models import confint_tau2, fit_rma, fit_rma_mods

from .conftest import TOL, assert_close

MODELS_DIR = Path(__file__).resolve().parents[1] / "reference" / "metafor" / "models"
CASES = sorted(p.stem for p in MODELS_DIR.glob("zero_vi_*.json"))
# iterative fits against metafor's default convergence (Fisher scoring stops at 1e-5 change)
TOL_ITER_DEFAULT = 1e-5


def _load(case: str) -> dict:
    return json.loads((MODELS_DIR / f"{case}.json").read_text())


def _params():
    for case in CASES:
        d = _load(case)
        for block in ("fits", "fits_knha", "fits_mods"):
            for method in d.get(block, {}):
                yield pytest.param(case, block, method, id=f"{case}-{block}-{method}")


@pytest.mark.metafor
@pytest.mark.parametrize("case, block, method", list(_params()))
def test_zero_vi_like_metafor(case: str, block: str, method: str) -> None:
    d = _load(case)
    R = d[block][method]
    cols = d["inputs"]["columns"]
    test = "knha" if block == "fits_knha" else "z"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if block == "fits_mods":
                fit = fit_rma_mods(cols["yi"], cols["vi"], np.asarray(cols["x"]), method=method,
                                   test=test, threshold=1e-5)
            else:
                fit = fit_rma(cols["yi"], cols["vi"], method=method, test=test, threshold=1e-5)
        except ValueError as exc:
            assert "error" in R, f"{R['call']}: metafor fits, we raised {exc}"
            assert str(exc) == R["error"]
            return
    assert "error" not in R, f"{R['call']}: metafor refuses ({R.get('error')}), we fit"
    got = [str(w.message) for w in caught]
    for msg in R.get("warnings", []):
        assert msg in got, (msg, got)
    est = fit.estimate[0] if block == "fits_mods" else fit.estimate
    se = fit.se[0] if block == "fits_mods" else fit.se
    rt = TOL["exact"] if method in ("HE", "SJ") else TOL_ITER_DEFAULT
    assert_close(fit.tau2, R["tau2"], rt, 1e-12, f"{R['call']} tau2")
    assert_close(est, R["estimate"], rt, 1e-12, f"{R['call']} estimate")
    assert_close(se, R["se"], rt, 1e-12, f"{R['call']} se")
    if method != "EB":  # SE of the EB tau2: see test_models_metafor.KNOWN_UNMATCHED
        assert_close(fit.se_tau2, R["se.tau2"], max(rt, 1e-6), 1e-12, f"{R['call']} se.tau2")
    for ours, theirs in (("qe", "QE"), ("qe_pval", "QEp"), ("i2", "I2"), ("h2", "H2")):
        assert math.isnan(getattr(fit, ours)) and R[theirs] is None, (ours, R[theirs])
    if block != "fits_mods":
        assert_close(fit.weights, R["weights"], rt, 1e-12, f"{R['call']} weights")
        P = R["predict"]
        assert_close([fit.pi_lb, fit.pi_ub], P["pi.lb"] + P["pi.ub"], rt, 1e-12, "PI")
        with pytest.raises(ValueError) as exc:
            confint_tau2(fit)
        assert str(exc.value) == R["confint"]["error"]
