"""Harmonisation QA: printed percentages (rounding, two candidate denominators, the per-review
policy) and values outside their scale's range, whatever their origin.

Every expected count and percentage below is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from evidence.conversions import events_from_percent, percent_consistent, printed_decimals
from evidence.harmonize import QA_COLUMNS, Analysis, Settings, harmonize_files, harmonize_tables
from vocab import Vocabulary
from vocab.timepoints import timepoint_key

STUDIES = pd.DataFrame({"study_id": ["p2020", "q2021"], "decision": ["included", "included"]})
ARMS = pd.DataFrame({
    "study_id": ["p2020", "q2021"], "arm_id": ["all", "all"], "label": ["all", "all"],
    "treatment_class": ["ablation", "sacroplasty"],
    "n_patients": [50, 20], "n_lesions": [54, None],
})
RESPONDER = [Analysis("responder", "responder", "proportion", "PLO")]


def values(study: str, outcome: str, label: str, unit: str = "patients", scale: str = "",
           origin: str = "extracted", **fields: object) -> list[dict]:
    key, days = timepoint_key(label)
    return [{"study_id": study, "arm_id": "all", "outcome": outcome, "timepoint": key,
             "timepoint_label": label, "timepoint_days": days, "scale": scale, "unit": unit,
             "field": f, "value": v, "source_file": f"{study}.pdf", "page": 2, "x0": 1, "top": 2,
             "x1": 3, "bottom": 4, "origin": origin} for f, v in fields.items()]


def run(rows: list[dict], policy: str = "never", analyses=RESPONDER, vocabulary=None):
    result = harmonize_tables(STUDIES, ARMS, pd.DataFrame(rows), analyses,
                              Settings(events_from_percent=policy, vocabulary=vocabulary))
    return result.effects.set_index("study_id"), result.qa


def test_rounding_helpers_by_hand() -> None:
    assert [printed_decimals(t) for t in ("11", "10.5", "12.50", " 7 %", 11.0, 10.5)] == [0, 1, 2, 0, 0, 1]
    assert percent_consistent(6, 54, 11, 0)        # 11.11 % rounds to 11
    assert not percent_consistent(6, 50, 11, 0)    # 12.00 %
    assert percent_consistent(1, 8, 12, 0) and percent_consistent(1, 8, 13, 0)  # 12.5 %: either way
    assert not percent_consistent(1, 8, 12.4, 1)   # 12.5 % is not 12.4 % at one decimal
    assert events_from_percent(35, 20, 0) == 7     # 7/20 = 35 %
    assert events_from_percent(11, 54, 0) == 6     # 0.11 x 54 = 5.94 -> 6; 6/54 = 11.1 %
    assert events_from_percent(33, 20, 0) is None  # 6/20 = 30 %, 7/20 = 35 %: none gives 33 %
    assert events_from_percent(33.3, 30, 1) == 10  # 10/30 = 33.33 %
    assert events_from_percent(33.0, 30, 1) is None


def test_policy_never_keeps_a_percentage_out_with_its_reason() -> None:
    effects, qa = run(values("q2021", "responder", "3 months", percent="35"), "never")
    row = effects.loc["q2021"]
    assert not row.include and "events_from_percent: never" in row.exclusion_reason and pd.isna(row.xi)
    assert qa.empty


def test_when_total_printed_back_calculates_only_consistent_rounding() -> None:
    rows = (values("q2021", "responder", "3 months", percent="35", total="20")    # 7/20 = 35 %
            + values("p2020", "responder", "3 months", percent="33", total="20"))  # no k/20 is 33 %
    effects, qa = run(rows, "when_total_printed")
    ok = effects.loc["q2021"]
    assert ok.include and (ok.xi, ok.ni) == (7, 20)
    assert ok.method == "events = round(35 % x 20) = 7, rounding consistent"
    bad = effects.loc["p2020"]
    assert not bad.include and bad.exclusion_reason.startswith("percentage not back-calculated")
    assert list(qa.columns) == list(QA_COLUMNS)
    item = qa.set_index("study_id").loc["p2020"]
    assert item.issue == "percent_not_back_calculated" and item.chosen == "none" and item.percent == "33"


def test_back_calculation_from_the_arm_size_of_the_value_unit() -> None:
    # no printed total: the arm's n in the value's unit; 11 % of 54 lesions -> 6 (6/54 = 11.1 %)
    effects, _ = run(values("p2020", "responder", "3 months", unit="lesions", percent="11"), "when_total_printed")
    row = effects.loc["p2020"]
    assert row.include and (row.xi, row.ni, row.unit) == (6, 54, "lesions")
    assert "arm n (lesions)" in row.method


def test_events_with_percent_choose_the_denominator_that_matches() -> None:
    # "6 patients (11 %)", arm of 50 patients and 54 lesions: 6/50 = 12 %, 6/54 = 11.1 % -> 54
    effects, qa = run(values("p2020", "responder", "3 months", events="6", percent="11"))
    row = effects.loc["p2020"]
    assert row.include and (row.xi, row.ni, row.unit) == (6, 54, "lesions")
    assert "chosen by the printed percentage" in row.method
    item = qa.iloc[0]
    assert item.issue == "denominator_chosen_by_percent" and item.chosen == "n_lesions"
    assert (item.n_patients, item.percent_of_n_patients) == (50, 12.0)
    assert (item.n_lesions, item.percent_of_n_lesions) == (54, pytest.approx(11.1111, abs=1e-4))
    assert "6/54" in item.why and "not 6/50" in item.why


def test_consistent_events_and_percent_raise_no_qa_and_keep_the_unit() -> None:
    # 6/50 = 12 %: the value's own unit matches; nothing to flag
    effects, qa = run(values("p2020", "responder", "3 months", events="6", percent="12"))
    assert (effects.loc["p2020"].ni, effects.loc["p2020"].unit) == (50, "patients") and qa.empty


def test_printed_total_disagreeing_with_the_percentage_is_flagged_not_replaced() -> None:
    # 6/50 = 12 % printed as 20 %: neither arm size gives 20 % either; the printed total is kept
    effects, qa = run(values("p2020", "responder", "3 months", events="6", total="50", percent="20"))
    row = effects.loc["p2020"]
    assert row.include and (row.xi, row.ni) == (6, 50) and "disagrees" in row.method
    item = qa.iloc[0]
    assert item.issue == "percent_disagrees" and item.chosen == "total"
    assert (item.total, item.percent_of_total) == (50, 12.0)
    assert (item.percent_of_n_patients, item.percent_of_n_lesions) == (12.0, pytest.approx(11.1111, abs=1e-4))


def test_printed_decimals_decide_consistency() -> None:
    # 9/54 = 16.67 %: "16.7" is consistent, "16.0" (printed with one decimal) is not
    good, qa_good = run(values("p2020", "responder", "3 months", unit="lesions", events="9", percent="16.7"))
    bad, qa_bad = run(values("p2020", "responder", "3 months", unit="lesions", events="9", percent="16.0"))
    assert qa_good.empty and good.loc["p2020"].ni == 54
    assert list(qa_bad.issue) == ["percent_disagrees"]


VOCABULARY = Vocabulary.from_config({
    "treatment_classes": [{"code": "ablation"}, {"code": "sacroplasty"}],
    "outcomes": [{"code": "pain", "kind": "continuous", "scales": ["VAS10", "VAS100"], "common_scale": [0, 10]},
                 {"code": "responder", "kind": "events"}],
    "scales": [{"code": "VAS10", "min": 0, "max": 10}, {"code": "VAS100", "min": 0, "max": 100}],
})
PAIN = [Analysis("pain_last", "pain", "last", "MN")]


@pytest.mark.parametrize("origin", ["extracted", "manual", "corrected"])
def test_value_outside_its_scale_is_refused_with_a_qa_row(origin: str) -> None:
    rows = (values("q2021", "pain", "1 month", scale="VAS10", mean=3.1, sd=1.0)
            + values("q2021", "pain", "6 months", scale="VAS10", origin=origin, mean=72.4, sd=12.0))
    effects, qa = run(rows, analyses=PAIN, vocabulary=VOCABULARY)
    row = effects.loc["q2021"]
    # refused, not replaced by the earlier time point
    assert not row.include and row.timepoint == "m6" and pd.isna(row.mi)
    assert "refused: mean '72.4' on scale VAS10" in row.exclusion_reason
    assert list(zip(qa.issue, qa.field, qa.value)) == [("out_of_range", "mean", 72.4), ("out_of_range", "sd", 12.0)]
    assert set(qa.origin) == {origin} and "[0, 10] on scale VAS10" in qa.expected.iloc[0]


def test_the_same_value_on_a_0_100_scale_is_rescaled() -> None:
    effects, qa = run(values("q2021", "pain", "6 months", scale="VAS100", mean=72.4, sd=12.0),
                      analyses=PAIN, vocabulary=VOCABULARY)
    row = effects.loc["q2021"]
    assert row.include and (row.mi, row.sdi) == pytest.approx((7.24, 1.2)) and qa.empty
    assert row.method == "reported+rescaled_100_to_10"


def test_scale_outside_the_review_vocabulary_is_refused() -> None:
    effects, qa = run(values("q2021", "pain", "6 months", scale="NRS", mean=4, sd=1),
                      analyses=PAIN, vocabulary=VOCABULARY)
    assert not effects.loc["q2021"].include and list(qa.issue) == ["unknown_scale"]
    assert "not in the review's vocabulary" in qa.expected.iloc[0]


def test_harmonize_files_writes_the_qa_table(tmp_path) -> None:
    tables = tmp_path / "tables"
    tables.mkdir()
    STUDIES.to_csv(tables / "studies.tsv", sep="\t", index=False)
    ARMS.to_csv(tables / "arms.tsv", sep="\t", index=False)
    pd.DataFrame(values("p2020", "responder", "3 months", events="6", percent="11")
                 + values("q2021", "responder", "3 months", percent="35.0", total="20")).to_csv(
        tables / "outcomes.tsv", sep="\t", index=False)
    config = {"analyses": {"responder": {"outcome": "responder", "kind": "proportion", "measure": "PLO"}},
              "harmonize": {"events_from_percent": "when_total_printed"}}
    result = harmonize_files(tables, config, tmp_path / "harmonized" / "effects.tsv")
    qa = pd.read_csv(tmp_path / "harmonized" / "qa.tsv", sep="\t")
    assert list(qa.columns) == list(QA_COLUMNS) and list(qa.issue) == ["denominator_chosen_by_percent"]
    # "35.0" printed with one decimal: 7/20 = 35.0 % still consistent
    assert result.effects.set_index("study_id").loc["q2021"].xi == 7
    with pytest.raises(ValueError, match="events_from_percent 'always'"):
        harmonize_files(tables, {**config, "harmonize": {"events_from_percent": "always"}}, tmp_path / "x.tsv")
