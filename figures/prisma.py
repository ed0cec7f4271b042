"""PRISMA 2020 flow diagram (Page et al., BMJ 2021;372:n71) drawn from screening counts."""

from __future__ import annotations

import json
import os
import re
import textwrap
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from figures.style import style
from figures.tables import require_columns

COUNT_KEYS: tuple[str, ...] = (
    "records_identified",  # dict source -> n
    "duplicates_removed",
    "records_screened",
    "records_excluded",  # dict reason -> n
    "reports_sought",
    "reports_not_retrieved",
    "reports_assessed",
    "reports_excluded",  # dict reason -> n
    "studies_included",
    "reports_included",
)
"""Keys of the counts dict, one per box of the PRISMA 2020 flow diagram."""

PDF_SOURCE = "PDF folder"
MANUAL_SOURCE = "manual entries"
SCREENING_TYPES = ("review", "other")
"""Document types excluded at screening (not reports of a primary study)."""
NOT_RETRIEVED = re.compile(r"not retrieved|unreadable|could not be read|no full text", re.I)


def _blank(x: object) -> bool:
    return x is None or (isinstance(x, float) and x != x) or str(x).strip() in ("", "<NA>", "nan")


def reason_category(reason: str) -> str:
    """The category of an exclusion reason: its words before the first ':', ';' or ' ('.

    Reasons are written "category: details" (e.g. "overlapping cohort: same centre as ...") so
    the flow diagram counts categories, while studies.tsv keeps the details.
    """
    return re.split(r":|;| \(", str(reason), maxsplit=1)[0].strip()


def prisma_counts_from_studies(
    studies: pd.DataFrame, manual_study_ids: Sequence[str] = (), source: str = "studies.tsv"
) -> dict[str, object]:
    """Derive PRISMA 2020 counts from ``studies.tsv`` and the manually entered study ids.

    One row of ``studies`` is one document of the PDF folder (``source_file``); ids in
    ``manual_study_ids`` that have no row are records entered by hand (e.g. conference
    abstracts without a PDF) and count as included reports. Rows whose id is in
    ``manual_study_ids`` count as manual records.

    * duplicates removed: rows with ``duplicate_of`` set;
    * reports not retrieved: excluded rows whose reason says the text was not retrieved / read
      (an unreadable PDF: empty, not a PDF, encrypted, corrupt, no text layer);
    * records excluded at screening: the other excluded rows whose ``document_type`` is
      review / other (by ``reason``, else by document type);
    * reports excluded: the other excluded rows, by ``reason``;
    * reports included: the remaining rows plus manual records; studies included: their
      distinct ``study_id``.
    """
    require_columns(studies, ("study_id", "document_type", "decision", "reason", "duplicate_of"), source)
    df = studies.copy()
    for col in ("study_id", "document_type", "decision", "reason", "duplicate_of"):
        df[col] = df[col].astype(object).map(lambda v: "" if _blank(v) else str(v).strip())
    df["decision"] = df["decision"].str.lower()
    bad = sorted(set(df["decision"]) - {"included", "excluded", ""})
    if bad:
        raise ValueError(f"{source}: decision {bad[0]!r} is not one of ['included', 'excluded'].")
    manual = [str(i).strip() for i in manual_study_ids if str(i).strip()]
    if not manual and "origin" in studies:  # curated tables say which studies were entered by hand
        manual = list(studies.loc[studies["origin"].astype(str) == "manual", "study_id"].astype(str))
    manual_set = set(manual)
    in_table = set(df["study_id"])
    manual_only = sorted(manual_set - in_table)
    is_manual = df["study_id"].isin(manual_set)

    identified = {PDF_SOURCE: int((~is_manual).sum()), MANUAL_SOURCE: int(is_manual.sum()) + len(manual_only)}
    dup = df["duplicate_of"] != ""
    kept = df[~dup]
    excluded = kept["decision"] == "excluded"
    # a file that could not be read was never screened on its content: not retrieved, whatever
    # type the reader gave it ("other" for an unreadable file)
    not_retrieved = excluded & kept["reason"].str.contains(NOT_RETRIEVED)
    at_screening = excluded & ~not_retrieved & kept["document_type"].str.lower().isin(SCREENING_TYPES)
    at_eligibility = excluded & ~at_screening & ~not_retrieved

    def by_reason(rows: pd.DataFrame, fallback: str) -> dict[str, int]:
        reasons = rows["reason"].map(reason_category)
        reasons = reasons.where(reasons != "", rows["document_type"].map(
            lambda t: f"{t or fallback} (no reason given)" if t else fallback))  # fmt: skip
        counts = reasons.value_counts()
        return {str(r): int(n) for r, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))}

    screened = len(kept) + len(manual_only)
    n_excl = int(at_screening.sum())
    sought = screened - n_excl
    n_nr = int(not_retrieved.sum())
    assessed = sought - n_nr
    included = kept[~excluded]
    reports_included = len(included) + len(manual_only)
    studies_included = len(set(included["study_id"]) | set(manual_only))
    counts: dict[str, object] = {
        "records_identified": identified,
        "duplicates_removed": int(dup.sum()),
        "records_screened": screened,
        "records_excluded": by_reason(kept[at_screening], "not a primary study"),
        "reports_sought": sought,
        "reports_not_retrieved": n_nr,
        "reports_assessed": assessed,
        "reports_excluded": by_reason(kept[at_eligibility], "not eligible"),
        "studies_included": studies_included,
        "reports_included": reports_included,
    }
    return counts


def write_counts(counts: Mapping[str, object], path: str | os.PathLike[str]) -> Path:
    """Write the counts as JSON (stable key order, trailing newline)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dict(counts), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _total(v: object) -> int:
    if isinstance(v, Mapping):
        return int(sum(int(x) for x in v.values()))
    return int(v)  # type: ignore[call-overload]


def check_counts(counts: Mapping[str, object]) -> list[str]:
    """Return the arithmetic inconsistencies of the counts (empty when the boxes add up)."""
    missing = [k for k in COUNT_KEYS if k not in counts]
    if missing:
        raise ValueError(f"PRISMA counts: missing key{'s' if len(missing) > 1 else ''} {missing}.")
    c = {k: _total(counts[k]) for k in COUNT_KEYS}
    problems = []
    if c["records_identified"] - c["duplicates_removed"] != c["records_screened"]:
        problems.append("records identified - duplicates removed != records screened")
    if c["records_screened"] - c["records_excluded"] != c["reports_sought"]:
        problems.append("records screened - records excluded != reports sought")
    if c["reports_sought"] - c["reports_not_retrieved"] != c["reports_assessed"]:
        problems.append("reports sought - not retrieved != reports assessed")
    if c["reports_assessed"] - c["reports_excluded"] != c["reports_included"]:
        problems.append("reports assessed - reports excluded != reports included")
    return problems


def _n(v: object) -> str:
    return f"(n = {_total(v)})"


def _lines(title: str, items: Mapping[str, object] | None = None, width: int = 44) -> str:
    out = [title]
    for name, n in (items or {}).items():
        wrapped = textwrap.wrap(f"{name} (n = {int(n)})", width - 2)  # type: ignore[call-overload]
        out += ["  " + w if i == 0 else "    " + w for i, w in enumerate(wrapped)]
    return "\n".join(out)


def prisma_flow(counts: Mapping[str, object], *, title: str | None = None) -> Figure:
    """PRISMA 2020 flow diagram ("new systematic reviews") from a counts dict.

    ``counts`` has the keys of :data:`COUNT_KEYS`; ``records_identified``, ``records_excluded``
    and ``reports_excluded`` are dicts (source or reason -> n). Boxes that do not add up are
    drawn anyway, with a warning naming the mismatch.
    """
    for problem in check_counts(counts):
        warnings.warn(f"PRISMA counts do not add up: {problem}.", stacklevel=2)
    ident = counts["records_identified"]
    ident_map = ident if isinstance(ident, Mapping) else {"Records": ident}
    boxes = [
        (_lines("Records identified from:", ident_map), 
         _lines("Records removed before screening:", {"Duplicate records removed": counts["duplicates_removed"]})),
        (f"Records screened\n{_n(counts['records_screened'])}",
         _lines(f"Records excluded {_n(counts['records_excluded'])}", counts["records_excluded"]  # type: ignore[arg-type]
                if isinstance(counts["records_excluded"], Mapping) else None)),
        (f"Reports sought for retrieval\n{_n(counts['reports_sought'])}",
         f"Reports not retrieved\n{_n(counts['reports_not_retrieved'])}"),
        (f"Reports assessed for eligibility\n{_n(counts['reports_assessed'])}",
         _lines("Reports excluded:", counts["reports_excluded"]  # type: ignore[arg-type]
                if isinstance(counts["reports_excluded"], Mapping) else {"Excluded": counts["reports_excluded"]})),
        (f"Studies included in review\n{_n(counts['studies_included'])}\n"
         f"Reports of included studies\n{_n(counts['reports_included'])}", None),
    ]  # fmt: skip
    phases = [("Identification", 0, 0), ("Screening", 1, 3), ("Included", 4, 4)]
    line = 0.125
    pad = 0.10
    gap = 0.28
    heights = [max(a.count("\n") + 1, (b.count("\n") + 1) if b else 0) * line + 2 * pad for a, b in boxes]
    # a phase band must be as tall as its rotated label (about 0.065 in per bold character at 7 pt)
    for name, a, b in phases:
        need = 0.065 * len(name) + 0.15 - sum(heights[a : b + 1]) - gap * (b - a)
        if need > 0:
            heights[a] += need / 2 if a == b else 0
            heights[b] += need / 2 if a == b else need
    head = 0.42
    W = 6.3
    H = head + sum(heights) + gap * (len(boxes) - 1) + 0.15
    band_x, band_w = 0.08, 0.30
    lx, lw = 0.52, 2.55
    rx, rw = 3.45, 2.75
    with style():
        fig = Figure(figsize=(W, H + (0.3 if title else 0)))
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, W)
        ax.set_ylim(H + (0.3 if title else 0), 0)
        ax.axis("off")
        y0 = 0.3 if title else 0.0
        if title:
            ax.text(0.08, 0.12, title, ha="left", va="center", fontsize=9, fontweight="bold",
                    parse_math=False, gid="title")  # fmt: skip
        box = dict(boxstyle="square,pad=0", lw=0.7, edgecolor="#222222", facecolor="white")
        ax.add_patch(FancyBboxPatch((lx, y0 + 0.05), rx + rw - lx, head - 0.15,
                                    boxstyle="round,pad=0,rounding_size=0.06", lw=0.7,
                                    edgecolor="#c59d1b", facecolor="#f6c744"))  # fmt: skip
        ax.text((lx + rx + rw) / 2, y0 + 0.05 + (head - 0.15) / 2,
                "Identification of studies via the PDF folder and manual entries",
                ha="center", va="center", fontweight="bold", parse_math=False, gid="prisma-header")  # fmt: skip
        tops = []
        y = y0 + head
        for (left, right), h in zip(boxes, heights):
            tops.append(y)
            ax.add_patch(FancyBboxPatch((lx, y), lw, h, **box, gid="prisma-box"))
            ax.text(lx + 0.1 if "\n  " in left else lx + lw / 2, y + h / 2, left,
                    ha="left" if "\n  " in left else "center", va="center", linespacing=1.3,
                    parse_math=False, gid="prisma-text")  # fmt: skip
            if right:
                ax.add_patch(FancyBboxPatch((rx, y), rw, h, **box, gid="prisma-box"))
                ax.text(rx + 0.1, y + h / 2, right, ha="left", va="center", linespacing=1.3,
                        parse_math=False, gid="prisma-text")  # fmt: skip
                ax.add_patch(FancyArrowPatch((lx + lw, y + h / 2), (rx, y + h / 2),
                                             arrowstyle="-|>", mutation_scale=7, lw=0.7,
                                             color="#222222", shrinkA=0, shrinkB=0))  # fmt: skip
            y += h + gap
        for i in range(len(boxes) - 1):
            ax.add_patch(FancyArrowPatch((lx + lw / 2, tops[i] + heights[i]), (lx + lw / 2, tops[i + 1]),
                                         arrowstyle="-|>", mutation_scale=7, lw=0.7, color="#222222",
                                         shrinkA=0, shrinkB=0))  # fmt: skip
        for name, a, b in phases:
            top, bottom = tops[a], tops[b] + heights[b]
            ax.add_patch(FancyBboxPatch((band_x, top), band_w, bottom - top,
                                        boxstyle="round,pad=0,rounding_size=0.06", lw=0.6,
                                        edgecolor="#5b8db8", facecolor="#a9cbe8"))  # fmt: skip
            ax.text(band_x + band_w / 2, (top + bottom) / 2, name, rotation=90, ha="center",
                    va="center", fontweight="bold", parse_math=False, gid="prisma-phase")  # fmt: skip
    return fig
