SPEC = {
"pdf": "/work/shared/corpus/real/vamos_2020_clincardiol_athena_posthoc.pdf",
"notes": ("Post hoc analysis of the ATHENA RCT restricted to patients with prior AF/AFL ablation: dronedarone 90, placebo 106 (drug arms 'other'; "
          "safety population 89/106). Judgement: drug TEAEs (83.1% vs 75.5%) and serious TEAEs (27.0% vs 18.9%) are adverse drug events, not procedural complications, "
          "and are not annotated as complication_*. AF/AFL recurrence, CV hospitalisation and deaths are outside the vocabulary. "
          "Whole-ATHENA columns (n=2301/2327) are not arms of this analysis."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "post hoc analysis of a randomized trial (ATHENA)", "doi": "10.1002/clc.23309"},
"arms": [
 {"arm": "dronedarone", "treatment_class": "other", "n_patients": 90, "n_lesions": None, "page": 1},
 {"arm": "placebo", "treatment_class": "other", "n_patients": 106, "n_lesions": None, "page": 1},
],
"values": [],
}
