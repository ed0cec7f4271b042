"""Summary-of-findings table: content and byte-identical CSV / Markdown / LaTeX / XLSX."""

from __future__ import annotations

import openpyxl
import pandas as pd
from figtest_data import make_pooled

from figures import summary_of_findings, write_sof
from figures.formatting import format_estimate


def _tables():
    return {
        "pain_last": make_pooled({"ablation": 4, "sacroplasty": 5}, "MN", seed=3),
        "complication_any": make_pooled({"ablation": 3, "sacroplasty": 4, "ert": 2}, "PLO", seed=5),
        "responder": make_pooled(5, "OR", seed=1),
    }


def test_one_row_per_analysis_and_class():
    sof = summary_of_findings(_tables())
    assert list(sof["group"]) == ["ablation", "sacroplasty", "overall",
                                  "ablation", "sacroplasty", "ert", "overall", "overall"]  # fmt: skip
    t = _tables()["complication_any"]
    row = t[(t["row_type"] == "subgroup") & (t["group"] == "ert")].iloc[0]
    got = sof[(sof["analysis"] == "complication_any") & (sof["group"] == "ert")].iloc[0]
    assert got["k"] == 2
    studies = t[(t["row_type"] == "study") & (t["group"] == "ert")]
    assert got["patients"] == studies["n"].sum()
    assert got["estimate_text"] == format_estimate(100 * row["estimate_bt"], 100 * row["ci_lb_bt"],
                                                   100 * row["ci_ub_bt"], 1)  # fmt: skip


def test_write_sof_is_byte_identical(tmp_path):
    sof = summary_of_findings(_tables())
    a = write_sof(sof, tmp_path / "a" / "summary_of_findings")
    b = write_sof(summary_of_findings(_tables()), tmp_path / "b" / "summary_of_findings")
    assert [p.suffix for p in a] == [".csv", ".md", ".tex", ".xlsx"]
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.suffix
    back = pd.read_csv(a[0])
    assert len(back) == len(sof)
    md = a[1].read_text(encoding="utf-8")
    assert md.count("\n") == len(sof) + 2 and sof["estimate_text"].iloc[0] in md
    tex = a[2].read_text(encoding="utf-8")
    assert "\\begin{tabular}" in tex and "pain\\_last" in tex
    wb = openpyxl.load_workbook(a[3])
    assert wb.sheetnames == ["Summary of findings", "Data"]
    assert wb.properties.created.year == 2000 and wb.properties.modified.year == 2000
    assert wb["Summary of findings"].max_row == len(sof) + 1
