SPEC = {
"pdf": "/work/shared/corpus/real/beatch_2016_bmccvd_vernakalant_rct.pdf",
"notes": ("Phase 3b RCT of a drug (vernakalant vs placebo; arms 'other'); randomised 145/72, dosed 129/68. "
          "Judgement: drug treatment-emergent adverse events / SAEs are not procedural complications and are not annotated as complication_*; "
          "'Pain'/'Chest pain' rows are AE/symptom terms, not pain scores. No in-vocabulary values."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "phase 3b randomized controlled trial", "doi": "10.1186/s12872-016-0289-0"},
"arms": [
 {"arm": "vernakalant", "treatment_class": "other", "n_patients": 145, "n_lesions": None, "page": 1, "n_analysed": 129},
 {"arm": "placebo", "treatment_class": "other", "n_patients": 72, "n_lesions": None, "page": 1, "n_analysed": 68},
],
"values": [],
}
