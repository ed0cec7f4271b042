SPEC = {
"pdf": "/work/shared/corpus/real/duytschaever_2023_circae_inspire_cohort.pdf",
"notes": ("inspIRE: prospective, multicenter, single-arm trial of cardiac pulsed field ablation (arms 'other'), reported as two cohorts "
          "Wave I (n=40) and Wave II (n=186), 226 in total; annotated as two arms as in the tables. "
          "complication_major = primary adverse events (PAEs, early-onset, within 7 days; Table 3 'PAEs 0 (0)'), 0/40 and 0/186 with percent 0. "
          "The per-type zero rows of Table 3 are not annotated separately. Not annotated: silent cerebral lesions on MRI (4 of 6, 4 of 33: asymptomatic imaging findings), "
          "AF recurrence/effectiveness, repeat ablation. Time point label 'within 7 days of initial ablation' (p3 definition) -> d7."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "prospective, multicenter, single-arm clinical trial", "doi": "10.1161/CIRCEP.122.011780"},
"arms": [
 {"arm": "Wave I", "treatment_class": "other", "n_patients": 40, "n_lesions": None, "page": 1},
 {"arm": "Wave II", "treatment_class": "other", "n_patients": 186, "n_lesions": None, "page": 1},
],
"values": [
 ("Wave I", "complication_major", "within 7 days of initial ablation", "events", 0, 4, "In either cohort, there were no reports of PAEs (Table 3).", {"unit": "patients", "also_pages": [7], "value_not_in_excerpt": True}),
 ("Wave I", "complication_major", "within 7 days of initial ablation", "total", 40, 7, "Wave I (n=40)", {"unit": "patients"}),
 ("Wave I", "complication_major", "within 7 days of initial ablation", "percent", 0, 7, "PAEs† 0 (0) 0 (0)", {"unit": "patients"}),
 ("Wave II", "complication_major", "within 7 days of initial ablation", "events", 0, 1, "In the Wave II phase, no primary adverse events were reported.", {"unit": "patients", "also_pages": [4, 7], "value_not_in_excerpt": True}),
 ("Wave II", "complication_major", "within 7 days of initial ablation", "total", 186, 7, "Wave II (n=186)", {"unit": "patients"}),
 ("Wave II", "complication_major", "within 7 days of initial ablation", "percent", 0, 7, "PAEs† 0 (0) 0 (0)", {"unit": "patients"}),
],
}
