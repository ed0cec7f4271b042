"""A real study with its pages turned (/Rotate 90/180/270) yields the upright copy's values, at the
same boxes, and every box still holds its excerpt when read back (the provenance check); so does a
copy whose MediaBox and CropBox do not start at (0, 0)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from extraction.extract import extract_document
from extraction.pdf import page_texts
from extraction.text import strip_ws

ROOT = Path(__file__).resolve().parents[2]
STUDY = ROOT / "tests" / "data" / "pdfs" / "real" / "mont_2014_ehj_sara_rct.pdf"
_spec = importlib.util.spec_from_file_location("make_hostile", ROOT / "tests" / "data" / "hostile" / "make_hostile.py")
make_hostile = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_hostile)


def _key(res):
    return sorted((o["arm_id"], o["outcome"], o["field"], o["timepoint"], o["value"], o["page"],
                   o["x0"], o["top"], o["x1"], o["bottom"]) for o in res.outcomes)


def _assert_boxes_hold_excerpts(pdf: Path, res) -> None:
    texts = page_texts(pdf, [(int(o["page"]), (o["x0"], o["top"], o["x1"], o["bottom"])) for o in res.outcomes])
    for o, t in zip(res.outcomes, texts):
        assert strip_ws(o["excerpt"]) in strip_ws(t), (o["excerpt"], t)


@pytest.mark.parametrize("angle", [90, 180, 270])
def test_rotated_real_study_same_values(tmp_path: Path, angle: int) -> None:
    upright = extract_document(STUDY)
    assert upright.outcomes, "the upright study must yield values for this test to mean anything"
    turned_pdf = make_hostile.rotate_pdf(STUDY, tmp_path / f"turned{angle}.pdf", angle)
    turned = extract_document(turned_pdf)
    assert _key(turned) == _key(upright)
    _assert_boxes_hold_excerpts(turned_pdf, turned)


EXAMPLE_STUDY = ROOT / "examples" / "sacral" / "pdfs" / "tian2022_sacroplasty_rfa_ajnr.pdf"


@pytest.mark.parametrize("angle", [0, 270])
def test_offset_boxes_yield_the_upright_values_at_the_same_boxes(tmp_path: Path, angle: int) -> None:
    """MediaBox and CropBox not at (0, 0) (and the same turned): the upright original's values at
    the same boxes, measured from the visible page's top-left (where a viewer draws them)."""
    upright = extract_document(EXAMPLE_STUDY)
    assert len(upright.outcomes) >= 20, "the study must yield values for this test to mean anything"
    moved = make_hostile.offset_pdf(EXAMPLE_STUDY, tmp_path / "offset.pdf", dx=150.0, dy=90.0)
    if angle:
        moved = make_hostile.rotate_pdf(moved, tmp_path / f"offset_turned{angle}.pdf", angle)
    got = extract_document(moved)
    assert _key(got) == _key(upright)
    _assert_boxes_hold_excerpts(moved, got)
