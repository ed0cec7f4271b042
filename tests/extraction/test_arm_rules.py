"""Arm finding and screening rules corrected on the later-annotated real PDFs (tests/data/gold
README, "Held-out files"): each rule on synthetic text, with cases that must still work."""

from __future__ import annotations

import pytest

from extraction.rules import Arm, Context, count_values, find_arms, sentences, single_arm, timepoint_of


def header(*cells: str) -> list[list[tuple[str, None]]]:
    return [[(c, None) for c in cells]]


@pytest.mark.parametrize(
    "cells",
    [
        ("Lost to follow-up (n=35)", "Discontinued intervention (n=9)"),
        ("Included in primary analysis (n=392)", "Included in primary analysis (n=393)"),
        ("A 1 month (n=492)", "B 6 months (n=491)"),
        ("25 59 (n = 7)", "19 66 (n = 6)"),
    ],
)
def test_flow_diagram_boxes_and_data_rows_are_not_arms(cells):
    assert find_arms("", header(*cells)) == []


def test_treatment_headers_are_arms():
    arms = find_arms("", header("Characteristic", "Spironolactone (n = 285)", "Placebo (n = 274)"))
    assert [(a.label, a.n_patients) for a in arms] == [("Spironolactone", 285), ("Placebo", 274)]


def test_abbreviated_group_and_table_header_are_one_arm():
    text = "Patients were assigned to the anteroposterior position (group AP; n = 150) or the other (group AL; n = 151)."
    arms = find_arms(text, header("Anterolateral group (n = 151)", "Anteroposterior group (n = 150)"))
    by_n = {a.n_patients: a.label.lower() for a in arms}
    assert len(arms) == 2 and "anteroposterior" in by_n[150] and "anterolateral" in by_n[151]
    # a group whose letters do not abbreviate the header's name stays apart
    arms = find_arms("(group AP; n = 150) and (group AL; n = 151)", header("Control (n = 151)", "Exercise (n = 150)"))
    assert len(arms) == 4


def test_single_arm_n_is_the_included_patients():
    text = "In the study period, an ACTH test was performed in 288 consecutive patients and 59 patients (20%) were included when fulfilling criteria."
    assert single_arm(text, "").n_patients == 59
    assert single_arm("Thirty... 23 consecutive patients were treated with ablation.", "").n_patients == 23


def _responders(text: str) -> list[tuple[str, str, float]]:
    arms = [Arm("et", "ET", n_patients=32), Arm("ct", "CT", n_patients=31)]
    ctx = Context(text, arms, False)
    out = []
    for sa, sb in sentences(text, [], set()):
        vals, _ = count_values(ctx, (sa, sb), None, timepoint_of(text[sa:sb]))
        out += [(v.arm_id, v.field, v.value) for v in vals if v.outcome == "responder"]
    return out


def test_responders_need_pain_as_the_subject():
    assert _responders("In the responders analyses, 5 (21%) of ET and 7 (35%) of CT patients were FMD responders.") == []
    assert ("et", "events", 5) in _responders("Pain responders were 5 (21%) in the ET group and 7 (35%) in the CT group.")


def test_cited_meta_analysis_does_not_make_a_trial_a_review():
    from extraction.screening import _CITED_REVIEW, _SELF_REVIEW

    def cited(before: str) -> bool:
        return bool(_CITED_REVIEW.search(before)) and not _SELF_REVIEW.search(before)

    assert cited("from 2011 and a recently published ")
    assert cited("a large individual-patient-data ")
    assert not cited("In this ")
    assert not cited("We performed a systematic review and ")
    assert not cited("This is a ")


def test_marker_positive_and_negative_groups_are_two_arms():
    # "X (+)" and "X (−)" share every word; the sign marker tells them apart
    arms = find_arms("", header("Variable", "Marker (−) (n = 391)", "Marker (+) (n = 40)"))
    assert sorted((a.label, a.n_patients) for a in arms) == [("Marker (+)", 40), ("Marker (−)", 391)]
    assert len({a.arm_id for a in arms}) == 2


def test_survivors_and_non_survivors_are_not_arms():
    # a cohort split by its own outcome (vital status) is described, not compared as arms
    assert find_arms("", header("Variable", "Alive (n = 38)", "Expired (n = 13)")) == []
    assert find_arms("", header("Survivors (n = 40)", "Non-survivors (n = 9)")) == []
