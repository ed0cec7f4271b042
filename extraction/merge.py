"""Combine per-PDF outputs, detect cross-document duplicates, assign unique study ids.

Duplicate rule: an abstract-only document (document_type ``abstract``) whose DOI equals, whose
normalised title matches (token Jaccard ≥ 0.8), or whose abstract shingles are contained (≥ 50%)
in the text of a full-text document of the corpus is the abstract page of that paper: it stays in
the output (arms and outcomes too) but is excluded with reason
"duplicate of <study_id> (abstract page of the same paper)" and ``duplicate_of`` set. Two full
texts with the same DOI or title: one is excluded as "duplicate of <id> (same paper)", the one kept
having the most values, then the fewest pages (not the copy with a long appendix), then the first
name. Study ids are surname+year; where two documents share one, the abstract / duplicate gets the
suffix ``_abstract`` (or ``_dup``, ``_2`` ...).

The same file under a second name (``identical``: later name -> first name, same SHA-256, from
:func:`extraction.qa.identical_files`) was not read again: it gets a studies row with an id from
its own name (transliterated to ASCII), excluded as "duplicate of <id> (identical file: ...)", and
no arms or values (provenance stays with the first name). ``qa_documents.tsv`` lists every
document that gives no values (:mod:`extraction.qa`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from evidence.vocabulary import ARM_COLUMNS, OUTCOME_COLUMNS, STUDY_COLUMNS

from .extract import COMPLETENESS_COLUMNS, PROBLEM_COLUMNS
from .qa import document_qa
from .text import id_from_name

TABLES = {
    "studies": STUDY_COLUMNS,
    "arms": ARM_COLUMNS,
    "outcomes": OUTCOME_COLUMNS,
    "completeness": COMPLETENESS_COLUMNS,
    "problems": PROBLEM_COLUMNS,
}


def read_tsv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    if not path.exists() or path.stat().st_size == 0:
        return pd.DataFrame(columns=list(columns))
    df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    for c in columns:
        if c not in df.columns:
            df[c] = ""
    return df[list(columns)]


def write_tables(out: Path, frames: dict[str, pd.DataFrame]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, cols in TABLES.items():
        df = frames.get(name)
        if df is None:
            df = pd.DataFrame(columns=list(cols))
        df = df.reindex(columns=list(cols)).fillna("")
        df.to_csv(out / f"{name}.tsv", sep="\t", index=False)


def _jaccard(a: str, b: str) -> float:
    sa, sb = set(a.split()), set(b.split())
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def _match(abs_fp: dict[str, Any], full_fp: dict[str, Any]) -> str | None:
    if abs_fp.get("doi") and abs_fp.get("doi") == full_fp.get("doi"):
        return "same DOI"
    if abs_fp.get("norm_title") and _jaccard(abs_fp["norm_title"], full_fp.get("norm_title", "")) >= 0.8:
        return "same title"
    a = set(abs_fp.get("abstract_shingles") or [])
    t = set(full_fp.get("text_shingles") or [])
    if len(a) >= 20 and len(a & t) / len(a) >= 0.5:
        return "abstract text contained in the full text"
    return None


def _int(v: Any) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0


def merge_dirs(dirs: list[Path], out: Path, identical: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """Merge per-PDF folders into ``out`` (the five tables and ``qa_documents.tsv``)."""
    frames: dict[str, list[pd.DataFrame]] = {k: [] for k in TABLES}
    fps: list[dict[str, Any]] = []
    for d in dirs:
        d = Path(d)
        for name, cols in TABLES.items():
            frames[name].append(read_tsv(d / f"{name}.tsv", cols))
        fpf = d / "fingerprint.json"
        if fpf.exists():
            try:
                fp = json.loads(fpf.read_text())
                fps.append(fp if isinstance(fp, dict) else {})
            except json.JSONDecodeError:
                frames["problems"].append(pd.DataFrame([{"source_file": d.name, "stage": "merge", "reason": "fingerprint.json is not valid JSON"}]))
    merged = {k: (pd.concat(v, ignore_index=True) if v else pd.DataFrame(columns=list(TABLES[k]))) for k, v in frames.items()}
    studies = merged["studies"]
    fp_by_file = {fp.get("source_file"): fp for fp in fps}

    # ---- duplicates
    dup_of: dict[str, tuple[str, str, str]] = {}  # source_file -> (target file, kind, how)
    files = sorted(studies["source_file"].tolist())
    full = [f for f in files if fp_by_file.get(f, {}).get("document_type") in ("primary", "review", "other") and not fp_by_file.get(f, {}).get("unreadable")]
    # of two full texts of one paper the copy kept is the one with the most values, then the
    # fewest pages (no appendix), then the first by name
    n_values = merged["outcomes"]["source_file"].value_counts().to_dict() if len(merged["outcomes"]) else {}
    full.sort(key=lambda f: (-n_values.get(f, 0), _int(fp_by_file[f].get("n_pages")), f))
    for f in files:
        fp = fp_by_file.get(f, {})
        if fp.get("document_type") == "abstract":
            for g in full:
                how = _match(fp, fp_by_file[g])
                if how:
                    dup_of[f] = (g, "abstract", how)
                    break
    for i, f in enumerate(full):
        if f in dup_of:
            continue
        for g in full[:i]:
            if g in dup_of:
                continue
            a, b = fp_by_file[f], fp_by_file[g]
            if (a.get("doi") and a.get("doi") == b.get("doi")) or (a.get("norm_title") and a.get("norm_title") == b.get("norm_title") and len(a["norm_title"]) > 20):
                dup_of[f] = (g, "same", "same DOI" if a.get("doi") == b.get("doi") else "same title")
                break

    # ---- unique ids (originals keep the plain id)
    old_ids = dict(zip(studies["source_file"], studies["study_id"]))
    order = sorted(files, key=lambda f: (f in dup_of, f))
    new_ids: dict[str, str] = {}
    used: set[str] = set()
    for f in order:
        base = old_ids.get(f) or id_from_name(Path(f).stem)
        sid = base
        if sid in used:
            kind = dup_of.get(f, (None, None, None))[1]
            sid = f"{base}_abstract" if kind == "abstract" else (f"{base}_dup" if kind == "same" else base)
            k = 2
            while sid in used:
                sid = f"{base}_{k}"
                k += 1
        used.add(sid)
        new_ids[f] = sid

    for name in ("studies", "arms", "outcomes"):
        df = merged[name]
        if len(df):
            df["study_id"] = [new_ids.get(sf, sid) for sf, sid in zip(df["source_file"], df["study_id"])] if "source_file" in df else df["study_id"]
    # completeness has no source_file: map through the (old id, file) of the studies table
    comp = merged["completeness"]
    if len(comp):
        # per-PDF dirs keep row order: map by position via the dirs' studies
        mapping: list[str] = []
        for d, c in zip(dirs, frames["completeness"]):
            s = read_tsv(Path(d) / "studies.tsv", STUDY_COLUMNS)
            sf = s["source_file"].iloc[0] if len(s) else ""
            mapping.extend([new_ids.get(sf, x) for x in c["study_id"]])
        comp["study_id"] = mapping
    for f, (g, kind, how) in dup_of.items():
        mask = studies["source_file"] == f
        target = new_ids[g]
        studies.loc[mask, "duplicate_of"] = target
        studies.loc[mask, "decision"] = "excluded"
        if kind == "abstract":
            studies.loc[mask, "document_type"] = "abstract"
            studies.loc[mask, "reason"] = f"duplicate of {target} (abstract page of the same paper; {how})"
        else:
            studies.loc[mask, "reason"] = f"duplicate of {target} (same paper; {how})"
    studies = _add_identical(studies, identical or {}, new_ids, used)
    merged["studies"] = studies
    write_tables(out, merged)
    qa = document_qa(studies, merged["outcomes"], merged["problems"])
    qa.to_csv(out / "qa_documents.tsv", sep="\t", index=False)
    merged["qa_documents"] = qa
    return merged


def _add_identical(studies: pd.DataFrame, identical: dict[str, str], new_ids: dict[str, str],
                   used: set[str]) -> pd.DataFrame:
    """A studies row for each file that repeats an earlier one byte for byte (not read again)."""
    rows = []
    for dup, first in sorted(identical.items()):
        match = studies[studies["source_file"] == first]
        row = match.iloc[0].to_dict() if len(match) else {c: "" for c in STUDY_COLUMNS}
        target = new_ids.get(first) or id_from_name(Path(first).stem)
        base = id_from_name(Path(dup).stem)  # its own name, transliterated: which file it is
        sid, k = base, 2
        while sid in used:
            sid = f"{base}_{k}"
            k += 1
        used.add(sid)
        row.update({c: "" for c in ("page", "x0", "top", "x1", "bottom", "excerpt") if c in row})
        row.update(study_id=sid, source_file=dup, decision="excluded", duplicate_of=target,
                   reason=f"duplicate of {target} (identical file: the same bytes as {first}, not read again)",
                   extractor="merge.identical_file", confidence=1.0)
        rows.append(row)
    if not rows:
        return studies
    return pd.concat([studies, pd.DataFrame(rows, columns=studies.columns)], ignore_index=True)
