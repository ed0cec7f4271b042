"""The bad inputs of issue 15, through ``srtk run`` (checked before Snakemake starts): each message
names the user's file, the place, what was found and what is expected; no traceback, no schema
dump, no path inside the toolkit. CSV encodings and delimiters: tests/curation/test_csv_input.py."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml


@pytest.fixture
def review(tmp_path: Path, srtk) -> Path:
    srtk("init", str(tmp_path / "rv"))
    return tmp_path / "rv"


def _config(folder: Path) -> dict:
    return yaml.safe_load((folder / "config.yaml").read_text())


def _write(folder: Path, config: dict) -> None:
    (folder / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


def _refused(srtk, folder: Path) -> str:
    done = srtk("run", str(folder), "--cores", "1", "--dry-run", check=False)
    message = done.stderr
    assert done.returncode == 2, done.stdout + message
    assert "Traceback" not in message and "common.smk" not in message and ".smk" not in message
    assert len(message.splitlines()) <= 6, message  # one message, not a page of schema
    assert not (folder / "results" / ".snakemake").exists()  # refused before Snakemake started
    return message


def test_a_misspelt_top_level_key_is_an_error_with_the_closest_key(review, srtk) -> None:
    config = _config(review)
    config["model"] = {"method": "DL"}  # meant: models
    _write(review, config)
    message = _refused(srtk, review)
    assert f"{review / 'config.yaml'}" in message
    assert "unknown config key 'model'" in message and "did you mean 'models'" in message


def test_a_wrong_type_names_the_key_and_what_is_expected(review, srtk) -> None:
    config = _config(review)
    config.setdefault("plots", {})["forest_max_rows"] = "many"
    _write(review, config)
    message = _refused(srtk, review)
    assert f"{review / 'config.yaml'}" in message and "plots.forest_max_rows" in message and "'many'" in message


def test_a_configured_corrections_file_that_does_not_exist_is_an_error_even_after_a_run(review, srtk) -> None:
    results = review / "results" / "tables"
    results.mkdir(parents=True)  # tables of an earlier run must not stand in for the missing file
    (results / "outcomes.tsv").write_text("study_id\n")
    config = _config(review)
    config["review"]["corrections"] = "curation/corrections_v2.csv"
    _write(review, config)
    message = _refused(srtk, review)
    assert "review.corrections" in message and str(review / "curation" / "corrections_v2.csv") in message
    assert "not found" in message


def test_a_ragged_row_names_file_line_and_the_count_found_and_expected(review, srtk) -> None:
    path = review / "corrections.csv"
    text = path.read_text()
    fields = len(text.splitlines()[0].split(","))
    line = len(text.splitlines()) + 1
    path.write_text(text + "example2020,all,pain,m6\n")
    message = _refused(srtk, review)
    assert f"{path}:{line}: {fields} comma-separated fields as in the header; this record has 4" in message


def test_a_bad_value_names_file_line_column_value_and_what_is_expected(review, srtk) -> None:
    path = review / "manual_entries.csv"
    text = path.read_text().replace(",3.1,", ",abc,", 1)
    path.write_text(text)
    message = _refused(srtk, review)
    assert f"{path}:2: column 'value': got 'abc'; expected a number" in message


def test_the_same_review_without_the_bad_input_runs_dry(review, srtk, tmp_path) -> None:
    """Control: the same review without the bad input passes the checks (the refusals are specific)."""
    copy = tmp_path / "copy"
    shutil.copytree(review, copy)
    done = srtk("run", str(copy), "--cores", "1", "--dry-run", check=False)
    assert done.returncode == 0, done.stderr
