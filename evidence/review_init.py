"""``srtk init``: a new review folder that validates and runs as written.

It holds a commented ``config.yaml`` (every section, the required keys set, optional keys shown
with their defaults), ``manual_entries.csv`` and ``corrections.csv`` with their header rows and
one example row each (the correction corrects the example value), and an empty ``pdfs/``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from evidence.curation.schemas import CORRECTION_OPTIONAL, CORRECTION_REQUIRED, MANUAL_OPTIONAL, MANUAL_REQUIRED
from evidence.review import CONFIG_NAME, Review, ReviewError, load_review

CONFIG_TEMPLATE = """\
# Configuration of one systematic review. This file is the whole config: nothing is merged into
# it, keys left out take the defaults shown (commented out) below, and an unknown key is an error.
# Every key is listed in docs/reference.md. Relative paths are read from this folder.
# Run:  srtk run {folder} --cores 2      (results, logs and the report go to {folder}/results)

review:
  title: "{title}"
  # pdfs: pdfs                          # folder of study PDFs; absent or empty = abstracts only
  # manual_entries: manual_entries.csv  # values entered by hand, one per row (docs/curation.md)
  # corrections: corrections.csv        # curators' corrections, append-only (docs/curation.md)
  # risk_of_bias: risk_of_bias.csv      # optional: used when the file exists
  # grade: grade.csv                    # optional: the reviewer's GRADE judgements
  # output: results                     # results, logs and the report

# The review's own vocabulary: every code the tables may hold. Standard outcomes (death,
# serious_adverse_event, adverse_event, follow_up, age, sex_female, sex_male, other) always exist.
vocabulary:
  # Treatment classes in display order: the subgroups of every analysis ("other" is added last).
  treatment_classes:
    - code: intervention
      label: Intervention
      keywords: []          # words that name the class in a paper (used by extraction)
    - code: comparator
      label: Comparator
      keywords: []
  outcomes:
    - code: pain
      label: Pain
      kind: continuous      # continuous | events | duration
      synonyms: [pain]
      scales: [NRS]         # the scales it is measured on (declared under scales)
      common_scale: [0, 10] # every scale is rescaled to this range before pooling
    - code: complication
      label: Complication
      kind: events
      synonyms: [complication, complications]
  scales:
    - code: NRS
      label: Numeric rating scale (0-10)
      min: 0
      max: 10
      synonyms: [NRS]

# curation:
#   on_stale: error         # a correction whose target changed: stop (error) or list it (report)

# harmonize:
#   pre_post_r: 0.5         # baseline/follow-up correlation for the SD of a change
#   timepoint_grid:         # windows for analyses of kind "window": name -> [first day, last day]
#     m6: [136, 270]

# One meta-analysis per entry, pooled by treatment class.
analyses:
  pain_last:
    outcome: pain
    kind: last              # last | change | window | proportion
    measure: MN             # MN (means), MC (mean change), PLO/PR/PFT/PAS (proportions), ...
    title: "Pain at last follow-up (0-10)"
  complication:
    outcome: complication
    kind: proportion
    measure: PLO
    title: "Complications"

# models:
#   method: REML            # tau² estimator: REML, DL, PM, ML, HS, SJ, EB, HE or FE
#   test: knha              # knha (Hartung-Knapp) or z
#   level: 95               # confidence level in percent
"""

EXAMPLE_MANUAL = {
    "study_id": "example2020", "citation": "Example A, Sample B. Replace this row with your first value. J Example 2020;1:1-9",
    "doi": "", "design": "retrospective case series", "arm_id": "all", "arm_label": "all patients",
    "treatment_class": "intervention", "n_patients": "20", "n_lesions": "", "outcome": "pain",
    "timepoint_label": "6 months", "scale": "NRS", "unit": "patients", "field": "mean", "value": "3.1",
    "source_address": "https://doi.org/10.0000/example p.3", "excerpt": "mean NRS 3.1 at 6 months",
    "curator": "your-name", "date": "2026-01-01", "reason": "example row: replace it", "include": "yes",
    "exclusion_reason": "", "document_type": "abstract", "duplicate_of": "", "year": "2020",
}
EXAMPLE_CORRECTION = {
    "study_id": "example2020", "arm_id": "all", "outcome": "pain", "timepoint": "m6", "field": "mean",
    "old_value": "3.1", "new_value": "3.2", "curator": "your-name", "date": "2026-01-02",
    "reason": "example row: the table gives 3.2 (replace or delete this row)", "scale": "", "unit": "",
    "timepoint_label": "", "source_address": "https://doi.org/10.0000/example p.4 table 2",
}


def _csv(columns: tuple[str, ...], row: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue()


def init_review(folder: str | Path, *, title: str = "My systematic review", force: bool = False) -> list[Path]:
    """Write a new review into ``folder``; returns the files written. Existing files are never
    overwritten unless ``force``. The result is checked as ``srtk run`` would check it."""
    folder = Path(folder)
    files = {
        folder / CONFIG_NAME: CONFIG_TEMPLATE.format(title=title.replace('"', "'"), folder=folder),
        folder / "manual_entries.csv": _csv(MANUAL_REQUIRED + MANUAL_OPTIONAL, EXAMPLE_MANUAL),
        folder / "corrections.csv": _csv(CORRECTION_REQUIRED + CORRECTION_OPTIONAL, EXAMPLE_CORRECTION),
    }
    existing = [str(p) for p in files if p.exists()]
    if existing and not force:
        raise FileExistsError(f"{', '.join(existing)} already exist(s); use --force to overwrite")
    (folder / "pdfs").mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    check_review(load_review(folder))
    return list(files)


def check_review(review: Review) -> None:
    """The review's config, inputs and curation files are valid (raises naming file/line/column)."""
    from evidence import vocabulary
    from evidence.curation.corrections import load_corrections
    from evidence.curation.errors import CurationError
    from evidence.curation.manual import load_manual

    review.check_inputs()
    vocabulary.use(review.vocabulary)
    try:
        load_manual(review.manual_entries)
        load_corrections(review.corrections)
    except CurationError as exc:
        raise ReviewError(str(exc)) from None
