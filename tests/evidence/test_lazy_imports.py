"""The commands a re-run after a correction starts do not import what they do not use: scipy.stats
(~0.7 s) for harmonisation and grading, matplotlib (~0.5 s) for the summary-of-findings tables,
and nothing heavy for ``--help`` (issue 14)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "scipy.stats", "matplotlib")


def loaded(code: str) -> dict[str, bool]:
    """{module: imported?} of HEAVY after running ``code`` in a fresh interpreter."""
    probe = f"{code}\nimport sys\nprint(*(m in sys.modules for m in {HEAVY!r}))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    return dict(zip(HEAVY, (w == "True" for w in done.stdout.split()[-len(HEAVY):])))


def test_harmonising_imports_no_scipy_stats() -> None:
    assert not loaded("import evidence.harmonize")["scipy.stats"]


def test_grading_imports_no_scipy_stats() -> None:
    code = """
import pandas as pd
from evidence.appraisal.grade import grade
summary = {"k": 2, "i2": 10.0, "ci_lb_bt": 0.2, "ci_ub_bt": 0.3, "pi_lb_bt": 0.1, "pi_ub_bt": 0.4}
rows = [{"row_type": "study", "group": "a", "study_id": f"s{j}", "weight": 50.0, "weight_overall": 50.0}
        for j in range(2)]
rows += [{"row_type": "subgroup", "group": "a", **summary}, {"row_type": "overall", "group": None, **summary}]
table = pd.DataFrame(rows).assign(measure="PLO")
judgements = pd.DataFrame(columns=["analysis", "group", "domain", "judgement", "reason"])
assert len(grade({"x": table}, designs={}, assessments_high_risk=set(), judgements=judgements))
"""
    assert not loaded(code)["scipy.stats"]


def test_summary_of_findings_imports_no_matplotlib() -> None:
    assert loaded("import figures.sof") == {"pandas": True, "scipy.stats": False, "matplotlib": False}


@pytest.mark.parametrize("package", ["evidence", "figures", "extraction"])
def test_help_imports_nothing_heavy(package: str) -> None:
    got = loaded(f"import runpy, sys\nsys.argv = ['{package}', '--help']\n"
                 f"try:\n    runpy.run_module('{package}', run_name='__main__')\nexcept SystemExit:\n    pass")
    assert not any(got.values()), got


def test_conversion_quantiles_are_scipy_stats_own() -> None:
    """The conversions' quantiles (scipy.special, no scipy.stats import) are bit for bit those of
    scipy.stats.norm.ppf and scipy.stats.t.ppf."""
    import numpy as np
    from scipy.stats import norm, t

    from evidence.conversions import _t, _z

    ps = np.concatenate([np.linspace(0.5, 0.9999, 401), [0.95, 0.975, 0.995]])
    assert all(_z(p) == float(norm.ppf(p)) for p in ps)
    assert all(_t(p, df) == float(t.ppf(p, df)) for p in ps for df in (1, 2.5, 7, 29, 59, 1e6))
