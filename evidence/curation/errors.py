"""Problems found in curation input, reported all at once with file, line, column and value."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem at a place: ``file:line: column 'c': got 'v'; expected ...``.

    ``line`` is 1-based and counts the header as line 1 (0 = the file as a whole).
    """

    file: str
    line: int
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        if self.column is None:
            return f"{where}: {self.expected}"
        return f"{where}: column {self.column!r}: got {self.value!r}; expected {self.expected}"


class CurationError(ValueError):
    """Curation input is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem], title: str = "curation input is invalid") -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line))
        lines = "\n  ".join(str(p) for p in self.problems)
        super().__init__(f"{title} ({len(self.problems)} problem(s)):\n  {lines}")


class StaleCorrectionError(CurationError):
    """Corrections whose target changed underneath them (and ``on_stale='error'``)."""


class AmbiguousEditError(CurationError):
    """Spreadsheet edits that cannot be turned into corrections unambiguously."""


class ConflictError(ValueError):
    """The corrections file changed since the version a write was based on (a stale form)."""

    def __init__(self, path: str, expected: str, found: str) -> None:
        super().__init__(f"{path}: changed since this page was loaded (version {expected[:12]}, now "
                         f"{found[:12]}); expected the version the edit was based on: reload and redo the edit")
        self.expected, self.found = expected, found
