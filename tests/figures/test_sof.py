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
    assert got["n"] == studies["n"].sum() and got["unit"] == ""  # the table does not say
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


def _with_units(table: pd.DataFrame, units: list[str]) -> pd.DataFrame:
    """``table`` with a ``unit`` on every study row, in row order."""
    out = table.copy()
    out["unit"] = None
    study = out.index[out["row_type"] == "study"]
    out.loc[study, "unit"] = units
    return out


def test_unit_of_each_analysis_is_labelled_and_lesions_are_not_summed_as_patients(tmp_path):
    lesions = _with_units(make_pooled({"ablation": 3, "sacroplasty": 2}, "PLO", seed=5), ["lesions"] * 5)
    mixed_units = ["patients", "lesions", "patients", "patients", "lesions"]
    mixed = _with_units(make_pooled({"ablation": 3, "sacroplasty": 2}, "PLO", seed=7), mixed_units)
    pain = _with_units(make_pooled({"ablation": 2}, "MN", seed=3), ["patients"] * 2)
    sof = summary_of_findings({"cement_leakage": lesions, "complication_any": mixed, "pain_last": pain})
    studies = lesions[lesions["row_type"] == "study"]
    got = sof[(sof["analysis"] == "cement_leakage") & (sof["group"] == "overall")].iloc[0]
    assert got["unit"] == "lesions" and got["n"] == studies["n"].sum()
    assert got["n_text"] == f"{int(studies['n'].sum())} lesions"
    m = mixed[mixed["row_type"] == "study"]
    is_lesion = [u == "lesions" for u in mixed_units]
    patients, lesion_count = int(m["n"][[not x for x in is_lesion]].sum()), int(m["n"][is_lesion].sum())
    got = sof[(sof["analysis"] == "complication_any") & (sof["group"] == "overall")].iloc[0]
    assert got["unit"] == "lesions+patients" and pd.isna(got["n"])
    assert got["n_text"] == f"{lesion_count} lesions + {patients} patients"
    abl = sof[(sof["analysis"] == "complication_any") & (sof["group"] == "ablation")].iloc[0]
    first3 = m[m["group"] == "ablation"]
    assert abl["n_text"] == f"{int(first3['n'].iloc[1])} lesions + {int(first3['n'].iloc[[0, 2]].sum())} patients"
    assert sof[sof["analysis"] == "pain_last"]["unit"].eq("patients").all()
    csv, md, tex, xlsx = write_sof(sof, tmp_path / "sof")
    back = pd.read_csv(csv)
    assert "patients" not in back.columns and {"unit", "n", "n_text"} <= set(back.columns)
    text = md.read_text(encoding="utf-8")
    header = text.splitlines()[0]
    assert "| Unit |" in header and "Analysed (n)" in header and "Patients" not in header
    assert f"| cement_leakage | lesions | All classes | 5 | {int(studies['n'].sum())} lesions |" in text
    assert f"{lesion_count} lesions + {patients} patients" in text
    assert "lesions + patients" in tex.read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(xlsx)["Summary of findings"]
    head = [c.value for c in sheet[1]]
    assert head[1] == "Unit" and "Analysed (n)" in head
    units = {sheet.cell(r, 1).value + "/" + sheet.cell(r, 3).value: sheet.cell(r, 2).value for r in range(2, sheet.max_row + 1)}
    assert units["cement_leakage/All classes"] == "lesions" and units["pain_last/All classes"] == "patients"
