"""Curated tables -> the effects table: one analysable row per study arm and analysis.

Harmonisation makes reported values comparable and says, on every row, how:
continuous outcomes on any of the review's scales -> the outcome's common scale (pain 0-10);
medians with IQR or range -> means and SDs (``evidence.conversions``); a change from baseline as
reported (SD, or SD from SE x sqrt(n), or SE from its CI) or from the two SDs and an assumed
correlation; a between-arm difference with its CI -> a generic effect and its variance; time points
to days and to a common grid; counts to events over totals with their unit (patients or lesions),
the denominator checked against the printed percentage; an overall complication count from
minor + major where no total was reported.
A row that cannot be analysed is kept with ``include = false`` and the reason, never dropped; a
value outside its scale's range is refused. Every refusal and every printed percentage that
disagrees with events/total goes to the QA table (:data:`QA_COLUMNS`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

from evidence import conversions
from evidence.harmonize_counts import EVENTS_FROM_PERCENT, resolve_counts
from evidence.harmonize_scales import RangeError, Rescale, common_range, out_of_range, rescale, scale_range
from vocab import Vocabulary

EFFECT_COLUMNS: tuple[str, ...] = (
    "analysis", "outcome", "measure", "study_id", "arm_id", "comparator", "slab", "treatment_class",
    "xi", "ni", "mi", "sdi", "m1i", "m2i", "sd1i", "sd2i", "ri", "yi", "vi",
    "timepoint", "timepoint_days", "unit", "scale", "method", "include", "exclusion_reason",
    "provenance",
)
QA_COLUMNS: tuple[str, ...] = (
    "study_id", "arm_id", "analysis", "outcome", "timepoint", "issue", "field", "value", "expected",
    "events", "percent", "total", "percent_of_total", "n_patients", "percent_of_n_patients",
    "n_lesions", "percent_of_n_lesions", "chosen", "why", "origin", "provenance",
)
"""Columns of ``harmonized/qa.tsv``: one row per refused value (``issue`` ``out_of_range``,
``unknown_scale``, ``mean_outside_ci``) and per printed percentage that disagrees with
events/total (``percent_disagrees``, ``denominator_chosen_by_percent``,
``percent_not_back_calculated``), with both candidate denominators and the percent each gives."""
KEY = ["study_id", "arm_id", "outcome", "timepoint", "scale", "unit", "contrast", "comparator"]
ARM_CHOICES = ("largest", "all")
DIFFERENCE = {"change": "change_difference", "last": "difference", "window": "difference"}
"""Which between-arm contrast a generic-effect (GEN) analysis of each kind pools."""


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
    """The ``harmonize`` section of a config, plus the review's vocabulary (scales, outcomes)."""

    pre_post_r: float = 0.5
    timepoint_grid: dict[str, list[float]] = field(default_factory=dict)
    #: "never" or "when_total_printed" (see :mod:`evidence.harmonize_counts`)
    events_from_percent: str = "never"
    #: the review's vocabulary; None = the transitional pain scales of ``evidence.vocabulary``
    vocabulary: Vocabulary | None = None

    def __post_init__(self) -> None:
        if self.events_from_percent not in EVENTS_FROM_PERCENT:
            raise ValueError(f"harmonize.events_from_percent {self.events_from_percent!r}; expected one of "
                             f"{list(EVENTS_FROM_PERCENT)}")

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Settings":
        options = config.get("harmonize") or {}
        vocabulary = Vocabulary.from_config(config) if config.get("vocabulary") else None
        return cls(pre_post_r=float(options.get("pre_post_r", 0.5)),
                   timepoint_grid=options.get("timepoint_grid", {}),
                   events_from_percent=str(options.get("events_from_percent", "never")),
                   vocabulary=vocabulary)


@dataclass
class Harmonized:
    """The effects table and the QA table."""

    effects: pd.DataFrame
    qa: pd.DataFrame


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
    """All fields reported for one (study, arm, outcome, time point, scale, unit, contrast)."""

    study_id: str
    arm_id: str
    outcome: str
    timepoint: str
    timepoint_days: float | None
    scale: str
    unit: str
    values: dict[str, float]
    provenance: str
    #: "" (the arm's value at the time point), "change", "difference" or "change_difference"
    contrast: str = ""
    #: the other arm of a difference
    comparator: str = ""
    #: the values as printed (for the decimals of a percentage)
    texts: dict[str, str] = field(default_factory=dict)
    #: origins of the values (extracted, manual, corrected)
    origin: str = ""


def _printed(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    number = float(value)
    return f"{int(number)}" if number.is_integer() else repr(number)


def records(outcomes: pd.DataFrame) -> list[Record]:
    """Group the long outcomes table into one record per key."""
    frame = outcomes.copy()
    for col in ("scale", "unit", "timepoint", "contrast", "comparator"):
        frame[col] = frame[col].fillna("").astype(str) if col in frame else ""
    out = []
    for key, rows in frame.groupby(KEY, sort=True, dropna=False):
        study_id, arm_id, outcome, timepoint, scale, unit, contrast, comparator = key
        values, texts = {}, {}
        for _, row in rows.iterrows():
            value = pd.to_numeric(row["value"], errors="coerce")
            if not pd.isna(value):
                values[str(row["field"])] = float(value)
                texts[str(row["field"])] = _printed(row["value"])
        days = pd.to_numeric(rows["timepoint_days"], errors="coerce").dropna()
        origins = rows["origin"].dropna().astype(str) if "origin" in rows else []
        out.append(Record(str(study_id), str(arm_id), str(outcome), timepoint,
                          float(days.iloc[0]) if len(days) else None, scale, unit, values,
                          _provenance(rows), contrast, comparator, texts,
                          "; ".join(dict.fromkeys(o for o in origins if o))))
    return out


# --------------------------------------------------------------------------- continuous outcomes

def is_continuous(outcome: str, settings: Settings) -> bool:
    """Whether ``outcome`` is pooled as a mean (the vocabulary's kind; without one, pain)."""
    if settings.vocabulary is None:
        return outcome == "pain"
    return settings.vocabulary.outcome(outcome).kind == "continuous"


def _has_scales(outcome: str, settings: Settings) -> bool:
    if settings.vocabulary is None:
        return outcome == "pain"
    return bool(settings.vocabulary.outcome(outcome).scales)


def refusals(record: Record, settings: Settings) -> list[tuple[str, str, float | str, str]]:
    """Why harmonisation refuses a continuous value: ``(issue, field, value, expected)`` for an
    unknown scale, a value outside its scale's range, a mean outside its own CI."""
    if not record.scale and not _has_scales(record.outcome, settings):
        found = []
    else:
        try:
            rng = scale_range(record.scale, settings.vocabulary)
        except RangeError as exc:
            return [("unknown_scale", "scale", record.scale, str(exc))]
        found = [("out_of_range", name, value, expected)
                 for name, value, expected in out_of_range(record.values, rng, record.contrast)]
    v = record.values
    if {"mean", "ci_lower", "ci_upper"} <= v.keys() and not v["ci_lower"] <= v["mean"] <= v["ci_upper"]:
        found.append(("mean_outside_ci", "mean", v["mean"],
                      f"a mean inside its CI [{v['ci_lower']:g}, {v['ci_upper']:g}]"))
    return found


def _rescaler(record: Record, settings: Settings) -> Rescale:
    """The map onto the common scale; raises :class:`RangeError` for a refused value."""
    found = refusals(record, settings)
    if found:
        issue, name, value, expected = found[0]
        shown = value if isinstance(value, str) else f"{value:g}"
        raise RangeError(f"refused: {name} {shown!r} on scale {record.scale or '-'}; expected {expected}")
    if not record.scale:
        return Rescale()
    return rescale(scale_range(record.scale, settings.vocabulary), common_range(record.outcome, settings.vocabulary))


def _joined(*methods: str) -> str:
    return "+".join(m for m in methods if m)


def level_mean_sd(record: Record, n: float | None, settings: Settings) -> tuple[float, float, str]:
    """Mean and SD of a value at a time point on the common scale, with the method; raises
    ValueError when not derivable (:class:`RangeError` when refused)."""
    r = _rescaler(record, settings)
    v = record.values
    if "mean" in v and "sd" in v:
        mean, sd, how = v["mean"], v["sd"], "reported"
    elif {"median", "q1", "q3"} <= v.keys() and n:
        if {"min", "max"} <= v.keys():
            mean, sd, how = conversions.mean_sd_from_five_numbers(v["min"], v["q1"], v["median"], v["q3"], v["max"], n)
        else:
            mean, sd, how = conversions.mean_sd_from_median_iqr(v["q1"], v["median"], v["q3"], n)
    elif {"median", "min", "max"} <= v.keys() and n:
        mean, sd, how = conversions.mean_sd_from_median_range(v["min"], v["median"], v["max"], n)
    elif "mean" in v and "se" in v and n:
        mean, (sd, how) = v["mean"], conversions.sd_from_se(v["se"], n)
    elif "mean" in v:
        raise ValueError("mean reported without SD, IQR or range")
    elif "median" in v:
        raise ValueError("median reported without IQR or range (or without n)")
    else:
        raise ValueError(f"no statistic of {record.outcome} among {sorted(v)}")
    return r.level(mean), r.delta(sd), _joined(how, r.method)


def _se(record: Record, *group_sizes: float | None) -> tuple[float, str]:
    """SE of a reported mean change or difference: reported, or from its CI (t below 60 per group)."""
    v = record.values
    if "se" in v:
        return v["se"], "se_reported"
    if {"ci_lower", "ci_upper"} <= v.keys():
        known = [n for n in group_sizes if n]
        df = conversions.ci_df(*known) if len(known) == len(group_sizes) else None
        se, how = conversions.se_from_ci(v["ci_lower"], v["ci_upper"], df=df)
        return se, how if len(known) == len(group_sizes) else how + "(group sizes unknown)"
    raise ValueError(f"{record.contrast.replace('_', ' ')} reported without SE or CI")


def change_mean_sd(record: Record, n: float, settings: Settings) -> tuple[float, float, str]:
    """Mean and SD of a reported change from baseline on the common scale, with the method:
    SD as reported, else SE x sqrt(n), the SE from the CI when only the CI is given."""
    r = _rescaler(record, settings)
    v = record.values
    if "mean" not in v:
        raise ValueError("change from baseline reported without a mean")
    if "sd" in v:
        sd, how = v["sd"], "sd_reported"
    else:
        se, how_se = _se(record, n)
        sd, how = conversions.sd_from_se(se, n)
        how = _joined(how_se, how)
    return r.delta(v["mean"]), r.delta(sd), _joined("change_reported", how, r.method)


def difference_yi_vi(record: Record, n1: float | None, n2: float | None,
                     settings: Settings) -> tuple[float, float, str]:
    """A between-arm difference and its variance (SE², the SE reported or from the CI)."""
    r = _rescaler(record, settings)
    if "mean" not in record.values:
        raise ValueError(f"{record.contrast.replace('_', ' ')} reported without its estimate (field mean)")
    se, how = _se(record, n1, n2)
    return r.delta(record.values["mean"]), r.delta(se) ** 2, _joined("difference_reported", how, r.method)


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



# --------------------------------------------------------------------------- rows

def _arm_row(arms: pd.DataFrame, study_id: str, arm_id: str) -> pd.Series | None:
    row = arms[(arms["study_id"] == study_id) & (arms["arm_id"] == arm_id)]
    return None if row.empty else row.iloc[0]


def _arm_sizes(arms: pd.DataFrame, study_id: str, arm_id: str) -> dict[str, float | None]:
    """``{"patients": n_patients, "lesions": n_lesions}`` of an arm (None where unknown)."""
    row = _arm_row(arms, study_id, arm_id)
    sizes: dict[str, float | None] = {}
    for unit in ("patients", "lesions"):
        value = None if row is None else pd.to_numeric(row.get(f"n_{unit}"), errors="coerce")
        sizes[unit] = None if value is None or pd.isna(value) else float(value)
    return sizes


def _arm_n(arms: pd.DataFrame, study_id: str, arm_id: str, unit: str) -> float | None:
    return _arm_sizes(arms, study_id, arm_id)["lesions" if unit == "lesions" else "patients"]


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


def _qa_row(analysis: Analysis, rec: Record, **fields: Any) -> dict[str, Any]:
    return {"study_id": rec.study_id, "arm_id": rec.arm_id, "analysis": analysis.name,
            "outcome": rec.outcome, "timepoint": rec.timepoint, "origin": rec.origin,
            "provenance": rec.provenance, **fields}


def _later(recs: list[Record], analysis: Analysis, settings: Settings) -> list[Record]:
    """Records after baseline in time order (inside the analysis's window, if it has one)."""
    later = sorted((r for r in recs if r.timepoint not in ("baseline", "unknown")), key=_order)
    if analysis.kind == "window":
        later = [r for r in later if in_window(r, settings.timepoint_grid[analysis.window])]
    return later


Pick = tuple[Record | None, Any, ValueError | None]


def _pick(candidates: list[Record], compute: Callable[[Record], Any]) -> Pick:
    """The latest candidate ``compute`` accepts, with its result; else the latest with its error.

    A refused value (:class:`RangeError`) stops the search: it is never passed over silently for
    an earlier time point."""
    error: ValueError | None = None
    for rec in reversed(candidates):
        try:
            return rec, compute(rec), None
        except RangeError as exc:
            return rec, None, exc
        except ValueError as exc:
            error = error or exc
    return (candidates[-1], None, error) if candidates else (None, None, None)


def _level_rows(analysis: Analysis, levels: list[Record], arm: pd.Series, n: float | None,
                settings: Settings, picked: Pick) -> list[dict[str, Any]]:
    target, result, error = picked
    if target is None:
        return []
    row = {**_base_row(analysis, target, arm), "ni": n, "unit": "patients"}
    if n is None:
        return [{**row, "include": False, "exclusion_reason": "number of patients unknown"}]
    if result is None:
        return [{**row, "include": False, "exclusion_reason": str(error)}]
    mean, sd, how = result
    if analysis.kind in ("last", "window"):
        return [{**row, "mi": mean, "sdi": sd, "method": how}]
    baseline = [r for r in levels if r.timepoint == "baseline"]
    if not baseline:
        return [{**row, "include": False, "exclusion_reason": "no baseline value for the change"}]
    try:
        mean0, sd0, how0 = level_mean_sd(baseline[0], n, settings)
    except ValueError as exc:
        return [{**row, "include": False, "exclusion_reason": f"baseline: {exc}"}]
    row["provenance"] = "; ".join(dict.fromkeys([baseline[0].provenance, target.provenance]))
    return [{**row, "m1i": mean, "m2i": mean0, "sd1i": sd, "sd2i": sd0, "ri": settings.pre_post_r,
             "method": f"follow-up {how}; baseline {how0}; ri={settings.pre_post_r:g} assumed"}]


def _change_rows(analysis: Analysis, recs: list[Record], arm: pd.Series, n: float | None,
                 settings: Settings) -> list[dict[str, Any]]:
    """MC: a reported change from baseline, else follow-up minus baseline with an assumed r; the
    later time point wins, a reported change at the same time point."""
    levels = [r for r in recs if not r.contrast]
    level = _pick(_later(levels, analysis, settings), lambda r: level_mean_sd(r, n, settings))
    change = _pick(_later([r for r in recs if r.contrast == "change"], analysis, settings),
                   lambda r: change_mean_sd(r, n, settings) if n else _no_n())
    options = [(o, prefer) for o, prefer in ((change, 1), (level, 0)) if o[0] is not None]
    if not options:
        return []
    usable = [x for x in options if x[0][1] is not None or isinstance(x[0][2], RangeError)] or options
    picked, prefer = max(usable, key=lambda x: (_order(x[0][0]), x[1]))
    if not prefer:
        return _level_rows(analysis, levels, arm, n, settings, picked)
    target, result, error = picked
    row = {**_base_row(analysis, target, arm), "ni": n, "unit": "patients"}
    if result is None:
        return [{**row, "include": False, "exclusion_reason": str(error)}]
    mean, sd, how = result
    return [{**row, "mi": mean, "sdi": sd, "method": how}]


def _no_n() -> Any:
    raise ValueError("number of patients unknown")


def _difference_rows(analysis: Analysis, recs: list[Record], arm: pd.Series, arms: pd.DataFrame,
                     settings: Settings) -> list[dict[str, Any]]:
    """GEN: one row per comparator arm, the reported difference as ``yi`` and SE² as ``vi``."""
    wanted = DIFFERENCE[analysis.kind]
    rows = []
    mine = [r for r in recs if r.contrast == wanted]
    for comparator in sorted({r.comparator for r in mine}):
        n1 = _arm_n(arms, arm["study_id"], arm["arm_id"], "patients")
        n2 = _arm_n(arms, arm["study_id"], comparator, "patients")
        other = _arm_row(arms, arm["study_id"], comparator)
        target, result, error = _pick(_later([r for r in mine if r.comparator == comparator], analysis, settings),
                                      lambda r: difference_yi_vi(r, n1, n2, settings))
        if target is None:
            continue
        label = f"{arm.get('label', '') or arm['arm_id']} vs {'' if other is None else other.get('label', '') or comparator}"
        row = {**_base_row(analysis, target, arm), "comparator": comparator, "unit": "patients",
               "ni": n1 + n2 if n1 and n2 else None, "_label": label}
        if other is None:
            rows.append({**row, "include": False, "exclusion_reason": f"comparator arm {comparator!r} not in arms.tsv"})
        elif result is None:
            rows.append({**row, "include": False, "exclusion_reason": str(error)})
        else:
            yi, vi, how = result
            rows.append({**row, "yi": yi, "vi": vi, "method": how})
    return rows


def _continuous_rows(analysis: Analysis, recs: list[Record], arm: pd.Series, arms: pd.DataFrame,
                     settings: Settings, qa: list[dict[str, Any]]) -> list[dict[str, Any]]:
    n = _arm_n(arms, arm["study_id"], arm["arm_id"], "patients")
    for rec in recs:
        n = rec.values.get("n", n) if not rec.contrast.endswith("difference") else n
    if analysis.measure == "GEN":
        considered = [r for r in recs if r.contrast == DIFFERENCE[analysis.kind]]
    else:
        wanted = {"", "change"} if analysis.kind == "change" else {""}
        considered = [r for r in recs if r.contrast in wanted]
    for rec in considered:
        for issue, name, value, expected in refusals(rec, settings):
            qa.append(_qa_row(analysis, rec, issue=issue, field=name, value=value, expected=expected,
                              why="refused: not harmonised"))
    if analysis.measure == "GEN":
        return _difference_rows(analysis, recs, arm, arms, settings)
    if analysis.kind == "change":
        return _change_rows(analysis, recs, arm, n, settings)
    levels = [r for r in recs if not r.contrast]
    picked = _pick(_later(levels, analysis, settings), lambda r: level_mean_sd(r, n, settings))
    return _level_rows(analysis, levels, arm, n, settings, picked)


def _count_rows(analysis: Analysis, recs: list[Record], arm: pd.Series, arms: pd.DataFrame,
                by_arm: dict[tuple[str, str], list[Record]], settings: Settings,
                qa: list[dict[str, Any]]) -> list[dict[str, Any]]:
    usable = sorted((r for r in recs if not r.contrast), key=_order)
    if not usable and analysis.outcome == "complication_any":
        return _sum_minor_major(analysis, arm, arms, by_arm)
    if not usable:
        return []
    rec = next((r for r in reversed(usable) if "events" in r.values),
               next((r for r in reversed(usable) if "percent" in r.values), usable[-1]))
    row = _base_row(analysis, rec, arm)
    counts = resolve_counts(rec.values, rec.texts, rec.unit, _arm_sizes(arms, rec.study_id, rec.arm_id),
                            settings.events_from_percent)
    qa += [_qa_row(analysis, rec, **item) for item in counts.qa]
    row.update(unit=counts.unit, ni=counts.total)
    if counts.events is not None:
        row["xi"] = counts.events
    if counts.reason:
        return [{**row, "include": False, "exclusion_reason": counts.reason}]
    if counts.total is None or counts.total <= 0:
        return [{**row, "include": False, "exclusion_reason": "no denominator"}]
    if counts.events > counts.total:
        return [{**row, "include": False,
                 "exclusion_reason": f"events {counts.events:g} > total {counts.total:g}"}]
    return [{**row, "method": counts.method}]


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



def harmonize_tables(studies: pd.DataFrame, arms: pd.DataFrame, outcomes: pd.DataFrame,
                     analyses: Iterable[Analysis], settings: Settings | None = None) -> Harmonized:
    """The effects table for ``analyses`` from curated studies, arms and outcomes, and the QA table."""
    settings = settings or Settings()
    included = _included_studies(studies)
    values = outcomes[outcomes["study_id"].astype(str).isin(included) & _is_included_value(outcomes)]
    recs = records(values) if len(values) else []
    by_arm: dict[tuple[str, str], list[Record]] = {}
    for rec in recs:
        by_arm.setdefault((rec.study_id, rec.arm_id), []).append(rec)
    arms = arms[arms["study_id"].astype(str).isin(included)]
    rows: list[dict[str, Any]] = []
    qa: list[dict[str, Any]] = []
    for analysis in analyses:
        produced: list[dict[str, Any]] = []
        continuous = is_continuous(analysis.outcome, settings)
        for _, arm in arms.iterrows():
            mine = [r for r in by_arm.get((arm["study_id"], arm["arm_id"]), []) if r.outcome == analysis.outcome]
            if continuous:
                produced += _continuous_rows(analysis, mine, arm, arms, settings, qa)
            else:
                produced += _count_rows(analysis, mine, arm, arms, by_arm, settings, qa)
        select_arms(produced, analysis.arms)
        per_study = pd.Series([r["study_id"] for r in produced]).value_counts()
        for row in produced:
            label = row.pop("_label")
            several = per_study.get(row["study_id"], 0) > 1 or bool(row.get("comparator"))
            row["slab"] = _slab(row["study_id"], label, several)
        rows += produced
    table = pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))
    table["include"] = table["include"].fillna(True).astype(bool)
    table = table.sort_values(["analysis", "treatment_class", "study_id", "arm_id"], kind="stable")
    return Harmonized(table, pd.DataFrame(qa, columns=list(QA_COLUMNS)))


def harmonize(studies: pd.DataFrame, arms: pd.DataFrame, outcomes: pd.DataFrame,
              analyses: Iterable[Analysis], settings: Settings | None = None) -> pd.DataFrame:
    """Build the effects table for ``analyses`` from curated studies, arms and outcomes."""
    return harmonize_tables(studies, arms, outcomes, analyses, settings).effects


def harmonize_files(tables_dir: Path, config: dict[str, Any], out: Path, qa_out: Path | None = None) -> Harmonized:
    """Read curated ``studies/arms/outcomes.tsv`` from ``tables_dir``; write the effects table to
    ``out`` and the QA table to ``qa_out`` (default: ``qa.tsv`` next to ``out``)."""
    analyses = [Analysis.from_config(name, spec) for name, spec in config["analyses"].items()]
    settings = Settings.from_config(config)
    for analysis in analyses:
        if analysis.kind == "window" and analysis.window not in settings.timepoint_grid:
            raise ValueError(f"analysis {analysis.name!r}: window {analysis.window!r} is not in "
                             f"harmonize.timepoint_grid ({sorted(settings.timepoint_grid)})")
        if settings.vocabulary is not None and analysis.outcome not in settings.vocabulary.outcome_codes:
            raise ValueError(f"analysis {analysis.name!r}: outcome {analysis.outcome!r} is not in the "
                             f"review's vocabulary.outcomes ({list(settings.vocabulary.outcome_codes)})")
        if analysis.measure == "GEN" and analysis.kind not in DIFFERENCE:
            raise ValueError(f"analysis {analysis.name!r}: measure GEN pools between-arm differences; "
                             f"kind must be one of {sorted(DIFFERENCE)}, not {analysis.kind!r}")
    studies, arms, outcomes = (
        pd.read_csv(tables_dir / f"{name}.tsv", sep="\t",
                    dtype={"study_id": str, "arm_id": str, "value": str, "comparator": str, "contrast": str})
        for name in ("studies", "arms", "outcomes")
    )
    result = harmonize_tables(studies, arms, outcomes, analyses, settings)
    out.parent.mkdir(parents=True, exist_ok=True)
    result.effects.to_csv(out, sep="\t", index=False)
    qa_out = qa_out or out.parent / "qa.tsv"
    qa_out.parent.mkdir(parents=True, exist_ok=True)
    result.qa.to_csv(qa_out, sep="\t", index=False)
    return result
