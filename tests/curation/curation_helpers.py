"""Small extracted tables and curation files for the curation tests (fixtures in conftest.py)."""

from __future__ import annotations

import csv
from pathlib import Path

from evidence import vocabulary as V

STUDIES = [
    {"study_id": "cazzato2021", "source_file": "cazzato2021.pdf", "title": "Thermal ablation", "year": "2021",
     "document_type": "primary", "decision": "included", "n_pages": "7"},
    {"study_id": "tian2022", "source_file": "tian2022.pdf", "title": "PSP with or without RFA", "year": "2022",
     "document_type": "primary", "decision": "included", "n_pages": "9"},
]
ARMS = [
    {"study_id": "cazzato2021", "arm_id": "all", "label": "thermal ablation", "treatment_class": "ablation",
     "n_patients": "23", "n_lesions": "23"},
    {"study_id": "tian2022", "arm_id": "psp_rfa", "label": "PSP + RFA", "treatment_class": "ablation+sacroplasty",
     "n_patients": "30"},
    {"study_id": "tian2022", "arm_id": "psp", "label": "PSP", "treatment_class": "sacroplasty", "n_patients": "32"},
]


def _value(study, arm, outcome, tp, label, field, value, scale="", unit="patients", page="4"):
    return {"study_id": study, "arm_id": arm, "outcome": outcome, "timepoint": tp, "timepoint_label": label,
            "scale": scale, "unit": unit, "field": field, "value": value, "source_file": f"{study}.pdf",
            "page": page, "x0": "10", "top": "20", "x1": "200", "bottom": "30", "excerpt": f"{field} {value}",
            "extractor": "text.mean_sd", "confidence": "0.9"}


OUTCOMES = [
    _value("cazzato2021", "all", "pain", "baseline", "baseline", "mean", "5", "NPRS"),
    _value("cazzato2021", "all", "pain", "baseline", "baseline", "sd", "1", "NPRS"),
    _value("cazzato2021", "all", "pain", "last", "last follow-up", "mean", "2", "NPRS"),
    _value("cazzato2021", "all", "pain", "last", "last follow-up", "sd", "2", "NPRS"),
    _value("tian2022", "psp_rfa", "pain", "baseline", "before treatment", "mean", "7.1", "VAS10"),
    _value("tian2022", "psp_rfa", "pain", "baseline", "before treatment", "sd", "1.2", "VAS10"),
    _value("tian2022", "psp_rfa", "pain", "m1", "1 month", "mean", "2.5", "VAS10"),
    _value("tian2022", "psp", "cement_leakage", "procedural", "procedural", "events", "5", "", "patients"),
    _value("tian2022", "psp", "cement_leakage", "procedural", "procedural", "total", "32", "", "patients"),
]


def write_tsv(path: Path, rows: list[dict], columns: tuple[str, ...]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), delimiter="\t", lineterminator="\n",
                                quoting=csv.QUOTE_NONE, escapechar="\\")
        writer.writeheader()
        writer.writerows({c: r.get(c, "") for c in columns} for r in rows)
    return path


def write_extracted(folder: Path, outcomes: list[dict] | None = None, arms: list[dict] | None = None) -> Path:
    """Extracted tables (studies, arms, outcomes) in ``folder``."""
    write_tsv(folder / "studies.tsv", STUDIES, V.STUDY_COLUMNS)
    write_tsv(folder / "arms.tsv", ARMS if arms is None else arms, V.ARM_COLUMNS)
    write_tsv(folder / "outcomes.tsv", OUTCOMES if outcomes is None else outcomes, V.OUTCOME_COLUMNS)
    return folder


def write_csv(path: Path, rows: list[dict], columns: tuple[str, ...]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: r.get(c, "") for c in columns} for r in rows)
    return path


def correction(study="cazzato2021", arm="all", outcome="pain", tp="last", field="mean", old="2", new="3",
               curator="ana", date="2026-11-20", reason="table 2 says 3", **extra) -> dict:
    return {"study_id": study, "arm_id": arm, "outcome": outcome, "timepoint": tp, "field": field,
            "old_value": old, "new_value": new, "curator": curator, "date": date, "reason": reason, **extra}


def manual_row(**overrides) -> dict:
    row = {"study_id": "madaelil2016", "citation": "Madaelil TP et al. Skeletal Radiol 2016",
           "doi": "10.1007/s00256-016-2404-9", "design": "retrospective", "arm_id": "all",
           "arm_label": "RFA", "treatment_class": "ablation", "n_patients": "11", "n_lesions": "16",
           "outcome": "pain", "timepoint_label": "baseline", "scale": "NRS", "unit": "patients",
           "field": "median", "value": "8", "source_address": "http://example.org/abstract",
           "excerpt": "The median pain score decreased from 8", "curator": "ana", "date": "2026-11-22",
           "reason": "abstract only", "include": "yes", "exclusion_reason": ""}
    row.update(overrides)
    return row


