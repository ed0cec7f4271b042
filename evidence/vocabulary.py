"""Transitional: the bundled sacral example's vocabulary as constants, plus re-exports of :mod:`vocab`.

Every consumer is moving to the review's own :class:`vocab.Vocabulary` (read from its config);
this module is removed once none imports it. New code imports from :mod:`vocab`. Until then,
:func:`use` makes these constants a review's own (``python -m evidence --vocabulary CONFIG ...``).
"""

from vocab import Vocabulary
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


def use(vocabulary: Vocabulary) -> None:
    """Replace the constants above by ``vocabulary``'s codes for this process (``SCALES`` is updated in
    place, so modules that imported it by name see the review's scales too)."""
    global OUTCOMES, TREATMENT_CLASSES
    OUTCOMES = vocabulary.outcome_codes
    TREATMENT_CLASSES = vocabulary.class_codes
    SCALES.clear()
    SCALES.update({s.code: float(s.max) for s in vocabulary.scales})
