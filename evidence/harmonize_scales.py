"""Scales of continuous outcomes in harmonisation: ranges, the range check, rescaling.

The ranges come from the review's vocabulary (``vocabulary.scales``: ``min``, ``max``) and the
common scale from its outcome (``common_scale``). Without a vocabulary (a config that has none)
the transitional pain scales of :mod:`evidence.vocabulary` apply, each from 0 to its maximum,
rescaled to 0-10.
"""

from __future__ import annotations

from dataclasses import dataclass

from vocab import Vocabulary, VocabularyError

LEVEL_FIELDS = frozenset({"mean", "median", "q1", "q3", "min", "max", "ci_lower", "ci_upper"})
"""Fields bounded by the scale's range (a value at a time point) or by +/- its width (a change or
a difference)."""
SPREAD_FIELDS = frozenset({"sd", "se"})
"""Fields in [0, width of the scale]."""


class RangeError(ValueError):
    """A value outside its scale's range: harmonisation refuses it (never skips to another value)."""


@dataclass(frozen=True)
class ScaleRange:
    code: str
    lo: float
    hi: float

    @property
    def width(self) -> float:
        return self.hi - self.lo


def scale_range(code: str, vocabulary: Vocabulary | None) -> ScaleRange:
    """The range of scale ``code``; raises :class:`RangeError` when the scale is unknown."""
    if vocabulary is not None:
        try:
            s = vocabulary.scale(code)
        except VocabularyError as exc:
            raise RangeError(f"scale {code!r} unknown: {exc}") from None
        return ScaleRange(s.code, s.min, s.max)
    from evidence.vocabulary import SCALES

    if code not in SCALES:
        raise RangeError(f"scale {code!r} unknown; expected one of {sorted(SCALES)}")
    return ScaleRange(code, 0.0, SCALES[code])


def common_range(outcome: str, vocabulary: Vocabulary | None) -> tuple[float, float] | None:
    """The scale every value of ``outcome`` is rescaled to, or None (values stay as reported)."""
    if vocabulary is None:
        return (0.0, 10.0) if outcome == "pain" else None
    return vocabulary.outcome(outcome).common_scale


def out_of_range(values: dict[str, float], scale: ScaleRange, contrast: str = "") -> list[tuple[str, float, str]]:
    """``(field, value, expected)`` for every value outside what ``scale`` allows.

    A value at a time point lies in [min, max]; a change or a difference (``contrast``) in
    [-(max - min), max - min]; an SD or SE in [0, max - min].
    """
    lo, hi = (-scale.width, scale.width) if contrast else (scale.lo, scale.hi)
    bad = []
    for name, value in sorted(values.items()):
        if name in LEVEL_FIELDS and not lo <= value <= hi:
            what = contrast.replace("_", " ") if contrast else "value"
            bad.append((name, value, f"a {what} in [{lo:g}, {hi:g}] on scale {scale.code} ({scale.lo:g}-{scale.hi:g})"))
        elif name in SPREAD_FIELDS and not 0 <= value <= scale.width:
            bad.append((name, value, f"an {name.upper()} in [0, {scale.width:g}] on scale {scale.code}"))
    return bad


@dataclass(frozen=True)
class Rescale:
    """Linear map from a scale to the common scale: level = lo' + (v - lo) x factor, delta x factor."""

    factor: float = 1.0
    lo: float = 0.0
    target_lo: float = 0.0
    method: str = ""

    def level(self, value: float) -> float:
        return self.target_lo + (value - self.lo) * self.factor

    def delta(self, value: float) -> float:
        return value * self.factor


def rescale(scale: ScaleRange, common: tuple[float, float] | None) -> Rescale:
    """The map of ``scale`` onto ``common`` (identity when they are the same or common is None)."""
    if common is None or (scale.lo, scale.hi) == tuple(common):
        return Rescale()
    clo, chi = common
    factor = (chi - clo) / scale.width
    if scale.lo == clo == 0:
        method = f"rescaled_{scale.hi:g}_to_{chi:g}"
    else:
        method = f"rescaled_{scale.lo:g}-{scale.hi:g}_to_{clo:g}-{chi:g}"
    return Rescale(factor, scale.lo, clo, method)
