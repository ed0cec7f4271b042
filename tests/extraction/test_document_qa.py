"""Nothing dropped silently: specific reasons for files that are not readable PDFs, readable ids for
non-ASCII names, the same file under two names read once, the document QA table and its PRISMA
counts, and a study followed by a long appendix yielding the study's values."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pandas as pd
import pytest

from extraction.cli import main as extraction_main
from extraction.extract import extract_document
from extraction.merge import merge_dirs
from extraction.pdf import UnreadablePDF, read_document
from extraction.qa import QA_COLUMNS, document_qa, identical_files
from extraction.text import id_from_name
from figures.prisma import check_counts, prisma_counts_from_studies

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "examples" / "sacral" / "pdfs" / "tian2022_sacroplasty_rfa_ajnr.pdf"
_spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "tests" / "data" / "hostile" / "make_hostile.py")
make_hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_hostile)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", r"^empty file \(0 bytes\)$"),
        (None, r"PNG image saved under a \.pdf name"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 40, r"JPEG image"),
        (b"PK\x03\x04" + b"\x00" * 40, r"ZIP archive"),
        (b"\n  <!DOCTYPE html><html><body>Sign in</body></html>", r"HTML page"),
        (bytes(range(7, 250)) * 3, r"not a PDF file \(unknown content"),
    ],
)
def test_not_a_pdf_reasons(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(make_hostile.png_bytes() if content is None else content)
    with pytest.raises(UnreadablePDF, match=reason):
        read_document(path)
    study = extract_document(path).studies[0]
    assert study["decision"] == "excluded" and study["reason"].startswith("unreadable: ")


def test_zero_byte_is_not_called_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    res = extract_document(path)
    assert res.problems[0]["reason"] == "empty file (0 bytes)"
    assert "not a PDF" not in res.studies[0]["reason"]


def test_truncated_pdf_says_it_ends_early(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    data = STUDY.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.4)])
    with pytest.raises(UnreadablePDF, match="ends early"):
        read_document(path)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("\u00e9tude_tian2022", "etude_tian2022"),
        ("Mu\u0308ller 2020 (final)", "muller_2020_final"),  # decomposed umlaut
        ("M\u00fcller-2020", "muller_2020"),
        ("Stra\u00dfe_\u00c5ngstr\u00f6m", "strasse_angstrom"),
        ("\u0141\u00f3d\u017a_2019", "lodz_2019"),
    ],
)
def test_ids_from_non_ascii_names_are_transliterated(name: str, expected: str) -> None:
    assert id_from_name(name) == expected


def test_id_of_a_name_without_latin_letters_is_stable_and_distinct() -> None:
    a, b = id_from_name("\u7814\u7a76"), id_from_name("\u8bd5\u9a8c")
    assert a.startswith("doc_") and len(a) == 12 and a == id_from_name("\u7814\u7a76")
    assert a != b


def test_unreadable_non_ascii_file_keeps_its_name_and_gets_unique_readable_ids(tmp_path: Path) -> None:
    dirs = []
    for name in ("\u00e9tude.pdf", "etude.pdf"):
        pdf = tmp_path / name
        pdf.write_bytes(b"")
        d = tmp_path / "out" / pdf.stem
        assert extraction_main(["extract", str(pdf), "--out", str(d)]) == 0
        dirs.append(d)
    merged = merge_dirs(dirs, tmp_path / "merged")
    ids = dict(zip(merged["studies"]["source_file"], merged["studies"]["study_id"]))
    # sorted by name: "etude.pdf" < "\u00e9tude.pdf"; the second one gets the suffix
    assert ids == {"etude.pdf": "etude", "\u00e9tude.pdf": "etude_2"}
    qa = pd.read_csv(tmp_path / "merged" / "qa_documents.tsv", sep="\t", dtype=str, keep_default_na=False)
    assert set(qa["source_file"]) == {"etude.pdf", "\u00e9tude.pdf"}
    assert set(qa["category"]) == {"empty file"}


def test_identical_files_first_by_name(tmp_path: Path) -> None:
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 same")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 same")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4 other")
    (tmp_path / "d.pdf").write_bytes(b"%PDF-1.4 same")
    same = identical_files(sorted(tmp_path.glob("*.pdf"), reverse=True))
    assert {p.name: q.name for p, q in same.items()} == {"b.pdf": "a.pdf", "d.pdf": "a.pdf"}


def test_same_file_under_two_names_is_read_once(tmp_path: Path) -> None:
    pdfs = tmp_path / "pdfs"
    pdfs.mkdir()
    shutil.copyfile(STUDY, pdfs / "zz_second_name.pdf")
    shutil.copyfile(STUDY, pdfs / "aa_first_name.pdf")
    out = tmp_path / "out"
    assert extraction_main(["extract", *map(str, sorted(pdfs.glob("*.pdf"))), "--out", str(out)]) == 0
    assert sorted(p.name for p in (out / "per_pdf").iterdir()) == ["aa_first_name"]  # read once
    studies = pd.read_csv(out / "studies.tsv", sep="\t", dtype=str, keep_default_na=False)
    first = studies[studies["source_file"] == "aa_first_name.pdf"].iloc[0]
    second = studies[studies["source_file"] == "zz_second_name.pdf"].iloc[0]
    assert first["decision"] == "included" and first["duplicate_of"] == ""
    assert second["decision"] == "excluded" and second["duplicate_of"] == first["study_id"]
    assert "identical file" in second["reason"] and "aa_first_name.pdf" in second["reason"]
    outcomes = pd.read_csv(out / "outcomes.tsv", sep="\t", dtype=str, keep_default_na=False)
    assert len(outcomes) and set(outcomes["source_file"]) == {"aa_first_name.pdf"}  # provenance: the first
    qa = pd.read_csv(out / "qa_documents.tsv", sep="\t", dtype=str, keep_default_na=False)
    row = qa[qa["source_file"] == "zz_second_name.pdf"].iloc[0]
    assert row["category"] == "identical file" and row["duplicate_of"] == first["study_id"]
    assert "remove the duplicate" in row["suggestion"]
    assert "aa_first_name.pdf" not in set(qa["source_file"])


def _studies(rows: list[tuple[str, str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["study_id", "source_file", "document_type", "decision", "reason", "duplicate_of"])


def test_qa_table_names_every_document_without_values_and_prisma_counts_them() -> None:
    studies = _studies([
        ("ok2020", "ok.pdf", "primary", "included", "", ""),
        ("empty", "empty.pdf", "other", "excluded", "unreadable: empty file (0 bytes)", ""),
        ("scan", "scan.pdf", "other", "excluded", "unreadable: no text layer: 1 page(s) are images only (scanned); OCR is needed", ""),
        ("locked", "locked.pdf", "other", "excluded", "unreadable: encrypted with a user password; cannot be opened without it", ""),
        ("manual", "manual.pdf", "other", "excluded", "not a clinical study report (no patients enrolled or treated)", ""),
        ("rev2019", "rev.pdf", "review", "excluded", "review article, not a primary study", ""),
        ("ok2020_dup", "ok copy.pdf", "primary", "excluded", "duplicate of ok2020 (identical file: the same bytes as ok.pdf, not read again)", "ok2020"),
        ("bare2021", "bare.pdf", "primary", "included", "primary study, but no outcome value was found automatically: extract by hand", ""),
    ])
    outcomes = pd.DataFrame({"study_id": ["ok2020"]})
    problems = pd.DataFrame({"source_file": ["ok.pdf"], "stage": ["read"],
                             "reason": ["pages without a text layer skipped: 4, 5 (OCR needed for them)"]})
    qa = document_qa(studies, outcomes, problems)
    assert tuple(qa.columns) == QA_COLUMNS
    cat = dict(zip(qa["source_file"], qa["category"]))
    assert cat == {"ok.pdf": "pages skipped", "empty.pdf": "empty file", "scan.pdf": "no text layer",
                   "locked.pdf": "encrypted", "manual.pdf": "not a study report", "rev.pdf": "review",
                   "ok copy.pdf": "identical file", "bare.pdf": "no values"}
    sug = dict(zip(qa["source_file"], qa["suggestion"]))
    assert "OCR" in sug["scan.pdf"] and "by hand" in sug["bare.pdf"] and "remove the duplicate" in sug["ok copy.pdf"]
    assert qa.loc[qa["source_file"] == "ok.pdf", "page"].item() == "4, 5"
    c = prisma_counts_from_studies(studies)
    assert c["duplicates_removed"] == 1
    assert c["reports_not_retrieved"] == 3  # the unreadable files, not "excluded at screening"
    assert c["records_excluded"] == {"not a clinical study report": 1, "review article, not a primary study": 1}
    assert c["reports_included"] == 2
    assert check_counts(c) == []


# one study with a References heading, one without (the article's end is found either way)
@pytest.mark.parametrize("name", ["tian2022_sacroplasty_rfa_ajnr.pdf", "cazzato2021_sacral_ablation_fulltext.pdf"])
def test_study_followed_by_long_appendix_yields_the_study_values(tmp_path: Path, name: str) -> None:
    study = STUDY.parent / name
    upright = extract_document(study)
    assert len(upright.outcomes) >= 20, "the study must yield values for this test to mean anything"
    long_pdf = make_hostile.long_pdf(study, tmp_path / "long.pdf", total=30)
    long = extract_document(long_pdf)

    def key(res):
        return sorted((o["arm_id"], o["outcome"], o["field"], o["timepoint"], str(o["value"]), o["page"]) for o in res.outcomes)

    assert long.studies[0]["n_pages"] == 30
    assert long.studies[0]["decision"] == "included"
    assert key(long) == key(upright)
