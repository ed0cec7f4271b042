SPEC = {
"pdf": "/work/shared/corpus/real/anter_2024_natmed_latticetip_ablation_rct.pdf",
"notes": ("Cardiac catheter-ablation RCT (SPHERE Per-AF); arms are 'other' (not tumour ablation). Arms randomised 219/213; "
          "safety/primary analysis cohort 212/208 (n_analysed). complication_major = primary safety events (serious procedure- or device-related AEs): "
          "3 (1.4%) vs 2 (1.0%). complication_any = Extended Data Table 5 'All adverse events related or possibly related to procedure or device', "
          "Total row, patients: 29/212 (13.7%) vs 32/208 (15.4%); the event counts 31 and 43 (AEs, not patients) are not annotated. "
          "Individual AE rows (incl. 'Abdominal pain', 'Chest pain' as AE terms) and the per-type zeros of Table 3 are not annotated. "
          "Not annotated: AF recurrence/effectiveness endpoints, repeat ablation, QoL (AFEQT/SF-12), silent MRI lesions. "
          "Time points: 'procedural or device-related' -> procedural; for the Extended Data Table 5 total the label does not parse, key set to procedural by hand."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "randomized, single-blind, non-inferiority trial", "doi": "10.1038/s41591-024-03022-6"},
"arms": [
 {"arm": "Investigational", "treatment_class": "other", "n_patients": 219, "n_lesions": None, "page": 2, "n_analysed": 212},
 {"arm": "Control", "treatment_class": "other", "n_patients": 213, "n_lesions": None, "page": 2, "n_analysed": 208},
],
"values": [
 ("Investigational", "complication_major", "procedural or device-related", "events", 3, 1, "Major procedural or device-related complications occurred in three patients in the investigational arm", {"unit": "patients", "also_pages": [3, 6], "value_not_in_excerpt": True}),
 ("Investigational", "complication_major", "procedural or device-related", "total", 212, 3, "The primary safety analysis included 212 investigational patients", {"unit": "patients", "also_pages": [6]}),
 ("Investigational", "complication_major", "procedural or device-related", "percent", 1.4, 3, "events occurred in three (1.4%) patients in the investigational arm", {"unit": "patients", "also_pages": [4, 6]}),
 ("Control", "complication_major", "procedural or device-related", "events", 2, 1, "in two patients in the control arm", {"unit": "patients", "also_pages": [3, 6], "value_not_in_excerpt": True}),
 ("Control", "complication_major", "procedural or device-related", "total", 208, 3, "and 208 control patients in the primary analysis cohort", {"unit": "patients", "also_pages": [6]}),
 ("Control", "complication_major", "procedural or device-related", "percent", 1.0, 3, "in two (1.0%) patients in the control arm", {"unit": "patients", "also_pages": [4, 6], "value_not_in_excerpt": True}),
 ("Investigational", "complication_any", "related or possibly related to procedure or device", "events", 29, 17, "Total 31 (29, 13.7%)", {"timepoint": "procedural", "unit": "patients"}),
 ("Investigational", "complication_any", "related or possibly related to procedure or device", "total", 212, 17, "Investigational arm (n = 212)", {"timepoint": "procedural", "unit": "patients"}),
 ("Investigational", "complication_any", "related or possibly related to procedure or device", "percent", 13.7, 17, "Total 31 (29, 13.7%)", {"timepoint": "procedural", "unit": "patients"}),
 ("Control", "complication_any", "related or possibly related to procedure or device", "events", 32, 17, "43 (32, 15.4%)", {"timepoint": "procedural", "unit": "patients"}),
 ("Control", "complication_any", "related or possibly related to procedure or device", "total", 208, 17, "Control arm (n = 208)", {"timepoint": "procedural", "unit": "patients"}),
 ("Control", "complication_any", "related or possibly related to procedure or device", "percent", 15.4, 17, "43 (32, 15.4%)", {"timepoint": "procedural", "unit": "patients"}),
],
}
