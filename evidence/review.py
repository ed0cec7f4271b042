"""A review is a folder: ``config.yaml``, ``manual_entries.csv``, ``corrections.csv``, optionally
``pdfs/`` and ``risk_of_bias.csv``; results, logs and the report are written inside it (or under the
configured ``review.output`` folder).

Relative paths in the config are read from the review folder, never from the working directory.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from vocab import Vocabulary, VocabularyError

REPO = Path(__file__).resolve().parents[1]
BUNDLED_EXAMPLE = REPO / "examples" / "sacral"
"""The review used when none is named (a checkout's bundled example)."""

CONFIG_SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
"""The config contract (keys, defaults, descriptions); ``docs/reference.md`` is generated from it."""

CONFIG_NAME = "config.yaml"


def _yaml(text: str) -> Any:
    """``yaml.safe_load`` with libyaml's parser when PyYAML has it (same result, ~10x faster: every
    extraction job reads the review's config and the schema)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

DEFAULT_PATHS: dict[str, str] = {
    "pdfs": "pdfs",
    "manual_entries": "manual_entries.csv",
    "corrections": "corrections.csv",
    "risk_of_bias": "risk_of_bias.csv",
    "grade": "grade.csv",
    "output": "results",
}
"""``review.*`` path keys and their defaults, relative to the review folder."""

REQUIRED_FILES = ("manual_entries", "corrections")
"""Files every review has (``srtk init`` writes them)."""
OPTIONAL_FILES = ("risk_of_bias", "grade")
"""Files used when they exist; one named in the config must exist."""


class ReviewError(ValueError):
    """The review folder or its config is unusable; the message names the file and the key."""


@dataclass(frozen=True)
class Review:
    """One review folder: its config (schema defaults filled in), vocabulary and resolved paths."""

    root: Path
    config_path: Path
    config: dict[str, Any]
    vocabulary: Vocabulary
    user_config: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.user_config is None:
            object.__setattr__(self, "user_config", self.config)

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

    def configured(self, key: str) -> bool:
        """Whether the config names ``review.<key>`` itself (rather than taking the default)."""
        return bool(self._user_review.get(key))

    @property
    def _user_review(self) -> Mapping[str, Any]:
        return self.user_config.get("review") or {}

    def optional_file(self, key: str) -> Path | None:
        """``review.<key>`` (risk_of_bias, grade) when it exists, else None."""
        path = self.path(key)
        return path if path.is_file() else None

    @property
    def documents(self) -> list[Path]:
        """The review's PDFs (none when its ``pdfs`` folder is absent or empty), sorted by name."""
        return sorted(self.pdfs.glob("*.pdf")) if self.pdfs.is_dir() else []

    def missing_inputs(self) -> list[str]:
        """One message per input the review needs but does not have, naming the key and the file."""
        problems = []
        for key in REQUIRED_FILES:
            if not self.path(key).is_file():
                problems.append(f"review.{key}: file {str(self.path(key))!r} not found")
        for key in OPTIONAL_FILES:
            if self.configured(key) and not self.path(key).is_file():
                problems.append(f"review.{key}: file {str(self.path(key))!r} not found")
        if self.configured("pdfs") and not self.pdfs.is_dir():
            problems.append(f"review.pdfs: folder {str(self.pdfs)!r} not found")
        return problems

    def check_inputs(self) -> None:
        """Raise :class:`ReviewError` naming every missing input file."""
        problems = self.missing_inputs()
        if problems:
            raise ReviewError(f"{self.config_path}: " + "; ".join(problems))


def config_file(location: str | Path | None = None) -> Path:
    """The ``config.yaml`` of the review at ``location`` (a folder or the file; None = the example)."""
    where = Path(location) if location is not None else BUNDLED_EXAMPLE
    config_path = where if where.is_file() else where / CONFIG_NAME
    if not config_path.is_file():
        raise ReviewError(
            f"{where}: no review here; expected a folder with a {CONFIG_NAME} "
            f"(create one with `srtk init {where}`)"
        )
    return config_path.resolve()


def load_review(location: str | Path | None = None) -> Review:
    """Load the review in folder ``location`` (or its ``config.yaml``); ``None`` = the bundled example.

    The config is checked against the schema (unknown keys, missing required keys, types) and its
    defaults filled in; the vocabulary is read; input files are not checked (:meth:`Review.check_inputs`).
    """
    config_path = config_file(location)
    try:
        config = _yaml(config_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ReviewError(f"{config_path}: not valid YAML: {err}") from None
    return review_from_config(config, config_path)


def review_from_config(config: Any, config_path: str | Path) -> Review:
    """The :class:`Review` of an already-read config (e.g. Snakemake's ``config``) found at ``config_path``."""
    config_path = Path(config_path).resolve()
    if not isinstance(config, dict):
        raise ReviewError(f"{config_path}: expected a mapping of config keys at the top level")
    full = check_config(config, config_path)
    try:
        vocabulary = Vocabulary.from_config(full, source=str(config_path))
    except VocabularyError as err:
        raise ReviewError(str(err)) from None
    for name, spec in full["analyses"].items():
        if spec["outcome"] not in vocabulary.outcome_codes:
            raise ReviewError(
                f"{config_path}: analyses.{name}.outcome: {spec['outcome']!r} is not an outcome of the "
                f"review's vocabulary; expected one of {list(vocabulary.outcome_codes)}"
            )
        window = spec.get("window")
        if spec["kind"] == "window" and window not in full.get("harmonize", {}).get("timepoint_grid", {}):
            raise ReviewError(
                f"{config_path}: analyses.{name}.window: {window!r} is not a window of harmonize.timepoint_grid"
            )
    return Review(config_path.parent, config_path, full, vocabulary, copy.deepcopy(config))


def config_schema() -> dict[str, Any]:
    """The config schema (``workflow/schemas/config.schema.yaml``)."""
    return _yaml(CONFIG_SCHEMA.read_text(encoding="utf-8"))


def check_config(config: dict[str, Any], source: str | Path = "config") -> dict[str, Any]:
    """A copy of ``config`` with the schema's defaults filled in; :class:`ReviewError` names every
    unknown key (with the closest valid one), missing required key and invalid value, and ``source``."""
    schema = config_schema()
    problems = list(_unknown_keys(config, schema, ""))
    from jsonschema import Draft202012Validator  # here: ~40 ms of import every extraction job would pay

    for error in sorted(Draft202012Validator(schema).iter_errors(config), key=lambda e: list(e.absolute_path)):
        where = ".".join(str(p) for p in error.absolute_path)
        if error.validator == "required":
            missing = error.message.split("'")[1] if "'" in error.message else error.message
            problems.append(f"missing required key {'.'.join(filter(None, (where, missing)))!r}")
        elif error.validator != "additionalProperties":
            problems.append(f"{where or 'config'}: {error.message}")
    if problems:
        raise ReviewError(f"{source}: " + "; ".join(dict.fromkeys(problems)))
    full = copy.deepcopy(config)
    _fill_defaults(full, schema)
    return full


def _unknown_keys(value: Any, schema: Mapping[str, Any], where: str) -> Iterator[str]:
    if isinstance(value, Mapping) and schema.get("type") == "object":
        known = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            if key in known:
                yield from _unknown_keys(item, known[key], path)
            elif isinstance(extra, Mapping):
                yield from _unknown_keys(item, extra, path)
            elif extra is False:
                close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
                hint = f"; did you mean {'.'.join(filter(None, (where, close[0])))!r}?" if close else (
                    f"; expected one of {sorted(known)}")
                yield f"unknown config key {path!r}{hint}"
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for i, item in enumerate(value):
            yield from _unknown_keys(item, schema["items"], f"{where}[{i}]")


def _fill_defaults(value: Any, schema: Mapping[str, Any]) -> None:
    if isinstance(value, dict) and schema.get("type") == "object":
        for key, sub in schema.get("properties", {}).items():
            if key not in value and "default" in sub:
                value[key] = copy.deepcopy(sub["default"])
            if key in value:
                _fill_defaults(value[key], sub)
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping):
            for key in set(value) - set(schema.get("properties", {})):
                _fill_defaults(value[key], extra)
    elif isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for item in value:
            _fill_defaults(item, schema["items"])
