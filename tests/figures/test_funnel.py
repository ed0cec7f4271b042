"""Contour-enhanced funnel plot."""

from __future__ import annotations

import numpy as np
import pytest
from figtest_data import make_pooled
from figtest_geometry import text_strings

from figures import funnel_plot
from figures.funnel import funnel_from_pooled


def _gids(fig):
    return {ln.get_gid() for ln in fig.axes[0].lines}


def test_small_k_says_not_assessable_and_omits_egger():
    yi, vi = np.array([0.1, 0.4, -0.2, 0.3]), np.array([0.05, 0.1, 0.2, 0.08])
    fig = funnel_plot(yi, vi, 0.15, egger={"intercept": 0, "slope": 1, "pval": 0.5}, measure="MD")
    assert "k = 4 < 10: funnel asymmetry not assessable" in text_strings(fig)
    assert "egger-line" not in _gids(fig)


def test_egger_line_when_k_at_least_10():
    pooled = make_pooled({"a": 6, "b": 6}, "OR", seed=2)
    fig = funnel_from_pooled(pooled, egger={"intercept": -0.1, "slope": 0.9, "pval": 0.031})
    assert "egger-line" in _gids(fig)
    assert "Egger's regression test: p = 0.031 (k = 12)" in text_strings(fig)
    # contours: three shaded funnels + the background
    assert len(fig.axes[0].patches) == 4
    ax = fig.axes[0]
    assert ax.get_ylim()[0] > ax.get_ylim()[1] == 0  # SE axis inverted, 0 at the top
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert "1" in labels  # OR back-transformed tick labels


def test_k_at_least_10_without_egger_says_so():
    pooled = make_pooled(11, "MN", seed=2)
    fig = funnel_from_pooled(pooled)
    assert "k = 11: Egger's test not supplied" in text_strings(fig)


def test_funnel_needs_yi_vi():
    pooled = make_pooled(4, "MN").assign(yi=np.nan)
    with pytest.raises(ValueError, match="'yi' and 'vi' are empty"):
        funnel_from_pooled(pooled, source="x.tsv")
