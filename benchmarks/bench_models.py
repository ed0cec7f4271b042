"""Fit time of ``fit_rma`` for k = 5 ... 50,000 studies (REML and DL).

Run: ``.venv/bin/python benchmarks/bench_models.py``. Prints the median of several repetitions per
size. The engine never builds a k x k matrix, so time grows linearly in k.
"""

from __future__ import annotations

import os
import time

# one BLAS thread: threaded OpenBLAS on a loaded 2-core machine slows small fits (MEASURED.md)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from evidence.models import confint_tau2, fit_rma  # noqa: E402

SIZES = (5, 50, 500, 5_000, 50_000)


def _data(k: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    vi = rng.uniform(0.01, 0.2, k)
    yi = rng.normal(0.3, np.sqrt(vi + 0.05))
    return yi, vi


def _time(fn, reps: int) -> float:
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times))


def main() -> None:
    t_start = time.perf_counter()
    print(f"{'k':>7} {'REML ms':>9} {'DL ms':>8} {'REML+QP-CI ms':>14} {'tau2 (REML)':>12}")
    for k in SIZES:
        yi, vi = _data(k)
        reps = 20 if k <= 5_000 else 5
        t_reml = _time(lambda: fit_rma(yi, vi, method="REML"), reps)
        t_dl = _time(lambda: fit_rma(yi, vi, method="DL"), reps)
        fit = fit_rma(yi, vi, method="REML")
        t_ci = _time(lambda: confint_tau2(fit), max(3, reps // 4))
        print(f"{k:>7} {1e3 * t_reml:>9.2f} {1e3 * t_dl:>8.2f} {1e3 * t_ci:>14.2f} {fit.tau2:>12.5f}")
    print(f"total {time.perf_counter() - t_start:.1f} s")


if __name__ == "__main__":
    main()
