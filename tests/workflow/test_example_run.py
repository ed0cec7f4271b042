"""Runs the whole workflow for real on the bundled example, in a temporary directory.

The expected values are the numbers printed in the two primary-study papers (Cazzato et al.,
Diagn Interv Imaging 2021;102:355-361; Tian et al., AJNR 2022;43:1222-1227), not our own output.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

REQUIRED_ANALYSES = ("pain_last", "pain_change", "complication_any", "complication_major",
                     "local_recurrence", "cement_leakage")

pytestmark = [pytest.mark.workflow, pytest.mark.slow]


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory, new_review, snakemake_run) -> Path:
    work = new_review(tmp_path_factory.mktemp("sacral"))
    snakemake_run(work)
    snakemake_run(work, "--report", str(work / "results" / "report.html"))
    return work


def read(review: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(review / "results" / name, sep="\t", dtype={"study_id": str, "arm_id": str})


def values(outcomes: pd.DataFrame, study: str, outcome: str, timepoint: str | None = None,
           arm: str | None = None) -> dict[str, float]:
    rows = outcomes[(outcomes.study_id == study) & (outcomes.outcome == outcome)]
    if timepoint:
        rows = rows[rows.timepoint == timepoint]
    if arm:
        rows = rows[rows.arm_id == arm]
    assert not rows.empty, f"no {outcome} at {timepoint} for {study}/{arm}"
    extracted = rows[rows.origin == "extracted"]
    assert extracted["page"].notna().all() and extracted["excerpt"].fillna("").str.len().gt(0).all()
    curated = rows[rows.origin != "extracted"]  # added by a curator: who and why instead of a box
    assert curated.curator.notna().all() and curated.reason.notna().all()
    return {f: float(v) for f, v in zip(rows.field, rows.value)}


def arm_for(arms: pd.DataFrame, study: str, n_patients: int) -> str:
    rows = arms[(arms.study_id == study) & (arms.n_patients == n_patients)]
    assert len(rows) == 1, arms[arms.study_id == study]
    return rows.arm_id.iloc[0]


def test_screening_decisions(review: Path) -> None:
    studies = read(review, "tables/studies.tsv").set_index("study_id")
    extracted = studies[studies.source_file.fillna("").str.endswith(".pdf")]
    assert set(extracted.index[extracted.decision == "included"]) == {"cazzato2021", "tian2022"}
    abstract = extracted[extracted.source_file == "cazzato2021_sacral_ablation_abstract.pdf"]
    assert abstract.decision.iloc[0] == "excluded" and abstract.duplicate_of.iloc[0] == "cazzato2021"
    reviews = extracted[extracted.document_type == "review"]
    assert set(reviews.source_file) == {"ahmed2019_extraspinal_ablation_review.pdf",
                                        "cementoplasty_cryoablation_review.pdf"}
    assert (reviews.decision == "excluded").all() and reviews.reason.str.contains("review").all()


def test_cazzato_values_match_the_paper(review: Path) -> None:
    outcomes = read(review, "tables/outcomes.tsv")
    base = values(outcomes, "cazzato2021", "pain", "baseline")
    last = values(outcomes, "cazzato2021", "pain", "last")
    assert (base["mean"], base["sd"]) == (5, 1) and (last["mean"], last["sd"]) == (2, 2)
    minor = values(outcomes, "cazzato2021", "complication_minor")
    assert (minor["events"], minor["total"]) == (5, 23)
    recurrence = values(outcomes, "cazzato2021", "local_recurrence")
    assert (recurrence["events"], recurrence["total"]) == (3, 7)


def test_tian_values_match_the_paper(review: Path) -> None:
    outcomes, arms = read(review, "tables/outcomes.tsv"), read(review, "tables/arms.tsv")
    group_a, group_b = arm_for(arms, "tian2022", 51), arm_for(arms, "tian2022", 75)
    for arm, before, after in ((group_a, (7.43, 1.56), (2.25, 1.35)),
                               (group_b, (7.45, 1.61), (3.02, 1.55))):
        pain = values(outcomes, "tian2022", "pain", "baseline", arm)
        assert (pain["mean"], pain["sd"]) == before
        pain = values(outcomes, "tian2022", "pain", "d1", arm)
        assert (pain["mean"], pain["sd"]) == after
    for arm, counts in ((group_a, (10, 58)), (group_b, (20, 104))):
        leak = values(outcomes, "tian2022", "cement_leakage", arm=arm)
        assert (leak["events"], leak["total"]) == counts
        unit = outcomes[(outcomes.study_id == "tian2022") & (outcomes.arm_id == arm)
                        & (outcomes.outcome == "cement_leakage")].unit
        assert set(unit) == {"lesions"}


def test_manual_entries_carry_their_source(review: Path) -> None:
    outcomes = read(review, "tables/outcomes.tsv")
    manual = outcomes[outcomes.origin == "manual"]
    assert manual.source_address.str.startswith("http").all()
    assert {"madaelil2016", "kortman2013", "gerszten2003", "du2016"} <= set(manual.study_id)


def test_pooled_rows_are_present_and_finite(review: Path) -> None:
    for analysis in REQUIRED_ANALYSES:
        pooled = read(review, f"pooled/{analysis}.tsv")
        studies = pooled[pooled.row_type == "study"]
        overall = pooled[pooled.row_type == "overall"]
        assert len(studies) >= 2, analysis
        assert len(overall) == 1 and all(math.isfinite(overall[c].iloc[0])
                                         for c in ("estimate", "ci_lb", "ci_ub")), analysis
    classes = set(read(review, "pooled/pain_last.tsv").query("row_type == 'subgroup'").group)
    assert {"ablation", "sacroplasty", "ablation+sacroplasty", "surgery"} <= classes
    leakage = read(review, "pooled/cement_leakage.tsv").query("row_type == 'study'")
    assert {(10, 58), (20, 104)} <= set(zip(leakage.events, leakage.total))


def test_figures_and_report_written(review: Path) -> None:
    for analysis in REQUIRED_ANALYSES:
        for ext in ("svg", "pdf", "png"):
            path = review / "results" / "figures" / f"forest_{analysis}.{ext}"
            assert path.stat().st_size > 1000, path
    assert (review / "results" / "figures" / "prisma.png").stat().st_size > 1000
    assert (review / "results" / "report.html").stat().st_size > 10000


@pytest.mark.parametrize(("analysis", "scale", "digits"),
                         [("pain_last", 1, 2), ("cement_leakage", 100, 1), ("complication_any", 100, 1)])
def test_forest_plot_numbers_equal_the_pooled_table(review: Path, analysis: str, scale: int,
                                                    digits: int) -> None:
    """Every study, subgroup and overall estimate [CI] of the table is printed on the plot."""
    import pdfplumber

    pooled = read(review, f"pooled/{analysis}.tsv")
    with pdfplumber.open(review / "results" / "figures" / f"forest_{analysis}.pdf") as pdf:
        text = "".join("".join((page.extract_text() or "").split()) for page in pdf.pages)
    rows = pooled[pooled.row_type.isin(["study", "subgroup", "overall"])]
    assert len(rows) >= 4
    for _, r in rows.iterrows():
        printed = (f"{r.estimate_bt * scale:.{digits}f}[{r.ci_lb_bt * scale:.{digits}f},"
                   f"{r.ci_ub_bt * scale:.{digits}f}]").replace("-", "\N{MINUS SIGN}")
        assert printed in text, (analysis, r.row_type, r.slab, printed)


def test_appraisal_outputs(review: Path) -> None:
    """Risk-of-bias figures, forest plots with RoB columns, GRADE in the summary of findings,
    and every author-facing figure in SVG, PDF and PNG (checked from the outputs)."""
    import csv
    import re

    figures = review / "results" / "figures"
    for stem in ["rob_traffic_light", "rob_summary"] + [f"{kind}_{a}" for a in REQUIRED_ANALYSES
                                                         for kind in ("funnel", "leave_one_out", "cumulative", "forest")]:
        for ext in ("svg", "pdf", "png"):
            assert (figures / f"{stem}.{ext}").stat().st_size > 0, f"{stem}.{ext}"
    # one disc per judgement of the assessment file, in the traffic-light plot
    with open(Path(__file__).resolve().parents[2] / "examples" / "sacral" / "risk_of_bias.csv", newline="") as f:
        judged = list(csv.DictReader(f))
    svg = (figures / "rob_traffic_light.svg").read_text()
    assert len(re.findall(r'id="judgement-(?:low|some|high|none)', svg)) == len(judged)
    # the forest plot of pain at last follow-up carries a RoB disc for each study row
    pooled = read(review, "pooled/pain_last.tsv")
    studies = pooled[pooled.row_type == "study"]
    forest = (figures / "forest_pain_last.svg").read_text()
    assert len(re.findall(r'id="rob-rob_overall-(?:low|some|high|none)', forest)) == len(studies)
    # high-risk studies per the file are drawn high
    high = {r["study_id"] for r in judged if r["domain"] == "overall" and r["judgement"] in ("high", "serious", "critical")}
    assert len(re.findall(r'id="rob-rob_overall-high', forest)) == int(studies.study_id.isin(high).sum())
    # GRADE: five domains and a certainty per estimate; SoF shows that certainty
    grade = read(review, "tables/grade.tsv")
    certainty = grade[grade.domain == "certainty"].set_index(["analysis", "group"])["judgement"]
    assert (grade.groupby(["analysis", "group"]).size() == 6).all()
    assert set(certainty) <= {"high", "moderate", "low", "very low"}
    sof = pd.read_csv(review / "results" / "tables" / "summary_of_findings.csv")
    for _, row in sof.iterrows():
        assert row["certainty"] == certainty[(row["analysis"], row["group"])]
    assert "Certainty (GRADE)" in (review / "results" / "tables" / "summary_of_findings.md").read_text()
    # the reviewer's indirectness judgements are used, not the rule's suggestion
    ind = grade[(grade.domain == "indirectness") & (grade.group == "overall")]
    assert (ind.judgement == "very serious").all() and (ind.source == "reviewer").all()
    # the sensitivity analysis without high-risk studies drops exactly those studies
    summary = __import__("json").loads((review / "results" / "sensitivity" / "pain_last.json").read_text())
    assert summary["without_high_risk"]["excluded"] == sorted(set(studies.study_id) & high)
    assert summary["without_high_risk"]["k"] == int((~studies.study_id.isin(high)).sum())
    report = (review / "results" / "report.html").read_text(errors="ignore")
    assert "Risk of bias" in report and "grade.tsv" in report


def test_glmm_analysis_is_pooled_by_the_glmm(review: Path) -> None:
    """``model: glmm`` in the config reaches the pooling: the overall row is the random-effects
    logistic regression of the harmonised events and totals (checked against metafor's
    rma.glmm in tests/evidence), not an rma on logit proportions, and its forest plot is drawn."""
    from evidence.glmm import fit_glmm

    effects = read(review, "harmonized/effects.tsv")
    rows = effects[(effects.analysis == "complication_any_glmm")
                   & effects.include.astype(str).str.lower().eq("true")]
    assert len(rows) >= 2
    fit = fit_glmm(rows.xi.to_numpy(float), rows.ni.to_numpy(float), test="t")
    overall = read(review, "pooled/complication_any_glmm.tsv").query("row_type == 'overall'")
    assert overall.estimate.iloc[0] == pytest.approx(fit.estimate, rel=1e-6)
    assert overall.ci_lb.iloc[0] == pytest.approx(fit.ci_lb, rel=1e-6)
    rma = read(review, "pooled/complication_any.tsv").query("row_type == 'overall'")
    assert overall.estimate.iloc[0] != pytest.approx(rma.estimate.iloc[0], rel=1e-6)
    for ext in ("svg", "pdf", "png"):
        assert (review / "results" / "figures" / f"forest_complication_any_glmm.{ext}").stat().st_size > 0
