"""Curation web app timings, medians from one run (Flask's test client, no network):

* a page image the first time (PDFium render + PNG into the page cache) and cached;
* the study page of a study with 200 values (the extracted table of a temporary copy of the
  example padded with synthetic values at new time points, each with a page box), with the
  curated state cached and right after an edit (state rebuilt from the files).

    PYTHONPATH=. python benchmarks/bench_curation_page.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sacral"
STUDY = "tian2022"
VALUES = 200


def _review(tmp: Path) -> Path:
    review = tmp / "sacral"
    shutil.copytree(EXAMPLE, review, ignore=shutil.ignore_patterns("literature", "seeds", "*.py", "curation"))
    if not (review / "results/tables/extracted/studies.tsv").is_file():
        subprocess.run([sys.executable, "-m", "evidence.srtk", "run", str(review), "--cores", "2", "tables/outcomes.tsv"],
                       check=True, cwd=tmp, capture_output=True)
    return review


def _pad(review: Path, study: str, total: int, have: int) -> None:
    """Add pain means at new time points (m1, m2, ...) to the study's extracted outcomes."""
    path = review / "results/tables/extracted/outcomes.tsv"
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        columns, rows = reader.fieldnames, list(reader)
    template = next(r for r in rows if r["study_id"] == study and r["outcome"] == "pain" and r["page"])
    for i in range(total - have):
        rows.append({**template, "timepoint": f"m{i + 1}", "timepoint_label": f"{i + 1} months",
                     "timepoint_days": str(round((i + 1) * 30.4375, 4)), "field": "mean", "value": f"{(i % 90) / 10:.1f}"})
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _time(call) -> tuple[float, object]:
    start = time.perf_counter()
    out = call()
    return time.perf_counter() - start, out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="requests per cached measurement (default 15)")
    args = parser.parse_args(argv)
    from evidence.curation.web import create_app
    from evidence.curation.web.state import ReviewState
    from evidence.review import load_review
    from extraction.pdf import count_pages

    with tempfile.TemporaryDirectory() as tmp:
        review = _review(Path(tmp))
        app = create_app(load_review(review), curator="bench")
        client = app.test_client()
        pdf = next((review / "pdfs").glob(f"{STUDY}*.pdf"))
        pages = range(1, count_pages(pdf) + 1)
        first, cached = [], []
        for page in pages:
            seconds, response = _time(lambda: client.get(f"/study/{STUDY}/page/{page}.png"))
            assert response.status_code == 200, response.status_code
            first.append(seconds)
        for _ in range(max(1, args.repeat // len(pages))):
            for page in pages:
                cached.append(_time(lambda: client.get(f"/study/{STUDY}/page/{page}.png").data)[0])
        have = len(ReviewState(load_review(review)).values(STUDY))
        _pad(review, STUDY, VALUES, have)
        n = len(ReviewState(load_review(review)).values(STUDY))
        study = []
        for _ in range(args.repeat):
            seconds, response = _time(lambda: client.get(f"/study/{STUDY}"))
            assert response.status_code == 200
            study.append(seconds)
        rebuilt = []
        for _ in range(max(3, args.repeat // 3)):
            app.extensions.pop("srtk_state", None)  # as after an edit: the curated state is rebuilt
            rebuilt.append(_time(lambda: client.get(f"/study/{STUDY}"))[0])
        rows = len(re.findall(r'<tr class="[^"]*" data-id=', response.get_data(as_text=True)))
    ms = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    print(f"page image, first render (PDFium + PNG, {len(first)} pages): median {ms(first):.1f} ms")
    print(f"page image, cached ({len(cached)} requests): median {ms(cached):.2f} ms "
          f"(first/cached = {ms(first) / ms(cached):.0f}x)")
    print(f"study page with {n} values ({rows} rows listed), {len(study)} requests: median {ms(study):.0f} ms; "
          f"right after an edit (curated state rebuilt), {len(rebuilt)} requests: median {ms(rebuilt):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
