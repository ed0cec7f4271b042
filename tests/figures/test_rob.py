"""Risk-of-bias figures: one disc per judgement, bars as the shares counted from the file."""

from __future__ import annotations

import io

import pandas as pd

from evidence.appraisal.assessments import read_assessments
from figures.io import save_figure
from figures.rob import summary_plot, traffic_light_plot

BODY = ("study_id,tool,domain,judgement,support,assessor,date\n"
        "a,rob2,D1,low,x,r,\na,rob2,D2,high,x,r,\na,rob2,overall,high,x,r,\n"
        "b,rob2,D1,some concerns,x,r,\nb,rob2,D2,low,x,r,\nb,rob2,overall,some concerns,x,r,\n"
        "c,jbi-case-series,Q1,yes,x,r,\nc,jbi-case-series,overall,low,x,r,\n")


def svg_of(fig) -> str:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        path = save_figure(fig, Path(d) / "f", formats=["svg"])[0]
        return path.read_text()


def test_traffic_light_has_one_disc_per_judgement(tmp_path):
    path = tmp_path / "rob.csv"
    path.write_text(BODY)
    table = read_assessments(path)
    svg = svg_of(traffic_light_plot(table, title="RoB"))
    for level in ("low", "some", "high"):
        assert svg.count(f'id="judgement-{level}') == int((table.level == level).sum()), level


def test_summary_bars_are_the_shares_per_domain(tmp_path):
    path = tmp_path / "rob.csv"
    path.write_text(BODY)
    fig = summary_plot(read_assessments(path))
    ax = fig.axes[0]
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    # RoB 2 D1: low 50 / some 50; D2: high 50 / low 50; overall: high 50 / some 50; JBI Q1 and overall: low 100
    assert widths == sorted([50.0] * 6 + [100.0, 100.0])
