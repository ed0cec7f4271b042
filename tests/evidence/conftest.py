"""Shared helpers for the meta-analysis tests: named tolerances and the pinned metafor cases.

The reference numbers in ``tests/reference/metafor/*.json`` were computed with R 4.2.2 and
metafor 3.8-1 (see SOURCE.md there); tests never need R.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REF_DIR = Path(__file__).resolve().parents[1] / "reference" / "metafor"

#: named tolerances (relative unless the name says abs), as metafor's tests/testthat/settings.r
TOL: dict[str, float] = {
    # escalc, FE/DL/HS/HE/SJ and everything computed from a given tau2: exact to double rounding
    "exact": 1e-10,
    # estimates and standard errors of iterative fits against metafor's *_precise blocks
    "est": 1e-6,
    # iterative quantities (REML/ML/PM/EB tau2 and what depends on it) against *_precise blocks
    "iter": 1e-5,
    # absolute floor for tau2 (and I2 in percent) near the boundary 0
    "tau2_abs": 1e-8,
    "i2_abs": 1e-6,
    # Q-profile CI bounds against confint_precise (uniroot tol 1e-12)
    "confint": 1e-6,
    # metafor default convergence: Fisher scoring stops at |change in tau2| < 1e-5,
    # PM/confint uniroot tol = .Machine$double.eps^0.25 ~ 1.22e-4 (absolute, in tau2)
    "default_tau2_abs": 1.3e-4,
    # fits with threshold=1e-5 (metafor's default Fisher-scoring stop, same HE start and step
    # halving) against metafor's default blocks and the diagnostics computed from them; boundary
    # cases (tau2 -> 0 by step halving) agree to ~1e-9 relative in tau2
    "default_path": 1e-6,
    # --- models beyond rma.uni (tests/reference/metafor/models/) ---
    # rma.mh / rma.peto and the GLMM heterogeneity tests (glm fits) are closed form / emulated
    # IRLS: exact to double rounding ("exact" above)
    # rma.glmm: lme4 maximises the AGQ deviance with bobyqa/Nelder-Mead (default tolerances);
    # we solve to ~1e-10, so estimates agree to ~2e-7 absolute and tau2 to ~1e-5 relative
    "glmm_est_abs": 1e-6,
    "glmm_tau2": 5e-5,
    # lme4's SE comes from a finite-difference Hessian (step 1e-4) of a deviance evaluated to
    # PIRLS tolerance: ~1e-4 relative noise (its own tightly converged refit moves it by 6e-5)
    "glmm_se": 2e-4,
    # against lme4 refitted with bobyqa rhoend = 1e-12 (estimate and tau2 only; SE as above)
    "glmm_precise": 1e-6,
    # nAGQ = 1 (Laplace): lme4's value of the Laplace deviance differs from the exact one by
    # ~3e-5 in the log-likelihood (PIRLS tolerance), which moves tau2 of dat.bcg by 1.3e-4
    "glmm_laplace": 3e-4,
    "glmm_laplace_se": 3e-3,  # see the gap listed in test_models_extended_metafor.py
    # rma.mv: metafor's nlminb stops at rel.tol 1e-10 in the likelihood: sigma2 to ~1e-7
    "mv_sigma2": 1e-6,
    "mv_est": 1e-7,
}

ARG_RE = re.compile(r'(\w+)\s*=\s*("[^"]*"|[^,()]+)')


def case_files() -> list[Path]:
    return sorted(REF_DIR.glob("*.json"))


def case_ids() -> list[str]:
    return [p.stem for p in case_files()]


@lru_cache(maxsize=None)
def load_case(case_id: str) -> dict:
    return json.loads((REF_DIR / f"{case_id}.json").read_text())


def num(x: Any) -> float:
    """Reference scalar to float: null -> NaN, "Inf"/"NaN" strings -> float."""
    if x is None:
        return float("nan")
    return float(x)


def arr(x: Any) -> np.ndarray:
    return np.array([num(v) for v in np.atleast_1d(np.asarray(x, dtype=object))], dtype=float)


def parse_escalc_call(call: str, columns: dict) -> tuple[str, pd.DataFrame, dict]:
    """Turn a stored ``escalc(...)`` call into (measure, input frame with metafor names, options)."""
    inner = call[call.index("(") + 1 : call.rindex(")")]
    args = {k: v.strip() for k, v in ARG_RE.findall(inner)}
    measure = args.pop("measure").strip('"')
    args.pop("data", None)
    opts: dict[str, Any] = {}
    data: dict[str, Any] = {}
    for k, v in args.items():
        if k == "add":
            opts["add"] = float(v)
        elif k == "to":
            opts["to"] = v.strip('"')
        elif k == "drop00":
            opts["drop00"] = v == "TRUE"
        elif k == "vtype":
            opts["vtype"] = v.strip('"')
        else:
            data[k] = columns[v]
    return measure, pd.DataFrame(data), opts


def case_effects(case_id: str) -> tuple[str, pd.DataFrame]:
    """(measure, escalc input frame + yi, vi) for the case's main escalc call."""
    from evidence.effects import compute_effects

    d = load_case(case_id)
    measure, df, opts = parse_escalc_call(d["escalc"]["call"], d["inputs"]["columns"])
    return measure, compute_effects(df, measure, **opts)


#: number of individual values compared against metafor, reported at the end of the run
COMPARED: dict[str, int] = {"values": 0}


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    if COMPARED["values"]:
        terminalreporter.write_line(
            f"metafor reference values compared: {COMPARED['values']}"
        )


def assert_close(actual: Any, expected: Any, rtol: float, atol: float = 0.0, what: str = "") -> None:
    a = np.atleast_1d(np.asarray(actual, dtype=float))
    e = arr(expected)
    COMPARED["values"] += int(e.size)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    both_nan = np.isnan(a) & np.isnan(e)
    inf_eq = np.isinf(a) & np.isinf(e) & (np.sign(a) == np.sign(e))
    with np.errstate(invalid="ignore"):
        ok = both_nan | inf_eq | (np.abs(a - e) <= atol + rtol * np.abs(e))
    assert ok.all(), f"{what}: got {a[~ok]}, metafor {e[~ok]} (rtol={rtol}, atol={atol})"


def is_error(block: Any) -> bool:
    return isinstance(block, dict) and "error" in block


def finite_or_none(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x
