"""JSON schemas (2020-12) of one row of ``corrections.csv`` and of ``manual_entries.csv``.

The schemas are built here from :mod:`evidence.vocabulary` (single source of truth) and written to
``workflow/schemas/*.schema.yaml`` by ``python -m evidence curate schemas`` for readers and tools;
a test keeps the two in sync. Checks that span columns or rows (ranges that depend on the scale,
events <= total, duplicate keys, known study ids) live in :mod:`evidence.curation.checks`.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from evidence import vocabulary as V
from evidence.curation.errors import Problem
from evidence.curation.tables import Row
from vocab.tables import CONTRASTS

ARM_FIELDS: tuple[str, ...] = ("n_patients", "n_lesions", "treatment_class", "label")
STUDY_FIELDS: tuple[str, ...] = (
    "decision", "reason", "document_type", "duplicate_of", "title", "citation", "doi", "year",
    "design", "country", "period",
)
DECISIONS: tuple[str, ...] = ("included", "excluded")
DOCUMENT_TYPES: tuple[str, ...] = ("primary", "review", "abstract", "other")

STUDY_ID = r"^[a-z][a-z0-9_]*$"
ARM_ID = r"^[a-z0-9][a-z0-9_+-]*$"
TIMEPOINT = r"^(baseline|procedural|last|post|[dwm][0-9]+(\.[0-9]+)?)$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?$"
NONBLANK = r"\S"

CORRECTION_REQUIRED: tuple[str, ...] = (
    "study_id", "arm_id", "outcome", "timepoint", "field", "old_value", "new_value", "curator",
    "date", "reason",
)
CORRECTION_OPTIONAL: tuple[str, ...] = ("scale", "unit", "timepoint_label", "source_address", "origin",
                                        "source_file", "page", "x0", "top", "x1", "bottom", "excerpt")
"""``origin`` .. ``excerpt``: the PDF region a value was read from (``curate serve`` captures)."""
CURATED_FROM_PDF = "curated-from-pdf"
MANUAL_REQUIRED: tuple[str, ...] = (
    "study_id", "citation", "doi", "design", "arm_id", "arm_label", "treatment_class",
    "n_patients", "n_lesions", "outcome", "timepoint_label", "scale", "unit", "field", "value",
    "source_address", "excerpt", "curator", "date", "reason", "include", "exclusion_reason",
)
MANUAL_OPTIONAL: tuple[str, ...] = ("document_type", "duplicate_of", "year", "contrast", "comparator")


def _text(pattern: str, description: str) -> dict[str, Any]:
    return {"type": "string", "pattern": pattern, "description": description}


def _enum(values: tuple[str, ...], description: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values), "description": description}


def _when(column: str, values: list[str], then: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"properties": {column: {"enum": values}}, "required": [column]},
            "then": {"properties": then}}


def corrections_schema() -> dict[str, Any]:
    """Schema of one corrections row (every cell is a string; empty = missing)."""
    any_field = V.FIELDS + ARM_FIELDS + STUDY_FIELDS
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "corrections.csv row",
        "description": "One correction: the value of (study_id, arm_id, outcome, timepoint, field) "
                       "changes from old_value to new_value. See docs/curation.md.",
        "type": "object",
        "required": list(CORRECTION_REQUIRED),
        "properties": {
            "study_id": _text(STUDY_ID, "a study id: lower-case surname + year such as 'cazzato2021'"),
            "arm_id": _text(r"^(-|[a-z0-9][a-z0-9_+-]*)$", "an arm id slug such as 'psp_rfa', or '-' for a study-level value"),
            "outcome": _enum(V.OUTCOMES + ("arm", "study"), "an outcome code, 'arm' or 'study'"),
            "timepoint": _text(r"^(-|baseline|procedural|last|post|[dwm][0-9]+(\.[0-9]+)?)$",
                               "a time-point key (baseline, procedural, last, post, d<N>, w<N>, m<N>) or '-'"),
            "field": _enum(any_field, "a field name"),
            "old_value": {"type": "string", "description": "the value the curator saw (empty when adding a missing value)"},
            "new_value": _text(NONBLANK, "the corrected value, or NA to delete the value"),
            "curator": _text(NONBLANK, "the curator's name"),
            "date": _text(DATE, "an ISO 8601 date or date-time such as 2026-11-22 or 2026-11-22T14:05:00Z"),
            "reason": _text(NONBLANK, "a reason for the correction"),
            "scale": _enum(("",) + tuple(V.SCALES), "empty or a pain scale"),
            "unit": _enum(("",) + V.UNITS, "empty or a unit"),
            "timepoint_label": {"type": "string", "description": "the time point as printed (for added rows)"},
            "source_address": {"type": "string", "description": "where the curator read the value"},
            "origin": _enum(("", CURATED_FROM_PDF), "empty, or curated-from-pdf for a value read off a PDF region"),
            "source_file": _text(r"^[^/\\]*$", "the PDF's file name in the review's pdfs folder (no folder)"),
            "page": _text(r"^([1-9][0-9]*)?$", "empty or the 1-based page the value was read on"),
            **{c: _text(r"^(-?[0-9]+(\.[0-9]+)?)?$", f"empty or the region's {c} in PDF points (top-left origin)")
               for c in ("x0", "top", "x1", "bottom")},
            "excerpt": {"type": "string", "description": "the words the value was read from"},
        },
        "allOf": [
            _when("outcome", ["arm"], {
                "arm_id": _text(ARM_ID, "an arm id (not '-') for outcome 'arm'"),
                "timepoint": {"const": "-", "description": "'-' for outcome 'arm'"},
                "field": _enum(ARM_FIELDS, "for outcome 'arm' an arm field"),
            }),
            _when("outcome", ["study"], {
                "arm_id": {"const": "-", "description": "'-' for outcome 'study'"},
                "timepoint": {"const": "-", "description": "'-' for outcome 'study'"},
                "field": _enum(STUDY_FIELDS, "for outcome 'study' a study field"),
            }),
            _when("outcome", list(V.OUTCOMES), {
                "arm_id": _text(ARM_ID, "an arm id (not '-') for an outcome value"),
                "timepoint": _text(TIMEPOINT, "a time-point key (not '-') for an outcome value"),
                "field": _enum(V.FIELDS, "for an outcome value a statistic"),
            }),
        ],
    }


def manual_schema() -> dict[str, Any]:
    """Schema of one manual-entries row (long format, one value per row)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "manual_entries.csv row",
        "description": "One value of a study without a PDF, with its source and excerpt. See docs/curation.md.",
        "type": "object",
        "required": list(MANUAL_REQUIRED),
        "properties": {
            "study_id": _text(STUDY_ID, "a study id: lower-case surname + year such as 'kortman2013'"),
            "citation": _text(NONBLANK, "the citation"),
            "doi": _text(r"^(|10\.[0-9]+/\S+)$", "empty or a DOI such as 10.1007/s00256-016-2404-9"),
            "design": {"type": "string"},
            "arm_id": _text(ARM_ID, "an arm id slug such as 'all' or 'psp_rfa'"),
            "arm_label": {"type": "string"},
            "treatment_class": _enum(("",) + V.TREATMENT_CLASSES, "a treatment class"),
            "n_patients": _text(r"^[0-9]*$", "empty or a whole number"),
            "n_lesions": _text(r"^[0-9]*$", "empty or a whole number"),
            "outcome": _enum(("",) + V.OUTCOMES, "an outcome code (empty only on a study-only row)"),
            "timepoint_label": {"type": "string", "description": "the time point as printed"},
            "scale": _enum(("",) + tuple(V.SCALES), "empty or a pain scale"),
            "unit": _enum(("",) + V.UNITS, "empty or a unit"),
            "field": _enum(("",) + V.FIELDS, "a statistic"),
            "value": {"type": "string"},
            "source_address": _text(NONBLANK, "where the value was read (URL, page)"),
            "excerpt": {"type": "string"},
            "curator": _text(NONBLANK, "the curator's name"),
            "date": _text(DATE, "an ISO 8601 date or date-time such as 2026-11-22"),
            "reason": {"type": "string"},
            "include": _enum(("yes", "no"), "yes or no"),
            "exclusion_reason": {"type": "string"},
            "document_type": _enum(("",) + DOCUMENT_TYPES, "empty (= primary) or a document type"),
            "duplicate_of": _text(r"^(|[a-z][a-z0-9_]*)$", "empty or a study id"),
            "year": _text(r"^(|[0-9]{4})$", "empty or a four-digit year"),
            "contrast": _enum(CONTRASTS, "empty (the arm's value at the time point), 'change' (from "
                              "baseline), 'difference' or 'change_difference' (arm minus comparator)"),
            "comparator": _text(r"^(|[a-z0-9][a-z0-9_+-]*)$",
                                "empty or the arm id of the comparator arm (for a difference)"),
        },
        "allOf": [
            {"if": {"properties": {"contrast": {"enum": ["difference", "change_difference"]}},
                    "required": ["contrast"]},
             "then": {"properties": {"comparator": _text(r"^[a-z0-9][a-z0-9_+-]*$",
                                                         "the comparator arm's id for a difference")}}},
            {"if": {"properties": {"include": {"const": "no"}}, "required": ["include"]},
             "then": {"properties": {"exclusion_reason": _text(NONBLANK, "an exclusion reason when include is no")}}},
            {"if": {"properties": {"outcome": {"enum": list(V.OUTCOMES)}}, "required": ["outcome"]},
             "then": {"properties": {
                 "field": _enum(V.FIELDS, "a statistic for an outcome value"),
                 "value": _text(NONBLANK, "a value for an outcome row"),
                 "timepoint_label": _text(NONBLANK, "the time point as printed"),
                 "excerpt": _text(NONBLANK, "the verbatim excerpt the value was read from"),
             }}},
            {"if": {"properties": {"outcome": {"const": "pain"}, "include": {"const": "yes"}},
                    "required": ["outcome", "include"]},
             "then": {"properties": {"scale": _enum(tuple(V.SCALES), "a pain scale for an included pain value")}}},
            {"if": {"properties": {"include": {"const": "yes"}, "outcome": {"enum": list(V.OUTCOMES)}},
                    "required": ["include", "outcome"]},
             "then": {"properties": {"treatment_class": _enum(V.TREATMENT_CLASSES, "a treatment class for an included value")}}},
            {"if": {"properties": {"include": {"const": "yes"}, "field": {"enum": ["events", "total", "n", "percent"]},
                                   "outcome": {"not": {"const": "pain"}}},
                    "required": ["include", "field", "outcome"]},
             "then": {"properties": {"unit": _enum(V.UNITS, "a unit (patients, lesions or procedures) for an included count")}}},
        ],
    }


SCHEMAS = {"corrections": corrections_schema, "manual_entries": manual_schema}


def schema_yaml(name: str) -> str:
    """The schema ``name`` as the YAML text of ``workflow/schemas/<name>.schema.yaml``."""
    header = ("# Generated from evidence/curation/schemas.py by `python -m evidence curate schemas`;\n"
              "# edit that module, not this file.\n")
    return header + yaml.safe_dump(SCHEMAS[name](), sort_keys=False, allow_unicode=True, width=100)


def _expected(error: Any) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    description = schema.get("description", "")
    if error.validator == "enum":
        shown = [v for v in error.validator_value if v != ""]
        tail = f"one of {shown}" + (" or empty" if "" in error.validator_value else "")
        return f"{description}: {tail}" if description else tail
    if error.validator == "const":
        return description or repr(error.validator_value)
    if error.validator == "pattern":
        return description or f"text matching {error.validator_value}"
    return description or error.message


def row_problems(validator: Draft202012Validator, name: str, line: int, row: Row) -> list[Problem]:
    """Schema problems of one row, one per column (the most specific rule wins)."""
    chosen: dict[str, Any] = {}
    for error in validator.iter_errors(row):
        if error.validator == "required":
            for column in error.validator_value:
                if column not in row:
                    chosen.setdefault(column, error)
            continue
        column = str(error.path[0]) if error.path else ""
        current = chosen.get(column)
        if current is None or len(error.absolute_schema_path) > len(current.absolute_schema_path):
            chosen[column] = error
    problems = []
    for column, error in chosen.items():
        if error.validator == "required":
            problems.append(Problem(name, line, column, None, "a value in this required column"))
        else:
            problems.append(Problem(name, line, column or None, row.get(column, ""), _expected(error)))
    return problems


_validators: dict[str, Draft202012Validator] = {}


def validator(name: str) -> Draft202012Validator:
    """A validator for the schema ``name`` (``corrections`` or ``manual_entries``); the schema
    follows the review's vocabulary, so it is checked once per distinct schema text."""
    schema = SCHEMAS[name]()
    text = json.dumps(schema, sort_keys=True)
    if text not in _validators:
        Draft202012Validator.check_schema(schema)
        _validators[text] = Draft202012Validator(schema)
    return _validators[text]
