"""Time points as printed in the example papers map to stable keys and days."""

from __future__ import annotations

import pytest

from evidence.vocabulary import DAYS_PER, timepoint_key


@pytest.mark.parametrize(
    ("label", "key", "days"),
    [
        ("baseline", "baseline", 0.0),
        ("before the procedure", "baseline", 0.0),
        ("on day 1 after the procedure", "d1", 1.0),  # Tian 2022, Results
        ("1 month", "m1", DAYS_PER["m"]),
        ("3 weeks", "w3", 21.0),
        ("2-4 weeks", "w3", 21.0),  # a range gives its midpoint
        ("1 year", "m12", 365.25),
        ("peri-procedural", "procedural", None),
        ("last follow-up (mean 31±21 months)", "last", 31 * DAYS_PER["m"]),  # Cazzato 2021
        ("median follow-up 6.5 months", "last", 6.5 * DAYS_PER["m"]),
        ("after the procedure (time point not specified in abstract)", "post", None),
        ("not stated", "unknown", None),
    ],
)
def test_timepoint_key(label: str, key: str, days: float | None) -> None:
    got_key, got_days = timepoint_key(label)
    assert got_key == key
    assert got_days == pytest.approx(days) if days is not None else got_days is None


def test_unrecognised_label_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="'soon' not recognised"):
        timepoint_key("soon")
