"""Saving figures with byte-identical re-runs."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure

from figures.style import SVG_HASHSALT

FORMATS = ("svg", "pdf", "png", "tif")

# metadata that would otherwise carry a timestamp or a version string that changes between runs
_METADATA: dict[str, dict[str, object]] = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
    "png": {"Software": None},
}


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
    prefix = Path(path_prefix)
    if prefix.suffix.lower().lstrip(".") in FORMATS:
        prefix = prefix.with_suffix("")
    formats = [f.lower().lstrip(".") for f in formats]
    if tiff and "tif" not in formats and "tiff" not in formats:
        formats.append("tif")
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
