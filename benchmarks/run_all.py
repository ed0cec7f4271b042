"""Scale and speed benchmarks of the whole toolkit, printed as medians and ratios from one run.

    make bench                         (= python benchmarks/run_all.py --quick)
    python benchmarks/run_all.py [--quick] [--sizes 10,100,1000] [--before REF | --no-before]
                                 [--code DIR] [--only NAME ...] [--json FILE]

Sections (``--only`` picks some): ``throughput`` (pages/s per core: our extractor, pypdfium2 text
with every character's box, plain pdfplumber ``extract_text``, on the real corpus), ``startup``
(``python -m X --help``), ``example`` (the example review end to end on 2 cores, then the re-run
after one correction and after adding one PDF, counting extraction jobs), ``scale`` (extraction +
merge of N generated PDFs on 1 and 2 cores; default sizes 10, 100, 1000, ``--quick`` 10, 100),
``models`` (REML and DL fit time at k = 5, 500, 50,000; R metafor's next to it where Rscript and
metafor are installed) and ``memory`` (peak resident memory of one extraction job: the largest
generated 25-page and 300-page PDF made of the same pages). Every section runs twice in the same
run: BEFORE (the code of git ref ``--before``, default ``main``, unpacked with ``git archive``) and
AFTER (this checkout, or ``--code DIR``), printed side by side with the ratio after/before.
``--quick`` measures 8 of the real PDFs and 10 generated PDFs (the 1,000-PDF time is then printed
as a linear extrapolation, marked so). The machine may be shared: heavy sections run once and the
load average is printed; read the numbers as indicative.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import make_corpus  # noqa: E402

PY = sys.executable


def _env(code: Path, **extra: str) -> dict[str, str]:
    """Environment of every measured process: the page cache is off (cold reads) unless asked.

    Bytecode is allowed (``PYTHONDONTWRITEBYTECODE`` dropped) and compiled before timing by
    ``_compiled``: an installed toolkit runs from ``.pyc`` files, and compiling ~9,000 lines on every
    fresh process would add about 0.07 s of CPU to each measured command.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(code), "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg",
            "PATH": f"{Path(PY).parent}{os.pathsep}{os.environ['PATH']}", "SRTK_PAGE_CACHE": "off", **extra}


def _py(code: Path, script: str, *args: str, timeout: int = 3600, **env: str) -> str:
    done = subprocess.run([PY, "-c", script, *args], env=_env(code, **env), capture_output=True, text=True,
                          timeout=timeout, cwd=code)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return done.stdout



QUICK_PDFS = 0  # 0: every real PDF; --quick sets 8


def real_pdfs(code: Path) -> list[Path]:
    """The real corpus of this checkout (the same files for BEFORE and AFTER)."""
    pdfs = [p for p in sorted((HERE.parent / "tests" / "data" / "pdfs" / "real").glob("*.pdf"))
            if not p.name.startswith("hostile_")]
    return pdfs[:QUICK_PDFS] if QUICK_PDFS else pdfs


# -- throughput -------------------------------------------------------------------------------
_THROUGHPUT = r"""
import json, sys, time
path, kind = sys.argv[1], sys.argv[2]
cpu = time.process_time()
if kind.startswith("ours"):
    from extraction.extract import extract_document
    t = time.perf_counter(); res = extract_document(path); dt = time.perf_counter() - t
    import pypdfium2; d = pypdfium2.PdfDocument(path); n = len(d); d.close()
elif kind == "pdfium_boxes":
    import pypdfium2
    t = time.perf_counter(); d = pypdfium2.PdfDocument(path); n = len(d)
    for i in range(n):
        page = d[i]; tp = page.get_textpage(); tp.get_text_range()
        for c in range(tp.count_chars()):
            tp.get_charbox(c)
        tp.close(); page.close()
    d.close(); dt = time.perf_counter() - t
else:
    import pdfplumber
    t = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        n = len(pdf.pages)
        for page in pdf.pages:
            page.extract_text(); page.close()
    dt = time.perf_counter() - t
print(json.dumps({"pages": n, "seconds": dt, "cpu_seconds": time.process_time() - cpu}))
"""


def throughput(code: Path, tmp: Path) -> dict[str, float | int]:
    """Pages/s per core of each reader (medians over the PDFs, by wall and by CPU time), each PDF in
    a fresh single-threaded process. ``ours`` reads cold (no page cache); ``ours_cached`` is a
    second extraction with the page cache filled by the first (re-extraction after a rule change)."""
    kinds = ("ours", "ours_cached", "pdfium_boxes", "pdfplumber")
    rates: dict[str, list[float]] = {k: [] for k in kinds}
    cpu_rates: dict[str, list[float]] = {k: [] for k in kinds}
    cache = str(tmp / "page_cache")
    n_pages = 0
    for pdf in real_pdfs(code):
        _py(code, _THROUGHPUT, str(pdf), "ours", SRTK_PAGE_CACHE=cache)  # fills the cache
        for kind in kinds:
            r = json.loads(_py(code, _THROUGHPUT, str(pdf), kind,
                               **({"SRTK_PAGE_CACHE": cache} if kind == "ours_cached" else {})))
            rates[kind].append(r["pages"] / r["seconds"])
            cpu_rates[kind].append(r["pages"] / r["cpu_seconds"])
        n_pages += r["pages"]
    out: dict[str, float | int] = {"n_pdfs": len(rates["ours"]), "n_pages": n_pages}
    for kind in kinds:
        out[f"{kind}_median_pages_per_s"] = statistics.median(rates[kind])
        # CPU time of the process (per core, less sensitive to other load on a shared machine)
        out[f"{kind}_median_pages_per_cpu_s"] = statistics.median(cpu_rates[kind])
    for basis in ("pages_per_s", "pages_per_cpu_s"):
        ours = out[f"ours_median_{basis}"]
        out[f"ratio_ours_vs_pdfium_boxes ({basis})"] = ours / out[f"pdfium_boxes_median_{basis}"]
        out[f"ratio_ours_vs_pdfplumber ({basis})"] = ours / out[f"pdfplumber_median_{basis}"]
    return out


def startup(code: Path, repeats: int = 5) -> dict[str, float]:
    out = {}
    for module in ("extraction", "evidence", "figures"):
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            subprocess.run([PY, "-m", module, "--help"], env=_env(code), capture_output=True, check=True, cwd=code)
            times.append(time.perf_counter() - t)
        out[f"{module}_help_median_s"] = statistics.median(times)
    return out


# -- workflow runs ----------------------------------------------------------------------------
def _job_stats(text: str) -> dict[str, int]:
    lines = text.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.startswith("job ") and "count" in line)
    except StopIteration:
        return {}
    stats = {}
    for line in lines[start + 2:]:
        parts = line.split()
        if len(parts) != 2 or parts[0] == "total":
            break
        stats[parts[0]] = int(parts[1])
    return stats


def _old_layout(code: Path) -> bool:
    """A checkout from before review folders (config/config.yaml, outputs under ./results)."""
    return (code / "config" / "config.yaml").exists()


def snakemake(code: Path, work: Path, *args: str, cores: int = 2) -> tuple[float, dict[str, int]]:
    """Wall time and job counts (rule -> jobs) of one Snakemake run of the review in ``work``."""
    where = (["--directory", str(work)] if _old_layout(code)
             else ["--configfile", str(work / "config.yaml"), "--directory", str(work / "results")])
    t = time.perf_counter()
    done = subprocess.run([PY, "-m", "snakemake", "--snakefile", str(code / "Snakefile"), *where,
                           "--cores", str(cores), *args], env=_env(code), capture_output=True, text=True)
    wall = time.perf_counter() - t
    if done.returncode:
        raise RuntimeError(f"snakemake failed in {work}:\n{done.stderr[-4000:]}")
    return wall, _job_stats(done.stdout + "\n" + done.stderr)


def make_review(code: Path, work: Path, pdfs: Path | None = None) -> Path:
    """A copy of the example review in ``work`` (PDFs copied, so one can be added); outputs go to
    ``work/results`` in either layout."""
    import yaml

    if not _old_layout(code):
        shutil.copytree(code / "examples" / "sacral", work, ignore=shutil.ignore_patterns("results"))
        if pdfs is not None:
            shutil.rmtree(work / "pdfs")
            shutil.copytree(pdfs, work / "pdfs")
        return work
    config = yaml.safe_load((code / "config" / "config.yaml").read_text())
    review = config["review"]
    shutil.copytree(code / review["pdfs"] if pdfs is None else pdfs, work / "pdfs")
    shutil.copy(code / review["corrections"], work / "corrections.csv")
    review["pdfs"] = str(work / "pdfs")
    review["corrections"] = str(work / "corrections.csv")
    for key in ("manual_entries", "risk_of_bias", "grade"):
        if review.get(key):
            review[key] = str(code / review[key])
    (work / "config").mkdir(parents=True)
    (work / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return work


def _one_correction(code: Path, work: Path) -> None:
    """A curator changes one extracted event count of a pooled outcome (to a different, valid number)."""
    import pandas as pd

    import yaml

    config = yaml.safe_load(((work / "config" / "config.yaml") if _old_layout(code) else (work / "config.yaml")).read_text())
    pooled = {spec.get("outcome") for spec in config["analyses"].values()}
    outcomes = pd.read_csv(work / "results/tables/outcomes.tsv", sep="\t", dtype=str, keep_default_na=False)
    key = ["study_id", "arm_id", "outcome", "timepoint", "field"]
    unique = outcomes[~outcomes.duplicated(key, keep=False)]
    # an extracted event count of an outcome some analysis pools (so the correction matters)
    row = unique[(unique.origin == "extracted") & (unique.field == "events") & unique.outcome.isin(pooled)].iloc[0]
    value = str(max(0, int(float(row.value)) - 1))
    subprocess.run([PY, "-m", "evidence", "curate", "set", row.study_id, row.arm_id, row.outcome, row.timepoint,
                    "events", value, "--reason", "benchmark correction", "--curator", "bench",
                    "--corrections", str(work / "corrections.csv"),
                    "--extracted", str(work / "results/tables/extracted")],
                   env=_env(code), check=True, capture_output=True, text=True, cwd=code)


def example(code: Path, tmp: Path, extra_pdf: Path) -> dict[str, float]:
    work = make_review(code, tmp / "example")
    wall, jobs = snakemake(code, work)
    out = {"example_end_to_end_s": wall, "example_jobs": sum(jobs.values())}
    _one_correction(code, work)
    wall, jobs = snakemake(code, work)
    out.update(correction_rerun_s=wall, correction_rerun_jobs=sum(jobs.values()),
               correction_rerun_extraction_jobs=jobs.get("extract_pdf", 0))
    shutil.copy(extra_pdf, work / "pdfs" / extra_pdf.name)
    wall, jobs = snakemake(code, work)
    out.update(added_pdf_rerun_s=wall, added_pdf_extraction_jobs=jobs.get("extract_pdf", 0))
    return out


def scale(code: Path, tmp: Path, corpus: Path, sizes: list[int]) -> dict[str, float]:
    """Extraction + merge (target results/tables/extracted/studies.tsv) of N PDFs on 1 and 2 cores."""
    out = {}
    files = sorted(corpus.glob("*.pdf"))
    for n in sizes:
        subset = tmp / f"corpus_{n}"
        subset.mkdir()
        for f in files[:n]:
            os.symlink(f, subset / f.name)
        for cores in (1, 2):
            work = make_review(code, tmp / f"scale_{n}_{cores}", pdfs=subset)
            target = "tables/extracted/studies.tsv"
            wall, _ = snakemake(code, work, ("results/" if _old_layout(code) else "") + target, cores=cores)
            out[f"pdfs_{n}_cores_{cores}_s"] = wall
    biggest = max(sizes)
    if biggest < 1000:
        for cores in (1, 2):
            out[f"pdfs_1000_cores_{cores}_s (extrapolated from {biggest})"] = out[f"pdfs_{biggest}_cores_{cores}_s"] * 1000 / biggest
    return out


# -- statistics engines -------------------------------------------------------------------------
_FITS = r"""
import json, sys, time
import numpy as np
from evidence.models import fit_rma
out = {}
for k in (5, 500, 50000):
    rng = np.random.default_rng(k)
    vi = rng.uniform(0.01, 0.2, k); yi = rng.normal(0.3, np.sqrt(vi + 0.05))
    for method in ("REML", "DL"):
        times = []
        for _ in range(5 if k < 50000 else 3):
            t = time.perf_counter(); fit_rma(yi, vi, method=method); times.append(time.perf_counter() - t)
        out[f"ours_{method}_k{k}_s"] = sorted(times)[len(times) // 2]
print(json.dumps(out))
"""

_R = r"""
suppressMessages(library(metafor))
for (k in c(5, 500)) {
  set.seed(k); vi <- runif(k, 0.01, 0.2); yi <- rnorm(k, 0.3, sqrt(vi + 0.05))
  for (m in c("REML", "DL")) {
    t <- replicate(5, system.time(rma(yi, vi, method = m))[["elapsed"]])
    cat(sprintf("metafor_%s_k%d_s %.6f\n", m, k, median(t)))
  }
}
"""


def models(code: Path) -> dict[str, float | str]:
    out: dict[str, float | str] = json.loads(_py(code, _FITS))
    if shutil.which("Rscript"):
        done = subprocess.run(["Rscript", "-e", _R], capture_output=True, text=True)
        if done.returncode == 0:
            for line in done.stdout.splitlines():
                name, value = line.split()
                out[name] = float(value)
            out["metafor_k50000"] = "not run: metafor builds k x k matrices (out of memory at 50,000, MEASURED.md)"
        else:
            out["metafor"] = f"not run: {done.stderr.strip()[:120]}"
    else:
        out["metafor"] = "not run: Rscript not installed (apt-get install r-cran-metafor)"
    return out


# -- memory -----------------------------------------------------------------------------------
# VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over fork and exec, so a child would
# report at least the peak of this (large) benchmark process
_MEMORY = r"""
import sys, time
from extraction.extract import extract_document
t = time.perf_counter(); extract_document(sys.argv[1])
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(int(hwm.split()[1]) / 1024.0, time.perf_counter() - t)
"""


def memory(code: Path, tmp: Path) -> dict[str, float | str]:
    """Peak RSS of one extraction job (a fresh process) on a 25-page and a 300-page PDF made of the
    same pages (the first 25 of the 300): flat memory means the two peaks are close."""
    out: dict[str, float | str] = {}
    for n in (25, 300):
        pdf = tmp / f"long_{n}_pages.pdf"
        if not pdf.exists():
            make_corpus(tmp / f"memory_{n}", 0, long_pages=n)
        peak, seconds = (float(v) for v in _py(code, _MEMORY, str(pdf)).split())
        out[f"pages_{n}_peak_mib"] = peak
        out[f"pages_{n}_seconds"] = seconds
    out["ratio_peak_300_vs_25"] = out["pages_300_peak_mib"] / out["pages_25_peak_mib"]
    return out


SECTIONS = ("throughput", "startup", "models", "memory", "example", "scale")


def _unpack(ref: str, dest: Path) -> Path:
    """The code of git ref ``ref`` of this repository, unpacked into ``dest`` (git archive)."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", ref], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def _compiled(code: Path) -> Path:
    """``code`` with its packages byte-compiled (as after ``pip install``), so no run pays for it."""
    subprocess.run([PY, "-m", "compileall", "-q", "-j", "1", *(str(code / d) for d in ("extraction", "evidence",
                    "figures", "vocab") if (code / d).is_dir())], check=True, capture_output=True)
    return code


def _run_section(name: str, code: Path, tmp: Path, corpus: Path, sizes: list[int]) -> dict:
    tmp.mkdir(parents=True, exist_ok=True)
    if name == "throughput":
        return throughput(code, tmp)
    if name == "startup":
        return startup(code)
    if name == "models":
        return models(code)
    if name == "memory":
        return memory(code, tmp)
    if name == "example":
        return example(code, tmp, sorted(corpus.glob("*.pdf"))[0])
    return scale(code, tmp, corpus, sizes)


def _fmt(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _print(name: str, seconds: float, runs: dict[str, dict]) -> None:
    labels = list(runs)
    print(f"== {name} ({seconds:.0f} s; load average {os.getloadavg()[0]:.1f})")
    print(f"  {'':50s} " + " ".join(f"{label:>12s}" for label in labels) + ("   after/before" if len(labels) == 2 else ""))
    keys = list(dict.fromkeys(k for r in runs.values() for k in r))
    for key in keys:
        values = [runs[label].get(key, "-") for label in labels]
        line = f"  {key:50s} " + " ".join(f"{_fmt(v):>12s}" for v in values)
        if len(values) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values) and values[0]:
            line += f"   {values[1] / values[0]:.3g}"
        print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    global QUICK_PDFS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="8 real PDFs, 10 generated PDFs (1,000 extrapolated)")
    ap.add_argument("--sizes", help="comma list of corpus sizes for 'scale' (default 10,100,1000)")
    ap.add_argument("--code", type=Path, default=HERE.parent, help="checkout measured as AFTER")
    ap.add_argument("--before", default="main", help="git ref measured as BEFORE (default main)")
    ap.add_argument("--no-before", action="store_true", help="measure AFTER only")
    ap.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    ap.add_argument("--json", type=Path, help="also write the numbers to this file")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else ([10] if args.quick else [10, 100, 1000])
    QUICK_PDFS = 8 if args.quick else 0
    results: dict[str, dict[str, dict]] = {}
    with tempfile.TemporaryDirectory(prefix="srtk-bench-") as tmpdir:
        tmp = Path(tmpdir)
        codes = {} if args.no_before else {"before": _compiled(_unpack(args.before, tmp / "before_code"))}
        codes["after"] = _compiled(args.code.resolve())
        print(f"BEFORE: {'-' if args.no_before else args.before}   AFTER: {codes['after']}   "
              f"cores: {os.cpu_count()}   load average: {os.getloadavg()[0]:.1f}", flush=True)
        corpus = tmp / "corpus"
        wanted = args.only or SECTIONS
        if {"example", "scale"} & set(wanted):
            make_corpus(corpus, max(sizes + [1]))
        for name in wanted:
            t = time.perf_counter()
            results[name] = {label: _run_section(name, code, tmp / label / name, corpus, sizes)
                             for label, code in codes.items()}
            _print(name, time.perf_counter() - t, results[name])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
