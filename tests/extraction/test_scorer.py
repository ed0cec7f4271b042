"""The trained scorer: its shipped features name no paper, author, drug or number; it runs
without scikit-learn; on a real PDF its accepted values keep checkable provenance and the rest
become suggestions with their region."""

from __future__ import annotations

import json
import re
from pathlib import Path

from extraction.corpus import corpus_items
from extraction.extract import extract_document
from extraction.pdf import page_texts
from extraction.scorer import MODEL, features, load_model, score, tokens
from extraction.text import strip_ws

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "data" / "pdfs" / "real"
WORD_PREFIXES = ("lw=", "gw=", "hw=", "cw=")


def _paper_words() -> set[str]:
    """Words that name a paper: arm labels of the train/dev and in-sample gold, file-name words."""
    words: set[str] = set()
    golds = [it.gold for s in ("train", "dev") for it in corpus_items(split=s)] + sorted((ROOT / "tests" / "data" / "gold").glob("*.json"))
    for g in golds:
        d = json.loads(g.read_text(encoding="utf-8"))
        for a in d.get("arms", []):
            words |= tokens(str(a.get("arm", "")))
    for p in list((ROOT / "tests" / "data" / "corpus" / "pdfs").glob("*.pdf")) + list(REAL.glob("*.pdf")):
        words |= tokens(re.sub(r"[_\d]+", " ", p.stem))
    generic = {"all", "group", "control", "placebo", "standard", "care", "surgery", "cohort", "rct", "trial", "study",
               "patients", "treatment", "ablation", "pain", "mortality", "complications", "adverse", "events",
               # ordinary words that also occur in an arm label or file name ("et al", "only", "Years 1-3")
               "al", "et", "iii", "ms", "no", "of", "only", "required", "therapy", "treated", "years"}
    return words - generic


def test_shipped_features_name_no_paper_author_drug_or_number() -> None:
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    names = set(model["features"]) | set(model["accept"]["coef"])
    words = {n.split("=", 1)[1] for n in names if n.startswith(WORD_PREFIXES)}
    assert words, "the model has word features"
    assert not [w for w in words if re.search(r"\d", w)]
    assert set(model["vocabulary"]) >= words
    clash = sorted(words & _paper_words())
    assert not clash, clash
    # structural features carry no printed number either: magnitudes are orders, not values
    assert not [n for n in names if not n.startswith(WORD_PREFIXES) and re.search(r"\d+\.\d", n)]


def test_model_applies_without_training_libraries() -> None:
    model = load_model()
    assert model is not None and 0 < model["threshold"] < 1
    p, outcome, po = score(model, ["src=table", "field=events", "syn_lab=death", "kind=count_pct"])
    assert 0 <= p <= 1 and 0 <= po <= 1 and outcome in model["outcome"]["classes"]


def test_accepted_values_have_provenance_and_the_rest_are_suggestions() -> None:
    pdf = REAL / "caramelli_2022_bmcmed_giraf_rct.pdf"
    res = extract_document(pdf)
    assert res.candidates, "every statistic becomes a candidate"
    assert any(c.source == "table" and c.label and c.header for c in res.candidates)
    assert any(c.source == "prose" and c.label for c in res.candidates)
    scored = [r for r in res.outcomes if str(r["extractor"]).startswith("scorer.")]
    threshold = load_model()["threshold"]
    assert all(float(r["confidence"]) >= threshold for r in scored)
    # above the threshold only without an arm, or an unmapped value whose label was not printed before it
    # (words after the statistic name no quantity reliably: scorer.scored_rows)
    assert all(float(s["confidence"]) < threshold or not s["arm_id"] or s["outcome"] == "other" for s in res.suggestions)
    items = scored + [s for s in res.suggestions if s["page"]][:200]
    texts = page_texts(pdf, [(int(r["page"]), (r["x0"], r["top"], r["x1"], r["bottom"])) for r in items])
    bad = [(r["field"], r["value"], r["excerpt"][:40]) for r, t in zip(items, texts) if not r["excerpt"] or strip_ws(r["excerpt"]) not in strip_ws(t)]
    assert not bad, bad[:5]
    for r in scored:
        assert r["label"], r
        if r["outcome"] == "other":
            assert re.search(r"[A-Za-z]", r["label"])


def test_features_of_a_candidate_are_structural() -> None:
    res = extract_document(REAL / "caramelli_2022_bmcmed_giraf_rct.pdf")
    f = features(res.candidates[0])
    assert any(x.startswith("src=") for x in f) and any(x.startswith("field=") for x in f)
