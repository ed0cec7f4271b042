"""docs/reference.md is generated from the config schema, vocab and the curation schemas; it must
not drift from them."""

from __future__ import annotations

from evidence import reference
from evidence.curation import schemas as cs
from evidence.review import config_schema


def test_reference_page_is_up_to_date() -> None:
    assert reference.PAGE.read_text(encoding="utf-8") == reference.render(), (
        "docs/reference.md is out of date; run: python -m evidence.reference")


def test_reference_lists_every_config_key_and_csv_column() -> None:
    page = reference.PAGE.read_text(encoding="utf-8")
    keys = [row[0] for row in reference.config_rows(config_schema())]
    for key in ("`review.output`", "`vocabulary.scales[].max`", "`analyses.<name>.measure`", "`models.method`"):
        assert key in keys
    assert all(f"| {key} |" in page for key in keys)
    for column in cs.MANUAL_REQUIRED + cs.MANUAL_OPTIONAL + cs.CORRECTION_REQUIRED + cs.CORRECTION_OPTIONAL:
        assert f"| `{column}` |" in page, column


def test_check_mode_fails_on_a_drifted_page(tmp_path) -> None:
    stale = tmp_path / "reference.md"
    stale.write_text(reference.render().replace("models.level", "models.lvl"))
    assert reference.main(["--check", "--out", str(stale)]) == 1
    assert reference.main(["--check"]) == 0
