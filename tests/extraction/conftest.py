"""Session fixtures: every test PDF is extracted at most once per session (2 processes)."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "sacral" / "pdfs"
REAL = Path(os.environ.get("SRTK_REAL_CORPUS", ROOT / "tests" / "data" / "pdfs" / "real"))
SCANNED = "hostile_scanned_no_textlayer.pdf"
OWNER_LOCKED = "owner_password_permissions.pdf"


def make_scanned_pdf(path: Path) -> Path:
    """A one-page PDF holding only a raster image (a scan with no text layer)."""
    import numpy as np
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.27, 11.69), dpi=50)
    rng = np.random.default_rng(0)
    fig.figimage(rng.random((400, 300)), cmap="gray")
    fig.savefig(path, format="pdf", metadata={"CreationDate": None})
    return path


def make_owner_locked_pdf(path: Path) -> Path:
    """A PDF with an /Encrypt dictionary: empty user password, owner password, no copying."""
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    enc = pdfencrypt.StandardEncryption("", ownerPassword="owner", canCopy=0, canModify=0)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.drawString(72, 720, "Original article. Intubation was needed in 2 of 11 patients (18%).")
    c.save()
    return path


def _extract(path: str):
    from extraction.extract import extract_document

    return path, extract_document(path)


def _extract_all(paths: list[Path]) -> dict[str, object]:
    with ProcessPoolExecutor(max_workers=2) as ex:
        return {Path(p).name: r for p, r in ex.map(_extract, [str(p) for p in paths])}


@pytest.fixture(scope="session")
def example_pdfs() -> list[Path]:
    pdfs = sorted(EXAMPLES.glob("*.pdf"))
    assert pdfs, f"no example PDFs in {EXAMPLES} (run examples/sacral/make_pdfs.py)"
    return pdfs


@pytest.fixture(scope="session")
def example_results(example_pdfs):
    return _extract_all(example_pdfs)


@pytest.fixture(scope="session")
def real_pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The real corpus plus two generated hostile files (a scan, an owner-password PDF)."""
    pdfs = sorted(REAL.glob("*.pdf"))
    assert pdfs, f"real corpus not found at {REAL}"
    made = tmp_path_factory.mktemp("generated")
    if not any(p.name == SCANNED for p in pdfs):
        pdfs.append(make_scanned_pdf(made / SCANNED))
    pdfs.append(make_owner_locked_pdf(made / OWNER_LOCKED))
    return pdfs


@pytest.fixture(scope="session")
def real_results(real_pdfs):
    return _extract_all(real_pdfs)
