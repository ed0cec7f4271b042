"""Written-out fast paths give what the code they replace gives (issue #14)."""

from __future__ import annotations

import math
import random

import pdfplumber.utils as plumber_utils

from extraction import pdf as pdfio
from extraction.layout import Word, _group_lines
from extraction.scorer import load_model, score


def _chars() -> list[dict]:
    rng = random.Random(7)
    out = []
    for i in range(400):
        x0, top = rng.uniform(0, 500), rng.uniform(0, 700)
        w, h = rng.choice([0.0, rng.uniform(0.5, 8)]), rng.uniform(0, 10)
        out.append({"text": "abc"[i % 3], "x0": x0, "x1": x0 + w, "top": top, "bottom": top + h,
                    "doctop": 792.0 + top, "upright": True, "size": h})
    return out


def test_clip_is_pdfplumbers_crop_to_bbox():
    chars = _chars()
    rng = random.Random(3)
    boxes = [(c["x0"], c["top"], c["x1"], c["bottom"]) for c in chars[:20]]  # touching edges, zero widths
    boxes += [(a, b, a + rng.uniform(0, 200), b + rng.uniform(0, 100))
              for a, b in ((rng.uniform(0, 500), rng.uniform(0, 700)) for _ in range(60))]
    for box in boxes:
        assert pdfio._clip(chars, box) == plumber_utils.crop_to_bbox(chars, box)


def _naive_score(model, feats):
    fs = sorted(set(feats))
    acc, oc = model["accept"], model["outcome"]
    z = acc["intercept"] + sum(acc["coef"].get(x, 0.0) for x in fs)
    scores = {cls: oc["intercept"][cls] + sum(oc["coef"][cls].get(x, 0.0) for x in fs) for cls in oc["classes"]}
    m = max(scores.values())
    den = sum(math.exp(s - m) for s in scores.values())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))), max(scores, key=scores.get), 1.0 / den


def test_score_is_the_per_class_sum():
    model = load_model()
    assert model is not None, "the shipped model extraction/model/scorer.json is missing"
    names = sorted({x for cls in model["outcome"]["classes"] for x in model["outcome"]["coef"][cls]})
    rng = random.Random(5)
    for _ in range(200):
        feats = rng.sample(names, rng.randint(0, 30)) + ["not_a_feature"]
        assert score(model, feats) == _naive_score(model, feats)


def test_score_does_not_depend_on_feature_order():
    """The same features in any order give bit-identical scores (float sums in a fixed order), so
    the accepted values and the suggestions' order are the same whatever PYTHONHASHSEED is."""
    model = load_model()
    assert model is not None
    names = sorted(model["accept"]["coef"])
    rng = random.Random(7)
    for _ in range(100):
        feats = rng.sample(names, rng.randint(5, 40))
        shuffled = feats[:]
        rng.shuffle(shuffled)
        assert score(model, feats) == score(model, shuffled)


def _naive_group_lines(words):
    lines, boxes = [], []
    for w in sorted(words, key=lambda w: (w.top, w.x0)):
        h = max(w.bottom - w.top, 0.1)
        placed = False
        for i in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            t, b = boxes[i]
            if min(b, w.bottom) - max(t, w.top) >= 0.5 * min(h, b - t):
                lines[i].append(w)
                placed = True
                break
        if not placed:
            lines.append([w])
            boxes.append([w.top, w.bottom])
    for ln in lines:
        ln.sort(key=lambda w: w.x0)
    lines.sort(key=lambda ln: min(w.top for w in ln))
    return lines


def test_group_lines_is_the_plain_clustering():
    rng = random.Random(11)
    for _ in range(30):
        words = []
        for i in range(rng.randint(0, 80)):
            top = rng.choice([100.0, 112.0, 124.0]) + rng.uniform(-4, 4)
            x0 = rng.uniform(0, 400)
            words.append(Word(str(i), str(i), x0, top, x0 + 10, top + rng.choice([0.0, 2.0, 9.0]), 9.0, 1))
        assert [[w.text for w in ln] for ln in _group_lines(words)] == \
            [[w.text for w in ln] for ln in _naive_group_lines(words)]


def test_extract_text_is_pdfplumbers_on_real_pages():
    """The written-out text of a box (provenance excerpts) is pdfplumber's extract_text of the same
    cropped chars, on words, lines, half-words and random boxes of real pages."""
    from pathlib import Path

    real = sorted((Path(__file__).resolve().parents[1] / "data" / "pdfs" / "real").glob("*.pdf"))
    real = [p for p in real if not p.name.startswith("hostile_")][:3]
    rng = random.Random(13)
    n = 0
    for path in real:
        doc = pdfio.read_document(path, max_pages=3)
        for page in doc.pages:
            chars = list(page.chars)
            if not chars:
                continue
            boxes = [(w["x0"], w["top"], w["x1"], w["bottom"]) for w in rng.sample(page.words, min(40, len(page.words)))]
            boxes += [(w["x0"] - 80, w["top"] - 20, w["x1"] + 3, w["bottom"] + 30) for w in page.words[:: max(1, len(page.words) // 20)]]
            boxes += [(w["x0"] + (w["x1"] - w["x0"]) / 2, w["top"], w["x1"] + 150, w["bottom"]) for w in page.words[:15]]
            for box in boxes:
                cropped = pdfio._crop(chars, box)
                assert pdfio._extract_text(cropped) == plumber_utils.extract_text(cropped, x_tolerance_ratio=0.15)
                n += 1
    assert n > 200
