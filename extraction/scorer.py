"""The trained scorer: which candidates are reviewer-extracted values, and as which outcome.

Two logistic regressions over binary context features (:func:`features`), trained on the gold-v2
train split by ``python -m extraction.train`` and shipped as JSON coefficients
(``extraction/model/scorer.json``; applied here with plain Python, no scikit-learn at run time):

* ``accept``: P(the candidate is a value the annotators extracted, with this field and arm);
* ``outcome``: the outcome code (age, sex_female, sex_male, follow_up, death,
  serious_adverse_event, adverse_event, complication_*, pain, responder, recurrence, ...,
  ``other``), over the same features.

Features name kinds of context only — label, header, caption and sentence words from a
vocabulary of words common to several training papers (arm labels excluded), the review
vocabulary's synonym hits (``syn=<code>``), the statistic's notation, field and slot, where it is
printed (table or prose, section, page position), how its arm was found and the value's order of
magnitude. None names a paper, author, drug or number: ``tests/extraction/test_scorer.py`` scans
the shipped feature list.

One reading per printed statistic is kept (the one with the highest acceptance); a candidate
at or above the model's ``threshold`` (tuned on the dev split) becomes an outcome row, the others
are suggestions for the curator.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from .candidates import Candidate

MODEL = Path(__file__).resolve().parent / "model" / "scorer.json"

# generic words that say what a quantity is; the review's own synonyms are added by the caller
STANDARD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "age": ("age", "aged", "years old"),
    "sex_female": ("female", "females", "women", "woman", "girls"),
    "sex_male": ("male", "males", "men", "boys", "sex", "gender"),
    "follow_up": ("follow-up", "follow up", "followed up", "followup"),
    "death": ("death", "deaths", "died", "mortality", "dead", "fatal", "expired", "deceased"),
    "serious_adverse_event": ("serious adverse", "sae", "saes", "serious"),
    "adverse_event": ("adverse event", "adverse events", "side effect", "side effects", "ae", "aes", "teae", "teaes",
                      "treatment-emergent", "toxicity", "adverse"),
    "complication": ("complication", "complications"),
    "complication_major": ("major", "severe", "grade 3", "grade iii", "clavien"),
    "complication_minor": ("minor", "mild"),
    "pain": ("pain", "vas", "nrs", "visual analogue", "numeric rating"),
    "responder": ("response", "responder", "responders", "success", "improvement", "improved", "relief"),
    "recurrence": ("recurrence", "recurrences", "relapse", "recurred"),
    "local_recurrence": ("local recurrence", "local progression", "local control"),
    "duration": ("duration", "time", "length of stay", "hospital stay", "operative time", "procedure time"),
    "count_word": ("patients", "participants", "subjects", "cases", "number", "no."),
}

_STAT_WORDS = {
    "sd": r"\bsd\b|standard deviation|±", "se": r"\bse\b|\bsem\b|standard error", "iqr": r"\biqr\b|interquartile|quartile",
    "range": r"\brange\b|min.{0,3}max", "ci": r"\bci\b|confidence", "pct": r"%|percent", "n": r"\bn\b|\bno\.|number",
    "median": r"\bmedian\b", "mean": r"\bmean\b|average",
}
_STAT_RES = {k: re.compile(v, re.I) for k, v in _STAT_WORDS.items()}
_TOKEN = re.compile(r"[a-z][a-z\-]{1,24}")


def tokens(text: str) -> set[str]:
    return {t.strip("-") for t in _TOKEN.findall((text or "").lower()) if len(t.strip("-")) >= 2}


@lru_cache(maxsize=4096)
def _tokens_in_order(text: str) -> tuple[str, ...]:
    """``tokens(text)`` in its set's order (a table's headers and caption recur in every cell)."""
    return tuple(tokens(text))


@lru_cache(maxsize=4096)
def _hint_stats(hint: str) -> tuple[str, ...]:
    """The notation words (``_STAT_RES`` keys, in order) that ``hint`` names."""
    return tuple(k for k, rx in _STAT_RES.items() if rx.search(hint))


@lru_cache(maxsize=4096)
def _any_word(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern matching any of ``words`` as a whole word (what a search per word finds)."""
    return re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(w.lower()) for w in words) + r")(?![a-z])")


def synonym_hits(text: str, synonyms: dict[str, tuple[str, ...]]) -> set[str]:
    """The codes of which some word occurs in ``text`` (case-insensitive, whole words)."""
    key = (id(synonyms), text)
    hit = _HITS.get(key)
    if hit is not None and hit[0] is synonyms:  # a table's caption and headers recur in every cell
        return set(hit[1])
    low = " " + (text or "").lower() + " "
    codes = {code for code, words in synonyms.items() if words and _any_word(tuple(words)).search(low)}
    if len(_HITS) >= 4096:
        _HITS.clear()
    _HITS[key] = (synonyms, frozenset(codes))
    return codes


_HITS: dict[tuple[int, str], tuple[dict, frozenset]] = {}


def _mag(v: float) -> str:
    a = abs(v)
    b = "0" if a == 0 else "lt1" if a < 1 else "lt10" if a < 10 else "lt100" if a < 100 else "lt1000" if a < 1000 else "ge1000"
    return b + ("_int" if float(v).is_integer() else "_dec") + ("_neg" if v < 0 else "")


def features(c: Candidate, synonyms: dict[str, tuple[str, ...]] | None = None, vocab: set[str] | None = None) -> list[str]:
    """Binary feature names of a candidate. ``vocab`` limits the word features (None: all)."""
    syn = synonyms or STANDARD_SYNONYMS
    f = [f"src={c.source}", f"kind={c.kind}", f"field={c.field}", f"slot={c.slot}", f"kind_field={c.kind}|{c.field}",
         f"arm={c.arm_source}", f"sec={c.section}", f"mag={_mag(c.value)}", f"src_field={c.source}|{c.field}",
         f"page_q={min(int(c.page_frac * 4), 3)}", f"nread={min(c.n_readings, 3)}", f"nstat={min(c.n_stats_in_context, 6)}"]
    if c.alternative:
        f.append("alternative")
        f.append(f"alt_field={c.field}")
    if c.field == "percent" and c.value > 100:
        f.append("pct_over_100")
    if c.timepoint is not None:
        f.append("tp=" + re.sub(r"\d+(?:\.\d+)?", "N", c.timepoint[0]))
    hint = " ".join((c.label, c.group, c.header, c.caption))
    for k in _hint_stats(hint):
        f.append(f"hint_{k}")
        f.append(f"hint_{k}|field={c.field}")
    for where, text in (("lab", c.label), ("grp", c.group), ("hdr", c.header), ("cap", c.caption), ("head", c.heading)):
        for code in synonym_hits(text, syn):
            f.append(f"syn_{where}={code}")
            f.append(f"syn_{where}={code}|field={c.field}")
    for code in synonym_hits(c.context, syn):
        f.append(f"syn_ctx={code}")
    for where, text in (("lw", c.label), ("gw", c.group), ("hw", c.header), ("cw", c.caption)):
        for t in _tokens_in_order(text):
            if vocab is None or t in vocab:
                f.append(f"{where}={t}")
    if not c.label:
        f.append("no_label")
    if c.source == "prose" and _SAFETY_HEADING.search(c.heading):
        f.append("safety_heading")
        if _EVENT_VERB.search(c.label) or _EVENT_VERB.search(c.predicate):
            f.append("safety_heading|event_verb")
    if c.source == "prose":
        for code in synonym_hits(c.predicate, syn):
            f.append(f"syn_pred={code}")
    if c.arm_source == "header" and re.search(r"(?i)\bn\s*=", c.header):
        f.append("header_has_n")
    return f


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any] | None:
    p = Path(path)
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def load_model(path: str | Path = MODEL) -> dict[str, Any] | None:
    return _load(str(path))


_BY_FEATURE: dict[int, tuple[dict[str, Any], tuple[str, ...], dict[str, tuple[tuple[int, float], ...]]]] = {}


def _by_feature(model: dict[str, Any]) -> tuple[tuple[str, ...], dict[str, tuple[tuple[int, float], ...]]]:
    """The outcome model's coefficients by feature: feature -> ((class index, weight), ...), built
    once per model (one lookup per feature instead of one per feature and class)."""
    hit = _BY_FEATURE.get(id(model))
    if hit is not None and hit[0] is model:
        return hit[1], hit[2]
    oc = model["outcome"]
    classes = tuple(oc["classes"])
    inv: dict[str, list[tuple[int, float]]] = {}
    for i, cls in enumerate(classes):
        for x, w in oc["coef"][cls].items():
            inv.setdefault(x, []).append((i, w))
    frozen = {x: tuple(ws) for x, ws in inv.items()}
    if len(_BY_FEATURE) >= 8:
        _BY_FEATURE.clear()
    _BY_FEATURE[id(model)] = (model, classes, frozen)
    return classes, frozen


def score(model: dict[str, Any], feats: Iterable[str]) -> tuple[float, str, float]:
    """(P(accept), outcome code, P(outcome)) of one candidate's features."""
    fs = sorted(set(feats))  # a fixed order: float sums (and so ties and order) the same in every process
    acc = model["accept"]
    z = acc["intercept"] + sum(acc["coef"].get(x, 0.0) for x in fs)
    oc = model["outcome"]
    classes, by_feature = _by_feature(model)
    # the per-class sums over fs in its order (absent terms add 0.0)
    sums = [0] * len(classes)
    for x in fs:
        ws = by_feature.get(x)
        if ws is not None:
            for i, w in ws:
                sums[i] += w
    icpt = oc["intercept"]
    scores = {cls: icpt[cls] + sums[i] for i, cls in enumerate(classes)}
    m = max(scores.values())
    den = sum(math.exp(s - m) for s in scores.values())
    best = max(scores, key=scores.get)
    return _sigmoid(z), best, 1.0 / den


_LABEL_PRIORITY = ("serious_adverse_event", "death", "adverse_event", "follow_up", "sex_female", "sex_male", "age")


# a section about harms ("Safety", "Adverse events", "Tolerability") and the verbs that say a
# patient had an event ("experienced bradycardia", "developed a rash")
_SAFETY_HEADING = re.compile(r"(?i)\b(?:safety|adverse|side[- ]effects?|tolerability|harms?|toxicit(?:y|ies))\b")
_HARMS_LIST = re.compile(r"(?i)\b(?:complications?|adverse\s+(?:events?|effects?|reactions?)|side[- ]effects?|toxicit(?:y|ies))\b")
_EVENT_VERB = re.compile(r"(?i)\b(?:experienced|developed|had|suffered|reported|presented\s+with|occurred|observed|"
                         r"were\s+(?:observed|reported|noted|seen))\b")


_ARM_PHRASE = re.compile(r"(?i)\b(?:in|on|of|from|among)\s+(?:the|each|both|either|all)\s+(?:[\w+-]+\s+){0,3}?(?:groups?|arms?|cohorts?)\b")


def _lead_words(predicate: str, n: int = 6) -> str:
    """The first words of a statistic's clause, without the phrase naming its group ("patients in
    the X group died" -> "patients died"): an outcome named there is the one counted."""
    return " ".join(_ARM_PHRASE.sub(" ", predicate).split()[:n])


def label_outcome(c: Candidate, synonyms: dict[str, tuple[str, ...]] | None = None) -> str | None:
    """The outcome the printed label itself names through the vocabulary's synonyms, if any
    (row label first, then its block heading); the review's own outcome codes win over the
    standard ones. A count in running text under a harms heading ("Safety") whose words say
    that patients had an event ("experienced bradycardia"), or listed after a colon that follows
    complication / adverse-event words, is an adverse event (a named event)."""
    syn = synonyms or STANDARD_SYNONYMS
    for text in (_lead_words(c.label) if c.label_after else c.label, c.group):
        hits = synonym_hits(text, syn)
        review = [h for h in hits if h not in STANDARD_SYNONYMS]
        if review:
            return sorted(review)[0]
        for code in _LABEL_PRIORITY:
            if code in hits:
                return code
    if c.source == "prose" and c.field in ("events", "percent", "total"):
        # a count printed before its words ("2 patients (3%) died", "Seven patients ... experienced X")
        hits = synonym_hits(_lead_words(c.predicate), syn) & {"death", "serious_adverse_event", "adverse_event"}
        for code in _LABEL_PRIORITY:
            if code in hits:
                return code
        if _SAFETY_HEADING.search(c.heading) and (_EVENT_VERB.search(c.label) or _EVENT_VERB.search(c.predicate)):
            return "adverse_event"
        if _HARMS_LIST.search(c.list_head):
            return "adverse_event"  # "complications occurred in 6 patients: two with X and four with Y"
    return None


def assign(cands: list[Candidate], model: dict[str, Any], synonyms: dict[str, tuple[str, ...]] | None = None) -> list[tuple[Candidate, float, str]]:
    """(candidate, confidence, outcome) for the best reading of each printed statistic."""
    vocab = set(model.get("vocabulary", []))
    scored = []
    for c in cands:
        p, oc, po = score(model, features(c, synonyms, vocab))
        named = label_outcome(c, synonyms)
        if named is None and oc in _LABEL_PRIORITY:
            oc = "other"  # the standard outcomes are named by their label, never guessed from the notation
        scored.append((c, p, named or oc))
    # one reading per printed statistic: the reading whose fields score best on average
    by_stat: dict[tuple, dict[str, list]] = {}
    for c, p, oc in scored:
        by_stat.setdefault(c.key, {}).setdefault(c.kind + str(c.alternative), []).append((c, p, oc))
    out = []
    for readings in by_stat.values():
        best = max(readings.values(), key=lambda rs: sum(p for _, p, _ in rs) / len(rs))
        out.extend(best)
    return out


SUGGESTION_COLUMNS: tuple[str, ...] = (
    "study_id", "arm_id", "arm_label", "outcome", "label", "timepoint_label", "field", "value", "confidence",
    "source", "page", "x0", "top", "x1", "bottom", "excerpt",
)
_BASELINE = {"age", "sex_female", "sex_male"}
_COUNTS = {"events", "total", "percent", "n"}
# outcomes whose values are of one kind only: an age or a follow-up is never a count, a sex never a mean
_MEASURED = {"age", "follow_up"}
_COUNTED = {"sex_female", "sex_male"}


_FUNCTION_WORDS = frozenset(
    "and or the a an of in to from with for by at on as was were is are be been being there that this these those "
    "than vs versus only it its who which whom while whereas had have has other cases out respectively compared "
    "after before during between among into per each all both any not no".split())
_UNIT_TAIL = re.compile(r"^\s*(?:(?i:years?|yrs?|months?|days?|weeks?|hours?|min|minutes?|mm|cm|kg|mg|ml|[µμ𝜇]m|"
                        r"[µμ𝜇]mol/l|points?)|[hsmg]|%)(?![A-Za-z-])")


def names_quantity(label: str) -> bool:
    """Whether a printed label can name an unmapped (``other``) value: it has a content word, and
    it does not start with a unit (then it is the tail of the statistic before: "years, and")."""
    if not label or _UNIT_TAIL.match(label):
        return False
    return any(len(w) >= 3 and w not in _FUNCTION_WORDS for w in re.findall(r"[a-z]+", label.lower()))


def fits_outcome(outcome: str, fld: str) -> bool:
    """Whether ``fld`` is a field ``outcome`` can have (age / follow-up: not counts; sex: only counts)."""
    if outcome in _MEASURED:
        return fld not in _COUNTS
    if outcome in _COUNTED:
        return fld in _COUNTS
    return True


def _same(a: float, b: float) -> bool:
    from .scoring import same_value

    return same_value(float(a), float(b))


def scored_rows(cands: list[Candidate], study_id: str, existing: list[dict[str, Any]], columns: tuple[str, ...],
                known_outcomes: Iterable[str], model: dict[str, Any] | None = None,
                synonyms: dict[str, tuple[str, ...]] | None = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(outcome rows, arm rows, suggestions) from the candidates of one document.

    Rows the hand rules already gave (same arm, outcome, field and value) are not repeated, and a
    different value for an arm, outcome and field the rules gave becomes a suggestion; an
    outcome code outside ``known_outcomes`` is written as ``other`` with its printed label. An
    ``other`` value needs words of its own printed before it: a label taken from the words after
    the statistic or from a neighbouring statistic may name a vocabulary outcome ("no deaths",
    a table row read as text), but does not say reliably which other quantity it is."""
    model = model if model is not None else load_model()
    if model is None or not cands:
        return [], [], []
    known = set(known_outcomes) | {"other"}
    threshold = float(model.get("threshold", 0.5))
    have = {(r["arm_id"], r["outcome"], r["field"]): r["value"] for r in existing}
    rows, arms, sugg = [], {}, []
    seen: set[tuple] = set()
    for c, p, oc in sorted(assign(cands, model, synonyms), key=lambda t: -t[1]):
        if c.field == "value" or c.prov is None or c.prov.page is None:
            continue
        oc = oc if oc in known else "other"
        tp = c.timepoint or (("baseline", "baseline", 0.0) if oc in _BASELINE else ("post", "not stated", None))
        prov = c.prov.as_dict()
        prov["confidence"] = round(p, 2)
        prov["extractor"] = f"scorer.{c.source}"
        accepted = (p >= threshold and c.arm_id != "" and c.possible and fits_outcome(oc, c.field)
                    and (oc != "other" or (names_quantity(c.label) and not c.label_after and not c.label_borrowed)))
        key = (c.arm_id, oc, c.label.lower(), tp[0], c.field)
        old = have.get((c.arm_id, oc, c.field))
        if accepted and (key in seen or (old is not None and _same(old, c.value))):
            continue
        if accepted and old is not None:  # the rules gave this arm, outcome and field another value:
            accepted = False  # the curator decides between them (a suggestion, not a second row)
        if not accepted:
            sugg.append({"study_id": study_id, "arm_id": c.arm_id, "arm_label": c.arm_label, "outcome": oc, "label": c.label,
                         "timepoint_label": tp[1], "field": c.field, "value": c.value, "confidence": round(p, 2),
                         "source": c.source, **{k: prov[k] for k in ("page", "x0", "top", "x1", "bottom", "excerpt")}})
            continue
        seen.add(key)
        row = {col: "" for col in columns}
        row.update(study_id=study_id, arm_id=c.arm_id, outcome=oc, label=c.label, timepoint=tp[0], timepoint_label=tp[1],
                   timepoint_days="" if tp[2] is None else round(tp[2], 4), unit="patients" if c.field in ("events", "total", "percent") else "",
                   field=c.field, value=c.value)
        row.update({k: v for k, v in prov.items() if k in row})
        rows.append(row)
        if c.arm_source == "header" and c.arm_id not in arms:
            arms[c.arm_id] = {"arm_id": c.arm_id, "label": c.arm_label, "prov": prov}
    return rows, list(arms.values()), sugg
