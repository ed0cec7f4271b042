"""The one reader of user CSV files: encoding and delimiter detected, or refused with the place.

Accepted: UTF-8 with or without a byte-order mark, Windows-1252 (what Excel writes as "CSV" in
western locales), comma- or semicolon-separated (Excel in locales with a decimal comma). A
Windows-1252 file is read with a note naming the first byte that is not UTF-8. Refused, with
file, line and what was found: UTF-16 / NUL bytes, an xlsx workbook saved under a .csv name,
bytes that are neither UTF-8 nor Windows-1252, a file mixing UTF-8 and Windows-1252 text, a
header that is tab- or otherwise separated, or one with both commas and semicolons.

Writing keeps the file's dialect (:func:`encode`): its delimiter, its BOM and its encoding; a
Windows-1252 file that must take a character Windows-1252 cannot hold is re-encoded whole as
UTF-8 with a BOM (every value kept), so nothing is ever lost or mixed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from evidence.curation.errors import Problem

BOM = b"\xef\xbb\xbf"
DELIMITERS = {",": "comma", ";": "semicolon"}
_OTHER = {"\t": "tab", "|": "vertical bar"}
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@dataclass(frozen=True)
class Dialect:
    """How a CSV file is written: ``encoding`` (``utf-8`` or ``cp1252``), BOM, delimiter, line end."""

    encoding: str = "utf-8"
    bom: bool = False
    delimiter: str = ","
    newline: str = "\n"

    @property
    def name(self) -> str:
        return DELIMITERS.get(self.delimiter, repr(self.delimiter))


DEFAULT = Dialect()


@dataclass(frozen=True)
class CsvText:
    """A decoded CSV file: its text (no BOM), dialect, notes (read, but worth saying) and problems (refused)."""

    text: str
    dialect: Dialect
    notes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()


def _line_col(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of byte ``offset``."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    return line, len(data[start:offset].decode("utf-8", errors="replace")) + 1


def decode(name: str, data: bytes) -> CsvText:
    """Decode ``data`` (the bytes of the file called ``name``) and detect its dialect."""
    if data.startswith(b"PK\x03\x04"):
        return _refused(name, 0, "a CSV text file; found a zip archive (an .xlsx workbook?): "
                                 "save the sheet as 'CSV UTF-8 (Comma delimited)'")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        what = "a UTF-16 byte-order mark" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "NUL bytes (UTF-16 or binary)"
        return _refused(name, 1, f"a CSV file in UTF-8 or Windows-1252; found {what} (in Excel: Save As "
                                 "'CSV UTF-8 (Comma delimited)')")
    bom = data.startswith(BOM)
    body = data[len(BOM):] if bom else data
    guessed: tuple[int, int, int] | None = None  # line, character and byte of the first non-UTF-8 byte
    try:
        text, encoding = body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        line, col = _line_col(body, err.start)
        byte = f"byte 0x{body[err.start]:02x}"
        try:
            text = body.decode("cp1252")
        except UnicodeDecodeError as err2:
            line2, col2 = _line_col(body, err2.start)
            return _refused(name, line2, f"UTF-8 or Windows-1252 text; byte 0x{body[err2.start]:02x} "
                                         f"(character {col2}) is neither: save the file as 'CSV UTF-8'")
        utf8 = _first_utf8(body)
        if utf8 is not None or bom:
            why = (f"line {_line_col(body, utf8[0])[0]} has UTF-8 text {utf8[1]!r}" if utf8 is not None
                   else "the file starts with a UTF-8 byte-order mark")
            return _refused(name, line, f"one encoding; {byte} (character {col}) is not UTF-8 but {why}: mixed "
                                        "encodings, so neither reading is safe; save the file again as 'CSV UTF-8'")
        encoding, guessed = "cp1252", (line, col, body[err.start])
    dialect, problems = _delimiter(name, text)
    if problems:
        return CsvText(text, Dialect(encoding, bom), (), tuple(problems))
    notes = ()
    if guessed is not None:
        line, col, byte = guessed
        column = _column_at(text, line, col, dialect.delimiter)
        where = f"line {line}: " + (f"column {column!r}: " if column else "")
        notes = (f"{name}: {where}byte 0x{byte:02x} ({bytes([byte]).decode('cp1252')!r}, character {col}) "
                 "is not UTF-8; read as Windows-1252",)
    newline = "\r\n" if "\r\n" in text[:text.find("\n") + 1] else "\n"
    return CsvText(text, Dialect(encoding, bom, dialect.delimiter, newline), notes)


def _first_utf8(body: bytes) -> tuple[int, str] | None:
    """Offset and text of the first well-formed multi-byte UTF-8 character in ``body``, if any."""
    for match in _UTF8_MULTIBYTE.finditer(body):
        try:
            return match.start(), match.group().decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None


def _column_at(text: str, line: int, col: int, delimiter: str) -> str | None:
    """The header name of the field at character ``col`` of ``line`` (None on the header or when unsure)."""
    lines = text.split("\n")
    if line < 2 or line > len(lines):
        return None
    try:
        header = [h.strip() for h in next(csv.reader([lines[0]], delimiter=delimiter), [])]
        index = len(next(csv.reader([lines[line - 1][:col - 1]], delimiter=delimiter), [""])) - 1
    except csv.Error:
        return None
    return header[index] if 0 <= index < len(header) else None


def _delimiter(name: str, text: str) -> tuple[Dialect, list[Problem]]:
    """The delimiter of the header line: comma or semicolon; anything else is refused."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    found = {d: first.count(d) for d in (*DELIMITERS, *_OTHER)}
    used = [d for d, count in found.items() if count]
    if len(used) > 1 and set(used) & set(DELIMITERS) == set(DELIMITERS):
        return DEFAULT, [Problem(name, 1, None, None,
                                 f"one delimiter in the header; found {found[',']} comma(s) and {found[';']} "
                                 "semicolon(s): column names contain neither, so the file is ambiguous")]
    for d in DELIMITERS:
        if found[d]:
            return Dialect(delimiter=d), []
    for d, word in _OTHER.items():
        if found[d]:
            return DEFAULT, [Problem(name, 1, None, None, f"a comma- or semicolon-separated header; found "
                                                          f"{word}-separated columns ({first.strip()[:60]!r})")]
    return DEFAULT, []


def _refused(name: str, line: int, expected: str) -> CsvText:
    return CsvText("", DEFAULT, (), (Problem(name, line, None, None, expected),))


def read_text(path: str | Path, text: str | None = None) -> CsvText:
    """The decoded file at ``path`` (or ``text``, already decoded, under that name)."""
    name = str(path)
    if text is not None:
        text = text.removeprefix("\ufeff")
        dialect, problems = _delimiter(name, text)
        return CsvText(text, dialect, (), tuple(problems))
    return decode(name, Path(path).read_bytes())


def dialect_of(path: str | Path) -> Dialect:
    """The dialect of the existing file at ``path`` (the default for a missing or refused one)."""
    path = Path(path)
    if not path.is_file():
        return DEFAULT
    found = decode(str(path), path.read_bytes())
    return DEFAULT if found.problems else found.dialect


def notes(path: str | Path) -> list[str]:
    """What reading the file at ``path`` had to decide (e.g. read as Windows-1252)."""
    path = Path(path)
    return list(decode(str(path), path.read_bytes()).notes) if path.is_file() else []


def encode(text: str, dialect: Dialect) -> bytes:
    """``text`` in ``dialect``'s encoding; Windows-1252 that cannot hold it becomes UTF-8 with a BOM."""
    if dialect.encoding == "cp1252":
        try:
            return text.encode("cp1252")
        except UnicodeEncodeError:
            return BOM + text.encode("utf-8")
    return (BOM if dialect.bom else b"") + text.encode("utf-8")


def rows(text: str, dialect: Dialect) -> csv.reader:
    """A csv reader over ``text`` with ``dialect``'s delimiter (``line_num`` counts physical lines)."""
    return csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)


def format_rows(header: list[str] | tuple[str, ...], records: list[dict[str, str]], dialect: Dialect = DEFAULT) -> str:
    """CSV text in ``dialect`` (its delimiter and line end), quoting only where needed."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(header), lineterminator=dialect.newline, extrasaction="ignore",
                            delimiter=dialect.delimiter)
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue()
