"""The forest plot of a table written by the real engine (evidence.pooling.pool_outcome)."""

from __future__ import annotations

import pandas as pd
import pytest
from figtest_geometry import text_strings

pooling = pytest.importorskip("evidence.pooling")

from figures import forest_plot  # noqa: E402
from figures.forest import expected_texts, loo_plot  # noqa: E402
from figures.formatting import format_estimate, format_subgroup_test  # noqa: E402


@pytest.fixture
def effects() -> pd.DataFrame:
    return pd.DataFrame({
        "analysis": "complication_any", "outcome": "complication_any", "measure": "PLO",
        "study_id": [f"s{i}" for i in range(7)], "arm_id": "all",
        "slab": ["Tian 2022", "Cazzato 2021", "Moser 2019", "Lee 2018", "Wang 2020",
                 "Garcia 2017", "Smith 2015"],
        "treatment_class": ["ablation"] * 3 + ["sacroplasty"] * 4,
        "xi": [2, 5, 1, 8, 3, 0, 4], "ni": [20, 41, 15, 60, 33, 12, 25], "include": True,
    })  # fmt: skip


def test_forest_of_pool_outcome(effects, tmp_path):
    pooled, _fit = pooling.pool_outcome(effects, "complication_any", "PLO")
    path = tmp_path / "complication_any.tsv"
    pooled.to_csv(path, sep="\t", index=False)
    from figures import read_pooled

    back = read_pooled(path)
    fig = forest_plot(back)
    printed = text_strings(fig)
    for s in expected_texts(back):
        assert s in printed
    # independent recomputation from the engine's own frame (percent, one decimal)
    ov = pooled[pooled["row_type"] == "overall"].iloc[0]
    assert format_estimate(100 * ov["estimate_bt"], 100 * ov["ci_lb_bt"], 100 * ov["ci_ub_bt"], 1) in printed
    st = pooled[pooled["row_type"] == "subgroup_test"].iloc[0]
    assert format_subgroup_test(st["qm"], st["qm_df"], st["qm_pval"]) in printed
    assert "2/20" in printed and "0/12" in printed
    diamonds = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("diamond")]
    assert len(diamonds) == 3


def test_loo_of_engine_diagnostics(effects):
    diagnostics = pytest.importorskip("evidence.diagnostics")
    from evidence.effects import compute_effects
    from evidence.models import fit_rma

    es = compute_effects(effects, "PLO")
    fit = fit_rma(es["yi"], es["vi"], measure="PLO", slab=list(es["slab"]))
    loo = diagnostics.leave_one_out(fit)
    fig = loo_plot(loo, measure="PLO")  # no *_bt columns: back-transformed with expit
    printed = text_strings(fig)
    r = loo.iloc[0]
    import math

    expit = lambda x: 100 / (1 + math.exp(-x))  # noqa: E731
    assert format_estimate(expit(r["estimate"]), expit(r["ci_lb"]), expit(r["ci_ub"]), 1) in printed
