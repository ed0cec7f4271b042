"""Rules added for the last misses on the annotated real PDFs (Löffler, Opoku, Mattioli, Takeda,
Botto): reoperations as major complications, counts with their arm named right after them,
allocation sentences, numbered groups, group sizes printed as a table row, and zeros that hold
for the procedure every arm underwent. Each rule has cases that must NOT give values."""

from __future__ import annotations

import pytest

from extraction.layout import PageTable
from extraction.rules import Arm, Context, allocation_arms, count_values, find_arms, sentences, timepoint_of
from extraction.tables import header_cells


def run(text: str, arms: list[Arm], title: str = "") -> list[tuple[str, str, str, float]]:
    ctx = Context(text, arms, len(arms) == 1, title=title)
    out = []
    for sa, sb in sentences(text, [], set()):
        vals, _new = count_values(ctx, (sa, sb), None, timepoint_of(text[sa:sb]))
        out += [(v.arm_id, v.outcome, v.field, v.value) for v in vals]
    return sorted(out)


def lsf_arms() -> list[Arm]:
    return [Arm("pmma_augmented", "PMMA-augmented", n_patients=33), Arm("non_augmented", "Non-augmented", n_patients=48)]


def test_parallel_counts_each_take_the_arm_named_after_them():
    text = "Seven of 48 patients with non-augmented (15%) and 4 of 33 patients with augmented LSF (12%) had reoperation."
    assert run(text, lsf_arms()) == sorted([
        ("non_augmented", "complication_major", "events", 7.0), ("non_augmented", "complication_major", "total", 48.0),
        ("pmma_augmented", "complication_major", "events", 4.0), ("pmma_augmented", "complication_major", "total", 33.0),
    ])


def test_complications_that_led_to_revision_surgery_are_one_major_event():
    text = "Overall, 6 of 33 patients with augmented LSF encountered complications which led to revision surgery."
    assert run(text, lsf_arms()) == [("pmma_augmented", "complication_major", "events", 6.0),
                                     ("pmma_augmented", "complication_major", "total", 33.0)]


@pytest.mark.parametrize(
    "text",
    [
        "Despite much lower BMD, surgeries with PMMA-augmentation showed no higher reoperation rate than non-augmented surgeries.",
        "Reoperations after complications of non-augmented surgery, such as misplaced screws in 2 cases, were not taken into account.",
        "There was no significant difference in complications between the groups.",
    ],
)
def test_comparisons_and_exclusions_are_not_counts(text):
    assert run(text, lsf_arms()) == []


def test_allocation_of_participants_to_each_treatment():
    text = "Between 2009 and 2011, we enrolled and allocated 998 participants to moxidectin and 501 participants to ivermectin."
    assert [(lab, n) for lab, n, _, _ in allocation_arms(text)] == [("moxidectin", 998), ("ivermectin", 501)]


def test_a_planned_sample_size_is_not_the_allocation():
    text = ("We planned for about 1000 participants in the moxidectin group and 500 in the ivermectin group. "
            "Between 2009 and 2011, we enrolled and allocated 998 participants to moxidectin and 501 participants to ivermectin.")
    arms = find_arms(text, [])
    assert sorted((a.label, a.n_patients) for a in arms) == [("ivermectin", 501), ("moxidectin", 998)]
    assert allocation_arms("We planned for about 1000 participants in the moxidectin group and 500 in the ivermectin group.") == []


def test_numbered_groups_need_an_allocation_verb():
    text = ("Patients were randomized 1 : 1 to procainamide (Group I) or propafenone (Group 2). Of the remaining 76 patients, "
            "38 patients were randomized to receive procainamide (Group I ) and 38 were randomized to receive propafenone (Group 2).")
    assert sorted((a.label, a.n_patients) for a in find_arms(text, [])) == [("procainamide", 38), ("propafenone", 38)]
    # another article's abstract on the same page: numbered groups without allocation
    assert find_arms("90 patients: 20 neonates (group 1), 16 infants (group 2), and 54 children (group 3).", []) == []


def test_two_line_header_and_case_control_tables():
    header = [[("PMMA-augmented n = 33", None), ("Non-augmented n = 48", None), ("All n = 82", None)]]
    assert sorted((a.label, a.n_patients) for a in find_arms("", header)) == [("Non-augmented", 48), ("PMMA-augmented", 33)]
    assert find_arms("", [[("Case n = 18", None), ("Control n = 26", None)]]) == []
    # a data cell merged into the header cell is no arm name
    assert find_arms("", [[("Intubation group 11.9±4.2 (n=7)", None), ("CPAP group 4.4±1.7 (n=10)", None)]]) == []


def _cell(text: str, x: float) -> tuple[str, tuple[float, float, float, float]]:
    return (text, (x, 0.0, x + 50, 10.0))


def test_group_sizes_printed_as_a_table_row():
    table = PageTable(page=3, bbox=(0, 0, 300, 100), rows=[
        [_cell("Variable", 0), _cell("Intubation group", 100), _cell("CPAP group", 150), _cell("Oxygen group", 200)],
        [_cell("Number of patients", 0), _cell("7", 100), _cell("11", 150), _cell("11", 200)],
        [_cell("Age (years)", 0), _cell("71±8", 100), _cell("74±11", 150), _cell("75±10", 200)],
    ])
    arms = find_arms("", [header_cells(table)])
    assert [(a.label, a.n_patients) for a in arms] == [("Intubation group", 7), ("CPAP group", 11), ("Oxygen group", 11)]
    table.rows[1][0] = _cell("Age, years", 0)
    assert find_arms("", [header_cells(table)]) == []


def paddle_arms() -> list[Arm]:
    return [Arm("anteroposterior", "Anteroposterior group", n_patients=150), Arm("anterolateral", "Anterolateral group", n_patients=151)]


def test_no_complications_of_the_procedure_in_the_title_hold_for_every_arm():
    text = "There were no complications related to cardioversion and in particular all the cases of bradycardia were transient."
    title = "External cardioversion of atrial fibrillation: role of paddle position on technical efficacy"
    assert run(text, paddle_arms(), title) == [("anterolateral", "complication_any", "events", 0.0),
                                               ("anteroposterior", "complication_any", "events", 0.0)]
    # not the title's procedure: the zero is not stated for any one arm
    assert run(text.replace("cardioversion and", "anaesthesia and"), paddle_arms(), title) == []


# ------------------------------------------------------- rules from the abstract benchmark's dev half


def one_arm() -> list[Arm]:
    return [Arm("all", "all")]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("No acute or long-term complications were documented during the follow-up.", [("all", "complication_any", "events", 0.0)]),
        ("Pain fell, in absence of periprocedural complications.", [("all", "complication_any", "events", 0.0)]),
        ("No morbidity was encountered.", [("all", "complication_any", "events", 0.0)]),
        ("No acute radiation toxicity occurred.", [("all", "complication_any", "events", 0.0)]),
        ("No cases had grade ≥3 toxicity.", [("all", "complication_major", "events", 0.0)]),
        ("Complications occurred in 10 patients (40%).", [("all", "complication_any", "events", 10.0), ("all", "complication_any", "percent", 40.0)]),
        ("Extravertebral cement migration was noted in 18 procedures.", [("all", "cement_leakage", "events", 18.0)]),
        ("Pain improved in all 13 patients who were symptomatic prior to treatment.",
         [("all", "responder", "events", 13.0), ("all", "responder", "total", 13.0)]),
        ("Twenty of 25 patients (80%) had reduction in their visual analog pain score.",
         [("all", "responder", "events", 20.0), ("all", "responder", "percent", 80.0), ("all", "responder", "total", 25.0)]),
    ],
)
def test_single_arm_event_statements(text, expected):
    assert run(text, one_arm()) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Grade 3 toxicity was defined by CTCAE version 4.",  # a definition, no count
        "No hepatic toxicity of the study drug occurred.",  # drug toxicity
        "The mean reduction in VAS was 3.2 points.",  # a change score, not responders
        "Patients had no higher morbidity than controls.",  # a comparison
    ],
)
def test_statements_that_are_not_single_arm_events(text):
    assert run(text, one_arm()) == []


def test_responders_are_never_at_baseline():
    ctx = Context("Pain improved in all 13 patients who were symptomatic prior to treatment.", one_arm(), True)
    vals, _ = count_values(ctx, (0, len(ctx.text)), None, timepoint_of(ctx.text))
    assert {v.timepoint for v in vals} == {"post"}


def test_mean_named_before_the_scale_covers_from_x_to_y():
    from extraction.rules import pain_values

    text = "Abstract. The mean visual analog scale score decreased from 8.8 to 4.7 postprocedurally (P < .001)."
    ctx = Context(text, one_arm(), True)
    sa, sb = sentences(text, [], set())[-1]
    got = [(v.field, v.value, v.timepoint) for v in pain_values(ctx, (sa, sb), None, None)]
    assert got == [("mean", 8.8, "baseline"), ("mean", 4.7, "post")]
    # without "mean" the bare numbers are not scores
    text2 = "Abstract. The visual analog scale score decreased from 8.8 to 4.7 postprocedurally."
    ctx2 = Context(text2, one_arm(), True)
    sa, sb = sentences(text2, [], set())[-1]
    assert pain_values(ctx2, (sa, sb), None, None) == []
