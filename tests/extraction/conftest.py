"""Session fixtures: every test PDF is extracted at most once per session (2 processes)."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "sacral" / "pdfs"
REAL = Path(os.environ.get("SRTK_REAL_CORPUS", ROOT.parent / "shared" / "corpus" / "real"))


def _extract(path: str):
    from extraction.extract import extract_document

    return path, extract_document(path)


def _extract_all(paths: list[Path]) -> dict[str, object]:
    with ProcessPoolExecutor(max_workers=2) as ex:
        return {Path(p).name: r for p, r in ex.map(_extract, [str(p) for p in paths])}


@pytest.fixture(scope="session")
def example_pdfs() -> list[Path]:
    pdfs = sorted(EXAMPLES.glob("*.pdf"))
    if not pdfs:
        pytest.skip("example PDFs not generated yet (examples/sacral/pdfs)")
    return pdfs


@pytest.fixture(scope="session")
def example_results(example_pdfs):
    return _extract_all(example_pdfs)


@pytest.fixture(scope="session")
def real_pdfs() -> list[Path]:
    pdfs = sorted(REAL.glob("*.pdf"))
    if not pdfs:
        pytest.skip(f"real corpus not found at {REAL}")
    return pdfs


@pytest.fixture(scope="session")
def real_results(real_pdfs):
    return _extract_all(real_pdfs)
