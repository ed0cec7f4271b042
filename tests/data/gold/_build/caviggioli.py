SPEC = {
"pdf": "/work/shared/corpus/real/caviggioli_2016_fatgraft_pain_vas.pdf",
"notes": ("Non-randomised comparative clinical study (fat grafting vs untreated controls who refused surgery). "
          "Arms: 'Treated' (120 analysed) and 'Control' (78 allocated on p1/p2; Table 1 says 70 control patients analysed after 8 lost). "
          "Table 1 also reports two subgroups of the treated arm ('Stop pharmacologic therapy' 28+20=48, 'Continue pharmacologic therapy' 6+5=11) "
          "with their own VAS before/after; annotated as arms with subgroup_of='Treated'. n=11 for the continue subgroup is not printed as one number (6+5 in Table 1). "
          "VAS 0-10. Time points: labels as first printed (p2 text): 'before fat grafting'/'before treatment' -> baseline, 'after treatment' -> post; "
          "controls 'first outpatient visit' (timepoint_key does not recognise it; set to baseline by hand) and 'at follow-up visit' -> last. "
          "All follow-up was at 12 months (range 11.7-13.5), so post/last here equal ~m12. "
          "NOT annotated: mean/median/range VAS *decrease* (change scores, not scores at a time point: 3.19+-2.86, 1.14+-2.72, 4.23+-2.14, 1.15+-2.79, medians 2.63/1.09/4.86/1.0); "
          "analgesic discontinuation 48/59 (not pain response); 'no complications' sentence in Methods (an eligibility description, not an outcome count)."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "clinical study (retrospective review of experience, treated vs untreated controls)", "doi": "10.1155/2016/2527349"},
"arms": [
 {"arm": "Treated", "treatment_class": "other", "n_patients": 120, "n_lesions": None, "page": 1},
 {"arm": "Control", "treatment_class": "other", "n_patients": 78, "n_lesions": None, "page": 1, "n_analysed": 70},
 {"arm": "Stop pharmacologic therapy", "treatment_class": "other", "n_patients": 48, "n_lesions": None, "page": 1, "subgroup_of": "Treated"},
 {"arm": "Continue pharmacologic therapy", "treatment_class": "other", "n_patients": 11, "n_lesions": None, "page": 3, "subgroup_of": "Treated", "n_printed": False},
],
"values": [
 ("Treated", "pain", "before fat grafting", "mean", 7.2, 2, "we observed a mean VAS before fat grafting of 7.2 (SD ± 2.1)", {"also_pages": [3]}),
 ("Treated", "pain", "before fat grafting", "sd", 2.1, 2, "we observed a mean VAS before fat grafting of 7.2 (SD ± 2.1)", {"also_pages": [3]}),
 ("Treated", "pain", "after treatment", "mean", 3.3, 2, "a value of 3.3 (SD ± 3.1) after treatment", {"also_pages": [3]}),
 ("Treated", "pain", "after treatment", "sd", 3.1, 2, "a value of 3.3 (SD ± 3.1) after treatment", {"also_pages": [3]}),
 ("Stop pharmacologic therapy", "pain", "before fat grafting", "mean", 7.7, 2, "In this group mean VAS before fat grafting was 7.7 (±2.7)", {"also_pages": [3]}),
 ("Stop pharmacologic therapy", "pain", "before fat grafting", "sd", 2.7, 2, "In this group mean VAS before fat grafting was 7.7 (±2.7)", {"also_pages": [3]}),
 ("Stop pharmacologic therapy", "pain", "after autologous fat grafting", "mean", 3.4, 2, "3.4 (±2.4) after autologous fat grafting", {"also_pages": [3]}),
 ("Stop pharmacologic therapy", "pain", "after autologous fat grafting", "sd", 2.4, 2, "3.4 (±2.4) after autologous fat grafting", {"also_pages": [3]}),
 ("Continue pharmacologic therapy", "pain", "before treatment", "mean", 7.9, 2, "mean VAS before treatment was 7.9 (±1.9)", {"also_pages": [3]}),
 ("Continue pharmacologic therapy", "pain", "before treatment", "sd", 1.9, 2, "mean VAS before treatment was 7.9 (±1.9)", {"also_pages": [3]}),
 ("Continue pharmacologic therapy", "pain", "after treatment", "mean", 4.2, 2, "ment mean value was 4.2 (±2.3)", {"also_pages": [3]}),
 ("Continue pharmacologic therapy", "pain", "after treatment", "sd", 2.3, 2, "ment mean value was 4.2 (±2.3)", {"also_pages": [3]}),
 ("Control", "pain", "first outpatient visit", "mean", 6.9, 2, "showed a mean VAS of 6.9 (±2.2)", {"timepoint": "baseline", "also_pages": [3]}),
 ("Control", "pain", "first outpatient visit", "sd", 2.2, 2, "showed a mean VAS of 6.9 (±2.2)", {"timepoint": "baseline", "also_pages": [3]}),
 ("Control", "pain", "at follow-up visit", "mean", 5.8, 2, "of 5.8 (±1.9) reporting a mean pain decrease of 1.14", {"also_pages": [3]}),
 ("Control", "pain", "at follow-up visit", "sd", 1.9, 2, "of 5.8 (±1.9) reporting a mean pain decrease of 1.14", {"also_pages": [3]}),
],
}
