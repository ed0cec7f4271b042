"""Reading tables cell by cell (issue 13, "Reading, table first"): tables drawn as shaded boxes or
zebra stripes (grid.reread_ruled), spanning and multi-line headers, numeric row labels, label
lines joined, cells of one statistic per column, and the candidates each cell gives.

The synthetic PDF is typeset here with reportlab, so every printed number is known; the real
ones are train-split PDFs of the annotated corpus, checked against the numbers printed on their
rendered pages (read by eye from the page images, not from our output).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.candidates import Candidate, _arm_for_header, fix_unmapped, header_field, split_counts, table_candidates
from extraction.corpus import CORPUS, split_of, sha256_of
from extraction.layout import build_layout
from extraction.pdf import read_document
from extraction.rules import Arm
from extraction.statistics import parse_cell

HEADER = ("Characteristic", "Drug A (n = 40)", "Placebo (n = 38)", "P value")
ROWS = [
    ("Age (years), median (IQR)", "64 (55-71)", "66 (58-73)", "0.41"),
    ("Male sex, n (%)", "12 (30.0)", "10 (26.3)", "0.72"),
    ("Age group, n (%)", "", "", ""),
    ("< 65", "22 (55.0)", "19 (50.0)", ""),
    ("65-80", "18 (45.0)", "19 (50.0)", ""),
    ("Gender (male/female)", "12/28", "10/28", "0.74"),
    ("Hospital stay, days", "5.2 ± 1.1", "6.0 ± 1.4", "0.01"),
    ("Smokers (current or", "9 (22.5)", "7 (18.4)", "0.65"),
    ("former), n (%)", "", "", ""),
]


def make_striped_pdf(path: Path) -> Path:
    """Page 1: "Table 1" in a frame with zebra stripes (every other row a filled grey band, no
    column rules), as journals shade their tables. Page 2: an unruled table whose header spans two
    columns ("Follow-up" over "Drug A" and "Placebo"), and a table whose columns are statistics
    ("Mean", "Standard deviation", "Maximum") with a note under it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    w, h = A4
    c.setFont("Helvetica-Bold", 12)
    c.drawString(50, h - 60, "Drug A versus placebo after hip fracture: a randomised trial")
    c.setFont("Helvetica", 9)
    c.drawString(50, h - 80, "Methods: 78 patients were randomised to drug A (n = 40) or placebo (n = 38).")
    c.setFont("Helvetica-Bold", 9)
    top = h - 120
    c.drawString(50, top, "Table 1 Baseline characteristics")
    xs = (56, 260, 360, 470)
    y0 = top - 12
    c.setLineWidth(0.8)
    c.setFillGray(0.85)
    pitch = 15
    for i in range(len(ROWS) + 1):
        if i % 2 == 1:
            c.rect(50, y0 - pitch * (i + 1), 495, pitch, stroke=0, fill=1)
    c.setFillGray(0)
    c.rect(50, y0 - pitch * (len(ROWS) + 1), 495, pitch * (len(ROWS) + 1), stroke=1, fill=0)
    c.line(252, y0, 252, y0 - pitch * (len(ROWS) + 1))  # the one column rule, after the labels
    c.setFont("Helvetica-Bold", 8.5)
    for x, text in zip(xs, HEADER):
        c.drawString(x, y0 - 11, text)
    c.setFont("Helvetica", 8.5)
    for i, row in enumerate(ROWS, start=1):
        yy = y0 - pitch * i - 11
        if row[0] == "former), n (%)":
            yy = y0 - pitch * (i - 1) - 11 - 9  # the label's second line, within the row above
        for x, text in zip(xs, row):
            c.drawString(x + (8 if row[0] in ("< 65", "65-80") and x == xs[0] else 0), yy, text)
    c.showPage()
    c.setFont("Helvetica-Bold", 9)
    c.drawString(50, h - 60, "Table 2 Outcomes at follow-up")
    c.setFont("Helvetica", 9)
    c.drawString(240, h - 78, "Follow-up at twelve months")
    c.drawString(240, h - 90, "Drug A")
    c.drawString(300, h - 90, "Placebo")
    body = [("Pain score, mean (SD)", "3.1 (1.2)", "4.4 (1.5)"), ("Responders, % (n)", "62.5 (25)", "39.5 (15)"),
            ("Range of pain score", "0-7", "1-9")]
    for i, (lab, a, b) in enumerate(body):
        yy = h - 106 - 13 * i
        c.drawString(50, yy, lab)
        c.drawString(240, yy, a)
        c.drawString(300, yy, b)
    c.setFont("Helvetica-Bold", 9)
    c.drawString(50, h - 200, "Table 3 Thickness of the layer (micrometres)")
    c.setFont("Helvetica", 9)
    for x, text in zip((180, 260, 350, 430), ("Mean", "Standard deviation", "Maximum", "Minimum")):
        c.drawString(x, h - 218, text)
    for i, row in enumerate((("Before surgery", "612.3", "±28.4", "655", "571"), ("After surgery", "533.8", "±26.9", "590", "488"))):
        for x, text in zip((50, 180, 260, 350, 430), row):
            c.drawString(x, h - 234 - 13 * i, text)
    c.drawString(50, h - 270, "Data are means and standard deviations of all patients.")
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def striped(tmp_path_factory) -> Path:
    return make_striped_pdf(tmp_path_factory.mktemp("reading") / "striped.pdf")


@pytest.fixture(scope="module")
def striped_layout(striped):
    return build_layout(read_document(striped))


def _rows(table) -> dict[str, list[str | None]]:
    """Row label -> the row's cells (the first row of a label printed twice)."""
    out: dict[str, list[str | None]] = {}
    for r in table.rows[1:]:
        if r and r[0] and r[0][0] not in out:
            out[r[0][0]] = [c[0] if c else None for c in r[1:]]
    return out


def test_zebra_striped_table_is_read_cell_by_cell(striped_layout):
    t = next(t for t in striped_layout.tables if t.page == 1)
    assert t.kind == "ruled_words"  # pdfplumber's one-cell-per-stripe reading was replaced
    assert [c[0] if c else None for c in t.rows[0][1:]] == ["Drug A (n = 40)", "Placebo (n = 38)", "P value"]
    rows = _rows(t)
    assert rows["Male sex, n (%)"] == ["12 (30.0)", "10 (26.3)", "0.72"]
    assert rows["Age (years), median (IQR)"][:2] == ["64 (55-71)", "66 (58-73)"]
    assert rows["< 65"][:2] == ["22 (55.0)", "19 (50.0)"]  # a number-like row label stays a label
    assert rows["65-80"][:2] == ["18 (45.0)", "19 (50.0)"]
    assert rows["Smokers (current or former), n (%)"][:2] == ["9 (22.5)", "7 (18.4)"]  # two label lines, one row


def test_spanning_header_heads_each_column_and_statistic_columns(striped_layout):
    t2 = next(t for t in striped_layout.tables if t.caption.startswith("Table 2"))
    heads = [c[0] if c else None for c in t2.rows[0][1:]]
    assert heads == ["Follow-up at twelve months Drug A", "Follow-up at twelve months Placebo"]
    t3 = next(t for t in striped_layout.tables if t.caption.startswith("Table 3"))
    assert [c[0] for c in t3.rows[0][1:]] == ["Mean", "Standard deviation", "Maximum", "Minimum"]
    assert _rows(t3)["After surgery"] == ["533.8", "±26.9", "590", "488"]
    assert t3.notes.startswith("Data are means and standard deviations")


def _cands(layout, arms, single=False) -> list[Candidate]:
    return table_candidates(layout, "striped.pdf", arms, single, 2)


def _has(cands, label_part, arm_id, field, value) -> bool:
    return any(label_part in c.label and c.arm_id == arm_id and c.field == field and abs(c.value - value) < 1e-9 for c in cands)


def test_candidates_of_the_cells(striped_layout):
    arms = [Arm("drug_a", "Drug A", n_patients=40), Arm("placebo", "Placebo", n_patients=38)]
    cands = _cands(striped_layout, arms)
    assert _has(cands, "Male sex", "drug_a", "events", 12) and _has(cands, "Male sex", "placebo", "percent", 26.3)
    assert _has(cands, "Age (years)", "placebo", "median", 66) and _has(cands, "Age (years)", "placebo", "q3", 73)
    # "12/28" under "Gender (male/female)": 12 male and 28 female, not a count of a total
    assert _has(cands, "Gender (male)", "drug_a", "events", 12) and _has(cands, "Gender (female)", "placebo", "events", 28)
    # "% (n)": the percentage first, then the count
    assert _has(cands, "Responders", "drug_a", "percent", 62.5) and _has(cands, "Responders", "placebo", "events", 15)
    # a bare interval under a "Range" label
    assert _has(cands, "Range", "placebo", "min", 1) and _has(cands, "Range", "placebo", "max", 9)
    # no candidate of the p-value column is an arm's
    assert not [c for c in cands if c.value == 0.72 and c.arm_id]


def test_statistic_columns_of_a_one_arm_table(striped_layout):
    cands = _cands(striped_layout, [Arm("all", "all")], single=True)
    t3 = [c for c in cands if c.page == 2 and "surgery" in c.label]
    got = {(c.label, c.field): c.value for c in t3 if c.arm_id == "all"}
    assert got[("After surgery", "mean")] == 533.8
    assert got[("After surgery", "sd")] == 26.9
    assert got[("After surgery", "max")] == 590 and got[("Before surgery", "min")] == 571
    assert not [c for c in t3 if c.value == 590 and c.field in ("events", "mean")]  # a "Maximum" column gives maxima only


@pytest.mark.parametrize("cell, hint, kind, fields", [
    ("37-79", "Range", "range", {"min": 37, "max": 79}),
    ("2.5\u201317 (median 8.5)", "", "range_median", {"median": 8.5, "min": 2.5, "max": 17}),
    ("47.5 (1900)", "% (n) / Mean (SD)", "pct_count", {"percent": 47.5, "events": 1900}),
    ("38.4 ± 1.7", "Data represent means ± SE", "mean_se", {"mean": 38.4, "se": 1.7}),
    ("7.5 (5\u201314) months", "median (range)", "median_range", {"median": 7.5, "min": 5, "max": 14}),
    ("41.1 ± 6.0 (n = 32)", "", "mean_sd", {"mean": 41.1, "sd": 6.0}),
    ("±27.45", "", "sd_only", {"sd": 27.45}),
    ("67 (55 to 77)", "% (95% CI) success", "pct_ci", {"percent": 67, "ci_lower": 55, "ci_upper": 77}),
    ("3.2 (2.1 to 4.4)", "Mean (95% CI)", "mean_ci", {"mean": 3.2, "ci_lower": 2.1, "ci_upper": 4.4}),
])
def test_cell_notation(cell, hint, kind, fields):
    r = parse_cell(cell, hint)
    assert r and r[0].kind == kind and r[0].fields == pytest.approx(fields)


def test_pct_count_is_only_an_alternative_without_the_header():
    kinds = [(r.kind, r.alternative) for r in parse_cell("47.5 (1900)", "")]
    assert kinds[0] == ("mean_sd", False) and ("pct_count", True) in kinds
    assert [r.kind for r in parse_cell("31.4 (4.0)", "% (n) / Mean (SD)")][0] == "mean_sd"  # 4.0 < 31.4: no count


def test_split_counts():
    assert split_counts("13/8", "Gender (male/female)") == [("Gender (male)", {"events": 13}), ("Gender (female)", {"events": 8})]
    assert [lab for lab, _ in split_counts("13/8", "Pepsinogen (±  )")] == ["Pepsinogen (+)", "Pepsinogen (−)"]
    assert split_counts("Boys 14, girls 7", "Sex") == [("Sex Boys", {"events": 14}), ("Sex girls", {"events": 7})]
    assert split_counts("12/40", "Events") == []  # no categories: a count of a total
    assert split_counts("13/8", "Gender (male/female/other)") == []  # three categories, two numbers


def test_header_words():
    assert header_field("Standard deviation") == "sd" and header_field("Maximum (mm)") == "max"
    assert header_field("Mean age") is None and header_field("Placebo") is None
    assert fix_unmapped("\x028.7", "Change in weight, %") == "-8.7"
    assert fix_unmapped("66\x069", "Age, y (mean±SD)") == "66 ± 9"
    assert fix_unmapped("66\x069", "Age, y") == "66\x069"  # no ± said: left alone
    arms = [Arm("drug_a", "Drug A"), Arm("placebo", "Placebo")]
    assert _arm_for_header("Value All patients", arms, False)[2] == "total"
    assert _arm_for_header("Included (n = 1505) % (n) / Mean (SD)", [], True)[:2] == ("all", "all")
    assert _arm_for_header("Mean (SD) or N (%)", [], True)[2] == "descriptor"  # "or" is no odds ratio
    assert _arm_for_header("OR (95% CI)", arms, False)[2] == "not_arm"
    assert _arm_for_header("n (%)", arms, False, "Complications in the placebo group")[:2] == ("placebo", "Placebo")


# ----------------------------------------------------------------------------------------------
# real train-split PDFs: numbers read from their rendered pages


def _train_pdf(stem: str) -> Path:
    p = CORPUS / "pdfs" / f"{stem}.pdf"
    assert p.exists(), f"{p.name}: not in tests/data/corpus/pdfs (the corpus is part of the repository)"
    assert split_of(sha256_of(p)) == "train"  # tests read train-split pages only
    return p


def _table(p: Path, page: int, caption: str):
    lay = build_layout(read_document(p))
    return next(t for t in lay.tables if t.page == page and t.caption.startswith(caption))


def test_shaded_box_table_real():
    """A table printed in a shaded box: pdfplumber reads the whole box as one cell (p.5, Table 2)."""
    t = _table(_train_pdf("kawamura_2021_europace_pfa_pvi_cohort"), 5, "Table 2")
    assert t.kind == "ruled_words"
    rows = _rows(t)
    assert rows["LPV total, cm 2 ± SD"][:2] == ["6.2 ± 2.7", "5.2 ± 2.1"]
    assert rows["No. of points, n (IQR)"][:2] == ["874 (520–1228)", "940 (463–2276)"]
    assert [c[0] for c in t.rows[0][1:3]] == ["PFA n = 20", "Thermal energy n = 39"]  # "=" printed with a glyph coded "5"


def test_zebra_table_real():
    """Alternate rows shaded: pdfplumber gave one cell for each white row (p.5, Table 1)."""
    t = _table(_train_pdf("vonlewinski_2022_ehj_emmy_empagliflozin_rct"), 5, "Table 1")
    rows = _rows(t)
    assert rows["Male sex, n (%)"][:3] == ["392 (82)", "195 (82)", "197 (82)"]
    assert rows["Age (years), median (IQR)"][:3] == ["57 (52–64)", "57 (52–64)", "57 (52–65)"]
    assert [c[0] for c in t.rows[0][2:4]] == ["Empagliflozin (n = 237)", "Placebo (n = 239)"]


def test_numeric_labels_and_percent_count_real():
    """p.5 Table 1: category rows "< 25", "25–30" and cells "% (n)" under "Included (n = 1505)"."""
    t = _table(_train_pdf("mertimo_2022_bmcmsd_disc_degeneration_lbp_cohort"), 5, "Table 1")
    rows = _rows(t)
    assert rows["Women"][:2] == ["49.0 (4286)", "53.2 (799)"]
    assert rows["< 25"][:2] == ["38.7 (1662)", "40.9 (614)"]
    assert rows["Normal discs (sum score = 0, Pfirrmann = II)"][:2] == ["–", "5.0 (75)"]  # the "=" glyphs set half a line low


def test_block_headings_and_p_value_rows_real():
    """p.8 Table 1: "p value" rows under each subgroup do not end the table; "Cohort 1" heads a block."""
    t = _table(_train_pdf("chilton_2015_dom_empagliflozin_bp_pooled"), 8, "Table 1")
    rows = _rows(t)
    assert rows["Male"][:2] == ["168", "327"]
    assert rows["Female"][:2] == ["103", "225"]
    assert "Cohort 1" in rows and rows["Cohort 1"] == [None] * (len(t.rows[0]) - 1)
    assert [c[0] for c in t.rows[0][1:3]] == ["Placebo n", "Empagliflozin n"]


def test_statistic_columns_real():
    """p.3 Table 1: columns Mean, Standard deviation, Maximum, Minimum; "±31.18" is an SD."""
    t = _table(_train_pdf("sherif_2016_jophthalmol_corneal_crosslinking_clinical"), 3, "Table 1")
    assert _rows(t)["USP CCT after riboflavin"] == ["445.7", "±31.18", "508", "400"]


def test_cells_over_two_lines_and_dotted_spanning_rule_real():
    """p.8 Table 2 (a landscape page): "119 (93–" over "139)" is one cell; "Empagliflozin" over a
    dotted rule heads its four columns (Baseline, Week 26, Absolute change, Per cent change)."""
    t = _table(_train_pdf("vonlewinski_2022_ehj_emmy_empagliflozin_rct"), 8, "Table 2")
    rows = _rows(t)
    assert rows["LVEDV (mL)"][:2] == ["119 (93–139)", "122 (101–145)"]
    heads = [c[0] if c else "" for c in t.rows[0][1:]]
    assert heads[:2] == ["Empagliflozin Baseline", "Empagliflozin Week 26"]
    assert heads[4] == "Placebo Baseline"


def test_header_box_over_unruled_body_real():
    """p.8 Table 2: only the header is ruled; the body's statistics wrap in narrow columns
    ("67 (55" / "to 77)")."""
    p = _train_pdf("moojen_2013_bmj_interspinous_device_stenosis_rct")
    lay = build_layout(read_document(p))
    t = next(t for t in lay.tables if t.page == 8 and t.kind == "text" and t.caption.startswith("Table 2"))
    row = next(r for r in t.rows if r[0] and r[0][0].startswith("% (95% CI) success"))
    cells = [c[0] if c else None for c in row[1:]]
    assert cells[2:4] == ["67 (55 to 77)", "57 (45 to 69)"]  # 2 weeks: IPD, BD
    assert "69 (57 to 78)" in cells  # 52 weeks, BD


def test_footnote_abbreviations_name_arms():
    from extraction.grid import abbreviations

    ab = abbreviations("BD=bony decompression; IPD=interspinous process device; MD=mean difference.")
    assert ab == {"BD": "bony decompression", "IPD": "interspinous process device", "MD": "mean difference"}
    assert abbreviations("CAD, coronary artery disease; LA, left atrium.") == {"CAD": "coronary artery disease", "LA": "left atrium"}
    arms = [Arm("device", "Device"), Arm("decompression", "Decompression")]
    assert _arm_for_header("2 weeks BD", arms, False)[2] != "abbreviation"  # no footnote: no arm named
    assert _arm_for_header("2 weeks BD", arms, False, "", ab)[:3] == ("decompression", "Decompression", "abbreviation")
