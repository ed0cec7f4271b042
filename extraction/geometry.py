"""Page geometry before reading: turn every page so its text reads upright, and drop box offsets.

PDFs reach a review with pages turned by ``/Rotate`` (a scanner or a viewer saved them sideways),
with landscape tables set as rotated text on an upright page, and with a CropBox or MediaBox that
does not start at (0, 0). pdfplumber reports such pages in their display frame, where the
characters are not upright and words come out one glyph at a time, so a real study yields none of
its values.

:func:`reading_path` looks at each page with PDFium (the dominant angle of its characters, its
``/Rotate`` and its boxes) and, when any page needs it, writes an *upright copy*: each page's
``/Rotate`` set so its text reads left to right, and its visible CropBox moved to the origin
(content shifted by the box's corner, MediaBox = CropBox = ``(0, 0, w, h)``).
Every reader in :mod:`extraction.pdf` (words and tables, the provenance check, debug images)
opens the path this returns, so the boxes written to outcomes.tsv and the check that reads them
back use one frame: the page turned upright, origin at the top-left of its visible area. A PDF
that needs nothing is read as it is (no copy).

Copies are cached by content hash under the system temporary folder (``SRTK_GEOMETRY_CACHE``
overrides it) and written atomically, so concurrent jobs and killed runs leave no partial copy.
"""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

_SAMPLE = 400  # characters looked at per page
_COPY_VERSION = 2  # of the upright copy (part of its cache name: a new version is written anew)
_REOPEN_EVERY = 4  # pages scanned per opening of the file: PDFium keeps pages' data until closed


@dataclass(frozen=True)
class PageGeometry:
    rotation: int  # the page's /Rotate (clockwise degrees)
    turn: int  # /Rotate that makes its text read upright (clockwise degrees)
    offset: bool  # the visible box does not start at (0, 0) or differs from the MediaBox
    has_text: bool


def _text_angle(textpage, n: int) -> int:
    """Dominant clockwise angle (0/90/180/270) of a page's characters in user space."""
    import pypdfium2.raw as raw

    votes: Counter[int] = Counter()
    step = max(1, n // _SAMPLE)
    for i in range(0, n, step):
        a = raw.FPDFText_GetCharAngle(textpage.raw, i)
        if a < 0:  # -1: no such char
            continue
        votes[int(round(math.degrees(a) / 90.0)) % 4 * 90] += 1
    return votes.most_common(1)[0][0] if votes else 0


def scan(path: str | Path) -> list[PageGeometry] | None:
    """Geometry of every page (None if PDFium cannot open the file)."""
    try:
        import pypdfium2
    except ImportError:  # pragma: no cover
        return None
    try:
        doc = pypdfium2.PdfDocument(str(path))
    except Exception:
        return None
    try:
        out = []
        for i in range(len(doc)):
            if i and i % _REOPEN_EVERY == 0:  # 120 pages: 55 MiB peak, 149 without
                doc.close()
                doc = pypdfium2.PdfDocument(str(path))
            page = doc[i]
            try:
                rotation = page.get_rotation() % 360
                tp = page.get_textpage()
                n = tp.count_chars()
                has_text = n > 0 and bool(tp.get_text_range().strip())
                # PDFium's char angle is clockwise in user space; a text running "up" the page
                # (counter-clockwise 90) reads upright once the page is shown turned 90 clockwise.
                angle = _text_angle(tp, n) if has_text else (360 - rotation) % 360
                tp.close()
                turn = (360 - angle) % 360
                media = tuple(round(v, 2) for v in page.get_mediabox())
                crop = tuple(round(v, 2) for v in page.get_cropbox())
                offset = media[:2] != (0, 0) or crop != media
                out.append(PageGeometry(rotation, turn, offset, has_text))
            finally:
                page.close()
        return out
    finally:
        doc.close()


def needs_copy(pages: list[PageGeometry]) -> bool:
    return any(p.has_text and (p.turn != p.rotation or p.offset) for p in pages)


def _cache_dir() -> Path:
    d = Path(os.environ.get("SRTK_GEOMETRY_CACHE") or Path(tempfile.gettempdir()) / "srtk-upright")
    d.mkdir(parents=True, exist_ok=True)
    return d


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_upright(path: str | Path, out: str | Path, pages: list[PageGeometry]) -> Path:
    """Write ``path`` with each page turned upright and its visible box (CropBox) moved to the
    origin: content shifted by the box's lower-left corner, MediaBox and CropBox ``(0, 0, w, h)``
    (pdfplumber measures ``x0`` and ``top`` from the user-space origin, not from the box)."""
    import pypdfium2
    import pypdfium2.raw as raw

    out = Path(out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    doc = pypdfium2.PdfDocument(str(path))
    try:
        for i, g in enumerate(pages):
            if not g.has_text:
                continue
            page = doc[i]
            try:
                if g.offset:
                    l, b, r, t = page.get_cropbox()
                    if (l, b) != (0, 0):
                        raw.FPDFPage_TransFormWithClip(page.raw, raw.FS_MATRIX(1, 0, 0, 1, -l, -b), None)
                    page.set_mediabox(0, 0, r - l, t - b)
                    page.set_cropbox(0, 0, r - l, t - b)
                if g.turn != g.rotation:
                    page.set_rotation(g.turn)
            finally:
                page.close()
        doc.save(str(tmp))
    finally:
        doc.close()
    os.replace(tmp, out)
    return out


def reading_path(path: str | Path, pages: list[PageGeometry] | None = None) -> Path:
    """The file to read for ``path``: itself, or its cached upright copy (see the module text).
    ``pages``: the :func:`scan` of ``path`` when the caller has it (one PDFium pass, not two)."""
    path = Path(path)
    pages = scan(path) if pages is None else pages
    if not pages or not needs_copy(pages):
        return path
    out = _cache_dir() / f"{_digest(path)}-v{_COPY_VERSION}.pdf"
    if not out.exists():
        write_upright(path, out, pages)
    return out
