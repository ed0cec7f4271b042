"""User CSV files as Excel writes them: encodings and delimiters detected, or refused with the place.

Every message is checked through the user's entry point (``srtk curate validate`` / ``srtk run``,
which validates before Snakemake starts): file, line, column where relevant, what was found and
what is expected, and no traceback.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evidence.appraisal.assessments import read_assessments, set_assessment
from evidence.appraisal.grade import read_judgements
from evidence.curation import csvio
from evidence.curation.corrections import load_corrections
from evidence.curation.tables import read_csv_rows

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sacral"


def _srtk(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "evidence.srtk", *args], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture(scope="module")
def review(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("csv") / "rv"
    assert _srtk("init", str(folder)).returncode == 0
    return folder


def _records(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _as_csv(records: list[list[str]], delimiter: str = ",", end: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=end).writerows(records)
    return buffer.getvalue()


def _with_excerpt(review: Path, excerpt: str) -> list[list[str]]:
    records = _records(review / "manual_entries.csv")
    records[1][records[0].index("excerpt")] = excerpt
    return records


@pytest.fixture
def manual(review: Path):
    """Write bytes as the review's manual_entries.csv for one test; the original comes back after."""
    path = review / "manual_entries.csv"
    original = path.read_bytes()
    yield path
    path.write_bytes(original)


def _validate(review: Path) -> subprocess.CompletedProcess[str]:
    done = _srtk("curate", "validate", str(review))
    assert "Traceback" not in done.stderr
    return done


EXCERPT = "mean NRS 3.1 ± 1.2 (n = 20), Müller"


@pytest.mark.parametrize("encoding,bom,delimiter,end", [
    ("utf-8", False, ",", "\n"), ("utf-8", True, ",", "\r\n"), ("cp1252", False, ",", "\r\n"),
    ("utf-8", True, ";", "\r\n"), ("cp1252", False, ";", "\r\n"),
])
def test_excel_variants_are_read_as_the_same_rows(review, manual, encoding, bom, delimiter, end) -> None:
    text = _as_csv(_with_excerpt(review, EXCERPT), delimiter, end)
    manual.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    done = _validate(review)
    assert done.returncode == 0, done.stderr
    header, rows, problems = read_csv_rows(manual)
    assert not problems and header[:3] == ["study_id", "citation", "doi"]
    assert [r["excerpt"] for _, r in rows] == [EXCERPT]
    assert rows[0][1]["citation"].startswith("Example A, Sample B.")  # a quoted comma survives
    if encoding == "cp1252":  # the guess is said, with the place of the first non-UTF-8 byte
        line = text.split("\n")[1]
        col = line.index("±") + 1
        assert (f"manual_entries.csv: line 2: column 'excerpt': byte 0xb1 ('±', character {col}) is not UTF-8; "
                "read as Windows-1252") in done.stderr
    else:
        assert "note:" not in done.stderr


BAD = {
    "utf16": (lambda text: text.encode("utf-16"),
              [":1: a CSV file in UTF-8 or Windows-1252; found a UTF-16 byte-order mark"]),
    "xlsx": (lambda text: b"PK\x03\x04" + b"\x00" * 40,
             ["manual_entries.csv: a CSV text file; found a zip archive (an .xlsx workbook?)"]),
    "nul": (lambda text: text.encode("utf-16-le"), [":1: a CSV file in UTF-8 or Windows-1252; found NUL bytes"]),
    "neither": (lambda text: text.replace("3.1 ±", "3.1 \x81").encode("latin-1"),
                [":2: UTF-8 or Windows-1252 text; byte 0x81 (character ", ") is neither"]),
    "mixed": (lambda text: text.encode("utf-8") + text.split("\n")[1].replace("Müller", "M\xfcller").encode("cp1252") + b"\n",
              [":3: one encoding; byte 0xb1", "is not UTF-8 but line 2 has UTF-8 text '±'", "mixed encodings"]),
    "tab": (lambda text: _as_csv(list(csv.reader(io.StringIO(text))), "\t").encode(),
            [":1: a comma- or semicolon-separated header; found tab-separated columns"]),
    "both": (lambda text: text.replace(",", ";", 3).encode(),
             [":1: one delimiter in the header; found 23 comma(s) and 3 semicolon(s)"]),
    "ragged": (lambda text: _as_csv(list(csv.reader(io.StringIO(text))), ";").encode() + b"a;b;c\n",
               [":3: 27 semicolon-separated fields as in the header; this record has 3 "
                "(quote values that contain semicolons)"]),
    "decimal comma": (lambda text: _as_csv([r[:14] + ["3,1"] + r[15:] if i else r
                                            for i, r in enumerate(csv.reader(io.StringIO(text)))], ";").encode(),
                      [":2: column 'value': got '3,1'; expected a number for field 'mean' with a decimal point (3.1); "
                       "decimal commas are not guessed"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_files_are_refused_naming_file_line_and_what_was_found(review, manual, case) -> None:
    make, expected = BAD[case]
    text = _as_csv(_with_excerpt(review, EXCERPT))
    manual.write_bytes(make(text))
    done = _validate(review)
    assert done.returncode == 2
    message = done.stderr
    assert f"{manual}" in message
    for part in expected:
        assert part in message, (part, message)
    assert "required are" not in message  # no header noise after a refused file


def test_srtk_run_refuses_a_bad_file_before_snakemake_starts(review, manual) -> None:
    manual.write_bytes(_as_csv(_with_excerpt(review, EXCERPT)).encode("utf-16"))
    rob = review / "risk_of_bias.csv"
    rob.write_text("study_id\ttool\tdomain\tjudgement\tsupport\n", encoding="utf-8")
    try:
        done = _srtk("run", str(review), "--cores", "1", "--dry-run")
    finally:
        rob.unlink()
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{manual}:1: a CSV file in UTF-8 or Windows-1252; found a UTF-16 byte-order mark" in done.stderr
    assert f"{rob}:1: a comma- or semicolon-separated header; found tab-separated columns" in done.stderr
    assert not (review / "results" / ".snakemake").exists()  # Snakemake never started


def test_appending_a_correction_keeps_the_files_dialect(tmp_path) -> None:
    path = tmp_path / "corrections.csv"
    records = _records(EXAMPLE / "corrections.csv")[:3]
    records[1][records[0].index("reason")] = "Table 2: 3.1 ± 1.2"
    original = _as_csv(records, ";", "\r\n").encode("cp1252")
    path.write_bytes(original)
    study, arm, outcome, tp, field = records[1][:5]
    args = ["--vocabulary", str(EXAMPLE / "config.yaml"), "curate", "set", study, arm, outcome, tp, field,
            "7", "--corrections", str(path), "--curator", "bea", "--reason", "table 3 ± says 7",
            "--old-value", records[1][6], "--date", "2030-01-01"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "evidence", *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    data = path.read_bytes()
    assert data.startswith(original)  # kept as it was, byte for byte; the new row in the same dialect
    assert csvio.decode(str(path), data).dialect == csvio.Dialect("cp1252", False, ";", "\r\n")
    assert data.count(b"\r\n") == data.count(b"\n") == 4
    assert [c.reason for c in load_corrections(path)][-1] == "table 3 ± says 7"
    # a character Windows-1252 cannot hold: the whole file becomes UTF-8 with a BOM, values kept
    args[-4:] = ["--old-value", "7", "--date", "2030-01-02"]
    args[args.index("table 3 ± says 7")] = "≥ 7 in table 3"
    done = subprocess.run([sys.executable, "-m", "evidence", *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    data = path.read_bytes()
    assert data.startswith(csvio.BOM) and data[3:].decode("utf-8").startswith(original.decode("cp1252"))
    reasons = [c.reason for c in load_corrections(path)]
    assert reasons[0] == "Table 2: 3.1 ± 1.2" and reasons[-2:] == ["table 3 ± says 7", "≥ 7 in table 3"]


def test_risk_of_bias_and_grade_read_semicolons_and_windows_1252(tmp_path) -> None:
    for name, reader in (("risk_of_bias.csv", read_assessments), ("grade.csv", read_judgements)):
        records = _records(EXAMPLE / name)
        records[1][-3 if name == "risk_of_bias.csv" else -1] += " (± 1)"
        plain, excel = tmp_path / f"plain_{name}", tmp_path / f"excel_{name}"
        plain.write_text(_as_csv(records), encoding="utf-8")
        excel.write_bytes(_as_csv(records, ";", "\r\n").encode("cp1252"))
        a, b = reader(plain), reader(excel)
        assert a.drop(columns=[c for c in ("line",) if c in a]).equals(b.drop(columns=[c for c in ("line",) if c in b]))
        assert a.astype(str).apply(lambda col: col.str.contains("± 1").any()).any()
    # a judgement written into a semicolon file keeps it semicolon-separated
    excel = tmp_path / "excel_risk_of_bias.csv"
    row = read_assessments(excel).iloc[0]
    set_assessment(excel, row["study_id"], row["tool"], row["domain"], row["judgement"], "new support, with a comma",
                   "bea", when="2030-01-01")
    assert csvio.decode(str(excel), excel.read_bytes()).dialect.delimiter == ";"
    assert "new support, with a comma" in set(read_assessments(excel)["support"])


@pytest.mark.parametrize("name,data,found", [
    ("edits.csv", b"study_id,arm_id\nx,y\n", "found a CSV file"),
    ("edits.xlsx", b"not a zip", "found no xlsx workbook (File is not a zip file)"),
])
def test_import_refuses_what_is_no_workbook_naming_it(review, tmp_path, name, data, found) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    before = (review / "corrections.csv").read_bytes()
    done = _srtk("curate", "import", str(review), str(path), "--curator", "ana")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{path}: an .xlsx workbook written by `curate export`; {found}" in done.stderr
    assert (review / "corrections.csv").read_bytes() == before


def test_set_refuses_to_append_to_a_file_it_cannot_read_and_leaves_it_alone(review) -> None:
    path = review / "corrections.csv"
    original = path.read_bytes()
    path.write_bytes(original.decode("utf-8").encode("utf-16"))
    try:
        done = _srtk("curate", "set", str(review), "example2020", "all", "pain", "m6", "mean", "3.3",
                     "--curator", "ana", "--reason", "table 2", "--old-value", "3.2")
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert f"{path}:1: a CSV file in UTF-8 or Windows-1252; found a UTF-16 byte-order mark" in done.stderr
        assert path.read_bytes() == original.decode("utf-8").encode("utf-16")
    finally:
        path.write_bytes(original)


# ---------------------------------------------------------------- properties of the reader

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CSV_SETTINGS = settings(derandomize=True, max_examples=150, deadline=None, database=None,
                        suppress_health_check=[HealthCheck.too_slow])
cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from([",", ";", '"', "\n", "±"]),
               max_size=12).map(str.strip)
DIALECTS = [csvio.Dialect(e, b, d, n) for e in ("utf-8", "cp1252") for b in (False, True) for d in (",", ";")
            for n in ("\n", "\r\n") if not (e == "cp1252" and b)]


@CSV_SETTINGS
@given(rows=st.lists(st.tuples(cell, cell, cell), min_size=1, max_size=8), dialect=st.sampled_from(DIALECTS))
def test_any_rows_written_in_an_accepted_dialect_read_back_the_same(rows, dialect, tmp_path_factory) -> None:
    header = ["study_id", "arm_id", "reason"]
    records = [dict(zip(header, r)) for r in rows if any(r)]
    data = csvio.encode(csvio.format_rows(header, records, dialect), dialect)
    path = tmp_path_factory.mktemp("prop") / "rows.csv"
    path.write_bytes(data)
    got_header, got, problems = read_csv_rows(path)
    assert not problems and got_header == header
    assert [r for _, r in got] == records
    found = csvio.decode(str(path), data).dialect
    assert found.delimiter == dialect.delimiter and found.newline == dialect.newline
    if data.startswith(csvio.BOM) or all(ord(c) < 128 for r in records for c in "".join(r.values())):
        return  # ASCII is every encoding at once; a BOM says UTF-8
    assert found.encoding == ("utf-8" if data.decode("utf-8", errors="replace") == data.decode("utf-8", "ignore")
                              else "cp1252")


@CSV_SETTINGS
@given(data=st.binary(max_size=300))
@example(data=b"\r\x80")  # found: a bare carriage return before a Windows-1252 byte raised csv.Error
def test_any_bytes_are_read_or_refused_never_raising(data) -> None:
    found = csvio.decode("f.csv", data)
    for problem in found.problems:
        assert problem.file == "f.csv" and problem.expected
    if not found.problems:  # what is read is written back byte for byte: nothing lost or changed
        assert csvio.encode(found.text, found.dialect) == data


@CSV_SETTINGS
@given(data=st.binary(max_size=300))
@example(data=b"a,b\n" + b"x,y\n" * 1200 + b"1,\x002\n")  # a NUL byte after the first 4 kB sniffed
def test_any_bytes_give_rows_or_problems_naming_the_file(data, tmp_path_factory) -> None:
    path = tmp_path_factory.mktemp("bytes") / "f.csv"
    path.write_bytes(data)
    header, rows, problems = read_csv_rows(path)
    assert all(p.file == str(path) and p.line >= 0 for p in problems)
    assert all(len(r) == len(header) for _, r in rows)
