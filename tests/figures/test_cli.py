"""``python -m figures``: outputs at the given paths, errors name the file and the column."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
from figtest_data import make_pooled

from figures.cli import main


def _pooled_tsv(tmp_path, name="pain_last", **kw):
    pooled = make_pooled({"ablation": 4, "sacroplasty": 6}, kw.get("measure", "MN"), seed=3, analysis=name)
    path = tmp_path / f"{name}.tsv"
    pooled.to_csv(path, sep="\t", index=False)
    return path


def test_forest_writes_three_formats(tmp_path, capsys):
    tsv = _pooled_tsv(tmp_path)
    out = tmp_path / "figures" / "forest_pain_last"
    assert main(["forest", "--pooled", str(tsv), "--out", str(out), "--title", "Pain"]) == 0
    for ext in ("svg", "pdf", "png"):
        assert (tmp_path / "figures" / f"forest_pain_last.{ext}").stat().st_size > 1000
    assert "forest_pain_last.png" in capsys.readouterr().out


def test_missing_column_exits_2_naming_file_and_column(tmp_path, capsys):
    tsv = _pooled_tsv(tmp_path)
    pd.read_csv(tsv, sep="\t").drop(columns=["estimate_bt"]).to_csv(tsv, sep="\t", index=False)
    assert main(["forest", "--pooled", str(tsv), "--out", str(tmp_path / "f")]) == 2
    err = capsys.readouterr().err
    assert str(tsv) in err and "'estimate_bt'" in err
    assert main(["forest", "--pooled", str(tmp_path / "nope.tsv"), "--out", str(tmp_path / "f")]) == 2


def test_funnel_loo_cumulative_prisma_sof(tmp_path):
    tsv = _pooled_tsv(tmp_path, "responder", measure="OR")
    diag = tmp_path / "responder_diag.json"
    diag.write_text(json.dumps({"egger": {"intercept": 0.1, "slope": 0.3, "pval": 0.4}}))
    assert main(["funnel", "--pooled", str(tsv), "--diagnostics", str(diag),
                 "--out", str(tmp_path / "funnel_responder"), "--formats", "png"]) == 0  # fmt: skip
    assert (tmp_path / "funnel_responder.png").exists()

    loo = pd.DataFrame({"slab": ["A 2010", "B 2012", "C 2015"], "estimate": [0.1, 0.2, 0.05],
                        "ci_lb": [-0.3, -0.2, -0.4], "ci_ub": [0.5, 0.6, 0.5]})  # fmt: skip
    loo.to_csv(tmp_path / "loo.tsv", sep="\t", index=False)
    for kind in ("loo", "cumulative"):
        assert main([kind, "--table", str(tmp_path / "loo.tsv"), "--pooled", str(tsv),
                     "--out", str(tmp_path / kind), "--formats", "png"]) == 0  # fmt: skip
        assert (tmp_path / f"{kind}.png").exists()

    studies = pd.DataFrame({"study_id": ["a", "b", "c"], "document_type": ["primary", "review", "primary"],
                            "decision": ["included", "excluded", "included"],
                            "reason": ["", "review article", ""], "duplicate_of": ["", "", ""]})  # fmt: skip
    studies.to_csv(tmp_path / "studies.tsv", sep="\t", index=False)
    ids = tmp_path / "manual_ids.txt"
    ids.write_text("m1\nm2\n")
    assert main(["prisma", "--studies", str(tmp_path / "studies.tsv"), "--manual-ids", str(ids),
                 "--out", str(tmp_path / "figs" / "prisma"), "--formats", "svg"]) == 0  # fmt: skip
    counts = json.loads((tmp_path / "figs" / "prisma_counts.json").read_text())
    assert counts["records_identified"] == {"PDF folder": 3, "manual entries": 2}
    assert counts["studies_included"] == 4
    assert main(["prisma", "--studies", str(tmp_path / "studies.tsv"), "--manual-ids", "m1,m2",
                 "--out", str(tmp_path / "figs2" / "prisma"), "--formats", "svg"]) == 0  # fmt: skip
    assert json.loads((tmp_path / "figs2" / "prisma_counts.json").read_text()) == counts

    other = _pooled_tsv(tmp_path, "complication_any", measure="PLO")
    assert main(["sof", "--pooled", str(tsv), str(other), "--out", str(tmp_path / "t" / "sof")]) == 0
    for ext in ("csv", "md", "tex", "xlsx"):
        assert (tmp_path / "t" / f"sof.{ext}").exists()


def test_python_dash_m(tmp_path):
    res = subprocess.run([sys.executable, "-m", "figures", "--help"], capture_output=True, text=True)
    assert res.returncode == 0
    for cmd in ("forest", "funnel", "loo", "cumulative", "prisma", "sof"):
        assert cmd in res.stdout
