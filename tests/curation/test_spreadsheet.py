"""xlsx round trip: export, edit as a curator would, import -> exactly the intended corrections."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from curation_helpers import correction
from evidence.curation import AmbiguousEditError, build_curated, load_corrections
from evidence.curation.spreadsheet import export_xlsx, import_xlsx


@pytest.fixture
def workbook(extracted, corrections_file, tmp_path):
    corrections = corrections_file([correction()])
    build_curated(extracted, corrections, None, tmp_path / "curated")
    path = tmp_path / "review.xlsx"
    export_xlsx(tmp_path / "curated", path)
    return path, corrections


def _find(sheet, **key):
    header = [c.value for c in sheet[1]]
    for r in range(2, sheet.max_row + 1):
        row = {h: sheet.cell(row=r, column=i + 1).value for i, h in enumerate(header)}
        if all(row.get(k) == v for k, v in key.items()):
            return r, {h: i + 1 for i, h in enumerate(header)}
    raise LookupError(key)


def _edit(book, sheet, key, **cells):
    r, columns = _find(book[sheet], **key)
    for column, value in cells.items():
        book[sheet].cell(row=r, column=columns[column]).value = value
    return r


def test_export_layout(workbook):
    path, _ = workbook
    book = load_workbook(path)
    assert book.sheetnames[:1] == ["how_to"] and {"outcomes", "arms", "studies", "_export"} <= set(book.sheetnames)
    sheet = book["outcomes"]
    header = [c.value for c in sheet[1]]
    assert header[:10] == ["row_id", "study_id", "arm_id", "outcome", "timepoint", "field", "value",
                           "new_value", "reason", "source_address"]
    assert sheet.column_dimensions["A"].hidden and sheet.protection.sheet
    assert book["_export"].sheet_state == "veryHidden"
    r, columns = _find(sheet, study_id="cazzato2021", timepoint="last", field="mean")
    assert sheet.cell(row=r, column=columns["value"]).value == 3
    assert sheet.cell(row=r, column=columns["origin"]).value == "corrected"
    assert sheet.cell(row=r, column=columns["new_value"]).protection.locked is False
    assert sheet.cell(row=r, column=columns["study_id"]).protection.locked is True


def test_round_trip_three_edits_give_exactly_three_corrections(workbook):
    path, corrections = workbook
    book = load_workbook(path)
    _edit(book, "outcomes", dict(study_id="tian2022", arm_id="psp_rfa", timepoint="m1", field="mean"),
          new_value=2.7, reason="table 2 row 3")
    _edit(book, "outcomes", dict(study_id="cazzato2021", timepoint="last", field="mean"),
          new_value="3.5", reason="text p.5", source_address="cazzato2021.pdf p.5")
    _edit(book, "arms", dict(study_id="tian2022", arm_id="psp", field="n_patients"), new_value=31,
          reason="one withdrew")
    # an unchanged new_value and an untouched row are not edits
    _edit(book, "outcomes", dict(study_id="tian2022", arm_id="psp_rfa", timepoint="baseline", field="sd"),
          new_value=1.2, reason="same")
    book.save(path)
    rows = import_xlsx(path, corrections, curator="ben", date="2026-11-23T10:00:00Z")
    got = {(r["study_id"], r["arm_id"], r["outcome"], r["timepoint"], r["field"]): (r["old_value"], r["new_value"])
           for r in rows}
    assert got == {
        ("tian2022", "psp_rfa", "pain", "m1", "mean"): ("2.5", "2.7"),
        ("cazzato2021", "all", "pain", "last", "mean"): ("3", "3.5"),
        ("tian2022", "psp", "arm", "-", "n_patients"): ("32", "31"),
    }
    loaded = load_corrections(corrections)
    assert len(loaded) == 4 and all(c.curator == "ben" for c in loaded[1:])
    [cazzato] = [c for c in loaded[1:] if c.study_id == "cazzato2021"]
    assert (cazzato.source_address, cazzato.old_value, cazzato.date) == ("cazzato2021.pdf p.5", "3", "2026-11-23T10:00:00Z")


def test_imported_corrections_build_cleanly(workbook, extracted, tmp_path):
    path, corrections = workbook
    book = load_workbook(path)
    _edit(book, "outcomes", dict(study_id="cazzato2021", timepoint="last", field="mean"), new_value=3.5, reason="p.5")
    book.save(path)
    import_xlsx(path, corrections, curator="ben", date="2026-11-23")
    report = build_curated(extracted, corrections, None, None)  # old_value 3 = earlier correction: not stale
    row = [r for r in report.outcomes if (r["study_id"], r["timepoint"], r["field"]) == ("cazzato2021", "last", "mean")][0]
    assert (row["value"], row["extracted_value"], row["curator"]) == ("3.5", "2", "ben")


def test_ambiguous_edits_are_refused_with_sheet_row_column(workbook):
    path, corrections = workbook
    before = corrections.read_bytes()
    book = load_workbook(path)
    r1 = _edit(book, "outcomes", dict(study_id="tian2022", arm_id="psp_rfa", timepoint="m1", field="mean"),
               study_id="tian2021", new_value=2.7, reason="x")
    r2 = _edit(book, "outcomes", dict(study_id="cazzato2021", timepoint="baseline", field="mean"), value=6)
    r3 = _edit(book, "outcomes", dict(study_id="cazzato2021", timepoint="baseline", field="sd"), new_value=1.5)
    sheet = book["arms"]
    r4, _ = _find(sheet, study_id="tian2022", arm_id="psp", field="label")
    sheet.append([c.value for c in sheet[r4]])  # a copied row
    r5 = sheet.max_row
    sheet.append([None, "tian2022", "psp", "pain", "m6", "mean", None, 2, "added by hand"])
    r6 = sheet.max_row
    book.save(path)
    with pytest.raises(AmbiguousEditError) as info:
        import_xlsx(path, corrections, curator="ben")
    text = str(info.value)
    assert "review.xlsx: edits refused, nothing imported (5 problem(s))" in text
    assert f"review.xlsx[outcomes]:{r1}: column 'study_id': got 'tian2021'; expected the exported key 'tian2022'" in text
    assert f"review.xlsx[outcomes]:{r2}: column 'value': got '6'; expected the exported value '5'; type the corrected value into new_value" in text
    assert f"review.xlsx[outcomes]:{r3}: column 'reason': got ''; expected a reason for the new value" in text
    assert f"review.xlsx[arms]:{r5}: each exported row once; this row duplicates row {r4}" in text
    assert f"review.xlsx[arms]:{r6}: column 'row_id': got ''; expected a row exported by `curate export`" in text
    assert corrections.read_bytes() == before


def test_out_of_range_edit_is_refused(workbook):
    path, corrections = workbook
    book = load_workbook(path)
    r = _edit(book, "outcomes", dict(study_id="tian2022", arm_id="psp_rfa", timepoint="m1", field="mean"),
              new_value=14, reason="typo")
    book.save(path)
    with pytest.raises(AmbiguousEditError, match=rf"review\.xlsx\[outcomes\]:{r}: column 'new_value': got '14'; "
                                                 r"expected a pain value in \[0, 10\] on scale VAS10"):
        import_xlsx(path, corrections, curator="ben")


def test_custom_reason_column(workbook):
    path, corrections = workbook
    book = load_workbook(path)
    _edit(book, "outcomes", dict(study_id="tian2022", arm_id="psp_rfa", timepoint="m1", field="mean"), new_value=2.6)
    book.save(path)
    with pytest.raises(AmbiguousEditError, match=r"columns \['why'\] in the header row"):
        import_xlsx(path, corrections, curator="ben", reason_column="why")
