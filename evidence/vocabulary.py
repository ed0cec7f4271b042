"""Transitional: the bundled sacral example's vocabulary as constants, plus re-exports of :mod:`vocab`.

Every consumer is moving to the review's own :class:`vocab.Vocabulary` (read from its config);
this module is removed once none imports it. New code imports from :mod:`vocab`.
"""

from vocab.tables import ARM_COLUMNS, FIELDS, OUTCOME_COLUMNS, PROVENANCE, STUDY_COLUMNS, UNITS  # noqa: F401
from vocab.timepoints import DAYS_PER, timepoint_key  # noqa: F401

OUTCOMES: tuple[str, ...] = (
    "pain",
    "responder",
    "complication_any",
    "complication_minor",
    "complication_major",
    "local_recurrence",
    "cement_leakage",
)
TREATMENT_CLASSES: tuple[str, ...] = ("ablation", "sacroplasty", "ablation+sacroplasty", "ert", "surgery", "other")
SCALES: dict[str, float] = {"NPRS": 10.0, "NRS": 10.0, "VAS10": 10.0, "VAS100": 100.0}
