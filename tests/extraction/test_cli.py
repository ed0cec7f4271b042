"""Command line contract: five TSVs + fingerprint.json per PDF; problems instead of tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from evidence.vocabulary import ARM_COLUMNS, OUTCOME_COLUMNS, STUDY_COLUMNS

from .conftest import EXAMPLES, ROOT

FILES = ("studies", "arms", "outcomes", "completeness", "problems")


def run(*args):
    return subprocess.run([sys.executable, "-m", "extraction", *map(str, args)], cwd=ROOT, capture_output=True, text=True)


def test_extract_bad_and_good(tmp_path, example_pdfs):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage")
    out = tmp_path / "one"
    p = run("extract", bad, "--out", out)
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    for f in FILES:
        assert (out / f"{f}.tsv").exists()
    probs = pd.read_csv(out / "problems.tsv", sep="\t")
    assert list(probs.columns) == ["source_file", "stage", "reason"]
    assert probs.loc[0, "source_file"] == "broken.pdf"
    fp = json.loads((out / "fingerprint.json").read_text())
    assert fp["source_file"] == "broken.pdf"

    out2 = tmp_path / "many"
    tian = EXAMPLES / "tian2022_sacroplasty_rfa_ajnr.pdf"
    p = run("extract", tian, bad, "--out", out2)
    assert p.returncode == 0, p.stderr
    st = pd.read_csv(out2 / "studies.tsv", sep="\t", dtype=str, keep_default_na=False)
    assert list(st.columns) == list(STUDY_COLUMNS)
    assert set(st["source_file"]) == {"tian2022_sacroplasty_rfa_ajnr.pdf", "broken.pdf"}
    assert list(pd.read_csv(out2 / "arms.tsv", sep="\t").columns) == list(ARM_COLUMNS)
    assert list(pd.read_csv(out2 / "outcomes.tsv", sep="\t").columns) == list(OUTCOME_COLUMNS)
    assert len(pd.read_csv(out2 / "problems.tsv", sep="\t")) == 1

    # merge of per-PDF dirs
    out3 = tmp_path / "merged"
    p = run("merge", out2 / "per_pdf" / "tian2022_sacroplasty_rfa_ajnr", out, "--out", out3)
    assert p.returncode == 0, p.stderr
    for f in FILES:
        assert (out3 / f"{f}.tsv").exists()
    comp = pd.read_csv(out3 / "completeness.tsv", sep="\t", dtype=str, keep_default_na=False)
    assert list(comp.columns) == ["study_id", "arm_id", "outcome", "field", "status", "note"]
    assert {"found", "missing"} >= set(comp["status"]) and (comp["study_id"] == "tian2022").all()


def test_debug_png(tmp_path, example_results):
    from extraction.cli import _write_result
    from extraction.debug import draw_values

    res = example_results["tian2022_sacroplasty_rfa_ajnr.pdf"]
    _write_result(res, tmp_path)
    pngs = draw_values(EXAMPLES / "tian2022_sacroplasty_rfa_ajnr.pdf", tmp_path / "outcomes.tsv", tmp_path / "png", pages=[5])
    assert len(pngs) == 1 and pngs[0].stat().st_size > 10000
