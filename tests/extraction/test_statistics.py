"""The shared statistic parser: notation examples written from the annotation guide's field list,
round trips of generated notation, and fuzzing (no exception, bounded time, spans on the numbers)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extraction.statistics import MAX_CELL, find_statistics, normalise, parse_cell


def first(cell: str, hint: str = "") -> tuple[str, dict[str, float]]:
    rs = parse_cell(cell, hint)
    assert rs, f"no reading of {cell!r}"
    return rs[0].kind, rs[0].fields


@pytest.mark.parametrize(
    "cell, hint, kind, fields",
    [
        ("58.2 ± 11.4", "", "mean_sd", {"mean": 58.2, "sd": 11.4}),
        ("58.2 \u00b1 11.4 (31\u201390)", "", "mean_sd_range", {"mean": 58.2, "sd": 11.4, "min": 31, "max": 90}),
        ("7.43 (1.56)", "Mean (SD)", "mean_sd", {"mean": 7.43, "sd": 1.56}),
        ("\u22120.8 (1.1)", "mean (SD)", "mean_sd", {"mean": -0.8, "sd": 1.1}),
        ("61 [52\u201370]", "median [IQR]", "median_iqr", {"median": 61, "q1": 52, "q3": 70}),
        ("61 (IQR 52\u201370)", "", "median_iqr", {"median": 61, "q1": 52, "q3": 70}),
        ("66 (45-83)", "Median (range) age (years)", "median_range", {"median": 66, "min": 45, "max": 83}),
        ("3.2 (2.1 to 4.4)", "Mean (95% CI)", "mean_ci", {"mean": 3.2, "ci_lower": 2.1, "ci_upper": 4.4}),
        ("\u22121\u00b72 (\u22123\u00b74 to 0\u00b75)", "mean (95% CI)", "mean_ci", {"mean": -1.2, "ci_lower": -3.4, "ci_upper": 0.5}),
        ("12 (34%)", "", "count_pct", {"events": 12, "percent": 34}),
        ("12 (34.3)", "n (%)", "count_pct", {"events": 12, "percent": 34.3}),
        ("12 (34.3)\u2020", "n (%)", "count_pct", {"events": 12, "percent": 34.3}),
        ("12 (34.3)a", "n (%)", "count_pct", {"events": 12, "percent": 34.3}),
        ("12/35 (34.3%)", "", "count_total_pct", {"events": 12, "total": 35, "percent": 34.3}),
        ("12/35", "", "count_total", {"events": 12, "total": 35}),
        ("12 of 35", "", "count_total", {"events": 12, "total": 35}),
        ("12 out of 35 (34%)", "", "count_total_pct", {"events": 12, "total": 35, "percent": 34}),
        ("2 (3/45; 6.7%)", "", "count_total_pct", {"events": 3, "total": 45, "percent": 6.7}),
        ("34%", "", "percent", {"percent": 34}),
        ("1,204", "", "value", {"value": 1204}),
    ],
)
def test_notation(cell: str, hint: str, kind: str, fields: dict[str, float]) -> None:
    got_kind, got = first(cell, hint)
    assert got_kind == kind
    assert got == pytest.approx(fields)


def test_hint_decides_an_interval_and_the_others_stay_alternatives() -> None:
    kinds = [r.kind for r in parse_cell("61 (52-70)", "median (IQR)")]
    assert kinds[0] == "median_iqr" and set(kinds) == {"median_iqr", "median_range", "mean_ci"}
    assert [r.alternative for r in parse_cell("61 (52-70)", "")] == [False, True, True]


@pytest.mark.parametrize("cell", ["", "p < 0.001", "NS", "Table 2", "12 (34) 15 (40)", "-", "x" * (MAX_CELL + 1), "5 (7-3)", "40/12"])
def test_not_a_statistic(cell: str) -> None:
    assert parse_cell(cell) == []


def test_prose_statistics_with_ci_and_number_words() -> None:
    s = ("Bleeding occurred in 4/52 (7.7%) patients and three patients died; mean age was 64.2 \u00b1 8.1 years; "
         "the success rate was 63% (95% CI 51% to 73%) and the median stay 5 days (IQR 3\u20138).")
    got = [(r.kind, r.fields) for r in find_statistics(s)]
    assert ("count_total_pct", {"events": 4, "total": 52, "percent": 7.7}) in got
    assert ("count_words", {"events": 3}) in got
    assert ("mean_sd", {"mean": 64.2, "sd": 8.1}) in got
    assert ("percent", {"percent": 63, "ci_lower": 51, "ci_upper": 73}) in got


def test_spans_point_at_the_numbers() -> None:
    s = "In all, 21/73 (29%) needed a second operation."
    (r,) = [r for r in find_statistics(s) if r.kind == "count_total_pct"]
    assert {k: s[a:b] for k, (a, b) in r.spans.items()} == {"events": "21", "total": "73", "percent": "29"}


def test_normalise_keeps_offsets() -> None:
    s = "\u22121\u00b72 \u2013 3\u20444\u00a0%"
    assert len(normalise(s)) == len(s)


_num = st.floats(min_value=-999, max_value=999, allow_nan=False).map(lambda x: round(x, 2))
_minus = st.sampled_from(["-", "\u2212"])
_dash = st.sampled_from(["-", "\u2013", "\u2014", " to "])


def _fmt(x: float, minus: str) -> str:
    return (minus if x < 0 else "") + f"{abs(x):g}"


@settings(max_examples=200, deadline=None)
@given(_num, st.floats(min_value=0, max_value=99, allow_nan=False).map(lambda x: round(x, 1)), _minus, st.sampled_from(["\u00b1", "+/-"]))
def test_round_trip_mean_sd(m: float, sd: float, minus: str, pm: str) -> None:
    kind, f = first(f"{_fmt(m, minus)} {pm} {sd:g}")
    assert kind == "mean_sd" and f == pytest.approx({"mean": m, "sd": sd})


@settings(max_examples=200, deadline=None)
@given(st.lists(_num, min_size=3, max_size=3).map(sorted), _minus, _dash, st.sampled_from(["median (IQR)", "median (range)", "mean (95% CI)"]))
def test_round_trip_intervals(v: list[float], minus: str, dash: str, hint: str) -> None:
    lo, mid, hi = v
    kind, f = first(f"{_fmt(mid, minus)} ({_fmt(lo, minus)}{dash}{_fmt(hi, minus)})", hint)
    assert kind == {"median (IQR)": "median_iqr", "median (range)": "median_range", "mean (95% CI)": "mean_ci"}[hint]
    assert sorted(f.values()) == pytest.approx(sorted([lo, mid, hi]))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 5000), st.integers(1, 5000))
def test_round_trip_counts(e: int, n: int) -> None:
    pct = round(100 * e / n, 1)
    rs = parse_cell(f"{e}/{n} ({pct}%)")
    if e > n:
        assert rs == []
    else:
        assert rs[0].fields == pytest.approx({"events": e, "total": n, "percent": pct})


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,()[]%±-\u2212\u2013 /;:abnCIofto")), max_size=400))
def test_fuzz_bounded_and_well_formed(text: str) -> None:
    t0 = time.perf_counter()
    for r in parse_cell(text[:MAX_CELL]) + find_statistics(text):
        assert 0 <= r.start <= r.end <= len(text)
        for name, (a, b) in r.spans.items():
            assert r.start <= a < b <= r.end, (name, text)
    assert time.perf_counter() - t0 < 0.5
