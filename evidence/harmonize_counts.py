"""Events over totals for one reported count: the denominator, the printed percentage, the policy.

``resolve_counts`` decides the events and the total of one count outcome value and says how:

* the total is the value's own ``total``, else the arm's size in the value's unit
  (``n_patients`` or ``n_lesions``);
* when events are printed with a percentage and the total comes from the arm, the denominator
  whose events/total rounds to the printed percentage is chosen (an arm with 50 patients and 54
  lesions: "6 (11 %)" is 6/54, not 6/50 = 12 %);
* a percentage without a count becomes events only under ``events_from_percent =
  "when_total_printed"`` and only when the rounding is consistent;
* every disagreement between a printed percentage and events/total beyond rounding is a QA item
  naming both candidate denominators.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from evidence.conversions import events_from_percent, percent_consistent, printed_decimals

EVENTS_FROM_PERCENT: tuple[str, ...] = ("never", "when_total_printed")
"""Values of ``harmonize.events_from_percent``."""


@dataclass
class Counts:
    """Events over a total, the unit that total counts, how, and why it is not analysable."""

    events: float | None
    total: float | None
    unit: str
    method: str = ""
    reason: str = ""
    qa: list[dict[str, Any]] = field(default_factory=list)


def _pct(events: float | None, total: float | None) -> float | None:
    if events is None or not total:
        return None
    return round(100 * events / total, 4)


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _qa(issue: str, events: float | None, printed: str, total: float | None,
        sizes: dict[str, float | None], chosen: str, why: str) -> dict[str, Any]:
    """The percentage part of a QA row: both candidate denominators with the percent each gives."""
    return {
        "issue": issue, "field": "percent", "value": printed, "events": events, "percent": printed,
        "total": total, "percent_of_total": _pct(events, total),
        "n_patients": sizes.get("patients"), "percent_of_n_patients": _pct(events, sizes.get("patients")),
        "n_lesions": sizes.get("lesions"), "percent_of_n_lesions": _pct(events, sizes.get("lesions")),
        "chosen": chosen, "why": why,
    }


def _size_column(unit: str) -> str:
    return "lesions" if unit == "lesions" else "patients"


def resolve_counts(values: dict[str, float], texts: dict[str, str], unit: str,
                   sizes: dict[str, float | None], policy: str = "never") -> Counts:
    """Events and total of one reported count value (see the module docstring).

    ``values``/``texts``: the fields as numbers and as printed; ``unit``: what they count
    (empty = patients); ``sizes``: the arm's ``{"patients": n, "lesions": n}``; ``policy``: one of
    :data:`EVENTS_FROM_PERCENT`.
    """
    if policy not in EVENTS_FROM_PERCENT:
        raise ValueError(f"harmonize.events_from_percent {policy!r}; expected one of {list(EVENTS_FROM_PERCENT)}")
    unit = unit or "patients"
    events, percent = values.get("events"), values.get("percent")
    printed = texts.get("percent", "" if percent is None else f"{percent:g}")
    decimals = printed_decimals(printed) if percent is not None else 0
    reported = values.get("total")
    own = sizes.get(_size_column(unit))
    total = reported if reported is not None else own
    chosen = "total" if reported is not None else f"n_{_size_column(unit)}"
    method = "reported" if reported is not None else f"total = arm n ({unit})"
    if events is None:
        if percent is None:
            return Counts(None, total, unit, reason="no event count")
        if policy == "never":
            return Counts(None, total, unit,
                          reason="percentage without a count (harmonize.events_from_percent: never)")
        if total is None or total <= 0:
            return Counts(None, total, unit, reason="percentage without a count or a denominator")
        back = events_from_percent(percent, total, decimals)
        if back is None:
            why = (f"no whole number of events out of {total:g} rounds to the printed {printed} % "
                   f"at {decimals} decimal(s)")
            return Counts(None, total, unit, reason=f"percentage not back-calculated: {why}",
                          qa=[_qa("percent_not_back_calculated", None, printed, reported, sizes, "none", why)])
        how = "" if reported is not None else f" ({method})"
        return Counts(float(back), total, unit,
                      method=f"events = round({printed} % x {total:g}) = {back}{how}, rounding consistent")
    if percent is None or total is None or percent_consistent(events, total, percent, decimals):
        return Counts(events, total, unit, method=method)
    # the printed percentage disagrees with events / total beyond rounding
    given = f"{events:g}/{total:g} = {100 * events / total:.{decimals + 1}f} %"
    if reported is None:
        for other in ("patients", "lesions"):
            n = sizes.get(other)
            if other == _size_column(unit) or n is None or not n > 0:
                continue
            if events <= n and percent_consistent(events, n, percent, decimals):
                why = (f"the printed {printed} % matches {events:g}/{n:g} = {100 * events / n:.{decimals + 1}f} % "
                       f"(arm n_{other}), not {given} (arm n_{_size_column(unit)})")
                return Counts(events, n, other, method=f"total = arm n ({other}), chosen by the printed percentage",
                              qa=[_qa("denominator_chosen_by_percent", events, printed, reported, sizes,
                                      f"n_{other}", why)])
    why = (f"the printed {printed} % disagrees with {given} by more than rounding; {chosen} kept "
           "(check the source)")
    return Counts(events, total, unit, method=method + "; printed percentage disagrees",
                  qa=[_qa("percent_disagrees", events, printed, reported, sizes, chosen, why)])


def finite(x: Any) -> float | None:
    """``x`` as a finite float, or None."""
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None
