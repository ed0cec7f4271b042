"""The only module that talks to pdfplumber (and pypdfium2): open a PDF, read words, chars and
ruled tables page by page, recover verbatim text inside a box, and render debug images.

Everything returned is plain Python data (dataclasses, dicts, lists), so the rest of the package
never holds a pdfplumber object and pages can be closed as soon as they are read (memory stays
flat: MEASURED.md, ~13 MiB per page otherwise).

Coordinates are pdfplumber's: ``(x0, top, x1, bottom)`` in PDF points from the page's top-left,
of the page turned so its text reads upright (every open goes through
:func:`extraction.geometry.reading_path`, so reading and the provenance check share one frame).
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import pickle
import re
import tempfile
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pdfplumber
import pdfplumber.utils as plumber_utils
from pdfminer.layout import LTChar

from .geometry import reading_path, scan

log = logging.getLogger(__name__)
logging.getLogger("pdfminer").setLevel(logging.ERROR)

Bbox = tuple[float, float, float, float]

# Word grouping: a gap wider than 0.15 × font size starts a new word. This copes with PDFs that
# have no space glyphs (BMC, Hindawi, OUP, Wolters Kluwer), where the default absolute
# x_tolerance of 3 pt runs whole sentences together (MEASURED.md).
WORD_SETTINGS: dict[str, Any] = {
    "x_tolerance_ratio": 0.15,
    "y_tolerance": 3,
    "keep_blank_chars": False,
    "use_text_flow": False,
    "extra_attrs": ["size"],
}
# Keys kept from pdfplumber's char dicts: enough for utils.extract_text, small enough to keep.
_CHAR_KEYS = ("text", "x0", "x1", "top", "bottom", "doctop", "upright", "size", "matrix", "adv", "fontname")
_CID = re.compile(r"\(cid:\d+\)")


class UnreadablePDF(Exception):
    """The document cannot be read; ``reason`` is the sentence written to problems.tsv."""

    def __init__(self, reason: str, stage: str = "read") -> None:
        super().__init__(reason)
        self.reason = reason
        self.stage = stage


@dataclass
class TableCell:
    text: str
    bbox: Bbox


@dataclass
class Table:
    bbox: Bbox
    rows: list[list[TableCell | None]]


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    words: list[dict[str, Any]]
    chars: Sequence[dict[str, Any]]  # a list, or PageChars (on disk) from read_document
    tables: list[Table] = field(default_factory=list)
    n_images: int = 0
    n_cid: int = 0


@dataclass
class DocumentContent:
    path: str
    n_pages: int
    metadata: dict[str, str]
    pages: list[PageContent]
    skipped_pages: list[int] = field(default_factory=list)  # 1-based pages without a text layer

    @property
    def n_chars(self) -> int:
        return sum(len(p.chars) for p in self.pages)


class PageChars(Sequence):
    """One page's chars, kept on disk (a block of a per-document spill file) and loaded when
    used: a document's chars are most of its memory (~1 KiB each), so holding them for every page
    made a job grow with page count. The last few pages read stay in memory."""

    def __init__(self, store: str, offset: int, length: int, count: int) -> None:
        self.store, self.offset, self.length, self.count = store, offset, length, count

    def _load(self) -> list[dict[str, Any]]:
        key = (self.store, self.offset)
        chars = _RECENT.pop(key, None)
        if chars is None:
            with open(self.store, "rb") as fh:
                fh.seek(self.offset)
                chars = pickle.loads(zlib.decompress(fh.read(self.length)))
        _RECENT[key] = chars
        while len(_RECENT) > _RECENT_PAGES:
            _RECENT.popitem(last=False)
        return chars

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i):  # type: ignore[override]
        return self._load()[i]

    def __iter__(self):
        return iter(self._load())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, (PageChars, list)) and len(self) == len(other) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"PageChars({self.count} chars in {Path(self.store).name}@{self.offset})"


_RECENT: OrderedDict[tuple[str, int], list[dict[str, Any]]] = OrderedDict()
_RECENT_PAGES = 8


class _CharSpill:
    """Writes each page's chars to one file as it is read (the page is then released)."""

    def __init__(self, final: Path | None) -> None:
        if final is None:  # no page cache: a temporary file, removed when the process ends
            fd, name = tempfile.mkstemp(prefix="srtk-chars-", suffix=".bin")
            atexit.register(_unlink, name)
            self.final, self.tmp = Path(name), Path(name)
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=final.parent, suffix=".tmp")
            self.final, self.tmp = final, Path(name)
        self.fh = os.fdopen(fd, "wb")

    def add(self, chars: list[dict[str, Any]]) -> PageChars:
        blob = zlib.compress(pickle.dumps(chars, protocol=pickle.HIGHEST_PROTOCOL), 1)
        offset = self.fh.tell()
        self.fh.write(blob)
        return PageChars(str(self.final), offset, len(blob), len(chars))

    def close(self, keep: bool) -> None:
        self.fh.close()
        if self.tmp == self.final:
            return
        if keep:
            os.replace(self.tmp, self.final)
        else:
            _unlink(str(self.tmp))


def _unlink(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


def _slim_char(c: dict[str, Any]) -> dict[str, Any]:
    return {k: c[k] for k in _CHAR_KEYS if k in c}


def _open(path: str | Path):
    path = Path(path)
    if not path.exists():
        raise UnreadablePDF(f"file not found: {path}", stage="open")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise UnreadablePDF(not_a_pdf_reason(head), stage="open")
    try:
        pdf = _plumber(path)
        _ = pdf.pages  # forces parsing of the page tree
        return pdf
    except Exception as exc:  # pdfminer raises a zoo of types
        text = f"{type(exc).__name__}: {exc}"
        inner = repr(getattr(exc, "args", ("",))[0]) if getattr(exc, "args", None) else ""
        if "Password" in text or "Password" in inner or "password" in text.lower():
            raise UnreadablePDF("encrypted with a user password; cannot be opened without it", stage="open") from exc
        if "No /Root" in text or "No /Root" in inner:
            raise UnreadablePDF("corrupt PDF: no /Root object (is this really a PDF?)", stage="open") from exc
        if re.search(r"\bEOF\b|startxref|end of file", text, re.I):
            raise UnreadablePDF(f"corrupt PDF: the file ends early (truncated or incompletely downloaded; {text[:120]})",
                                stage="open") from exc
        raise UnreadablePDF(f"corrupt or unsupported PDF ({text[:160]})", stage="open") from exc


# what a file that is not a PDF usually is, by its first bytes
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Office document)"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Office document"),
    (b"{\\rtf", "an RTF document"),
)


def not_a_pdf_reason(head: bytes) -> str:
    """The reason for a file without a ``%PDF`` header, from its first bytes: empty, an HTML page,
    an image or office document (by its signature), or unknown content."""
    if not head:
        return "empty file (0 bytes)"
    kind = next((name for magic, name in _MAGIC if head.startswith(magic)), None)
    low = head.lstrip().lower()
    if kind is None and (low.startswith((b"<!doctype html", b"<html")) or b"<html" in low[:512]):
        kind = "an HTML page"
    if kind is None:
        return "not a PDF file (unknown content, no %PDF header)"
    return f"not a PDF file ({kind} saved under a .pdf name; no %PDF header)"


def _plumber(path: str | Path):
    """pdfplumber on the upright reading copy of ``path`` (the geometry hook)."""
    return pdfplumber.open(str(reading_path(path)))


def count_pages(path: str | Path) -> int:
    """Number of pages (0 if the file cannot be opened)."""
    try:
        import pypdfium2

        doc = pypdfium2.PdfDocument(str(path))
        try:
            return len(doc)
        finally:
            doc.close()
    except Exception:
        return 0


def text_page_mask(path: str | Path) -> list[bool] | None:
    """Which pages have any text, via PDFium (the geometry scan). None if PDFium cannot open it."""
    pages = scan(path)
    return None if pages is None else [p.has_text for p in pages]


def read_document(path: str | Path, max_pages: int | None = None, tables: bool = True) -> DocumentContent:
    """Read words, chars and ruled tables of every page, closing each page after use.

    The parsed pages are cached per PDF (see :func:`cache_path`): re-extracting a document after a
    change of the rules does not parse it again. Raises UnreadablePDF with a reason a curator can
    act on (password, corrupt, no text layer, (cid:N) glyph codes instead of text).
    """
    cached = cache_path(path, max_pages, tables)
    if cached is not None:
        doc = _load_cached(cached)
        if doc is not None:
            doc.path = str(path)
            return doc
    spill = _open_spill(cached)
    try:
        doc = _read_document(path, max_pages, tables, spill)
    except BaseException:
        spill.close(keep=False)
        raise
    spill.close(keep=True)
    if cached is not None and spill.final != spill.tmp:
        _store_cached(cached, doc)
    return doc


def _open_spill(cached: Path | None) -> _CharSpill:
    """The chars file next to the cache entry (``X.chars`` for ``X.pickle.z``), or a temporary one."""
    if cached is not None:
        try:
            return _CharSpill(cached.with_name(cached.name.removesuffix(".pickle.z") + ".chars"))
        except OSError as exc:  # a read-only or full disk only costs speed
            log.warning("could not write the page cache in %s (%s)", cached.parent, exc)
    return _CharSpill(None)


def _cache_dir() -> Path | None:
    setting = os.environ.get("SRTK_PAGE_CACHE", "")
    if setting.lower() in ("0", "off", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sacral-evidence-toolkit" / "pages"


def _reader_version() -> str:
    """Everything that decides what read_document returns: this module (and its geometry
    helper, if any), pdfplumber's, pdfminer's and PDFium's versions."""
    import importlib.metadata as md

    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in ("pdf.py", "geometry.py"):
        if (here / name).exists():
            digest.update((here / name).read_bytes())
    for dist in ("pdfplumber", "pdfminer.six", "pypdfium2"):
        try:
            digest.update(f"{dist}={md.version(dist)};".encode())
        except md.PackageNotFoundError:
            pass
    return digest.hexdigest()[:16]


def cache_path(path: str | Path, max_pages: int | None = None, tables: bool = True) -> Path | None:
    """Where the parsed pages of this PDF are cached: one file per (content, reader version,
    options) under ``$SRTK_PAGE_CACHE`` (default ``~/.cache/sacral-evidence-toolkit/pages``;
    ``SRTK_PAGE_CACHE=off`` disables the cache). None when disabled or the file is unreadable."""
    folder = _cache_dir()
    if folder is None:
        return None
    try:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None
    return folder / f"{digest}-{_reader_version()}-{max_pages or 'all'}-{int(tables)}.pickle.z"


def _load_cached(cached: Path) -> DocumentContent | None:
    try:
        doc = pickle.loads(zlib.decompress(cached.read_bytes()))
    except FileNotFoundError:
        return None
    except Exception as exc:  # a damaged cache file is read again from the PDF
        log.warning("ignoring unreadable page cache %s (%s)", cached, exc)
        return None
    if not isinstance(doc, DocumentContent):
        return None
    for page in doc.pages:  # the chars file must still hold every page's block
        chars = page.chars
        if isinstance(chars, PageChars):
            try:
                complete = os.path.getsize(chars.store) >= chars.offset + chars.length
            except OSError:
                complete = False
            if not complete:
                log.warning("ignoring page cache %s: its chars file %s is missing or short", cached, chars.store)
                return None
    return doc


def _store_cached(cached: Path, doc: DocumentContent) -> None:
    """Write atomically (temporary file + rename): a killed job never leaves half a cache file."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(zlib.compress(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL), 1))
            os.replace(tmp, cached)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:  # a read-only or full disk only costs speed
        log.warning("could not write the page cache %s (%s)", cached, exc)


def _read_document(path: str | Path, max_pages: int | None, tables: bool, spill: _CharSpill) -> DocumentContent:
    mask = text_page_mask(path)
    pdf = _open(path)
    try:
        meta = {str(k): str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, (str, int, float))}
        n_pages = len(pdf.pages)
        pages: list[PageContent] = []
        skipped: list[int] = []
        limit = n_pages if max_pages is None else min(n_pages, max_pages)
        for i in range(limit):
            page = pdf.pages[i]
            try:
                if mask is not None and i < len(mask) and not mask[i]:
                    skipped.append(i + 1)
                    # no text per PDFium: do not let pdfminer parse the (large) image stream
                    pages.append(PageContent(i + 1, float(page.width), float(page.height), [], []))
                    continue
                content = _read_page(page, i + 1, tables)
                content.chars = spill.add(content.chars)  # on disk: memory stays flat in pages
                pages.append(content)
                _early_cid_check(pages)
            finally:
                page.close()
        if hasattr(pdf, "flush_cache"):
            pdf.flush_cache()
    except UnreadablePDF:
        raise
    except Exception as exc:
        raise UnreadablePDF(f"error while reading pages ({type(exc).__name__}: {str(exc)[:160]})") from exc
    finally:
        pdf.close()
    doc = DocumentContent(str(path), n_pages, meta, pages, skipped)
    _check_text_layer(doc)
    return doc


def _fast_chars(page: Any) -> None:
    """Make ``page`` build its char dicts directly (same keys and arithmetic as pdfplumber's
    ``Page.process_object``, without resolving every attribute of every glyph: about a third of
    pdfplumber's parse time). Anything but a plain LTChar goes through pdfplumber's own code."""
    original = page.process_object
    height = page.height
    mb_x0, mb_top = page.mediabox[:2]
    doctop0 = page.initial_doctop
    number = page.page_number
    plain = page.pdf.unicode_norm is None

    def process(obj: Any) -> dict[str, Any]:
        if type(obj) is not LTChar or not plain or isinstance(obj.fontname, bytes):
            return original(obj)
        x0, x1 = obj.x0, obj.x1
        if mb_x0 != 0:
            x0, x1 = x0 + mb_x0, x1 + mb_x0
        top = (height - obj.y1) + mb_top
        return {"text": obj.get_text(), "x0": x0, "x1": x1, "top": top, "bottom": (height - obj.y0) + mb_top,
                "doctop": doctop0 + top, "upright": obj.upright, "size": obj.size, "matrix": obj.matrix,
                "adv": obj.adv, "fontname": obj.fontname, "object_type": "char", "page_number": number}

    page.process_object = process


def _crop(chars: Iterable[dict[str, Any]], bbox: Bbox) -> list[dict[str, Any]]:
    """pdfplumber's ``crop_to_bbox`` after a cheap pre-selection of the chars that can overlap the
    box (pdfplumber counts touching as overlapping, hence <=): same result, far fewer clips."""
    return plumber_utils.crop_to_bbox(_near(chars, bbox), bbox)


def _near(chars: Iterable[dict[str, Any]], bbox: Bbox) -> list[dict[str, Any]]:
    """The chars whose box touches or overlaps ``bbox`` (a superset of what crop_to_bbox keeps)."""
    x0, top, x1, bottom = bbox
    return [c for c in chars if c["x0"] <= x1 and c["x1"] >= x0 and c["top"] <= bottom and c["bottom"] >= top]


def _read_page(page: Any, number: int, tables: bool) -> PageContent:
    _fast_chars(page)
    chars = [_slim_char(c) for c in page.chars]
    n_cid = sum(len(_CID.findall(c["text"])) for c in chars)
    words = page.extract_words(**WORD_SETTINGS)
    out_words = []
    for w in words:
        out_words.append(
            {
                "text": w["text"],
                "x0": float(w["x0"]),
                "top": float(w["top"]),
                "x1": float(w["x1"]),
                "bottom": float(w["bottom"]),
                "size": float(w.get("size") or 0.0),
                "upright": bool(w.get("upright", True)),
                "page": number,
            }
        )
    found: list[Table] = []
    if tables and chars:
        try:
            for t in page.find_tables():
                inside = _near(chars, t.bbox)  # every cell lies in the table's box
                rows = []
                for row in t.rows:
                    cells = []
                    for cell in row.cells:
                        if cell is None:
                            cells.append(None)
                            continue
                        text = plumber_utils.extract_text(_crop(inside, cell))
                        cells.append(TableCell(text=text, bbox=tuple(float(v) for v in cell)))
                    rows.append(cells)
                if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
                    found.append(Table(bbox=tuple(float(v) for v in t.bbox), rows=rows))
        except Exception as exc:  # a table finder failure must not lose the page's text
            log.warning("page %d: table detection failed (%s)", number, exc)
    return PageContent(number, float(page.width), float(page.height), out_words, chars, found, 0, n_cid)


def _early_cid_check(pages: list[PageContent]) -> None:
    """Give up early on a document whose first three pages are mostly unmapped glyph codes.

    One page is not enough: a first page's graphical abstract or symbol font can be all codes while
    the article's text is readable (the whole-document check decides then)."""
    if len(pages) < 3:
        return
    n_chars = sum(len(p.chars) for p in pages)
    n_cid = sum(p.n_cid for p in pages)
    if n_chars > 2000 and n_cid * 8 > 0.2 * n_chars:
        raise UnreadablePDF(
            f"text layer unusable: {n_cid} '(cid:N)' glyph codes in the first {n_chars} characters "
            "(fonts without a Unicode map); OCR is needed",
            stage="read",
        )


def _check_text_layer(doc: DocumentContent) -> None:
    n_chars = doc.n_chars
    if n_chars == 0:
        raise UnreadablePDF(
            f"no text layer: {doc.n_pages} page(s) are images only (scanned); OCR is needed", stage="read"
        )
    n_cid = sum(p.n_cid for p in doc.pages)
    # "(cid:12)" is 8 chars; if those codes make up a large share of the text, it is unusable.
    if n_cid and n_cid * 8 > 0.2 * n_chars:
        raise UnreadablePDF(
            f"text layer unusable: {n_cid} '(cid:N)' glyph codes in {n_chars} characters "
            "(fonts without a Unicode map); OCR is needed",
            stage="read",
        )
    words = sum(len(p.words) for p in doc.pages)
    if words < 20:
        raise UnreadablePDF(f"almost no text: {words} words on {doc.n_pages} page(s)", stage="read")


def text_in_bbox(chars: Iterable[dict[str, Any]], bbox: Bbox) -> str:
    """The text pdfplumber's ``page.crop(bbox).extract_text()`` returns, from stored chars."""
    cropped = _crop(chars, bbox)
    if not cropped:
        return ""
    # the word gap of WORD_SETTINGS: pdfplumber's default 3 pt runs tightly set words together
    return plumber_utils.extract_text(cropped, x_tolerance_ratio=WORD_SETTINGS["x_tolerance_ratio"])


def crop_text(path: str | Path, page_number: int, bbox: Bbox) -> str:
    """Re-open the PDF and return ``page.crop(bbox).extract_text()`` (for tests and checks)."""
    with _plumber(path) as pdf:
        page = pdf.pages[page_number - 1]
        try:
            x0, top, x1, bottom = bbox
            px0, ptop, px1, pbottom = page.bbox
            box = (max(x0, px0), max(top, ptop), min(x1, px1), min(bottom, pbottom))
            return page.crop(box).extract_text() or ""
        finally:
            page.close()


def page_texts(path: str | Path, boxes: Iterable[tuple[int, Bbox]]) -> list[str]:
    """``crop(bbox).extract_text()`` for many (page, bbox) pairs, opening the file once."""
    by_page: dict[int, list[int]] = {}
    items = list(boxes)
    for i, (pg, _) in enumerate(items):
        by_page.setdefault(pg, []).append(i)
    out = [""] * len(items)
    with _plumber(path) as pdf:
        for pg, idxs in sorted(by_page.items()):
            page = pdf.pages[pg - 1]
            try:
                px0, ptop, px1, pbottom = page.bbox
                for i in idxs:
                    x0, top, x1, bottom = items[i][1]
                    box = (max(x0, px0), max(top, ptop), min(x1, px1), min(bottom, pbottom))
                    out[i] = page.crop(box).extract_text() or ""
            finally:
                page.close()
    return out


def render_boxes(
    path: str | Path,
    page_number: int,
    boxes: list[tuple[Bbox, str]],
    out_png: str | Path,
    resolution: int = 110,
) -> Path:
    """Write a PNG of one page with the given boxes drawn (the optional visual check)."""
    out_png = Path(out_png)
    out_png.parent.mkdir(parents=True, exist_ok=True)
    with _plumber(path) as pdf:
        page = pdf.pages[page_number - 1]
        try:
            im = page.to_image(resolution=resolution)
            rects = [b for b, _ in boxes]
            if rects:
                im.draw_rects(rects, stroke=(220, 30, 30), fill=(255, 230, 0, 50), stroke_width=2)
            try:
                from PIL import ImageDraw

                draw = ImageDraw.Draw(im.annotated)
                scale = resolution / 72.0
                for (x0, top, _x1, _b), label in boxes:
                    if label:
                        draw.text((x0 * scale, max(0, top * scale - 11)), label[:40], fill=(200, 0, 0))
            except Exception:  # labels are a nicety
                pass
            im.save(str(out_png), format="PNG")
        finally:
            page.close()
    return out_png


def page_words(path: str | Path, page_number: int) -> tuple[Bbox, list[dict[str, Any]]]:
    """The frame (pdfplumber's ``page.bbox``: the visible area, not always at (0, 0)) and the words of
    one page, in the coordinates of every box the extractor writes."""
    with _plumber(path) as pdf:
        if not 1 <= page_number <= len(pdf.pages):
            raise ValueError(f"{Path(path).name}: page {page_number} does not exist; expected 1..{len(pdf.pages)}")
        page = pdf.pages[page_number - 1]
        try:
            words = [{"text": w["text"], **{k: float(w[k]) for k in ("x0", "top", "x1", "bottom")}}
                     for w in page.extract_words(**WORD_SETTINGS)]
            return tuple(float(v) for v in page.bbox), words  # type: ignore[return-value]
        finally:
            page.close()


def page_frame(path: str | Path, page_number: int) -> Bbox:
    """pdfplumber's ``page.bbox`` of one page: where the rendered image's top-left corner is."""
    with _plumber(path) as pdf:
        return tuple(float(v) for v in pdf.pages[page_number - 1].bbox)  # type: ignore[return-value]


def render_page(path: str | Path, page_number: int, out_png: str | Path, scale: float = 2.0) -> tuple[int, int]:
    """Write one page as a PNG (PDFium, ``scale`` pixels per point) of the upright reading copy: its
    visible area, so pixel / ``scale`` + the :func:`page_frame` corner is a point of
    :func:`page_words`; return the image size."""
    import pypdfium2

    out_png = Path(out_png)
    out_png.parent.mkdir(parents=True, exist_ok=True)
    doc = pypdfium2.PdfDocument(str(reading_path(path)))
    try:
        if not 1 <= page_number <= len(doc):
            raise ValueError(f"{Path(path).name}: page {page_number} does not exist; expected 1..{len(doc)}")
        page = doc[page_number - 1]
        try:
            image = page.render(scale=scale).to_pil()
        finally:
            page.close()
    finally:
        doc.close()
    tmp = out_png.with_name(f".{out_png.name}.{os.getpid()}.tmp")
    image.save(tmp, format="PNG", compress_level=3)  # half the time of the default level, a smaller file
    os.replace(tmp, out_png)  # a killed render never leaves half an image in the cache
    return image.size
