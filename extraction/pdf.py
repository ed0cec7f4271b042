"""The only module that talks to pdfplumber (and pypdfium2): open a PDF, read chars, words and
ruled tables page by page, recover verbatim text inside a box, and render debug images.

Chars are read by PDFium (:class:`_PdfiumReader`), as pdfplumber's char dicts with pdfminer's box
arithmetic; words are pdfplumber's ``extract_words`` on them, ruled tables pdfplumber's
``find_tables`` algorithm on the lines PDFium draws. pdfminer parses objects (document, page boxes,
font descriptors) but no page's content, which was ~80% of the reading time (DESIGN.md). The
provenance check (:func:`crop_text`, :func:`page_texts`) still crops with pdfplumber on the PDF.

Everything returned is plain Python data (dataclasses, dicts, lists), so the rest of the package
never holds a pdfplumber object and pages can be closed as soon as they are read (memory stays
flat: MEASURED.md, ~13 MiB per page otherwise).

Coordinates are pdfplumber's: ``(x0, top, x1, bottom)`` in PDF points from the page's top-left,
of the page turned so its text reads upright (every open goes through
:func:`extraction.geometry.reading_path`, so reading and the provenance check share one frame).
"""

from __future__ import annotations

import atexit
import bisect
import ctypes
import hashlib
import itertools
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
from typing import Any, Iterable, Iterator

import pdfplumber
import pdfplumber.utils as plumber_utils
import pdfplumber.utils.text as plumber_text
import pypdfium2.raw as raw
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


def _open(path: str | Path, rpath: str | Path | None = None):
    path = Path(path)
    if not path.exists():
        raise UnreadablePDF(f"file not found: {path}", stage="open")
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise UnreadablePDF(not_a_pdf_reason(head), stage="open")
    try:
        pdf = pdfplumber.open(str(rpath)) if rpath is not None else _plumber(path)
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
    geometry = scan(path)  # PDFium's look at every page, shared by the text mask and the upright copy
    mask = None if geometry is None else [p.has_text for p in geometry]
    rpath = reading_path(path, geometry)
    pdf = _open(path, rpath)  # pdfminer's view: metadata, page boxes, fonts, and the ruled-table pages
    try:
        meta = {str(k): str(v) for k, v in (pdf.metadata or {}).items() if isinstance(v, (str, int, float))}
        n_pages = len(pdf.pages)
        pages: list[PageContent] = []
        skipped: list[int] = []
        limit = n_pages if max_pages is None else min(n_pages, max_pages)
        reader = _PdfiumReader(rpath)
        try:
            for i in range(limit):
                page = pdf.pages[i]
                try:
                    if mask is not None and i < len(mask) and not mask[i]:
                        skipped.append(i + 1)
                        # no text per PDFium: do not let pdfminer parse the (large) image stream
                        pages.append(PageContent(i + 1, float(page.width), float(page.height), [], []))
                        continue
                    content = reader.read_page(i, page, tables)
                    content.chars = spill.add(content.chars)  # on disk: memory stays flat in pages
                    pages.append(content)
                    _early_cid_check(pages)
                finally:
                    page.close()
        finally:
            reader.close()
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


# ---------------------------------------------------------------------------------------------
# Characters from PDFium, in pdfplumber's frame and with pdfminer's box arithmetic

_VOID = ctypes.c_void_p
_REOPEN_EVERY = 8  # pages read per opening of the file: PDFium keeps pages' data until closed
_STANDARD_14 = None


def _standard_fonts() -> dict[str, float]:
    """pdfminer's descents of the standard 14 fonts (its AFM table wins over a FontDescriptor)."""
    global _STANDARD_14
    if _STANDARD_14 is None:
        from pdfminer.fontmetrics import FONT_METRICS

        _STANDARD_14 = {name: -abs(float(desc.get("Descent", 0))) * 0.001 for name, (desc, _w) in FONT_METRICS.items()}
    return _STANDARD_14


def _font_descents(resources: Any, out: dict[str, float | None], depth: int = 0) -> None:
    """``BaseFont -> descent`` (text-space units per unit of font size) of the fonts in ``resources``,
    as pdfminer computes it (``PDFFont.get_descent``); None where pdfminer's rule is not replicated
    (Type 3 fonts) or two fonts of one name disagree, so PDFium's own value is used."""
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral, literal_name

    def name_of(v: Any) -> str | None:
        v = resolve1(v)
        if isinstance(v, PSLiteral):
            return literal_name(v)
        if isinstance(v, bytes):
            return v.decode("latin-1")
        return v if isinstance(v, str) else None

    res = resolve1(resources)
    if not isinstance(res, dict):
        return
    fonts = resolve1(res.get("Font")) or {}
    if isinstance(fonts, dict):
        for spec in fonts.values():
            spec = resolve1(spec)
            if not isinstance(spec, dict):
                continue
            base = name_of(spec.get("BaseFont"))
            if not base:
                continue
            sub = name_of(spec.get("Subtype"))
            value: float | None
            if sub == "Type3":
                value = None
            else:
                std = _standard_fonts().get(base) if sub in ("Type1", "MMType1") else None
                if std is not None:
                    value = std
                else:
                    holder = spec
                    if sub == "Type0":
                        desc = resolve1(spec.get("DescendantFonts")) or []
                        holder = resolve1(desc[0]) if desc else {}
                    fd = resolve1(holder.get("FontDescriptor")) if isinstance(holder, dict) else None
                    d = resolve1(fd.get("Descent", 0)) if isinstance(fd, dict) else 0
                    value = -abs(float(d)) * 0.001 if isinstance(d, (int, float)) else 0.0
            for key in {base, base.split("+", 1)[1] if "+" in base[:8] else base}:
                if key in out and out[key] != value:
                    out[key] = None
                else:
                    out.setdefault(key, value)
    if depth < 3:
        xobjects = resolve1(res.get("XObject")) or {}
        if isinstance(xobjects, dict):
            for x in xobjects.values():
                x = resolve1(x)
                attrs = getattr(x, "attrs", None)
                if isinstance(attrs, dict) and name_of(attrs.get("Subtype")) == "Form" and "Resources" in attrs:
                    _font_descents(attrs["Resources"], out, depth + 1)


class _PdfiumReader:
    """Chars of each page read by PDFium (``FPDFText_*``), with the keys and the box arithmetic of
    pdfplumber's char dicts: x0 at the glyph origin, x1 = x0 + advance width, the box's bottom at the
    font's descent (pdfminer's value, from the font resources), its height the font size, in the
    displayed (``/Rotate``d) page with the origin at its top-left. pdfminer parses the content of a
    page only when PDFium finds drawn lines that can rule a table (``find_tables``)."""

    def __init__(self, path: Path) -> None:
        import pypdfium2

        self._pdfium = pypdfium2
        self.path = str(path)
        self.doc = pypdfium2.PdfDocument(self.path)
        self.opened = 0
        self.descents: dict[str, float | None] = {}
        self.rect = raw.FS_RECTF()
        self.m = raw.FS_MATRIX()
        self.ox, self.oy, self.fw = ctypes.c_double(), ctypes.c_double(), ctypes.c_float()
        self.name = ctypes.create_string_buffer(256)

    def close(self) -> None:
        self.doc.close()

    def read_page(self, i: int, plumber_page: Any, tables: bool) -> PageContent:
        if self.opened >= _REOPEN_EVERY:  # 300 pages: flat memory instead of every page's objects
            self.doc.close()
            self.doc = self._pdfium.PdfDocument(self.path)
            self.opened = 0
        self.opened += 1
        _font_descents(plumber_page.page_obj.resources, self.descents)
        page = self.doc[i]
        try:
            tp = page.get_textpage()
            try:
                chars = self.chars(page, tp)
            finally:
                tp.close()
            found = _ruled_tables(page, chars, i + 1) if tables and chars else []
        finally:
            page.close()
        number = i + 1
        n_cid = sum(len(_CID.findall(c["text"])) for c in chars if "(" in c["text"])
        words = [{"text": w["text"], "x0": float(w["x0"]), "top": float(w["top"]), "x1": float(w["x1"]),
                  "bottom": float(w["bottom"]), "size": float(w.get("size") or 0.0),
                  "upright": bool(w.get("upright", True)), "page": number}
                 for w in extract_words(chars)]
        return PageContent(number, float(plumber_page.width), float(plumber_page.height), words, chars, found, 0, n_cid)

    def chars(self, page: Any, textpage: Any) -> list[dict[str, Any]]:
        rot = page.get_rotation() % 360
        mx0, my0, mx1, my1 = page.get_mediabox()
        height = (mx1 - mx0) if rot in (90, 270) else (my1 - my0)
        tp = ctypes.cast(textpage.raw, _VOID).value
        n = raw.FPDFText_CountChars(textpage.raw)
        f = _fast()
        rect, m, ox, oy, fw = self.rect, self.m, self.ox, self.oy, self.fw
        prect, pm, pox, poy, pfw = (ctypes.byref(v) for v in (rect, m, ox, oy, fw))
        tl, tr, tb, tt = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
        ptl, ptr, ptb, ptt = (ctypes.byref(v) for v in (tl, tr, tb, tt))
        get_u, is_gen, map_error, get_o, get_to = f.unicode, f.generated, f.map_error, f.origin, f.text_object
        descents_of = self.descents
        out: list[dict[str, Any]] = []
        prev_to = None
        font = 0
        fs = a = b = c = d = desc = 0.0
        widths: dict[tuple, float] = {}
        descents: dict[tuple, float] = {}
        seen: dict[int, int] = {}
        last_of: dict[int, int] = {}
        flat: dict[int, bool] = {}
        by_loose = plain = False
        last_origin = None
        last: tuple = ()

        def box(a: float, b: float, c: float, d: float, wid: float, x: float, y: float, desc: float, fs: float) -> dict[str, Any]:
            # pdfminer's box: (0, descent) .. (advance, descent + size) in text space, at the origin
            p0x, p0y = x + desc * c, y + desc * d
            p1x, p1y = x + wid * a + (desc + fs) * c, y + wid * b + (desc + fs) * d
            l, r = (p0x, p1x) if p0x <= p1x else (p1x, p0x)
            lo, hi = (p0y, p1y) if p0y <= p1y else (p1y, p0y)
            if rot == 0:
                x0, x1, y0, y1 = l - mx0, r - mx0, lo - my0, hi - my0
                A, B, C, D = a, b, c, d
            elif rot == 90:  # pdfminer's display frame: (x, y) -> (y - y0, x1 - x)
                x0, x1, y0, y1 = lo - my0, hi - my0, mx1 - r, mx1 - l
                A, B, C, D = b, -a, d, -c
            elif rot == 180:
                x0, x1, y0, y1 = mx1 - r, mx1 - l, my1 - hi, my1 - lo
                A, B, C, D = -a, -b, -c, -d
            else:  # 270: (x, y) -> (y1 - y, x - x0)
                x0, x1, y0, y1 = my1 - hi, my1 - lo, l - mx0, r - mx0
                A, B, C, D = -b, a, -d, c
            top, bottom = height - y1, height - y0
            return {"text": "", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
                    "upright": A * D > 0 and B * C <= 0, "size": bottom - top}

        i = 0
        while i < n:
            u = get_u(tp, i)
            if (u <= 32 or u == 0xA0) and is_gen(tp, i):  # spaces and line breaks PDFium infers
                i += 1
                continue
            j = i + 1
            if 0xD800 <= u < 0xDC00 and j < n and 0xDC00 <= get_u(tp, j) < 0xE000:  # UTF-16 pair
                text = chr(0x10000 + ((u - 0xD800) << 10) + (get_u(tp, j) - 0xDC00))
                j += 1
            elif u == 2:  # PDFium's code for a hyphen that ends a line
                text = "-"
            else:
                text = chr(u)
            if map_error(tp, i):  # no Unicode for the glyph: pdfminer writes its code
                text = f"(cid:{u})"
            to = get_to(tp, i)
            if to != prev_to:  # a text object: one font, size and matrix
                prev_to = to
                seen.setdefault(to, len(out))
                font = f.font(to) or 0
                fs = raw.FPDFText_GetFontSize(textpage.raw, i)
                raw.FPDFText_GetMatrix(textpage.raw, i, pm)
                a, b, c, d = m.a, m.b, m.c, m.d
                metrics = flat.get(font)
                if metrics is None:  # PDFium's loose box needs the font's ascent and descent
                    up = ctypes.c_float()
                    metrics = flat[font] = bool(font) and f.ascent(font, 1.0, ctypes.byref(up)) and \
                        f.descent(font, 1.0, pfw) and up.value != fw.value
                by_loose = bool(metrics) and abs(b) < 1e-9 and abs(c) < 1e-9 and a > 1e-9
                plain = rot == 0 and b == 0 and c == 0 and a > 0 and d > 0
                k = (font, fs)
                desc = descents.get(k)
                if desc is None:
                    known = None
                    if font and f.base_name(font, self.name, 256):
                        known = descents_of.get(self.name.value.decode("latin-1"))
                    if known is not None:
                        desc = known * fs
                    else:
                        desc = fw.value if font and f.descent(font, fs, pfw) else 0.0
                    descents[k] = desc
            get_o(tp, i, pox, poy)
            x, y = ox.value, oy.value
            if last_origin == (to, x, y) and out:
                # one glyph with several code points ("fi", "Th"): one char, as pdfminer has it, whose
                # advance is the glyph's (PDFium's loose box), not its first letter's
                raw.FPDFText_GetLooseCharBox(textpage.raw, i, prect)
                prev = out[-1]
                prev["text"] += text
                a0, b0 = abs(last[0]), abs(last[1])  # the advance runs along the text's direction
                if max(a0, b0) > 1e-9:
                    adv = (rect.right - rect.left) / a0 if a0 >= b0 else (rect.top - rect.bottom) / b0
                    wider = box(*last[:4], adv, *last[4:])
                    del wider["text"]
                    prev.update(wider)
                i = j
                continue
            last_origin = (to, x, y)
            if by_loose:  # PDFium's loose box spans the glyph's advance (its code's /Widths entry),
                f.loose(tp, i, prect)  # or its outline where that reaches further (an "f")
                wid = (rect.right - rect.left) / a
                f.char_box(tp, i, ptl, ptr, ptb, ptt)
                if abs(tr.value - rect.right) < 1e-3:
                    k2 = (font, u, fs)
                    adv = widths.get(k2)
                    if adv is None:
                        adv = widths[k2] = fw.value if font and f.glyph_width(font, 0x2D if u == 2 else u, fs, pfw) else -1.0
                    if 0 < adv <= wid + 1e-6:
                        wid = adv
            else:  # (a font without ascent and descent: PDFium's loose box is the glyph's outline)
                k2 = (font, u, fs)
                wid = widths.get(k2)
                if wid is None:
                    wid = widths[k2] = fw.value if font and f.glyph_width(font, 0x2D if u == 2 else u, fs, pfw) else -1.0
                if wid < 0:
                    f.loose(tp, i, prect)
                    wid = (rect.right - rect.left) / a if abs(a) > 1e-9 else 0.0
            last = (a, b, c, d, x, y, desc, fs)
            if plain:  # upright text on an unturned page (what box() computes, inlined)
                top = height - (y + (desc + fs) * d - my0)
                bottom = height - (y + desc * d - my0)
                ch = {"text": text, "x0": x - mx0, "x1": x + wid * a - mx0, "top": top, "bottom": bottom, "doctop": top,
                      "upright": True, "size": bottom - top}
            else:
                ch = box(a, b, c, d, wid, x, y, desc, fs)
                ch["text"] = text
            out.append(ch)
            last_of[to] = len(out)
            i = j
        return self._dropped_spaces(page, out, seen, last_of, box, descents)

    def _dropped_spaces(self, page: Any, out: list[dict[str, Any]], seen: dict[int, int], last_of: dict[int, int],
                        box: Any, descents: dict[tuple, float]) -> list[dict[str, Any]]:
        """Put back the spaces PDFium's text page leaves out: a text object that shows only a space
        has no chars there (and a point for its bounds), where pdfminer has a space char that ends
        the word before it. Each goes after the chars of the text object drawn before it."""
        f = _fast()
        l, b, r, t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
        size, fw = ctypes.c_float(), ctypes.c_float()
        m = raw.FS_MATRIX()
        inserts: list[tuple[int, dict[str, Any]]] = []
        after = 0
        holder = ctypes.cast(page.raw, _VOID).value
        for k in range(f.count_objects(holder)):
            obj = f.get_object(holder, k)
            if f.object_type(obj) != raw.FPDF_PAGEOBJ_TEXT:
                continue
            if obj in seen:
                after = last_of.get(obj, after)
                continue
            if not f.bounds(obj, ctypes.byref(l), ctypes.byref(b), ctypes.byref(r), ctypes.byref(t)):
                continue
            if r.value - l.value > 0.01 or t.value - b.value > 0.01 or not f.text_font_size(obj, ctypes.byref(size)):
                continue  # not the point PDFium gives a text object without chars
            if not raw.FPDFPageObj_GetMatrix(ctypes.cast(obj, raw.FPDF_PAGEOBJECT), m):
                continue
            font = f.font(obj) or 0
            fs = size.value
            desc = descents.get((font, fs))
            if desc is None:
                desc = fw.value if font and f.descent(font, fs, ctypes.byref(fw)) else 0.0
            wid = fw.value if font and f.glyph_width(font, 32, fs, ctypes.byref(fw)) else 0.25 * fs
            ch = box(m.a, m.b, m.c, m.d, wid, l.value, b.value, desc, fs)
            ch["text"] = " "
            if 0 < after <= len(out):
                prev = out[after - 1]
                if abs(prev["bottom"] - ch["bottom"]) < 0.5 * max(prev["size"], 1.0):
                    ch.update(top=prev["top"], bottom=prev["bottom"], doctop=prev["doctop"], size=prev["size"],
                              upright=prev["upright"])
            inserts.append((after, ch))
        for pos, ch in reversed(inserts):
            out.insert(pos, ch)
        return out


class _Fast:
    """PDFium's per-character functions with plain C types (handles as integers): the ctypes
    conversions of pypdfium2's typed pointers cost more than the calls themselves."""

    def __init__(self) -> None:
        V, I, U, D, F = ctypes.c_void_p, ctypes.c_int, ctypes.c_uint, ctypes.c_double, ctypes.c_float

        def proto(name: str, restype: Any, *argtypes: Any) -> Any:
            address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
            return ctypes.CFUNCTYPE(restype, *argtypes)(address)

        self.unicode = proto("FPDFText_GetUnicode", U, V, I)
        self.generated = proto("FPDFText_IsGenerated", I, V, I)
        self.map_error = proto("FPDFText_HasUnicodeMapError", I, V, I)
        self.origin = proto("FPDFText_GetCharOrigin", I, V, I, ctypes.POINTER(D), ctypes.POINTER(D))
        self.text_object = proto("FPDFText_GetTextObject", V, V, I)
        self.font = proto("FPDFTextObj_GetFont", V, V)
        self.base_name = proto("FPDFFont_GetBaseFontName", ctypes.c_size_t, V, ctypes.c_char_p, ctypes.c_size_t)
        self.descent = proto("FPDFFont_GetDescent", I, V, F, ctypes.POINTER(F))
        self.char_box = proto("FPDFText_GetCharBox", I, V, I, *[ctypes.POINTER(D)] * 4)
        self.ascent = proto("FPDFFont_GetAscent", I, V, F, ctypes.POINTER(F))
        self.loose = proto("FPDFText_GetLooseCharBox", I, V, I, ctypes.POINTER(raw.FS_RECTF))
        self.count_objects = proto("FPDFPage_CountObjects", I, V)
        self.get_object = proto("FPDFPage_GetObject", V, V, I)
        self.object_type = proto("FPDFPageObj_GetType", I, V)
        self.bounds = proto("FPDFPageObj_GetBounds", I, V, *[ctypes.POINTER(F)] * 4)
        self.text_font_size = proto("FPDFTextObj_GetFontSize", I, V, ctypes.POINTER(F))
        self.glyph_width = proto("FPDFFont_GetGlyphWidth", I, V, ctypes.c_uint32, F, ctypes.POINTER(F))


_FAST: _Fast | None = None


def _fast() -> _Fast:
    global _FAST
    if _FAST is None:
        _FAST = _Fast()
    return _FAST


def _mul(m: tuple, n: tuple) -> tuple:
    """Matrix product m x n of PDF matrices (a, b, c, d, e, f), row-vector convention."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _display(page: Any) -> Any:
    """The map from PDF user space to pdfplumber's frame of ``page``: ``(x, y) -> (x, top)``, with
    its ``/Rotate`` applied as pdfminer applies it and the origin at the top-left."""
    rot = page.get_rotation() % 360
    mx0, my0, mx1, my1 = page.get_mediabox()
    if rot == 90:
        return lambda x, y: (y - my0, x - mx0)
    if rot == 180:
        return lambda x, y: (mx1 - x, y - my0)
    if rot == 270:
        return lambda x, y: (my1 - y, mx1 - x)
    return lambda x, y: (x - mx0, my1 - y)


def _drawn_edges(page: Any) -> list[dict[str, Any]]:
    """pdfplumber's ``page.edges`` from PDFium's path objects (in form XObjects too): pdfminer's
    rule for each subpath (two points: a line; an axis-aligned rectangle: its four sides;
    anything else: a curve, whose consecutive points give its edges, the closing side not)."""
    edges: list[dict[str, Any]] = []
    m = raw.FS_MATRIX()
    px, py = ctypes.c_float(), ctypes.c_float()
    ppx, ppy = ctypes.byref(px), ctypes.byref(py)
    to_display = _display(page)

    def edge(p0: tuple[float, float], p1: tuple[float, float], kind: str, orientation: str | None) -> None:
        x0, x1 = min(p0[0], p1[0]), max(p0[0], p1[0])
        top, bottom = min(p0[1], p1[1]), max(p0[1], p1[1])
        if orientation is None:
            orientation = "v" if p0[0] == p1[0] else ("h" if p0[1] == p1[1] else None)
            if orientation is None:
                return
        edges.append({"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
                      "orientation": orientation, "object_type": kind})

    def subpath(points: list[tuple[float, float]], ops: str) -> None:
        # pdfminer's paint_path: endpoints only ("h" repeats the start), a redundant "l" before "h"
        # dropped; "ml": a line, "mlllh" on a rectangle: its sides, anything else: a curve
        if len(ops) < 2:
            return
        if len(ops) > 3 and ops[-2:] == "lh" and points[-2] == points[0]:
            ops = ops[:-2] + "h"
            points = points[:-1]
        if ops in ("ml", "mlh"):
            edge(points[0], points[1], "line", "h" if points[0][1] == points[1][1] else "v")
            return
        if ops in ("mlllh", "mllll") and points[0] == points[4]:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
            if (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0):
                left, right = min(x0, x2), max(x0, x2)
                top, bottom = min(y0, y2), max(y0, y2)
                for a, b in (((left, top), (right, top)), ((left, bottom), (right, bottom))):
                    edge(a, b, "rect_edge", "h")
                for a, b in (((left, top), (left, bottom)), ((right, top), (right, bottom))):
                    edge(a, b, "rect_edge", "v")
                return
        for p0, p1 in zip(points, points[1:]):
            edge(p0, p1, "curve_edge", None)

    stack = [(page.raw, False, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)]
    while stack:
        holder, is_form, outer, depth = stack.pop()
        count = raw.FPDFFormObj_CountObjects(holder) if is_form else raw.FPDFPage_CountObjects(holder)
        for k in range(count):
            obj = raw.FPDFFormObj_GetObject(holder, k) if is_form else raw.FPDFPage_GetObject(holder, k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind not in (raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH):
                continue
            own = (m.a, m.b, m.c, m.d, m.e, m.f) if raw.FPDFPageObj_GetMatrix(obj, m) else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            mat = _mul(own, outer)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                if depth < 4:
                    stack.append((obj, True, mat, depth + 1))
                continue
            a, b, c, d, e, f = mat
            points: list[tuple[float, float]] = []
            ops = ""
            bezier = 0
            for si in range(raw.FPDFPath_CountSegments(obj)):
                seg = raw.FPDFPath_GetPathSegment(obj, si)
                if not raw.FPDFPathSegment_GetPoint(seg, ppx, ppy):
                    continue
                kind_s = raw.FPDFPathSegment_GetType(seg)
                if kind_s == raw.FPDF_SEGMENT_BEZIERTO:
                    bezier += 1
                    if bezier % 3:  # PDFium lists both control points, pdfminer keeps the end point
                        continue
                x, y = px.value, py.value
                pt = to_display(a * x + c * y + e, b * x + d * y + f)
                if kind_s == raw.FPDF_SEGMENT_MOVETO:
                    subpath(points, ops)
                    points, ops, bezier = [pt], "m", 0
                    continue
                if not ops:
                    continue
                points.append(pt)
                ops += "c" if kind_s == raw.FPDF_SEGMENT_BEZIERTO else "l"
                if raw.FPDFPathSegment_GetClose(seg):
                    ops += "h"
                    points.append(points[0])
            subpath(points, ops)
    return edges


def _ruled_tables(page: Any, chars: list[dict[str, Any]], number: int) -> list[Table]:
    """pdfplumber's ``find_tables`` (default settings: cells from drawn lines) run on the edges of
    :func:`_drawn_edges`, the cell text from ``chars``: no pdfminer parse of the page."""
    from pdfplumber import table as plumber_table

    found: list[Table] = []
    try:
        edges = [e for e in _drawn_edges(page) if e["width" if e["orientation"] == "h" else "height"] >= 1]
        if sum(e["orientation"] == "h" for e in edges) < 3 or sum(e["orientation"] == "v" for e in edges) < 3:
            return []
        edges = plumber_table.merge_edges(edges, 3, 3, 3, 3)
        edges = [e for e in edges if e["width" if e["orientation"] == "h" else "height"] >= 3]
        cells = plumber_table.intersections_to_cells(plumber_table.edges_to_intersections(edges, 3, 3))
        for group in plumber_table.cells_to_tables(cells):
            t = plumber_table.Table(None, group)  # type: ignore[arg-type]
            rows_ = t.rows
            if len(rows_) < 2 or max(len(r.cells) for r in rows_) < 2:
                continue
            inside = _near(chars, t.bbox)
            rows = [[None if cell is None else
                     TableCell(text=plumber_utils.extract_text(_crop(inside, cell)), bbox=tuple(float(v) for v in cell))
                     for cell in row.cells] for row in rows_]
            found.append(Table(bbox=tuple(float(v) for v in t.bbox), rows=rows))
    except Exception as exc:  # a table finder failure must not lose the page's text
        log.warning("page %d: table detection failed (%s)", number, exc)
    return found


def _tables(page: Any, chars: list[dict[str, Any]], number: int) -> list[Table]:
    """pdfplumber's ruled tables of ``page`` (pdfminer parses this page), cell text from ``chars``:
    what :func:`_ruled_tables` computes without pdfminer (kept as the reference its test compares)."""
    found: list[Table] = []
    try:
        _fast_chars(page)
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
    return found


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
    return _clip(_near(chars, bbox), bbox)


def _clip(chars: list[dict[str, Any]], bbox: Bbox) -> list[dict[str, Any]]:
    """``pdfplumber.utils.crop_to_bbox(chars, bbox)`` written out (its ``clip_obj`` per char: the
    overlap with the box, touching counting unless both extents are zero; the same copies)."""
    b_left, b_top, b_right, b_bottom = bbox
    out = []
    for obj in chars:
        a_left, a_top, a_right, a_bottom = obj["x0"], obj["top"], obj["x1"], obj["bottom"]
        o_left = max(a_left, b_left)
        o_right = min(a_right, b_right)
        o_bottom = min(a_bottom, b_bottom)
        o_top = max(a_top, b_top)
        o_width = o_right - o_left
        o_height = o_bottom - o_top
        if not (o_height >= 0 and o_width >= 0 and o_height + o_width > 0):
            continue
        copy = dict(obj)
        copy["x0"], copy["top"], copy["x1"], copy["bottom"] = o_left, o_top, o_right, o_bottom
        if "doctop" in copy:
            copy["doctop"] = obj["doctop"] + (o_top - a_top)
        copy["width"] = copy["x1"] - copy["x0"]
        copy["height"] = copy["bottom"] - copy["top"]
        out.append(copy)
    return out


class _ByTop:
    """A page's chars ordered by ``top`` (positions into the page's list), so the chars near a box
    are found by bisection instead of a pass over the page (one pass per provenance box)."""

    def __init__(self, chars: list[dict[str, Any]]) -> None:
        self.chars = chars
        order = sorted(range(len(chars)), key=lambda i: chars[i]["top"])
        self.tops = [chars[i]["top"] for i in order]
        self.order = order
        self.tallest = max((c["bottom"] - c["top"] for c in chars), default=0.0)

    def near(self, bbox: Bbox) -> list[dict[str, Any]]:
        x0, top, x1, bottom = bbox
        chars = self.chars
        lo = bisect.bisect_left(self.tops, top - self.tallest)
        hi = bisect.bisect_right(self.tops, bottom)
        picked = sorted(i for i in self.order[lo:hi]
                        if (c := chars[i])["x0"] <= x1 and c["x1"] >= x0 and c["top"] <= bottom and c["bottom"] >= top)
        return [chars[i] for i in picked]  # in the page's order, as a pass over the list gives them


_INDEXES: OrderedDict[int, _ByTop] = OrderedDict()


def _near(chars: Iterable[dict[str, Any]], bbox: Bbox) -> list[dict[str, Any]]:
    """The chars whose box touches or overlaps ``bbox`` (a superset of what crop_to_bbox keeps), in
    their order. A page's list (a PageChars page, kept in memory while it is among the last read)
    is indexed once."""
    if isinstance(chars, PageChars):
        chars = chars._load()
    if not isinstance(chars, list) or len(chars) < 64:
        x0, top, x1, bottom = bbox
        return [c for c in chars if c["x0"] <= x1 and c["x1"] >= x0 and c["top"] <= bottom and c["bottom"] >= top]
    index = _INDEXES.get(id(chars))
    if index is None or index.chars is not chars:
        index = _INDEXES[id(chars)] = _ByTop(chars)
        while len(_INDEXES) > _RECENT_PAGES:
            _INDEXES.popitem(last=False)
    else:
        _INDEXES.move_to_end(id(chars))
    return index.near(bbox)


_WORDS: Any = None


def _top_clusters(tops: Iterable[float]) -> dict[float, int]:
    """pdfplumber's ``cluster_list`` of char tops with tolerance 3: top -> line number."""
    out: dict[float, int] = {}
    k, last = 0, None
    for top in sorted(set(tops)):
        if last is not None and not top <= last + 3:
            k += 1
        out[top] = k
        last = top
    return out


def _line_words(line: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """pdfplumber's words of one line of upright chars sorted by x0: split at blanks, at ""
    (split_at_punctuation), and where a char starts before the last or 0.15 size past its end."""
    word: list[dict[str, Any]] = []
    for c in line:
        text = c["text"]
        if text.isspace():
            if word:
                yield word
            word = []
        elif text == "":  # "" is in any string, so pdfplumber's punctuation split takes it
            if word:
                yield word
            yield [c]
            word = []
        elif word and (c["x0"] < (p := word[-1])["x0"] or c["x0"] > p["x1"] + 0.15 * p["size"]
                       or abs(c["top"] - p["top"]) > 3):
            yield word
            word = [c]
        else:
            word.append(c)
    if word:
        yield word


def extract_words(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``pdfplumber.utils.extract_words(chars, **WORD_SETTINGS)``: the same words in the same order
    (its steps for upright text written out in one pass; other text goes through pdfplumber's)."""
    global _WORDS
    if _WORDS is None:
        _WORDS = plumber_text.WordExtractor(**WORD_SETTINGS)
    assert WORD_SETTINGS == {"x_tolerance_ratio": 0.15, "y_tolerance": 3, "keep_blank_chars": False,
                             "use_text_flow": False, "extra_attrs": ["size"]}, "extract_words mirrors these"
    ligatures = plumber_text.LIGATURES
    out: list[dict[str, Any]] = []

    lig = ligatures.get

    def merge(word: list[dict[str, Any]]) -> None:
        # min / max written out as the builtins compute them (first item, then replace on < / >)
        first = word[0]
        t = first["text"]
        texts = [lig(t, t or "")]
        x0, x1, top, bottom = first["x0"], first["x1"], first["top"], first["bottom"]
        for c in word[1:]:
            t = c["text"]
            texts.append(lig(t, t or ""))
            if (v := c["x0"]) < x0:
                x0 = v
            if (v := c["x1"]) > x1:
                x1 = v
            if (v := c["top"]) < top:
                top = v
            if (v := c["bottom"]) > bottom:
                bottom = v
        out.append({"text": "".join(texts), "x0": x0, "x1": x1, "top": top, "bottom": bottom,
                    "upright": first["upright"], "size": first["size"]})

    for (upright, _size), run in itertools.groupby(chars, key=lambda c: (c["upright"], c["size"])):
        run = list(run)
        if not upright:
            for line, direction in _WORDS.iter_chars_to_lines(run):
                for word in _WORDS.iter_chars_to_words(line, direction):
                    out.append(_WORDS.merge_chars(word))
            continue
        # lines: pdfplumber's cluster_objects on "top" (tolerance 3), chars of a line by x0
        cluster = _top_clusters(c["top"] for c in run)
        run.sort(key=lambda c: cluster[c["top"]])
        for _k, line_iter in itertools.groupby(run, key=lambda c: cluster[c["top"]]):
            for word in _line_words(sorted(line_iter, key=lambda c: c["x0"])):
                merge(word)
    return out


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
    return fold_hyphens(_extract_text(cropped))


def _extract_text(chars: list[dict[str, Any]]) -> str:
    """``pdfplumber.utils.extract_text(chars, x_tolerance_ratio=0.15)`` (its other settings the
    defaults): its steps for upright text written out in one pass, the rest through pdfplumber."""
    assert WORD_SETTINGS["x_tolerance_ratio"] == 0.15, "_extract_text mirrors this ratio"
    if not chars:
        return ""
    if not all(c["upright"] for c in chars):
        return plumber_utils.extract_text(chars, x_tolerance_ratio=WORD_SETTINGS["x_tolerance_ratio"])
    lig = plumber_text.LIGATURES.get

    # words (text, top): chars clustered into lines on "top", a line's chars by x0, then split at
    # blanks, at "" (split_at_punctuation), and where a char starts before or 0.15 size past the last
    words: list[tuple[str, float]] = []

    def merge(word: list[dict[str, Any]]) -> None:
        top = word[0]["top"]
        for c in word[1:]:
            if (v := c["top"]) < top:
                top = v
        words.append(("".join([lig(t, t or "") for t in (c["text"] for c in word)]), top))

    cluster = _top_clusters(c["top"] for c in chars)
    run = sorted(chars, key=lambda c: cluster[c["top"]])
    for _k, line_iter in itertools.groupby(run, key=lambda c: cluster[c["top"]]):
        for word in _line_words(sorted(line_iter, key=lambda c: c["x0"])):
            merge(word)
    # lines: the words clustered on their top (tolerance 3), in order; words joined by a space
    wcluster = _top_clusters(t for _, t in words)
    lines = itertools.groupby(sorted(words, key=lambda w: wcluster[w[1]]), key=lambda w: wcluster[w[1]])
    return "\n".join(" ".join(t for t, _ in line) for _k, line in lines)


# The one place PDFium's text and pdfminer's disagree on the code point of a visible glyph: hyphens
# (U+2010 hyphen and U+2011 non-breaking hyphen come out of PDFium as "-" where pdfminer keeps them,
# and the reverse). Excerpts and the text the provenance check crops both write them as "-".
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-"})


def fold_hyphens(text: str) -> str:
    return text.translate(_HYPHENS)


def crop_text(path: str | Path, page_number: int, bbox: Bbox) -> str:
    """Re-open the PDF and return ``page.crop(bbox).extract_text()`` (for tests and checks)."""
    with _plumber(path) as pdf:
        page = pdf.pages[page_number - 1]
        try:
            x0, top, x1, bottom = bbox
            px0, ptop, px1, pbottom = page.bbox
            box = (max(x0, px0), max(top, ptop), min(x1, px1), min(bottom, pbottom))
            return fold_hyphens(page.crop(box).extract_text() or "")
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
                    out[i] = fold_hyphens(page.crop(box).extract_text() or "")
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
