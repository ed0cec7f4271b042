"""Page images for the curation pages (rendered once per page, cached on disk) and the words
under a rectangle drawn on one of them.

Images are rendered from the PDF's upright reading copy (:func:`extraction.geometry.reading_path`),
the frame of every box in the extracted tables, so a pixel is ``SCALE`` x a point there whatever
the page's ``/Rotate`` or CropBox.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from extraction.pdf import page_words, render_page

SCALE = 2.0
"""Pixels per PDF point of a page image (144 dpi: sharp at 100 % zoom on a laptop screen)."""
NUMBER = re.compile(r"[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_digests: dict[tuple[str, int, int], str] = {}


def _digest(pdf: Path) -> str:
    stat = pdf.stat()
    memo = (str(pdf), stat.st_size, stat.st_mtime_ns)
    if memo not in _digests:
        _digests[memo] = hashlib.sha256(pdf.read_bytes()).hexdigest()
    return _digests[memo]


def page_image(pdf: Path, page: int, cache: Path) -> Path:
    """The PNG of ``page`` (1-based) of ``pdf``, rendered on first use into ``cache``."""
    out = cache / f"{_digest(pdf)[:20]}-p{page}-x{SCALE:g}.png"
    if not out.is_file():
        render_page(pdf, page, out, scale=SCALE)
    return out


@dataclass
class Capture:
    value: str
    excerpt: str
    bbox: tuple[float, float, float, float]
    words: list[str]


def to_points(rect: tuple[float, float, float, float], shown: tuple[float, float],
              page_size: tuple[float, float]) -> tuple[float, float, float, float]:
    """A rectangle in pixels of an image shown at ``shown`` (width, height) -> PDF points."""
    x0, y0, x1, y1 = rect
    sx, sy = page_size[0] / shown[0], page_size[1] / shown[1]
    return (min(x0, x1) * sx, min(y0, y1) * sy, max(x0, x1) * sx, max(y0, y1) * sy)


def words_under(pdf: Path, page: int, rect: tuple[float, float, float, float],
                shown: tuple[float, float]) -> Capture:
    """The words whose boxes overlap ``rect`` (pixels of the image shown at ``shown``) by half
    their area or more: the first number among them is the value, all of them the excerpt."""
    width, height, words = page_words(pdf, page)
    x0, top, x1, bottom = to_points(rect, shown, (width, height))
    picked = []
    for w in words:
        ix = min(x1, w["x1"]) - max(x0, w["x0"])
        iy = min(bottom, w["bottom"]) - max(top, w["top"])
        area = max(w["x1"] - w["x0"], 0.01) * max(w["bottom"] - w["top"], 0.01)
        if ix > 0 and iy > 0 and ix * iy >= 0.5 * area:
            picked.append(w)
    if not picked:
        raise LookupError(f"{pdf.name} p.{page}: no words under the selection "
                          f"({x0:.0f},{top:.0f})-({x1:.0f},{bottom:.0f}) pt; drag over the printed number")
    picked.sort(key=lambda w: (round(w["top"]), w["x0"]))
    texts = [w["text"] for w in picked]
    number = next((m.group(0) for t in texts for m in [NUMBER.search(t)] if m), "")
    box = (min(w["x0"] for w in picked), min(w["top"] for w in picked),
           max(w["x1"] for w in picked), max(w["bottom"] for w in picked))
    return Capture(number.replace("−", "-").replace(",", ""), " ".join(texts), tuple(round(v, 2) for v in box), texts)  # type: ignore[arg-type]
