"""Curation: corrections, manual entries, validation, the curated tables, audit trail, xlsx round
trip and dual extraction. See ``docs/curation.md`` for the file formats curators edit.

Names are imported lazily so ``evidence.curation.atomic`` stays cheap to import.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "OUTPUTS": "build", "BuildReport": "build", "build_curated": "build",
    "Correction": "corrections", "load_corrections": "corrections", "load_manual": "manual",
    "AmbiguousEditError": "errors", "CurationError": "errors", "Problem": "errors",
    "StaleCorrectionError": "errors", "set_value": "edits", "append_corrections": "audit",
    "export_xlsx": "spreadsheet", "import_xlsx": "spreadsheet", "compare": "dual", "adjudicate": "dual",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'evidence.curation' has no attribute {name!r}")
    return getattr(importlib.import_module(f"evidence.curation.{_EXPORTS[name]}"), name)
