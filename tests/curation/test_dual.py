"""Dual extraction: disagreements field by field, adjudication into corrections."""

from __future__ import annotations

import csv

import pytest

from curation_helpers import correction
from evidence.curation import CurationError, build_curated, load_corrections
from evidence.curation.dual import adjudicate, compare


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def two_curators(corrections_file):
    a = corrections_file([correction(new="3", curator="ana"),
                          correction(study="tian2022", arm="psp_rfa", tp="m1", old="2.5", new="2.7", curator="ana"),
                          correction(outcome="arm", tp="-", field="n_patients", old="23", new="22", curator="ana")],
                         name="ana.csv")
    b = corrections_file([correction(new="3", curator="ben"),
                          correction(study="tian2022", arm="psp_rfa", tp="m1", old="2.5", new="2.9", curator="ben"),
                          correction(field="sd", old="2", new="2.5", curator="ben")], name="ben.csv")
    return a, b


def test_two_curators_disagreements(two_curators, extracted, tmp_path):
    a, b = two_curators
    out = tmp_path / "disagreements.tsv"
    count, total = compare(a, b, out, base=extracted)
    rows = _rows(out)
    assert (count, total) == (3, 4)
    got = {(r["study_id"], r["outcome"], r["field"], r["timepoint"]): (r["base_value"], r["value_a"], r["value_b"]) for r in rows}
    assert got == {
        ("tian2022", "pain", "mean", "m1"): ("2.5", "2.7", "2.9"),
        ("cazzato2021", "arm", "n_patients", "-"): ("23", "22", "23"),
        ("cazzato2021", "pain", "sd", "last"): ("2", "2", "2.5"),
    }
    assert [r for r in rows if r["field"] == "n_patients"][0]["source_a"].startswith("ana (")


def test_extractor_versus_curator(extracted, corrections_file, tmp_path):
    curator = corrections_file([correction(new="3")])
    out = tmp_path / "d.tsv"
    count, _ = compare(extracted, curator, out)
    [row] = _rows(out)
    assert (row["field"], row["value_a"], row["value_b"], row["source_a"]) == ("mean", "2", "3", "cazzato2021.pdf p.4")


def test_adjudication_becomes_corrections(two_curators, extracted, tmp_path):
    a, b = two_curators
    out = tmp_path / "disagreements.tsv"
    compare(a, b, out, base=extracted)
    rows = _rows(out)
    for row in rows:
        row["adjudicator"] = "cy"
        if row["field"] == "mean":
            row["adjudication"] = "b"
        elif row["field"] == "n_patients":
            row["adjudication"], row["adjudicated_value"], row["adjudication_reason"] = "custom", "21", "CONSORT figure"
        else:
            row["adjudication"] = "a"  # a kept the extracted value: nothing to correct
    _write(out, rows)
    target = tmp_path / "corrections.csv"
    written = adjudicate(out, target, date="2026-11-24")
    assert [(r["field"], r["old_value"], r["new_value"]) for r in written] == [("n_patients", "23", "21"), ("mean", "2.5", "2.9")]
    report = build_curated(extracted, target, None, None)
    assert {r["study_id"]: r["n_patients"] for r in report.arms}["cazzato2021"] == "21"
    assert load_corrections(target)[0].reason == "CONSORT figure"


def test_adjudication_problems_all_at_once(two_curators, extracted, tmp_path):
    a, b = two_curators
    out = tmp_path / "disagreements.tsv"
    compare(a, b, out, base=extracted)
    rows = _rows(out)
    rows[0]["adjudication"] = "c"
    rows[1]["adjudication"] = "custom"
    _write(out, rows)
    with pytest.raises(CurationError) as info:
        adjudicate(out, tmp_path / "corrections.csv")
    text = str(info.value)
    assert "disagreements.tsv:2: column 'adjudication': got 'c'; expected one of ['a', 'b', 'custom']" in text
    assert "disagreements.tsv:3: column 'adjudicated_value': got ''; expected the value chosen" in text
    assert "disagreements.tsv:4: column 'adjudication': got ''; expected a, b or custom" in text
    assert not (tmp_path / "corrections.csv").exists()
