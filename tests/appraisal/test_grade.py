"""GRADE: each domain's rule, the reviewer's judgements winning, and the certainty arithmetic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evidence.appraisal.grade import certainty_of, grade, read_judgements
from evidence.curation.errors import CurationError
from evidence.sensitivity import cumulative_by_year, sensitivity
from evidence.models import fit_rma


def pooled(i2: float, k: int, ci=(0.2, 0.3), group="a", measure="PLO", weights=None) -> pd.DataFrame:
    """A pooled table with k study rows in one group, its subgroup row and the overall row."""
    weights = weights or [100 / k] * k
    rows = [{"row_type": "study", "group": group, "study_id": f"s{j}", "weight": w, "weight_overall": w,
             "k": np.nan} for j, w in enumerate(weights)]
    summary = {"k": k, "i2": i2, "ci_lb_bt": ci[0], "ci_ub_bt": ci[1], "pi_lb_bt": 0.1, "pi_ub_bt": 0.4}
    rows.append({"row_type": "subgroup", "group": group, **summary})
    rows.append({"row_type": "overall", "group": None, **summary})
    table = pd.DataFrame(rows)
    table["measure"] = measure
    return table


NO_JUDGEMENTS = pd.DataFrame(columns=["analysis", "group", "domain", "judgement", "reason"])


def one(table: pd.DataFrame, group: str, domain: str) -> pd.Series:
    return table[(table.group == group) & (table.domain == domain)].iloc[0]


@pytest.mark.parametrize("i2, expected", [(30, "not serious"), (50, "serious"), (74.9, "serious"), (75, "very serious")])
def test_inconsistency_follows_i2(i2, expected):
    t = grade({"x": pooled(i2, 3)}, designs={}, assessments_high_risk=set(), judgements=NO_JUDGEMENTS)
    assert one(t, "a", "inconsistency").judgement == expected


def test_risk_of_bias_by_weight_share():
    table = pooled(0, 3, weights=[60, 30, 10])
    t = grade({"x": table}, designs={}, assessments_high_risk={"s0"}, judgements=NO_JUDGEMENTS)
    assert one(t, "a", "risk_of_bias").judgement == "serious"
    assert "60.0% of the weight" in one(t, "a", "risk_of_bias").informed_by
    t = grade({"x": table}, designs={}, assessments_high_risk={"s1", "s2"}, judgements=NO_JUDGEMENTS)
    assert one(t, "a", "risk_of_bias").judgement == "not serious"


def test_imprecision_against_the_threshold_in_printed_units():
    # a proportion CI 20% to 30% is 10 percentage points wide
    for width, expected in ((12, "not serious"), (8, "serious"), (4.9, "very serious")):
        t = grade({"x": pooled(0, 3)}, designs={}, assessments_high_risk=None, judgements=NO_JUDGEMENTS,
                  imprecision_width={"x": width})
        assert one(t, "a", "imprecision").judgement == expected, width


def test_certainty_arithmetic_and_reviewer_judgements(tmp_path):
    # randomised studies start high; serious inconsistency (-1) and a reviewer's very serious
    # indirectness for group a (-2) leave "very low"; the overall row has only the -1
    path = tmp_path / "grade.csv"
    path.write_text("analysis,group,domain,judgement,reason\nx,a,indirectness,very serious,other population\n"
                    "x,,indirectness,not serious,as planned\n")
    judgements = read_judgements(path, {"x"})
    designs = {f"s{j}": "randomised controlled trial" for j in range(3)}
    t = grade({"x": pooled(60, 3)}, designs=designs, assessments_high_risk=set(), judgements=judgements)
    c = certainty_of(t)
    assert c[("x", "a")] == "very low" and c[("x", "overall")] == "moderate"
    assert one(t, "a", "indirectness").source == "reviewer" and one(t, "overall", "indirectness").reason == "as planned"
    # observational evidence starts low: the same downgrade of 1 gives very low
    t = grade({"x": pooled(60, 3)}, designs={}, assessments_high_risk=set(), judgements=judgements)
    assert certainty_of(t)[("x", "overall")] == "very low"


def test_publication_bias_needs_ten_studies():
    t = grade({"x": pooled(0, 12)}, designs={}, assessments_high_risk=set(), judgements=NO_JUDGEMENTS,
              sensitivity={"x": {"egger": {"pval": 0.03}}})
    assert one(t, "overall", "publication_bias").judgement == "serious"
    t = grade({"x": pooled(0, 5)}, designs={}, assessments_high_risk=set(), judgements=NO_JUDGEMENTS,
              sensitivity={"x": {"egger": {"pval": 0.03}}})
    assert one(t, "overall", "publication_bias").judgement == "not serious"
    assert "small-study tests not run" in one(t, "overall", "publication_bias").informed_by


def test_invalid_judgements_name_file_line_and_column(tmp_path):
    path = tmp_path / "grade.csv"
    path.write_text("analysis,group,domain,judgement,reason\nx,,imprecision,serius,wide\ny,,bias,serious,why\n")
    with pytest.raises(CurationError) as err:
        read_judgements(path, {"x"})
    text = str(err.value)
    assert f"{path}:2: column 'judgement': got 'serius'" in text
    assert f"{path}:3: column 'analysis': got 'y'" in text and f"{path}:3: column 'domain': got 'bias'" in text


def _study_table(yi, vi, ids):
    rows = [{"row_type": "study", "study_id": i, "slab": i, "yi": y, "vi": v, "measure": "MN", "analysis": "x"}
            for i, y, v in zip(ids, yi, vi)]
    return pd.DataFrame(rows)


def test_sensitivity_without_high_risk_refits_on_the_rest():
    yi, vi, ids = [1.0, 2.0, 1.5, 3.0, 2.2], [0.1, 0.2, 0.15, 0.3, 0.12], ["a", "b", "c", "d", "e"]
    summary, _ = sensitivity(_study_table(yi, vi, ids), high_risk={"b", "d"})
    kept = summary["without_high_risk"]
    alone = fit_rma(np.array([1.0, 1.5, 2.2]), np.array([0.1, 0.15, 0.12]), method="REML", test="knha")
    assert kept["excluded"] == ["b", "d"] and kept["k"] == 3
    assert kept["estimate"] == pytest.approx(alone.estimate, rel=1e-12)
    assert kept["ci_lb"] == pytest.approx(alone.ci_lb, rel=1e-12)


def test_cumulative_by_year_adds_studies_in_publication_order():
    yi, vi, ids = [1.0, 2.0, 1.5], [0.1, 0.2, 0.15], ["late", "early", "middle"]
    table = cumulative_by_year(_study_table(yi, vi, ids), {"late": 2020, "early": 2001, "middle": 2010})
    assert list(table.slab) == ["early", "middle", "late"] and list(table.year) == [2001, 2010, 2020]
    assert table.estimate.iloc[0] == pytest.approx(2.0)  # the first step is the earliest study alone
    whole = fit_rma(np.array(yi), np.array(vi), method="REML", test="knha")
    assert table.estimate.iloc[-1] == pytest.approx(whole.estimate, rel=1e-10)
    assert table.ci_ub.iloc[-1] == pytest.approx(whole.ci_ub, rel=1e-10)


def test_percent_measures_agree_with_the_engine() -> None:
    """grade spells the engine's proportion measures out (so grading needs no scipy.stats)."""
    from evidence.appraisal.grade import PERCENT_MEASURES
    from evidence.pooling import PROPORTIONS
    from figures.formatting import measure_info

    assert PERCENT_MEASURES == PROPORTIONS
    assert {m for m in ("PR", "PLO", "PAS", "PFT", "OR", "RR", "MN", "MD") if measure_info(m).factor == 100} == set(PROPORTIONS)
