"""A review's config is the whole config: defaults from the schema, errors naming key and file."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from evidence.review import ReviewError, load_review

ROOT = Path(__file__).resolve().parents[2]


def write_review(folder: Path, config: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return folder


@pytest.fixture
def minimal(tmp_path: Path, srtk) -> tuple[Path, dict]:
    """A review written by ``srtk init`` and its config as a dict."""
    srtk("init", str(tmp_path / "rv"))
    folder = tmp_path / "rv"
    return folder, yaml.safe_load((folder / "config.yaml").read_text())


def test_init_writes_a_review_that_validates(minimal, srtk) -> None:
    folder, config = minimal
    review = load_review(folder)
    assert review.missing_inputs() == []
    for name in ("manual_entries.csv", "corrections.csv"):
        rows = list(csv.DictReader((folder / name).open()))
        assert len(rows) == 1, name
    # defaults of optional keys come from the schema, not from the bundled example
    assert review.config["models"] == {"method": "REML", "test": "knha", "level": 95}
    assert review.config["curation"] == {"on_stale": "error"}
    assert review.corrections == folder.resolve() / "corrections.csv"
    assert review.output == folder.resolve() / "results"
    assert "ablation" not in review.vocabulary.class_codes
    done = srtk("curate", "validate", str(folder))
    assert "ok:" in done.stdout
    # init never overwrites a review
    again = srtk("init", str(folder), check=False)
    assert again.returncode == 2 and "already exist" in again.stderr


@pytest.mark.parametrize("key", ["review.title", "vocabulary", "analyses", "vocabulary.outcomes",
                                 "analyses.pain_last.measure"])
def test_a_missing_required_key_is_an_error_naming_it(minimal, key: str) -> None:
    folder, config = minimal
    *parents, last = key.split(".")
    node = config
    for part in parents:
        node = node[part]
    del node[last]
    write_review(folder, config)
    with pytest.raises(ReviewError) as err:
        load_review(folder)
    assert f"missing required key '{key}'" in str(err.value)
    assert str(folder / "config.yaml") in str(err.value)


@pytest.mark.parametrize(("where", "typo", "expected"), [
    ((), "analysis", "analyses"),
    (("review",), "corections", "review.corrections"),
    (("analyses", "pain_last"), "mesure", "analyses.pain_last.measure"),
    (("vocabulary", "scales", 0), "maximum", "vocabulary.scales[0].max"),
])
def test_an_unknown_key_names_the_file_and_the_closest_valid_key(minimal, where, typo, expected) -> None:
    folder, config = minimal
    node = config
    for part in where:
        node = node[part]
    node[typo] = 1
    write_review(folder, config)
    with pytest.raises(ReviewError) as err:
        load_review(folder)
    message = str(err.value)
    assert str(folder / "config.yaml") in message and "unknown config key" in message
    assert f"did you mean '{expected}'" in message, message


def test_an_analysis_of_an_outcome_outside_the_vocabulary_is_an_error(minimal) -> None:
    folder, config = minimal
    config["analyses"]["pain_last"]["outcome"] = "cement_leakage"  # the example's, not this review's
    write_review(folder, config)
    with pytest.raises(ReviewError, match=r"analyses\.pain_last\.outcome: 'cement_leakage' is not an outcome"):
        load_review(folder)


def test_a_configured_input_that_does_not_exist_is_an_error_naming_it(minimal, srtk) -> None:
    folder, config = minimal
    config["review"]["corrections"] = "edits/corrections.csv"
    config["review"]["pdfs"] = "papers"
    write_review(folder, config)
    problems = load_review(folder).missing_inputs()
    assert any("review.corrections" in p and str(folder / "edits" / "corrections.csv") in p for p in problems)
    assert any("review.pdfs" in p and "papers" in p for p in problems)
    done = srtk("run", str(folder), "--dry-run", check=False)
    assert done.returncode == 2 and "edits/corrections.csv" in done.stderr and "review.pdfs" in done.stderr


def test_plain_snakemake_reports_a_missing_key_naming_it(minimal, tmp_path: Path) -> None:
    """``snakemake --configfile X`` reads the same contract as ``srtk run``."""
    folder, config = minimal
    del config["review"]["title"]
    write_review(folder, config)
    done = subprocess.run(
        [sys.executable, "-m", "snakemake", "--snakefile", str(ROOT / "Snakefile"), "--configfile",
         str(folder / "config.yaml"), "--directory", str(tmp_path / "out"), "--dry-run", "--cores", "1"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode != 0
    assert "missing required key 'review.title'" in done.stdout + done.stderr


def test_srtk_run_without_a_review_here_names_the_folder(tmp_path: Path, srtk) -> None:
    done = srtk("run", str(tmp_path / "nowhere"), check=False)
    assert done.returncode == 2 and "no review here" in done.stderr and "srtk init" in done.stderr
