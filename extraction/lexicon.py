"""What words mean, for one review: treatment classes, outcomes and scales from its vocabulary.

The extraction rules know statistic syntax and report structure; every word that names a
treatment, an outcome or a scale comes from here, built from the review's
:class:`vocab.Vocabulary` (the bundled example's when none is given). Matching is
case-insensitive, on word boundaries, with a space in a keyword also matching a hyphen and an
optional plural ``s``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from vocab import Outcome, Scale, Vocabulary

# outcome codes the built-in complication-grading rules write (rules.complication_outcome)
COMPLICATION_CODES = ("complication_any", "complication_minor", "complication_major")
_RANGE = re.compile(r"(?<![\d.])0\s*(?:-|–|—|to)\s*(?P<hi>\d+(?:\.\d+)?)(?![\d.])|(?<![\d.])(?P<mm>\d+)[\s-]*mm\b")


def phrase_re(words: tuple[str, ...] | list[str]) -> re.Pattern[str] | None:
    """One regex matching any of ``words`` (longest first) as whole words; None for no words."""
    alts = []
    for w in sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True):
        esc = re.escape(w).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]?")
        alts.append(esc + r"(?:e?s)?")
    if not alts:
        return None
    return re.compile(r"(?i)(?<![\w-])(?:" + "|".join(alts) + r")(?![\w])")


def _is_named_instrument(word: str) -> bool:
    """A phrase or an abbreviation ("pain score", "VAS"), not one common word ("pain")."""
    return " " in word.strip() or any(ch.isupper() for ch in word)


@dataclass(eq=False)
class Lexicon:
    vocabulary: Vocabulary
    _class_res: list[tuple[str, re.Pattern[str]]] = field(default_factory=list, repr=False)
    _outcome_res: dict[str, re.Pattern[str]] = field(default_factory=dict, repr=False)
    _scale_res: dict[str, re.Pattern[str]] = field(default_factory=dict, repr=False)
    _instr_res: dict[str, re.Pattern[str] | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for c in self.vocabulary.treatment_classes:
            rx = phrase_re(c.keywords)
            if rx is not None:
                self._class_res.append((c.code, rx))
        for o in self.vocabulary.outcomes:
            rx = phrase_re(o.synonyms)
            if rx is not None:
                self._outcome_res[o.code] = rx
        for s in self.vocabulary.scales:
            rx = phrase_re(s.synonyms + (s.code,))
            if rx is not None:
                self._scale_res[s.code] = rx

    # -- treatment classes -------------------------------------------------------------------
    def treatment_class(self, text: str) -> str:
        """The first class (in the review's order) whose keywords occur in ``text``; a
        combination class ``a+b`` when keywords of both ``a`` and ``b`` occur; else ``other``."""
        hits = [code for code, rx in self._class_res if rx.search(text)]
        if not hits:
            return "other"
        for c in self.vocabulary.treatment_classes:
            parts = c.code.split("+")
            if len(parts) > 1 and all(p in hits for p in parts):
                return c.code
        return hits[0]

    # -- outcomes ----------------------------------------------------------------------------
    def outcome_re(self, code: str) -> re.Pattern[str] | None:
        return self._outcome_res.get(code)

    @property
    def event_outcomes(self) -> list[Outcome]:
        """The review's own events outcomes that the generic count rule reads from their synonyms
        (complications and pain response have their own rules)."""
        return [o for o in self.vocabulary.outcomes
                if o.kind == "events" and not o.standard and o.code not in COMPLICATION_CODES
                and o.code != "responder" and o.code in self._outcome_res]

    @property
    def scored_outcomes(self) -> list[Outcome]:
        """Continuous outcomes measured on scales (pain on VAS / NRS ...)."""
        return [o for o in self.vocabulary.outcomes if o.kind == "continuous" and o.scales]

    def instrument_re(self, code: str) -> re.Pattern[str] | None:
        """Words that name a scored outcome's instrument: its scales' synonyms and its own
        synonyms that are phrases or abbreviations (a bare common word is too loose)."""
        if code not in self._instr_res:
            o = self.vocabulary.outcome(code)
            words = [w for w in o.synonyms if _is_named_instrument(w)]
            for sc in o.scales:
                s = self.vocabulary.scale(sc)
                words += list(s.synonyms) + [s.code]
            self._instr_res[code] = phrase_re(words)
        return self._instr_res[code]

    def outcome_of_label(self, label: str, own_only: bool = False, rules_first: bool = False) -> str | None:
        """The outcome a table row label or caption names: the longest synonym match wins
        (so "cement leakage" beats "leakage"); scored outcomes match by their instrument words.
        ``own_only``: the review's own outcomes, not the standard ones; ``rules_first``: leave
        out the outcomes that rules of their own grade (complications, pain response)."""
        best: tuple[int, str] | None = None
        for o in self.vocabulary.outcomes:
            if own_only and o.standard:
                continue
            if rules_first and (o.code in COMPLICATION_CODES or o.code == "responder"):
                continue
            rxs = [self._outcome_res.get(o.code)]
            if o.kind == "continuous" and o.scales:
                rxs = [self.instrument_re(o.code)]
            for rx in rxs:
                if rx is None:
                    continue
                for m in rx.finditer(label):
                    n = m.end() - m.start()
                    if best is None or n > best[0]:
                        best = (n, o.code)
        return best[1] if best else None

    # -- scales ------------------------------------------------------------------------------
    def scale(self, text: str, values: list[float] = (), outcome: str | None = None, default: str = "") -> str:
        """The one scale detector. The scales named in ``text`` (synonyms, longest match wins);
        a printed range ("0-100", "100 mm") or a value beyond the named scale's maximum picks the
        scale of the same instrument with that maximum. ``default`` when nothing is named."""
        scales = self._scales_of(outcome)
        named: list[tuple[int, Scale]] = []
        for s in scales:
            rx = self._scale_res.get(s.code)
            if rx is None:
                continue
            lens = [m.end() - m.start() for m in rx.finditer(text)]
            if lens:
                named.append((max(lens), s))
        chosen = max(named, key=lambda t: t[0])[1] if named else (
            next((s for s in scales if s.code == default), None) if default else None)
        if chosen is None:
            return default
        hi = None
        rm = _RANGE.search(text)
        if rm:
            hi = float(rm.group("hi") or rm.group("mm"))
        elif values and max(values) > chosen.max:
            hi = max(values)
        if hi is None or chosen.min <= hi <= chosen.max and (rm is None or hi == chosen.max):
            return chosen.code
        family = [s for s in scales if s is not chosen and _same_instrument(s, chosen)]
        if rm is not None:
            exact = [s for s in [chosen] + family if s.max == hi]
            return exact[0].code if exact else chosen.code
        wider = sorted((s for s in family if s.max >= hi), key=lambda s: s.max)
        return wider[0].code if wider else chosen.code

    def _scales_of(self, outcome: str | None) -> list[Scale]:
        if outcome is not None:
            o = self.vocabulary.outcome(outcome)
            if o.scales:
                return [self.vocabulary.scale(c) for c in o.scales]
        return list(self.vocabulary.scales)


def _same_instrument(a: Scale, b: Scale) -> bool:
    """Two scales of one instrument: their labels or synonyms share the first word ("VAS")."""
    def heads(s: Scale) -> set[str]:
        return {w.split()[0].lower().strip("(") for w in (s.label,) + s.synonyms if w.split()}
    return bool(heads(a) & heads(b) - {"numeric", "scale"})


@lru_cache(maxsize=8)
def _load(location: str | None) -> Lexicon:
    from evidence.review import load_review

    return Lexicon(load_review(location).vocabulary)


def lexicon_for(location: str | Path | None = None) -> Lexicon:
    """The lexicon of the review in folder ``location`` (or its ``config.yaml``); ``None`` = the
    bundled example."""
    return _load(None if location is None else str(Path(location).resolve()))


def default_lexicon() -> Lexicon:
    return lexicon_for(None)
