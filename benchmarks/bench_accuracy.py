"""Precision and recall per field and overall against the hand-made gold annotations.

    python benchmarks/bench_accuracy.py [--gold tests/data/gold] [--jobs 2] [--verbose]

For every tests/data/gold/<stem>.json the PDF <stem>.pdf is looked up in the real corpus
(tests/data/pdfs/real, or $SRTK_REAL_CORPUS) and in examples/sacral/pdfs, extracted, and scored
with extraction.scoring (the matching rule is in that module's docstring). Prints one table for
the real PDFs the rules were developed on, one for the held-out real PDFs (gold files with
``"held_out": true``, annotated after the rules were written), one for the example PDFs, and the
screening decisions.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extraction.extract import extract_document  # noqa: E402
from extraction.scoring import load_gold, score_document, summarise  # noqa: E402

REAL = Path(os.environ.get("SRTK_REAL_CORPUS", ROOT / "tests" / "data" / "pdfs" / "real"))
EXAMPLES = ROOT / "examples" / "sacral" / "pdfs"


def _run(path: str):
    res = extract_document(path)
    return path, res.studies, res.arms, res.outcomes


def find_pdf(name: str) -> tuple[Path, str] | None:
    for base, kind in ((REAL, "real"), (EXAMPLES, "example")):
        p = base / name
        if p.exists():
            return p, kind
    return None


def fmt(x: float) -> str:
    return "  -  " if isinstance(x, float) and math.isnan(x) else f"{x:.3f}"


def print_table(title: str, summary: dict) -> None:
    print(f"\n== {title}")
    print(f"{'field':34s} {'extracted':>9s} {'TP':>5s} {'precision':>9s} {'prec.cov':>9s} {'gold':>5s} {'found':>6s} {'recall':>7s}")
    for name in sorted(summary, key=lambda n: (n == "OVERALL", n)):
        d = summary[name]
        print(f"{name:34s} {d['extracted']:9d} {d['tp']:5d} {fmt(d['precision']):>9s} {fmt(d['precision_covered']):>9s} {d['gold']:5d} {d['found']:6d} {fmt(d['recall']):>7s}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default=str(ROOT / "tests" / "data" / "gold"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    golds = sorted(Path(args.gold).glob("*.json"))
    todo = {}
    for g in golds:
        gold = load_gold(g)
        hit = find_pdf(gold.get("source_file") or g.stem + ".pdf")
        if hit is None:
            print(f"skip {g.name}: PDF not found", file=sys.stderr)
            continue
        kind = hit[1]
        if kind == "real" and gold.get("held_out"):
            kind = "held-out real"  # annotated after the rules were written; never tuned on
        todo[str(hit[0])] = (gold, kind)
    t0 = time.time()
    with ProcessPoolExecutor(max_workers=args.jobs) as ex:
        outs = list(ex.map(_run, list(todo)))
    results = {"real": {}, "held-out real": {}, "example": {}}
    screening = []
    for path, studies, arms, outcomes in outs:
        gold, kind = todo[path]
        r = score_document(gold, arms, outcomes)
        results[kind][Path(path).name] = r
        s = studies[0] if studies else {}
        gs = gold.get("study", {})
        screening.append((Path(path).name, s.get("document_type"), gs.get("document_type"), s.get("decision"), gs.get("decision")))
        if args.verbose:
            print(f"\n-- {Path(path).name}: {len(r['tp_extracted'])} TP, {len(r['fp'])} FP, {len(r['missed'])} missed of {len(r['gold'])}")
            for e in r["fp"]:
                print(f"   FP   {sorted(e.arm)} {e.outcome}.{e.field} = {e.value:g}")
            for g in r["missed"]:
                print(f"   MISS {sorted(g.arm)} {g.outcome}.{g.field} = {g.value:g}  p.{g.ref.get('page')} {str(g.ref.get('excerpt',''))[:60]!r}")
    print(f"scored {len(outs)} PDFs in {time.time() - t0:.1f} s ({args.jobs} jobs)")
    print("rule: (outcome, field, value ≈ printed precision, arm tokens overlap); precision = TP/extracted "
          "(strict: all extracted vocabulary values; prec.cov: only outcomes the gold file annotates); recall = found/gold")
    for kind in ("real", "held-out real", "example"):
        if results[kind]:
            print_table(f"{kind} PDFs ({len(results[kind])} files)", summarise(results[kind]))
    print("\n== screening (extracted vs gold document_type / decision)")
    for name, dt, gdt, dec, gdec in sorted(screening):
        flag = "" if dt == gdt else "   <-- type differs"
        print(f"{name:55s} {str(dt):9s} {str(gdt):9s} {str(dec):9s} {str(gdec):9s}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
