SPEC = {
"pdf": "/work/shared/corpus/real/hwang_2021_medicine_af_cfae_rct.pdf",
"notes": ("RCT of persistent-AF catheter ablation (cardiac; arms 'other'): PVI + CFAE (n=25) vs PVI only (n=25). "
          "p4: 'No major procedure related complications occurred' -> complication_major 0/25 in both arms (procedural). "
          "'One patient in the PVI+CFAE group developed a groin hematoma after the procedure' -> judgement: complication_minor 1/25 and complication_any 1/25 "
          "for PVI + CFAE (the only complication reported, and not major); no explicit complication_any/minor zero is printed for PVI only, so none annotated. "
          "p7 'During one-year of the follow-up period, no patients experienced any late complications' is not arm-specific (not annotated). "
          "Not annotated: AF/AT recurrence, redo procedures, sinus rhythm, pacemaker implantation."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "randomized controlled trial", "doi": "10.1097/MD.0000000000026702"},
"arms": [
 {"arm": "PVI + CFAE", "treatment_class": "other", "n_patients": 25, "n_lesions": None, "page": 3},
 {"arm": "PVI only", "treatment_class": "other", "n_patients": 25, "n_lesions": None, "page": 3},
],
"values": [
 ("PVI + CFAE", "complication_major", "procedure related", "events", 0, 4, "No major procedure related complications occurred.", {"timepoint": "procedural", "unit": "patients", "value_not_in_excerpt": True}),
 ("PVI + CFAE", "complication_major", "procedure related", "total", 25, 6, "PVI + CFAE (n = 25)", {"timepoint": "procedural", "unit": "patients"}),
 ("PVI only", "complication_major", "procedure related", "events", 0, 4, "No major procedure related complications occurred.", {"timepoint": "procedural", "unit": "patients", "value_not_in_excerpt": True}),
 ("PVI only", "complication_major", "procedure related", "total", 25, 6, "PVI only (n = 25)", {"timepoint": "procedural", "unit": "patients"}),
 ("PVI + CFAE", "complication_minor", "after the procedure", "events", 1, 4, "One patient in the PVI+CFAE group developed a groin hematoma after the procedure", {"unit": "patients", "value_not_in_excerpt": True}),
 ("PVI + CFAE", "complication_minor", "after the procedure", "total", 25, 6, "PVI + CFAE (n = 25)", {"unit": "patients"}),
 ("PVI + CFAE", "complication_any", "after the procedure", "events", 1, 4, "One patient in the PVI+CFAE group developed a groin hematoma after the procedure", {"unit": "patients", "value_not_in_excerpt": True}),
 ("PVI + CFAE", "complication_any", "after the procedure", "total", 25, 6, "PVI + CFAE (n = 25)", {"unit": "patients"}),
],
}
