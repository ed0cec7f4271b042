"""The annotated gold-v2 corpus (``tests/data/corpus``) and its fixed train / dev / test split.

The split is a function of each PDF's SHA-256 alone, fixed before any rule or model saw the files:
the first eight hex digits, as an integer, modulo 100: below 50 is ``train``, below 70 ``dev``,
the rest ``test``. The test split is scored once per change and never inspected item by item.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus"
SPLITS = ("train", "dev", "test")


def split_of(sha256_hex: str) -> str:
    """``train``, ``dev`` or ``test`` for a PDF's SHA-256 (hex digest)."""
    bucket = int(sha256_hex[:8], 16) % 100
    return "train" if bucket < 50 else "dev" if bucket < 70 else "test"


def sha256_of(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass(frozen=True)
class CorpusItem:
    pdf: Path
    gold: Path
    sha256: str
    split: str


def corpus_items(root: str | Path = CORPUS, split: str | None = None) -> list[CorpusItem]:
    """Every annotated PDF of the corpus (optionally of one split), sorted by file name.

    The split is computed from the PDF's bytes, and checked against the gold file's ``sha256``.
    """
    root = Path(root)
    items = []
    for gold in sorted((root / "gold").glob("*.json")):
        pdf = root / "pdfs" / (gold.stem + ".pdf")
        if not pdf.exists():
            raise FileNotFoundError(f"{gold}: no PDF {pdf.name} in {root / 'pdfs'}")
        digest = sha256_of(pdf)
        recorded = json.loads(gold.read_text(encoding="utf-8")).get("sha256")
        if recorded and recorded != digest:
            raise ValueError(f"{gold}: sha256 {recorded} does not match {pdf.name} ({digest})")
        item = CorpusItem(pdf, gold, digest, split_of(digest))
        if split is None or item.split == split:
            items.append(item)
    return items
