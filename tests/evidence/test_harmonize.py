"""Harmonisation: scales, medians, change from baseline, counts; every exclusion has a reason.

Expected conversions are computed here from the published formulas (Wan et al. 2014, BMC Med Res
Methodol 14:135, eq. 16 for the SD from the IQR; Luo et al. 2018, Stat Methods Med Res 27:1785,
eq. 15 for the mean from the median and IQR), independently of ``evidence.conversions``.
"""

from __future__ import annotations

import pandas as pd
import pytest
from scipy.stats import norm

from evidence.harmonize import Analysis, Settings, harmonize
from evidence.vocabulary import timepoint_key

STUDIES = pd.DataFrame({
    "study_id": ["a2020", "b2021", "c2022"],
    "decision": ["included", "included", "excluded"],
    "citation": ["A", "B", "C"],
})
ARMS = pd.DataFrame({
    "study_id": ["a2020", "b2021", "b2021", "c2022"],
    "arm_id": ["all", "x", "y", "all"],
    "label": ["RFA", "PSP + RFA", "PSP", "ERT"],
    "treatment_class": ["ablation", "ablation+sacroplasty", "sacroplasty", "ert"],
    "n_patients": [11, 20, 30, 40],
    "n_lesions": [16, 25, 35, None],
})


def outcome_rows(study: str, arm: str, outcome: str, label: str, scale: str, unit: str,
                 **fields: float) -> list[dict]:
    key, days = timepoint_key(label)
    return [{"study_id": study, "arm_id": arm, "outcome": outcome, "timepoint": key,
             "timepoint_label": label, "timepoint_days": days, "scale": scale, "unit": unit,
             "field": f, "value": v, "source_file": f"{study}.pdf", "page": 3, "x0": 1, "top": 2,
             "x1": 3, "bottom": 4, "excerpt": "...", "origin": "extracted"} for f, v in fields.items()]


OUTCOMES = pd.DataFrame(
    outcome_rows("a2020", "all", "pain", "baseline", "NRS", "patients", median=8, q1=6, q3=9.25)
    + outcome_rows("a2020", "all", "pain", "1 month", "NRS", "patients", median=3, q1=1.75, q3=6.3)
    + outcome_rows("b2021", "x", "pain", "baseline", "VAS100", "patients", mean=74, sd=15)
    + outcome_rows("b2021", "x", "pain", "3 months", "VAS100", "patients", mean=20, sd=10)
    + outcome_rows("b2021", "y", "pain", "baseline", "VAS10", "patients", mean=7.5)
    + outcome_rows("b2021", "y", "pain", "3 months", "VAS10", "patients", mean=3.0)
    + outcome_rows("b2021", "x", "complication_minor", "procedural", "", "patients", events=2, total=20)
    + outcome_rows("b2021", "x", "complication_major", "procedural", "", "patients", events=1, total=20)
    + outcome_rows("b2021", "y", "cement_leakage", "procedural", "", "lesions", events=4)
    + outcome_rows("a2020", "all", "responder", "1 month", "", "patients", percent=80)
    + outcome_rows("c2022", "all", "complication_any", "procedural", "", "patients", events=1, total=40)
)

ANALYSES = [
    Analysis("pain_last", "pain", "last", "MN"),
    Analysis("pain_change", "pain", "change", "MC"),
    Analysis("complication_any", "complication_any", "proportion", "PLO"),
    Analysis("cement_leakage", "cement_leakage", "proportion", "PLO"),
    Analysis("responder", "responder", "proportion", "PLO"),
]


@pytest.fixture(scope="module")
def effects() -> pd.DataFrame:
    return harmonize(STUDIES, ARMS, OUTCOMES, ANALYSES, Settings(pre_post_r=0.6))


def row(effects: pd.DataFrame, analysis: str, study: str, arm: str) -> pd.Series:
    rows = effects[(effects.analysis == analysis) & (effects.study_id == study) & (effects.arm_id == arm)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_median_iqr_converted_with_published_formulas(effects: pd.DataFrame) -> None:
    n = 11
    w = 0.7 + 0.39 / n
    mean = w * (1.75 + 6.3) / 2 + (1 - w) * 3
    sd = (6.3 - 1.75) / (2 * norm.ppf((0.75 * n - 0.125) / (n + 0.25)))
    got = row(effects, "pain_last", "a2020", "all")
    assert got.mi == pytest.approx(mean, rel=1e-9) and got.sdi == pytest.approx(sd, rel=1e-9)
    assert got.ni == n and got.timepoint == "m1" and got.include


def test_vas100_rescaled_and_change_uses_assumed_r(effects: pd.DataFrame) -> None:
    got = row(effects, "pain_change", "b2021", "x")
    assert (got.m1i, got.m2i, got.sd1i, got.sd2i) == pytest.approx((2.0, 7.4, 1.0, 1.5))
    assert got.ri == 0.6 and "rescaled_100_to_10" in got.method and "b2021.pdf p.3" in got.provenance


def test_mean_without_spread_is_kept_but_excluded_with_reason(effects: pd.DataFrame) -> None:
    got = row(effects, "pain_last", "b2021", "y")
    assert not got.include and "without SD" in got.exclusion_reason


def test_any_complication_from_minor_plus_major(effects: pd.DataFrame) -> None:
    got = row(effects, "complication_any", "b2021", "x")
    assert (got.xi, got.ni) == (3, 20) and "minor + major" in got.method


def test_missing_total_taken_from_arm_in_the_right_unit(effects: pd.DataFrame) -> None:
    got = row(effects, "cement_leakage", "b2021", "y")
    assert (got.xi, got.ni, got.unit) == (4, 35, "lesions") and "lesions" in got.method


def test_percent_without_count_is_excluded_and_excluded_study_absent(effects: pd.DataFrame) -> None:
    got = row(effects, "responder", "a2020", "all")
    assert not got.include and got.exclusion_reason.startswith("percentage without a count (harmonize.events_from_percent: never)")
    assert "c2022" not in set(effects.study_id)


def test_slab_names_arm_only_when_study_has_several(effects: pd.DataFrame) -> None:
    pain = effects[effects.analysis == "pain_last"].set_index(["study_id", "arm_id"]).slab
    assert pain[("a2020", "all")] == "A 2020"
    assert pain[("b2021", "x")] == "B 2021 (PSP + RFA)"


def test_subgroup_arms_of_one_class_are_not_pooled_twice() -> None:
    arms = pd.DataFrame({"study_id": ["a2020"] * 3, "arm_id": ["all", "palliative", "curative"],
                         "label": ["all", "palliative", "curative"],
                         "treatment_class": ["ablation"] * 3, "n_patients": [23, 16, 7],
                         "n_lesions": [23, 16, 7]})
    outcomes = pd.DataFrame(
        outcome_rows("a2020", "all", "complication_any", "procedural", "", "patients", events=5, total=23)
        + outcome_rows("a2020", "palliative", "complication_any", "procedural", "", "patients", events=4, total=16)
        + outcome_rows("a2020", "curative", "complication_any", "procedural", "", "patients", events=1, total=7))
    effects = harmonize(STUDIES, arms, outcomes, [ANALYSES[2]])
    kept = effects[effects.include]
    assert list(zip(kept.arm_id, kept.xi, kept.ni)) == [("all", 5, 23)]
    assert effects[~effects.include].exclusion_reason.str.startswith("overlaps arm 'all'").all()


def test_arms_all_keeps_every_arm_of_a_class() -> None:
    from evidence.harmonize import select_arms

    rows = [dict(study_id="s", treatment_class="rfa", arm_id=a, ni=n, include=True)
            for a, n in (("all", 40), ("sub", 15))]
    kept = [dict(r) for r in rows]
    select_arms(kept, "all")
    assert all(r["include"] for r in kept)
    select_arms(rows, "largest")
    assert [r["include"] for r in rows] == [True, False]
    with pytest.raises(ValueError, match="arms 'some'"):
        Analysis.from_config("a", {"outcome": "pain", "kind": "last", "measure": "MN",
                                   "arms": "some"})
    assert Analysis.from_config("a", {"outcome": "pain", "kind": "last", "measure": "MN",
                                      "arms": "all"}).arms == "all"
