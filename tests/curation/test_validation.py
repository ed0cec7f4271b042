"""Bad corrections and manual-entries files give one error naming file, line, column and value."""

from __future__ import annotations

import pytest

from curation_helpers import correction, manual_row, write_csv
from evidence.curation import CurationError, build_curated, load_corrections, load_manual
from evidence.curation.corrections import CORRECTION_COLUMNS


def test_unknown_study_is_named_with_file_line_column(extracted, corrections_file, manual_file):
    path = corrections_file([correction(), correction(study="nobody2020")])
    with pytest.raises(CurationError, match=r"corrections\.csv:3: column 'study_id': got 'nobody2020'; "
                                            r"expected a study id of the extracted tables or the manual entries"):
        build_curated(extracted, path, manual_file([manual_row()]), None)


def test_wrong_type_is_named(corrections_file):
    path = corrections_file([correction(field="events", outcome="cement_leakage", tp="procedural", new="five")])
    with pytest.raises(CurationError, match=r"corrections\.csv:2: column 'new_value': got 'five'; expected a number"):
        load_corrections(path)


def test_non_integer_count_and_bad_field(corrections_file):
    path = corrections_file([correction(outcome="cement_leakage", tp="procedural", field="events", new="2.5"),
                             correction(field="average")])
    with pytest.raises(CurationError) as info:
        load_corrections(path)
    message = str(info.value)
    assert "2 problem(s)" in message
    assert "corrections.csv:2: column 'new_value': got '2.5'; expected a non-negative whole number" in message
    assert "corrections.csv:3: column 'field': got 'average'" in message


def test_duplicate_key_same_date_is_an_error(corrections_file):
    path = corrections_file([correction(new="3"), correction(new="4")])
    with pytest.raises(CurationError, match=r"corrections\.csv:3: .*already on line 2 \(duplicate key"):
        load_corrections(path)


def test_later_date_supersedes_without_error(corrections_file):
    path = corrections_file([correction(new="3"), correction(new="4", date="2026-11-21")])
    assert len(load_corrections(path)) == 2


def test_vas_of_14_on_a_0_10_scale(extracted, corrections_file):
    # the scale comes from the target row (tian2022 is on VAS10)
    path = corrections_file([correction(study="tian2022", arm="psp_rfa", tp="m1", old="2.5", new="14")])
    with pytest.raises(CurationError, match=r"corrections\.csv:2: column 'new_value': got '14'; "
                                            r"expected a pain value in \[0, 10\] on scale VAS10"):
        build_curated(extracted, path, None, None)


def test_vas100_allows_up_to_100_and_scale_column_checks_without_tables(corrections_file):
    ok = corrections_file([correction(new="70", scale="VAS100")], name="ok.csv")
    assert load_corrections(ok)
    bad = corrections_file([correction(new="14", scale="NRS")], name="bad.csv")
    with pytest.raises(CurationError, match=r"bad\.csv:2: column 'new_value': got '14'"):
        load_corrections(bad)


def test_percent_negative_sd_and_date(corrections_file):
    path = corrections_file([
        correction(outcome="responder", tp="m1", field="percent", new="120"),
        correction(field="sd", new="-1", date="2026-11-21"),
        correction(date="22/11/2026"),
    ])
    with pytest.raises(CurationError) as info:
        load_corrections(path)
    text = str(info.value)
    assert "corrections.csv:2: column 'new_value': got '120'; expected a percentage in [0, 100]" in text
    assert "corrections.csv:3: column 'new_value': got '-1'; expected a value >= 0 for field 'sd'" in text
    assert "corrections.csv:4: column 'date': got '22/11/2026'; expected an ISO 8601 date" in text


def test_arm_and_study_level_key_shapes(corrections_file):
    path = corrections_file([
        correction(outcome="arm", tp="m1", field="n_patients", new="20"),
        correction(arm="all", outcome="study", tp="-", field="decision", new="maybe"),
    ])
    with pytest.raises(CurationError) as info:
        load_corrections(path)
    text = str(info.value)
    assert "corrections.csv:2: column 'timepoint': got 'm1'; expected '-' for outcome 'arm'" in text
    assert "corrections.csv:3: column 'arm_id': got 'all'; expected '-' for outcome 'study'" in text


def test_missing_column_and_ragged_record(tmp_path):
    path = tmp_path / "corrections.csv"
    path.write_text("study_id,arm_id,outcome,timepoint,field,old_value,new_value,curator,date\n"
                    "cazzato2021,all,pain,last,mean,2,3,ana,2026-11-20,extra\n")
    with pytest.raises(CurationError, match=r"corrections\.csv:1: columns \['reason'\] in the header"):
        load_corrections(path)


def test_line_numbers_count_multiline_records(corrections_file, tmp_path):
    rows = [correction(reason="first line\nsecond line"), correction(new="x", date="2026-11-21")]
    path = corrections_file(rows)
    with pytest.raises(CurationError, match=r"corrections\.csv:4: column 'new_value': got 'x'"):
        load_corrections(path)


def test_manual_entry_problems_all_at_once(manual_file):
    path = manual_file([
        manual_row(),
        manual_row(field="q1", value="6", timepoint_label="sometime"),
        manual_row(outcome="responder", field="percent", value="120", scale="", timepoint_label="1 month"),
        manual_row(field="q3", value="9", include="no"),
        manual_row(field="mean", value="5", n_patients="12"),
        manual_row(outcome="cement_leakage", field="events", value="3", scale="", unit="", timepoint_label="procedural"),
    ])
    with pytest.raises(CurationError) as info:
        load_manual(path)
    text = str(info.value)
    assert "manual_entries.csv:3: column 'timepoint_label': got 'sometime'; expected a recognised time point" in text
    assert "manual_entries.csv:4: column 'value': got '120'; expected a percentage in [0, 100]" in text
    assert "manual_entries.csv:5: column 'exclusion_reason': got ''; expected an exclusion reason" in text
    assert "manual_entries.csv:6: column 'n_patients': got '12'; expected the same n_patients" in text
    assert "manual_entries.csv:7: column 'unit': got ''; expected a unit" in text


def test_manual_pain_over_scale_and_duplicate_key(manual_file):
    path = manual_file([manual_row(), manual_row(value="14", field="mean"), manual_row(value="7")])
    with pytest.raises(CurationError) as info:
        load_manual(path)
    text = str(info.value)
    assert "manual_entries.csv:3: column 'value': got '14'; expected a pain value in [0, 10] on scale NRS" in text
    assert "manual_entries.csv:4: a unique key among included rows; madaelil2016/all/pain/baseline/median is already on line 2" in text


def test_manual_excluded_rows_keep_pitfalls_out_of_the_tables(manual_file, extracted, tmp_path):
    # AE counts above the total and a percent without count are kept with include = no
    path = manual_file([
        manual_row(),
        manual_row(outcome="complication_any", field="events", value="10", scale="", timepoint_label="procedural",
                   include="no", exclusion_reason="adverse events are event counts, not patients"),
        manual_row(outcome="complication_any", field="total", value="8", scale="", timepoint_label="procedural",
                   include="no", exclusion_reason="adverse events are event counts, not patients"),
        manual_row(study_id="cazzato2021", include="no", exclusion_reason="superseded by the full text"),
    ])
    report = build_curated(extracted, None, path, tmp_path / "out")
    assert [r["field"] for r in report.outcomes if r["study_id"] == "madaelil2016"] == ["median"]
    assert len(report.excluded) == 3
    assert (tmp_path / "out" / "excluded_values.tsv").read_text().count("\n") == 4
    assert [s["study_id"] for s in report.studies].count("cazzato2021") == 1


def test_manual_study_that_is_extracted_must_be_excluded(manual_file, extracted):
    path = manual_file([manual_row(study_id="cazzato2021")])
    with pytest.raises(CurationError, match=r"manual_entries\.csv:2: column 'include': got 'yes'; expected 'no': "
                                            r"study 'cazzato2021' is extracted from a PDF"):
        build_curated(extracted, None, path, None)


def test_events_above_total_from_a_correction(extracted, corrections_file):
    path = corrections_file([correction(study="tian2022", arm="psp", outcome="cement_leakage", tp="procedural",
                                        field="events", old="5", new="40")])
    with pytest.raises(CurationError, match=r"corrections\.csv:2: column 'new_value': got '40'; expected events <= total"):
        build_curated(extracted, path, None, None)


def test_corrections_and_manual_problems_reported_together(extracted, corrections_file, manual_file):
    corrections = corrections_file([correction(new="abc")])
    manual = manual_file([manual_row(value="-3")])
    with pytest.raises(CurationError) as info:
        build_curated(extracted, corrections, manual, None)
    assert "2 problem(s)" in str(info.value)


def test_sacral_example_shape_is_accepted(tmp_path):
    # the columns of the example's manual entries (examples/sacral/manual_entries.csv)
    path = write_csv(tmp_path / "m.csv", [manual_row(timepoint_label="last follow-up (mean 31±21 months)")],
                     tuple(manual_row()))
    entries = load_manual(path)
    assert entries.outcomes[0]["timepoint"] == "last"
    assert CORRECTION_COLUMNS[:10] == ("study_id", "arm_id", "outcome", "timepoint", "field", "old_value",
                                       "new_value", "curator", "date", "reason")
