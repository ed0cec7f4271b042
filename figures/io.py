"""Saving figures with byte-identical re-runs."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib as mpl
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from figures.style import SVG_HASHSALT

FORMATS = ("svg", "pdf", "png", "tif")

# metadata that would otherwise carry a timestamp or a version string that changes between runs
_METADATA: dict[str, dict[str, object]] = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    "png": {"Software": None},
}


def _prefix_formats(path_prefix: str | os.PathLike[str], formats: Iterable[str], tiff: bool) -> tuple[Path, list[str]]:
    """The output prefix without a format extension, and the formats (``tif`` added for ``tiff``)."""
    prefix = Path(path_prefix)
    if prefix.suffix.lower().lstrip(".") in FORMATS:
        prefix = prefix.with_suffix("")
    formats = [f.lower().lstrip(".") for f in formats]
    if tiff and "tif" not in formats and "tiff" not in formats:
        formats.append("tif")
    return prefix, formats


def save_figure(
    fig: Figure,
    path_prefix: str | os.PathLike[str],
    formats: Iterable[str] = ("svg", "pdf", "png"),
    dpi: int = 300,
    tiff: bool = False,
    tiff_dpi: int = 600,
) -> list[Path]:
    """Write ``fig`` as ``<path_prefix>.svg``, ``.pdf`` and ``.png`` (and ``.tif`` on request).

    Output carries no timestamps and a fixed SVG hash salt, so running twice writes identical
    bytes. PNG is written at ``dpi`` (300), TIFF (LZW-compressed, for journals that ask for it) at
    ``tiff_dpi`` (600). Parent folders are created. Returns the written paths in order.
    """
    prefix, formats = _prefix_formats(path_prefix, formats, tiff)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with mpl.rc_context({"svg.hashsalt": SVG_HASHSALT}):
        for fmt in formats:
            if fmt not in FORMATS and fmt != "tiff":
                raise ValueError(f"Invalid format {fmt!r}; must be one of {list(FORMATS)}.")
            ext = "tif" if fmt in ("tif", "tiff") else fmt
            path = prefix.with_name(prefix.name + "." + ext)
            kwargs: dict[str, object] = {"facecolor": "white"}
            if ext == "tif":
                kwargs["dpi"] = tiff_dpi
                kwargs["pil_kwargs"] = {"compression": "tiff_lzw"}
            else:
                kwargs["metadata"] = _METADATA[ext]
                if ext == "png":
                    kwargs["dpi"] = dpi
            fig.savefig(path, format="tiff" if ext == "tif" else ext, **kwargs)
            written.append(path)
    return written


def save_pages(
    pages: Sequence[Figure],
    path_prefix: str | os.PathLike[str],
    formats: Iterable[str] = ("svg", "pdf", "png"),
    dpi: int = 300,
    tiff: bool = False,
    tiff_dpi: int = 600,
) -> list[Path]:
    """Write a figure of one or more pages: one PDF of every page, one SVG/PNG/TIFF per page.

    Page 1 takes the plain names (``<prefix>.png``), page i the names ``<prefix>_p<i>.png``; page
    files left over from an earlier run with more pages are removed. One page is
    :func:`save_figure`. Byte-identical re-runs, as :func:`save_figure`.
    """
    prefix, formats = _prefix_formats(path_prefix, formats, tiff)
    written = save_figure(pages[0], prefix, [f for f in formats if f != "pdf" or len(pages) == 1], dpi, False, tiff_dpi)
    others = [f for f in formats if f != "pdf"]
    for i, page in enumerate(pages[1:], start=2):
        written += save_figure(page, prefix.with_name(f"{prefix.name}_p{i}"), others, dpi, False, tiff_dpi)
    for stale in prefix.parent.glob(f"{glob.escape(prefix.name)}_p*.*"):
        number = stale.name[len(prefix.name) + 2:].split(".")[0]
        if number.isdigit() and int(number) > len(pages) and stale.suffix.lstrip(".") in FORMATS:
            stale.unlink()
    if len(pages) > 1 and "pdf" in formats:
        path = prefix.with_name(prefix.name + ".pdf")
        with mpl.rc_context({"svg.hashsalt": SVG_HASHSALT}), PdfPages(path, metadata=_METADATA["pdf"]) as pdf:
            for page in pages:
                pdf.savefig(page, facecolor="white")
        written.append(path)
    return written
