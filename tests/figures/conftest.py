"""Fixtures of the figure tests; the builders live in ``figtest_data`` (importable by tests)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd
import pytest

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).parent))  # --import-mode=importlib: make helpers importable

from figtest_data import make_pooled  # noqa: E402


@pytest.fixture
def pooled_pain() -> pd.DataFrame:
    """Pain (mean, 0-10) by treatment class: three subgroups."""
    return make_pooled({"ablation": 6, "sacroplasty": 8, "ablation+sacroplasty": 4}, "MN", seed=3,
                       analysis="pain_last")  # fmt: skip


@pytest.fixture
def pooled_prop() -> pd.DataFrame:
    return make_pooled({"ablation": 5, "sacroplasty": 7}, "PLO", seed=5)


@pytest.fixture
def pooled_or() -> pd.DataFrame:
    return make_pooled({"ablation": 4, "surgery": 5}, "OR", seed=7, analysis="responder")
