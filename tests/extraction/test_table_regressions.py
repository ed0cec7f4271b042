"""Regression tests for three table bugs found by reading the code (issue 13).

* a row "VAS (0-100 mm)" was labelled scale ``VAS10`` (a 0-100 score pooled as 0-10);
* which column went to which arm depended on arm order (the label "Cement" also matches the
  header "Cement + ablation");
* a row labelled "1 month" got time point ``post``, not ``m1``.

The PDF is typeset here with reportlab (a ruled table, generic content), so every printed number
is known.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.extract import extract_document


def make_table_pdf(path: Path, short_arm_first: bool) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    arms = [("cement", "22"), ("cement + ablation", "24")]
    if not short_arm_first:
        arms.reverse()
    alloc = " or ".join(f"{label} (n = {n})" for label, n in arms)
    story = [
        Paragraph("Cement with or without ablation for painful bone lesions: a randomised trial", styles["Title"]),
        Paragraph(f"Methods. In this randomised trial 46 patients were randomised to {alloc}. "
                  "Pain was rated on a visual analogue scale from 0 to 100 mm.", styles["BodyText"]),
        Spacer(1, 12),
        Paragraph("Table 2 Outcomes by group", styles["BodyText"]),
    ]
    data = [
        ["", "Cement (n = 22)", "Cement + ablation (n = 24)"],
        ["VAS (0-100 mm) at baseline", "71.5 ± 9.2", "73.0 ± 8.4"],
        ["VAS (0-100 mm), 1 month", "42.1 ± 12.3", "30.6 ± 11.0"],
        ["VAS (0-100 mm)", "", ""],
        ["3 months", "38.2 ± 13.1", "25.4 ± 10.7"],
        ["Major complications, n (%)", "2 (9.1)", "1 (4.2)"],
    ]
    table = Table(data)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story.append(table)
    story.append(Spacer(1, 12))
    story.append(Paragraph("Results. No patient was lost to follow-up. " * 6, styles["BodyText"]))
    SimpleDocTemplate(str(path), pagesize=A4, invariant=1).build(story)
    return path


@pytest.fixture(scope="module", params=[True, False], ids=["short-arm-first", "long-arm-first"])
def table_result(request, tmp_path_factory):
    pdf = make_table_pdf(tmp_path_factory.mktemp("tables") / "trial.pdf", request.param)
    return extract_document(pdf)


def _arm_ids(res) -> tuple[str, str]:
    by_label = {a["label"].lower(): a["arm_id"] for a in res.arms}
    long_id = next(v for k, v in by_label.items() if "ablation" in k)
    short_id = next(v for k, v in by_label.items() if "ablation" not in k and "cement" in k)
    return short_id, long_id


def _values(res) -> dict[tuple[str, str, str, str], float]:
    return {(r["arm_id"], r["outcome"], r["timepoint"], r["field"]): float(r["value"]) for r in res.outcomes}


def test_columns_go_to_their_own_arm_whatever_the_arm_order(table_result):
    short_id, long_id = _arm_ids(table_result)
    got = _values(table_result)
    assert got[(short_id, "complication_major", "procedural", "events")] == 2
    assert got[(long_id, "complication_major", "procedural", "events")] == 1
    assert got[(short_id, "pain", "baseline", "mean")] == 71.5
    assert got[(long_id, "pain", "baseline", "mean")] == 73.0


def test_vas_0_100_row_is_labelled_vas100(table_result):
    pain = [r for r in table_result.outcomes if r["outcome"] == "pain"]
    assert pain, "no pain value read from the table"
    assert {r["scale"] for r in pain} == {"VAS100"}
    # the printed numbers are kept as printed; rescaling happens only in harmonisation
    assert max(float(r["value"]) for r in pain if r["field"] == "mean") == 73.0


def test_month_rows_get_their_time_point(table_result):
    short_id, long_id = _arm_ids(table_result)
    got = _values(table_result)
    assert got[(short_id, "pain", "m1", "mean")] == 42.1
    assert got[(long_id, "pain", "m1", "sd")] == 11.0
    # a time-point row under a section row that names the outcome ("VAS (0-100 mm)" / "3 months")
    assert got[(short_id, "pain", "m3", "mean")] == 38.2
    assert got[(long_id, "pain", "m3", "mean")] == 25.4
    assert not [r for r in table_result.outcomes if r["outcome"] == "pain" and r["timepoint"] == "post"]
