"""Ages and other measured baseline numbers never become counts, and counts never means: the
scorer's field rules (extraction.candidates.plain_fields, extraction.scorer.fits_outcome)."""

from __future__ import annotations

import pytest

from extraction.candidates import plain_fields
from extraction.scorer import fits_outcome


@pytest.mark.parametrize("after, label", [
    (" years, and 12 patients", "the mean age was"),
    (" months after surgery", "follow-up lasted"),
    ("", "Age (years)"),
    ("", "Hospital stay, days"),
    ("", "Body mass index (kg/m2)"),
    (" mm", "tumour size"),
])
def test_a_measure_or_duration_is_never_a_count(after, label):
    fields = plain_fields(after, label)
    assert "events" not in fields and "n" not in fields and "mean" in fields


@pytest.mark.parametrize("after, label", [
    (" patients had a relapse", "in total"),
    ("", "Current smokers, n (%)"),
    ("", "Number of lesions"),
    (" women", "there were"),
])
def test_a_counted_noun_or_count_label_is_never_a_mean(after, label):
    fields = plain_fields(after, label)
    assert "mean" not in fields and "median" not in fields and "events" in fields


def test_an_unmarked_number_may_be_either():
    assert set(plain_fields(" in the", "the score was")) == {"events", "mean", "median", "n"}


@pytest.mark.parametrize("outcome, fld, ok", [
    ("age", "events", False), ("age", "percent", False), ("age", "mean", True), ("age", "q3", True),
    ("follow_up", "events", False), ("follow_up", "median", True),
    ("sex_female", "mean", False), ("sex_male", "sd", False), ("sex_female", "events", True), ("sex_male", "percent", True),
    ("other", "events", True), ("other", "mean", True),
])
def test_outcomes_of_one_kind_of_field(outcome, fld, ok):
    assert fits_outcome(outcome, fld) is ok


# train-split PDFs where ages were read as counts ("<1 year" rows as age events) and an age as a
# sex's mean ("39 males/26 females; age 49.7 ± 2.1")
@pytest.mark.parametrize("name", ["abbas_2016_critcareresprac_pediatric_ich_picu_cohort",
                                  "ma_2016_jdiabetesres_insulin_dose_cohort"])
def test_real_pdfs_give_no_age_counts_and_no_sex_means(name):
    import json

    from extraction.corpus import CORPUS, corpus_items
    from extraction.extract import extract_document

    assert name in {it.pdf.stem for it in corpus_items(split="train")}
    rows = extract_document(CORPUS / "pdfs" / f"{name}.pdf").outcomes
    assert [r for r in rows if not fits_outcome(r["outcome"], r["field"])] == []
    # the hand annotation's mean age is still found
    gold = json.loads((CORPUS / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    ages = {v["value"] for v in gold["values"] if v["outcome"] == "age" and v["field"] == "mean"}
    assert ages & {r["value"] for r in rows if r["outcome"] == "age" and r["field"] == "mean"}


@pytest.mark.parametrize("label, ok", [
    ("Length of hospital stay (days)", True), ("Postoperative arrhythmia", True),
    ("", False), ("and", False), ("vs.", False), ("(", False), ("There were", False),
    ("years, and", False), ("kg,", False), ("mm, even if the size varies", False), ("h after the dose", False),
    ("G-CSF dose", True), ("Mobilization days", True),
])
def test_an_unmapped_value_needs_a_label_that_names_it(label, ok):
    from extraction.scorer import names_quantity

    assert names_quantity(label) is ok
