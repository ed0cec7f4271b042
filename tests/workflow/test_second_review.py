"""A second review with its own vocabulary runs alone, beside the bundled example, and nothing of
the example leaks into it.

The review (vertebral augmentation vs radiotherapy for painful spinal metastases) is written here
in a temporary folder outside the checkout: its own treatment classes, the Brief Pain Inventory as
its scale, an outcome the example does not have (new vertebral fracture), its own models (DL, z),
five studies entered by hand and one real PDF (a study of another population, which its curator
excludes with ``srtk curate set``). The expected pooled numbers are computed here with numpy from
the hand-written values (DerSimonian-Laird, z tests), not read from the workflow's output.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from evidence.curation.schemas import CORRECTION_OPTIONAL, CORRECTION_REQUIRED, MANUAL_OPTIONAL, MANUAL_REQUIRED

pytestmark = [pytest.mark.workflow, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sacral"
REAL_PDF = ROOT / "tests" / "data" / "pdfs" / "real" / "caviggioli_2016_fatgraft_pain_vas.pdf"

CONFIG = {
    "review": {"title": "Vertebral augmentation vs radiotherapy for painful spinal metastases"},
    "vocabulary": {
        "treatment_classes": [
            {"code": "vertebroplasty", "label": "Vertebroplasty", "keywords": ["vertebroplasty", "PVP"]},
            {"code": "kyphoplasty", "label": "Balloon kyphoplasty", "keywords": ["kyphoplasty", "BKP"]},
            {"code": "radiotherapy", "label": "Radiotherapy", "keywords": ["radiotherapy", "SBRT"]},
        ],
        "outcomes": [
            {"code": "pain", "label": "Worst pain (BPI)", "kind": "continuous", "synonyms": ["BPI", "worst pain"],
             "scales": ["BPI"], "common_scale": [0, 10]},
            {"code": "new_fracture", "label": "New vertebral fracture", "kind": "events",
             "synonyms": ["new vertebral fracture", "adjacent fracture"]},
        ],
        "scales": [{"code": "BPI", "label": "Brief Pain Inventory, worst pain (0-10)", "min": 0, "max": 10,
                    "synonyms": ["BPI"]}],
    },
    "analyses": {
        "bpi_last": {"outcome": "pain", "kind": "last", "measure": "MN", "title": "Worst pain (BPI) at last follow-up"},
        "new_fracture": {"outcome": "new_fracture", "kind": "proportion", "measure": "PLO",
                         "title": "New vertebral fracture"},
    },
    "models": {"method": "DL", "test": "z"},
}

# study -> arms: (arm_id, class, n, BPI baseline (mean, sd), BPI follow-up (label, mean, sd), fractures)
STUDIES = {
    "aalto2017": [("all", "vertebroplasty", 30, (7.4, 1.5), ("6 months", 3.2, 1.9), 3)],
    "berg2018": [("all", "kyphoplasty", 42, (7.9, 1.2), ("3 months", 2.8, 2.2), 5)],
    "chen2019": [("bkp", "kyphoplasty", 25, (7.1, 1.8), ("6 months", 3.5, 2.0), 2),
                 ("rt", "radiotherapy", 24, (7.0, 1.6), ("6 months", 4.6, 2.3), 6)],
    "dahl2020": [("all", "radiotherapy", 50, (6.8, 2.0), ("12 months", 4.1, 2.5), 9)],
    "endo2021": [("all", "vertebroplasty", 18, (8.1, 1.1), ("12 months", 2.5, 1.6), 1)],
}
CORRECTED_EVENTS = ("berg2018", "all", 4)  # the review's own correction: 5 -> 4 new fractures


def manual_rows() -> list[dict[str, str]]:
    rows = []
    for study, arms in STUDIES.items():
        for arm, klass, n, (b_mean, b_sd), (label, f_mean, f_sd), fractures in arms:
            base = {"study_id": study, "citation": f"{study[:-4].title()} X, et al. Hand-written test study. {study[-4:]}",
                    "doi": "", "design": "cohort", "arm_id": arm, "arm_label": f"{klass} arm", "treatment_class": klass,
                    "n_patients": str(n), "n_lesions": "", "curator": "spine-curator", "date": "2026-11-30",
                    "reason": "entered from the abstract", "include": "yes", "exclusion_reason": "",
                    "document_type": "abstract", "year": study[-4:]}
            values = [("pain", "baseline", "BPI", "mean", b_mean), ("pain", "baseline", "BPI", "sd", b_sd),
                      ("pain", label, "BPI", "mean", f_mean), ("pain", label, "BPI", "sd", f_sd),
                      ("new_fracture", label, "", "events", fractures), ("new_fracture", label, "", "total", n)]
            for outcome, timepoint, scale, field, value in values:
                rows.append({**base, "outcome": outcome, "timepoint_label": timepoint, "scale": scale,
                             "unit": "patients", "field": field, "value": str(value),
                             "source_address": f"{study} abstract", "excerpt": f"{outcome} {field} {value} at {timepoint}"})
    # an interim value the curator keeps out, with its reason
    rows.append({**rows[0], "timepoint_label": "1 month", "field": "mean", "value": "4.0", "include": "no",
                 "exclusion_reason": "interim analysis of the same patients"})
    return rows


def write_csv(path: Path, columns: tuple[str, ...], rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def make_spine_review(folder: Path) -> Path:
    (folder / "pdfs").mkdir(parents=True)
    shutil.copy(REAL_PDF, folder / "pdfs")
    (folder / "config.yaml").write_text(yaml.safe_dump(CONFIG, sort_keys=False))
    write_csv(folder / "manual_entries.csv", MANUAL_REQUIRED + MANUAL_OPTIONAL, manual_rows())
    study, arm, events = CORRECTED_EVENTS
    fu_key = {"3 months": "m3", "6 months": "m6", "12 months": "m12"}[STUDIES[study][0][4][0]]
    write_csv(folder / "corrections.csv", CORRECTION_REQUIRED + CORRECTION_OPTIONAL, [{
        "study_id": study, "arm_id": arm, "outcome": "new_fracture", "timepoint": fu_key, "field": "events",
        "old_value": str(STUDIES[study][0][5]), "new_value": str(events), "curator": "spine-curator",
        "date": "2026-12-01", "reason": "table 3 counts 4 patients with a new fracture"}])
    return folder


def dersimonian_laird(yi: np.ndarray, vi: np.ndarray) -> dict[str, float]:
    """Random-effects pooled estimate with the DL tau², z-based 95% CI (textbook formulas)."""
    w = 1 / vi
    fixed = np.sum(w * yi) / np.sum(w)
    q = float(np.sum(w * (yi - fixed) ** 2))
    tau2 = max(0.0, (q - (len(yi) - 1)) / (np.sum(w) - np.sum(w**2) / np.sum(w))) if len(yi) > 1 else 0.0
    ws = 1 / (vi + tau2)
    est = float(np.sum(ws * yi) / np.sum(ws))
    se = float(np.sqrt(1 / np.sum(ws)))
    z = stats.norm.ppf(0.975)
    return {"estimate": est, "se": se, "ci_lb": est - z * se, "ci_ub": est + z * se, "tau2": tau2}


def expected_inputs(analysis: str) -> pd.DataFrame:
    rows = []
    for study, arms in STUDIES.items():
        for arm, klass, n, _, (_, mean, sd), fractures in arms:
            if analysis == "bpi_last":
                yi, vi = mean, sd**2 / n
            else:
                x = CORRECTED_EVENTS[2] if (study, arm) == CORRECTED_EVENTS[:2] else fractures
                yi, vi = np.log(x / (n - x)), 1 / x + 1 / (n - x)
            rows.append({"study_id": study, "group": klass, "yi": yi, "vi": vi})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def reviews(tmp_path_factory: pytest.TempPathFactory, copy_example, start_review, run_review, srtk) -> tuple[Path, Path]:
    """The example and the spine review, run at the same time from outside the checkout; then the
    spine review's curator excludes the real PDF's study (another population) and re-runs."""
    base = tmp_path_factory.mktemp("side_by_side")
    example = copy_example(base / "sacral")
    spine = make_spine_review(base / "spine")
    running = [start_review(example), start_review(spine)]
    outputs = [p.communicate(timeout=1800)[0] for p in running]
    for p, out in zip(running, outputs):
        assert p.returncode == 0, out[-6000:]
    extracted = read(spine, "tables/extracted/studies.tsv")
    pdf_study = extracted.loc[extracted.source_file == REAL_PDF.name, "study_id"].item()
    srtk("curate", "set", pdf_study, "-", "study", "-", "decision", "excluded", str(spine),
         "--reason", "population: irradiated breast, not spinal metastases", "--curator", "spine-curator")
    run_review(spine)
    return example, spine


def read(review: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(review / "results" / name, sep="\t", dtype={"study_id": str, "arm_id": str})


def test_pooled_tables_hold_exactly_the_reviews_own_studies_and_analyses(reviews) -> None:
    _, spine = reviews
    assert sorted(p.stem for p in (spine / "results" / "pooled").glob("*.tsv")) == ["bpi_last", "new_fracture"]
    for analysis in CONFIG["analyses"]:
        pooled = read(spine, f"pooled/{analysis}.tsv")
        studies = pooled[pooled.row_type == "study"]
        assert sorted(studies.study_id) == sorted(expected_inputs(analysis).study_id)
        assert set(pooled.loc[pooled.row_type == "subgroup", "group"]) == {"vertebroplasty", "kyphoplasty", "radiotherapy"}


@pytest.mark.parametrize("analysis", ["bpi_last", "new_fracture"])
def test_pooled_numbers_equal_an_independent_computation(reviews, analysis: str) -> None:
    _, spine = reviews
    pooled = read(spine, f"pooled/{analysis}.tsv")
    inputs = expected_inputs(analysis)
    assert set(pooled.method.dropna()) == {"DL"} and set(pooled.test.dropna()) == {"z"}
    study_rows = pooled[pooled.row_type == "study"].sort_values(["study_id", "group"])
    want = inputs.sort_values(["study_id", "group"])
    np.testing.assert_allclose(study_rows.yi, want.yi, rtol=1e-9)
    np.testing.assert_allclose(study_rows.vi, want.vi, rtol=1e-9)
    checks = [("overall", pooled[pooled.row_type == "overall"], inputs)]
    for group, rows in inputs.groupby("group"):
        checks.append((group, pooled[(pooled.row_type == "subgroup") & (pooled.group == group)], rows))
    for name, row, rows in checks:
        assert len(row) == 1, name
        expected = dersimonian_laird(rows.yi.to_numpy(), rows.vi.to_numpy())
        for key, value in expected.items():
            assert row[key].item() == pytest.approx(value, rel=1e-7, abs=1e-10), (name, key)


def test_the_reviews_corrections_and_exclusions_are_applied(reviews) -> None:
    _, spine = reviews
    log = read(spine, "tables/curation_log.tsv")
    assert len(log) == 2 and set(log.curator) == {"spine-curator"}
    studies = read(spine, "tables/studies.tsv").set_index("study_id")
    pdf_study = studies.index[studies.source_file == REAL_PDF.name].item()
    assert studies.loc[pdf_study, "decision"] == "excluded"
    excluded = read(spine, "tables/excluded_values.tsv")
    assert "interim analysis of the same patients" in set(excluded.exclusion_reason)
    counts = json.loads((spine / "results" / "figures" / "prisma_counts.json").read_text())
    assert counts["records_identified"] == {"PDF folder": 1, "manual entries": len(STUDIES)}
    assert counts["studies_included"] == len(STUDIES)


def example_markers() -> set[str]:
    """Strings only the example has: its study ids, analyses, curators and file paths."""
    markers = {"examples/sacral", "example-curator"}
    for name in ("manual_entries.csv", "corrections.csv"):
        with (EXAMPLE / name).open(encoding="utf-8") as fh:
            markers |= {row["study_id"] for row in csv.DictReader(fh)}
    markers |= set(yaml.safe_load((EXAMPLE / "config.yaml").read_text())["analyses"])
    markers |= {p.stem.split("_")[0] for p in (EXAMPLE / "pdfs").glob("*.pdf")}
    return markers


def test_nothing_of_the_example_appears_in_the_reviews_outputs(reviews) -> None:
    example, spine = reviews
    markers = example_markers()
    assert {"tian2022", "cazzato2021", "cement_leakage"} <= markers
    text_files = [p for p in spine.rglob("*") if p.is_file() and p.suffix not in (".pdf", ".png", ".xlsx")]
    assert len(text_files) > 50
    for path in text_files:
        text = path.read_text(encoding="utf-8", errors="ignore")
        found = sorted(m for m in markers if m in text)
        assert not found, f"{path}: {found}"
    own_classes = {"vertebroplasty", "kyphoplasty", "radiotherapy", "other"}
    assert set(read(spine, "tables/arms.tsv").treatment_class) <= own_classes
    assert set(read(spine, "harmonized/effects.tsv").treatment_class) <= own_classes


def test_the_example_run_beside_it_is_intact(reviews) -> None:
    example, spine = reviews
    specs = yaml.safe_load((EXAMPLE / "config.yaml").read_text())["analyses"]
    analyses = set(specs)
    assert {p.stem for p in (example / "results" / "pooled").glob("*.tsv")} == analyses
    studies = read(example, "tables/studies.tsv")
    assert {"cazzato2021", "tian2022"} <= set(studies.study_id)
    assert not set(studies.study_id) & set(STUDIES)
    for analysis in analyses:
        pooled = read(example, f"pooled/{analysis}.tsv")
        assert not set(pooled.study_id.dropna()) & set(STUDIES)
        # the example's models: REML, and maximum likelihood for its GLMM analysis
        assert set(pooled.method.dropna()) <= ({"ML"} if specs[analysis].get("model") == "glmm" else {"REML"})
    # each review kept its own Snakemake state inside its own output folder
    assert (example / "results" / ".snakemake").is_dir() and (spine / "results" / ".snakemake").is_dir()
