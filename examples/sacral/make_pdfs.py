#!/usr/bin/env python3
"""Typeset the bundled example corpus (examples/sacral/seeds/*.txt) as journal-style PDFs.

Usage::

    .venv/bin/python examples/sacral/make_pdfs.py [--out DIR]

The seed texts are plain-text conversions of five publications (see
``seeds/SOURCE.md``).  This script cleans the obvious conversion debris
(markdown markers, ``<sup>`` tags, LaTeX-ish math, publisher ads, PMC link
tags) and lays the text out like the published articles: title block, two
text columns for the journal articles, real ruled tables (so that
``pdfplumber``'s ``extract_tables()`` finds them), a running header and page
numbers.  Numbers, ``±`` signs and sentences with outcome data are never
edited; every deliberate text change is listed in the ``FIXES`` dictionaries
below and in ``seeds/SOURCE.md``.

Output is deterministic: reportlab runs in invariant mode with fixed
metadata, so two runs give byte-identical files (checked by
``tests/examples/test_make_pdfs.py``).

Fonts: DejaVu Serif / DejaVu Sans (they have ±, –, ≤, ≥, ×, °, µ, χ, which
reportlab's built-in Helvetica/Times lack).  On Debian/Ubuntu they come from
the package ``fonts-dejavu-core`` (``apt-get install -y fonts-dejavu-core``),
installed at /usr/share/fonts/truetype/dejavu/.  Only the regular and bold
faces are used because the italic faces live in a different package
(fonts-dejavu-extra); italic markup in the seeds is therefore set upright.
Regenerating byte-identical PDFs requires the same DejaVu release (2.37).
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from reportlab import rl_config

rl_config.invariant = 1  # fixed creation date + document ID -> reproducible bytes

from reportlab.lib import colors  # noqa: E402
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT  # noqa: E402
from reportlab.lib.pagesizes import A4, letter  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.platypus import (  # noqa: E402
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

HERE = Path(__file__).resolve().parent
SEED_DIR = HERE / "seeds"
OUT_DIR = HERE / "pdfs"

# --------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------
# Provided by the Debian/Ubuntu package ``fonts-dejavu-core``.
FONT_FILES = {
    "DejaVuSerif": "DejaVuSerif.ttf",
    "DejaVuSerif-Bold": "DejaVuSerif-Bold.ttf",
    "DejaVuSans": "DejaVuSans.ttf",
    "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
}
FONT_DIRS = [
    os.environ.get("SACRAL_DEJAVU_DIR", ""),
    "/usr/share/fonts/truetype/dejavu",  # Debian/Ubuntu: fonts-dejavu-core
    "/usr/share/fonts/dejavu",  # Fedora/Arch
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts/dejavu",
    "/opt/homebrew/share/fonts/dejavu",
]


class FontMissingError(RuntimeError):
    pass


def find_font_dir() -> Path:
    for d in FONT_DIRS:
        if d and all((Path(d) / f).is_file() for f in FONT_FILES.values()):
            return Path(d)
    raise FontMissingError(
        "DejaVu fonts not found: need /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf "
        "(plus DejaVuSerif-Bold.ttf, DejaVuSans.ttf, DejaVuSans-Bold.ttf). "
        "Install them with `apt-get install -y fonts-dejavu-core`, or point "
        "SACRAL_DEJAVU_DIR at a directory containing those files."
    )


_FONTS_DONE = False


def register_fonts() -> None:
    global _FONTS_DONE
    if _FONTS_DONE:
        return
    d = find_font_dir()
    for name, fn in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(d / fn)))
    # No italic faces in fonts-dejavu-core: italic maps to the upright face.
    pdfmetrics.registerFontFamily(
        "DejaVuSerif", normal="DejaVuSerif", bold="DejaVuSerif-Bold",
        italic="DejaVuSerif", boldItalic="DejaVuSerif-Bold")
    pdfmetrics.registerFontFamily(
        "DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold",
        italic="DejaVuSans", boldItalic="DejaVuSans-Bold")
    _FONTS_DONE = True


# --------------------------------------------------------------------------
# Inline markup cleaning
# --------------------------------------------------------------------------
SUP_O, SUP_C, B_O, B_C = "\x01", "\x02", "\x03", "\x04"
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TRANS = str.maketrans(_SUPERSCRIPTS, "0123456789")


def _math(m: re.Match) -> str:
    s = m.group(1).strip()
    s = re.sub(r"\^\{?([0-9A-Za-z]+)\}?", lambda k: SUP_O + k.group(1) + SUP_C, s)
    return s


def clean_inline(s: str, cite_rules=()) -> str:
    """Seed-text line -> reportlab paragraph markup."""
    s = s.replace("\\)", ")")
    # markdown links [text](url) -> text
    s = re.sub(r"\[([^\]]*)\]\((?:https?:|mailto:)[^)]*\)", r"\1", s)
    s = s.replace("[®]", "®")
    # LaTeX-ish bits
    s = s.replace("$\\left(\\frac{1}{3}$", "(<1/3")
    for a, b in (("\\sim", "~"), ("\\pm", "±"), ("\\leq", "≤"), ("\\geq", "≥"),
                 ("\\times", "×"), ("\\rightarrow", "►"), ("\\chi", "χ")):
        s = s.replace(a, b)
    s = re.sub(r"\$([^$]*)\$", _math, s)
    # superscripts
    s = re.sub(r"<sup>(.*?)</sup>", lambda m: SUP_O + m.group(1).strip() + SUP_C, s)
    s = s.replace("</sup>", "").replace("<sup>", "")
    s = re.sub(r" ?\^\{([^}]*)\}", lambda m: SUP_O + m.group(1) + SUP_C, s)
    s = re.sub(r" ?\^([A-Za-z0-9*,]+)", lambda m: SUP_O + m.group(1) + SUP_C, s)
    s = re.sub("[" + _SUPERSCRIPTS + "]+",
               lambda m: SUP_O + m.group(0).translate(_SUP_TRANS) + SUP_C, s)
    s = re.sub(r"</?i>|<hr/>", "", s)
    # markdown emphasis
    s = re.sub(r"\*\*(.+?)\*\*", lambda m: B_O + m.group(1) + B_C, s)
    s = re.sub(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])", r"\1", s)
    for pat in cite_rules:
        s = re.sub(pat, lambda m: (m.group("pre") if "pre" in m.groupdict() else "")
                   + SUP_O + m.group("n") + SUP_C, s)
    s = re.sub(r"[ \t]+", " ", s).strip()
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = (s.replace(SUP_O, "<super>").replace(SUP_C, "</super>")
         .replace(B_O, "<b>").replace(B_C, "</b>"))
    return s


def clean_cell(s: str) -> str:
    """Table cell: only strip tags/math markers; text otherwise verbatim."""
    s = re.sub(r"</?i>|<hr/>", "", s)
    s = re.sub(r"\$\s*([^$]*?)\s*\$", r"\1", s)
    return s.strip()


# --------------------------------------------------------------------------
# Styles
# --------------------------------------------------------------------------
def make_styles(body_size: float = 9.0):
    lead = body_size * 1.25
    st = {}
    st["body"] = ParagraphStyle("body", fontName="DejaVuSerif", fontSize=body_size,
                                leading=lead, alignment=TA_JUSTIFY, firstLineIndent=9,
                                spaceAfter=0)
    st["body1"] = ParagraphStyle("body1", parent=st["body"], firstLineIndent=0)
    st["h1"] = ParagraphStyle("h1", fontName="DejaVuSans-Bold", fontSize=body_size + 0.5,
                              leading=lead + 1, spaceBefore=8, spaceAfter=3,
                              textColor=colors.HexColor("#1F3A5F"))
    st["h2"] = ParagraphStyle("h2", fontName="DejaVuSans-Bold", fontSize=body_size - 0.5,
                              leading=lead, spaceBefore=6, spaceAfter=2)
    st["li"] = ParagraphStyle("li", parent=st["body1"], leftIndent=10, firstLineIndent=0,
                              alignment=TA_LEFT, spaceAfter=1)
    st["caption"] = ParagraphStyle("caption", fontName="DejaVuSans", fontSize=body_size - 1.5,
                                   leading=(body_size - 1.5) * 1.25, spaceBefore=5, spaceAfter=5,
                                   alignment=TA_JUSTIFY)
    st["tcaption"] = ParagraphStyle("tcaption", parent=st["caption"], spaceBefore=6, spaceAfter=3,
                                    alignment=TA_LEFT)
    st["tnote"] = ParagraphStyle("tnote", parent=st["caption"], fontSize=body_size - 2,
                                 leading=(body_size - 2) * 1.25, spaceBefore=1, spaceAfter=1)
    st["cell"] = ParagraphStyle("cell", fontName="DejaVuSans", fontSize=body_size - 2,
                                leading=(body_size - 2) * 1.2, alignment=TA_LEFT)
    st["cellh"] = ParagraphStyle("cellh", parent=st["cell"], fontName="DejaVuSans-Bold")
    st["ref"] = ParagraphStyle("ref", fontName="DejaVuSerif", fontSize=body_size - 2,
                               leading=(body_size - 2) * 1.25, leftIndent=12, firstLineIndent=-12,
                               alignment=TA_LEFT, spaceAfter=1.5)
    st["small"] = ParagraphStyle("small", fontName="DejaVuSerif", fontSize=body_size - 2,
                                 leading=(body_size - 2) * 1.25, alignment=TA_LEFT, spaceAfter=2)
    st["title"] = ParagraphStyle("title", fontName="DejaVuSans-Bold", fontSize=16, leading=20,
                                 spaceAfter=8, alignment=TA_LEFT)
    st["authors"] = ParagraphStyle("authors", fontName="DejaVuSans", fontSize=9.5, leading=13,
                                   spaceAfter=4)
    st["affil"] = ParagraphStyle("affil", fontName="DejaVuSans", fontSize=7, leading=9,
                                 spaceAfter=1)
    st["citation"] = ParagraphStyle("citation", fontName="DejaVuSans", fontSize=7.5, leading=10,
                                    spaceAfter=1, textColor=colors.HexColor("#333333"))
    st["abstract"] = ParagraphStyle("abstract", fontName="DejaVuSerif", fontSize=body_size - 0.5,
                                    leading=(body_size - 0.5) * 1.25, alignment=TA_JUSTIFY,
                                    spaceAfter=3)
    st["abshead"] = ParagraphStyle("abshead", fontName="DejaVuSans-Bold", fontSize=body_size,
                                   leading=body_size * 1.3, spaceBefore=4, spaceAfter=3)
    st["figtext"] = ParagraphStyle("figtext", fontName="DejaVuSans", fontSize=7, leading=9,
                                   alignment=TA_CENTER)
    return st


class Rule(Flowable):
    """A thin horizontal rule (drawn as a line, never as a rectangle)."""

    def __init__(self, width_frac=1.0, thickness=0.6, space=3, color=colors.black):
        super().__init__()
        self.width_frac, self.thickness, self.space, self.color = width_frac, thickness, space, color

    def wrap(self, aw, ah):
        self._w = aw * self.width_frac
        return aw, self.space * 2 + self.thickness

    def draw(self):
        c = self.canv
        c.setStrokeColor(self.color)
        c.setLineWidth(self.thickness)
        c.line(0, self.space, self._w, self.space)


# --------------------------------------------------------------------------
# Document model
# --------------------------------------------------------------------------
class Doc:
    """A parsed article: metadata + title-block flowables + body blocks."""

    def __init__(self, key, out_name, title, authors, citation, doi, header, page_size=A4,
                 two_col=True, body_size=9.0, subject=""):
        self.key, self.out_name, self.title, self.authors = key, out_name, title, authors
        self.citation, self.doi, self.header = citation, doi, header
        self.page_size, self.two_col, self.body_size = page_size, two_col, body_size
        self.subject = subject
        self.cover = []  # flowables for a leading cover page (repository / publisher sheet)
        self.front = []  # full-width flowables above the columns on the first article page
        self.body = _Story(self.body_size * 6)  # flowables in the column flow
        self.wide = {}  # name -> list of flowables drawn full width at top of a page
        self.st = make_styles(body_size)

    # helpers -----------------------------------------------------------
    def P(self, text, style="body", **kw):
        p = Paragraph(text, self.st[style] if isinstance(style, str) else style, **kw)
        p._is_heading = style in ("h1", "h2")
        return p

    def table(self, caption, rows, header_rows=0, notes=(), width=None, col_fracs=None):
        """A ruled table (full grid, so pdfplumber's lines strategy finds every cell)."""
        ncol = max(len(r) for r in rows)
        rows = [list(r) + [""] * (ncol - len(r)) for r in rows]
        data = []
        for i, r in enumerate(rows):
            sty = self.st["cellh"] if i < header_rows else self.st["cell"]
            data.append([Paragraph(clean_inline(clean_cell(c)), sty) for c in r])
        if col_fracs is None:
            col_fracs = [1.0 / ncol] * ncol
        cw = [width * f for f in col_fracs]
        t = Table(data, colWidths=cw, repeatRows=header_rows)
        ts = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        if header_rows:
            ts.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#E4E9F0")))
        t.setStyle(TableStyle(ts))
        out = [self.P(caption, "tcaption"), t]
        out += [self.P(n, "tnote") for n in notes]
        return out

    @property
    def frame_geom(self):
        W, H = self.page_size
        lm = rm = 48
        top, bottom = 58, 54
        return W, H, lm, rm, top, bottom

    def col_width(self):
        W, H, lm, rm, top, bottom = self.frame_geom
        return (W - lm - rm - 16) / 2 if self.two_col else W - lm - rm

    def full_width(self):
        W, H, lm, rm, top, bottom = self.frame_geom
        return W - lm - rm


class _Story(list):
    """Story list that puts a conditional column break before each heading, so a
    heading is never stranded at the foot of a column (keepWithNext would move
    whole long paragraphs and leave half-empty columns)."""

    def __init__(self, need):
        super().__init__()
        self.need = need

    def append(self, f):
        if getattr(f, "_is_heading", False):
            super().append(CondPageBreak(self.need))
        super().append(f)

    def __iadd__(self, flows):
        for f in flows:
            self.append(f)
        return self


def _height(flows, width):
    h = 0.0
    for f in flows:
        _, fh = f.wrap(width, 10_000)
        h += fh + f.getSpaceBefore() + f.getSpaceAfter()
    return h


class _DocTemplate(BaseDocTemplate):
    pass


def render(doc: Doc, out_path: Path) -> int:
    register_fonts()
    W, H, lm, rm, top, bottom = doc.frame_geom
    fw = W - lm - rm
    gap = 16
    cw = (fw - gap) / 2
    body_h = H - top - bottom
    page_counter = {"n": 0}

    def decorate(canv, d, show_header=True):
        canv.saveState()
        if show_header:
            canv.setFont("DejaVuSans", 7.5)
            canv.setFillColor(colors.HexColor("#333333"))
            canv.drawString(lm, H - 36, doc.header[0])
            canv.drawRightString(W - rm, H - 36, doc.header[1])
            canv.setStrokeColor(colors.HexColor("#777777"))
            canv.setLineWidth(0.5)
            canv.line(lm, H - 40, W - rm, H - 40)
        canv.setFont("DejaVuSans", 8)
        canv.setFillColor(colors.black)
        canv.drawCentredString(W / 2, 30, str(canv.getPageNumber()))
        canv.restoreState()

    def on_cover(canv, d):
        decorate(canv, d, show_header=False)

    def on_page(canv, d):
        decorate(canv, d, show_header=True)

    templates = []
    if doc.cover:
        templates.append(PageTemplate("cover", [Frame(lm, bottom, fw, body_h, id="cover")],
                                      onPage=on_cover, autoNextPageTemplate="first"))
    if doc.two_col:
        front_h = _height(doc.front, fw - 12) + 14 if doc.front else 0
        fcol_h = body_h - front_h
        first_frames = []
        if doc.front:
            first_frames.append(Frame(lm, bottom + fcol_h, fw, front_h, id="front"))
        first_frames += [Frame(lm, bottom, cw, fcol_h, id="c1"),
                         Frame(lm + cw + gap, bottom, cw, fcol_h, id="c2")]
        templates.append(PageTemplate("first", first_frames, onPage=on_page,
                                      autoNextPageTemplate="twocol"))
        templates.append(PageTemplate("twocol", [Frame(lm, bottom, cw, body_h, id="c1"),
                                                 Frame(lm + cw + gap, bottom, cw, body_h, id="c2")],
                                      onPage=on_page))
        for name, flows in doc.wide.items():
            wh = _height(flows, fw - 12) + 16

            def on_wide(canv, d, flows=flows, wh=wh):
                on_page(canv, d)
                y = H - top
                for f in flows:
                    w_, h_ = f.wrap(fw, 10_000)
                    y -= f.getSpaceBefore() + h_
                    f.drawOn(canv, lm, y)
                    y -= f.getSpaceAfter()

            templates.append(PageTemplate(
                name, [Frame(lm, bottom, cw, body_h - wh, id="c1"),
                       Frame(lm + cw + gap, bottom, cw, body_h - wh, id="c2")],
                onPage=on_wide, autoNextPageTemplate="twocol"))
    else:
        templates.append(PageTemplate("first", [Frame(lm, bottom, fw, body_h, id="single")],
                                      onPage=on_page))

    story = []
    if doc.cover:
        story += doc.cover + [NextPageTemplate("first"), PageBreak()]
    if doc.front:
        story += doc.front + ([FrameBreak()] if doc.two_col else [])
    story += doc.body

    d = _DocTemplate(
        str(out_path), pagesize=doc.page_size, pageTemplates=templates,
        leftMargin=lm, rightMargin=rm, topMargin=top, bottomMargin=bottom,
        title=doc.title, author=", ".join(doc.authors) if isinstance(doc.authors, list) else doc.authors,
        subject=doc.subject or doc.citation, creator="sacral-evidence-toolkit examples/sacral/make_pdfs.py",
        producer="ReportLab (invariant mode)", keywords="", lang="en",
    )
    d.build(story)
    return d.page


# --------------------------------------------------------------------------
# Parsing helpers
# --------------------------------------------------------------------------
END_PUNCT = tuple('.:;?!)"”’]')


def read_lines(name):
    return (SEED_DIR / name).read_text(encoding="utf-8").splitlines()


def join_broken(paras):
    """Re-join paragraphs split by page breaks in the conversion
    (previous one ends without sentence punctuation, next starts lower-case)."""
    out = []
    for p in paras:
        if (out and isinstance(out[-1], str) and isinstance(p, str) and p
                and (p[0].islower() or p[0] in "(")
                and not out[-1].rstrip().endswith(END_PUNCT)
                and not out[-1].startswith(("#", "- ", "Fig", "**FIG", "Table"))):
            out[-1] = out[-1].rstrip() + " " + p.lstrip()
        else:
            out.append(p)
    return out


def rejoin_around_captions(paras, is_caption):
    """Re-join a paragraph interrupted by figure legends; legends follow the paragraph."""
    paras = list(paras)
    n = 0
    while n < len(paras) - 1:
        if (not paras[n].startswith("#") and not is_caption(paras[n]) and "\t" not in paras[n]
                and not paras[n].rstrip().endswith(END_PUNCT) and is_caption(paras[n + 1])):
            m = n + 1
            while m < len(paras) and is_caption(paras[m]):
                m += 1
            if m < len(paras) and not paras[m].startswith("#") and "\t" not in paras[m]:
                paras = (paras[:n] + [paras[n].rstrip() + " " + paras[m].lstrip()]
                         + paras[n + 1:m] + paras[m + 1:])
        n += 1
    return paras


def split_tab_rows(lines):
    return [ln.split("\t") for ln in lines]


def heading_text(s):
    s = s.lstrip("#").strip()
    s = s.replace("**", "").strip()
    return s


# --------------------------------------------------------------------------
# Document builders
# --------------------------------------------------------------------------
TIAN_FIXES = {
    # Drop-cap conversion debris at the start of the introduction (no data in it).
    "one metastasis is common in advanced cancers and is often the B one metastasis is common in all and a cause of severe pain.":
        "Bone metastasis is common in advanced cancers and is often the cause of severe pain.",
    # OCR of the author initials on the article page ("O.-H." for "Q.-H.", as on the cover page).
    "O.-H. Tian, K.-Han, T. Wang, D.-L. Min, and C.-G. Wu":
        "Q.-H. Tian, K.-Han, T. Wang, D.-L. Min, and C.-G. Wu",
}
TIAN_DROP = {
    "# **Discover Generics**",  # publisher ad on the download cover page
    "Cost-Effective CT & MRI Contrast Agents",  # publisher ad
    "This information is current as of June 1, 2025.",
    "O- =",  # icon debris
    "1224",  # stray page number
}


def build_tian():
    lines = [ln for ln in read_lines("tian2022_sacroplasty_rfa_ajnr.txt")
             if ln.strip() and ln.strip() not in TIAN_DROP]
    title = "Percutaneous Sacroplasty with or without Radiofrequency Ablation for Treatment of Painful Sacral Metastases"
    doc = Doc("tian", "tian2022_sacroplasty_rfa_ajnr.pdf", title,
              ["Q.-H. Tian", "K.-Han", "T. Wang", "D.-L. Min", "C.-G. Wu"],
              "AJNR Am J Neuroradiol 2022, 43 (8) 1222-1227", "10.3174/ajnr.A7587",
              ("AJNR Am J Neuroradiol 43:1222–27 Aug 2022", "Tian et al"), page_size=letter)
    st = doc.st
    # ---- cover sheet (AJNR download cover, minus the ad) ----
    cover_title, cover_auth, cover_cit = lines[0], lines[1], lines[2]
    assert cover_title == title, cover_title
    doc.cover = [
        Spacer(1, 60),
        doc.P(clean_inline(cover_title), "title"),
        Spacer(1, 6),
        doc.P(clean_inline(cover_auth), "authors"),
        Spacer(1, 8),
        doc.P("<i>" + "AJNR Am J Neuroradiol" + "</i> " + clean_inline(cover_cit[len("*AJNR Am J Neuroradiol*"):]),
              "citation"),
    ]
    i = 3
    assert lines[i].startswith("# Percutaneous Sacroplasty"), lines[i]
    auth = TIAN_FIXES.get(lines[i + 1], lines[i + 1])
    i += 2
    assert heading_text(lines[i]) == "ABSTRACT"
    i += 1
    abstract = []
    while not lines[i].startswith("one metastasis"):
        abstract.append(lines[i])
        i += 1

    def labelled(s):
        m = re.match(r"^([A-Z][A-Z ]+):\s*(.*)$", s)
        if m:
            return "<b>" + m.group(1) + ":</b> " + clean_inline(m.group(2))
        return clean_inline(s)

    doc.front = [
        doc.P("ORIGINAL RESEARCH · SPINE", ParagraphStyle("kick", parent=st["citation"],
                                                          textColor=colors.HexColor("#1F3A5F"))),
        doc.P(clean_inline(title), "title"),
        doc.P(clean_inline(auth), "authors"),
        doc.P("AJNR Am J Neuroradiol 2022, 43 (8) 1222-1227 · doi: https://doi.org/10.3174/ajnr.A7587",
              "citation"),
        Rule(),
        doc.P("ABSTRACT", "abshead"),
    ] + [doc.P(labelled(a), "abstract") for a in abstract] + [Rule()]

    rest = lines[i:]
    # first-page footnotes (Received..., affiliations, grants, correspondence, icons)
    fn_start = next(k for k, ln in enumerate(rest) if ln.startswith("Received April 1"))
    fn_end = next(k for k, ln in enumerate(rest) if ln.startswith("Indicates article with online"))
    footnotes = rest[fn_start:fn_end + 1]
    rest = rest[:fn_start] + rest[fn_end + 1:]
    first = rest[0] + " " + rest[1]  # sentence interrupted by the footnote block
    for a, b in TIAN_FIXES.items():
        first = first.replace(a, b)
    rest = [first] + rest[2:]

    cite = [r"(?P<pre>[a-z)]\.) ?(?P<n>\d{1,2}(?:[,\-–]\d{1,2})*)(?= [A-Z]|$)"]
    # a sentence interrupted by the figure legends ("PMMA (Palacos" ... "V; Heraeus
    # Medical) was injected"): re-join it and set the legends after the paragraph
    rest = rejoin_around_captions(rest, lambda ln: ln.startswith("**FIG"))
    paras = join_broken(rest)
    body = doc.body
    in_refs = False
    refs = []
    k = 0
    tbl_rows, tbl_caption = [], None
    while k < len(paras):
        ln = paras[k]
        if "\t" in ln:
            tbl_rows.append(ln)
            k += 1
            if k >= len(paras) or "\t" not in paras[k]:
                rows = split_tab_rows(tbl_rows)
                # header cell "Р" is a Cyrillic Er from the conversion -> Latin P
                rows[0] = [("P" if c.strip() == "\u0420" else c) for c in rows[0]]
                doc.wide["wide_t1"] = doc.table(
                    "<b>Table:</b> " + clean_inline(tbl_caption), rows, header_rows=1,
                    width=doc.full_width(), col_fracs=[0.37, 0.25, 0.25, 0.13])
                body.append(NextPageTemplate("wide_t1"))
            continue
        if k + 1 < len(paras) and "\t" in paras[k + 1] and tbl_caption is None:
            tbl_caption = ln
            k += 1
            continue
        if ln.startswith("#"):
            h = heading_text(ln)
            if h == "REFERENCES":
                in_refs = True
            lvl = "h1" if h.isupper() else "h2"
            body.append(doc.P(clean_inline(h), lvl))
        elif in_refs:
            refs.append(re.sub(r"^(- |\d+\. )", "", ln))
        elif ln.startswith("**FIG"):
            body.append(doc.P(clean_inline(ln), "caption"))
        elif ln.startswith("Disclosure forms"):
            body.append(doc.P(clean_inline(ln), "small"))
        else:
            body.append(doc.P(clean_inline(ln, cite), "body"))
        if k == 0:
            body.append(Rule(0.4, 0.4, 4))
            for f in footnotes:
                f = re.sub(r"^Om ", "", f)
                body.append(doc.P(clean_inline(f), "small"))
            body.append(Rule(0.4, 0.4, 4))
        k += 1
    assert len(refs) == 34, len(refs)
    for n, r in enumerate(refs, 1):
        body.append(doc.P(f"{n}. " + clean_inline(r), "ref"))
    return doc


# ---------------------------------------------------------------------------
def build_cazzato_full():
    raw = read_lines("cazzato2021_sacral_ablation_fulltext.txt")
    lines = [ln.rstrip(" \r\n") for ln in raw]  # keep trailing tabs (empty cells)
    title = "Percutaneous thermal ablation of sacral metastases: assessment of pain relief and local tumor control"
    doc = Doc("cazzato_full", "cazzato2021_sacral_ablation_fulltext.pdf", title,
              ["R.L. Cazzato", "P. de Marini", "I. Leonard-Lorant", "D. Dalili", "G. Koch",
               "P.A. Autrusseau", "T. Mayer", "J. Weiss", "P. Auloge", "J. Garnon", "A. Gangi"],
              "Diagnostic and Interventional Imaging, 2021, 102 (6), pp.355-361",
              "10.1016/j.diii.2020.12.008", ("Diagn Interv Imaging 2021;102:355–361", "R.L. Cazzato et al."))
    st = doc.st
    nonblank = [ln for ln in lines if ln.strip()]
    # ---- HAL cover sheet ----
    k_art = nonblank.index("Percutaneous thermal ablation of sacral metastases: assessment of pain relief and local tumor control")
    cover_lines = nonblank[:k_art]
    logo = ParagraphStyle("logo", fontName="DejaVuSans-Bold", fontSize=22, leading=26,
                          textColor=colors.HexColor("#B8312F"))
    cov = [doc.P("HAL", logo), doc.P("open science", ParagraphStyle("logo2", parent=st["authors"],
                                                                   textColor=colors.HexColor("#B8312F"))),
           Spacer(1, 30)]
    j = 2
    cov.append(doc.P(clean_inline(cover_lines[j]), "title"))
    cov.append(doc.P(clean_inline(cover_lines[j + 1]), "authors"))
    cov.append(Spacer(1, 14))
    for ln in cover_lines[j + 2:]:
        ln = ln.strip()
        if ln.startswith("<http"):
            ln = ln.strip("<>")
        style = "body1"
        if ln.startswith(("HAL is a", "L'archive", "Distributed under")):
            style = "small"
        if ln.startswith("► To cite"):
            ln = "<b>" + clean_inline(ln) + "</b>"
            cov.append(Spacer(1, 6))
            cov.append(doc.P(ln, style))
            continue
        cov.append(doc.P(clean_inline(ln), style))
        cov.append(Spacer(1, 4))
    doc.cover = cov

    art = nonblank[k_art:]
    # ---- locate pieces ----
    def idx(prefix, start=0):
        return next(n for n in range(start, len(art)) if art[n].startswith(prefix))

    i_short = idx("Short title:")
    i_aff = idx("Affiliations:")
    authors = art[idx("Roberto Luigi CAZZATO"):i_aff]
    i_corr = idx("*Corresponding author")
    affils = art[i_aff + 1:i_corr]
    i_abs = idx("Abstract")
    i_kw = idx("Keywords:")
    i_abbr = idx("Abbreviations")
    i_intro = idx("Introduction")
    i_legends = idx("Legends for figures")
    i_t1cap = idx("Table 1. Demographics")
    i_refs = idx("REFERENCES")
    # tables: tab rows after the captions
    tail = art[i_t1cap + 3:]
    flow_end = next(n for n, ln in enumerate(tail) if "\t" in ln)
    flowchart = [ln.strip() for ln in tail[:flow_end] if ln.strip()]
    tail = tail[flow_end:]
    groups, cur_rows, cur_notes = [], [], []
    for ln in tail:
        if "\t" in ln:
            if cur_notes:
                groups.append((cur_rows, cur_notes))
                cur_rows, cur_notes = [], []
            cur_rows.append(ln)
        else:
            cur_notes.append(ln)
    groups.append((cur_rows, cur_notes))
    assert len(groups) == 3, len(groups)
    cw = doc.col_width()
    t1 = doc.table("<b>" + "Table 1</b>" + clean_inline(art[i_t1cap][len("Table 1"):]),
                   split_tab_rows(groups[0][0]), 0, [clean_inline(n) for n in groups[0][1]],
                   width=cw, col_fracs=[0.38, 0.30, 0.32])
    t2_rows = [r for r in split_tab_rows(groups[1][0]) if not all(c.strip() in ("", "<hr/>") for c in r)]
    t2 = doc.table("<b>Table 2</b>" + clean_inline(art[i_t1cap + 1][len("Table 2"):]),
                   t2_rows, 0, [clean_inline(n) for n in groups[1][1]],
                   width=cw, col_fracs=[0.42, 0.32, 0.26])
    doc.wide["wide_t3"] = doc.table(
        "<b>Table 3</b>" + clean_inline(art[i_t1cap + 2][len("Table 3"):]),
        split_tab_rows(groups[2][0]), 1, [clean_inline(n) for n in groups[2][1]],
        width=doc.full_width(), col_fracs=[0.2, 0.24, 0.2, 0.17, 0.19])

    # ---- front matter ----
    auth_markup = ", ".join(clean_inline(a) for a in authors)
    front = [
        doc.P("Original article", ParagraphStyle("kick", parent=st["citation"],
                                                 textColor=colors.HexColor("#E9711C"))),
        doc.P(clean_inline(title), "title"),
        doc.P(auth_markup, "authors"),
    ]
    front += [doc.P(clean_inline(a.lstrip("- ")), "affil") for a in affils]
    front.append(doc.P(clean_inline(art[i_corr]), "affil"))
    front.append(doc.P("<b>Short title:</b> " + clean_inline(art[i_short + 1]), "affil"))
    front.append(Spacer(1, 3))
    front.append(doc.P("Diagnostic and Interventional Imaging, 2021, 102 (6), pp.355-361 · "
                       "DOI: 10.1016/j.diii.2020.12.008", "citation"))
    front.append(Rule())
    front.append(doc.P("Abstract", "abshead"))
    for a in art[i_abs + 1:i_kw]:
        m = re.match(r"^(Purpose\.|Materials and Methods\.|Results\.|Conclusion\.)\s*(.*)$", a)
        front.append(doc.P(("<b>%s</b> %s" % (m.group(1), clean_inline(m.group(2)))) if m
                           else clean_inline(a), "abstract"))
    kw = art[i_kw]
    front.append(doc.P("<b>Keywords:</b> " + clean_inline(kw[len("Keywords:"):]), "abstract"))
    front.append(Rule())
    doc.front = front

    body = doc.body
    body.append(doc.P("Abbreviations", "h2"))
    for a in art[i_abbr + 1:i_intro]:
        body.append(doc.P(clean_inline(a), "li"))
    heading_re = re.compile(r"^(\d+\.(\d+)?\.? [A-Z].{0,60}|Introduction|Human rights|Informed consent and patient details"
                            r"|Disclosure of interest|Funding|Author contributions|REFERENCES|Legends for figures)$")
    paras = join_broken(art[i_intro:i_t1cap])
    safety_seen = False
    in_refs = False
    for n, ln in enumerate(paras):
        if heading_re.match(ln):
            lvl = "h2" if re.match(r"^\d+\.\d", ln) else "h1"
            body.append(doc.P(clean_inline(ln), lvl))
            in_refs = ln == "REFERENCES"
            safety_seen = ln == "3.2 Safety"
            if ln == "Legends for figures":
                in_refs = False
            continue
        if in_refs:
            body.append(doc.P(clean_inline(ln), "ref"))
            continue
        if ln.startswith("Fig"):
            m = re.match(r"^(Fig\.? \d+\.?)(.*)$", ln)
            if ln.startswith("Fig. 1."):
                fc = []
                for t in flowchart:
                    fc.append(doc.P(clean_inline(t), "figtext"))
                arrows = []
                for f in fc:
                    arrows += [f, doc.P("↓", "figtext")]
                body.append(KeepTogether(arrows[:-1]))
            body.append(doc.P("<b>%s</b>%s" % (m.group(1), clean_inline(m.group(2))), "caption"))
            continue
        body.append(doc.P(clean_inline(ln), "body"))
        if "**Table 1**" in ln:
            body += t1
        if ln.startswith("RFA was used to treat nine metastases"):
            body += t2
        if safety_seen:
            body.append(NextPageTemplate("wide_t3"))
            safety_seen = False
    return doc


# ---------------------------------------------------------------------------
def build_cazzato_abstract():
    lines = [ln for ln in read_lines("cazzato2021_sacral_ablation_abstract.txt") if ln.strip()]
    title = lines[2]
    doc = Doc("cazzato_abs", "cazzato2021_sacral_ablation_abstract.pdf", title,
              [a.strip() for a in lines[4].split(",")],
              "Diagnostic and interventional imaging, 2021, 6, 355-361", None,
              ("King's College London · Research portal", "Cazzato et al."), two_col=False,
              body_size=10)
    st = doc.st
    logo = ParagraphStyle("logo", fontName="DejaVuSans-Bold", fontSize=15, leading=19,
                          textColor=colors.HexColor("#C8102E"))
    b = doc.body
    b.append(doc.P(clean_inline(lines[0]), logo))
    b.append(doc.P(clean_inline(lines[1]), "citation"))
    b.append(Rule())
    b.append(Spacer(1, 6))
    b.append(doc.P(clean_inline(title), "title"))
    assert lines[3] == "Research output: Contribution to journalArticlepeer-review"
    # conversion glued the breadcrumb items together
    b.append(doc.P("Research output: Contribution to journal › Article › peer-review", "citation"))
    b.append(Spacer(1, 6))
    b.append(doc.P(clean_inline(lines[4]), "authors"))
    b.append(Spacer(1, 4))
    meta_keys = ["Original language", "Pages (from-to)", "Number of pages", "Journal", "Issue number",
                 "Accepted/In press", "Published"]
    rows = []
    k = 5
    for key in meta_keys:
        ln = lines[k]
        assert ln.startswith(key), (key, ln)
        rows.append([Paragraph("<b>%s</b>" % clean_inline(key), st["cell"]),
                     Paragraph(clean_inline(ln[len(key):]), st["cell"])])
        k += 1
    # key/value list without rules: this is page furniture, not a table of the article
    t = Table(rows, colWidths=[110, 250], hAlign="LEFT")
    t.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 1),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    b.append(t)
    b.append(Spacer(1, 8))
    for ln in lines[k:]:
        if ln == "King's Authors":
            b.append(doc.P(clean_inline(ln), "h2"))
        elif ln.startswith("Purpose:"):
            b.append(doc.P("Abstract", "h1"))
            txt = clean_inline(ln)
            for lab in ("Purpose:", "Materials and methods:", "Results:", "Conclusion:"):
                txt = txt.replace(lab, "<b>%s</b>" % lab, 1)
            b.append(doc.P(txt, "body1"))
        elif ln.startswith("©"):
            b.append(Spacer(1, 16))
            b.append(Rule(1, 0.4))
            b.append(doc.P(clean_inline(ln), "small"))
        else:
            b.append(doc.P(clean_inline(ln), "small"))
    return doc


# ---------------------------------------------------------------------------
AHMED_HEADINGS = {
    "General Principles", "Interventional Treatments", "Treatment Considerations and Scoring Classifications",
    "Cases", "Conclusion", "References",
}
AHMED_SUBHEADINGS = {"Heating Techniques", "Cooling Techniques", "Mechanical Reinforcement"}


def build_ahmed():
    lines = [ln.strip() for ln in read_lines("ahmed2019_extraspinal_ablation_review.txt") if ln.strip()]
    title = lines[0]
    doc = Doc("ahmed", "ahmed2019_extraspinal_ablation_review.pdf", title,
              ["Osman Ahmed", "Nicholas Feinberg", "William B. Lea"],
              "Semin Intervent Radiol 2019;36:221–228", "10.1055/s-0039-1693117",
              ("Semin Intervent Radiol 2019;36:221–228", "Ahmed et al."))
    st = doc.st
    assert lines[4] == "Semin Intervent Radiol 2019;36:221–228"
    aff2 = re.sub(r"^2 ", "²", lines[3])  # superscript lost in conversion
    i_kw = lines.index("Keywords")
    i_abs = next(n for n, ln in enumerate(lines) if ln.startswith("Abstract "))
    kws = [ln.lstrip("- ") for ln in lines[i_kw + 1:i_abs]]
    corr = next(ln for ln in lines if ln.startswith("Address for correspondence"))
    theme = next(ln for ln in lines if ln.startswith("Issue Theme"))
    doiln = next(ln for ln in lines if ln.startswith("DOI ["))
    doiln_clean = "DOI https://doi.org/10.1055/s-0039-1693117. ISSN 0739-9529."
    assert clean_inline(doiln) == "DOI https://doi.org/ 10.1055/s-0039-1693117. ISSN 0739-9529.", clean_inline(doiln)
    kick = ParagraphStyle("kick", parent=st["citation"], textColor=colors.HexColor("#0A6E8A"))
    front = [
        doc.P("Review Article", kick),
        doc.P(clean_inline(title), "title"),
        doc.P(clean_inline(lines[1]), "authors"),
        doc.P(clean_inline(lines[2]), "affil"),
        doc.P(clean_inline(aff2), "affil"),
        Spacer(1, 3),
        doc.P(clean_inline(lines[4]), "citation"),
        Rule(),
    ]
    kw_par = doc.P("<b>Keywords</b><br/>" + "<br/>".join(clean_inline(k) for k in kws), "small")
    abs_par = doc.P("<b>Abstract</b> " + clean_inline(lines[i_abs][len("Abstract "):]), "abstract")
    kt = Table([[kw_par, abs_par]], colWidths=[110, doc.full_width() - 12 - 110])
    kt.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("RIGHTPADDING", (0, 0), (0, 0), 10)]))
    front.append(kt)
    front.append(Spacer(1, 3))
    for ln in (corr, theme):
        front.append(doc.P(clean_inline(ln), "affil"))
    front.append(doc.P(doiln_clean, "affil"))
    front.append(Rule())
    doc.front = front

    skip = {lines[n] for n in range(0, i_abs + 1)} | {corr, theme, doiln}
    paras = [ln for ln in lines[i_abs + 1:] if ln not in skip]
    # references: some entries are wrapped onto two lines
    i_ref = paras.index("References")
    refs = []
    for ln in paras[i_ref + 1:]:
        if re.match(r"^- \d+ ", ln):
            refs.append(ln[2:])
        else:
            refs[-1] += " " + ln
    paras = join_broken(rejoin_around_captions(paras[:i_ref], lambda ln: ln.startswith("Fig. ")))
    cite = [r"(?P<pre>[a-z.?]) (?P<n>\d{1,2})$",  # bare trailing citation number
            r"(?P<pre>groups) (?P<n>35)(?= :)"]
    body = doc.body
    pending_caps = []
    for ln in paras:
        if ln in AHMED_HEADINGS:
            body.append(doc.P(clean_inline(ln), "h1"))
        elif ln in AHMED_SUBHEADINGS or re.match(r"^Case \d \(see", ln):
            body.append(doc.P(clean_inline(ln), "h2"))
        elif ln.startswith("Table 1 Mirels"):
            # the seed text has only the caption and source line of this table
            body.append(doc.P("<b>Table 1</b> " + clean_inline(ln[len("Table 1 "):]), "tcaption"))
        elif ln.startswith("Source: Adapted"):
            body.append(doc.P(clean_inline(ln), "tnote"))
        elif ln.startswith("Fig. "):
            m = re.match(r"^(Fig\. \d+)(.*)$", ln)
            body.append(doc.P("<b>%s</b>%s" % (m.group(1), clean_inline(m.group(2))), "caption"))
        elif ln.startswith("- ") or re.match(r"^\d\. ", ln):
            body.append(doc.P(clean_inline(ln[2:] if ln.startswith("- ") else ln, cite), "li"))
        else:
            body.append(doc.P(clean_inline(ln, cite), "body"))
    body.append(doc.P("References", "h1"))
    for r in refs:
        r = clean_inline(r)
        body.append(doc.P(r, "ref"))
    return doc


# ---------------------------------------------------------------------------
TAN_H1 = {"Introduction", "Cementoplasty", "Cryoablation", "Combined", "Conclusion", "Acknowledgements",
          "Contributor Information", "Funding", "Conflicts of interest", "References"}


def build_tan():
    lines = [ln.strip() for ln in read_lines("cementoplasty_cryoablation_review.txt") if ln.strip()]
    # The seed text has no title block; title, authors and journal come from the
    # article's bibliographic record (see seeds/SOURCE.md).
    title = "Cementoplasty to cryoablation: review and current status"
    i_contrib = lines.index("Contributor Information")
    i_fund = lines.index("Funding")
    contrib = lines[i_contrib + 1:i_fund]
    names = [c.split(",")[0] for c in contrib]
    doc = Doc("tan", "cementoplasty_cryoablation_review.pdf", title, names,
              "BJR|Open, 2023, No. 1 (Oxford University Press)", None,
              ("BJR|Open 2023", "Tan et al."), body_size=8.5)
    st = doc.st
    assert lines[0] == "Abstract"
    kick = ParagraphStyle("kick", parent=st["citation"], textColor=colors.HexColor("#6A2C70"))
    front = [
        doc.P("Review article", kick),
        doc.P(clean_inline(title), "title"),
        doc.P(", ".join(clean_inline(n) for n in names), "authors"),
        doc.P("BJR|Open, 2023, No. 1", "citation"),
        Rule(),
        doc.P("Abstract", "abshead"),
        doc.P(clean_inline(lines[1]), "abstract"),
        doc.P("<b>Keywords:</b> " + clean_inline(lines[2][len("Keywords:"):]), "abstract"),
        Rule(),
    ]
    doc.front = front
    cite = [
        # PMC-style inline citation numbers glued to the preceding word/period
        r"(?P<pre>[a-z)%]\.)(?P<n>\d{1,3}(?:[,\-–]\d{1,3})*)(?=\s|$)",
        r"(?P<pre>et al)(?P<n>\d{1,3}(?:[,\-–]\d{1,3})*)(?=\s|$|[,.;])",
    ]
    body = doc.body
    rest = lines[3:]
    in_refs = False
    k = 0
    seen_h1 = set()
    while k < len(rest):
        ln = rest[k]
        if ln in TAN_H1 and not in_refs:
            body.append(doc.P(clean_inline(ln), "h1"))
            in_refs = ln == "References"
            seen_h1.add(ln)
        elif in_refs:
            r = re.sub(r"^- ", "", ln)
            r = re.sub(r"\s*\[(DOI|PMC free article|PubMed|Google Scholar)\]", "", r)
            body.append(doc.P(clean_inline(r), "ref"))
        elif re.match(r"^Figure \d+\.$", ln):
            cap = rest[k + 1]
            body.append(doc.P("<b>%s</b> %s" % (ln, clean_inline(cap)), "caption"))
            k += 1
        elif len(ln) < 45 and not ln.endswith((".", ":")) and ln[0].isupper() and "," not in ln:
            body.append(doc.P(clean_inline(ln), "h2"))
        elif "Contributor Information" in seen_h1 and "Funding" not in seen_h1:
            body.append(doc.P(clean_inline(ln), "small"))
        else:
            body.append(doc.P(clean_inline(ln, cite), "body"))
        k += 1
    return doc


BUILDERS = [build_tian, build_cazzato_full, build_cazzato_abstract, build_ahmed, build_tan]
OUTPUT_NAMES = [
    "tian2022_sacroplasty_rfa_ajnr.pdf",
    "cazzato2021_sacral_ablation_fulltext.pdf",
    "cazzato2021_sacral_ablation_abstract.pdf",
    "ahmed2019_extraspinal_ablation_review.pdf",
    "cementoplasty_cryoablation_review.pdf",
]


def generate(out_dir: Path = OUT_DIR, verbose: bool = False) -> dict:
    """Write all five PDFs into ``out_dir``; return {file name: page count}."""
    register_fonts()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pages = {}
    for build in BUILDERS:
        doc = build()
        n = render(doc, out_dir / doc.out_name)
        pages[doc.out_name] = n
        if verbose:
            print(f"{doc.out_name}: {n} pages")
    assert sorted(pages) == sorted(OUTPUT_NAMES)
    return pages


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=OUT_DIR, help="output directory (default: %(default)s)")
    args = ap.parse_args(argv)
    try:
        generate(args.out, verbose=True)
    except FontMissingError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
