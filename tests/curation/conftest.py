"""Fixtures of the curation tests; helpers live in curation_helpers.py (importlib import mode)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from curation_helpers import write_csv, write_extracted  # noqa: E402
from evidence.curation.corrections import CORRECTION_COLUMNS  # noqa: E402
from evidence.curation.schemas import MANUAL_REQUIRED  # noqa: E402


@pytest.fixture
def extracted(tmp_path: Path) -> Path:
    return write_extracted(tmp_path / "extracted")


@pytest.fixture
def corrections_file(tmp_path: Path):
    def make(rows: list[dict], columns: tuple[str, ...] = CORRECTION_COLUMNS, name: str = "corrections.csv") -> Path:
        return write_csv(tmp_path / name, rows, columns)
    return make


@pytest.fixture
def manual_file(tmp_path: Path):
    def make(rows: list[dict], name: str = "manual_entries.csv") -> Path:
        return write_csv(tmp_path / name, rows, MANUAL_REQUIRED)
    return make
