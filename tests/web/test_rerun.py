"""An edit made on the curation page is picked up by the workflow's next run: Snakemake plans no
extraction job, re-runs curation and what follows, and the curated tables show the edit."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from evidence.curation.web.state import ReviewState
from evidence.review import load_review

pytestmark = [pytest.mark.workflow, pytest.mark.slow]


def planned(dry_run_output: str) -> list[str]:
    """The rule of every job a ``srtk run --dry-run`` lists (one ``rule NAME:`` block per job)."""
    return re.findall(r"^(?:local)?rule (\w+):$", dry_run_output, flags=re.M)


def tsv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_an_edit_on_the_page_reruns_curation_and_never_extraction(client, review, helpers, number_word):
    helpers.run_review(review, "harmonized/effects.tsv")  # the review is up to date as far as harmonize
    assert planned(helpers.run_review(review, "harmonized/effects.tsv", "--dry-run").stdout) == []
    effects_before = (review / "results/harmonized/effects.tsv").stat().st_mtime_ns
    state = ReviewState(load_review(review))
    # an outcome value corrected with a reason, and an arm count the extractor missed captured on the page
    value = next(v for v in state.values("tian2022") if v.status == "extracted" and v.key[4] == "mean" and not v.ordinal)
    edited = f"{float(value.value) + 0.5:g}"
    form = {"arm": value.key[1], "outcome": value.key[2], "timepoint": value.key[3], "field": value.key[4],
            "sel": value.id, "action": "edit", "version": state.version, "value": edited, "reason": "table 2"}
    assert client.post("/study/tian2022/set", data=form).status_code == 303
    study, missing = next((s, v) for s in state.studies.values() for v in s.values
                          if v.status == "missing" and v.key[2] == "arm" and state.pdf(s))
    page, word, _, _ = number_word(state.pdf(study))
    form = {"arm": missing.key[1], "outcome": "arm", "field": missing.key[4], "sel": missing.id, "action": "edit",
            "version": ReviewState(load_review(review)).version, "value": word["text"], "reason": "methods",
            "page": str(page), "excerpt": word["text"], **{c: str(word[c]) for c in ("x0", "top", "x1", "bottom")}}
    assert client.post(f"/study/{study.id}/set", data=form).status_code == 303

    jobs = planned(helpers.run_review(review, "--dry-run").stdout)  # the next full run, as planned
    assert jobs.count("extract_pdf") == 0 and "merge_extracted" not in jobs
    assert {"curate_tables", "harmonize"} <= set(jobs)
    assert planned(helpers.run_review(review, "harmonized/effects.tsv", "--dry-run").stdout) == [
        "curate_tables", "harmonize"]
    helpers.run_review(review, "harmonized/effects.tsv")
    assert (review / "results/harmonized/effects.tsv").stat().st_mtime_ns > effects_before
    tables = review / "results/tables"
    row = next(r for r in tsv(tables / "outcomes.tsv")
               if (r["study_id"], r["arm_id"], r["outcome"], r["timepoint"], r["field"]) == value.key)
    assert (row["value"], row["origin"], row["curator"], row["reason"]) == (edited, "corrected", "tester", "table 2")
    arm = next(a for a in tsv(tables / "arms.tsv") if (a["study_id"], a["arm_id"]) == missing.key[:2])
    assert (arm[missing.key[4]], arm["page"], arm["excerpt"], arm["region_field"]) == (
        word["text"], str(page), word["text"], missing.key[4])
    log = [(r["study_id"], r["field"], r["new_value"]) for r in tsv(tables / "curation_log.tsv")]
    assert ("tian2022", value.key[4], edited) in log and (study.id, missing.key[4], word["text"]) in log
