"""What the curation pages show: every value of a study with its status, provenance and check state.

Built from the same :func:`evidence.curation.build.build_curated` the workflow runs (in memory,
stale corrections reported), plus the extractor's completeness table for values it did not find.
Nothing here writes; writes go through :func:`evidence.curation.edits.set_value`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from evidence.curation.audit import version
from evidence.curation.build import BuildReport, build_curated
from evidence.curation.corrections import REGION
from evidence.curation.schemas import CURATED_FROM_PDF
from evidence.curation.tables import Key, Row, read_table
from evidence.review import Review

LOW_CONFIDENCE = 0.6
"""Extracted values below this confidence are listed under the "low confidence" filter."""
ARM_VALUE_FIELDS = ("n_patients", "n_lesions")
CHECKED = ("accepted", "corrected", "curated-from-pdf", "manual", "not reported")
FILTERS = {
    "all": "all values",
    "unchecked": "unchecked",
    "low": f"low confidence (< {LOW_CONFIDENCE})",
    "missing": "missing",
    "stale": "stale",
}
_ARM_ORIGIN = {"manual": "manual", "curator": "corrected"}
"""An arm row's origin before any correction, by its extractor (an arm a curator added is corrected)."""
SAFE_ID = re.compile(r"^[A-Za-z0-9_.+-]{1,120}$")


@dataclass
class Value:
    """One value of the curated tables (or one the extractor missed) as a curator sees it."""

    key: Key
    value: str
    status: str  # extracted / accepted / corrected / curated-from-pdf / manual / missing / stale / not reported
    origin: str = ""
    confidence: float | None = None
    timepoint_label: str = ""
    scale: str = ""
    unit: str = ""
    source_file: str = ""
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    excerpt: str = ""
    source_address: str = ""
    curator: str = ""
    curated_at: str = ""
    reason: str = ""
    note: str = ""
    ordinal: int = 0  # > 0 when several rows share this key (an extraction to fix first)

    @property
    def id(self) -> str:
        base = ":".join(self.key[1:])
        return f"{base}#{self.ordinal}" if self.ordinal else base

    @property
    def checked(self) -> bool:
        return self.status in CHECKED

    @property
    def low(self) -> bool:
        return self.confidence is not None and self.confidence < LOW_CONFIDENCE and not self.checked

    def matches(self, name: str) -> bool:
        """Whether the value is listed under the filter ``name`` (one of :data:`FILTERS`)."""
        return {"all": True, "unchecked": not self.checked, "low": self.low,
                "missing": self.status == "missing", "stale": self.status == "stale"}.get(name, True)


@dataclass
class Study:
    """A study's row of the curated studies table and every value a curator sees of it."""

    row: Row
    values: list[Value] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.row["study_id"]

    @property
    def checked(self) -> int:
        return sum(v.checked for v in self.values)

    @property
    def to_check(self) -> int:
        return len(self.values) - self.checked

    def count(self, name: str) -> int:
        """How many of the study's values the filter ``name`` lists."""
        return sum(v.matches(name) for v in self.values)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _region(row: Row) -> tuple[int | None, tuple[float, float, float, float] | None]:
    page = _number(row.get("page", ""))
    box = tuple(_number(row.get(c, "")) for c in ("x0", "top", "x1", "bottom"))
    return (int(page) if page else None), (box if all(v is not None for v in box) else None)  # type: ignore[return-value]


def _status(row: Row, accepted: bool) -> str:
    origin = row.get("origin", "")
    if origin == "extracted":
        return "accepted" if accepted else "extracted"
    return origin or "extracted"


def _value(key: Key, row: Row, value: str, status: str) -> Value:
    page, box = _region(row)
    return Value(key, value, status, origin=row.get("origin", ""), confidence=_number(row.get("confidence", "")),
                 timepoint_label=row.get("timepoint_label", ""), scale=row.get("scale", ""), unit=row.get("unit", ""),
                 source_file=row.get("source_file", ""), page=page, bbox=box, excerpt=row.get("excerpt", ""),
                 source_address=row.get("source_address", ""), curator=row.get("curator", ""),
                 curated_at=row.get("curated_at", ""), reason=row.get("reason", ""))


class ReviewState:
    """The review's curated state at one version of its corrections file."""

    def __init__(self, review: Review) -> None:
        self.review = review
        self.extracted = review.output / "tables" / "extracted"
        if not (self.extracted / "studies.tsv").is_file():
            raise FileNotFoundError(f"{self.extracted}: no extracted tables; run `srtk run {review.root}` first")
        self.version = version(review.corrections)
        report = build_curated(self.extracted, review.corrections, review.manual_entries, None, on_stale="report")
        self.report = report
        self.studies: dict[str, Study] = {r["study_id"]: Study(r) for r in report.studies}
        self._collect(report)

    def _collect(self, report: BuildReport) -> None:
        actions: dict[Key, Row] = {}
        for entry in report.log:
            actions[tuple(entry[c] for c in ("study_id", "arm_id", "outcome", "timepoint", "field"))] = entry  # type: ignore[index]
        seen: dict[Key, int] = defaultdict(int)
        present: set[tuple[str, str, str, str]] = set()
        for arm in report.arms:
            for name in ARM_VALUE_FIELDS:
                key = (arm["study_id"], arm["arm_id"], "arm", "-", name)
                entry = actions.get(key, {})
                if not arm.get(name):  # left empty: by hand on purpose, or a count to find in the PDF
                    if arm.get("extractor") != "manual":
                        self._add(Value(key, "", "missing", note="the arm's count was not found"), seen)
                    continue
                read_for = arm.get("region_field", "")  # a curator's region is of one count only
                if name not in arm.get("corrected_fields", "").split(";"):  # as extracted or entered
                    before = {**arm, "origin": _ARM_ORIGIN.get(arm.get("extractor", ""), "extracted")}
                    if arm.get("corrected_fields"):  # the curation columns are another count's
                        before.update(curator="", curated_at="", reason="")
                    status = _status(before, entry.get("action") == "accepted")
                else:
                    status = CURATED_FROM_PDF if read_for == name and arm.get("page") else "corrected"
                v = _value(key, arm if read_for in ("", name) else {**arm, **dict.fromkeys(REGION, "")},
                           arm.get(name, ""), status)
                if entry.get("action") == "accepted":
                    v.curator, v.curated_at, v.reason = entry["curator"], entry["date"], entry["reason"]
                self._add(v, seen)
        for row in report.outcomes:
            key = tuple(row[c] for c in ("study_id", "arm_id", "outcome", "timepoint", "field"))
            status = _status(row, actions.get(key, {}).get("action") == "accepted")  # type: ignore[arg-type]
            self._add(_value(key, row, row.get("value", ""), status), seen)  # type: ignore[arg-type]
            present.add((row["study_id"], row["arm_id"], row["outcome"], row["field"]))
        for key, entry in actions.items():
            if entry["action"] in ("deleted", "not reported") and key[2] not in ("arm", "study"):
                v = Value(key, "", "not reported", origin="curator", curator=entry["curator"],
                          curated_at=entry["date"], reason=entry["reason"], note=f"was {entry['old_value']!r}"
                          if entry["old_value"] else "")
                self._add(v, seen)
                present.add((key[0], key[1], key[2], key[4]))
        for stale in report.stale:
            c = stale.correction
            match = [v for v in self.values(c.study_id) if v.key == c.key]
            if match:
                match[0].status, match[0].note = "stale", f"{stale} (your correction: {c.new_value!r})"
            else:
                self._add(Value(c.key, stale.current, "stale", note=str(stale), curator=c.curator,
                                curated_at=c.date, reason=c.reason), seen)
        completeness = self.extracted / "completeness.tsv"
        if completeness.is_file():
            for row in read_table(completeness, ("study_id", "arm_id", "outcome", "field", "status")):
                item = (row["study_id"], row["arm_id"], row["outcome"], row["field"])
                if (row["status"] == "missing" and item not in present and row["study_id"] in self.studies
                        and row["outcome"] != "arm"):  # an arm's empty counts are listed from the arms above
                    key = (row["study_id"], row["arm_id"], row["outcome"], "", row["field"])
                    self._add(Value(key, "", "missing", note=row.get("note", "")), seen)

    def _add(self, v: Value, seen: dict[Key, int]) -> None:
        study = self.studies.get(v.key[0])
        if study is None:
            return
        seen[v.key] += 1
        if seen[v.key] > 1:
            v.ordinal = seen[v.key] - 1
            v.note = (v.note + "; " if v.note else "") + "several rows share this key: fix the extraction first"
        study.values.append(v)

    def values(self, study_id: str) -> list[Value]:
        """The values of the study ``study_id`` (arm counts, outcome values, missing and stale ones)."""
        return self.studies[study_id].values

    def study(self, study_id: str) -> Study:
        """The study ``study_id`` (KeyError for any id that is not one of the review's studies)."""
        if not SAFE_ID.match(study_id or "") or study_id not in self.studies:
            raise KeyError(study_id)
        return self.studies[study_id]

    def pdf(self, study: Study) -> Path | None:
        """The study's PDF inside the review's pdfs folder (None for a study without one)."""
        name = study.row.get("source_file", "")
        if not name:
            return None
        return inside(self.review.pdfs, name)

    @property
    def progress(self) -> tuple[int, int]:
        """Checked values and all values, over the review's studies."""
        return (sum(s.checked for s in self.studies.values()), sum(len(s.values) for s in self.studies.values()))


def inside(folder: Path, name: str) -> Path | None:
    """``folder/name`` if that is a file inside ``folder`` (no ``..``, no absolute path, no link out)."""
    if not name or Path(name).is_absolute() or "\\" in name or any(p == ".." for p in Path(name).parts):
        return None
    root = folder.resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) and path.is_file() else None
