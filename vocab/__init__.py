"""The vocabulary contract shared by every stage.

* :mod:`vocab.tables` - column names of every table, statistic fields, units, measure codes and the
  one parser of include flags;
* :mod:`vocab.timepoints` - time points as printed -> stable keys (``timepoint_key``);
* :mod:`vocab.review` - the review's own vocabulary (treatment classes, outcomes, scales), read from
  the review's config; nothing of one review is built into the code.
"""

from vocab.review import (
    STANDARD_OUTCOMES,
    Outcome,
    Scale,
    TreatmentClass,
    Vocabulary,
    VocabularyError,
)
from vocab.tables import (
    ARM_COLUMNS,
    CONTRASTS,
    FIELDS,
    OUTCOME_COLUMNS,
    PROVENANCE,
    STUDY_COLUMNS,
    UNITS,
    parse_flag,
)
from vocab.timepoints import DAYS_PER, timepoint_key

__all__ = [
    "ARM_COLUMNS",
    "CONTRASTS",
    "DAYS_PER",
    "FIELDS",
    "OUTCOME_COLUMNS",
    "PROVENANCE",
    "STANDARD_OUTCOMES",
    "STUDY_COLUMNS",
    "UNITS",
    "Outcome",
    "Scale",
    "TreatmentClass",
    "Vocabulary",
    "VocabularyError",
    "parse_flag",
    "timepoint_key",
]
