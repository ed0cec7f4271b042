"""benchmarks/abstract_heldout.py: the held-out abstract PDFs carry the excerpts, and the gold keeps
only numbers printed in them. The extractor's accuracy is not asserted here."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pdfplumber
import pytest

from extraction.scoring import score_document

ROOT = Path(__file__).resolve().parents[2]
CSV = ROOT / "examples" / "sacral" / "literature" / "sacral_abstract_values.csv"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("abstract_heldout", ROOT / "benchmarks" / "abstract_heldout.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


ah = _load()
STUDIES = ah.read_rows(CSV)
GOLD = {sid: ah.gold_for_study(rows) for sid, rows in STUDIES.items()}


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    pdfs = ah.build_abstract_pdfs(CSV, tmp_path_factory.mktemp("abstracts"))
    out = {}
    for sid, path in pdfs.items():
        with pdfplumber.open(path) as pdf:
            out[sid] = (len(pdf.pages), "\n".join(p.extract_text() or "" for p in pdf.pages))
    return out


def _printed(gold: dict[str, Any]) -> list[float]:
    """Kept numbers that must appear printed, as digits or number words (all but zero counts
    stated by a negation)."""
    nums = [float(a[f]) for a in gold["arms"] for f in ("n_patients", "n_lesions") if f in a]
    return nums + [float(v["value"]) for v in gold["values"] if not v.get("value_in_words")]


def test_excluded_studies() -> None:
    assert "cazzato2021" not in STUDIES and "tian2022" not in STUDIES
    assert len(STUDIES) == 20


def test_pdfs_carry_excerpts_and_gold_numbers(pdf_texts: dict[str, tuple[int, str]]) -> None:
    assert set(pdf_texts) == set(STUDIES)
    for sid, (pages, text) in pdf_texts.items():
        assert pages == 1, sid  # the gold says page 1
        flat = re.sub(r"\s+", "", text)
        for p in ah.passages(STUDIES[sid]):
            assert re.sub(r"\s+", "", p) in flat, (sid, p)
        missing = [x for x in _printed(GOLD[sid]) if x not in ah.numbers(text)]
        assert not missing, (sid, missing)


def test_gold_numbers_are_printed_in_excerpts() -> None:
    for sid, gold in GOLD.items():
        excerpt_numbers = ah.numbers(" ".join(ah.passages(STUDIES[sid])))
        assert all(x in excerpt_numbers for x in _printed(gold)), sid
        for v in gold["values"]:
            if v.get("value_in_words"):  # a zero count stated by a negation in its own excerpt
                assert v["field"] == "events" and v["value"] == 0
                assert re.search(r"\b(no|none|without|absence)\b", v["excerpt"], re.I), (sid, v)
        assert gold["study"] == {**gold["study"], "document_type": "abstract", "decision": "excluded"}


def _values(sid: str) -> set[tuple[str, str, str, str, float]]:
    return {(v["arm"], v["outcome"], v["timepoint"], v["field"], float(v["value"])) for v in GOLD[sid]["values"]}


def test_hand_checked_rows() -> None:
    # gupta2014: "9.0 [8.0–10.0]" pretreatment VAS; "reduced to 3.0 (0.0–5.8)";
    # "No major complication" -> 0 events in words; its 0 % and the unprinted n=53 are dropped.
    g = _values("gupta2014")
    assert {("all", "pain", "baseline", "median", 9.0), ("all", "pain", "baseline", "q1", 8.0),
            ("all", "pain", "baseline", "q3", 10.0), ("all", "pain", "post", "q1", 0.0),
            ("all", "pain", "post", "q3", 5.8), ("all", "responder", "d27", "percent", 93.0),
            ("all", "complication_major", "procedural", "events", 0.0)} <= g
    assert not any(f in ("percent", "total") and o == "complication_major" for _, o, _, f, _ in g)
    assert "n_patients" not in GOLD["gupta2014"]["arms"][0]
    # pereira2013: "minor complications in 2/58 patients (3.4 %)"
    assert {("all", "complication_minor", "procedural", f, x) for f, x in (("events", 2), ("total", 58), ("percent", 3.4))} <= _values("pereira2013")
    # kortman2013: whole cohort is "all", the sacral-lesion subgroup carries "9.0±0.9"
    arms = {a["arm"]: a for a in GOLD["kortman2013"]["arms"]}
    sub = "CT-guided sacroplasty, sacral-lesion subgroup"
    assert arms[sub]["subgroup_of"] == "all" and "subgroup_of" not in arms["all"]
    assert {(sub, "pain", "baseline", "mean", 9.0), (sub, "pain", "baseline", "sd", 0.9)} <= _values("kortman2013")
    # stat types outside the vocabulary are skipped, not gold
    assert GOLD["du2016"]["counts"]["skipped"] == {"km_local_control_pct": 3}
    assert not any(v["outcome"] == "local_recurrence" for v in GOLD["du2016"]["values"])


def test_scorer_reads_gold() -> None:
    """Extracting exactly the gold items scores precision and recall 1 with extraction.scoring."""
    for sid, gold in GOLD.items():
        arms = [{"arm_id": a["arm"], "label": a["arm"], **{f: a[f] for f in ("n_patients", "n_lesions") if f in a}} for a in gold["arms"]]
        outs = [{"arm_id": v["arm"], "outcome": v["outcome"], "field": v["field"], "value": v["value"]} for v in gold["values"]]
        r = score_document(gold, arms, outs)
        assert not r["fp"] and not r["missed"], sid
        assert len(r["gold"]) == gold["counts"]["kept"], sid


def test_number_words_count_as_printed() -> None:
    assert ah.numbers("Twenty of 25 patients (80%); three cases; twenty-five levels; 2-70") == {20.0, 25.0, 80.0, 3.0, 2.0, 70.0}
    # moussazadeh2015 prints its responders as "Twenty of 25 patients": the 20 is gold
    assert ("all", "responder", "last", "events", 20.0) in _values("moussazadeh2015")


def test_split_is_fixed_and_covers_both_halves() -> None:
    split = {sid: ah.split_of(sid) for sid in STUDIES}
    assert split == {sid: ah.split_of(sid) for sid in STUDIES}
    assert sorted(split.values()).count("test") == 9 and sorted(split.values()).count("dev") == 11
