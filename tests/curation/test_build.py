"""Curated tables: corrections survive re-extraction; stale ones are reported with file and line."""

from __future__ import annotations

import csv

import pytest

from curation_helpers import ARMS, OUTCOMES, _value, correction, manual_row, write_extracted
from evidence.curation import OUTPUTS, StaleCorrectionError, build_curated


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _value_of(rows, study, arm, outcome, tp, field):
    found = [r for r in rows if (r["study_id"], r["arm_id"], r["outcome"], r["timepoint"], r["field"])
             == (study, arm, outcome, tp, field)]
    assert len(found) <= 1
    return found[0] if found else None


def test_build_writes_every_output_with_provenance(extracted, corrections_file, manual_file, tmp_path):
    corrections = corrections_file([correction(source_address="cazzato2021.pdf p.5 table 2")])
    manual = manual_file([manual_row()])
    out = tmp_path / "curated"
    report = build_curated(extracted, corrections, manual, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUTS)
    outcomes = _rows(out / "outcomes.tsv")
    fixed = _value_of(outcomes, "cazzato2021", "all", "pain", "last", "mean")
    assert (fixed["value"], fixed["origin"], fixed["extracted_value"]) == ("3", "corrected", "2")
    assert (fixed["curator"], fixed["curated_at"], fixed["reason"]) == ("ana", "2026-11-20", "table 2 says 3")
    assert fixed["page"] == "4" and fixed["source_address"] == "cazzato2021.pdf p.5 table 2"
    untouched = _value_of(outcomes, "cazzato2021", "all", "pain", "baseline", "mean")
    assert (untouched["origin"], untouched["page"], untouched["x0"], untouched["extractor"]) == ("extracted", "4", "10", "text.mean_sd")
    manual = _value_of(outcomes, "madaelil2016", "all", "pain", "baseline", "median")
    assert (manual["origin"], manual["extractor"], manual["source_address"]) == ("manual", "manual", "http://example.org/abstract")
    assert manual["excerpt"].startswith("The median pain score")
    study = [s for s in _rows(out / "studies.tsv") if s["study_id"] == "madaelil2016"][0]
    assert (study["document_type"], study["decision"], study["year"]) == ("primary", "included", "2016")
    log = _rows(out / "curation_log.tsv")
    assert [(r["line"], r["action"], r["old_value"], r["new_value"]) for r in log] == [("2", "changed", "2", "3")]
    assert _rows(out / "stale_corrections.tsv") == []
    assert report.summary().startswith("3 studies, 4 arms")


def test_correction_survives_full_re_extraction(tmp_path, corrections_file):
    corrections = corrections_file([correction(study="tian2022", arm="psp_rfa", tp="m1", old="2.5", new="2.7")])
    v1 = write_extracted(tmp_path / "v1")
    build_curated(v1, corrections, None, tmp_path / "c1")
    assert _value_of(_rows(tmp_path / "c1" / "outcomes.tsv"), "tian2022", "psp_rfa", "pain", "m1", "mean")["value"] == "2.7"
    # re-extraction: new run, rows reordered, other values and boxes changed, same value ("2.50")
    v2_rows = [dict(r) for r in reversed(OUTCOMES)]
    for row in v2_rows:
        row["confidence"], row["top"] = "0.8", "99"
        if (row["study_id"], row["timepoint"], row["field"]) == ("tian2022", "m1", "mean"):
            row["value"] = "2.50"
    v2 = write_extracted(tmp_path / "v2", outcomes=v2_rows)
    report = build_curated(v2, corrections, None, tmp_path / "c2")
    row = _value_of(_rows(tmp_path / "c2" / "outcomes.tsv"), "tian2022", "psp_rfa", "pain", "m1", "mean")
    assert (row["value"], row["origin"], row["top"]) == ("2.7", "corrected", "99")
    assert not report.stale


def _changed_extraction(tmp_path, value):
    rows = [dict(r) for r in OUTCOMES]
    for row in rows:
        if (row["study_id"], row["timepoint"], row["field"]) == ("tian2022", "m1", "mean"):
            row["value"] = value
    return write_extracted(tmp_path / f"v_{value}", outcomes=rows)


def test_changed_value_is_stale_with_file_and_line(tmp_path, corrections_file):
    corrections = corrections_file([correction(), correction(study="tian2022", arm="psp_rfa", tp="m1", old="2.5", new="2.7")])
    v3 = _changed_extraction(tmp_path, "3.5")
    with pytest.raises(StaleCorrectionError, match=r"corrections\.csv:3: tian2022/psp_rfa/pain/m1/mean: the value "
                                                   r"changed underneath the correction: it was '2\.5', outcomes\.tsv now holds '3\.5'"):
        build_curated(v3, corrections, None, tmp_path / "c3")
    assert not (tmp_path / "c3").exists()


def test_vanished_row_is_stale(tmp_path, corrections_file):
    corrections = corrections_file([correction(study="tian2022", arm="psp_rfa", tp="m1", old="2.5", new="2.7")])
    rows = [r for r in OUTCOMES if r["timepoint"] != "m1"]
    with pytest.raises(StaleCorrectionError, match=r"corrections\.csv:2: tian2022/psp_rfa/pain/m1/mean: the target row vanished"):
        build_curated(write_extracted(tmp_path / "v", outcomes=rows), corrections, None, None)


def test_added_value_now_found_by_extractor_is_stale(tmp_path, corrections_file):
    corrections = corrections_file([correction(tp="last", field="median", old="", new="1")])
    rows = OUTCOMES + [_value("cazzato2021", "all", "pain", "last", "last follow-up", "median", "1", "NPRS")]
    with pytest.raises(StaleCorrectionError, match=r"corrections\.csv:2: .*adds a value, but outcomes\.tsv now holds '1'"):
        build_curated(write_extracted(tmp_path / "v", outcomes=rows), corrections, None, None)


def test_on_stale_report_proceeds_lists_and_does_not_apply(tmp_path, corrections_file):
    corrections = corrections_file([correction(), correction(study="tian2022", arm="psp_rfa", tp="m1", old="2.5", new="2.7")])
    out = tmp_path / "c"
    report = build_curated(_changed_extraction(tmp_path, "3.5"), corrections, None, out, on_stale="report")
    stale = _rows(out / "stale_corrections.tsv")
    assert [(s["line"], s["old_value"], s["current_value"], s["new_value"]) for s in stale] == [("3", "2.5", "3.5", "2.7")]
    assert stale[0]["file"].endswith("corrections.csv")
    outcomes = _rows(out / "outcomes.tsv")
    assert _value_of(outcomes, "tian2022", "psp_rfa", "pain", "m1", "mean")["value"] == "3.5"
    assert _value_of(outcomes, "cazzato2021", "all", "pain", "last", "mean")["value"] == "3"
    assert len(report.log) == 1 and len(report.stale) == 1


def test_later_correction_wins_and_chain_is_not_stale(extracted, corrections_file):
    corrections = corrections_file([
        correction(new="3", date="2026-11-20"),
        correction(old="3", new="4", curator="ben", date="2026-11-21T09:00:00Z", reason="re-read figure"),
    ])
    report = build_curated(extracted, corrections, None, None)
    row = _value_of(report.outcomes, "cazzato2021", "all", "pain", "last", "mean")
    assert (row["value"], row["curator"], row["extracted_value"]) == ("4", "ben", "2")
    assert report.log[0]["superseded_rows"] == "2"


def test_delete_add_and_arm_level(extracted, corrections_file):
    corrections = corrections_file([
        correction(field="sd", old="2", new="NA", reason="sd is an IQR"),
        correction(study="tian2022", arm="psp", tp="m3", field="mean", old="", new="2.1",
                   scale="VAS10", timepoint_label="3 months", reason="table 3"),
        correction(study="tian2022", arm="psp_ert", outcome="arm", tp="-", field="treatment_class", old="",
                   new="ert", reason="third arm missed"),
        correction(study="tian2022", arm="psp_ert", tp="m1", field="mean", old="", new="3", scale="VAS10",
                   timepoint_label="1 month"),
        correction(study="tian2022", arm="-", outcome="study", tp="-", field="decision", old="included",
                   new="excluded", reason="overlaps"),
    ])
    report = build_curated(extracted, corrections, None, None)
    assert _value_of(report.outcomes, "cazzato2021", "all", "pain", "last", "sd") is None
    added = _value_of(report.outcomes, "tian2022", "psp", "pain", "m3", "mean")
    assert (added["value"], added["scale"], added["timepoint_label"], added["timepoint_days"], added["origin"]) == (
        "2.1", "VAS10", "3 months", "91.3125", "corrected")
    arm = [a for a in report.arms if a["arm_id"] == "psp_ert"][0]
    assert (arm["treatment_class"], arm["origin"], arm["corrected_fields"]) == ("ert", "corrected", "treatment_class")
    study = [s for s in report.studies if s["study_id"] == "tian2022"][0]
    assert (study["decision"], study["curation_reason"], study["extracted_value"]) == ("excluded", "decision: overlaps", "decision=included")
    assert sorted(r["action"] for r in report.log) == ["added", "added", "added", "changed", "deleted"]


def test_added_pain_value_needs_a_scale(extracted, corrections_file):
    from evidence.curation import CurationError
    corrections = corrections_file([correction(study="tian2022", arm="psp", tp="m3", old="", new="2.1")])
    with pytest.raises(CurationError, match=r"corrections\.csv:2: column 'scale': got ''; expected a pain scale"):
        build_curated(extracted, corrections, None, None)


def test_correction_of_a_manual_value(extracted, corrections_file, manual_file):
    manual = manual_file([manual_row()])
    corrections = corrections_file([correction(study="madaelil2016", tp="baseline", field="median", old="8", new="7")])
    report = build_curated(extracted, corrections, manual, None)
    row = _value_of(report.outcomes, "madaelil2016", "all", "pain", "baseline", "median")
    assert (row["value"], row["origin"], row["extracted_value"]) == ("7", "corrected", "8")


def test_on_stale_must_be_known(extracted):
    with pytest.raises(ValueError, match=r"Invalid on_stale 'ignore'; must be one of \['error', 'report'\]"):
        build_curated(extracted, None, None, None, on_stale="ignore")


def test_an_accept_keeps_the_value_and_its_origin_and_is_logged(extracted, corrections_file):
    corrections = corrections_file([correction(old="2", new="2.0", curator="ben", reason="checked p.4")])
    report = build_curated(extracted, corrections, None, None)
    row = _value_of(report.outcomes, "cazzato2021", "all", "pain", "last", "mean")
    assert (row["value"], row["origin"], row["curator"], row["reason"]) == ("2", "extracted", "ben", "checked p.4")
    assert [e["action"] for e in report.log] == ["accepted"]


def test_a_value_read_off_a_pdf_region_keeps_the_region(extracted, corrections_file):
    region = {"origin": "curated-from-pdf", "source_file": "c.pdf", "page": "6", "x0": "1.5", "top": "2",
              "x1": "30", "bottom": "12", "excerpt": "mean 3.5"}
    corrections = corrections_file([correction(new="3.5", **region),
                                    correction(tp="m3", old="", new="2.5", scale="NRS", unit="patients",
                                               timepoint_label="3 months", **region)],
                                   columns=tuple(correction()) + tuple(region) + ("scale", "unit", "timepoint_label"))
    report = build_curated(extracted, corrections, None, None)
    for tp, value in (("last", "3.5"), ("m3", "2.5")):
        row = _value_of(report.outcomes, "cazzato2021", "all", "pain", tp, "mean")
        assert row["value"] == value
        assert {c: row[c] for c in region} == region


def test_na_on_an_absent_value_is_logged_as_not_reported(extracted, corrections_file):
    corrections = corrections_file([correction(tp="m6", old="", new="NA", reason="not in the paper")])
    report = build_curated(extracted, corrections, None, None)
    assert [e["action"] for e in report.log] == ["not reported"] and not report.warnings
    assert _value_of(report.outcomes, "cazzato2021", "all", "pain", "m6", "mean") is None


def _arm_of(rows, study, arm):
    found = [r for r in rows if (r["study_id"], r["arm_id"]) == (study, arm)]
    assert len(found) == 1
    return found[0]


def test_an_arm_count_read_off_a_pdf_region_keeps_the_region(tmp_path, corrections_file):
    box = {"source_file": "tian2022.pdf", "page": "2", "x0": "260", "top": "286", "x1": "274", "bottom": "295",
           "excerpt": "51,"}
    arms = [{**a, **box, "extractor": "arm.definition"} if a["study_id"] == "tian2022" else a for a in ARMS]
    extracted = write_extracted(tmp_path / "extracted", arms=arms)
    region = {"origin": "curated-from-pdf", "source_file": "tian2022.pdf", "page": "3", "x0": "100.5", "top": "400",
              "x1": "118", "bottom": "410", "excerpt": "58 lesions"}
    corrections = corrections_file([
        correction(study="tian2022", arm="psp_rfa", outcome="arm", tp="-", field="n_lesions", old="", new="58",
                   reason="methods p.3", **region),
        correction(study="tian2022", arm="psp", outcome="arm", tp="-", field="n_patients", old="32", new="32",
                   reason="checked"),
    ], columns=tuple(correction()) + tuple(region))
    out = tmp_path / "curated"
    report = build_curated(extracted, corrections, None, out)
    arm = _arm_of(_rows(out / "arms.tsv"), "tian2022", "psp_rfa")
    assert (arm["n_lesions"], arm["n_patients"], arm["origin"], arm["corrected_fields"]) == ("58", "30", "corrected", "n_lesions")
    assert {c: arm[c] for c in box} == {c: region[c] for c in box}  # the extractor's region is replaced
    assert arm["region_field"] == "n_lesions"
    accepted = _arm_of(report.arms, "tian2022", "psp")  # a plain accept leaves the extractor's region
    assert {c: accepted[c] for c in box} == box and accepted.get("region_field", "") == ""
    assert [e["action"] for e in report.log] == ["added", "accepted"]


def test_an_arm_count_with_an_excerpt_but_no_pdf_keeps_only_the_excerpt(extracted, corrections_file):
    corrections = corrections_file([
        correction(arm="all", outcome="arm", tp="-", field="n_lesions", old="23", new="25", reason="abstract",
                   source_address="http://example.org/abstract", excerpt="25 lesions in 23 patients")],
        columns=tuple(correction()) + ("source_address", "excerpt"))
    arm = _arm_of(build_curated(extracted, corrections, None, None).arms, "cazzato2021", "all")
    assert (arm["n_lesions"], arm["excerpt"], arm["page"], arm["region_field"]) == ("25", "25 lesions in 23 patients", "", "n_lesions")
    assert arm["source_address"] == "http://example.org/abstract"


def test_log_names_the_corrections_file_relative_to_the_working_folder(extracted, corrections_file, tmp_path,
                                                                        monkeypatch):
    corrections = corrections_file([correction()])
    assert corrections.is_absolute()
    monkeypatch.chdir(corrections.parent)
    out = tmp_path / "curated"
    build_curated(extracted, corrections, None, out)
    assert [r["file"] for r in _rows(out / "curation_log.tsv")] == [corrections.name]
