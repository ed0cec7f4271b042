"""The per-PDF page cache of extraction.pdf: same content as a fresh read, keyed by the file's
bytes, ignored when damaged, off when asked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extraction import pdf

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sacral" / "pdfs" / "cazzato2021_sacral_ablation_abstract.pdf"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SRTK_PAGE_CACHE", str(folder))
    return folder


def test_cached_read_equals_a_fresh_read(cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / "doc.pdf"
    shutil.copy(EXAMPLE, copy)
    first = pdf.read_document(copy)
    assert len(list(cache.glob("*.pickle.z"))) == 1
    again = pdf.read_document(copy)
    assert again == first and again.pages[0].chars and again.pages[0].words


def test_another_file_or_option_is_another_entry(cache: Path, tmp_path: Path) -> None:
    other = ROOT / "examples" / "sacral" / "pdfs" / "tian2022_sacroplasty_rfa_ajnr.pdf"
    assert pdf.cache_path(EXAMPLE) != pdf.cache_path(other)
    assert pdf.cache_path(other, max_pages=2) != pdf.cache_path(other)
    pdf.read_document(other, max_pages=1)
    assert pdf.read_document(other, max_pages=2).n_pages == pdf.read_document(other).n_pages
    assert len(pdf.read_document(other, max_pages=2).pages) == 2


def test_damaged_cache_file_is_read_again(cache: Path, caplog: pytest.LogCaptureFixture) -> None:
    fresh = pdf.read_document(EXAMPLE)
    entry = pdf.cache_path(EXAMPLE)
    entry.write_bytes(b"half a file")
    assert pdf.read_document(EXAMPLE) == fresh
    assert "ignoring unreadable page cache" in caplog.text


def test_cache_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SRTK_PAGE_CACHE", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert pdf.cache_path(EXAMPLE) is None
    pdf.read_document(EXAMPLE)
    assert not any(tmp_path.rglob("*.pickle.z"))
