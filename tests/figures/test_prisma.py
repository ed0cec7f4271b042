"""PRISMA 2020 counts from studies.tsv and the flow diagram."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from figtest_geometry import text_strings

from figures import prisma_counts_from_studies, prisma_flow
from figures.prisma import check_counts


@pytest.fixture
def studies() -> pd.DataFrame:
    rows = [("s%d" % i, "primary", "included", "", "") for i in range(8)]
    rows += [
        ("rev1", "review", "excluded", "narrative review", ""),
        ("oth1", "other", "excluded", "", ""),
        ("p1", "primary", "excluded", "no sacral outcome reported", ""),
        ("p2", "primary", "excluded", "PDF unreadable", ""),
        ("s1_abstract", "abstract", "included", "", "s1"),
        ("m1", "abstract", "included", "", ""),
    ]
    return pd.DataFrame(rows, columns=["study_id", "document_type", "decision", "reason", "duplicate_of"])


def test_counts_add_up(studies):
    c = prisma_counts_from_studies(studies, ["m1", "m2", "m3"])
    assert c["records_identified"] == {"PDF folder": 13, "manual entries": 3}
    assert c["duplicates_removed"] == 1
    assert c["records_screened"] == 15
    assert c["records_excluded"] == {"narrative review": 1, "other (no reason given)": 1}
    assert c["reports_not_retrieved"] == 1
    assert c["reports_excluded"] == {"no sacral outcome reported": 1}
    assert c["reports_included"] == 11 and c["studies_included"] == 11
    assert check_counts(c) == []
    json.dumps(c)  # serialisable


def test_flow_diagram_shows_the_counts(studies):
    c = prisma_counts_from_studies(studies, ["m1"])
    printed = text_strings(prisma_flow(c))
    assert f"Records screened (n = {c['records_screened']})" in printed
    assert any("Studies included in review (n = 9)" in s for s in printed)
    assert any("no sacral outcome reported (n = 1)" in s for s in printed)
    for phase in ("Identification", "Screening", "Included"):
        assert phase in printed


def test_inconsistent_counts_warn(studies):
    c = prisma_counts_from_studies(studies, [])
    c["records_screened"] += 1
    with pytest.warns(UserWarning, match="do not add up"):
        prisma_flow(c)


def test_missing_column_and_bad_decision(studies):
    with pytest.raises(ValueError, match="studies.tsv: missing column 'duplicate_of'"):
        prisma_counts_from_studies(studies.drop(columns="duplicate_of"), [])
    with pytest.raises(ValueError, match="decision 'maybe'"):
        prisma_counts_from_studies(studies.assign(decision="maybe"), [])
