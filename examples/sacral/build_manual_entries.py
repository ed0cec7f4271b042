"""Turn the abstract values in ``literature/`` into the example review's manual entries.

Every study gets an explicit inclusion decision with its reason (overlapping cohorts, mixed
populations, denominators that are not patients or lesions, values superseded by a full text in the
corpus). Rows are never dropped: excluded values are written with ``include = no`` so a reader of
``manual_entries.csv`` sees what was left out and why.

Run from the repository root: ``python examples/sacral/build_manual_entries.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "literature" / "sacral_abstract_values.csv"
TARGET = HERE / "manual_entries.csv"
CURATOR = "example-curator"
DATE = "2026-11-22"

COLUMNS = (
    "study_id", "citation", "doi", "design", "arm_id", "arm_label", "treatment_class",
    "n_patients", "n_lesions", "outcome", "timepoint_label", "scale", "unit", "field", "value",
    "source_address", "excerpt", "curator", "date", "reason", "include", "exclusion_reason",
)

# study_id -> (include, reason). The reason is written on every row of the study.
STUDY_DECISIONS: dict[str, tuple[bool, str]] = {
    "cazzato2021": (False, "superseded: the full-text PDF is in the corpus and is extracted from it"),
    "tian2022": (False, "superseded: the full-text PDF is in the corpus and is extracted from it"),
    "madaelil2016": (True, "sacral metastases only; RFA in all 11 patients (7 with cementoplasty)"),
    "tian2019": (False, "overlapping cohort: same centre as tian2022 with accrual inside 2012-2021; tian2022 (larger, comparative) kept"),
    "tian2020": (False, "overlapping cohort: same centre as tian2022 with accrual inside 2012-2021; tian2022 kept (post-procedure time point also truncated in the abstract)"),
    "kortman2013": (True, "multicentre series; only the pathologic sacral-lesion subgroup is a sacral tumour population"),
    "ortiz_assr2012": (False, "overlapping cohort: conference abstract of the kortman2013 investigators and centres"),
    "gupta2014": (False, "mixed population: only 55% cancer-related (30% osteoporotic, 15% trauma), no tumour subgroup reported"),
    "pereira2013": (True, "84.5% tumour-related (rule: at least 80% sacral tumours); kept as mixed-population study"),
    "moussazadeh2015": (False, "not metastatic lesions: mostly radiation-induced insufficiency fractures (18/24)"),
    "zhang2008": (True, "two sacral metastases treated with sacroplasty (case report)"),
    "georgy2009": (True, "malignant sacral lesions (11/12 sacral); cement augmentation"),
    "massari2009": (True, "sacral metastases treated with RFA + sacroplasty (conference abstract)"),
    "sun2021": (False, "mixed treatments: 61 open surgeries pooled with 12 RFA + sacroplasty, complication denominators not stated"),
    "feizerfan2012": (True, "open surgery for sacral metastases"),
    "du2016": (True, "curettage of sacral metastases"),
    "ozdemir1999": (False, "mixed population: primary and secondary tumours, recurrence only as a percentage of an unclear denominator"),
    "charestmorin2019": (False, "unusable outcome data: adverse events are event counts (10 AEs in 8 patients), not patients with an event"),
    "hirase2025": (True, "fixation of pathologic sacral fractures in metastatic disease"),
    "zeng2019": (True, "sacral cohort of an SBRT series"),
    "kowalchuk2020": (True, "SBRT for sacral metastases"),
    "gerszten2003": (True, "radiosurgery for sacral lesions (17/18 malignant)"),
}

# (study_id, arm as printed) -> arm_id
ARM_IDS = {
    ("kortman2013", "CT-guided sacroplasty, sacral-lesion subgroup"): "lesions",
    ("kortman2013", "CT-guided sacroplasty, SIF subgroup"): "sif",
    ("kortman2013", "whole cohort"): "all_patients",
    ("madaelil2016", "oligometastatic LTC-intent subgroup"): "ltc_intent",
    ("cazzato2021", "curative-intent subgroup (7 metastases)"): "curative",
    ("tian2022", "group A: PSP + RFA"): "psp_rfa",
    ("tian2022", "group B: PSP alone"): "psp",
}

# (study_id, arm_id, outcome, timepoint prefix) -> exclusion reason for single rows of included studies
ROW_EXCLUSIONS = {
    ("kortman2013", "sif"): "osteoporotic sacral insufficiency fractures, not tumours",
    ("kortman2013", "all_patients"): "whole cohort is 84% osteoporotic fractures; no tumour-only complication count",
}

SCALES = {
    "NPRS 0-10": "NPRS", "VAS 0-10": "VAS10", "VAS 0-10 (global pain)": "VAS10", "VAS": "VAS10",
    "VAS (sacral)": "VAS10", "NRS 0-10": "NRS",
    "pain score 0-10 (scale not named in abstract)": "NRS",
}

# count outcomes whose denominator is lesions (or segments) rather than patients
LESION_DENOMINATORS = {("zhang2008", "cement_leakage"), ("kowalchuk2020", "complication_major"),
                       ("zeng2019", "complication_any"), ("zeng2019", "local_recurrence"),
                       ("kowalchuk2020", "local_recurrence")}


# (study_id, outcome) -> arm_id, where one printed arm holds outcomes over different patients
OUTCOME_ARM_IDS = {("gerszten2003", "responder"): "symptomatic"}

# Responder rows combined by the curator: (study_id, arm_id, outcome, scale prefix) of the parts,
# and the combined row that replaces them.
COMBINED_RESPONDERS = {
    ("pereira2013", "responder"): {
        "parts": ("4-grade satisfaction: signific", "4-grade satisfaction: mild imp"),
        "note": "any improvement = significant (15) + mild (34) improvement, mutually exclusive "
                "grades of the 4-grade scale, so comparable with the 'pain improved' definitions "
                "of the other studies",
    },
}


def _arm_id(row: dict[str, str]) -> str:
    special = OUTCOME_ARM_IDS.get((row["study_id"], row["outcome"]))
    return special or ARM_IDS.get((row["study_id"], row["arm"]), "all")


def _values(row: dict[str, str]) -> list[tuple[str, str, str]]:
    """(field, value, note) triples for one literature row, following its stat_type."""
    stat = row["stat_type"].split(" ")[0]
    v1, v2, v3 = row["value1"], row["value2"], row["value3"]
    events, total = row["events"], row["total"]
    layouts = {
        "mean_sd": [("mean", v1), ("sd", v2)],
        "mean": [("mean", v1)],
        "mean_range": [("mean", v1), ("min", v2), ("max", v3)],
        "median": [("median", v1)],
        "median_iqr": [("median", v1), ("q1", v2), ("q3", v3)],
        "median_range": [("median", v1), ("min", v2), ("max", v3)],
        "count": [("events", events), ("total", total), ("percent", v1)],
        "percent": [("percent", v1), ("total", total)],
        "count_AEs": [("events", events), ("total", total)],
        "km_local_control_pct": [("percent", v1)],
        "local_control_pct": [("percent", v1)],
    }
    if stat == "control_count":
        # events = lesions controlled; the recurrence count is total - controlled
        recurrences = str(int(total) - int(events))
        return [("events", recurrences, f"recurrences = {total} - {events} controlled"),
                ("total", total, "")]
    if stat not in layouts:
        raise ValueError(f"{SOURCE.name}: study {row['study_id']}: unknown stat_type {stat!r}")
    return [(field, value, "") for field, value in layouts[stat] if value != ""]


def _row_exclusion(row: dict[str, str], arm_id: str) -> str:
    stat = row["stat_type"].split(" ")[0]
    if (row["study_id"], arm_id) in ROW_EXCLUSIONS:
        return ROW_EXCLUSIONS[(row["study_id"], arm_id)]
    if stat in ("km_local_control_pct", "local_control_pct"):
        return "local control given as an (actuarial) percentage, not events over a total"
    if stat == "percent":
        return "percentage without a count; events are not back-calculated"
    if row["study_id"] == "zeng2019" and "plexopathy" in row["scale"]:
        return "second complication type of zeng2019; may be the same patients as the fractures, so not added"
    if row["outcome"] == "complication_any" and row["total"] == "":
        return "denominator not stated"
    return ""


def _combine(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Replace the parts of a combined responder definition by their sum (parts kept, excluded)."""
    out = list(rows)
    for (study, outcome), spec in COMBINED_RESPONDERS.items():
        parts = [r for r in rows if r["study_id"] == study and r["outcome"] == outcome
                 and r["scale_as_printed"].startswith(spec["parts"])]
        events = sum(int(r["value"]) for r in parts if r["field"] == "events")
        total = {r["value"] for r in parts if r["field"] == "total"}
        if len(parts) == 0 or len(total) != 1:
            raise ValueError(f"{SOURCE.name}: cannot combine responder rows of {study}")
        for r in parts:
            r["include"], r["exclusion_reason"] = "no", "combined into the any-improvement row"
        template = next(r for r in parts if r["field"] == "events")
        for field, value in (("events", str(events)), ("total", total.pop())):
            out.append({**template, "field": field, "value": value, "include": "yes",
                        "exclusion_reason": "", "reason": f"{template['reason']}; {spec['note']}"})
    return out


def build_rows() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    with SOURCE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            include_study, study_reason = STUDY_DECISIONS[row["study_id"]]
            arm_id = _arm_id(row)
            row_exclusion = _row_exclusion(row, arm_id) if include_study else study_reason
            outcome = row["outcome"]
            unit = "lesions" if (row["study_id"], outcome) in LESION_DENOMINATORS else "patients"
            scale = SCALES.get(row["scale"], "") if outcome == "pain" else ""
            for field, value, note in _values(row):
                reason = study_reason + (f"; {note}" if note else "")
                out.append({
                    "study_id": row["study_id"], "citation": row["citation"], "doi": row["doi"],
                    "design": row["design"], "arm_id": arm_id, "arm_label": row["arm"],
                    "treatment_class": row["treatment_class"], "n_patients": row["n_patients"],
                    "n_lesions": row["n_lesions"], "outcome": outcome,
                    "timepoint_label": row["timepoint"], "scale": scale, "unit": unit,
                    "field": field, "value": value, "source_address": row["source_address"],
                    "excerpt": row["excerpt"], "curator": CURATOR, "date": DATE, "reason": reason,
                    "include": "no" if row_exclusion else "yes",
                    "exclusion_reason": row_exclusion, "scale_as_printed": row["scale"],
                })
    return _combine(out)


def main() -> None:
    rows = build_rows()
    with TARGET.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n",
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    included = sum(r["include"] == "yes" for r in rows)
    print(f"wrote {TARGET} ({len(rows)} values, {included} included)")


if __name__ == "__main__":
    main()
