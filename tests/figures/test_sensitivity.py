"""Leave-one-out and cumulative forest plots."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from figtest_geometry import text_strings

from figures import cumulative_plot, loo_plot
from figures.formatting import format_estimate


def _table(k=6, measure="PLO"):
    rng = np.random.default_rng(4)
    est = rng.normal(-1.5, 0.2, k)
    se = rng.uniform(0.1, 0.3, k)
    df = pd.DataFrame({"slab": [f"Study {i} {2010 + i}" for i in range(k)], "estimate": est,
                       "ci_lb": est - 1.96 * se, "ci_ub": est + 1.96 * se,
                       "k": k - 1, "i2": rng.uniform(0, 80, k), "tau2": rng.uniform(0, 0.3, k)})  # fmt: skip
    expit = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
    for c in ("estimate", "ci_lb", "ci_ub"):
        df[c + "_bt"] = expit(df[c])
    df["measure"] = measure
    return df


def test_loo_prints_the_table():
    tab = _table()
    overall = {"estimate_bt": 0.2, "ci_lb_bt": 0.15, "ci_ub_bt": 0.26, "k": 6, "i2": 40.0, "tau2": 0.1}
    fig = loo_plot(tab, overall=overall, title="Leave one out")
    printed = text_strings(fig)
    for _, r in tab.iterrows():
        assert format_estimate(100 * r["estimate_bt"], 100 * r["ci_lb_bt"], 100 * r["ci_ub_bt"], 1) in printed
        assert f"\u2212 {r['slab']}" in printed
    assert format_estimate(20.0, 15.0, 26.0, 1) in printed
    diamonds = [p for p in fig.axes[0].patches if p.get_gid() == "diamond-overall"]
    assert len(diamonds) == 1


def test_cumulative_uses_model_scale_when_no_bt_and_measure_argument():
    tab = _table(measure="MN").drop(columns=["estimate_bt", "ci_lb_bt", "ci_ub_bt", "measure"])
    fig = cumulative_plot(tab, measure="MN")
    printed = text_strings(fig)
    r = tab.iloc[0]
    assert format_estimate(r["estimate"], r["ci_lb"], r["ci_ub"], 2) in printed
    assert "+ Study 0 2010" in printed


def test_sensitivity_missing_column():
    with pytest.raises(ValueError, match="loo.tsv: missing column 'ci_ub'"):
        loo_plot(_table().drop(columns="ci_ub"), source="loo.tsv")
    with pytest.raises(ValueError, match="no 'measure' column"):
        loo_plot(_table().drop(columns="measure"))
