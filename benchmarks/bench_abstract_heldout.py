"""Held-out accuracy of the PDF extractor on real abstract text (never used to tune its rules).

    python benchmarks/bench_abstract_heldout.py [--csv CSV] [--out DIR] [--jobs 2] [--verbose]

Typesets one PDF per study of examples/sacral/literature/sacral_abstract_values.csv (without
cazzato2021 and tian2022, whose text is in the example PDFs) with benchmarks/abstract_heldout.py,
extracts each with extraction.extract.extract_document, and scores it against the gold built from
the CSV (only numbers printed in the excerpts; rules in abstract_heldout's docstring) with
extraction.scoring. Prints counts, per-study TP/FP/missed, the per-field and OVERALL
precision / recall tables (dev, test, all; ``abstract_heldout.split_of``) and the screening result.
--verbose adds the FP / MISS lists of the dev studies only: the test studies stay unseen.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from abstract_heldout import build_abstract_pdfs, gold_for_study, read_rows, split_of  # noqa: E402
from bench_accuracy import print_table  # noqa: E402
from extraction.extract import extract_document  # noqa: E402
from extraction.scoring import score_document, summarise  # noqa: E402

CSV = ROOT / "examples" / "sacral" / "literature" / "sacral_abstract_values.csv"


def _run(path: str) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    res = extract_document(path)
    return path, res.studies, res.arms, res.outcomes


def run(csv_path: Path, out_dir: Path, jobs: int, verbose: bool) -> int:
    t0 = time.time()
    studies = read_rows(csv_path)
    pdfs = build_abstract_pdfs(csv_path, out_dir)
    golds = {sid: gold_for_study(rows) for sid, rows in studies.items()}
    dropped: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for g in golds.values():
        dropped.update(g["counts"]["dropped"])
        skipped.update(g["counts"]["skipped"])
    with ProcessPoolExecutor(max_workers=jobs) as ex:
        outs = list(ex.map(_run, [str(pdfs[s]) for s in studies]))
    results: dict[str, dict[str, Any]] = {}
    screening = []
    print(f"studies {len(studies)} (excluded cazzato2021, tian2022); CSV rows {sum(map(len, studies.values()))}")
    print(f"gold items kept {sum(g['counts']['kept'] for g in golds.values())} "
          f"(values {sum(len(g['values']) for g in golds.values())}, arm n "
          f"{sum(g['counts']['kept'] - len(g['values']) for g in golds.values())}); "
          f"studies with no kept item {sum(1 for g in golds.values() if not g['counts']['kept'])}")
    print(f"dropped {sum(dropped.values())}: " + ", ".join(f"{k} {v}" for k, v in sorted(dropped.items())))
    print(f"skipped rows (stat type outside the vocabulary) {sum(skipped.values())}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(skipped.items())))
    print("\n== per study")
    for path, st, arms, outcomes in outs:
        sid = Path(path).stem
        gold = golds[sid]
        r = score_document(gold, arms, outcomes)
        results[sid] = r
        s = st[0] if st else {}
        screening.append((sid, s.get("document_type"), s.get("decision")))
        print(f"{sid:18s} {split_of(sid):4s} {len(r['tp_extracted']):3d} TP {len(r['fp']):3d} FP {len(r['missed']):3d} missed of {len(r['gold']):3d} gold")
        if verbose and split_of(sid) == "dev":  # the test studies' items are never shown
            for e in r["fp"]:
                print(f"   FP   {sorted(e.arm)} {e.outcome}.{e.field} = {e.value:g}")
            for g in r["missed"]:
                print(f"   MISS {sorted(g.arm)} {g.outcome}.{g.field} = {g.value:g}  {str(g.ref.get('excerpt', ''))[:60]!r}")
    print("\nrule: (outcome, field, value ≈ printed precision, arm tokens overlap); precision = TP/extracted "
          "(strict: all extracted vocabulary values; prec.cov: only outcomes the gold file annotates); recall = found/gold")
    for part in ("dev", "test"):
        sub = {k: v for k, v in results.items() if split_of(k) == part}
        print_table(f"{part} abstract PDFs ({len(sub)} files)", summarise(sub))
    print_table(f"all abstract PDFs ({len(results)} files)", summarise(results))
    print("\n== screening (extracted document_type / decision; gold is abstract / excluded)")
    for sid, dt, dec in screening:
        flag = "" if (dt, dec) == ("abstract", "excluded") else "   <-- differs"
        print(f"{sid:18s} {str(dt):9s} {str(dec):9s}{flag}")
    ok = sum(1 for _, dt, dec in screening if (dt, dec) == ("abstract", "excluded"))
    print(f"abstract/excluded: {ok} of {len(screening)}; "
          + ", ".join(f"{k[0]}/{k[1]} {v}" for k, v in sorted(Counter((str(d), str(e)) for _, d, e in screening).items())))
    print(f"\nbuilt, extracted and scored {len(outs)} PDFs in {time.time() - t0:.1f} s ({jobs} jobs)")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", default=str(CSV))
    ap.add_argument("--out", help="write the PDFs here (default: a temporary directory)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    if args.out:
        return run(Path(args.csv), Path(args.out), args.jobs, args.verbose)
    with tempfile.TemporaryDirectory() as tmp:
        return run(Path(args.csv), Path(tmp), args.jobs, args.verbose)


if __name__ == "__main__":
    sys.exit(main())
