"""The document QA table: every document of the PDF folder that gives the review no automatic
values, with the reason and what to do about it (nothing is dropped silently).

One row per document that was excluded (unreadable, not a study report, a review, an abstract, a
duplicate, the same file under a second name) or that was kept as a primary study but yielded no
value, and per document with pages skipped for lack of a text layer. Columns:
:data:`QA_COLUMNS`; ``page`` is the page the screening evidence is on (or the skipped pages).

:func:`identical_files` finds the same file under two names (same SHA-256): the workflow reads the
first name (sorted) once, and the others are listed here as its duplicates.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

QA_COLUMNS = ("source_file", "study_id", "category", "reason", "page", "suggestion", "duplicate_of")

# (category, pattern on the reason, suggestion), first match wins; unreadable reasons first
_UNREADABLE = (
    ("empty file", r"empty file", "the file is empty: download the PDF again"),
    ("not a PDF", r"HTML page", "an HTML page (often a sign-in or paywall page) was saved: download the PDF itself"),
    ("not a PDF", r"image saved under", "an image, not a PDF: convert it to PDF and OCR it (e.g. ocrmypdf), or enter the values by hand"),
    ("not a PDF", r"not a PDF", "not a PDF: download the article's PDF again, or enter the values by hand"),
    ("encrypted", r"password", "ask for an unlocked copy (or remove the password, e.g. qpdf --decrypt), or enter the values by hand"),
    ("corrupt", r"truncated|ends early", "the file is incomplete: download it again"),
    ("no text layer", r"no text layer|scanned", "OCR it (e.g. ocrmypdf) and put the OCRed copy in its place, or enter the values by hand"),
    ("unusable text layer", r"cid:N|Unicode map", "OCR it (e.g. ocrmypdf --force-ocr): its fonts map to no text; or enter the values by hand"),
    ("almost no text", r"almost no text", "OCR it if it is a scan, or enter the values by hand"),
    ("corrupt", r"corrupt|unsupported|error while reading", "the file is damaged: download it again, or repair it (e.g. qpdf)"),
)
_SUGGEST = {
    "identical file": "the same file under another name: remove the duplicate from the PDF folder",
    "duplicate": "another copy of a paper already in the review: remove the duplicate, or keep it (it is not counted twice)",
    "abstract only": "abstract only: find the full text, or enter its values by hand (manual_entries.csv)",
    "review": "not a primary study: check its references for studies to add",
    "not a study report": "check it: if it is a study report the screening missed (sideways pages, an unusual layout), "
                          "include it in corrections.csv and enter its values by hand",
    "no values": "extract its values by hand (manual_entries.csv) or exclude it with a reason (corrections.csv)",
    "pages skipped": "OCR the listed pages (e.g. ocrmypdf --skip-text): values printed on them were not read",
    "unreadable": "check the file, or enter the values by hand",
}
_SKIPPED = re.compile(r"pages without a text layer skipped: ([\d, ]+)")


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def identical_files(paths: Iterable[str | Path]) -> dict[Path, Path]:
    """Files whose bytes equal an earlier file's (by name, then path): ``{later: first}``.
    Files that cannot be read are left out (their reader reports them)."""
    first: dict[str, Path] = {}
    out: dict[Path, Path] = {}
    for p in sorted((Path(p) for p in paths), key=lambda p: (p.name, str(p))):
        try:
            digest = sha256_file(p)
        except OSError:
            continue
        if digest in first:
            out[p] = first[digest]
        else:
            first[digest] = p
    return out


def _unreadable(reason: str) -> tuple[str, str]:
    for category, pattern, suggestion in _UNREADABLE:
        if re.search(pattern, reason, re.I):
            return category, suggestion
    return "unreadable", _SUGGEST["unreadable"]


def classify(row: dict[str, str], has_values: bool) -> tuple[str, str] | None:
    """(category, suggestion) of one studies row, or None when the document gave values."""
    reason = row.get("reason", "")
    if row.get("duplicate_of"):
        category = "identical file" if "identical file" in reason else "duplicate"
        return category, _SUGGEST[category]
    if row.get("decision") == "excluded":
        if reason.startswith("unreadable"):
            return _unreadable(reason)
        category = {"review": "review", "abstract": "abstract only"}.get(row.get("document_type", ""), "not a study report")
        return category, _SUGGEST[category]
    if not has_values:
        return "no values", _SUGGEST["no values"]
    return None


def document_qa(studies: pd.DataFrame, outcomes: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """The QA table of the merged extraction tables (rows in ``studies`` order)."""
    import pandas as pd

    with_values = set(outcomes["study_id"]) if len(outcomes) else set()
    skipped = {}
    for sf, reason in zip(problems.get("source_file", []), problems.get("reason", [])):
        m = _SKIPPED.search(str(reason))
        if m:
            skipped[sf] = (str(reason), m.group(1).strip())
    rows = []
    for row in studies.fillna("").astype(str).to_dict("records"):
        got = classify(row, row["study_id"] in with_values)
        if got is not None:
            category, suggestion = got
            rows.append({"source_file": row["source_file"], "study_id": row["study_id"], "category": category,
                         "reason": row["reason"] or category, "page": row.get("page", ""), "suggestion": suggestion,
                         "duplicate_of": row.get("duplicate_of", "")})
        if row["source_file"] in skipped:
            reason, pages = skipped[row["source_file"]]
            rows.append({"source_file": row["source_file"], "study_id": row["study_id"], "category": "pages skipped",
                         "reason": reason, "page": pages, "suggestion": _SUGGEST["pages skipped"], "duplicate_of": ""})
    return pd.DataFrame(rows, columns=list(QA_COLUMNS))
