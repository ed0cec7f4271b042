"""The stages use the review's own vocabulary: extraction keeps its outcomes and gives arms its
classes; curation validates against its codes and scales."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from extraction.restrict import restrict, review_class
from vocab import Vocabulary

SPINE = Vocabulary.from_config({
    "treatment_classes": [{"code": "vertebroplasty", "keywords": ["vertebroplasty", "PVP"]},
                          {"code": "radiotherapy", "label": "Radiotherapy", "keywords": ["SBRT", "radiotherapy"]}],
    "outcomes": [{"code": "pain", "kind": "continuous", "scales": ["BPI"]}, {"code": "new_fracture"}],
    "scales": [{"code": "BPI", "min": 0, "max": 10}],
})


@pytest.mark.parametrize(("label", "expected"), [
    ("PVP group", "vertebroplasty"), ("Percutaneous Vertebroplasty", "vertebroplasty"),
    ("SBRT 24 Gy", "radiotherapy"), ("radiotherapy alone", "radiotherapy"),
    ("kyphoplasty", "other"), ("PVPX", "other"), ("", "other"),
])
def test_an_arm_label_takes_the_review_class_its_keyword_names(label: str, expected: str) -> None:
    assert review_class(label, SPINE) == expected


def test_extraction_is_restricted_to_the_review_vocabulary() -> None:
    result = SimpleNamespace(
        outcomes=[{"outcome": "pain"}, {"outcome": "cement_leakage"}, {"outcome": "new_fracture"}],
        completeness=[{"outcome": "arm"}, {"outcome": "pain"}, {"outcome": "responder"}],
        arms=[{"label": "PVP", "treatment_class": "sacroplasty"}, {"label": "SBRT", "treatment_class": "radiotherapy"},
              {"label": "control", "treatment_class": "ert"}])
    counts = restrict(result, SPINE)
    assert [r["outcome"] for r in result.outcomes] == ["pain", "new_fracture"]
    assert [r["outcome"] for r in result.completeness] == ["arm", "pain"]
    assert [a["treatment_class"] for a in result.arms] == ["vertebroplasty", "radiotherapy", "other"]
    assert counts == {"values of other outcomes dropped": 1, "arms reclassified": 2}


def test_curation_validates_against_the_review_vocabulary(tmp_path) -> None:
    import evidence.vocabulary as V
    from evidence.curation.checks import value_problem

    saved = (V.OUTCOMES, V.TREATMENT_CLASSES, dict(V.SCALES))
    try:
        V.use(SPINE)
        assert "new_fracture" in V.OUTCOMES and "cement_leakage" not in V.OUTCOMES
        assert V.TREATMENT_CLASSES == ("vertebroplasty", "radiotherapy", "other")
        assert value_problem("pain", "mean", "7", "BPI") is None
        assert value_problem("pain", "mean", "14", "BPI") is not None
        assert value_problem("arm", "treatment_class", "sacroplasty") is not None
    finally:
        V.OUTCOMES, V.TREATMENT_CLASSES = saved[0], saved[1]
        V.SCALES.clear()
        V.SCALES.update(saved[2])
