"""Tables without rules (extraction/grid.py): rebuilt from word positions under a caption.

The synthetic PDFs are typeset here with reportlab, so every printed number is known; the real
ones are checked against the numbers printed on their pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.extract import extract_document
from extraction.grid import CAPTION_RE, is_numberlike
from extraction.layout import build_layout
from extraction.pdf import read_document

from .conftest import REAL

PROSE = (
    "Patients were followed for twelve months after the procedure and every visit was recorded "
    "by a nurse who did not know the allocation; the analysis followed the intention to treat "
    "principle and no patient was lost before the primary end point was assessed by the team."
).split()


def _prose(c, x: float, y: float, width: float, lines: int) -> None:
    words = PROSE * 4
    k = 0
    for i in range(lines):
        line = []
        while k < len(words) and c.stringWidth(" ".join(line + [words[k]]), "Helvetica", 9) < width:
            line.append(words[k])
            k += 1
        c.drawString(x, y - 11 * i, " ".join(line))


def make_trial_pdf(path: Path) -> Path:
    """Page 1: title, allocation sentence, two text columns; an unruled table in the left column
    (header over two lines) beside prose in the right one. Page 2: a full-width unruled table whose
    caption names the outcome and whose first body row is "Total"."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    w, h = A4
    c.setFont("Helvetica-Bold", 13)
    c.drawString(50, h - 60, "Ablation versus surgery for painful bone metastases: a randomised trial")
    c.setFont("Helvetica", 9)
    c.drawString(50, h - 80, "Methods: 78 patients were randomised to ablation (n = 40) or surgery (n = 38).")
    _prose(c, 50, h - 110, 230, 6)
    c.setFont("Helvetica-Bold", 9)
    c.drawString(50, h - 190, "Table 2 Complications by treatment")
    c.setFont("Helvetica", 9)
    y = h - 208
    c.drawString(175, y, "Ablation")
    c.drawString(235, y, "Surgery")
    c.drawString(175, y - 11, "(n = 40)")
    c.drawString(235, y - 11, "(n = 38)")
    rows = [
        ("Major complications, n (%)", "3 (7.5)", "5 (13.2)"),
        ("Minor complications, n (%)", "4 (10.0)", "2 (5.3)"),
        ("Hospital stay, days", "1.2", "6.5"),
    ]
    for i, (lab, a, b) in enumerate(rows):
        yy = y - 30 - 13 * i
        c.drawString(50, yy, lab)
        c.drawString(175, yy, a)
        c.drawString(235, yy, b)
    _prose(c, 310, h - 110, 230, 30)
    _prose(c, 50, h - 300, 230, 20)
    c.showPage()
    c.setFont("Helvetica-Bold", 9)
    c.drawString(50, h - 60, "Table 3 Adverse events related to the procedure")
    c.setFont("Helvetica", 9)
    c.drawString(260, h - 80, "No. of events (no. of patients, % patients)")
    c.drawString(260, h - 92, "Ablation (n = 40)")
    c.drawString(400, h - 92, "Surgery (n = 38)")
    body = [("Total", "9 (7, 17.5%)", "12 (10, 26.3%)"), ("Haematoma", "3 (3, 7.5%)", "4 (4, 10.5%)"), ("Infection", "0 (0, 0.0%)", "5 (4, 10.5%)")]
    for i, (lab, a, b) in enumerate(body):
        yy = h - 110 - 13 * i
        c.drawString(50, yy, lab)
        c.drawString(260, yy, a)
        c.drawString(400, yy, b)
    c.drawString(50, h - 170, "a Events were graded by the investigators.")
    _prose(c, 50, h - 200, 480, 10)
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def trial_pdf(tmp_path_factory) -> Path:
    return make_trial_pdf(tmp_path_factory.mktemp("grid") / "trial.pdf")


def test_captions():
    assert CAPTION_RE.match("Table 2 Complications by treatment")
    assert CAPTION_RE.match("Extended Data Table 4 | Safety endpoints")
    assert CAPTION_RE.match("TABLE 1 Ablation status")
    assert CAPTION_RE.match("Supplementary Table S1. Doses")
    assert not CAPTION_RE.match("Table 2 shows the complications of both groups")
    assert not CAPTION_RE.match("as shown in Table 2")


@pytest.mark.parametrize("text", ["3 (1.7)", "0.069", ">0.999", "< .001", "7.43 ± 1.56", "12/40", "31 (29, 13.7%)", "0.569 - 1.095", "−0.8"])
def test_numberlike(text):
    assert is_numberlike(text)


@pytest.mark.parametrize("text", ["Ablation", "n (%)", "NA", "3 patients", "Table 2"])
def test_not_numberlike(text):
    assert not is_numberlike(text)


def test_column_table_beside_prose(trial_pdf):
    lay = build_layout(read_document(trial_pdf))
    tables = [t for t in lay.tables if t.kind == "text"]
    t2 = next(t for t in tables if t.caption.startswith("Table 2"))
    cells = [[c[0] if c else None for c in r] for r in t2.rows]
    assert cells[0][1:] == ["Ablation (n = 40)", "Surgery (n = 38)"]  # header over two lines, joined
    assert cells[1] == ["Major complications, n (%)", "3 (7.5)", "5 (13.2)"]
    assert cells[3] == ["Hospital stay, days", "1.2", "6.5"]
    assert len(cells) == 4  # the prose below is not a row
    # the right column's prose did not become a column
    assert all(len(r) == 3 for r in t2.rows)


def test_values_from_unruled_tables(trial_pdf):
    res = extract_document(trial_pdf)
    got = {(r["arm_id"], r["outcome"], r["field"]): (float(r["value"]), r["page"], r["excerpt"]) for r in res.outcomes}
    arms = {a["arm_id"]: a for a in res.arms}
    abl = next(k for k in arms if "ablation" in k)
    sur = next(k for k in arms if "surgery" in k)
    assert got[(abl, "complication_major", "events")][:2] == (3, 1)
    assert got[(abl, "complication_major", "total")][0] == 40  # 3/40 = 7.5 %: the column n
    assert got[(sur, "complication_major", "events")][0] == 5
    assert got[(sur, "complication_minor", "percent")][0] == 5.3
    # "Total" row of a table whose caption is "Adverse events related to the procedure": the
    # number of patients (7, 10) is the count whose share reproduces the printed percentage
    assert got[(abl, "complication_any", "events")][:2] == (7, 2)
    assert got[(sur, "complication_any", "events")][0] == 10
    assert got[(sur, "complication_any", "total")][0] == 38
    assert "12 (10, 26.3%)" in got[(sur, "complication_any", "events")][2]
    # single adverse-event rows are not outcomes
    assert not [r for r in res.outcomes if "Haematoma" in r["excerpt"] or "Infection" in r["excerpt"]]


def test_masuda_extended_data_table():
    """Masuda 2025 Extended Data Table 4 (p.15) has no rules; its printed rows."""
    p = REAL / "masuda_2025_natmed_suppressaf_rct.pdf"
    lay = build_layout(read_document(p))
    t = next(t for t in lay.tables if t.kind == "text" and t.page == 15)
    rows = {r[0][0]: [c[0] if c else None for c in r[1:]] for r in t.rows[1:] if r[0]}
    assert rows["Periprocedural adverse events, n (%)"][:2] == ["11 (6.5)", "4 (2.3)"]
    assert rows["Procedure-related serious adverse events, n (%)"][:3] == ["3 (1.7)", "3 (1.8)", ">0.999"]
    assert rows["Esophageal fistula, n (%)"][:2] == ["1 (0.6)", "0"]
    assert [c[0] for c in t.rows[0][1:3]] == ["PVI+LVA-ABL n=170", "PVI-alone n=172"]
