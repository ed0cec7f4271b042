"""Extraction speed (pages per second per core) and peak memory.

    python benchmarks/bench_extraction.py [PDF or DIR ...]   (default: the real corpus + examples)

Each PDF is extracted in a fresh single-threaded process (as one Snakemake job would run it), so
the peak resident memory printed is that of one job; pages/s is pages read / wall time of the
extraction in that process (import time excluded, reported separately).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REAL = Path(os.environ.get("SRTK_REAL_CORPUS", ROOT / "tests" / "data" / "pdfs" / "real"))


def _one(path: str):
    t0 = time.perf_counter()
    from extraction.extract import extract_document  # noqa: F401  (import cost measured)

    t1 = time.perf_counter()
    res = extract_document(path)
    t2 = time.perf_counter()
    n_pages = int(res.studies[0].get("n_pages") or 0) if res.studies else 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return path, n_pages, t1 - t0, t2 - t1, peak, bool(res.problems and res.problems[0]["stage"] in ("open", "read") and not res.outcomes and "skipped" not in res.problems[0]["reason"])


def main(argv: list[str]) -> int:
    targets = [Path(a) for a in argv] or [REAL, ROOT / "examples" / "sacral" / "pdfs"]
    pdfs: list[Path] = []
    for t in targets:
        pdfs += sorted(t.glob("*.pdf")) if t.is_dir() else [t]
    ctx = mp.get_context("spawn")
    rows = []
    with ctx.Pool(1, maxtasksperchild=1) as pool:
        for r in pool.imap(_one, [str(p) for p in pdfs]):
            rows.append(r)
            path, n, imp, dt, peak, bad = r
            rate = n / dt if dt > 0 and n else 0.0
            print(f"{Path(path).name[:52]:52s} pages={n:3d} time={dt:6.2f}s pages/s={rate:6.1f} peak={peak:6.0f} MiB{'  (unreadable)' if bad else ''}", flush=True)
    ok = [r for r in rows if not r[5] and r[1]]
    pages = sum(r[1] for r in ok)
    secs = sum(r[3] for r in ok)
    print(f"\nreadable PDFs: {len(ok)}, pages: {pages}, extraction time: {secs:.1f} s on one core")
    print(f"throughput: {pages / secs:.2f} pages/s per core (median per PDF "
          f"{sorted(r[1] / r[3] for r in ok)[len(ok) // 2]:.2f} pages/s)")
    print(f"import time per process: {sorted(r[2] for r in rows)[len(rows) // 2]:.2f} s (median)")
    print(f"peak memory of one job: max {max(r[4] for r in rows):.0f} MiB, median {sorted(r[4] for r in rows)[len(rows) // 2]:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
