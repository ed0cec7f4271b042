"""Long forest-type plots: split over pages of ``plots.forest_max_rows`` rows, or refused when too long."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest
from figtest_data import make_pooled
from PIL import Image

from figures._layout import MAX_PAGES, Row, TooManyRows, paginate
from figures.forest import forest_pages

ROOT = Path(__file__).resolve().parents[2]


def _rows() -> list[Row]:
    """Two groups (25 and 12 studies) with subtotals, then the overall diamond and its notes."""
    rows: list[Row] = []
    for g, k in (("A", 25), ("B", 12)):
        if rows:
            rows.append(Row("blank"))
        rows.append(Row("header", f"group {g}"))
        rows += [Row("study", f"{g}{i}", indent=1) for i in range(k)]
        rows += [Row("subsummary", f"subtotal {g}", indent=1), Row("note", f"het {g}", indent=1)]
    rows += [Row("blank"), Row("summary", "overall"), Row("pi", "pi"), Row("note", "het"), Row("note", "test")]
    return rows


def test_paginate_keeps_every_row_once_in_order_and_repeats_the_group_header() -> None:
    rows = _rows()
    pages = paginate(rows, 10)
    assert paginate(rows, None) == [rows] and paginate(rows, len(rows)) == [rows]
    kept = [r for page in pages for r in page if not r.label.endswith("(continued)")]
    ids = {id(r) for r in kept}
    assert [id(r) for r in kept] == [id(r) for r in rows if id(r) in ids]  # in order, none twice
    assert all(r.kind == "blank" for r in rows if id(r) not in ids)  # only blank lines at a page top dropped
    assert [r.label for r in kept if r.kind == "study"] == [f"A{i}" for i in range(25)] + [f"B{i}" for i in range(12)]
    for page in pages:
        assert page[0].kind != "blank"
        studies_and_headers = [r for r in page if r.kind in ("study", "header", "blank")]
        assert len(studies_and_headers) <= 10  # summaries and their notes may follow the last study
        if page[0].kind == "study" or page[0].label.endswith("(continued)"):
            assert page[0].label == f"group {page[1].label[0]} (continued)"
    assert pages[-1][-4:] == rows[-4:]  # the overall diamond stays with its prediction interval and notes
    with pytest.raises(TooManyRows) as refused:
        paginate([Row("study", str(i)) for i in range(10 * MAX_PAGES + 1)], 10)
    assert (refused.value.rows, refused.value.pages) == (10 * MAX_PAGES + 1, MAX_PAGES + 1)


def _figures(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "figures", *args], capture_output=True, text=True, env=env,
                          timeout=600)


def _pooled(tmp_path: Path, sizes, name: str) -> Path:
    pooled = make_pooled(sizes, "MN", seed=11, analysis=name)
    studies = pooled["row_type"] == "study"
    pooled.loc[studies, "slab"] = [f"Study{i:04d}" for i in range(int(studies.sum()))]
    path = tmp_path / f"{name}.tsv"
    pooled.to_csv(path, sep="\t", index=False)
    return path


def test_a_long_forest_plot_is_split_over_pages_sharing_one_axis(tmp_path) -> None:
    tsv = _pooled(tmp_path, {"ablation": 50, "sacroplasty": 40}, "pain_long")
    out = tmp_path / "figures" / "forest_pain_long"
    done = _figures("forest", "--pooled", str(tsv), "--out", str(out), "--title", "Pain", "--max-rows", "40",
                    "--formats", "pdf,png")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert ("note: forest plot forest_pain_long (Pain): more rows than --max-rows 40 "
            "(plots.forest_max_rows in the review's config), split over 3 pages") in done.stderr
    pngs = [out.with_name(n) for n in ("forest_pain_long.png", "forest_pain_long_p2.png", "forest_pain_long_p3.png")]
    assert all(p.is_file() for p in pngs) and not out.with_name("forest_pain_long_p4.png").exists()
    heights = [Image.open(p).size[1] for p in pngs]
    assert max(heights) < 300 * 12  # about 40 rows of 0.2 in at 300 dpi, never one 90-row page
    with pdfplumber.open(out.with_suffix(".pdf")) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    assert len(texts) == 3
    assert [f"(page {i} of 3)" in t for i, t in enumerate(texts, start=1)] == [True] * 3
    found = [s for t in texts for s in re.findall(r"Study[0-9]{4}", t)]
    assert found == [f"Study{i:04d}" for i in range(90)]  # every study once, in order, across pages
    assert "(continued)" in texts[1] and "Overall" in texts[2] and "Overall" not in texts[0]
    # fewer pages on a re-run: the page files of the longer run are removed
    done = _figures("forest", "--pooled", str(tsv), "--out", str(out), "--max-rows", "60", "--formats", "pdf,png")
    assert done.returncode == 0 and "split over 2 pages" in done.stderr
    assert pngs[1].is_file() and not pngs[2].exists()
    done = _figures("forest", "--pooled", str(tsv), "--out", str(out), "--formats", "png")  # one page again
    assert done.returncode == 0 and "split" not in done.stderr and not pngs[1].exists()
    pages = forest_pages(pd.read_csv(tsv, sep="\t"), max_rows=40)
    limits = [[tuple(ax.get_xlim()) for ax in page.axes] for page in pages]
    assert len(limits) == 3 and limits[0] == limits[1] == limits[2]  # one x axis on every page


def test_five_thousand_rows_are_refused_quickly_naming_the_analysis_and_the_setting(tmp_path) -> None:
    tsv = _pooled(tmp_path, 5000, "pain_huge")
    out = tmp_path / "figures" / "forest_pain_huge"
    started = time.monotonic()
    done = _figures("forest", "--pooled", str(tsv), "--out", str(out), "--title", "Pain", "--max-rows", "100")
    elapsed = time.monotonic() - started
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    # 5000 study rows + the overall diamond, its prediction interval and the heterogeneity line;
    # pages break only before a study row, so 50 pages of 100 studies (the last with the summary)
    assert ("warning: forest plot forest_pain_huge (Pain) not drawn: its 5003 rows would take 50 pages of "
            "--max-rows 100 (plots.forest_max_rows in the review's config); at most 10 pages") in done.stderr
    width, height = Image.open(out.with_suffix(".png")).size
    assert height < 1000 and width < 3000  # a notice, not a 64,000 px plot
    assert not list(out.parent.glob("forest_pain_huge_p*"))
    with pdfplumber.open(out.with_suffix(".pdf")) as pdf:
        assert len(pdf.pages) == 1 and "plots.forest_max_rows" in pdf.pages[0].extract_text()
    assert elapsed < 60  # was 169 s for one 2101 x 64020 px PNG


def test_leave_one_out_and_cumulative_plots_are_split_the_same_way(tmp_path) -> None:
    """The workflow passes plots.forest_max_rows to the loo and cumulative plots too."""
    k = 25
    table = pd.DataFrame({"slab": [f"Study{i:04d}" for i in range(k)], "estimate": [0.1 + i / 100 for i in range(k)],
                          "ci_lb": [-0.3] * k, "ci_ub": [0.6] * k, "measure": ["MD"] * k})
    path = tmp_path / "loo.tsv"
    table.to_csv(path, sep="\t", index=False)
    for kind in ("loo", "cumulative"):
        out = tmp_path / f"{kind}_pain"
        done = _figures(kind, "--table", str(path), "--out", str(out), "--title", "Pain", "--max-rows", "10",
                        "--formats", "pdf,png")
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert f"note: {kind} plot {kind}_pain (Pain): more rows than --max-rows 10" in done.stderr
        assert "split over 3 pages" in done.stderr
        assert [p.name for p in sorted(tmp_path.glob(f"{kind}_pain*.png"))] == [
            f"{kind}_pain.png", f"{kind}_pain_p2.png", f"{kind}_pain_p3.png"]
        with pdfplumber.open(out.with_suffix(".pdf")) as pdf:
            found = [s for page in pdf.pages for s in re.findall(r"Study[0-9]{4}", page.extract_text())]
        assert found == list(table["slab"])
