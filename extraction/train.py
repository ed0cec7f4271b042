"""Train the scorer on the gold-v2 train split, tune its threshold on dev, write its JSON model.

    python -m extraction.train [--out extraction/model/scorer.json] [--jobs 2] [-C auto]

Needs scikit-learn (a training-time dependency only: the model is applied without it). Steps:

1. every train and dev PDF is extracted (extraction.extract) and its candidates kept;
2. a candidate is a positive for ``accept`` when a gold value has its field, its value (at the
   printed precision), its page (or one of ``also_pages``) and a matching arm (extraction.scoring's
   arm rule); its ``outcome`` target is that gold value's outcome (any arm);
3. the word features are limited to words printed in the candidates of at least ``--min-docs``
   train papers and in no gold arm label nor file name (no paper, author or drug is a feature);
4. two logistic regressions are fitted on train, their regularisation ``C`` (``-C auto``) the one
   of :data:`C_GRID` with the best mean average precision of ``accept`` over document-grouped
   folds of the train split (so dev is left for the threshold alone); the threshold is the lowest confidence at which
   the dev split's precision (extraction.scoring, with the hand-rule values) reaches
   ``--target-precision``, else the one with the best dev F0.5 (precision weighs twice recall).

The test split is never read here.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .candidates import Candidate
from .corpus import corpus_items
from .scorer import MODEL, STANDARD_SYNONYMS, assign, features, scored_rows, tokens
from .scoring import arm_tokens, same_value, score_document, summarise


def _extract(path: str):
    from .extract import extract_document

    res = extract_document(path)
    legacy_rows = [r for r in res.outcomes if not str(r.get("extractor", "")).startswith("scorer.")]
    legacy_arms = [a for a in res.arms if a.get("extractor") != "arm.table_header"]
    return path, res.candidates, legacy_rows, legacy_arms, res.studies[0]["study_id"] if res.studies else ""


def label_candidates(cands: list[Candidate], gold: dict[str, Any]) -> list[tuple[int, str]]:
    """(accept 0/1, outcome or "") per candidate."""
    arm_names: dict[str, set[str]] = {}
    for a in gold.get("arms", []):
        arm_names[a.get("arm", "")] = arm_tokens(a.get("arm", ""), a.get("label_as_printed", ""), *(a.get("label_variants") or []))
    main = [a for a in gold.get("arms", []) if not a.get("subgroup_of") and not a.get("part_of")]
    single = len(main) == 1
    out = []
    for c in cands:
        acc, oc = 0, ""
        ctoks = arm_tokens(c.arm_id, c.arm_label)
        for g in gold.get("values", []):
            if g.get("field") != c.field or not same_value(float(g["value"]), c.value):
                continue
            if c.page != g.get("page") and c.page not in (g.get("also_pages") or []):
                continue
            oc = oc or g["outcome"]
            ga = g.get("arm", "")
            if ga == "all":
                ok = c.arm_id == "all"
            else:
                ok = bool(arm_names.get(ga, arm_tokens(ga)) & ctoks) or (c.arm_id == "all" and single)
            if ok:
                acc, oc = 1, g["outcome"]
                break
        out.append((acc, oc))
    return out


def _other_paper_words() -> set[str]:
    """Words naming another annotated document, which no word feature may be either (the
    shipped-feature test scans for them): the arm labels of the dev split and of the in-sample gold
    (tests/data/gold), and the file-name words of the repository's test PDFs."""
    data = Path(__file__).resolve().parents[1] / "tests" / "data"
    words: set[str] = set()
    golds = [it.gold for it in corpus_items(split="dev")] + sorted((data / "gold").glob("*.json"))
    for g in golds:
        for a in json.loads(Path(g).read_text(encoding="utf-8")).get("arms", []):
            words |= tokens(str(a.get("arm", "")))
    for p in list((data / "corpus" / "pdfs").glob("*.pdf")) + list((data / "pdfs" / "real").glob("*.pdf")):
        words |= tokens(re.sub(r"[_\d]+", " ", p.stem))
    return words


def word_vocabulary(docs: list[tuple[list[Candidate], dict[str, Any], str]], min_docs: int) -> set[str]:
    df: Counter[str] = Counter()
    banned: set[str] = set()
    for cands, gold, name in docs:
        seen: set[str] = set()
        for c in cands:
            seen |= tokens(c.label) | tokens(c.group) | tokens(c.header) | tokens(c.caption)
        df.update(seen)
        for a in gold.get("arms", []):
            banned |= tokens(a.get("arm", "")) | tokens(a.get("label_as_printed", ""))
        banned |= tokens(re.sub(r"[_\d]+", " ", name))
    banned |= _other_paper_words()
    generic = set().union(*(tokens(" ".join(w)) for w in STANDARD_SYNONYMS.values()))
    return {t for t, n in df.items() if n >= min_docs and (t not in banned or t in generic)}


C_GRID = (0.05, 0.1, 0.2, 0.5, 1.0)


def choose_c(X, y, groups: list[int], folds: int = 4) -> tuple[float, dict[float, float]]:
    """The ``C`` of :data:`C_GRID` with the best mean average precision of held-out documents'
    candidates (GroupKFold over train documents: no paper is in its own fold's training data)."""
    import numpy as np
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import GroupKFold

    y, g = np.asarray(y), np.asarray(groups)
    ap: dict[float, list[float]] = {c: [] for c in C_GRID}
    for tr, te in GroupKFold(n_splits=folds).split(X, y, g):
        if y[te].sum() == 0 or y[tr].sum() == 0:
            continue
        for c in C_GRID:
            p = _fit(X[tr], y[tr], c, False).predict_proba(X[te])[:, 1]
            ap[c].append(float(average_precision_score(y[te], p)))
    mean = {c: sum(v) / len(v) for c, v in ap.items() if v}
    return max(mean, key=lambda c: (mean[c], -c)), mean


def _fit(X, y, C: float, multi: bool):
    from sklearn.linear_model import LogisticRegression

    m = LogisticRegression(C=C, max_iter=3000)
    m.fit(X, y)
    return m


def _export(vec, acc, occ, vocab: set[str], threshold: float, info: dict[str, Any]) -> dict[str, Any]:
    names = vec.get_feature_names_out()
    coef = {n: round(float(w), 5) for n, w in zip(names, acc.coef_[0]) if abs(w) > 1e-6}
    oc_coef = {str(cls): {n: round(float(w), 5) for n, w in zip(names, row) if abs(w) > 1e-6} for cls, row in zip(occ.classes_, occ.coef_)}
    return {
        "format": "srtk-scorer-1",
        "trained_on": "gold-v2 train split (extraction.corpus); threshold tuned on dev",
        "features": sorted(names),
        "vocabulary": sorted(vocab),
        "threshold": threshold,
        "accept": {"intercept": float(acc.intercept_[0]), "coef": coef},
        "outcome": {"classes": [str(c) for c in occ.classes_], "intercept": {str(c): float(b) for c, b in zip(occ.classes_, occ.intercept_)}, "coef": oc_coef},
        "info": info,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m extraction.train")
    ap.add_argument("--out", default=str(MODEL))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("-C", default="auto", help="regularisation of the regressions, or 'auto' (grouped CV on train)")
    ap.add_argument("--min-docs", type=int, default=3)
    ap.add_argument("--target-precision", type=float, default=0.95)
    ap.add_argument("--cache", help="pickle of the extracted candidates (written when missing, read when present)")
    args = ap.parse_args(argv)
    from sklearn.feature_extraction import DictVectorizer

    from evidence.vocabulary import OUTCOME_COLUMNS, OUTCOMES

    items = {s: corpus_items(split=s) for s in ("train", "dev")}
    golds = {str(it.pdf): json.loads(it.gold.read_text(encoding="utf-8")) for s in items for it in items[s]}
    if args.cache and Path(args.cache).exists():
        with open(args.cache, "rb") as fh:
            ext = pickle.load(fh)
    else:
        with ProcessPoolExecutor(max_workers=args.jobs) as ex:
            ext = {p: rest for p, *rest in ex.map(_extract, list(golds))}
        if args.cache:
            with open(args.cache, "wb") as fh:
                pickle.dump(ext, fh)
    train = [(ext[str(it.pdf)][0], golds[str(it.pdf)], it.pdf.stem) for it in items["train"]]
    vocab = word_vocabulary(train, args.min_docs)
    X, ya, Xo, yo, groups = [], [], [], [], []
    for d, (cands, gold, _) in enumerate(train):
        for c, (acc, oc) in zip(cands, label_candidates(cands, gold)):
            f = {k: 1 for k in features(c, None, vocab)}
            X.append(f)
            ya.append(acc)
            groups.append(d)
            if oc:
                Xo.append(f)
                yo.append(oc)
    vec = DictVectorizer()
    vec.fit(X + Xo)
    XA = vec.transform(X).tocsr()
    if args.C == "auto":
        C, cv = choose_c(XA, ya, groups)
        print("C by grouped CV on train (mean AP): " + ", ".join(f"{c:g}: {v:.3f}" for c, v in cv.items()) + f" -> {C:g}")
    else:
        C = float(args.C)
    acc = _fit(XA, ya, C, False)
    occ = _fit(vec.transform(Xo), yo, C * 4, True)
    print(f"train: {len(X)} candidates, {sum(ya)} positives; outcome targets {len(yo)} ({dict(Counter(yo))})")
    model = _export(vec, acc, occ, vocab, 0.5, {"train_candidates": len(X), "train_positives": int(sum(ya)), "C": C})
    # threshold on dev
    known = OUTCOMES + ("age", "sex_female", "sex_male", "follow_up", "death", "serious_adverse_event", "adverse_event", "recurrence")
    best = None
    table = []
    for t in [x / 100 for x in range(30, 100, 5)]:
        model["threshold"] = t
        res = {}
        for it in items["dev"]:
            cands, rows, arms, sid = ext[str(it.pdf)]
            new, new_arms, _ = scored_rows(cands, sid, rows, OUTCOME_COLUMNS, known, model)
            arms2 = arms + [{"arm_id": a["arm_id"], "label": a["label"]} for a in new_arms]
            res[it.pdf.name] = score_document(golds[str(it.pdf)], arms2, rows + new)
        o = summarise(res).get("OVERALL", {})
        p, r = o.get("precision", float("nan")), o.get("recall", 0.0)
        table.append((t, p, r))
        f05 = 1.25 * p * r / (0.25 * p + r) if p == p and p + r else 0.0  # precision weighs more than recall
        if p == p and p >= args.target_precision and (best is None or best[0] != "target"):
            best = ("target", t, p, r)
        elif best is None or (best[0] == "f0.5" and f05 > best[4]):
            best = ("f0.5", t, p, r, f05)
    for t, p, r in table:
        print(f"dev threshold {t:.2f}: precision {p:.3f} recall {r:.3f}")
    model["threshold"] = best[1]
    model["info"]["dev_choice"] = {"rule": best[0], "threshold": best[1], "precision": round(best[2], 4), "recall": round(best[3], 4)}
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"threshold {best[1]:.2f} ({best[0]}): dev precision {best[2]:.3f} recall {best[3]:.3f}; wrote {out} ({out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
