"""The ``curate`` commands, as the workflow and curators call them."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import yaml
from openpyxl import load_workbook

from curation_helpers import correction, manual_row
from evidence import cli_curate
from evidence.curation.schemas import SCHEMAS, schema_yaml

ROOT = Path(__file__).resolve().parents[2]


def run(*argv: str) -> int:
    """What ``python -m evidence curate ...`` does, with only this command group loaded."""
    parser = argparse.ArgumentParser(prog="python -m evidence")
    cli_curate.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["curate", *argv])
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def test_build_validate_set_and_stale_exit_codes(extracted, corrections_file, manual_file, tmp_path, capsys):
    corrections = corrections_file([correction()])
    manual = manual_file([manual_row()])
    assert run("validate", "--corrections", str(corrections), "--manual", str(manual)) == 0
    assert run("validate", "--corrections", str(corrections), "--manual", str(manual), "--extracted", str(extracted)) == 0
    assert run("set", "tian2022", "psp_rfa", "pain", "m1", "mean", "2.7", "--reason", "table 2", "--curator", "ben",
               "--corrections", str(corrections), "--extracted", str(extracted), "--date", "2026-11-23") == 0
    assert "'2.5' -> '2.7'" in capsys.readouterr().out
    out = tmp_path / "curated"
    assert run("build", "--extracted", str(extracted), "--corrections", str(corrections), "--manual", str(manual),
               "--out", str(out)) == 0
    assert "2 corrections applied, 0 stale" in capsys.readouterr().out
    assert (out / "outcomes.tsv").exists()
    # bad value: exit 2 with the place
    assert run("set", "tian2022", "psp_rfa", "pain", "m1", "mean", "14", "--reason", "x", "--curator", "ben",
               "--corrections", str(corrections), "--extracted", str(extracted)) == 2
    assert "expected a pain value in [0, 10] on scale VAS10" in capsys.readouterr().err
    # stale: error by default, reported with --on-stale report
    stale = corrections_file([correction(old="9")], name="stale.csv")
    assert run("build", "--extracted", str(extracted), "--corrections", str(stale), "--manual", str(manual),
               "--out", str(tmp_path / "s")) == 2
    assert "stale.csv:2: cazzato2021/all/pain/last/mean: the value changed" in capsys.readouterr().err
    assert run("build", "--extracted", str(extracted), "--corrections", str(stale), "--manual", str(manual),
               "--out", str(tmp_path / "s"), "--on-stale", "report") == 0
    assert "stale (not applied): " in capsys.readouterr().err


def test_export_import_compare_adjudicate(extracted, corrections_file, tmp_path, capsys):
    corrections = corrections_file([correction()])
    assert run("build", "--extracted", str(extracted), "--corrections", str(corrections), "--manual",
               str(tmp_path / "none.csv"), "--out", str(tmp_path / "c")) == 2  # a missing file is named
    assert "none.csv" in capsys.readouterr().err
    empty = tmp_path / "manual.csv"
    empty.write_text(",".join(manual_row()) + "\n")
    assert run("build", "--extracted", str(extracted), "--corrections", str(corrections), "--manual", str(empty),
               "--out", str(tmp_path / "c")) == 0
    xlsx = tmp_path / "review.xlsx"
    assert run("export", "--xlsx", "--out", str(xlsx), "--curated", str(tmp_path / "c")) == 0
    book = load_workbook(xlsx)
    sheet = book["outcomes"]
    sheet.cell(row=2, column=8).value = 6
    sheet.cell(row=2, column=9).value = "re-read"
    book.save(xlsx)
    assert run("import", str(xlsx), "--corrections", str(corrections), "--curator", "ben", "--dry-run") == 0
    assert "would append 1 correction(s)" in capsys.readouterr().out
    assert run("import", str(xlsx), "--corrections", str(corrections), "--curator", "ben") == 0
    assert corrections.read_text().count("\n") == 3
    other = corrections_file([correction(new="4")], name="other.csv")
    assert run("compare", str(corrections), str(other), "--out", str(tmp_path / "d.tsv"), "--extracted", str(extracted)) == 0
    assert "2 disagreement(s)" in capsys.readouterr().out
    assert run("adjudicate", "--disagreements", str(tmp_path / "d.tsv"), "--out", str(tmp_path / "adj.csv")) == 2
    assert "expected a, b or custom" in capsys.readouterr().err


def test_schema_files_match_the_code():
    for name in SCHEMAS:
        path = ROOT / "workflow" / "schemas" / f"{name}.schema.yaml"
        assert path.read_text() == schema_yaml(name), f"regenerate with `python -m evidence curate schemas`"
        assert yaml.safe_load(path.read_text())["$schema"].endswith("2020-12/schema")


def test_python_m_evidence_entry_point(extracted, corrections_file, tmp_path):
    corrections = corrections_file([correction(new="14", scale="NRS")])
    result = subprocess.run([sys.executable, "-m", "evidence", "curate", "validate", "--corrections", str(corrections)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "corrections.csv:2: column 'new_value': got '14'; expected a pain value in [0, 10] on scale NRS" in result.stderr
