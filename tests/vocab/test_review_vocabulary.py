"""The review vocabulary contract: read from a review's config, standard outcomes always there."""

from pathlib import Path

import pytest
import yaml

from vocab import STANDARD_OUTCOMES, Vocabulary, VocabularyError, parse_flag

ROOT = Path(__file__).resolve().parents[2]

SPINE = {
    "vocabulary": {
        "treatment_classes": [
            {"code": "vertebroplasty", "label": "Vertebroplasty", "keywords": ["vertebroplasty", "PVP"]},
            {"code": "radiotherapy", "label": "Radiotherapy", "keywords": ["radiotherapy", "SBRT"]},
        ],
        "outcomes": [
            {"code": "pain", "kind": "continuous", "synonyms": ["pain"], "scales": ["BPI"], "common_scale": [0, 10]},
            {"code": "new_fracture", "label": "New vertebral fracture", "kind": "events"},
            {"code": "death", "kind": "events", "synonyms": ["fatal outcome"]},
        ],
        "scales": [{"code": "BPI", "label": "Brief Pain Inventory worst pain", "min": 0, "max": 10}],
    }
}


def test_a_review_declares_its_own_classes_outcomes_and_scales():
    v = Vocabulary.from_config(SPINE, source="spine/config.yaml")
    assert v.class_codes == ("vertebroplasty", "radiotherapy", "other")
    assert v.outcome_codes[:3] == ("pain", "new_fracture", "death")
    assert {o.code for o in STANDARD_OUTCOMES} <= set(v.outcome_codes)
    assert v.scale("BPI").contains(7.5) and not v.scale("BPI").contains(14)
    # a standard outcome named by the review keeps its kind and gains the review's synonyms
    death = v.outcome("death")
    assert death.standard and death.kind == "events" and "fatal outcome" in death.synonyms and "mortality" in death.synonyms
    # nothing of the bundled example leaks in
    assert "ablation" not in v.class_codes and "cement_leakage" not in v.outcome_codes


def test_round_trip_through_config():
    v = Vocabulary.from_config(SPINE)
    assert Vocabulary.from_config({"vocabulary": v.to_config()}) == Vocabulary.from_config(SPINE)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda c: c["vocabulary"].pop("outcomes"), "vocabulary.outcomes is required"),
        (lambda c: c["vocabulary"]["treatment_classes"].append({"code": "Vertebroplasty"}), "treatment_classes[2]: code 'Vertebroplasty'"),
        (lambda c: c["vocabulary"]["outcomes"][0].update(scales=["VAS"]), "scale 'VAS' is not declared"),
        (lambda c: c["vocabulary"]["outcomes"][2].update(kind="continuous"), "'death' is a standard outcome of kind 'events'"),
        (lambda c: c["vocabulary"]["scales"][0].update(min=10), "min 10 must be below max 10"),
        (lambda c: c["vocabulary"]["outcomes"].append({"code": "pain", "kind": "events"}), "code 'pain' appears twice"),
    ],
)
def test_invalid_vocabularies_name_the_key(mutate, message):
    config = yaml.safe_load(yaml.safe_dump(SPINE))
    mutate(config)
    with pytest.raises(VocabularyError, match="spine/config.yaml: .*" + message.replace("[", r"\[").replace("]", r"\]")):
        Vocabulary.from_config(config, source="spine/config.yaml")


def test_the_bundled_example_declares_the_sacral_vocabulary():
    config = yaml.safe_load((ROOT / "examples" / "sacral" / "config.yaml").read_text())
    v = Vocabulary.from_config(config)
    assert v.class_codes == ("ablation", "sacroplasty", "ablation+sacroplasty", "ert", "surgery", "other")
    assert v.outcome("pain").scales == ("NPRS", "NRS", "VAS10", "VAS100")
    assert v.scale("VAS100").max == 100


@pytest.mark.parametrize("raw, expected", [("yes", True), ("Y", True), ("true", True), (1, True), ("no", False),
                                           ("n", False), ("f", False), ("", False), (None, False), (float("nan"), False)])
def test_one_include_flag_parser(raw, expected):
    assert parse_flag(raw) is expected


def test_an_unknown_flag_names_where_it_was():
    with pytest.raises(ValueError, match="manual.csv line 4: include flag 'maybe'"):
        parse_flag("maybe", where="manual.csv line 4")


def test_a_review_folder_resolves_its_paths_from_the_folder(tmp_path, monkeypatch):
    from evidence.review import ReviewError, load_review

    review = tmp_path / "spine"
    review.mkdir()
    analyses = {"analyses": {"fracture": {"outcome": "new_fracture", "kind": "proportion", "measure": "PLO"}}}
    (review / "config.yaml").write_text(yaml.safe_dump({"review": {"title": "Spine", "corrections": "edits/c.csv"},
                                                        **SPINE, **analyses}))
    monkeypatch.chdir(tmp_path.parent)
    r = load_review(review)
    assert r.corrections == review.resolve() / "edits" / "c.csv"
    assert r.manual_entries == review.resolve() / "manual_entries.csv" and r.output == review.resolve() / "results"
    assert r.vocabulary.class_codes[0] == "vertebroplasty"
    with pytest.raises(ReviewError, match="no review here"):
        load_review(tmp_path / "missing")


def test_the_bundled_example_is_a_review_folder():
    from evidence.review import load_review

    r = load_review()
    assert r.root == ROOT / "examples" / "sacral"
    assert r.pdfs.is_dir() and r.manual_entries.is_file() and r.corrections.is_file()
