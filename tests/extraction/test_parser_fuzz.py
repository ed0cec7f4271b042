"""Fuzzing the statistic parser (hypothesis): random text never raises, each parse is fast, and
every reading is consistent with itself and with the text it came from.

Text is drawn from the notation's own templates with random numbers (negative, zero, > 100,
reversed intervals), from its alphabet (digits, separators, brackets, ±, %, the words the parser
keys on) and from arbitrary unicode. Settings
are fixed (derandomised) so the suite is quick and reproducible.
"""

from __future__ import annotations

import math
import time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extraction.statistics import MAX_CELL, Reading, find_statistics, normalise, parse_cell

FUZZ = settings(derandomize=True, max_examples=400, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
PARSE_SECONDS = 0.05

TOKENS = [
    "0", "1", "7", "12", "23.5", "100", "150", "-3", ".5", "1,234", "0.0", "99.9", "250",
    " ", " ", "  ", "±", "+/-", "(", ")", "[", "]", "%", "/", "-", "–", "−", "—", ",", ";", ".", "·",
    " to ", " of ", " out of ", "IQR", "range", "95% CI", "CI", "SD", "SE", "SEM", "n", "a", "*", "†",
    "three", "twelve", "patients", "lesions", "mean", "median", "\u00a0", "\u2009", "x",
]
notation = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=14).map("".join)
number = st.one_of(st.integers(-50, 400).map(str), st.floats(-99, 999, allow_nan=False).map(lambda x: f"{x:.1f}"),
                   st.sampled_from(["0", "0.0", "100", "1,234", ".5", "−2", "250"]))
TEMPLATES = ["{a} ± {b}", "{a} ± {b} ({c}–{d})", "{a} ± {b} [{c}-{d}]", "{a} ({b})", "{a} ({b}%)", "{a} (SD {b})",
             "{a} (SE {b})", "{a}/{b}", "{a} of {b}", "{a}/{b} ({c}%)", "{a} out of {b} ({c}%)", "{a} ({b}/{c})",
             "{a} ({b}/{c}; {d}%)", "{a} ({b}-{c})", "{a} [{b} to {c}]", "{a} (IQR {b}-{c})", "{a} (range {b}, {c})",
             "{a} (95% CI {b} to {c})", "{a}, 95% CI {b}-{c}", "{a}%", "{a}"]
templated = st.builds(lambda t, a, b, c, d: t.format(a=a, b=b, c=c, d=d),
                      st.sampled_from(TEMPLATES), number, number, number, number)
any_text = st.one_of(templated, notation, st.text(max_size=60), st.text(alphabet="0123456789.,;:-–±()[]%/ ", max_size=40))
hints = st.sampled_from(["", "mean ± SD", "median (IQR)", "median (range)", "n (%)", "95% CI", "SE", "events"])

#: bounds every reading's fields obey, whatever the text (a field a reading cannot hold is no reading)
NON_NEGATIVE = ("sd", "se", "events", "total", "percent")


def _seconds(fn, *args) -> tuple[float, object]:
    """The fastest of up to three runs (a slow parse is slow every time; a busy machine is not)."""
    best, out = math.inf, None
    for _ in range(3):
        started = time.perf_counter()
        out = fn(*args)
        best = min(best, time.perf_counter() - started)
        if best < PARSE_SECONDS:
            break
    return best, out


def _timed(fn, *args) -> list[Reading]:
    seconds, out = _seconds(fn, *args)
    assert seconds < PARSE_SECONDS, (seconds, args)
    return out


def _check(reading: Reading, text: str) -> None:
    f = reading.fields
    assert f, reading
    assert all(isinstance(v, float) and math.isfinite(v) for v in f.values()), reading
    for name in NON_NEGATIVE:
        assert f.get(name, 0) >= 0, (name, reading)
    assert f.get("percent", 0) <= 100, reading
    if "total" in f:
        assert f["total"] > 0 and f["events"] <= f["total"], reading
    for lo, hi in (("q1", "q3"), ("min", "max"), ("ci_lower", "ci_upper")):
        if lo in f and hi in f:
            assert f[lo] <= f[hi], reading
    assert 0 <= reading.start <= reading.end <= len(text), reading
    norm = normalise(text)
    for name, (s, e) in reading.spans.items():  # each span prints the number its field holds
        assert reading.start <= s < e <= reading.end, (name, reading)
        if reading.kind == "count_words":
            continue
        assert math.isclose(float(norm[s:e].replace(",", "")), f[name], rel_tol=1e-12), (name, norm[s:e], reading)


@FUZZ
@given(text=any_text, hint=hints)
# failures the fuzzing found (each was read as printed, inconsistent with itself): pinned here
@example(text="0±‐1", hint="")  # a negative SD
@example(text="5 (-3)", hint="mean ± SD")  # a negative SD in brackets
@example(text="5 (SD -2)", hint="")
@example(text="12 (15/10)", hint="")  # more events than the total
@example(text="0 (0/0; 101%)", hint="")  # a zero total and a percentage over 100
@example(text="3/5 (250%)", hint="")
@example(text="2 ± 1 (5-3)", hint="")  # a reversed range after mean ± SD
def test_parse_cell_never_raises_is_fast_and_consistent(text, hint) -> None:
    readings = _timed(parse_cell, text, hint)
    assert isinstance(readings, list)
    if len(text) > MAX_CELL:
        assert readings == []
    for r in readings:
        _check(r, text)
    assert sum(not r.alternative for r in readings) <= 1  # one default reading at most


@FUZZ
@given(parts=st.lists(any_text, min_size=1, max_size=12), hint=hints)
def test_find_statistics_never_raises_is_fast_and_consistent(parts, hint) -> None:
    text = " ".join(parts)
    readings = _timed(find_statistics, text, 0, None, hint)
    for r in readings:
        _check(r, text)
    starts = [r.start for r in readings]
    assert starts == sorted(starts)  # left to right, one scan
    assert all(a.end <= b.start for a, b in zip(readings, readings[1:]))  # never overlapping


@settings(derandomize=True, max_examples=60, deadline=None, database=None)
@given(unit=notation, repeat=st.integers(50, 400))
def test_long_text_is_read_in_bounded_time(unit, repeat) -> None:
    """A page of repeated notation: linear patterns, no backtracking blow-up (about 2-20 kB)."""
    text = (unit + " ") * repeat
    seconds = _seconds(lambda: (find_statistics(text), parse_cell(text)))[0]
    assert seconds < PARSE_SECONDS * max(1, len(text) / 1000), (seconds, len(text))


@FUZZ
@given(events=st.integers(0, 10_000), extra=st.integers(0, 10_000), decimals=st.integers(0, 2),
       style=st.sampled_from(["{e}/{t}", "{e} of {t}", "{e}/{t} ({p}%)", "{e} out of {t} ({p}%)", "{e} ({p}%)"]))
def test_printed_counts_are_read_back_exactly(events, extra, decimals, style) -> None:
    """Round trip: a count printed in a standard notation is read as the numbers printed."""
    total = events + extra
    if total == 0:
        return
    percent = round(100 * events / total, decimals)
    text = style.format(e=events, t=total, p=f"{percent:.{decimals}f}")
    readings = parse_cell(text, "n (%)")
    assert readings, text
    f = readings[0].fields
    assert f["events"] == events
    assert f.get("total", total) == total
    assert math.isclose(f.get("percent", percent), percent, abs_tol=1e-9)
