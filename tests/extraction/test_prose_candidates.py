"""Prose candidates: every count in a sentence with its words and its arm, and arm sizes from
running text.

Synthetic sentences (generic wording written for these tests) check the mechanisms: counts in
words and zero counts, "p% (k of N)", the arm named right after or right before a statistic, "in
each group", "respectively", a statistic that borrows the words of the next one, harms named after
the count or by a "Safety" heading, lettered groups listed in one allocation sentence, the
earliest statement of a cohort's size, flow-chart boxes with glued time words. Each has a case
that must not give the value. A few asserts on train-split PDFs check values read by hand on
their rendered pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.candidates import prose_candidates
from extraction.rules import (
    Arm,
    Context,
    allocated_sizes,
    count_values,
    find_arms,
    group_assignments,
    sentences,
    single_arm,
    timepoint_of,
)
from extraction.scorer import label_outcome
from extraction.statistics import find_statistics

from .test_prose_rules import make_layout, spread

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus" / "pdfs"


def two_arms() -> list[Arm]:
    return [Arm("drug_a", "Drug A", n_patients=30), Arm("placebo", "Placebo", n_patients=30)]


def cands(lines: list[str], arms: list[Arm], single: bool = False):
    """Prose candidates of a one-page layout, one printed line per string."""
    lay = make_layout([(1, 20 + 12 * i, spread(48, ln), 1, None) for i, ln in enumerate(lines)])
    text = lay.stream.text
    sents = sentences(text, lay.stream.line_spans, set())
    return prose_candidates(lay, "x.pdf", text, sents, arms, single, 1, len(text) + 1, len(text) + 1)


def by_value(cs, field: str = "events") -> dict[float, list]:
    out: dict[float, list] = {}
    for c in cs:
        if c.field == field:
            out.setdefault(c.value, []).append(c)
    return out


# ------------------------------------------------------------------------ the statistic parser


def test_percent_with_its_count_and_total_is_one_statistic():
    rs = find_statistics("Nausea was reported by 40% (12 of 30) of the patients.")
    assert [(r.kind, r.fields) for r in rs] == [("count_total_pct", {"percent": 40.0, "events": 12.0, "total": 30.0})]
    # a bracket that does not give that percentage is not its count
    rs = find_statistics("Nausea was reported by 40% (3 of 30) of the patients.")
    assert [r.kind for r in rs] == ["percent", "count_total"]


def test_counts_in_words_with_a_percentage_and_zero_counts():
    rs = find_statistics("Two patients (7%) had a rash and there were no deaths.")
    assert [(r.kind, r.fields) for r in rs] == [("count_words_pct", {"events": 2.0, "percent": 7.0}),
                                                ("count_zero", {"events": 0.0})]
    assert [r.fields for r in find_statistics("None of the patients had a fever.")] == [{"events": 0.0}]
    rs = find_statistics("In all, 13 patients relapsed (26%) within a year.")
    assert [(r.kind, r.fields) for r in rs] == [("count_pct", {"events": 13.0, "percent": 26.0})]
    assert [r.kind for r in find_statistics("3 years old (50%)")] == ["value", "percent"]  # no counted noun
    rs = find_statistics("Thirty-four (56.7%) were symptomatic and twenty-six children were not.")
    assert [(r.kind, r.fields) for r in rs] == [("count_words_pct", {"events": 34.0, "percent": 56.7}),
                                                ("count_words", {"events": 26.0})]
    assert find_statistics("one of the patients") == []  # a number word with neither noun nor percentage
    assert [r.fields for r in find_statistics("Two had a rash compared with none in the other arm.")][-1] == {"events": 0.0}


@pytest.mark.parametrize("sentence", [
    "There was no significant difference in deaths between the arms.",
    "No further complications were seen after the change of protocol.",
    "Patients with no history of stroke were eligible.",
])
def test_no_that_is_no_zero_count(sentence):
    assert [r for r in find_statistics(sentence) if r.kind == "count_zero"] == []


# ------------------------------------------------------------------------ arms of prose statistics


def test_the_arm_named_right_after_a_statistic_is_its_arm():
    cs = cands(["Adverse events were reported by 40% (12 of 30) of patients in the Drug A group and 20%",
                "(6 of 30) of those in the placebo group."], two_arms())
    ev = by_value(cs)
    assert [c.arm_id for c in ev[12.0]] == ["drug_a"] and [c.arm_id for c in ev[6.0]] == ["placebo"]
    pct = by_value(cs, "percent")
    assert pct[40.0][0].arm_id == "drug_a" and pct[20.0][0].arm_id == "placebo"
    # the second statistic has no words of its own: it shares the first one's
    assert all(label_outcome(c) == "adverse_event" for c in cs)


def test_the_arm_named_right_before_a_statistic_is_its_arm():
    cs = cands(["Dizziness was as frequent with Drug A (12%) as with placebo (9%)."], two_arms())
    pct = by_value(cs, "percent")
    assert pct[12.0][0].arm_id == "drug_a" and pct[9.0][0].arm_id == "placebo"


def test_respectively_gives_the_statistics_to_the_arms_in_order():
    cs = cands(["The median stay in the Drug A and placebo groups was 4.5 days and 6.5 days, respectively."], two_arms())
    med = {c.value: c for c in cs if c.field in ("median", "mean") and c.arm_source == "respectively"}
    assert med[4.5].arm_id == "drug_a" and med[6.5].arm_id == "placebo"
    # without "respectively" the arm is the one named nearest (no order is stated)
    cs = cands(["The median stay in the Drug A and placebo groups was 4.5 days and 6.5 days."], two_arms())
    assert all(c.arm_source != "respectively" for c in cs)


def test_a_statistic_after_a_time_takes_the_words_before_the_time():
    cs = cands(["More patients in the Drug A group than in the placebo group were free of symptoms at 90 minutes",
                "(62% vs. 43%, respectively)."], two_arms())
    pct = {c.value: c for c in cs if c.field == "percent"}
    assert pct[62.0].arm_id == "drug_a" and pct[43.0].arm_id == "placebo"
    assert "symptoms" in pct[62.0].label and "symptoms" in pct[43.0].label


def test_in_each_group_gives_the_count_to_every_arm():
    cs = cands(["Three patients in each group reported a serious adverse event."], two_arms())
    ev = by_value(cs)[3.0]
    assert sorted(c.arm_id for c in ev) == ["drug_a", "placebo"]
    assert {label_outcome(c) for c in ev} == {"serious_adverse_event"}
    cs = cands(["Three patients in the Drug A group reported a serious adverse event."], two_arms())
    assert [c.arm_id for c in by_value(cs)[3.0]] == ["drug_a"]


# ------------------------------------------------------------------------ what a count is


def test_events_named_after_the_count_under_a_safety_heading_are_adverse_events():
    lines = ["Safety", "Seven patients in the Drug A group developed dizziness compared with 4 in the placebo",
             "group. Three patients in the Drug A group and 9 in the placebo group had headache."]
    ev = by_value(cands(lines, two_arms()))
    assert [(c.arm_id, label_outcome(c)) for c in ev[7.0]] == [("drug_a", "adverse_event")]
    assert [(c.arm_id, label_outcome(c)) for c in ev[4.0]] == [("placebo", "adverse_event")]
    assert [(c.arm_id, label_outcome(c)) for c in ev[3.0]] == [("drug_a", "adverse_event")]
    assert [(c.arm_id, label_outcome(c)) for c in ev[9.0]] == [("placebo", "adverse_event")]
    # the same sentences under an efficacy heading name no adverse event
    lines[0] = "Efficacy"
    ev = by_value(cands(lines, two_arms()))
    assert label_outcome(ev[7.0][0]) is None and label_outcome(ev[9.0][0]) is None


def test_named_events_listed_after_complications_are_adverse_events():
    cs = cands(["Complications occurred in 6 patients in the Drug A group: two patients with a wound infection and",
                "four patients with a urinary tract infection."], two_arms())
    ev = by_value(cs)
    assert [(c.arm_id, label_outcome(c)) for c in ev[2.0]] == [("drug_a", "adverse_event")]
    assert [label_outcome(c) for c in ev[4.0]] == ["adverse_event"]
    assert all(label_outcome(c) != "adverse_event" for c in ev[6.0])  # the total before the colon is not a named event
    # a list after a colon that introduces no harms is not
    cs = cands(["Reasons for the visit were: two patients with a follow-up and four patients with a new referral."], two_arms())
    assert all(label_outcome(c) != "adverse_event" for c in cs)


def test_deaths_named_after_the_count_and_zero_deaths():
    cs = cands(["Of the 40 patients, 6 patients died within a week and the others recovered."], [Arm("all", "all")], single=True)
    assert [label_outcome(c) for c in by_value(cs)[6.0]] == ["death"]
    cs = cands(["Survival was 76% as 12 patients expired (24%) in hospital."], [Arm("all", "all")], single=True)
    assert {(c.field, c.value, label_outcome(c)) for c in cs if c.kind == "count_pct"} == {("events", 12.0, "death"), ("percent", 24.0, "death")}
    cs = cands(["There were no deaths."], [Arm("all", "all")], single=True)
    assert [(c.value, label_outcome(c)) for c in cs] == [(0.0, "death")]
    # a death word far into the clause is not what was counted
    cs = cands(["In total 9 patients fulfilled all of the criteria for brain death."], [Arm("all", "all")], single=True)
    assert label_outcome(by_value(cs)[9.0][0]) is None


def test_coordinated_counts_each_take_their_own_words():
    cs = cands(["Of the patients, 30 (60%) were men and 20 (40%) were women."], [Arm("all", "all")], single=True)
    assert {(c.value, label_outcome(c)) for c in cs if c.field == "events"} == {(30.0, "sex_male"), (20.0, "sex_female")}
    cs = cands(["Of the patients, 30 (60%) male, 20 (40%) female."], [Arm("all", "all")], single=True)
    assert {(c.value, label_outcome(c)) for c in cs if c.field == "events"} == {(30.0, "sex_male"), (20.0, "sex_female")}
    cs = cands(["Seventeen patients (10 males and 7 females) underwent repair."], [Arm("all", "all")], single=True)
    out = {(c.value, label_outcome(c)) for c in cs if c.field == "events"}
    assert {(10.0, "sex_male"), (7.0, "sex_female")} <= out and (17.0, "sex_male") not in out


def test_a_row_of_numbers_read_as_text_keeps_its_row_label():
    # a table row read as running text: the second column's count is the row's, not the next row's
    cs = cands(["Male 30 (60) 28 (56) Female 20 (40) 22 (44)"], two_arms())
    ev = {(c.value, label_outcome(c)) for c in cs if c.field == "events" and c.kind == "count_pct"}
    assert ev == {(30.0, "sex_male"), (28.0, "sex_male"), (20.0, "sex_female"), (22.0, "sex_female")}


def test_a_count_after_a_clause_break_does_not_take_the_clause_before():
    cs = cands(["No patient died during follow-up, but one patient was readmitted."], [Arm("all", "all")], single=True)
    ev = by_value(cs)
    assert label_outcome(ev[0.0][0]) == "death"
    assert label_outcome(ev[1.0][0]) != "death"


# ------------------------------------------------------------------------ arm sizes from running text


def test_group_sizes_listed_in_one_allocation_sentence():
    text = "Nine patients were assigned to group A, ten to group B and eleven to group C. Group A received the drug."
    assert [(g, n) for _l, g, n, _s in group_assignments(text)] == [("A", 9.0), ("B", 10.0), ("C", 11.0)]
    assert [(a.arm_id, a.n_patients) for a in find_arms(text, [])] == [("group_a", 9.0), ("group_b", 10.0), ("group_c", 11.0)]
    # no allocation verb, or one group only: no arms
    assert group_assignments("Group A had nine patients and group B ten.") == []
    assert group_assignments("Nine patients were assigned to group A. The others were not.") == []


def test_allocated_numbers_are_the_arms_sizes_over_a_smaller_header_n():
    text = ("Of these, 41 patients (51%) were randomized to treatment with the LW scheme, and 39 patients (49%) to the "
            "HW scheme. Analyses followed.")
    arms = find_arms(text, [[("LW scheme (n = 36)", None), ("HW scheme (n = 35)", None)]])
    assert [(a.label, a.n_patients) for a in arms] == [("LW scheme", 41.0), ("HW scheme", 39.0)]
    # one part only, or a part that names no known arm: the header's n stays
    lw, hw = Arm("lw", "LW scheme"), Arm("hw", "HW scheme")
    assert allocated_sizes("In all, 41 patients were randomized to the LW scheme.", [lw, hw]) == []
    assert allocated_sizes("41 patients were randomized to the LW scheme and 39 to usual care.", [lw, hw]) == []


def test_single_cohort_size_from_the_earliest_statement():
    arm = single_arm("A total of 52 newly diagnosed patients were included. Later 31 patients were treated again.", "")
    assert arm.n_patients == 52
    arm = single_arm("A total of 300 patients were screened and 120 consecutive patients underwent ablation.", "")
    assert arm.n_patients == 120  # a screened number is not the cohort
    assert single_arm("Of the study population (n = 640), most were men.", "").n_patients == 640
    assert single_arm("Of the study population (n 640), most were men.", "").n_patients == 640  # "=" lost in the text layer


def test_flow_chart_boxes_with_glued_time_words_are_no_arms():
    assert find_arms("", [[("2weeks (n=40)", None), ("8weeks (n=38)", None)]]) == []
    arms = find_arms("", [[("Drug A (n = 8)", None), ("Placebo (n = 9)", None)]])
    assert [(a.label, a.n_patients) for a in arms] == [("Drug A", 8.0), ("Placebo", 9.0)]


def test_a_verb_phrase_before_a_count_is_no_subgroup():
    text = "Reoperation was indicated and performed in 3/12 (25%) cases with complications."
    ctx = Context(text, [Arm("all", "all")], True)
    _vals, new = count_values(ctx, (0, len(text)), None, timepoint_of(text))
    assert all(not a.label.lower().startswith("performed") for a in new)
    text = "Complications occurred following RFA (4/5; 80%)."
    ctx = Context(text, [Arm("all", "all")], True)
    _vals, new = count_values(ctx, (0, len(text)), None, timepoint_of(text))
    assert [a.label for a in new] == ["RFA"]


# ------------------------------------------------------------------------ train-split PDFs, read by hand


def _pdf(name: str) -> Path:
    p = CORPUS / name
    assert p.exists(), f"{name}: not in tests/data/corpus/pdfs (the corpus is part of the repository)"
    return p


def test_real_group_sizes_from_an_allocation_sentence():
    # p.2, Results: "Seven patients were assigned to group A, eight to group B, and eight to group C."
    from extraction.extract import extract_document

    res = extract_document(_pdf("vazquezmeraz_2016_stemcellsint_gcsf_mobilization_children.pdf"))
    sizes = {a["arm_id"]: a["n_patients"] for a in res.arms}
    assert sizes == {"group_a": 7, "group_b": 8, "group_c": 8}


def test_real_cohort_size_and_zero_deaths():
    # p.1 abstract "A total of 370 patients"; p.4 "No patient died during follow-up, but one patient was
    # successfully resuscitated"
    from extraction.extract import extract_document

    res = extract_document(_pdf("bergonti_2024_ehj_bruloop_cohort.pdf"))
    assert [a["n_patients"] for a in res.arms if a["arm_id"] == "all"] == [370]
    zero = [c for c in res.candidates if c.source == "prose" and c.page == 4 and c.kind == "count_zero" and "died" in c.context]
    assert zero and all(label_outcome(c) == "death" and c.value == 0 for c in zero)


def test_real_adverse_events_in_prose_with_their_arms():
    # p.4, Safety: "Seven patients in the vernakalant group experienced bradycardia compared with 4 in the
    # placebo group"; "Six patients in each group reported one or more SAE."
    from extraction.extract import extract_document

    res = extract_document(_pdf("beatch_2017_jcardiovascpharmacol_vernakalant_rct.pdf"))
    p4 = [c for c in res.candidates if c.source == "prose" and c.page == 4 and c.field == "events"]
    brady = [(c.value, c.arm_id, label_outcome(c)) for c in p4 if "bradycardia" in c.label and c.value in (7, 4)]
    assert sorted(brady) == [(4.0, "placebo", "adverse_event"), (7.0, "vernakalant", "adverse_event")]
    sae = sorted((c.arm_id, label_outcome(c)) for c in p4 if c.value == 6 and "each group" in c.context)
    assert sae == [("placebo", "serious_adverse_event"), ("vernakalant", "serious_adverse_event")]


def test_an_abbreviated_arm_is_named_by_its_defined_words_and_its_own_abbreviation():
    text = "Patients received a transcutaneous nerve stimulator (TNS) or sham care. In the transcutaneous nerve stimulator group"
    arms = find_arms(text, [[("TNS group (n = 20)", None), ("Sham care (n = 21)", None)]])
    tns = next(a for a in arms if a.label == "TNS group")
    assert tns.alias_re().search("two patients in the transcutaneous nerve stimulator group")
    # the abbreviation alone (case as printed) names an "ABBR word" arm, unless two arms start with it
    arms = find_arms("", [[("LW scheme (n = 20)", None), ("HW scheme (n = 21)", None)]])
    lw = next(a for a in arms if a.label == "LW scheme")
    assert lw.alias_re().search("in the LW group") and not lw.alias_re().search("the lw group")
    arms = find_arms("", [[("LW scheme (n = 20)", None), ("LW plus X (n = 21)", None)]])
    assert not any(a.alias_re().search("in the LW group") for a in arms)
