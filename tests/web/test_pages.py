"""Page images and the words under a selection on pages turned by /Rotate and cut by a CropBox:
the image the curator sees and the frame the words (and the extractor's boxes) are in agree."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2
import pytest
from PIL import Image

from evidence.curation.web.pages import SCALE, box_style, frame_of, page_image, to_points, words_under
from extraction.pdf import page_words

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sacral" / "pdfs"
CROP = (30.0, 20.0, 10.0, 40.0)  # points cut from the left, bottom, right and top


def _turned(src: Path, page: int, out: Path, rotate: int) -> Path:
    """One page of ``src`` saved with /Rotate ``rotate`` and a CropBox inset by CROP."""
    doc = pypdfium2.PdfDocument(str(src))
    new = pypdfium2.PdfDocument.new()
    new.import_pages(doc, [page - 1])
    p = new[0]
    left, bottom, right, top = p.get_mediabox()
    p.set_cropbox(left + CROP[0], bottom + CROP[1], right - CROP[2], top - CROP[3])
    p.set_rotation(rotate)
    new.save(str(out))
    return out


def _word(src: Path) -> tuple[int, dict]:
    with pdfplumber.open(src) as pdf:
        for i, page in enumerate(pdf.pages):
            for w in page.extract_words():
                if re.fullmatch(r"\d+\.\d+", w["text"]) and w["x0"] > 60 and w["top"] > 60:
                    return i + 1, w
    raise AssertionError("no decimal number")


@pytest.mark.parametrize("rotate", [0, 90, 270])
def test_selection_on_a_turned_cropped_page_finds_the_printed_word(tmp_path, rotate):
    src = EXAMPLE / "tian2022_sacroplasty_rfa_ajnr.pdf"
    page, word = _word(src)
    turned = _turned(src, page, tmp_path / "turned.pdf", rotate)
    original = Image.open(page_image(src, page, tmp_path / "cache")).convert("L")
    shown = Image.open(page_image(turned, 1, tmp_path / "cache")).convert("L")
    # the shown page is the visible (cropped) area, upright whatever /Rotate says
    assert shown.size == (round(original.size[0] - (CROP[0] + CROP[2]) * SCALE),
                          round(original.size[1] - (CROP[1] + CROP[3]) * SCALE))
    # where the word is printed on the original page, minus the cut margin, is where it is shown
    box = [word["x0"], word["top"], word["x1"], word["bottom"]]
    at = [round((box[0] - CROP[0]) * SCALE), round((box[1] - CROP[3]) * SCALE),
          round((box[2] - CROP[0]) * SCALE), round((box[3] - CROP[3]) * SCALE)]
    there = np.asarray(shown.crop(at), dtype=float)
    here = np.asarray(original.crop([round(v * SCALE) for v in box]), dtype=float)
    assert there.min() < 128 and np.abs(there - here).mean() < 8  # the same glyphs, not blank paper
    # a drag over those pixels (the browser shows the image at half size) finds that word
    half = (shown.size[0] / 2, shown.size[1] / 2)
    found = words_under(turned, 1, tuple(v / 2 for v in (at[0] - 2, at[1] - 2, at[2] + 2, at[3] + 2)), half)
    assert found.value == word["text"] and word["text"] in found.words
    # and the box the extractor would write for it (its frame) is drawn over those pixels
    extracted = next(w for w in page_words(turned, 1)[1] if w["text"] == word["text"])
    style = dict(part.split(":") for part in box_style(
        (extracted["x0"], extracted["top"], extracted["x1"], extracted["bottom"]), frame_of(turned, 1), pad=0).split(";"))
    assert float(style["left"].rstrip("%")) == pytest.approx(at[0] / shown.size[0] * 100, abs=0.2)
    assert float(style["top"].rstrip("%")) == pytest.approx(at[1] / shown.size[1] * 100, abs=0.2)


def test_to_points_scales_and_orders_the_corners():
    assert to_points((200, 100, 100, 50), (400, 800), (0, 0, 200, 400)) == (50, 25, 100, 50)
    assert to_points((0, 0, 400, 800), (400, 800), (30, -20, 230, 380)) == (30, -20, 230, 380)


def test_page_image_is_written_once(tmp_path):
    src = EXAMPLE / "tian2022_sacroplasty_rfa_ajnr.pdf"
    first = page_image(src, 1, tmp_path)
    stamp = first.stat().st_mtime_ns
    assert page_image(src, 1, tmp_path) == first and first.stat().st_mtime_ns == stamp
    assert not list(tmp_path.glob(".*.tmp"))
