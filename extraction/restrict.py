"""A document's extraction restricted to the review's own vocabulary.

The rules still find the outcomes and classes they know; this step keeps only the outcome codes
of the review (values and completeness rows of other outcomes are dropped, counted on stderr) and
gives an arm whose class is not one of the review's the review class whose keyword its label names
(whole words, any case; the first class in the review's order wins), else ``other``.
"""

from __future__ import annotations

import re
from typing import Any

from vocab import Vocabulary


def review_class(label: str, vocabulary: Vocabulary) -> str:
    """The review's class whose keywords (or code, or label) name ``label``; ``other`` if none."""
    for cls in vocabulary.treatment_classes:
        words = (*cls.keywords, cls.code, cls.label)
        if any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", label, re.IGNORECASE) for w in words if w):
            return cls.code
    return "other"


def restrict(result: Any, vocabulary: Vocabulary) -> dict[str, int]:
    """Restrict ``result`` (an :class:`extraction.extract.Result`) in place; returns what was dropped
    or reclassified, by kind."""
    outcomes, classes = set(vocabulary.outcome_codes), set(vocabulary.class_codes)
    before = len(result.outcomes)
    result.outcomes = [r for r in result.outcomes if r.get("outcome") in outcomes]
    result.completeness = [r for r in result.completeness if r.get("outcome") in outcomes | {"arm"}]
    changed = 0
    for arm in result.arms:
        if arm.get("treatment_class") not in classes:
            arm["treatment_class"] = review_class(str(arm.get("label") or ""), vocabulary)
            changed += 1
    return {"values of other outcomes dropped": before - len(result.outcomes), "arms reclassified": changed}
