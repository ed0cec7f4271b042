"""A review is a folder: ``config.yaml``, ``manual_entries.csv``, ``corrections.csv``, optionally
``pdfs/`` and ``risk_of_bias.csv``; results, logs and the report are written inside it (or under the
configured ``review.output`` folder).

Relative paths in the config are read from the review folder, never from the working directory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vocab import Vocabulary

BUNDLED_EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sacral"
"""The review used when none is named (a checkout's bundled example)."""

CONFIG_NAME = "config.yaml"

DEFAULT_PATHS: dict[str, str] = {
    "pdfs": "pdfs",
    "manual_entries": "manual_entries.csv",
    "corrections": "corrections.csv",
    "risk_of_bias": "risk_of_bias.csv",
    "output": "results",
}
"""``review.*`` path keys and their defaults, relative to the review folder."""


class ReviewError(ValueError):
    """The review folder or its config is unusable; the message names the file and the key."""


@dataclass(frozen=True)
class Review:
    root: Path
    config_path: Path
    config: dict[str, Any]
    vocabulary: Vocabulary

    @property
    def title(self) -> str:
        return str(self.config.get("review", {}).get("title", self.root.name))

    def path(self, key: str) -> Path:
        """The absolute path of ``review.<key>`` (its default when the config leaves it out)."""
        if key not in DEFAULT_PATHS:
            raise KeyError(f"review.{key} is not a path key; expected one of {sorted(DEFAULT_PATHS)}")
        value = self.config.get("review", {}).get(key) or DEFAULT_PATHS[key]
        path = Path(value)
        return path if path.is_absolute() else (self.root / path)

    @property
    def pdfs(self) -> Path:
        return self.path("pdfs")

    @property
    def manual_entries(self) -> Path:
        return self.path("manual_entries")

    @property
    def corrections(self) -> Path:
        return self.path("corrections")

    @property
    def risk_of_bias(self) -> Path:
        return self.path("risk_of_bias")

    @property
    def output(self) -> Path:
        """Where results, logs and the report go (``<review>/results`` by default)."""
        return self.path("output")


def load_review(location: str | Path | None = None) -> Review:
    """Load the review in folder ``location`` (or its ``config.yaml``); ``None`` = the bundled example."""
    where = Path(location) if location is not None else BUNDLED_EXAMPLE
    config_path = where if where.is_file() else where / CONFIG_NAME
    if not config_path.is_file():
        raise ReviewError(
            f"{where}: no review here; expected a folder with a {CONFIG_NAME} "
            f"(create one with `srtk init {where}`)"
        )
    try:
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ReviewError(f"{config_path}: not valid YAML: {err}") from None
    if not isinstance(config, dict):
        raise ReviewError(f"{config_path}: expected a mapping of config keys at the top level")
    vocabulary = Vocabulary.from_config(config, source=str(config_path))
    return Review(config_path.parent.resolve(), config_path.resolve(), config, vocabulary)
