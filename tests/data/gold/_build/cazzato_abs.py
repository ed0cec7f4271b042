L = "At mean 31 ± 21 (SD) (median, 32; range: 2-70) months follow-up"
E1 = "At mean 31 ± 21 (SD) (median, 32; range: 2-70) months follow-up mean NPRS was 2 ± 2 (SD)"
E2 = "(median, 1; range: 0–6) vs. 5 ± 1 (median, 5; range: 4–8; P < 0.001) at the baseline"
SPEC = {
"pdf": "/work/main/examples/sacral/pdfs/cazzato2021_sacral_ablation_abstract.pdf",
"notes": ("One-page research-portal record (King's College London) holding only the abstract of Cazzato 2021: document_type abstract, "
          "decision excluded, duplicate_of cazzato2021 (the full text is cazzato2021_sacral_ablation_fulltext.pdf). No DOI printed. "
          "Values are still annotated as printed (same numbers as the full-text abstract). The abstract does not say the NPRS values are from the palliative group -> arm 'all'; "
          "local progression is stated for the 7 curative patients -> arm 'curative'. Complications: 'Five (22%) minor complications' -> complication_minor; "
          "total 23 from '23 consecutive patients'; no time point printed: label 'not stated' -> key unknown (timepoint_semantic procedural)."),
"study": {"document_type": "abstract", "decision": "excluded", "duplicate_of": "cazzato2021",
          "design": "retrospective study", "doi": None},
"arms": [
 {"arm": "all", "treatment_class": "ablation", "n_patients": 23, "n_lesions": 23, "page": 1},
 {"arm": "curative", "treatment_class": "ablation", "n_patients": 7, "n_lesions": 7, "page": 1, "part_of": "all"},
],
"values": [
 ("all", "pain", L, "mean", 2, 1, E1),
 ("all", "pain", L, "sd", 2, 1, E1),
 ("all", "pain", L, "median", 1, 1, E2),
 ("all", "pain", L, "min", 0, 1, E2),
 ("all", "pain", L, "max", 6, 1, E2),
 ("all", "pain", "at the baseline", "mean", 5, 1, E2),
 ("all", "pain", "at the baseline", "sd", 1, 1, E2),
 ("all", "pain", "at the baseline", "median", 5, 1, E2),
 ("all", "pain", "at the baseline", "min", 4, 1, E2),
 ("all", "pain", "at the baseline", "max", 8, 1, E2),
 ("all", "complication_minor", "not stated", "events", 5, 1, "Five (22%) minor complications were recorded.", {"timepoint": "procedural", "unit": "patients", "value_not_in_excerpt": True}),
 ("all", "complication_minor", "not stated", "total", 23, 1, "23 consecutive patients (12 women and 11 men;", {"timepoint": "procedural", "unit": "patients"}),
 ("all", "complication_minor", "not stated", "percent", 22, 1, "Five (22%) minor complications were recorded.", {"timepoint": "procedural", "unit": "patients"}),
 ("curative", "local_recurrence", "at mean 4 ± 4 (SD) (median, 2; range: 1-8) months follow-up", "events", 3, 1, "Three metastases out of 7 (43%) undergoing curative ablation showed local progression", {"unit": "lesions", "value_not_in_excerpt": True}),
 ("curative", "local_recurrence", "at mean 4 ± 4 (SD) (median, 2; range: 1-8) months follow-up", "total", 7, 1, "Three metastases out of 7 (43%) undergoing curative ablation showed local progression", {"unit": "lesions"}),
 ("curative", "local_recurrence", "at mean 4 ± 4 (SD) (median, 2; range: 1-8) months follow-up", "percent", 43, 1, "Three metastases out of 7 (43%) undergoing curative ablation showed local progression", {"unit": "lesions"}),
],
}
