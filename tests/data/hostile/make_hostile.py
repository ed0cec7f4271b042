"""Write a hostile corpus of PDFs (what reviewers really receive) into a folder.

    python tests/data/hostile/make_hostile.py OUTDIR --study STUDY.pdf [--cid CID.pdf]

STUDY is an upright, readable study report; its copies (rotated, lengthened, renamed) must yield
its values. CID is a PDF whose fonts have no ToUnicode map (default: the one in the real corpus).
Every file is deterministic (seeded, no dates), so two runs write the same bytes. ``KINDS`` maps
each file name to what it is; tests check that every one is named in the QA table.
"""

from __future__ import annotations

import argparse
import io
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CID_DEFAULT = ROOT / "tests" / "data" / "pdfs" / "real" / "hostile_cid_glyphs_f1000.pdf"
LONG_PAGES = 320


def rotate_pdf(src: Path, out: Path, angle: int) -> Path:
    """Copy of ``src`` with every page's /Rotate set to ``angle`` (shown sideways or upside down)."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(src))
    try:
        for i in range(len(doc)):
            page = doc[i]
            page.set_rotation(angle)
            page.close()
        doc.save(str(out))
    finally:
        doc.close()
    return out


def offset_pdf(src: Path, out: Path, dx: float = 150.0, dy: float = 90.0) -> Path:
    """Copy of ``src`` whose MediaBox and CropBox start at (dx, dy), content moved with them."""
    import pypdfium2
    import pypdfium2.raw as raw

    doc = pypdfium2.PdfDocument(str(src))
    try:
        for i in range(len(doc)):
            page = doc[i]
            l, b, r, t = page.get_mediabox()
            m = raw.FS_MATRIX(1, 0, 0, 1, dx, dy)
            clip = raw.FS_RECTF(l + dx, t + dy, r + dx, b + dy)
            raw.FPDFPage_TransFormWithClip(page.raw, m, clip)
            page.set_mediabox(l + dx, b + dy, r + dx + 40, t + dy + 40)
            page.set_cropbox(l + dx, b + dy, r + dx, t + dy)
            page.close()
        doc.save(str(out))
    finally:
        doc.close()
    return out


def _text_pages(n: int) -> bytes:
    """``n`` pages of plain prose without numbers (an appendix that adds no values)."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(612, 792), invariant=1)
    words = ("appendix material describes the procedures the sites followed and the forms "
             "they used during the conduct of the study without any further data").split()
    for p in range(n):
        y = 740
        for line in range(40):
            k = (p * 7 + line) % len(words)
            c.drawString(60, y, " ".join((words[k:] + words[:k])[:12]))
            y -= 17
        c.showPage()
    c.save()
    return buf.getvalue()


def long_pdf(src: Path, out: Path, total: int = LONG_PAGES) -> Path:
    """``src`` followed by plain appendix pages up to ``total`` pages."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(src))
    try:
        filler = pypdfium2.PdfDocument(_text_pages(max(0, total - len(doc))))
        doc.import_pages(filler)
        doc.save(str(out))
        filler.close()
    finally:
        doc.close()
    return out


def password_pdf(out: Path) -> Path:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    enc = pdfencrypt.StandardEncryption("user-secret", ownerPassword="owner", canCopy=0)
    c = canvas.Canvas(str(out), encrypt=enc, invariant=1)
    c.drawString(72, 720, "Original article. Patients were enrolled and treated.")
    c.save()
    return out


def scanned_pdf(out: Path) -> Path:
    """One page holding only a raster image (a scan with no text layer)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(0)
    img = Image.fromarray((rng.random((550, 425)) * 255).astype("uint8"), mode="L")
    img.save(out, format="PDF", resolution=50)
    return out


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


KINDS = {
    "hostile_zero_byte.pdf": "zero-byte file",
    "hostile_truncated.pdf": "study truncated to 40% of its bytes",
    "hostile_html_page.pdf": "HTML page saved under a .pdf name",
    "hostile_png_image.pdf": "PNG image renamed .pdf",
    "hostile_random_bytes.pdf": "random bytes",
    "hostile_user_password.pdf": "encrypted with a user password",
    "hostile_scanned.pdf": "image-only page (scan, no text layer)",
    "hostile_cid_glyphs.pdf": "fonts without ToUnicode ((cid:N) glyphs)",
    "hostile_long_{pages}_pages.pdf": "the study plus plain appendix pages",
    "{stem}_rotated90.pdf": "the study with every page turned 90 degrees",
    "\u00e9tude_{stem}.pdf": "the study under a non-ASCII file name",
    "{stem}_zz_copy.pdf": "the study again under a second name",
}


def names(study: Path) -> dict[str, str]:
    """KINDS with the study's stem filled in: file name -> kind."""
    return {k.format(stem=study.stem, pages=LONG_PAGES): v for k, v in KINDS.items()}


def make(out: Path, study: Path, cid: Path = CID_DEFAULT) -> dict[str, Path]:
    """Write every hostile file into ``out``; returns kind name -> path."""
    import numpy as np

    out.mkdir(parents=True, exist_ok=True)
    n = {k: out / k.format(stem=study.stem, pages=LONG_PAGES) for k in KINDS}
    n["hostile_zero_byte.pdf"].write_bytes(b"")
    data = study.read_bytes()
    n["hostile_truncated.pdf"].write_bytes(data[: int(len(data) * 0.4)])
    n["hostile_html_page.pdf"].write_text(
        "<!DOCTYPE html><html><head><title>Access denied</title></head>"
        "<body><p>Sign in to download this article.</p></body></html>\n"
    )
    n["hostile_png_image.pdf"].write_bytes(png_bytes())
    n["hostile_random_bytes.pdf"].write_bytes(np.random.default_rng(15).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    password_pdf(n["hostile_user_password.pdf"])
    scanned_pdf(n["hostile_scanned.pdf"])
    shutil.copyfile(cid, n["hostile_cid_glyphs.pdf"])
    long_pdf(study, n["hostile_long_{pages}_pages.pdf"])
    rotate_pdf(study, n["{stem}_rotated90.pdf"], 90)
    shutil.copyfile(study, n["\u00e9tude_{stem}.pdf"])
    shutil.copyfile(study, n["{stem}_zz_copy.pdf"])
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--study", type=Path, required=True)
    ap.add_argument("--cid", type=Path, default=CID_DEFAULT)
    args = ap.parse_args()
    for kind, path in make(args.out, args.study, args.cid).items():
        print(f"{path}\t{KINDS[kind]}")


if __name__ == "__main__":
    main()
