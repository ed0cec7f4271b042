"""The bundled example PDFs: reproducible from the seeds, and their text is extractable.

(a) ``examples/sacral/make_pdfs.py`` regenerates byte-identical PDFs (needs the
    DejaVu fonts from the Debian package ``fonts-dejavu-core``; a missing font
    is a test failure, not a skip, because the committed PDFs could then no
    longer be checked against their generator).
(b) The committed PDFs contain the key outcome sentences/values, in reading
    order, and the ruled tables are found by pdfplumber's ``extract_tables()``.
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pdfplumber
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sacral"
PDF_DIR = EXAMPLE / "pdfs"

NAMES = [
    "tian2022_sacroplasty_rfa_ajnr.pdf",
    "cazzato2021_sacral_ablation_fulltext.pdf",
    "cazzato2021_sacral_ablation_abstract.pdf",
    "ahmed2019_extraspinal_ablation_review.pdf",
    "cementoplasty_cryoablation_review.pdf",
]


def _load_generator():
    spec = importlib.util.spec_from_file_location("sacral_make_pdfs", EXAMPLE / "make_pdfs.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


_TEXT_CACHE: dict[str, str] = {}
_COL_CACHE: dict[str, list] = {}


def _full_text(name: str) -> str:
    if name not in _TEXT_CACHE:
        with pdfplumber.open(PDF_DIR / name) as pdf:
            _TEXT_CACHE[name] = _norm(" ".join(p.extract_text() or "" for p in pdf.pages))
    return _TEXT_CACHE[name]


def _column_texts(name: str):
    """(page number, side, normalised text) for each text column of each page."""
    if name in _COL_CACHE:
        return _COL_CACHE[name]
    out = _COL_CACHE[name] = []
    with pdfplumber.open(PDF_DIR / name) as pdf:
        for i, page in enumerate(pdf.pages, 1):
            w, h = page.width, page.height
            for side, bbox in (("left", (0, 0, w / 2, h)), ("right", (w / 2, 0, w, h))):
                out.append((i, side, _norm(page.crop(bbox).extract_text() or "")))
    return out


def _contains(name: str, needle: str) -> bool:
    """Full-width parts (title block, abstract, wide tables) read correctly from the
    whole page; column text reads correctly from left-then-right column crops."""
    if needle in _full_text(name):
        return True
    columns = " ".join(text for _, _, text in _column_texts(name))
    return needle in columns


# ---------------------------------------------------------------- (a) determinism
def test_committed_pdfs_exist():
    missing = [n for n in NAMES if not (PDF_DIR / n).is_file()]
    assert not missing, f"committed example PDFs missing: {missing}"


def test_regenerated_pdfs_are_byte_identical(tmp_path):
    gen = _load_generator()
    try:
        gen.find_font_dir()
    except gen.FontMissingError as e:  # fail loudly, never skip
        pytest.fail(f"cannot regenerate the example PDFs: {e}")
    pages = gen.generate(tmp_path)
    assert sorted(pages) == sorted(NAMES)
    different = [n for n in NAMES if (tmp_path / n).read_bytes() != (PDF_DIR / n).read_bytes()]
    assert not different, (
        f"regenerated PDFs differ from the committed ones: {different}. Either the seeds or "
        "make_pdfs.py changed without re-running `python examples/sacral/make_pdfs.py`, or the "
        "installed DejaVu fonts are a different release than the one used to build them."
    )


def test_generation_is_deterministic_within_one_process(tmp_path):
    gen = _load_generator()
    try:
        gen.find_font_dir()
    except gen.FontMissingError as e:
        pytest.fail(f"cannot regenerate the example PDFs: {e}")
    gen.generate(tmp_path / "a")
    gen.generate(tmp_path / "b")
    for n in NAMES:
        assert (tmp_path / "a" / n).read_bytes() == (tmp_path / "b" / n).read_bytes(), n


# ---------------------------------------------------------------- (b) content
CAZZATO_FULL = [
    "Five (22%) minor complications were recorded.",
    "mean NPRS was 2 ± 2 (SD) (median, 1; range: 0–6) vs. 5 ± 1 (median, 5; range: 4–8; P < 0.001) "
    "at the baseline.",
    "Three metastases out of 7 (43%) undergoing curative ablation showed local progression",
    "mean NPRS was 2 ± 2 (SD) (median, 1; range: 0–6; IQR: 0–3) vs. 5 ± 1 (SD) (median 5; range: 4–8; "
    "IQR: 4–6) at baseline (P < 0.001).",
    "Complications developed in 5 patients (5/23; 22%).",
    "mean age, 60 ± 8 [SD] years",
]
TIAN = [
    "7.43 (SD, 1.56)", "2.25 (SD, 1.35)", "7.45 (SD, 1.61)", "3.02 (SD, 1.55)", "10/58", "20/104",
    "In group A, the mean VAS score decreased from 7.43 (SD, 1.56) before the procedure to 2.25 (SD, 1.35) "
    "on day 1 after the procedure (P < .001).",
    "In group B, the mean VAS score decreased from 7.45 (SD, 1.61) before the procedure to 3.02 (SD, 1.55) "
    "on day 1 after the procedure (P < .001)",
    "Cement leakage occurred in 10/58 (17%) of the treated lesions in group A and 20/104 (19%) of treated "
    "lesions in group B.",
    "(90% versus 76%, P = .032)",
]


@pytest.mark.parametrize("needle", CAZZATO_FULL)
def test_cazzato_fulltext_contains(needle):
    assert _contains("cazzato2021_sacral_ablation_fulltext.pdf", needle)


@pytest.mark.parametrize("needle", TIAN)
def test_tian_contains(needle):
    assert _contains("tian2022_sacroplasty_rfa_ajnr.pdf", needle)


def test_cazzato_abstract_page():
    text = _full_text("cazzato2021_sacral_ablation_abstract.pdf")
    with pdfplumber.open(PDF_DIR / "cazzato2021_sacral_ablation_abstract.pdf") as pdf:
        assert len(pdf.pages) == 1
    for needle in ("Five (22%) minor complications were recorded.",
                   "mean NPRS was 2 ± 2 (SD) (median, 1; range: 0–6) vs. 5 ± 1 (median, 5; range: 4–8; "
                   "P < 0.001) at the baseline.",
                   "Three metastases out of 7 (43%) undergoing curative ablation showed local progression"):
        assert needle in text


def test_reviews_contain_key_sentences():
    ahmed = "ahmed2019_extraspinal_ablation_review.pdf"
    assert _contains(ahmed, "Pain reduction is achieved in 70 to 96% of patients as compared with 50 to 80% "
                            "reported")
    assert _contains(ahmed, "10.1055/s-0039-1693117")
    assert _contains("cementoplasty_cryoablation_review.pdf",
                     "approximately 18.8 per 100 000 in the United States")


def test_no_conversion_debris_left():
    for n in NAMES:
        text = _full_text(n)
        for debris in ("<sup>", "</sup>", "**", "$", "\\sim", "\\pm", "<i>", "<hr/>",
                       "Discover Generics", "This information is current as of", "[PubMed]"):
            assert debris not in text, (n, debris)


def test_page_counts_realistic():
    for n in NAMES:
        with pdfplumber.open(PDF_DIR / n) as pdf:
            k = len(pdf.pages)
        if "abstract" in n:
            assert k == 1, (n, k)
        else:
            assert 5 <= k <= 12, (n, k)


# ---------------------------------------------------------------- tables
def _tables(name):
    out = []
    with pdfplumber.open(PDF_DIR / name) as pdf:
        for page in pdf.pages:
            for t in page.extract_tables():
                out.append([[_norm(c or "") for c in row] for row in t])
    return out


def test_tian_table_extracted():
    tables = _tables("tian2022_sacroplasty_rfa_ajnr.pdf")
    assert len(tables) == 1
    t = tables[0]
    assert t[0] == ["Characteristic", "PSP + RFA (Group A; n = 51)", "PSP (Group B; n = 75 )", "P"]
    assert ["Cement leakage (No.) (%)", "10 (17.24)", "20 (19.23)", ".361"] in t
    assert ["Age (mean) (yr)", "57.22 (SD, 11.41)", "62.11 (SD, 13.37)", ".132"] in t
    assert len(t) == 14


def test_cazzato_tables_extracted():
    tables = _tables("cazzato2021_sacral_ablation_fulltext.pdf")
    assert len(tables) == 3
    t1, t2, t3 = tables
    assert ["Age (years)", "", "60 ± 8 [48-80]"] in t1
    assert ["ECOG-PS", "≤ 2", "20 (20/23; 87%)"] in t1
    assert ["Number of ablation probes", "", "2 ± 1 (1-4)"] in t2
    assert t3[0][:3] == ["Patient sex & age (Primary tumor)", "Procedure", "Complication"]
    assert len(t3) == 6


# ---------------------------------------------------------------- reading order
@pytest.mark.parametrize("name,sentence", [
    ("cazzato2021_sacral_ablation_fulltext.pdf",
     "Complications developed in 5 patients (5/23; 22%). These adverse events were consistent with (grade 2) "
     "peripheral neuropathies in four patients (4/23; 17%), and (grade 1) post-operative pain in one patient "
     "(1/23; 4%)."),
    ("cazzato2021_sacral_ablation_fulltext.pdf",
     "In the group of patients undergoing curative ablation, mean follow-up was 21 ± 21 (SD) months"),
    ("tian2022_sacroplasty_rfa_ajnr.pdf",
     "In group A, the mean VAS score decreased from 7.43 (SD, 1.56) before the procedure to 2.25 (SD, 1.35) "
     "on day 1 after the procedure (P < .001)."),
    ("tian2022_sacroplasty_rfa_ajnr.pdf",
     "Cement leakage occurred in 10/58 (17%) of the treated lesions in group A and 20/104 (19%) of treated "
     "lesions in group B."),
    ("ahmed2019_extraspinal_ablation_review.pdf",
     # stops before "radiotherapy.<sup>11</sup>": pdfplumber puts a raised citation on its own line
     "Pain reduction is achieved in 70 to 96% of patients as compared with 50 to 80% reported with"),
])
def test_two_column_sentence_stays_together_in_its_column(name, sentence):
    """A multi-line sentence is contiguous within one column's crop, i.e. the
    two columns are not interleaved line by line."""
    cols = _column_texts(name)
    hits = [(p, side) for p, side, text in cols if sentence in text]
    assert hits, f"{sentence!r} not found contiguously in any single column of {name}"
    assert len(sentence) > 60  # long enough to wrap over several column lines
