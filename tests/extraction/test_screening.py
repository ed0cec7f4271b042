"""Screening types a document by its evidence (extraction/screening.py): a primary study is never
excluded as "not a clinical study report".

Real PDFs: train-split documents of tests/data/corpus, typed as their gold file says (the gold was
made by hand from the rendered pages). Synthetic documents are typeset here with reportlab.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.corpus import CORPUS, corpus_items
from extraction.layout import build_layout
from extraction.pdf import read_document
from extraction.screening import bibliography, screen, signals


def _typed(pdf: Path):
    doc = read_document(pdf)
    layout = build_layout(doc)
    bib = bibliography(layout, doc.metadata, pdf.name)
    return screen(layout, doc.n_pages, bib.title)


# train-split documents: two primary studies that an earlier screening excluded as "not a clinical
# study report" (a birth-cohort analysis, a pooled analysis of two randomised trials), a retrospective
# diagnostic study, a cohort whose introduction cites a randomised trial, a single-arm study, and
# two meta-analyses; a cohort whose first page (a graphical abstract) is mostly unmapped glyph
# codes while the article's text is readable (once refused as unreadable after that page)
TRAIN = [
    "kawamura_2021_europace_pfa_pvi_cohort.pdf",
    "mertimo_2022_bmcmsd_disc_degeneration_lbp_cohort.pdf",
    "schou_2024_jacc_stephfpef_semaglutide_nyha_rct.pdf",
    "faggian_2016_gastroenterolrespract_mri_enteroclysis_smallbowel_neoplasms.pdf",
    "kawai_2019_scirep_af_nonpv_triggers_cohort.pdf",
    "sherif_2016_jophthalmol_corneal_crosslinking_clinical.pdf",
    "salih_2025_jce_fibrosis_guided_ablation_ma.pdf",
    "cheema_2022_ijchv_covid_stemi_mortality_ma.pdf",
]


@pytest.mark.parametrize("name", TRAIN)
def test_train_documents_are_typed_as_annotated(name):
    train = {it.pdf.name: it for it in corpus_items(split="train")}
    assert name in train, f"{name} is not in the train split"
    gold = json.loads(train[name].gold.read_text(encoding="utf-8"))["study"]["document_type"]
    s = _typed(CORPUS / "pdfs" / name)
    assert s.document_type == gold, (name, s.document_type, s.reason, s.evidence)
    if gold == "primary":
        assert s.reason == "" and s.evidence, s


def _pdf(path: Path, title: str, paragraphs: list[str]) -> Path:
    """Typeset ``title`` and ``paragraphs`` (a paragraph of one to three words is a heading) on A4
    pages, wrapping lines; enough text to be a full report rather than an abstract."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle(title)
    w, h = A4
    y = h - 60
    c.setFont("Helvetica-Bold", 14)
    c.drawString(50, y, title)
    y -= 30
    for para in paragraphs:
        heading = len(para.split()) <= 3
        c.setFont("Helvetica-Bold" if heading else "Helvetica", 10)
        line: list[str] = []
        for word in para.split() + [None]:
            if word is not None and c.stringWidth(" ".join(line + [word]), "Helvetica", 10) < w - 100:
                line.append(word)
                continue
            c.drawString(50, y, " ".join(line))
            y -= 13
            line = [word] if word else []
            if y < 60:
                c.showPage()
                c.setFont("Helvetica", 10)
                y = h - 60
        y -= 8
    c.save()
    return path


FILLER = ("The procedure was performed under local anaesthesia and the team recorded each step of the "
          "work on a standard form that was kept with the notes for later reading by the investigators. ") * 12


def test_phase_1_trial_with_enrolment_in_words_is_primary(tmp_path):
    pdf = _pdf(tmp_path / "phase1.pdf", "Dose escalation of an oral agent in advanced solid tumours", [
        "Abstract", "Background: safety and tolerability of escalating doses. " + FILLER,
        "Methods", "Eighteen adults with advanced solid tumours were enrolled in this open-label, phase 1 "
        "dose-escalation study at two centres. " + FILLER,
        "Results", "Dose-limiting toxicity occurred in two of eighteen participants. " + FILLER,
        "Discussion", FILLER,
    ])
    s = _typed(pdf)
    assert s.document_type == "primary", s
    assert "enrolled" in s.evidence or "phase 1" in s.evidence


def test_case_series_that_cites_a_meta_analysis_is_primary(tmp_path):
    pdf = _pdf(tmp_path / "series.pdf", "Percutaneous fixation of pelvic fractures: a case series", [
        "Introduction", "A recently published meta-analysis of randomised trials found fewer infections. " + FILLER,
        "Patients and methods", "We retrospectively reviewed the medical records of all patients treated "
        "between 2015 and 2020. The institutional review board approved the study. " + FILLER,
        "Results", "Twenty-seven patients were included; all patients underwent fixation. " + FILLER,
    ])
    assert _typed(pdf).document_type == "primary"


def test_randomised_trial_with_a_literature_panel_is_primary(tmp_path):
    # a trial's "evidence before this study" panel searches databases; its own allocation and
    # ethics approval keep it primary
    pdf = _pdf(tmp_path / "rct.pdf", "Early versus delayed mobilisation after hip surgery", [
        "Research in context", "Evidence before this study: we searched MEDLINE and Embase for trials. " + FILLER,
        "Methods", "Participants were randomly assigned (1:1) to early or delayed mobilisation. The trial was "
        "approved by the ethics committee and registered at ClinicalTrials.gov. " + FILLER,
        "Results", "Of 212 participants randomised, 205 completed follow-up. " + FILLER,
    ])
    assert _typed(pdf).document_type == "primary"


def test_meta_analysis_and_narrative_review_are_reviews(tmp_path):
    ma = _pdf(tmp_path / "ma.pdf", "Drainage after thyroid surgery: pooled evidence", [
        "Methods", "We searched PubMed, Embase and the Cochrane Library up to March 2020. Eleven studies "
        "with 1,204 patients were included. " + FILLER,
        "Results", "A random-effects model was used; heterogeneity was moderate (I2 = 41%). " + FILLER,
    ])
    assert _typed(ma).document_type == "review"
    narrative = _pdf(tmp_path / "nr.pdf", "Imaging of the painful shoulder", [
        "Introduction", "This review summarises imaging techniques for the shoulder and their pitfalls. " + FILLER,
        "Ultrasound", FILLER, "Magnetic resonance", FILLER,
    ])
    assert _typed(narrative).document_type == "review"


def test_manual_without_patients_is_other(tmp_path):
    pdf = _pdf(tmp_path / "manual.pdf", "Installing the image archive software", [
        "Overview", "This guide explains how to install and configure the archive server. " + FILLER,
        "Configuration", "A recent randomised trial is cited as an example in the tutorial data set. " + FILLER,
    ])
    s = _typed(pdf)
    assert s.document_type == "other" and "not a clinical study report" in s.reason


def test_cited_design_is_not_the_documents_own():
    own, _ = signals("A recent prospective randomised trial could not show a benefit of this approach.")
    assert "design" not in own
    own, _ = signals("Between 2009 and 2014 a retrospective study was performed in our department.")
    assert "design" in own
    own, _ = signals("The trial collectively randomized 1,145 participants to the drug or placebo.")
    assert "enrolment" in own
