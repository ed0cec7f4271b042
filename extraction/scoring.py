"""Scoring extracted values against hand-made gold annotations (tests/data/gold/<pdf stem>.json).

Rule (documented in the benchmark output too):

* Items are (arm, outcome, field, value). Gold items are the gold ``values`` plus, per gold arm,
  ``n_patients`` / ``n_lesions`` as fields of outcome ``arm``. Extracted items are the rows of
  outcomes.tsv plus the arms' ``n_patients`` / ``n_lesions``.
* An extracted item is a true positive if some gold item has the same outcome and field, the
  same value (|diff| ≤ 1e-6, or equal after rounding both to the coarser printed precision:
  17.24 ≈ 17) and a loosely matching arm: the normalised word tokens of the gold arm (its label,
  ``arm_alias``, ``label_variants``, ``label_as_printed``) and of the extracted arm (arm_id and
  label) overlap, ignoring generic words ("group", "arm", "patients", ...). ``all`` matches only
  ``all`` (or a gold ``arm_alias`` of ``all``), or the gold file's only main arm (a single-arm
  study, e.g. gold "TKA").
* precision = extracted items matching some gold item / extracted items;
  recall = gold items matched by some extracted item / gold items.
  "strict" counts every extracted vocabulary value of a document with a gold file;
  "covered" (the issue's rule) counts only extracted outcomes the gold file annotates.
* Outcome ``other`` (any quantity outside the vocabulary, gold-v2) also needs the printed labels
  to share a content word ("Length of stay (days)" ~ "length of hospital stay"), since the
  outcome code alone does not say which quantity it is.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

_GENERIC = {"group", "groups", "arm", "arms", "the", "patients", "patient", "and", "with", "only", "of", "in", "n", "treatment", "treatments", "ones", "alone"}


def arm_tokens(*names: str) -> set[str]:
    toks: set[str] = set()
    for n in names:
        if not n:
            continue
        n = re.sub(r"\[.*?\]", " ", str(n))
        toks |= {t for t in re.findall(r"[a-z0-9]+", n.lower()) if t not in _GENERIC}
    return toks


def same_value(a: float, b: float) -> bool:
    if abs(a - b) <= 1e-6:
        return True

    def dec(x: float) -> int:
        s = f"{x:.6f}".rstrip("0").rstrip(".")
        return len(s.split(".")[1]) if "." in s else 0

    d = min(dec(a), dec(b))
    return round(a, d) == round(b, d)


@dataclass
class Item:
    arm: set[str]
    is_all: bool
    outcome: str
    field: str
    value: float
    ref: Any = None
    label: str = ""


_LABEL_STOP = _GENERIC | {"mean", "median", "sd", "iqr", "range", "no", "number", "rate", "score", "total", "at", "to", "or",
                          "a", "for", "by", "on", "from", "after", "before", "ci", "95", "years", "days", "months", "weeks"}


def label_tokens(label: str) -> set[str]:
    """Content words of a printed label (generic words, statistic names and units dropped)."""
    return {t for t in re.findall(r"[a-z][a-z0-9]+", str(label).lower()) if t not in _LABEL_STOP}


def _same_item(g: Item, e: Item, single_gold_arm: bool) -> bool:
    if g.outcome != e.outcome or g.field != e.field or not same_value(g.value, e.value) or not _arms_match(g, e, single_gold_arm):
        return False
    if g.outcome == "other":
        return bool(label_tokens(g.label) & label_tokens(e.label))
    return True


def _arms_match(g: Item, e: Item, single_gold_arm: bool = False) -> bool:
    if g.is_all or e.is_all:
        # a single-arm study: the extractor's "all" is the gold file's only (main) arm
        return (g.is_all and e.is_all) or (e.is_all and single_gold_arm)
    return bool(g.arm & e.arm)


def gold_items(gold: dict[str, Any]) -> list[Item]:
    items = []
    arm_names: dict[str, list[str]] = {}
    for a in gold.get("arms", []):
        names = [a.get("arm", ""), a.get("label_as_printed", "")] + list(a.get("label_variants", []) or [])
        arm_names[a.get("arm", "")] = names
        for fld in ("n_patients", "n_lesions"):
            if a.get(fld) is not None and a.get("n_printed", True) is not False:
                items.append(Item(arm_tokens(*names), a.get("arm") == "all", "arm", fld, float(a[fld]), a))
    for v in gold.get("values", []):
        names = arm_names.get(v.get("arm", ""), [v.get("arm", "")])
        alias = v.get("arm_alias")
        it = Item(arm_tokens(*names), v.get("arm") == "all", v["outcome"], v["field"], float(v["value"]), v, v.get("label", ""))
        items.append(it)
        if alias:
            items.append(Item(arm_tokens(alias), alias == "all", v["outcome"], v["field"], float(v["value"]), {"alias_of": v}, v.get("label", "")))
    return items


def extracted_items(arms: Iterable[dict[str, Any]], outcomes: Iterable[dict[str, Any]]) -> list[Item]:
    labels: dict[str, str] = {}
    items = []
    for a in arms:
        labels[a["arm_id"]] = a.get("label", "")
        for fld in ("n_patients", "n_lesions"):
            if str(a.get(fld, "")).strip() not in ("", "nan", "None"):
                items.append(Item(arm_tokens(a["arm_id"], a.get("label", "")), a["arm_id"] == "all", "arm", fld, float(a[fld]), a))
    for o in outcomes:
        aid = o["arm_id"]
        items.append(Item(arm_tokens(aid, labels.get(aid, "")), aid == "all", o["outcome"], o["field"], float(o["value"]), o, o.get("label", "") or ""))
    return items


def score_document(gold: dict[str, Any], arms: list[dict[str, Any]], outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    g_items = gold_items(gold)
    e_items = extracted_items(arms, outcomes)
    main_arms = [a for a in gold.get("arms", []) if not a.get("subgroup_of") and not a.get("part_of")]
    single = len(main_arms) == 1

    def same(g: Item, e: Item) -> bool:
        return _same_item(g, e, single)

    covered = {g.outcome for g in g_items}
    # gold values (not aliases) for recall
    real_gold = [g for g in g_items if not (isinstance(g.ref, dict) and "alias_of" in g.ref)]
    tp_e = []
    fp = []
    for e in e_items:
        hit = any(same(g, e) for g in g_items)
        (tp_e if hit else fp).append(e)
    matched_gold = []
    missed = []
    for g in real_gold:
        alias_items = [x for x in g_items if isinstance(x.ref, dict) and x.ref.get("alias_of") is g.ref]
        cands = [g] + alias_items
        hit = any(same(c, e) for c in cands for e in e_items)
        (matched_gold if hit else missed).append(g)
    return {
        "tp_extracted": tp_e,
        "fp": fp,
        "fp_covered": [e for e in fp if e.outcome in covered],
        "tp_covered": [e for e in tp_e if e.outcome in covered],
        "gold": real_gold,
        "matched_gold": matched_gold,
        "missed": missed,
    }


def summarise(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per field (outcome.field) and overall precision / recall."""
    agg: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in results.values():
        for key, lst in (("tp", r["tp_extracted"]), ("fp", r["fp"]), ("tpc", r["tp_covered"]), ("fpc", r["fp_covered"]),
                         ("gold", r["gold"]), ("found", r["matched_gold"])):
            for it in lst:
                for name in (f"{it.outcome}.{it.field}", "OVERALL"):
                    agg[name][key] += 1
    out = {}
    for name, d in agg.items():
        ext = d["tp"] + d["fp"]
        extc = d["tpc"] + d["fpc"]
        out[name] = {
            "extracted": ext,
            "tp": d["tp"],
            "precision": d["tp"] / ext if ext else float("nan"),
            "precision_covered": d["tpc"] / extc if extc else float("nan"),
            "gold": d["gold"],
            "found": d["found"],
            "recall": d["found"] / d["gold"] if d["gold"] else float("nan"),
        }
    return out


def load_gold(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text())


CONFIDENCE_BINS: tuple[float, ...] = (0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def calibration(results: dict[str, dict[str, Any]], bins: tuple[float, ...] = CONFIDENCE_BINS) -> list[tuple[float, int, int]]:
    """(lower bound, extracted, true positives) per confidence level of the extracted items.

    An item's confidence is its row's ``confidence`` column (1.0 when it has none)."""
    counts = {b: [0, 0] for b in bins}
    for r in results.values():
        for key, lst in (("tp", r["tp_extracted"]), ("fp", r["fp"])):
            for it in lst:
                try:
                    c = float((it.ref or {}).get("confidence", 1.0) or 0.0) if isinstance(it.ref, dict) else 1.0
                except (TypeError, ValueError):
                    c = 0.0
                b = max(x for x in bins if x <= c) if c >= bins[0] else bins[0]
                counts[b][0] += 1
                counts[b][1] += key == "tp"
    return [(b, n, tp) for b, (n, tp) in counts.items()]
