"""A review without PDFs (no ``pdfs/`` folder, or an empty one) runs, and PRISMA counts only its
manual records: no phantom document."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

pytestmark = [pytest.mark.workflow, pytest.mark.slow]


def add_studies(review: Path) -> None:
    """Two more abstracts beside the example row ``srtk init`` wrote: one included, one whose every
    value is excluded (an overlapping cohort)."""
    path = review / "manual_entries.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        columns, (template,) = reader.fieldnames, list(reader)
    rows = [template, {**template, "field": "sd", "value": "1.4"}]
    for study, include, value in (("second2021", "yes", "2.4"), ("third2022", "no", "2.9")):
        for field, v in (("mean", value), ("sd", "1.5")):
            rows.append({**template, "study_id": study, "year": study[-4:], "field": field, "value": v,
                         "include": include,
                         "exclusion_reason": "" if include == "yes" else "overlaps second2021"})
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("pdfs", ["absent", "empty"])
def test_abstract_only_review_runs_with_correct_prisma_counts(tmp_path: Path, srtk, run_review, pdfs: str) -> None:
    review = tmp_path / "abstracts"
    srtk("init", str(review), "--title", "Abstracts only")
    add_studies(review)
    if pdfs == "absent":
        shutil.rmtree(review / "pdfs")
    else:
        assert not list((review / "pdfs").iterdir())
    run_review(review)
    out = review / "results"
    counts = json.loads((out / "figures" / "prisma_counts.json").read_text())
    assert counts["records_identified"] == {"PDF folder": 0, "manual entries": 3}
    assert counts["reports_not_retrieved"] == 0
    assert counts["studies_included"] == 2
    assert sum(counts["records_excluded"].values()) + sum(counts["reports_excluded"].values()) == 1
    extracted = (out / "tables" / "extracted" / "studies.tsv").read_text().splitlines()
    assert len(extracted) == 1  # the header only
    problems = (out / "tables" / "extracted" / "problems.tsv").read_text().splitlines()
    assert len(problems) == 1
    pooled = list(csv.DictReader((out / "pooled" / "pain_last.tsv").open(), delimiter="\t"))
    assert sorted(r["study_id"] for r in pooled if r["row_type"] == "study") == ["example2020", "second2021"]
