"""No PDF of the real corpus crashes the extractor; unreadable ones get a clear reason."""

from __future__ import annotations

from evidence.review import load_review
from vocab import ARM_COLUMNS, OUTCOME_COLUMNS, STUDY_COLUMNS

# the extractor reads with the bundled example's vocabulary: its outcomes plus the standard ones
VOCABULARY = load_review().vocabulary


def test_every_pdf_gives_a_study_row(real_results, real_pdfs):
    assert len(real_results) == len(real_pdfs)
    for name, res in real_results.items():
        assert len(res.studies) == 1, name
        assert set(res.studies[0]) == set(STUDY_COLUMNS)
        for r in res.arms:
            assert set(r) == set(ARM_COLUMNS) and r["treatment_class"] in VOCABULARY.class_codes
        for r in res.outcomes:
            assert set(r) == set(OUTCOME_COLUMNS) and r["outcome"] in VOCABULARY.outcome_codes


def test_hostile_files_are_problems_with_reasons(real_results):
    expect = {
        "hostile_password_required.pdf": "password",
        "hostile_corrupt_no_root.pdf": "not a PDF",
        "hostile_scanned_no_textlayer.pdf": "no text layer",
        "hostile_cid_glyphs_f1000.pdf": "(cid:N)",
    }
    for name, word in expect.items():
        res = real_results[name]
        assert res.problems, name
        assert word in res.problems[0]["reason"], (name, res.problems)
        assert res.studies[0]["decision"] == "excluded"
        assert res.outcomes == []


def test_readable_files_have_no_read_error(real_results):
    for name, res in real_results.items():
        if name.startswith("hostile_"):
            continue
        assert not [p for p in res.problems if p["stage"] in ("open", "extract")], (name, res.problems)


def test_image_only_pages_are_reported(real_results):
    res = real_results["masuda_2025_natmed_suppressaf_rct.pdf"]
    assert any("18, 19, 20" in p["reason"] for p in res.problems)


def test_encrypted_owner_password_opens(real_results):
    # takeda_1998 of the shared corpus has such an /Encrypt dictionary; it is not redistributable,
    # so the test makes one with reportlab
    res = real_results["owner_password_permissions.pdf"]
    assert not [p for p in res.problems if p["stage"] in ("open", "extract")], res.problems
    assert res.studies[0]["n_pages"] == 1


def test_seretny_is_a_review(real_results):
    st = real_results["seretny_2014_pain_cipn_metaanalysis.pdf"].studies[0]
    assert st["document_type"] == "review" and st["decision"] == "excluded"


def test_caviggioli_review_of_our_experience_is_primary(real_results):
    # "A Review of Our Experience" in the title is not a review article
    st = real_results["caviggioli_2016_fatgraft_pain_vas.pdf"].studies[0]
    assert st["document_type"] == "primary"


def test_screening_matches_the_gold_annotations(real_results):
    """Document type and decision of every real PDF with a hand-made gold file (tests/data/gold):
    a primary study stays included even when the rules find no value in it."""
    import json
    from pathlib import Path

    gold_dir = Path(__file__).resolve().parents[1] / "data" / "gold"
    checked = 0
    for g in sorted(gold_dir.glob("*.json")):
        gold = json.loads(g.read_text())
        res = real_results.get(gold.get("source_file") or g.stem + ".pdf")
        if res is None:
            continue  # an example PDF, or a real one that is not redistributable
        st = res.studies[0]
        assert (st["document_type"], st["decision"]) == (gold["study"]["document_type"], gold["study"]["decision"]), (g.name, st["reason"])
        checked += 1
    assert checked >= 13
