"""Page images for the curation pages (rendered once per page, cached on disk) and the words
under a rectangle drawn on one of them.

Images are rendered from the PDF's upright reading copy (:func:`extraction.geometry.reading_path`),
the frame of every box in the extracted tables: the image is the page's visible area turned
upright, so a pixel is ``SCALE`` x a point there, counted from the corner of pdfplumber's page box
(:func:`frame_of`; not (0, 0) on a page whose CropBox was offset), whatever its ``/Rotate``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from extraction.pdf import count_pages, page_frame, page_words, render_page

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


def box_style(box: tuple[float, float, float, float], frame: tuple[float, float, float, float],
              pad: float = 1.5) -> str:
    """CSS placing ``box`` (points, ``pad`` around the glyphs) on the page image, in % of its size."""
    w, h = frame[2] - frame[0], frame[3] - frame[1]
    x0, top = box[0] - pad - frame[0], box[1] - pad - frame[1]
    return (f"left:{x0 / w * 100:.3f}%;top:{top / h * 100:.3f}%;"
            f"width:{(box[2] - box[0] + 2 * pad) / w * 100:.3f}%;height:{(box[3] - box[1] + 2 * pad) / h * 100:.3f}%")


@dataclass
class Capture:
    """The words under a selection: the value to store, the excerpt, their box (points) and the words."""

    value: str
    excerpt: str
    bbox: tuple[float, float, float, float]
    words: list[str]


def to_points(rect: tuple[float, float, float, float], shown: tuple[float, float],
              frame: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A rectangle in pixels of a page image shown at ``shown`` (width, height) -> the page's points
    (``frame``: pdfplumber's page box, whose top-left corner is the image's)."""
    x0, y0, x1, y1 = rect
    sx, sy = (frame[2] - frame[0]) / shown[0], (frame[3] - frame[1]) / shown[1]
    return (frame[0] + min(x0, x1) * sx, frame[1] + min(y0, y1) * sy,
            frame[0] + max(x0, x1) * sx, frame[1] + max(y0, y1) * sy)


_frames: dict[tuple[str, int], tuple[float, float, float, float]] = {}
_pages: dict[str, int] = {}


def n_pages(pdf: Path) -> int:
    """The number of pages (memoised per PDF content)."""
    digest = _digest(pdf)
    if digest not in _pages:
        _pages[digest] = count_pages(pdf)
    return _pages[digest]


def frame_of(pdf: Path, page: int) -> tuple[float, float, float, float]:
    """The page's box in the extractor's coordinates (memoised per PDF content and page)."""
    memo = (_digest(pdf), page)
    if memo not in _frames:
        _frames[memo] = page_frame(pdf, page)
    return _frames[memo]


def words_under(pdf: Path, page: int, rect: tuple[float, float, float, float],
                shown: tuple[float, float]) -> Capture:
    """The words whose boxes overlap ``rect`` (pixels of the image shown at ``shown``) by half
    their area or more: the first number among them is the value, all of them the excerpt."""
    frame, words = page_words(pdf, page)
    x0, top, x1, bottom = to_points(rect, shown, frame)
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
