"""A review's own vocabulary: treatment classes, outcomes and scales, read from its config.

Nothing of any one review is built in. What is built in are the *standard* outcomes every review
may use (deaths, adverse events, follow-up, baseline age and sex, ``other``), which a review's
config may extend with synonyms but not redefine under another kind.

Config layout (the ``vocabulary:`` section of a review's ``config.yaml``)::

    vocabulary:
      treatment_classes:          # in display order
        - code: ablation          # [a-z][a-z0-9_+-]*
          label: Thermal ablation
          keywords: [radiofrequency ablation, RFA, cryoablation]
      outcomes:
        - code: pain
          label: Pain
          kind: continuous        # continuous | events | duration
          synonyms: [pain, VAS, NRS]
          scales: [NRS, VAS100]   # continuous outcomes measured on scales (optional)
          common_scale: [0, 10]   # what every scale is rescaled to (optional)
          timepoint: procedural   # when an events outcome is counted if the text does not say:
                                  # procedural | last | post (optional; default post)
      scales:
        - code: VAS100
          label: Visual analogue scale, 0-100 mm
          min: 0
          max: 100
          synonyms: ["VAS (0-100", "100 mm"]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

CODE_RE = re.compile(r"^[a-z][a-z0-9_+\-]*$")
OUTCOME_KINDS: tuple[str, ...] = ("continuous", "events", "duration")
DEFAULT_TIMEPOINTS: tuple[str, ...] = ("procedural", "last", "post")


class VocabularyError(ValueError):
    """A review's vocabulary is invalid; the message names the config key and what was expected."""


@dataclass(frozen=True)
class TreatmentClass:
    code: str
    label: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scale:
    code: str
    label: str
    min: float
    max: float
    synonyms: tuple[str, ...] = ()

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    kind: str
    synonyms: tuple[str, ...] = ()
    scales: tuple[str, ...] = ()
    common_scale: tuple[float, float] | None = None
    standard: bool = False
    timepoint: str = ""  # default time point of a count (procedural | last | post); "" = post


STANDARD_OUTCOMES: tuple[Outcome, ...] = (
    Outcome("death", "Death", "events", ("death", "deaths", "died", "mortality", "all-cause mortality"), standard=True),
    Outcome(
        "serious_adverse_event",
        "Serious adverse event",
        "events",
        ("serious adverse event", "serious adverse events", "SAE", "SAEs"),
        standard=True,
    ),
    Outcome("adverse_event", "Adverse event", "events", ("adverse event", "adverse events", "AE", "AEs"), standard=True),
    Outcome("follow_up", "Follow-up", "duration", ("follow-up", "follow up", "followed up"), standard=True),
    Outcome("age", "Age", "continuous", ("age", "aged"), standard=True),
    Outcome("sex_female", "Female sex", "events", ("female", "females", "women"), standard=True),
    Outcome("sex_male", "Male sex", "events", ("male", "males", "men"), standard=True),
    Outcome("other", "Other (see label)", "continuous", (), standard=True),
)
"""Outcomes every review has; ``other`` keeps a value whose printed label maps to no code."""


@dataclass(frozen=True)
class Vocabulary:
    """The closed vocabularies of one review. Build it with :meth:`from_config`."""

    treatment_classes: tuple[TreatmentClass, ...]
    outcomes: tuple[Outcome, ...]
    scales: tuple[Scale, ...] = ()
    source: str = "config"
    _by_code: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    # -- lookups -----------------------------------------------------------------------------
    @property
    def class_codes(self) -> tuple[str, ...]:
        """Treatment-class codes in display order; ``other`` is always last."""
        codes = tuple(c.code for c in self.treatment_classes)
        return codes if "other" in codes else codes + ("other",)

    @property
    def outcome_codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.outcomes)

    @property
    def scale_codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.scales)

    def outcome(self, code: str) -> Outcome:
        for o in self.outcomes:
            if o.code == code:
                return o
        raise VocabularyError(f"outcome {code!r} is not in the review's vocabulary; expected one of {list(self.outcome_codes)}")

    def scale(self, code: str) -> Scale:
        for s in self.scales:
            if s.code == code:
                return s
        raise VocabularyError(f"scale {code!r} is not in the review's vocabulary; expected one of {list(self.scale_codes)}")

    def treatment_class(self, code: str) -> TreatmentClass:
        for c in self.treatment_classes:
            if c.code == code:
                return c
        if code == "other":
            return TreatmentClass("other", "Other")
        raise VocabularyError(
            f"treatment class {code!r} is not in the review's vocabulary; expected one of {list(self.class_codes)}"
        )

    def class_label(self, code: str) -> str:
        return self.treatment_class(code).label

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_config(cls, config: Mapping[str, Any], *, source: str = "config") -> Vocabulary:
        """Read the ``vocabulary`` section of a review config (the whole config or the section)."""
        section = config.get("vocabulary", config) if isinstance(config, Mapping) else None
        if not isinstance(section, Mapping):
            raise VocabularyError(f"{source}: 'vocabulary' must be a mapping with treatment_classes and outcomes")
        classes = tuple(_treatment_class(item, f"{source}: vocabulary.treatment_classes[{i}]")
                        for i, item in enumerate(_list(section, "treatment_classes", source)))
        scales = tuple(_scale(item, f"{source}: vocabulary.scales[{i}]")
                       for i, item in enumerate(section.get("scales") or ()))
        own = tuple(_outcome(item, f"{source}: vocabulary.outcomes[{i}]")
                    for i, item in enumerate(_list(section, "outcomes", source)))
        outcomes = _merge_standard(own, source)
        _unique((c.code for c in classes), f"{source}: vocabulary.treatment_classes")
        _unique((s.code for s in scales), f"{source}: vocabulary.scales")
        known_scales = {s.code for s in scales}
        for i, o in enumerate(own):
            for sc in o.scales:
                if sc not in known_scales:
                    raise VocabularyError(
                        f"{source}: vocabulary.outcomes[{i}] ({o.code}): scale {sc!r} is not declared "
                        f"under vocabulary.scales; declared: {sorted(known_scales)}"
                    )
        return cls(classes, outcomes, scales, source)

    def to_config(self) -> dict[str, Any]:
        """The ``vocabulary`` section that :meth:`from_config` reads back (standard outcomes left out
        unless a review extended them)."""
        return {
            "treatment_classes": [
                {"code": c.code, "label": c.label, "keywords": list(c.keywords)} for c in self.treatment_classes
            ],
            "outcomes": [_outcome_dict(o) for o in self.outcomes if not o.standard or o.synonyms != _standard(o.code).synonyms],
            "scales": [
                {"code": s.code, "label": s.label, "min": s.min, "max": s.max, "synonyms": list(s.synonyms)}
                for s in self.scales
            ],
        }


def _standard(code: str) -> Outcome:
    return next(o for o in STANDARD_OUTCOMES if o.code == code)


def _outcome_dict(o: Outcome) -> dict[str, Any]:
    out: dict[str, Any] = {"code": o.code, "label": o.label, "kind": o.kind, "synonyms": list(o.synonyms)}
    if o.scales:
        out["scales"] = list(o.scales)
    if o.common_scale:
        out["common_scale"] = list(o.common_scale)
    if o.timepoint:
        out["timepoint"] = o.timepoint
    return out


def _list(section: Mapping[str, Any], key: str, source: str) -> list[Any]:
    value = section.get(key)
    if not isinstance(value, list) or not value:
        raise VocabularyError(f"{source}: vocabulary.{key} is required: a non-empty list")
    return value


def _code(item: Mapping[str, Any], where: str) -> str:
    code = item.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise VocabularyError(f"{where}: code {code!r} must be lower case letters, digits and _ + - (e.g. 'ablation')")
    return code


def _words(item: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = item.get(key) or ()
    if isinstance(value, str) or not all(isinstance(w, str) and w.strip() for w in value):
        raise VocabularyError(f"{where}: {key} must be a list of non-empty strings")
    return tuple(w.strip() for w in value)


def _mapping(item: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(item, Mapping):
        raise VocabularyError(f"{where}: expected a mapping with at least 'code'")
    return item


def _treatment_class(item: Any, where: str) -> TreatmentClass:
    item = _mapping(item, where)
    code = _code(item, where)
    return TreatmentClass(code, str(item.get("label") or code), _words(item, "keywords", where))


def _scale(item: Any, where: str) -> Scale:
    item = _mapping(item, where)
    code = item.get("code")
    if not isinstance(code, str) or not re.match(r"^[A-Za-z][A-Za-z0-9_\-]*$", code):
        raise VocabularyError(f"{where}: scale code {code!r} must be letters, digits, _ or - (e.g. 'VAS100')")
    try:
        lo, hi = float(item["min"]), float(item["max"])
    except (KeyError, TypeError, ValueError):
        raise VocabularyError(f"{where} ({code}): min and max are required numbers") from None
    if not lo < hi:
        raise VocabularyError(f"{where} ({code}): min {lo:g} must be below max {hi:g}")
    return Scale(code, str(item.get("label") or code), lo, hi, _words(item, "synonyms", where))


def _outcome(item: Any, where: str) -> Outcome:
    item = _mapping(item, where)
    code = _code(item, where)
    kind = item.get("kind", "events")
    if kind not in OUTCOME_KINDS:
        raise VocabularyError(f"{where} ({code}): kind {kind!r}; expected one of {list(OUTCOME_KINDS)}")
    common = item.get("common_scale")
    if common is not None:
        try:
            lo, hi = (float(x) for x in common)
        except (TypeError, ValueError):
            raise VocabularyError(f"{where} ({code}): common_scale must be [min, max]") from None
        common = (lo, hi)
    tp = item.get("timepoint") or ""
    if tp and tp not in DEFAULT_TIMEPOINTS:
        raise VocabularyError(f"{where} ({code}): timepoint {tp!r}; expected one of {list(DEFAULT_TIMEPOINTS)}")
    return Outcome(code, str(item.get("label") or code), kind, _words(item, "synonyms", where),
                   _words(item, "scales", where), common, timepoint=tp)


def _merge_standard(own: tuple[Outcome, ...], source: str) -> tuple[Outcome, ...]:
    """The review's outcomes, then the standard ones it did not name; a review may add synonyms to
    a standard outcome but not change its kind."""
    _unique((o.code for o in own), f"{source}: vocabulary.outcomes")
    merged = list(own)
    by_code = {o.code: i for i, o in enumerate(own)}
    for std in STANDARD_OUTCOMES:
        if std.code in by_code:
            mine = own[by_code[std.code]]
            if mine.kind != std.kind:
                raise VocabularyError(
                    f"{source}: vocabulary.outcomes: {std.code!r} is a standard outcome of kind "
                    f"{std.kind!r}, not {mine.kind!r}"
                )
            synonyms = tuple(dict.fromkeys(std.synonyms + mine.synonyms))
            merged[by_code[std.code]] = Outcome(std.code, mine.label, std.kind, synonyms, mine.scales,
                                                mine.common_scale, standard=True, timepoint=mine.timepoint)
        else:
            merged.append(std)
    return tuple(merged)


def _unique(codes: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise VocabularyError(f"{where}: code {code!r} appears twice")
        seen.add(code)
