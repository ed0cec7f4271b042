SPEC = {
"pdf": "/work/shared/corpus/real/masuda_2020_jaha_volcano_rct.pdf",
"notes": ("VOLCANO RCT (cardiac ablation; all arms 'other'). Groups as printed: group A (no LVA, PVI only, n=336, not randomised), "
          "group B (LVA ablation, n=30) and group C (no LVA ablation, n=32) randomised, group D (voltage map not completed, n=4). "
          "complication_major = 'Severe complication developed in 2 patients in group A' (total = group A n 336, not printed next to the count). "
          "Judgement: 'No severe complication related to LVA ablation developed' / abstract 'No adverse events related to LVA ablation occurred' "
          "annotated as group B complication_major events 0 (total 30); no zero annotated for groups C/D (not stated explicitly). "
          "The cardiac tamponade in 1 of 403 patients happened before group assignment (excluded from groups) and is not annotated. "
          "No time point is printed for complications: label 'not stated' -> key unknown (timepoint_semantic procedural). Not annotated: AF recurrence."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "randomized controlled trial", "doi": "10.1161/JAHA.120.015927"},
"arms": [
 {"arm": "group A", "treatment_class": "other", "n_patients": 336, "n_lesions": None, "page": 1},
 {"arm": "group B", "treatment_class": "other", "n_patients": 30, "n_lesions": None, "page": 1},
 {"arm": "group C", "treatment_class": "other", "n_patients": 32, "n_lesions": None, "page": 1},
 {"arm": "group D", "treatment_class": "other", "n_patients": 4, "n_lesions": None, "page": 4},
],
"values": [
 ("group A", "complication_major", "not stated", "events", 2, 5, "Severe complication devel- oped in 2 patients in group A", {"timepoint": "procedural", "unit": "patients"}),
 ("group A", "complication_major", "not stated", "total", 336, 1, "336 (85%) had no LVA (group A)", {"timepoint": "procedural", "unit": "patients", "also_pages": [4, 5]}),
 ("group B", "complication_major", "not stated", "events", 0, 1, "No adverse events related to LVA ablation occurred", {"timepoint": "procedural", "unit": "patients", "also_pages": [5], "value_not_in_excerpt": True}),
 ("group B", "complication_major", "not stated", "total", 30, 1, "(group B, n=30)", {"timepoint": "procedural", "unit": "patients", "also_pages": [4, 5]}),
],
}
