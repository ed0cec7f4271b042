"""Curated tables -> the effects table: one analysable row per study arm and analysis.

Harmonisation makes reported values comparable and says, on every row, how:
pain on any scale -> 0-10; medians with IQR or range -> means and SDs (``evidence.conversions``);
the SD of a change from baseline from the two SDs and an assumed correlation; time points to days
and to a common grid; counts to events over totals with their unit (patients or lesions); an
overall complication count from minor + major where no total was reported.
A row that cannot be analysed is kept with ``include = false`` and the reason, never dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from evidence import conversions
from evidence.vocabulary import SCALES

EFFECT_COLUMNS: tuple[str, ...] = (
    "analysis", "outcome", "measure", "study_id", "arm_id", "slab", "treatment_class",
    "xi", "ni", "mi", "sdi", "m1i", "m2i", "sd1i", "sd2i", "ri",
    "timepoint", "timepoint_days", "unit", "scale", "method", "include", "exclusion_reason",
    "provenance",
)
KEY = ["study_id", "arm_id", "outcome", "timepoint", "scale", "unit"]
ARM_CHOICES = ("largest", "all")


@dataclass(frozen=True)
class Analysis:
    """One analysis of the config: what outcome to pool, how, with which measure."""

    name: str
    outcome: str
    kind: str
    measure: str
    window: str | None = None
    title: str = ""
    #: arms of one study and treatment class that are pooled: "largest" or "all"
    arms: str = "largest"

    @classmethod
    def from_config(cls, name: str, spec: dict[str, Any]) -> "Analysis":
        arms = str(spec.get("arms", "largest"))
        if arms not in ARM_CHOICES:
            raise ValueError(f"analysis {name!r}: arms {arms!r} must be one of {list(ARM_CHOICES)}.")
        return cls(name=name, outcome=spec["outcome"], kind=spec["kind"], measure=spec["measure"],
                   window=spec.get("window"), title=spec.get("title", name), arms=arms)


@dataclass
class Settings:
    pre_post_r: float = 0.5
    timepoint_grid: dict[str, list[float]] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading

def _included_studies(studies: pd.DataFrame) -> set[str]:
    return set(studies.loc[studies["decision"].astype(str) == "included", "study_id"].astype(str))


def _is_included_value(outcomes: pd.DataFrame) -> pd.Series:
    if "include" not in outcomes:
        return pd.Series(True, index=outcomes.index)
    flag = outcomes["include"].astype(str).str.lower()
    return ~flag.isin(["no", "false", "0"])


def _provenance(rows: pd.DataFrame) -> str:
    parts = []
    for _, row in rows.iterrows():
        source = row.get("source_file")
        if isinstance(source, str) and source and not pd.isna(row.get("page")):
            box = ",".join(f"{float(row[c]):.0f}" for c in ("x0", "top", "x1", "bottom")
                           if not pd.isna(row.get(c)))
            parts.append(f"{source} p.{int(row['page'])} [{box}]")
        elif isinstance(row.get("source_address"), str) and row.get("source_address"):
            parts.append(str(row["source_address"]))
        origin = row.get("origin")
        if origin == "corrected":
            parts.append(f"corrected by {row.get('curator')} {row.get('curated_at')}: {row.get('reason')}")
    return "; ".join(dict.fromkeys(parts))


@dataclass
class Record:
    """All fields reported for one (study, arm, outcome, time point, scale, unit)."""

    study_id: str
    arm_id: str
    outcome: str
    timepoint: str
    timepoint_days: float | None
    scale: str
    unit: str
    values: dict[str, float]
    provenance: str


def records(outcomes: pd.DataFrame) -> list[Record]:
    """Group the long outcomes table into one record per key."""
    frame = outcomes.copy()
    for col in ("scale", "unit", "timepoint"):
        frame[col] = frame[col].fillna("").astype(str)
    out = []
    for key, rows in frame.groupby(KEY, sort=True, dropna=False):
        study_id, arm_id, outcome, timepoint, scale, unit = key
        values = {}
        for _, row in rows.iterrows():
            value = pd.to_numeric(row["value"], errors="coerce")
            if not pd.isna(value):
                values[str(row["field"])] = float(value)
        days = pd.to_numeric(rows["timepoint_days"], errors="coerce").dropna()
        out.append(Record(str(study_id), str(arm_id), str(outcome), timepoint,
                          float(days.iloc[0]) if len(days) else None, scale, unit, values,
                          _provenance(rows)))
    return out


# --------------------------------------------------------------------------- pain

def pain_mean_sd(record: Record, n: float | None, settings: Settings) -> tuple[float, float, str]:
    """Mean and SD on a 0-10 scale, with the method; raises ValueError when not derivable."""
    if record.scale not in SCALES:
        raise ValueError(f"pain scale {record.scale!r} unknown; expected one of {sorted(SCALES)}")
    factor = 10.0 / SCALES[record.scale]
    v = record.values
    methods = []
    if "mean" in v and "sd" in v:
        mean, sd = v["mean"], v["sd"]
        methods.append("reported")
    elif {"median", "q1", "q3"} <= v.keys() and n:
        if {"min", "max"} <= v.keys():
            mean, sd, how = conversions.mean_sd_from_five_numbers(v["min"], v["q1"], v["median"], v["q3"], v["max"], n)
        else:
            mean, sd, how = conversions.mean_sd_from_median_iqr(v["q1"], v["median"], v["q3"], n)
        methods.append(how)
    elif {"median", "min", "max"} <= v.keys() and n:
        mean, sd, how = conversions.mean_sd_from_median_range(v["min"], v["median"], v["max"], n)
        methods.append(how)
    elif "mean" in v:
        raise ValueError("mean reported without SD, IQR or range")
    elif "median" in v:
        raise ValueError("median reported without IQR or range (or without n)")
    else:
        raise ValueError(f"no pain statistic among {sorted(v)}")
    if factor != 1.0:
        methods.append(f"rescaled_{SCALES[record.scale]:g}_to_10")
    return mean * factor, sd * factor, "+".join(methods)


def _order(record: Record) -> float:
    """Position in time: known days, 'post' just after treatment, 'last' (no days) at the end."""
    if record.timepoint == "baseline":
        return 0.0
    if record.timepoint_days is not None and not math.isnan(record.timepoint_days):
        return record.timepoint_days
    return {"post": 0.5, "procedural": 0.25, "last": 1e9}.get(record.timepoint, -1.0)


def in_window(record: Record, window: list[float]) -> bool:
    if record.timepoint_days is None or math.isnan(record.timepoint_days):
        return False
    return window[0] <= record.timepoint_days <= window[1] and record.timepoint != "baseline"


# --------------------------------------------------------------------------- main

def _arm_n(arms: pd.DataFrame, study_id: str, arm_id: str, unit: str) -> float | None:
    row = arms[(arms["study_id"] == study_id) & (arms["arm_id"] == arm_id)]
    if row.empty:
        return None
    column = "n_lesions" if unit == "lesions" else "n_patients"
    value = pd.to_numeric(row.iloc[0].get(column), errors="coerce")
    return None if pd.isna(value) else float(value)


def _slab(study_id: str, label: str, several_arms: bool) -> str:
    name = study_id.split("_")[0]
    surname, year = name.rstrip("0123456789"), name[len(name.rstrip("0123456789")):]
    text = f"{surname.capitalize()} {year}".strip()
    return f"{text} ({label})" if several_arms and label and label != "all" else text


def _base_row(analysis: Analysis, rec: Record, arm: pd.Series) -> dict[str, Any]:
    return {
        "analysis": analysis.name, "outcome": analysis.outcome, "measure": analysis.measure,
        "study_id": rec.study_id, "arm_id": rec.arm_id,
        "treatment_class": arm.get("treatment_class", ""), "timepoint": rec.timepoint,
        "timepoint_days": rec.timepoint_days, "unit": rec.unit, "scale": rec.scale,
        "provenance": rec.provenance, "include": True, "exclusion_reason": "",
        "_label": arm.get("label", ""),
    }


def _pain_rows(analysis: Analysis, recs: list[Record], arm: pd.Series, n: float | None,
               settings: Settings) -> list[dict[str, Any]]:
    baseline = [r for r in recs if r.timepoint == "baseline"]
    later = sorted((r for r in recs if r.timepoint not in ("baseline", "unknown")), key=_order)
    if analysis.kind == "window":
        window = settings.timepoint_grid[analysis.window]
        later = [r for r in later if in_window(r, window)]
    chosen = None
    for candidate in reversed(later):  # latest analysable time point first
        try:
            pain_mean_sd(candidate, n, settings)
            chosen = candidate
            break
        except ValueError:
            continue
    target = chosen or (later[-1] if later else None)
    if target is None:
        return []
    row = _base_row(analysis, target, arm)
    row["ni"] = n
    if n is None:
        return [{**row, "include": False, "exclusion_reason": "number of patients unknown"}]
    try:
        mean, sd, how = pain_mean_sd(target, n, settings)
    except ValueError as exc:
        return [{**row, "include": False, "exclusion_reason": str(exc)}]
    if analysis.kind in ("last", "window"):
        return [{**row, "mi": mean, "sdi": sd, "method": how}]
    if not baseline:
        return [{**row, "include": False, "exclusion_reason": "no baseline pain for the change"}]
    try:
        mean0, sd0, how0 = pain_mean_sd(baseline[0], n, settings)
    except ValueError as exc:
        return [{**row, "include": False, "exclusion_reason": f"baseline: {exc}"}]
    row["provenance"] = "; ".join(dict.fromkeys([baseline[0].provenance, target.provenance]))
    return [{**row, "m1i": mean, "m2i": mean0, "sd1i": sd, "sd2i": sd0, "ri": settings.pre_post_r,
             "method": f"follow-up {how}; baseline {how0}; ri={settings.pre_post_r:g} assumed"}]


def _count_rows(analysis: Analysis, recs: list[Record], arm: pd.Series, arms: pd.DataFrame,
                by_arm: dict[tuple[str, str], list[Record]]) -> list[dict[str, Any]]:
    usable = sorted(recs, key=_order)
    if not usable and analysis.outcome == "complication_any":
        return _sum_minor_major(analysis, arm, arms, by_arm)
    if not usable:
        return []
    rec = next((r for r in reversed(usable) if "events" in r.values), usable[-1])
    row = _base_row(analysis, rec, arm)
    events = rec.values.get("events")
    total = rec.values.get("total")
    method = "reported"
    if total is None:
        total = _arm_n(arms, rec.study_id, rec.arm_id, rec.unit or "patients")
        method = f"total = arm n ({rec.unit or 'patients'})"
    if events is None:
        reason = "percentage without a count" if "percent" in rec.values else "no event count"
        return [{**row, "ni": total, "include": False, "exclusion_reason": reason}]
    if total is None or total <= 0:
        return [{**row, "xi": events, "include": False, "exclusion_reason": "no denominator"}]
    if events > total:
        return [{**row, "xi": events, "ni": total, "include": False,
                 "exclusion_reason": f"events {events:g} > total {total:g}"}]
    return [{**row, "xi": events, "ni": total, "method": method}]


def _sum_minor_major(analysis: Analysis, arm: pd.Series, arms: pd.DataFrame,
                     by_arm: dict[tuple[str, str], list[Record]]) -> list[dict[str, Any]]:
    key = (arm["study_id"], arm["arm_id"])
    parts = {}
    for rec in by_arm.get(key, []):
        if rec.outcome in ("complication_minor", "complication_major") and "events" in rec.values:
            parts[rec.outcome] = rec
    if len(parts) != 2:
        return []
    minor, major = parts["complication_minor"], parts["complication_major"]
    total = minor.values.get("total") or major.values.get("total")
    total = total or _arm_n(arms, minor.study_id, minor.arm_id, minor.unit or "patients")
    row = _base_row(analysis, minor, arm)
    row["provenance"] = "; ".join(dict.fromkeys([minor.provenance, major.provenance]))
    events = minor.values["events"] + major.values["events"]
    if total is None:
        return [{**row, "xi": events, "include": False, "exclusion_reason": "no denominator"}]
    return [{**row, "xi": min(events, total), "ni": total,
             "method": "minor + major (assumes no patient had both)"}]


def _keep_one_arm_per_class(rows: list[dict[str, Any]]) -> None:
    """Within one study, pool one arm per treatment class: the largest (the whole cohort).

    Papers report outcomes for the whole cohort and again for subgroups (palliative vs curative,
    RFA vs cryoablation); pooling both would count patients twice. The other arms are kept,
    excluded, with the reason.
    """
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        if row["include"]:
            groups.setdefault((row["study_id"], row["treatment_class"]), []).append(row)
    for members in groups.values():
        if len(members) < 2:
            continue
        kept = max(members, key=lambda r: (r.get("ni") or 0))
        for row in members:
            if row is not kept:
                row["include"] = False
                row["exclusion_reason"] = (
                    f"overlaps arm '{kept['arm_id']}' (n = {kept.get('ni') or 0:g}) of the same study "
                    "and treatment class; the largest arm is pooled")


def select_arms(rows: list[dict[str, Any]], arms: str) -> None:
    """``arms = "largest"``: one arm per study and class (see :func:`_keep_one_arm_per_class`);
    ``"all"``: keep every arm, for a multilevel model (``pool-outcome --model multilevel``) that
    models arms within a study as dependent."""
    if arms == "largest":
        _keep_one_arm_per_class(rows)
    elif arms != "all":
        raise ValueError(f"arms {arms!r} must be one of {list(ARM_CHOICES)}.")


def harmonize(studies: pd.DataFrame, arms: pd.DataFrame, outcomes: pd.DataFrame,
              analyses: Iterable[Analysis], settings: Settings | None = None) -> pd.DataFrame:
    """Build the effects table for ``analyses`` from curated studies, arms and outcomes."""
    settings = settings or Settings()
    included = _included_studies(studies)
    values = outcomes[outcomes["study_id"].astype(str).isin(included) & _is_included_value(outcomes)]
    recs = records(values) if len(values) else []
    by_arm: dict[tuple[str, str], list[Record]] = {}
    for rec in recs:
        by_arm.setdefault((rec.study_id, rec.arm_id), []).append(rec)
    arms = arms[arms["study_id"].astype(str).isin(included)]
    rows: list[dict[str, Any]] = []
    for analysis in analyses:
        produced: list[dict[str, Any]] = []
        for _, arm in arms.iterrows():
            mine = [r for r in by_arm.get((arm["study_id"], arm["arm_id"]), []) if r.outcome == analysis.outcome]
            if analysis.outcome == "pain":
                n = _arm_n(arms, arm["study_id"], arm["arm_id"], "patients")
                for rec in mine:
                    n = rec.values.get("n", n)
                produced += _pain_rows(analysis, mine, arm, n, settings)
            else:
                produced += _count_rows(analysis, mine, arm, arms, by_arm)
        select_arms(produced, analysis.arms)
        per_study = pd.Series([r["study_id"] for r in produced]).value_counts()
        for row in produced:
            label = row.pop("_label")
            row["slab"] = _slab(row["study_id"], label, per_study.get(row["study_id"], 0) > 1)
        rows += produced
    table = pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))
    table["include"] = table["include"].fillna(True).astype(bool)
    return table.sort_values(["analysis", "treatment_class", "study_id", "arm_id"], kind="stable")


def harmonize_files(tables_dir: Path, config: dict[str, Any], out: Path) -> pd.DataFrame:
    """Read curated ``studies/arms/outcomes.tsv`` from ``tables_dir``, write ``out``."""
    analyses = [Analysis.from_config(name, spec) for name, spec in config["analyses"].items()]
    options = config.get("harmonize", {})
    settings = Settings(pre_post_r=float(options.get("pre_post_r", 0.5)),
                        timepoint_grid=options.get("timepoint_grid", {}))
    for analysis in analyses:
        if analysis.kind == "window" and analysis.window not in settings.timepoint_grid:
            raise ValueError(f"analysis {analysis.name!r}: window {analysis.window!r} is not in "
                             f"harmonize.timepoint_grid ({sorted(settings.timepoint_grid)})")
    studies, arms, outcomes = (
        pd.read_csv(tables_dir / f"{name}.tsv", sep="\t", dtype={"study_id": str, "arm_id": str})
        for name in ("studies", "arms", "outcomes")
    )
    table = harmonize(studies, arms, outcomes, analyses, settings)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, sep="\t", index=False)
    return table
