"""pool_outcome: the harmonized effects table -> pooled table (DESIGN.md "Pooled") + fit JSON."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evidence.cli import main
from evidence.models import fit_rma
from evidence.pooling import POOLED_COLUMNS, pool_outcome
from evidence.subgroups import fit_subgroups


@pytest.fixture()
def effects() -> pd.DataFrame:
    return pd.DataFrame({
        "analysis": ["resp"] * 7 + ["pain"],
        "outcome": ["responder"] * 7 + ["pain"],
        "measure": ["PLO"] * 7 + ["MN"],
        "study_id": ["a2020", "b2021", "c2019", "d2018", "e2022", "f2017", "g2016", "a2020"],
        "arm_id": ["all"] * 8,
        "slab": ["A 2020", "B 2021", "C 2019", "D 2018", "E 2022", "F 2017", "G 2016", "A 2020"],
        "treatment_class": ["rfa", "rfa", "rfa", "cryo", "cryo", "cement", "rfa", "rfa"],
        "xi": [8, 15, 20, 5, 9, 30, 4, np.nan],
        "ni": [10, 20, 30, 10, 12, 31, 50, 40],
        "mi": [np.nan] * 7 + [3.2],
        "sdi": [np.nan] * 7 + [1.1],
        "include": ["true", "true", "true", "true", "TRUE", "true", "false", "true"],
    })


def test_pool_outcome_table_and_fits(effects: pd.DataFrame) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table, fits = pool_outcome(effects, "resp", "PLO", method="REML", test="knha")
    assert list(table.columns) == POOLED_COLUMNS
    assert list(table["row_type"].value_counts().sort_index().items()) == [
        ("overall", 1), ("study", 6), ("subgroup", 3), ("subgroup_test", 1)]
    studies = table[table.row_type == "study"]
    assert "g2016" not in set(studies.study_id)  # include = false
    inc = effects[(effects.analysis == "resp") & (effects.include.str.lower() == "true")]
    yi = np.log(inc.xi / (inc.ni - inc.xi))
    vi = 1 / inc.xi + 1 / (inc.ni - inc.xi)
    overall = fit_rma(yi, vi, test="knha", measure="PLO")
    row = table[table.row_type == "overall"].iloc[0]
    assert row["estimate"] == pytest.approx(overall.estimate, rel=1e-12)
    assert row["estimate_bt"] == pytest.approx(1 / (1 + np.exp(-overall.estimate)), rel=1e-12)
    assert row["k"] == 6 and row["n"] == inc.ni.sum()
    sg = fit_subgroups(yi, vi, inc.treatment_class, test="knha", measure="PLO")
    assert row["qm"] == pytest.approx(sg.qm) and row["qm_df"] == 2
    test_row = table[table.row_type == "subgroup_test"].iloc[0]
    assert test_row["qm"] == pytest.approx(sg.q_between)
    # cement has k = 1: still a fit with tau2 = 0
    cement = table[(table.row_type == "subgroup") & (table.group == "cement")].iloc[0]
    assert cement["k"] == 1 and cement["tau2"] == 0
    # weights: within subgroup sum to 100, overall weights sum to 100
    for g, rows in studies.groupby("group"):
        assert rows["weight"].sum() == pytest.approx(100)
    assert studies["weight_overall"].sum() == pytest.approx(100)
    assert studies["events"].tolist() == inc.xi.tolist() and studies["total"].tolist() == inc.ni.tolist()
    json.dumps(fits, allow_nan=False)
    assert fits["analysis"] == "resp" and set(fits["subgroups"]) == {"cement", "cryo", "rfa"}
    assert fits["qm_df"] == [2, 3] and "q_between" in fits


def test_pool_outcome_mean_measure_and_measure_mismatch(effects: pd.DataFrame) -> None:
    table, fits = pool_outcome(effects, "pain", "MN", test="z")
    study = table[table.row_type == "study"].iloc[0]
    assert (study["mean"], study["sd"], study["n"]) == (3.2, 1.1, 40)
    assert fits["k"] == 1 and fits["tau2"] == 0
    with pytest.raises(ValueError, match=r"rows have measure \['PLO'\], but measure 'PR'"):
        pool_outcome(effects, "resp", "PR")
    with pytest.raises(ValueError, match="No rows with analysis == 'nothing'"):
        pool_outcome(effects, "nothing", "PLO")


def test_pool_outcome_cli(effects: pd.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "effects.tsv"
    effects.to_csv(path, sep="\t", index=False)
    out_t, out_j = tmp_path / "pooled" / "resp.tsv", tmp_path / "pooled" / "resp.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rc = main(["pool-outcome", "--effects", str(path), "--analysis", "resp", "--method",
                   "REML", "--test", "knha", "--level", "95", "--out-table", str(out_t),
                   "--out-json", str(out_j)])
    assert rc == 0
    table = pd.read_csv(out_t, sep="\t")
    assert list(table.columns) == POOLED_COLUMNS and len(table) == 11
    assert json.loads(out_j.read_text())["measure"] == "PLO"
    bad = effects.copy()
    bad.loc[0, "measure"] = "PR"
    bad.to_csv(path, sep="\t", index=False)
    assert main(["pool-outcome", "--effects", str(path), "--analysis", "resp",
                 "--out-table", str(out_t), "--out-json", str(out_j)]) == 2
