"""The workflow on the example review plus a hostile corpus (tests/data/hostile/make_hostile.py:
zero-byte, truncated, HTML, PNG, random bytes, password, scanned, (cid:N) glyphs, 320 pages,
rotated, non-ASCII name, the same file twice), run with the plain command.

It finishes; every hostile file is in the document QA table with a reason of its kind; the rotated
and the lengthened copies yield the upright study's values; the same file under a second name is
not read again; the PRISMA counts add up; and the pooled results equal the example's alone (the
example is run alone once, to its harmonised effects, and pooled with the same command).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from evidence.review import load_review
from figures.prisma import check_counts

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "tests" / "data" / "hostile" / "make_hostile.py")
make_hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_hostile)

pytestmark = [pytest.mark.workflow, pytest.mark.slow]

# what the QA table must say for each kind of hostile file (category and reason, as one string)
UNREADABLE = {
    "hostile_zero_byte.pdf": r"^empty file\b.*empty file \(0 bytes\)$",
    "hostile_truncated.pdf": r"^corrupt\b.*ends early",
    "hostile_html_page.pdf": r"^not a PDF\b.*HTML page",
    "hostile_png_image.pdf": r"^not a PDF\b.*PNG image",
    "hostile_random_bytes.pdf": r"^not a PDF\b.*unknown content",
    "hostile_user_password.pdf": r"^encrypted\b.*password",
    "hostile_scanned.pdf": r"^no text layer\b.*OCR",
    "hostile_cid_glyphs.pdf": r"^unusable text layer\b.*cid:N.*OCR",
}
SAME_PAPER = ("hostile_long_{pages}_pages.pdf", "{stem}_rotated90.pdf")  # read, then a duplicate
SAME_FILE = ("\u00e9tude_{stem}.pdf", "{stem}_zz_copy.pdf")  # not read: identical bytes
VALUE_KEY = ["arm_id", "outcome", "timepoint", "field", "value", "page", "x0", "top", "x1", "bottom"]


def tsv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)


def values(outcomes: Path) -> list[tuple[str, ...]]:
    df = tsv(outcomes)
    return sorted(tuple(r) for r in df[VALUE_KEY].itertuples(index=False))


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory, copy_example, run_review) -> Path:
    """The example alone, up to its harmonised effects, document QA table and PRISMA counts."""
    review = copy_example(tmp_path_factory.mktemp("alone") / "sacral")
    run_review(review, "harmonized/effects.tsv", "tables/extracted/qa_documents.tsv", "figures/prisma.png")
    return review


@pytest.fixture(scope="module")
def study(alone: Path) -> Path:
    """The example's upright study with the most extracted values (the hostile copies' source)."""
    results = alone / "results" / "tables" / "extracted"
    studies = tsv(results / "studies.tsv")
    included = set(studies.loc[studies["decision"] == "included", "source_file"])
    counts = tsv(results / "outcomes.tsv")["source_file"].value_counts()
    name = max(sorted(included), key=lambda f: counts.get(f, 0))
    assert counts.get(name, 0) >= 10, "the source study must yield values for the comparison to mean anything"
    return alone / "pdfs" / name


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, copy_example, run_review, study: Path) -> tuple[Path, dict[str, str]]:
    """The example plus the hostile corpus, run with the plain command and its report."""
    review = copy_example(tmp_path_factory.mktemp("hostile") / "sacral")
    made = make_hostile.make(review / "pdfs", review / "pdfs" / study.name)
    assert len(made) == len(make_hostile.KINDS) == 12
    run_review(review)
    run_review(review, "--report", str(review / "results" / "report.html"))
    names = {k: k.format(stem=study.stem, pages=make_hostile.LONG_PAGES) for k in make_hostile.KINDS}
    return review, names


def test_every_hostile_file_is_in_the_qa_table_with_its_reason(hostile, study: Path) -> None:
    review, names = hostile
    qa = tsv(review / "results" / "tables" / "extracted" / "qa_documents.tsv").set_index("source_file")
    studies = tsv(review / "results" / "tables" / "extracted" / "studies.tsv").set_index("source_file")
    assert set(names.values()) <= set(qa.index), sorted(set(names.values()) - set(qa.index))
    assert qa["suggestion"].str.len().gt(0).all()
    for kind, pattern in UNREADABLE.items():
        row = qa.loc[names[kind]]
        assert re.search(pattern, f"{row['category']} | {row['reason']}"), (kind, row.to_dict())
    upright_id = studies.loc[study.name, "study_id"]
    assert study.name not in qa.index and studies.loc[study.name, "decision"] == "included"
    for kind in SAME_PAPER:
        row = qa.loc[names[kind]]
        assert (row["category"], row["duplicate_of"]) == ("duplicate", upright_id), (kind, row.to_dict())
    for kind in SAME_FILE:
        row = qa.loc[names[kind]]
        assert (row["category"], row["duplicate_of"]) == ("identical file", upright_id), (kind, row.to_dict())
        assert study.name in row["reason"]
    # every study id is readable ASCII; the non-ASCII name is kept as the file's name
    assert all(re.fullmatch(r"[a-z0-9_]+", s) for s in studies["study_id"]), list(studies["study_id"])
    accented = qa.loc[names["\u00e9tude_{stem}.pdf"]]
    assert accented["study_id"].startswith("etude_")
    assert studies["study_id"].is_unique


def test_copies_yield_the_upright_values(hostile, study: Path) -> None:
    review, names = hostile
    extracted = review / "results" / "extracted"
    upright = values(extracted / study.stem / "outcomes.tsv")
    assert len(upright) >= 10
    for kind in SAME_PAPER:
        assert values(extracted / Path(names[kind]).stem / "outcomes.tsv") == upright, kind
    for kind in SAME_FILE:
        assert not (extracted / Path(names[kind]).stem).exists(), f"{kind} was read again"
    # the included study's values point at the upright file, not at a copy
    outcomes = tsv(review / "results" / "tables" / "outcomes.tsv")
    studies = tsv(review / "results" / "tables" / "studies.tsv").set_index("source_file")
    mine = outcomes[(outcomes["study_id"] == studies.loc[study.name, "study_id"]) & (outcomes["origin"] == "extracted")]
    assert len(mine) and set(mine["source_file"]) == {study.name}


def test_prisma_counts_every_document(hostile, alone: Path) -> None:
    review, names = hostile
    counts = json.loads((review / "results" / "figures" / "prisma_counts.json").read_text())
    before = json.loads((alone / "results" / "figures" / "prisma_counts.json").read_text())
    assert check_counts(counts) == []
    n_pdfs = len(list((review / "pdfs").glob("*.pdf")))
    assert counts["records_identified"]["PDF folder"] == n_pdfs == before["records_identified"]["PDF folder"] + 12
    assert counts["duplicates_removed"] == before["duplicates_removed"] + len(SAME_PAPER) + len(SAME_FILE)
    assert counts["reports_not_retrieved"] == before["reports_not_retrieved"] + len(UNREADABLE)
    assert counts["records_excluded"] == before["records_excluded"]
    assert counts["reports_excluded"] == before["reports_excluded"]
    assert (counts["studies_included"], counts["reports_included"]) == (before["studies_included"], before["reports_included"])


def test_qa_table_is_in_the_report(hostile) -> None:
    review, _ = hostile
    html = (review / "results" / "report.html").read_text(encoding="utf-8", errors="replace")
    assert "qa_documents.tsv" in html and "Document QA" in html


def _pool(review: Path, effects: Path, analysis: str, out: Path) -> pd.DataFrame:
    """``pool-outcome`` for one analysis with the review's models, as the analyse rule runs it."""
    config = load_review(review).config
    spec, models = config["analyses"][analysis], config["models"]
    cmd = [sys.executable, "-m", "evidence", "pool-outcome", "--effects", str(effects), "--analysis", analysis,
           "--method", str(models["method"]), "--test", str(models["test"]), "--level", str(models["level"]),
           "--model", spec.get("model", "rma")]
    if spec.get("model") == "glmm":
        cmd += ["--nagq", str(spec.get("nagq", 7))]
    if spec.get("robust"):
        cmd.append("--robust")
    cmd += ["--out-table", str(out), "--out-json", str(out.with_suffix(".json")), "--allow-empty"]
    subprocess.run(cmd, check=True, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return pd.read_csv(out, sep="\t")


def test_pooled_results_equal_the_example_alone(hostile, alone: Path, tmp_path: Path) -> None:
    review, _ = hostile
    analyses = sorted(load_review(alone).config["analyses"])
    assert analyses
    for analysis in analyses:
        got = pd.read_csv(review / "results" / "pooled" / f"{analysis}.tsv", sep="\t")
        want = _pool(alone, alone / "results" / "harmonized" / "effects.tsv", analysis, tmp_path / f"{analysis}.tsv")
        assert len(want), analysis
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True),
                                      check_exact=False, rtol=1e-9, obj=analysis)
