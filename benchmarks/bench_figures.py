"""Seconds to draw and save forest plots of 10, 50 and 200 study rows, per output format; then
plots over ``plots.forest_max_rows`` (100): 300 rows split over pages, 5,000 rows refused.

Run: ``MPLBACKEND=Agg .venv/bin/python benchmarks/bench_figures.py``
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "figures"))

from figtest_data import make_pooled  # noqa: E402

from figures import forest_plot, save_figure  # noqa: E402
from figures._layout import TooManyRows  # noqa: E402
from figures.forest import forest_pages  # noqa: E402
from figures.io import save_pages  # noqa: E402

SIZES = {10: {"ablation": 6, "sacroplasty": 4}, 50: {"ablation": 25, "sacroplasty": 15, "ert": 10},
         200: {"ablation": 90, "sacroplasty": 70, "ert": 40}}  # fmt: skip


def main() -> None:
    print(f"{'rows':>5} {'draw':>7} {'svg':>7} {'pdf':>7} {'png':>7} {'tif600':>7}  (seconds)")
    with tempfile.TemporaryDirectory() as tmp:
        for n, sizes in SIZES.items():
            pooled = make_pooled(sizes, "PLO", seed=n, long_labels=True)
            t0 = time.perf_counter()
            fig = forest_plot(pooled, title=f"{n} studies")
            times = [time.perf_counter() - t0]
            for fmt in ("svg", "pdf", "png", "tif"):
                t0 = time.perf_counter()
                save_figure(fig, Path(tmp) / f"forest_{n}", formats=(fmt,))
                times.append(time.perf_counter() - t0)
            print(f"{n:>5} " + " ".join(f"{t:7.2f}" for t in times))
        _paged(Path(tmp))


def _paged(tmp: Path, max_rows: int = 100) -> None:
    print(f"\n{'rows':>5} {'pages':>5} {'draw':>7} {'save svg+pdf+png':>17} {'s/page':>7}  (max_rows {max_rows})")
    pooled = make_pooled(300, "MN", seed=3)
    t0 = time.perf_counter()
    pages = forest_pages(pooled, title="300 studies", max_rows=max_rows)
    draw = time.perf_counter() - t0
    t0 = time.perf_counter()
    save_pages(pages, tmp / "paged")
    save = time.perf_counter() - t0
    print(f"{300:>5} {len(pages):>5} {draw:7.2f} {save:17.2f} {(draw + save) / len(pages):7.2f}")
    pooled = make_pooled(5000, "MN", seed=5)
    t0 = time.perf_counter()
    try:
        forest_pages(pooled, max_rows=max_rows)
    except TooManyRows as exc:
        print(f"{5000:>5} {exc.pages:>5} refused in {time.perf_counter() - t0:.2f} s (more than 10 pages)")


if __name__ == "__main__":
    main()
