"""``pool-outcome --model glmm|mh|peto|multilevel``: the pooled table keeps its columns and its
overall row holds metafor's numbers (pinned references in tests/reference/metafor/models/)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evidence.cli import main
from evidence.pooling import POOLED_COLUMNS, pool_outcome

from .conftest import TOL

DIR = Path(__file__).resolve().parents[1] / "reference" / "metafor" / "models"


def _load(case: str) -> dict:
    return json.loads((DIR / f"{case}.json").read_text())


def _run_cli(tmp_path: Path, effects: pd.DataFrame, *opts: str) -> tuple[pd.DataFrame, dict]:
    path = tmp_path / "effects.tsv"
    effects.to_csv(path, sep="\t", index=False)
    out_t, out_j = tmp_path / "pooled.tsv", tmp_path / "pooled.json"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rc = main(["pool-outcome", "--effects", str(path), "--analysis", "a", *opts,
                   "--out-table", str(out_t), "--out-json", str(out_j)])
    assert rc == 0
    table = pd.read_csv(out_t, sep="\t")
    assert list(table.columns) == POOLED_COLUMNS
    return table, json.loads(out_j.read_text())


def _overall(table: pd.DataFrame) -> pd.Series:
    return table[table.row_type == "overall"].iloc[0]


@pytest.mark.metafor
def test_glmm_pooled_table_matches_rma_glmm(tmp_path: Path) -> None:
    d = _load("glmm_bcg_PLO")
    col = d["inputs"]["columns"]
    k = len(col["xi"])
    eff = pd.DataFrame({"analysis": "a", "measure": "PFT", "study_id": [f"s{i}" for i in range(k)],
                        "slab": [f"S{i}" for i in range(k)], "treatment_class": "all",
                        "xi": col["xi"], "ni": col["ni"], "include": True})
    table, fits = _run_cli(tmp_path, eff, "--model", "glmm", "--test", "z", "--method", "REML")
    R = d["fits"]["ML"]
    o = _overall(table)
    assert o["method"] == "ML" and o["test"] == "z" and o["measure"] == "PLO" and o["k"] == k
    assert o["estimate"] == pytest.approx(R["estimate"], abs=TOL["glmm_est_abs"])
    assert o["tau2"] == pytest.approx(R["tau2"], rel=TOL["glmm_tau2"])
    T = R["predict_transf"]
    assert o["estimate_bt"] == pytest.approx(T["pred"][0], rel=1e-5)
    assert o["pi_lb_bt"] == pytest.approx(T["pi.lb"][0], rel=1e-4)
    assert fits["model"] == "rma.glmm" and fits["qe_lrt"] == pytest.approx(R["QE.LRT"], rel=1e-10)
    studies = table[table.row_type == "study"]
    assert studies["yi"].tolist() == pytest.approx(d["escalc"]["yi"], rel=1e-9)  # TSV: 10 digits
    assert studies["weight"].sum() == pytest.approx(100)


@pytest.mark.metafor
@pytest.mark.parametrize("model, block, measure", [("mh", "MH_OR", "OR"), ("mh", "MH_RR", "RR"),
                                                   ("mh", "MH_RD", "RD"), ("peto", "PETO", "OR")])
def test_two_group_pooled_table_matches_metafor(tmp_path: Path, model: str, block: str,
                                                measure: str) -> None:
    d = _load("mh_zero_cells")
    c = d["inputs"]["columns"]
    k = len(c["ai"])
    eff = pd.DataFrame({"analysis": "a", "measure": measure, "study_id": [f"s{i}" for i in range(k)],
                        "treatment_class": "all", "ai": c["ai"],
                        "n1i": np.add(c["ai"], c["bi"]), "ci": c["ci"],
                        "n2i": np.add(c["ci"], c["di"]), "include": True})
    table, fits = _run_cli(tmp_path, eff, "--model", model)
    R = d["fits"][block]
    o = _overall(table)
    assert o["method"] == ("MH" if model == "mh" else "PETO") and o["k"] == R["k"]
    for ours, theirs in (("estimate", "estimate"), ("se", "se"), ("ci_lb", "ci.lb"),
                         ("qe", "QE"), ("i2", "I2")):
        assert o[ours] == pytest.approx(R[theirs], rel=1e-9, abs=1e-12)
    assert np.isnan(o["pi_lb"])
    studies = table[table.row_type == "study"]
    assert studies["weight"].tolist() == pytest.approx(R["weights"], abs=1e-8)


@pytest.mark.metafor
@pytest.mark.parametrize("robust", [False, True])
def test_multilevel_pooled_table_matches_rma_mv(tmp_path: Path, robust: bool) -> None:
    d = _load("mv_konstantopoulos2011")
    c = d["inputs"]["columns"]
    k = len(c["yi"])
    eff = pd.DataFrame({"analysis": "a", "measure": "GEN", "study_id": c["study"],
                        "arm_id": c["arm"], "treatment_class": "all", "yi": c["yi"],
                        "vi": c["vi"], "include": True})
    table, fits = _run_cli(tmp_path, eff, "--model", "multilevel", "--test", "z",
                           *(["--robust"] if robust else []))
    R = d["fits"]["REML"]
    C = R["robust"]["coefficients"] if robust else R["coefficients"]
    o = _overall(table)
    assert o["k"] == k and o["test"] == ("robust" if robust else "z")
    assert o["estimate"] == pytest.approx(C["estimate"][0], rel=1e-7)
    assert o["se"] == pytest.approx(C["se"][0], rel=1e-6)
    assert [o["ci_lb"], o["ci_ub"]] == pytest.approx([C["ci.lb"][0], C["ci.ub"][0]], rel=1e-6)
    assert o["tau2"] == pytest.approx(sum(R["sigma2"]), rel=1e-6)
    assert fits["sigma2"] == pytest.approx(R["sigma2"], rel=TOL["mv_sigma2"])


def test_model_measure_checks() -> None:
    eff = pd.DataFrame({"analysis": "a", "measure": "MN", "mi": [1.0], "sdi": [1.0], "ni": [10]})
    with pytest.raises(ValueError, match="model 'glmm' pools proportions"):
        pool_outcome(eff, "a", "MN", model="glmm")
    with pytest.raises(ValueError, match="model 'peto' pools odds ratios"):
        pool_outcome(eff.assign(measure="RR"), "a", "RR", model="peto")
    with pytest.raises(ValueError, match="Invalid model"):
        pool_outcome(eff, "a", "MN", model="bayes")


def test_several_arms_warn_unless_multilevel() -> None:
    eff = pd.DataFrame({"analysis": "a", "measure": "PLO", "study_id": ["s1", "s1", "s2", "s3"],
                        "arm_id": ["1", "2", "1", "1"], "treatment_class": "x",
                        "xi": [3, 4, 5, 2], "ni": [20, 25, 30, 18]})
    with pytest.warns(UserWarning, match="use model 'multilevel'"):
        pool_outcome(eff, "a", "PLO", model="rma", test="z")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        table, _ = pool_outcome(eff, "a", "PLO", model="multilevel", test="z")
    assert _overall(table)["k"] == 4
