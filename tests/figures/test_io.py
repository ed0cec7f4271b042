"""save_figure: formats, resolution and byte-identical re-runs."""

from __future__ import annotations

import pytest
from figtest_data import make_pooled
from PIL import Image

from figures import forest_plot, save_figure
from figures.funnel import funnel_from_pooled
from figures.prisma import prisma_flow


def _write_twice(make, tmp_path, **kwargs):
    a = save_figure(make(), tmp_path / "a" / "fig", **kwargs)
    b = save_figure(make(), tmp_path / "b" / "fig", **kwargs)
    return a, b


@pytest.mark.parametrize("kind", ["forest", "funnel", "prisma"])
def test_second_run_gives_identical_bytes(kind, tmp_path):
    pooled = make_pooled({"ablation": 6, "sacroplasty": 6}, "OR", seed=9)
    make = {
        "forest": lambda: forest_plot(pooled, title="Responder"),
        "funnel": lambda: funnel_from_pooled(pooled, egger={"intercept": 0.1, "slope": 0.5, "pval": 0.2}),
        "prisma": lambda: prisma_flow({
            "records_identified": {"PDF folder": 5, "manual entries": 2}, "duplicates_removed": 1,
            "records_screened": 6, "records_excluded": {"review": 1}, "reports_sought": 5,
            "reports_not_retrieved": 0, "reports_assessed": 5, "reports_excluded": {"no outcome": 1},
            "studies_included": 4, "reports_included": 4}),
    }[kind]  # fmt: skip
    a, b = _write_twice(make, tmp_path, tiff=(kind == "forest"))
    assert [p.suffix for p in a] == [".svg", ".pdf", ".png"] + ([".tif"] if kind == "forest" else [])
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.suffix


def test_no_timestamps_and_resolution(tmp_path):
    fig = forest_plot(make_pooled(3, "MN", seed=1))
    svg, pdf, png, tif = save_figure(fig, tmp_path / "f", tiff=True)
    assert b"<dc:date>" not in svg.read_bytes()
    assert b"/CreationDate" not in pdf.read_bytes()
    with Image.open(png) as im:
        assert round(im.info["dpi"][0]) == 300
        w_png = im.size[0]
    with Image.open(tif) as im:
        assert round(float(im.info["dpi"][0])) == 600
        assert im.size[0] == pytest.approx(2 * w_png, abs=2)


def test_bad_format(tmp_path):
    with pytest.raises(ValueError, match="Invalid format 'bmp'"):
        save_figure(forest_plot(make_pooled(3, "MN")), tmp_path / "f", formats=("bmp",))
