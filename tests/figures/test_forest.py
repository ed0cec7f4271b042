"""Forest plots: the numbers equal the pooled table, structure, scales and layout."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from figtest_data import make_pooled
from figtest_geometry import extents, overlapping_pairs, overlaps_box, table_texts, text_strings, texts

from figures import forest_plot
from figures.formatting import (
    format_ci,
    format_estimate,
    format_heterogeneity,
    format_subgroup_test,
    format_weight,
)

PROPORTION = ("PR", "PLO", "PAS", "PFT")


def expected_strings(pooled: pd.DataFrame) -> list[str]:
    """Recompute, from the table's columns, every number string the plot must print."""
    measure = pooled["measure"].iloc[0]
    f, d = (100.0, 1) if measure in PROPORTION else (1.0, 2)
    studies = pooled[pooled["row_type"] == "study"]
    wcol = "weight_overall" if studies["weight_overall"].notna().all() else "weight"
    out = []
    for _, r in pooled.iterrows():
        if r["row_type"] in ("study", "subgroup", "overall"):
            out.append(format_estimate(r["estimate_bt"] * f, r["ci_lb_bt"] * f, r["ci_ub_bt"] * f, d))
        if r["row_type"] == "study":
            out.append(format_weight(r[wcol]))
        if r["row_type"] in ("subgroup", "overall"):
            out.append(format_heterogeneity(r["tau2"], r["i2"], r["qe"], r["qe_df"], r["qe_pval"]))
        if r["row_type"] == "overall":
            out.append(format_ci(r["pi_lb_bt"] * f, r["pi_ub_bt"] * f, d))
        if r["row_type"] == "subgroup_test":
            out.append(format_subgroup_test(r["qm"], r["qm_df"], r["qm_pval"]))
    return out


@pytest.mark.parametrize("fixture", ["pooled_pain", "pooled_prop", "pooled_or"])
def test_printed_numbers_equal_the_pooled_table(fixture, request):
    pooled = request.getfixturevalue(fixture)
    fig = forest_plot(pooled)
    printed = text_strings(fig)
    missing = [s for s in expected_strings(pooled) if s not in printed]
    assert not missing, missing


def test_labels_groups_and_diamonds(pooled_pain):
    fig = forest_plot(pooled_pain, title="Pain at last follow-up")
    printed = text_strings(fig)
    studies = pooled_pain[pooled_pain["row_type"] == "study"]
    for slab in studies["slab"]:
        assert slab in printed
    for g in ("Ablation", "Sacroplasty", "Ablation + sacroplasty"):
        assert g in printed
    assert "Pain at last follow-up" in printed
    assert "Overall (k = 18)" in printed
    diamonds = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("diamond")]
    assert len(diamonds) == 3 + 1
    assert sum(p.get_gid() == "diamond-overall" for p in diamonds) == 1
    squares = [ln for ln in fig.axes[0].lines if ln.get_gid() == "marker-study"]
    assert len(squares) == len(studies)
    assert [ln for ln in fig.axes[0].lines if ln.get_gid() == "prediction-interval-overall"]


def test_squares_scale_with_weight(pooled_or):
    fig = forest_plot(pooled_or)
    studies = pooled_or[pooled_or["row_type"] == "study"]
    sizes = [ln.get_markersize() for ln in fig.axes[0].lines if ln.get_gid() == "marker-study"]
    w = studies["weight_overall"].to_numpy()
    assert np.argmax(sizes) == np.argmax(w) and np.argmin(sizes) == np.argmin(w)


def test_axis_scales(pooled_prop, pooled_or, pooled_pain):
    ax = forest_plot(pooled_or).axes[0]
    assert ax.get_xscale() == "log"
    assert "log scale" in ax.get_xlabel()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert "1" in ticks and all("e" not in t for t in ticks)
    ax = forest_plot(pooled_prop).axes[0]
    assert ax.get_xscale() == "linear" and "%" in ax.get_xlabel()
    lo, hi = ax.get_xlim()
    assert 0 <= lo < hi <= 100 and hi > 1  # percent, not 0-1
    ax = forest_plot(pooled_pain, xlabel="Pain (0-10)").axes[0]
    assert ax.get_xscale() == "linear" and ax.get_xlabel() == "Pain (0-10)"


def test_single_group_without_subgroups():
    pooled = make_pooled(4, "PLO", seed=2)
    fig = forest_plot(pooled)
    diamonds = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("diamond")]
    assert len(diamonds) == 1
    assert "Events/Total" in text_strings(fig)


def test_cis_beyond_the_axis_get_arrows(pooled_or):
    fig = forest_plot(pooled_or, xlim=(0.5, 2))
    arrows = [ln for ln in fig.axes[0].lines if ln.get_gid() == "ci-arrow"]
    studies = pooled_or[pooled_or["row_type"] == "study"]
    beyond = (studies["ci_lb_bt"] < 0.5).sum() + (studies["ci_ub_bt"] > 2).sum()
    assert beyond > 0 and len(arrows) >= beyond
    assert fig.axes[0].get_xlim() == pytest.approx((0.5, 2))


def _check_layout(fig):
    ax = fig.axes[0]
    placed = table_texts(fig)
    boxes = extents(fig, placed)
    axbox = ax.get_window_extent(fig.canvas.get_renderer()).extents
    inside = [placed[i].get_text() for i in np.flatnonzero(overlaps_box(boxes, axbox))]
    assert not inside, f"text over the plot area: {inside[:5]}"
    every = texts(fig)
    pairs = overlapping_pairs(extents(fig, every))
    assert not pairs, [(every[i].get_text(), every[j].get_text()) for i, j in pairs[:5]]
    figbox = fig.bbox.extents
    allbox = extents(fig, every)
    assert (allbox[:, 0] >= figbox[0] - 1).all() and (allbox[:, 2] <= figbox[2] + 1).all()
    assert (allbox[:, 1] >= figbox[1] - 1).all() and (allbox[:, 3] <= figbox[3] + 1).all()


@pytest.mark.parametrize(
    "sizes", [2, {"ablation": 12, "sacroplasty": 8}, {"ablation": 90, "sacroplasty": 70, "ert": 40}],
    ids=["2-rows", "20-rows", "200-rows"],
)
def test_no_text_overlaps_plot_or_other_text(sizes):
    pooled = make_pooled(sizes, "PLO", seed=11, long_labels=True)
    fig = forest_plot(pooled, title="Any complication by treatment class")
    _check_layout(fig)
    n = (pooled["row_type"] == "study").sum()
    h = fig.get_size_inches()[1]
    assert h > 0.15 * n  # height grows with the rows


def test_long_labels_are_wrapped(pooled_pain):
    long = make_pooled({"a": 3, "b": 3}, "MN", seed=4, long_labels=True)
    fig = forest_plot(long, label_width=30)
    wrapped = [t for t in texts(fig) if t.get_gid() == "label-study" and "\n" in t.get_text()]
    assert wrapped
    assert all(len(line) <= 30 for t in wrapped for line in t.get_text().split("\n"))
    _check_layout(fig)


def test_width_fits_a_journal_page(pooled_pain):
    long = make_pooled({"ablation": 6, "sacroplasty": 8}, "MN", seed=3, long_labels=True)
    assert forest_plot(long).get_size_inches()[0] <= 7.2 + 1e-6


def test_missing_column_is_named(pooled_pain):
    with pytest.raises(ValueError, match="pain.tsv: missing column 'ci_lb_bt'"):
        forest_plot(pooled_pain.drop(columns=["ci_lb_bt"]), source="pain.tsv")


def test_unknown_measure(pooled_pain):
    bad = pooled_pain.assign(measure="XYZ")
    with pytest.raises(ValueError, match="Unknown measure 'XYZ'"):
        forest_plot(bad)


def test_no_global_rcparams_change(pooled_prop):
    before = dict(mpl.rcParams)
    import figures  # noqa: F401  (importing must not touch rcParams either)

    forest_plot(pooled_prop)
    assert dict(mpl.rcParams) == before


def test_input_is_not_modified(pooled_prop):
    copy = pooled_prop.copy()
    forest_plot(pooled_prop)
    pd.testing.assert_frame_equal(copy, pooled_prop)


def test_layout_check_catches_overlaps(pooled_prop):
    """Negative control: the geometry helpers do see a text over the plot and a collision."""
    fig = forest_plot(pooled_prop)
    ax = fig.axes[0]
    ax.text(0.5, 0.5, "inside the plot", transform=ax.transAxes)
    with pytest.raises(AssertionError, match="inside the plot"):
        _check_layout(fig)
    fig = forest_plot(pooled_prop)
    first = next(t for t in texts(fig) if t.get_gid() == "label-study")
    fig.text(*first.get_position(), "collides " + first.get_text(), transform=first.get_transform())
    with pytest.raises(AssertionError, match="collides"):
        _check_layout(fig)
