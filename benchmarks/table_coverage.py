"""How many gold values reach a candidate at all, and where the others are printed.

    python benchmarks/table_coverage.py [--suites train,dev] [--sample 60] [--jobs 1]

For every PDF of a split (extraction.corpus) its candidates (extraction.candidates, as
extraction.extract builds them: ``Result.candidates``) are compared with each gold value
(tests/data/corpus/gold/*.json). A gold value is, first match wins:

* ``table``: a table candidate with its field, its value (at the printed precision), its page (or
  one of ``also_pages``) and a matching arm (the training label rule, extraction.train);
* ``prose``: the same from a prose candidate;
* ``table_value`` / ``prose_value``: a candidate printing the value on that page, but with
  another field or arm (``why``: field, arm, or arm unknown);
* ``none``: no candidate prints the value on that page. The value's number is then looked up
  among the page's words: ``in_table`` (inside a detected table's box), ``table_like`` (on a line
  of two or more number cells set apart by wide gaps, on a page with a "Table N" caption: an
  undetected table), ``prose`` (elsewhere) or ``not_found`` (no word prints it).

The counts are printed per split; for ``train`` only (never for dev or test) a sample of the
misses with page, label and the gold's excerpt. The test split is refused.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extraction.corpus import corpus_items  # noqa: E402
from extraction.scoring import arm_tokens, same_value  # noqa: E402

_NUM = re.compile(r"[-−–]?\d+(?:[.·]\d+)?")


def _arm_ok(c, gold_arm: str, arm_names: dict[str, set[str]], single: bool) -> bool:
    ctoks = arm_tokens(c.arm_id, c.arm_label)
    if gold_arm == "all":
        return c.arm_id == "all"
    return bool(arm_names.get(gold_arm, arm_tokens(gold_arm)) & ctoks) or (c.arm_id == "all" and single)


def _word_numbers(text: str) -> list[float]:
    out = []
    for m in _NUM.finditer(text):
        s = m.group(0).replace("−", "-").replace("–", "-").replace("·", ".")
        try:
            out.append(float(s))
        except ValueError:
            pass
    return out


def _where_printed(layout, page: int, value: float) -> str:
    from extraction.grid import CAPTION_RE, is_numberlike

    words = [w for w in layout.words if w.page == page]
    hits = [w for w in words if any(abs(x - value) < 1e-9 or abs(abs(x) - abs(value)) < 1e-9 for x in _word_numbers(w.norm))]
    if not hits:
        return "not_found"
    boxes = [t.bbox for t in layout.tables if t.page == page]
    for w in hits:
        for x0, top, x1, bottom in boxes:
            if x0 - 1 <= w.x0 and w.x1 <= x1 + 1 and top - 1 <= w.top and w.bottom <= bottom + 1:
                return "in_table"
    has_caption = any(ln.page == page and CAPTION_RE.match(ln.text) for ln in layout.lines)
    if has_caption:
        gap = max(0.9 * layout.body_size, 5.0)
        for w in hits:
            ln = layout.lines[w.line] if w.line >= 0 else None
            # the visual row: words of the page whose vertical centre is near the hit's
            cy = (w.top + w.bottom) / 2
            row = sorted((x for x in words if abs((x.top + x.bottom) / 2 - cy) <= 0.45 * max(w.bottom - w.top, 1)), key=lambda x: x.x0)
            cells, cur = [], [row[0]]
            for a, b in zip(row, row[1:]):
                if b.x0 - a.x1 >= gap:
                    cells.append(cur)
                    cur = [b]
                else:
                    cur.append(b)
            cells.append(cur)
            nums = sum(1 for c in cells if is_numberlike(" ".join(x.norm for x in c)))
            if nums >= 2 or (ln is not None and nums >= 1 and len(cells) >= 3):
                return "table_like"
    return "prose"


def classify(cands, gold: dict, layout) -> list[tuple[str, str, dict]]:
    """(class, why, gold value) per gold value."""
    arm_names = {a.get("arm", ""): arm_tokens(a.get("arm", ""), a.get("label_as_printed", ""), *(a.get("label_variants") or []))
                 for a in gold.get("arms", [])}
    main = [a for a in gold.get("arms", []) if not a.get("subgroup_of") and not a.get("part_of")]
    single = len(main) == 1
    out = []
    for g in gold.get("values", []):
        pages = {g.get("page")} | set(g.get("also_pages") or [])
        v = float(g["value"])
        on_page = [c for c in cands if c.page in pages and same_value(v, c.value)]
        best, why = None, ""
        for src in ("table", "prose"):
            ok = [c for c in on_page if c.source == src and c.field == g["field"] and _arm_ok(c, g.get("arm", ""), arm_names, single)]
            if ok:
                best = src
                break
        if best is None:
            for src in ("table", "prose"):
                near = [c for c in on_page if c.source == src]
                if near:
                    best = src + "_value"
                    if not any(c.field == g["field"] for c in near):
                        why = "field:" + ",".join(sorted({c.field for c in near}))
                    else:
                        srcs = sorted({c.arm_source for c in near if c.field == g["field"]})
                        why = "arm:" + ",".join(srcs)
                    break
        if best is None:
            best = "none"
            why = _where_printed(layout, g.get("page") or 0, v) if layout is not None else "?"
        out.append((best, why, g))
    return out


def _run(args: tuple[str, str]):
    pdf, gold_path = args
    from extraction import pdf as pdfio
    from extraction.extract import extract_document
    from extraction.layout import build_layout

    res = extract_document(pdf)
    try:
        layout = build_layout(pdfio.read_document(pdf))
    except Exception:  # an unreadable document: no layout to look the misses up in
        layout = None
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    rows = classify(res.candidates, gold, layout)
    n_table_cands = sum(1 for c in res.candidates if c.source == "table")
    return pdf, [(b, w, {k: g.get(k) for k in ("arm", "outcome", "label", "field", "value", "page", "excerpt")}) for b, w, g in rows], n_table_cands


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--suites", default="train,dev")
    ap.add_argument("--sample", type=int, default=60, help="misses listed (train only)")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--only", help="restrict to PDFs whose name contains this (train only)")
    args = ap.parse_args(argv)
    suites = [s.strip() for s in args.suites.split(",") if s.strip()]
    if "test" in suites:
        ap.error("the test split is never inspected")
    for suite in suites:
        items = corpus_items(split=suite)
        if args.only and suite == "train":
            items = [it for it in items if args.only in it.pdf.name]
        with ProcessPoolExecutor(max_workers=args.jobs) as ex:
            outs = list(ex.map(_run, [(str(it.pdf), str(it.gold)) for it in items]))
        cnt: Counter[str] = Counter()
        why: Counter[str] = Counter()
        per_doc = []
        misses = []
        for pdf, rows, ntc in outs:
            c = Counter(b for b, _, _ in rows)
            cnt.update(c)
            for b, w, g in rows:
                if b != "table" and b != "prose":
                    why[f"{b} {w.split(':')[0] if b != 'none' else w}"] += 1
                if b not in ("table", "prose"):
                    misses.append((Path(pdf).name, b, w, g))
            per_doc.append((Path(pdf).name, len(rows), c["table"], c["prose"], c["none"], ntc))
        total = sum(cnt.values())
        print(f"\n######## {suite}: {len(outs)} PDFs, {total} gold values")
        for k in ("table", "prose", "table_value", "prose_value", "none"):
            print(f"   {k:12s} {cnt[k]:5d}  {cnt[k] / total if total else 0:.3f}")
        print(f"   reached a candidate with field, value, page and arm: {cnt['table'] + cnt['prose']} "
              f"({(cnt['table'] + cnt['prose']) / total if total else 0:.3f}); by a table candidate: {cnt['table']}")
        print("   misses by kind:")
        for k, n in why.most_common():
            print(f"      {k:30s} {n:5d}")
        if suite != "train":
            continue
        print("\n   per document: gold, table, prose, none, table candidates")
        for name, n, t, p, no, ntc in per_doc:
            print(f"      {name[:60]:60s} {n:4d} {t:4d} {p:4d} {no:4d} {ntc:6d}")
        print(f"\n   sample of misses ({min(args.sample, len(misses))} of {len(misses)}):")
        step = max(1, len(misses) // max(args.sample, 1))
        for name, b, w, g in misses[::step][: args.sample]:
            print(f"      {name[:38]:38s} p.{g['page']} {b}/{w:18s} {g['arm']!s:14.14s} {g['outcome']}.{g['field']}={g['value']:g} "
                  f"{str(g.get('label',''))[:30]!r} | {str(g.get('excerpt',''))[:70]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
