"""Prose rules on synthetic sentences: study-wide and arm-specific negations, access-site events
after "no major complications", denominators printed before a count, summed event lists, subgroups
carried by "In this group", and the layout helpers for split header rows and swallowed prose.

Every rule has cases that must NOT give values (drug adverse events, arrhythmia recurrence, "no
significant difference in complications", percentages that do not agree, ...)."""

from __future__ import annotations

import pytest

from extraction.layout import Layout, Line, PageTable, Word, build_stream
from extraction.prose import reads_before, unswallow_prose
from extraction.rules import (
    Arm,
    Context,
    count_values,
    find_arms,
    pain_values,
    sentences,
    subgroup_definition,
    subgroup_reference,
    timepoint_of,
)


def two_arms() -> list[Arm]:
    return [
        Arm("pvi_cfae", "PVI + CFAE", n_patients=25),
        Arm("pvi_only", "PVI only", n_patients=25),
    ]


def run(text: str, arms: list[Arm], single: bool = False) -> list[tuple[str, str, str, float]]:
    """count_values over every sentence, the way the extractor's sentence loop calls it."""
    ctx = Context(text, arms, single)
    out = []
    carry = None
    for sa, sb in sentences(text, [], set()):
        vals, _new = count_values(ctx, (sa, sb), carry, timepoint_of(text[sa:sb]))
        out += [(v.arm_id, v.outcome, v.field, v.value) for v in vals]
        ments = [a for a in arms if a.alias_re().search(text[sa:sb])]
        if ments:
            carry = ments[-1]
    return sorted(out)


# ------------------------------------------------------------------------ study-wide negations


@pytest.mark.parametrize(
    "sentence,outcome",
    [
        ("No major procedure related complications occurred.", "complication_major"),
        ("No major procedure-related complications were observed.", "complication_major"),
        ("There were no complications in either group.", "complication_any"),
        ("No serious periprocedural complications occurred in any of the patients.", "complication_major"),
    ],
)
def test_study_wide_negation_holds_for_every_arm(sentence, outcome):
    text = "Non-inducibility was achieved in 56% of the patients. " + sentence
    assert run(text, two_arms()) == [("pvi_cfae", outcome, "events", 0.0), ("pvi_only", outcome, "events", 0.0)]


@pytest.mark.parametrize(
    "sentence",
    [
        "There was no significant difference in complications between the groups.",
        "No complications occurred in patients with diabetes.",
        "No treatment-emergent adverse events occurred.",
        "No adverse events occurred.",  # no procedure wording: not a procedure complication
        "No recurrence of atrial fibrillation occurred after the blanking period.",
        "No significant complications occurred.",  # "significant" is not a stated severity
    ],
)
def test_negations_that_are_not_study_wide_give_nothing(sentence):
    assert run("The procedure time was 150 min. " + sentence, two_arms()) == []


def test_negation_naming_an_arm_is_that_arms_only():
    out = run("No major complications occurred in the PVI only group.", two_arms())
    assert out == [("pvi_only", "complication_major", "events", 0.0)]


# ------------------------------------------------------------------------ "related to <treatment>"


def lva_arms() -> list[Arm]:
    return [
        Arm("group_a", "group A", letter="A", n_patients=336),
        Arm("group_b", "group B", letter="B", n_patients=30, treatment="LVA ablation"),
        Arm("group_c", "group C", letter="C", n_patients=32),
    ]


def test_negation_related_to_one_arms_treatment():
    out = run("Procedure times were longer. No severe complication related to LVA ablation developed.", lva_arms())
    assert out == [("group_b", "complication_major", "events", 0.0)]


@pytest.mark.parametrize(
    "sentence",
    [
        "No adverse events related to LVA ablation occurred.",  # no stated severity
        "No severe complication related to anticoagulation developed.",  # nobody's treatment
        "No severe drug-related adverse events related to LVA ablation occurred.",
    ],
)
def test_negation_related_to_other_things_gives_nothing(sentence):
    assert run("Procedure times were longer. " + sentence, lva_arms()) == []


def test_allocation_verb_phrase_gives_the_arms_treatment():
    text = "The remaining 62 patients were randomly allocated to undergo LVA ablation (group B, n=30) or not (group C, n=32)."
    arms = {a.arm_id: a for a in find_arms(text, [])}
    assert arms["group_b"].treatment == "LVA ablation"
    assert arms["group_b"].label == "group B"  # the verb phrase still is not the arm's name
    assert arms["group_c"].treatment == ""


# ------------------------------------------------------------------------ access-site events


def test_access_site_event_after_no_major_is_minor_and_any():
    text = "No major procedure related complications occurred. One patient in the PVI+CFAE group developed a groin hematoma after the procedure."
    out = run(text, two_arms())
    assert ("pvi_cfae", "complication_minor", "events", 1.0) in out
    assert ("pvi_cfae", "complication_any", "events", 1.0) in out
    assert not [o for o in out if o[0] == "pvi_only" and o[1] != "complication_major"]


@pytest.mark.parametrize(
    "text",
    [
        # no study-wide "no major" statement right before
        "The procedure time was longer. One patient in the PVI+CFAE group developed a groin hematoma after the procedure.",
        # not an access-site event
        "No major complications occurred. One patient in the PVI+CFAE group developed atrial tachycardia.",
        # negated
        "No major complications occurred. No patient in the PVI+CFAE group developed a groin hematoma.",
        # a sentence in between
        "No major complications occurred. The procedure time was longer. One patient in the PVI+CFAE group developed a hematoma.",
    ],
)
def test_access_site_event_needs_the_no_major_context(text):
    out = run(text, two_arms())
    assert [o for o in out if o[1] != "complication_major"] == []


# ------------------------------------------------------------------------ denominators, summed lists, headings


def sara_arms() -> list[Arm]:
    return [Arm("ca", "CA", n_patients=98), Arm("adt", "ADT", n_patients=48)]


def test_procedures_performed_give_the_denominator():
    out = run("In the CA group, 98 procedures were performed and 6 (6.1%) had periprocedural complications.", sara_arms())
    assert out == [("ca", "complication_any", "events", 6.0), ("ca", "complication_any", "percent", 6.1), ("ca", "complication_any", "total", 98.0)]


def test_procedures_performed_denominator_must_agree_with_the_percentage():
    out = run("In the CA group, 98 procedures were performed and 9 (6.1%) had periprocedural complications.", sara_arms())
    assert ("ca", "complication_any", "events", 9.0) in out
    assert not [o for o in out if o[2] == "total"]


def test_run_in_heading_is_not_an_event_statement():
    text = "Adverse events In the CA group, 98 procedures were performed and 6 (6.1%) had periprocedural complications: 2 pericarditis, 1 pericardial effusion and 3 minor vascular access complications that did not require intervention."
    out = run(text, sara_arms())
    assert ("ca", "complication_any", "events", 98.0) not in out
    assert ("ca", "complication_any", "events", 6.0) in out
    assert ("ca", "complication_minor", "events", 3.0) in out


def test_number_words_of_a_listed_event_add_up():
    out = run("The ADT group had one flecainide intoxication and one minor vascular access complication (4.2% of patients).", sara_arms())
    assert ("adt", "complication_any", "events", 2.0) in out
    assert ("adt", "complication_any", "percent", 4.2) in out
    assert ("adt", "complication_minor", "events", 1.0) in out


@pytest.mark.parametrize(
    "sentence",
    [
        # 2/48 is not 6.7%
        "The ADT group had one flecainide intoxication and one minor vascular access complication (6.7% of patients).",
        # no complication keyword: recurrences and hospitalisations are not complications
        "The ADT group had one recurrence of atrial fibrillation and one hospitalisation (4.2% of patients).",
        # a drug trial's adverse events
        "The ADT group had one rash and one treatment-emergent adverse event (4.2% of patients).",
    ],
)
def test_listed_events_that_do_not_qualify(sentence):
    out = run(sentence, sara_arms())
    assert not [o for o in out if o[1] == "complication_any"]


# ------------------------------------------------------------------------ subgroups and "In this group"


def test_subgroup_defined_by_a_sentence():
    text = "In the treated group a total of 48 patients stopped their analgesic drug therapy."
    treated = Arm("treated", "treated", n_patients=120)
    sub = subgroup_definition(text, (0, len(text)), treated)
    assert sub is not None and sub.subgroup
    assert sub.label == "stopped analgesic drug therapy" and sub.n_patients == 48
    assert text[sub.n_span[0] : sub.n_span[1]] == "48"
    # Forty-eight in words
    text2 = "Forty-eight patients stopped their analgesic drug therapy."
    assert subgroup_definition(text2, (0, len(text2)), treated).n_patients == 48


@pytest.mark.parametrize(
    "text,parent_n",
    [
        ("In the treated group a total of 48 patients stopped their analgesic drug therapy.", 40),  # not a subset
        ("In the treated group a total of 48 patients underwent surgery.", 120),  # no past-tense -ed verb phrase
        ("A total of 48 patients stopped their therapy after 12 months because of pain.", 120),  # more after the verb phrase
        ("48 patients stopped their therapy.", None),  # no parent arm size
    ],
)
def test_no_subgroup_definition(text, parent_n):
    parent = Arm("treated", "treated", n_patients=parent_n)
    assert subgroup_definition(text, (0, len(text)), parent) is None


def test_in_this_group_carries_the_subgroup_and_its_pain_scores():
    text = ("In the treated group a total of 48 patients stopped their analgesic drug therapy. "
            "In this group mean VAS before fat grafting was 7.7 (±2.7) and 3.4 (±2.4) after autologous fat grafting.")
    arms = [Arm("treated", "treated", n_patients=120, aliases=[r"\btreated\s+group\b"], strict_alias=True),
            Arm("control", "control", n_patients=78, aliases=[r"\bcontrols?\b"], strict_alias=True)]
    ctx = Context(text, arms, False)
    s1, s2 = sentences(text, [], set())
    sub = subgroup_definition(text, s1, arms[0])
    assert subgroup_reference(text, s2, sub) is sub
    vals = pain_values(ctx, s2, sub, None)
    assert {(v.arm_id, v.field, v.value, v.timepoint) for v in vals} == {
        (sub.arm_id, "mean", 7.7, "baseline"), (sub.arm_id, "sd", 2.7, "baseline"),
        (sub.arm_id, "mean", 3.4, "post"), (sub.arm_id, "sd", 2.4, "post"),
    }
    # without the subgroup, "In this group ..." gives nothing (it is not about a known arm)
    assert pain_values(ctx, s2, arms[0], None) == []
    # "In this group" needs the definition right before
    assert subgroup_reference(text, s2, None) is None


def test_subgroup_defined_inside_the_sentence():
    text = "In the group of patients that continued analgesic therapy mean VAS before treatment was 7.9 (±1.9), while after treatment mean value was 4.2 (±2.3)."
    sub = subgroup_reference(text, (0, len(text)), None)
    assert sub is not None and sub.subgroup and sub.label == "continued analgesic therapy" and sub.n_patients is None
    assert subgroup_reference("In the group of patients the mean VAS was 7.9 (±1.9).", (0, 52), None) is None


# ------------------------------------------------------------------------ layout helpers


def make_layout(rows: list[tuple[int, float, list[tuple[float, str]], int, int | None]], tables: list[PageTable] | None = None) -> Layout:
    """rows: (page, top, [(x0, word), ...], region, table index) -> a Layout with its stream.
    Each character is 5 pt wide, words 10 pt high."""
    words: list[Word] = []
    lines: list[Line] = []
    for page, top, ws, region, table in rows:
        lw = []
        for x0, t in ws:
            w = Word(t, t, x0, top, x0 + 5 * len(t), top + 10, 10, page, idx=len(words), region=region, line=len(lines))
            words.append(w)
            lw.append(w)
        lines.append(Line(page, lw, region, table))
    lay = Layout(lines, words, tables or [], 10.0)
    lay.stream = build_stream(lay)
    return lay


def spread(x0: float, text: str) -> list[tuple[float, str]]:
    out = []
    for t in text.split():
        out.append((x0, t))
        x0 += 5 * len(t) + 5
    return out


def swallowed_layout(prose_lines: int) -> Layout:
    """A page with a justified left column (x 48-288) and a table box over both columns whose
    first ``prose_lines`` lines carry the left column's running text."""
    body = "aa bbbb ccccc dd eeee ffff gggg hhhhh iii"  # 41 chars: 48 + 5*41 - 5 ... ends at 288
    rows = [(5, 20 + 12 * i, spread(48, body), 1, None) for i in range(3)]
    prose = [
        "In the CA group, procedures were performed and the",
        "periprocedural complications were few and most were",
        "minor vascular access complications that did resolve",
        "without any intervention in the group of patients ok",
    ]
    for i in range(prose_lines):
        words = spread(48, prose[i])
        # stretch to the column's right edge (justified text)
        scale = (288 - 48) / (words[-1][0] + 5 * len(words[-1][1]) - 48)
        words = [(48 + (x - 48) * scale, t) for x, t in words]
        words[-1] = (288 - 5 * len(words[-1][1]), words[-1][1])
        rows.append((5, 80 + 12 * i, words + spread(330, "Baseline 42.0 49.3"), 2, 0))
    rows.append((5, 80 + 12 * prose_lines, spread(330, "6 months 53.7 48.2"), 2, 0))
    # make the body lines end exactly at 288 as well
    fixed = []
    for page, top, ws, region, table in rows:
        if table is None:
            scale = (288 - 48) / (ws[-1][0] + 5 * len(ws[-1][1]) - 48)
            ws = [(48 + (x - 48) * scale, t) for x, t in ws]
            ws[-1] = (288 - 5 * len(ws[-1][1]), ws[-1][1])
        fixed.append((page, top, ws, region, table))
    return make_layout(fixed, [PageTable(5, (48, 70, 552, 200), [])])


def test_prose_swallowed_by_a_table_box_is_read_without_the_cells():
    lay = swallowed_layout(4)
    text, freed = unswallow_prose(lay, lay.stream)
    assert len(text) == len(lay.stream.text)
    assert freed == {3, 4, 5, 6, 7}
    assert "Baseline" not in text and "53.7" not in text
    assert "In the CA group, procedures were performed and the" in text
    # the cells are still in the stream itself (provenance reads it)
    assert "Baseline" in lay.stream.text


def test_swallowed_prose_reads_before_a_heading_lower_in_its_column():
    # the stream puts the table box (tops 80-130, left column) after the Discussion heading (top 300)
    lay = make_layout([
        (5, 300, spread(48, "Discussion"), 1, None),
        (5, 80, spread(48, "In the CA group, 6 (6.1%) had complications"), 2, 0),
        (5, 320, spread(48, "The present study is the first randomized trial of"), 1, None),
        (6, 80, spread(48, "Another page"), 3, None),
        (5, 90, spread(330, "The right column goes on"), 4, None),
    ])
    st = lay.stream
    anchor = st.line_spans[0][0]
    assert reads_before(lay, st, st.line_spans[1], anchor) is True
    assert reads_before(lay, st, st.line_spans[2], anchor) is False  # below the heading
    assert reads_before(lay, st, st.line_spans[3], anchor) is False  # a later page
    assert reads_before(lay, st, st.line_spans[4], anchor) is False  # the column to the right


def test_a_table_box_with_too_few_prose_lines_is_left_alone():
    lay = swallowed_layout(2)
    text, freed = unswallow_prose(lay, lay.stream)
    assert freed == set() and text == lay.stream.text


# ------------------------------------------------------------------------ counts of the whole cohort


def cohort_arms() -> list[Arm]:
    return [Arm("neg", "Marker-negative", n_patients=391), Arm("pos", "Marker-positive", n_patients=40)]


def test_count_larger_than_the_carried_arm_is_the_whole_cohorts():
    text = "The Marker-positive group had more women. During follow-up, 101 patients (23.4%) had a local recurrence."
    out = run(text, cohort_arms())
    # 101 > 40 patients of the carried arm, and 101 / (391 + 40) = 23.4%: the cohort's count
    assert ("all", "local_recurrence", "events", 101.0) in out
    assert not [o for o in out if o[0] == "pos"]


def test_count_that_fits_the_carried_arm_stays_with_it():
    text = "The Marker-positive group had more women. During follow-up, 9 patients (22.5%) had a local recurrence."
    assert ("pos", "local_recurrence", "events", 9.0) in run(text, cohort_arms())


def test_count_in_a_sentence_that_names_its_arm_is_not_moved():
    text = "In the Marker-positive group, 9 patients (6.2%) had a local recurrence."
    assert [o for o in run(text, cohort_arms()) if o[2] == "events"] == [("pos", "local_recurrence", "events", 9.0)]


def test_a_lesion_count_is_not_bounded_by_the_arms_patients():
    text = "The Marker-positive group had more women. During follow-up, 45 lesions (30%) showed a local recurrence."
    assert ("pos", "local_recurrence", "events", 45.0) in run(text, cohort_arms())
