"""Risk-of-bias assessment files: validation messages, atomic writes, levels."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from evidence.appraisal.assessments import high_risk_studies, read_assessments, set_assessment
from evidence.appraisal.tools import TOOLS
from evidence.curation.errors import CurationError

ROOT = Path(__file__).resolve().parents[2]
HEADER = "study_id,tool,domain,judgement,support,assessor,date\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "risk_of_bias.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_the_example_assessments_are_valid_and_cover_the_pooled_studies():
    table = read_assessments(ROOT / "examples" / "sacral" / "risk_of_bias.csv")
    assert (table.groupby("study_id").domain.apply(lambda d: "overall" in set(d))).all()
    assert table.support.str.len().gt(10).all()  # every judgement carries its reason
    # every study assessed with the JBI checklist has all ten items, ROBINS-I all seven domains
    counts = table[table.domain != "overall"].groupby(["study_id", "tool"]).size()
    for (study, tool), n in counts.items():
        assert n == len(TOOLS[tool].domains), study


@pytest.mark.parametrize(
    "body, line, column, words",
    [
        ("s1,rob2,D9,low,why,a,\ns1,rob2,overall,low,why,a,\n", 2, "domain", "a RoB 2 domain: D1, D2, D3, D4, D5, overall"),
        ("s1,robins-i,D1,some concerns,why,a,\ns1,robins-i,overall,serious,why,a,\n", 2, "judgement",
         "one of ['low', 'moderate', 'serious', 'critical', 'no information']"),
        ("s1,rob3,D1,low,why,a,\n", 2, "tool", "one of ['jbi-case-series', 'minors', 'nos', 'rob2', 'robins-i']"),
        ("s1,minors,M1,3,why,a,\ns1,minors,overall,low,why,a,\n", 2, "judgement", "one of ['2', '1', '0']"),
        ("s1,rob2,D1,low,,a,\ns1,rob2,overall,low,why,a,\n", 2, "support", "the reason"),
        ("s1,rob2,D1,low,why,a,\ns1,rob2,D1,high,why,a,\ns1,rob2,overall,low,why,a,\n", 3, "domain", "also on line 2"),
        ("s1,rob2,D1,low,why,a,\n", 2, "domain", "an 'overall' row for study 's1'"),
        ("s1,rob2,D1,low,why,a,\ns1,robins-i,overall,low,why,a,\n", 3, "tool", "one tool per study"),
    ],
)
def test_invalid_assessments_name_file_line_and_column(tmp_path, body, line, column, words):
    path = write(tmp_path, body)
    with pytest.raises(CurationError) as err:
        read_assessments(path)
    text = str(err.value)
    assert f"{path}:{line}: column {column!r}" in text and words in text


def test_a_study_not_in_the_review_is_an_error(tmp_path):
    path = write(tmp_path, "ghost2020,rob2,overall,low,why,a,\n")
    with pytest.raises(CurationError, match=r"risk_of_bias.csv:2: column 'study_id': got 'ghost2020'; expected a study of this review"):
        read_assessments(path, studies=["tian2022", "cazzato2021"])


def test_levels_and_high_risk(tmp_path):
    path = write(tmp_path, "a,robins-i,D1,critical,x,r,\na,robins-i,overall,critical,x,r,\n"
                           "b,jbi-case-series,Q1,yes,x,r,\nb,jbi-case-series,overall,moderate,x,r,\n"
                           "c,rob2,overall,high,x,r,\nd,minors,M1,0,x,r,\nd,minors,overall,low,x,r,\n")
    table = read_assessments(path)
    assert dict(zip(table.study_id + "/" + table.domain, table.level)) == {
        "a/D1": "high", "a/overall": "high", "b/Q1": "low", "b/overall": "some", "c/overall": "high",
        "d/M1": "high", "d/overall": "low"}
    assert high_risk_studies(table) == {"a", "c"}


def test_set_writes_validated_rows_and_refuses_bad_ones(tmp_path):
    path = tmp_path / "risk_of_bias.csv"
    set_assessment(path, "s1", "rob2", "D1", "Some Concerns", "allocation concealment not described", "ann")
    set_assessment(path, "s1", "rob2", "overall", "some concerns", "D1", "ann")
    set_assessment(path, "s1", "rob2", "d1", "low", "concealed envelopes (methods)", "ben")  # replaces D1
    table = read_assessments(path)
    assert list(table.domain) == ["overall", "D1"] and table.set_index("domain").loc["D1", "assessor"] == "ben"
    before = path.read_bytes()
    with pytest.raises(CurationError, match="column 'judgement'"):
        set_assessment(path, "s1", "rob2", "D2", "serious", "why", "ann")  # not a RoB 2 word
    with pytest.raises(CurationError, match="column 'study_id'"):
        set_assessment(path, "x9", "rob2", "overall", "low", "why", "ann", studies=["s1"])
    assert path.read_bytes() == before


def test_cli_errors_exit_2_with_the_place(tmp_path):
    path = write(tmp_path, "s1,rob2,D1,maybe,why,a,\ns1,rob2,overall,low,why,a,\n")
    done = subprocess.run([sys.executable, "-m", "evidence", "rob", "validate", "--assessments", str(path)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert f"{path}:2: column 'judgement': got 'maybe'" in done.stderr and "Traceback" not in done.stderr
