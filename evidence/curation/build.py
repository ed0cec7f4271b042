"""Build the curated tables: extracted + corrections + manual entries, every value with its origin.

``build_curated(extracted_dir, corrections_path, manual_path, out_dir)`` writes
``studies.tsv, arms.tsv, outcomes.tsv`` (DESIGN.md columns + provenance of curation),
``stale_corrections.tsv``, ``curation_log.tsv`` and ``excluded_values.tsv``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
import os
from pathlib import Path

from evidence import vocabulary as V
from evidence.curation.checks import days_of, parse_date, value_problem
from evidence.curation.corrections import REGION, Correction, history, key_text, load_corrections
from evidence.curation.errors import CurationError, Problem, StaleCorrectionError
from evidence.curation.manual import EXCLUDED_COLUMNS, ManualEntries, load_manual
from evidence.curation.tables import Key, Row, as_number, read_table, same_value, write_table

CURATION = ("origin", "curator", "curated_at", "reason", "source_address")
STUDY_OUT = V.STUDY_COLUMNS + ("origin", "curator", "curated_at", "curation_reason", "source_address",
                               "corrected_fields", "extracted_value")
ARM_OUT = V.ARM_COLUMNS + CURATION + ("corrected_fields", "extracted_value", "region_field")
"""``region_field``: the count the row's region (``source_file`` .. ``excerpt``) was read for by a
curator (captured on the PDF, or an excerpt typed for a study without one); empty: the extractor's."""
OUTCOME_OUT = V.OUTCOME_COLUMNS + CURATION + ("extracted_value", "contrast", "comparator")
STALE_COLUMNS = ("file", "line", "study_id", "arm_id", "outcome", "timepoint", "field", "old_value",
                 "current_value", "new_value", "curator", "date", "why")
LOG_COLUMNS = ("file", "line", "study_id", "arm_id", "outcome", "timepoint", "field", "action",
               "old_value", "new_value", "curator", "date", "reason", "superseded_rows")
OUTPUTS = ("studies.tsv", "arms.tsv", "outcomes.tsv", "stale_corrections.tsv", "curation_log.tsv",
           "excluded_values.tsv")
"""Files written into ``out_dir`` (all of them, always, so a workflow can declare them)."""


@dataclass
class Stale:
    """A correction whose target changed underneath it."""

    correction: Correction
    current: str
    why: str

    def __str__(self) -> str:
        return f"{self.correction.place}: {key_text(self.correction.key)}: {self.why}"

    def as_row(self) -> Row:
        c = self.correction
        return {"file": c.file, "line": str(c.line), **dict(zip(("study_id", "arm_id", "outcome", "timepoint", "field"), c.key)),
                "old_value": c.old_value, "current_value": self.current, "new_value": c.new_value,
                "curator": c.curator, "date": c.date, "why": self.why}


@dataclass
class BuildReport:
    """The curated tables and what happened on the way."""

    studies: list[Row] = field(default_factory=list)
    arms: list[Row] = field(default_factory=list)
    outcomes: list[Row] = field(default_factory=list)
    excluded: list[Row] = field(default_factory=list)
    log: list[Row] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.studies)} studies, {len(self.arms)} arms, {len(self.outcomes)} values; "
                f"{len(self.log)} corrections applied, {len(self.stale)} stale, "
                f"{len(self.excluded)} manual values excluded")


def _read_extracted(folder: Path) -> tuple[list[Row], list[Row], list[Row]]:
    tables = []
    for name, columns in (("studies.tsv", V.STUDY_COLUMNS), ("arms.tsv", V.ARM_COLUMNS),
                          ("outcomes.tsv", V.OUTCOME_COLUMNS)):
        path = folder / name
        if not path.exists():
            raise FileNotFoundError(f"{path}: extracted table not found; expected {name} in {folder}")
        rows = read_table(path, columns)
        for i, row in enumerate(rows):
            row.update(origin="extracted", _place=f"{path}:{i + 2}")
        tables.append(rows)
    return tables[0], tables[1], tables[2]


class _Curator:
    """Applies corrections to the base tables (extracted + manual), collecting problems."""

    def __init__(self, studies: list[Row], arms: list[Row], outcomes: list[Row]) -> None:
        self.studies, self.arms, self.outcomes = studies, arms, outcomes
        self.problems: list[Problem] = []
        self.stale: list[Stale] = []
        self.log: list[Row] = []
        self.warnings: list[str] = []

    def _targets(self, c: Correction) -> tuple[list[Row], str]:
        if c.level == "study":
            return [r for r in self.studies if r["study_id"] == c.study_id], "studies.tsv"
        if c.level == "arm":
            return [r for r in self.arms if (r["study_id"], r["arm_id"]) == (c.study_id, c.arm_id)], "arms.tsv"
        return [r for r in self.outcomes if (r["study_id"], r["arm_id"], r["outcome"], r["timepoint"], r["field"]) == c.key], "outcomes.tsv"

    def apply(self, key: Key, chain: list[Correction]) -> None:
        winner = chain[-1]
        targets, table = self._targets(winner)
        if len(targets) > 1:
            places = ", ".join(r.get("_place", "?") for r in targets)
            self.stale.append(Stale(winner, "", f"ambiguous target: {len(targets)} rows of {table} share this key ({places})"))
            return
        row = targets[0] if targets else None
        column = "value" if winner.level == "outcome" else winner.field
        current = None if row is None else row.get(column, "")
        seen = ["" if current is None else current]
        valid = False
        for c in chain:
            valid = any(same_value(c.old_value, s) for s in seen)
            if valid:
                seen.append("" if c.deletes else c.new_value)
        if not valid:
            if current is None:
                why = f"the target row vanished from {table}; the correction was made when it held {winner.old_value!r}"
            elif winner.old_value == "":
                why = f"the correction adds a value, but {table} now holds {current!r} for this key"
            else:
                why = f"the value changed underneath the correction: it was {winner.old_value!r}, {table} now holds {current!r}"
            self.stale.append(Stale(winner, current or "", why))
            return
        scale = winner.scale or (row or {}).get("scale", "")
        expected = value_problem(winner.outcome, winner.field, winner.new_value, scale,
                                 (row or {}).get("contrast", ""))
        if expected:
            self.problems.append(Problem(winner.file, winner.line, "new_value", winner.new_value, expected))
            return
        action = self._change(winner, row, current)
        if action:
            self.log.append({"file": winner.file, "line": str(winner.line), **dict(zip(("study_id", "arm_id", "outcome", "timepoint", "field"), key)),
                             "action": action, "old_value": current or "", "new_value": winner.new_value,
                             "curator": winner.curator, "date": winner.date, "reason": winner.reason,
                             "superseded_rows": ",".join(str(c.line) for c in chain[:-1])})

    def _change(self, c: Correction, row: Row | None, current: str | None) -> str:
        if c.level == "outcome":
            return self._change_outcome(c, row, current)
        if row is None:  # an arm the extractor missed
            if c.deletes:
                return ""
            row = {"study_id": c.study_id, "arm_id": c.arm_id, "extractor": "curator", "origin": "corrected"}
            self.arms.append(row)
        elif same_value(c.new_value, row.get(c.field, "")) and not c.region:
            return "accepted"  # checked against the source; the row is unchanged
        reason_column = "curation_reason" if c.level == "study" else "reason"
        fields = [f for f in row.get("corrected_fields", "").split(";") if f]
        old = row.get(c.field, "")
        row[c.field] = "" if c.deletes else c.new_value
        row["origin"] = "corrected"
        row["corrected_fields"] = ";".join(fields + [c.field])
        row["_place"] = c.place
        row["extracted_value"] = "; ".join(filter(None, [row.get("extracted_value", ""), f"{c.field}={old}"]))
        row["curator"] = "; ".join(dict.fromkeys(filter(None, [row.get("curator", "") if fields else "", c.curator])))
        previous = row.get("curated_at", "") if fields else ""
        row["curated_at"] = max(filter(None, [previous, c.date]), key=lambda d: parse_date(d))
        row[reason_column] = "; ".join(filter(None, [row.get(reason_column, "") if fields else "", f"{c.field}: {c.reason}"]))
        if c.source_address:
            row["source_address"] = c.source_address
        if c.level == "arm" and (c.region or c.excerpt) and not c.deletes:  # where the curator read it
            row.update({col: "" for col in REGION}, **(c.region or {"excerpt": c.excerpt}), region_field=c.field)
        return "deleted" if c.deletes else ("added" if current is None or old == "" else "changed")

    def _change_outcome(self, c: Correction, row: Row | None, current: str | None) -> str:
        provenance = {"curator": c.curator, "curated_at": c.date, "reason": c.reason}
        read = c.region or ({"excerpt": c.excerpt} if c.excerpt else {})  # where the curator read it
        if row is not None:
            if c.deletes:
                self.outcomes.remove(row)
                return "deleted"
            if same_value(c.new_value, current or "") and not c.region:
                row.update(_place=c.place, **provenance)  # checked against the source; origin kept
                return "accepted"
            row.update(value=c.new_value, origin=c.origin or "corrected", extracted_value=current or "",
                       _place=c.place, **provenance, **read)
            if c.source_address:
                row["source_address"] = c.source_address
            return "changed"
        if c.deletes:  # a value the source does not report, confirmed absent
            return "not reported"
        if not any((a["study_id"], a["arm_id"]) == (c.study_id, c.arm_id) for a in self.arms):
            self.problems.append(Problem(c.file, c.line, "arm_id", c.arm_id,
                                         f"an arm of study {c.study_id!r} in arms.tsv or the manual entries "
                                         "(add the arm first with an outcome 'arm' correction)"))
            return ""
        sibling = next((r for r in self.outcomes if (r["study_id"], r["arm_id"], r["outcome"], r["timepoint"])
                        == c.key[:4]), {})
        label = c.timepoint_label or sibling.get("timepoint_label") or c.timepoint
        new = {"study_id": c.study_id, "arm_id": c.arm_id, "outcome": c.outcome, "timepoint": c.timepoint,
               "timepoint_label": label, "timepoint_days": sibling.get("timepoint_days") or days_of(c.timepoint),
               "scale": c.scale or sibling.get("scale", ""), "unit": c.unit or sibling.get("unit", ""),
               "field": c.field, "value": c.new_value, "extractor": "curator", "origin": c.origin or "corrected",
               "source_address": c.source_address, "_place": c.place, **provenance, **read}
        if c.outcome == "pain" and new["scale"] not in V.SCALES:
            self.problems.append(Problem(c.file, c.line, "scale", c.scale,
                                         f"a pain scale {list(V.SCALES)} for a value added to a new time point"))
            return ""
        if c.outcome != "pain" and c.field in ("events", "total", "n", "percent") and new["unit"] not in V.UNITS:
            self.problems.append(Problem(c.file, c.line, "unit", c.unit,
                                         f"a unit {list(V.UNITS)} for a count added to a new time point"))
            return ""
        self.outcomes.append(new)
        return "added"


def count_problems(outcomes: list[Row]) -> tuple[list[Problem], list[str]]:
    """events <= total within each (study, arm, outcome, timepoint); curator rows are errors."""
    groups: dict[tuple[str, ...], dict[str, Row]] = defaultdict(dict)
    for row in outcomes:
        if row["field"] in ("events", "total"):
            groups[(row["study_id"], row["arm_id"], row["outcome"], row["timepoint"])][row["field"]] = row
    problems, warnings = [], []
    for key, pair in groups.items():
        if len(pair) < 2:
            continue
        events, total = as_number(pair["events"]["value"]), as_number(pair["total"]["value"])
        if events is None or total is None or events <= total:
            continue
        curated = [r for r in pair.values() if r.get("origin") != "extracted"]
        if not curated:
            warnings.append(f"{pair['events'].get('_place')}: {'/'.join(key)}: events {events:g} > total {total:g} in the extracted table")
            continue
        blame = curated[0]
        file, _, line = blame.get("_place", "?:0").rpartition(":")
        column = "value" if blame.get("origin") == "manual" else "new_value"
        problems.append(Problem(file, int(line or 0), column, blame["value"],
                                f"events <= total for {'/'.join(key)} (events {events:g}, total {total:g})"))
    return problems, warnings


def build_curated(extracted_dir: str | Path, corrections_path: str | Path | None,
                  manual_path: str | Path | None, out_dir: str | Path | None = None,
                  on_stale: str = "error") -> BuildReport:
    """Curated tables from the extracted ones, the corrections and the manual entries.

    ``on_stale='error'`` raises :class:`StaleCorrectionError` listing file:line and key of every
    stale correction; ``'report'`` leaves stale corrections unapplied and lists them in
    ``stale_corrections.tsv``. Invalid input raises :class:`CurationError` listing every problem.
    ``out_dir=None`` checks without writing.
    """
    if on_stale not in ("error", "report"):
        raise ValueError(f"Invalid on_stale {on_stale!r}; must be one of ['error', 'report'].")
    studies, arms, outcomes = _read_extracted(Path(extracted_dir))
    extracted_ids = {r["study_id"] for r in studies}
    problems: list[Problem] = []
    manual = ManualEntries()
    try:
        if manual_path is not None:
            manual = load_manual(manual_path, extracted_ids)
    except CurationError as exc:
        problems += exc.problems
    corrections: list[Correction] = []
    try:
        if corrections_path is not None:
            corrections = load_corrections(corrections_path, extracted_ids | manual.study_ids)
    except CurationError as exc:
        problems += exc.problems
    if problems:
        raise CurationError(problems)
    curator = _Curator(studies + manual.studies, arms + manual.arms, outcomes + manual.outcomes)
    chains = history(corrections)
    order = {"study": 0, "arm": 1, "outcome": 2}
    for key in sorted(chains, key=lambda k: (order[chains[k][-1].level], chains[k][-1].line)):
        curator.apply(key, chains[key])
    extra, warnings = count_problems(curator.outcomes)
    report = BuildReport(curator.studies, curator.arms, curator.outcomes, manual.excluded, curator.log,
                         curator.stale, curator.warnings + warnings)
    if curator.problems or extra:
        raise CurationError(curator.problems + extra)
    if report.stale and on_stale == "error":
        raise StaleCorrectionError(
            [Problem(s.correction.file, s.correction.line, None, None, f"{key_text(s.correction.key)}: {s.why}")
             for s in report.stale],
            "stale corrections: their target changed underneath them; check each against the source and "
            "re-enter it with the current old_value (or run with --on-stale report to proceed and list them)")
    if out_dir is not None:
        write_outputs(report, Path(out_dir))
    return report


def write_outputs(report: BuildReport, out: Path) -> None:
    """Write every file of :data:`OUTPUTS` into ``out`` (atomically, one by one)."""
    out.mkdir(parents=True, exist_ok=True)
    write_table(out / "studies.tsv", report.studies, list(STUDY_OUT))
    write_table(out / "arms.tsv", report.arms, list(ARM_OUT))
    write_table(out / "outcomes.tsv", report.outcomes, list(OUTCOME_OUT))
    write_table(out / "stale_corrections.tsv", _relative_files([s.as_row() for s in report.stale]),
                list(STALE_COLUMNS))
    write_table(out / "curation_log.tsv", _relative_files(report.log), list(LOG_COLUMNS))
    write_table(out / "excluded_values.tsv", _relative_files(report.excluded), list(EXCLUDED_COLUMNS))


def _relative_files(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows whose ``file`` is relative to the working directory (the workflow's output folder), so
    the same review gives the same bytes wherever its folder is."""
    return [{**r, "file": os.path.relpath(r["file"])} if os.path.isabs(r.get("file", "")) else r
            for r in rows]
