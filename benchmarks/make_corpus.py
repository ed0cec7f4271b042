"""Benchmark corpus: N distinct PDFs made from the example's and the test corpus's real PDFs.

    python benchmarks/make_corpus.py OUT_DIR [--n 500] [--seed 1] [--long 300]

Each PDF is a cover page with its own numbers (typeset with reportlab: a small trial report with
an arm size, mean ± SD pain scores and event counts, so every file differs and has values to
extract) followed by a random run of pages of one source PDF (1 page up to the whole document).
``--long N`` also writes ``long_<N>_pages.pdf`` (pages of every source repeated up to N pages) for
the memory-versus-page-count check. Written to OUT_DIR (a temporary folder: never committed).
Source PDFs listed in ../shared/corpus/reserved-sha256.txt, if that file exists, are never used.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = (ROOT / "examples" / "sacral" / "pdfs", ROOT / "tests" / "data" / "pdfs" / "real")
RESERVED = ROOT.parent / "shared" / "corpus" / "reserved-sha256.txt"


def source_pdfs() -> list[Path]:
    """Readable source PDFs (not the deliberately broken ones, not reserved ones)."""
    import pypdfium2

    reserved = set(RESERVED.read_text().split()) if RESERVED.exists() else set()
    out = []
    for folder in SOURCES:
        for p in sorted(folder.glob("*.pdf")):
            if hashlib.sha256(p.read_bytes()).hexdigest() in reserved:
                continue
            try:
                doc = pypdfium2.PdfDocument(str(p))
            except Exception:
                continue  # password-protected or corrupt on purpose
            try:
                tp = doc[0].get_textpage()
                if len(doc) and "(cid:" not in p.name and tp.count_chars() > 0:
                    out.append(p)
            finally:
                doc.close()
    return out


def cover_page(rng: random.Random, index: int) -> bytes:
    """One page with a short report whose numbers are drawn at random."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    n = rng.randint(12, 240)
    before, after = round(rng.uniform(5, 9), 1), round(rng.uniform(1, 5), 1)
    events = rng.randint(0, n // 3)
    lines = [
        f"Benchmark report {index}: percutaneous treatment of painful bone metastases",
        "Methods",
        f"We included {n} consecutive patients treated between 2015 and 2020.",
        "Results",
        f"Mean pain decreased from {before} ± {round(rng.uniform(0.5, 2), 1)} at baseline to "
        f"{after} ± {round(rng.uniform(0.5, 2), 1)} at the last follow-up.",
        f"Complications occurred in {events}/{n} patients ({100 * events / n:.1f}%).",
    ]
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    y = 780
    for line in lines:
        c.setFont("Helvetica-Bold" if line in ("Methods", "Results") else "Helvetica", 10)
        c.drawString(60, y, line)
        y -= 18
    c.showPage()
    c.save()
    return buf.getvalue()


def _write(pages: list[tuple[Path, int]], cover: bytes | None, out: Path) -> int:
    import pypdfium2

    new = pypdfium2.PdfDocument.new()
    opened: dict[Path, pypdfium2.PdfDocument] = {}
    try:
        if cover is not None:
            new.import_pages(pypdfium2.PdfDocument(cover))
        for src, i in pages:
            doc = opened.setdefault(src, pypdfium2.PdfDocument(str(src)))
            new.import_pages(doc, [i])
        new.save(str(out))
        return len(new)
    finally:
        new.close()
        for doc in opened.values():
            doc.close()


def make_corpus(out: Path, n: int, seed: int = 1, long_pages: int = 0) -> list[Path]:
    import pypdfium2

    out.mkdir(parents=True, exist_ok=True)
    sources = source_pdfs()
    if not sources:
        raise SystemExit("no readable source PDF found")
    sizes = {}
    for s in sources:
        doc = pypdfium2.PdfDocument(str(s))
        sizes[s] = len(doc)
        doc.close()
    rng = random.Random(seed)
    written = []
    for k in range(n):
        src = sources[k % len(sources)]
        length = rng.randint(1, sizes[src])
        start = rng.randint(0, sizes[src] - length)
        path = out / f"bench_{k:05d}_{src.stem[:30]}.pdf"
        _write([(src, i) for i in range(start, start + length)], cover_page(rng, k), path)
        written.append(path)
    if long_pages:
        pages = []
        while len(pages) < long_pages:
            for s in sources:
                pages.extend((s, i) for i in range(sizes[s]))
        path = out.parent / f"long_{long_pages}_pages.pdf"
        _write(pages[:long_pages], None, path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--long", type=int, default=0, metavar="PAGES")
    args = ap.parse_args(argv)
    files = make_corpus(args.out, args.n, args.seed, args.long)
    print(f"wrote {len(files)} PDFs under {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
