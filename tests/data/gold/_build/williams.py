SPEC = {
"pdf": "tests/data/pdfs/real/williams_2015_lancet_pathway2_rct.pdf",
"held_out": False,
"annotated": "2026-11-22, after the extractor's rules were written; scored once as held out, then the arm and screening rules were corrected on it (README)",
"notes": ("PATHWAY-2: randomised, double-blind, placebo-controlled crossover drug trial; every patient rotated through four 12-week cycles "
          "(spironolactone 25-50 mg, doxazosin MR 4-8 mg, bisoprolol 5-10 mg, placebo) in a randomised order. All four arms 'other'. "
          "Judgement (crossover): 335 were randomised (to a sequence) and so allocated to every treatment, so n_patients is 335 for each "
          "treatment; the per-treatment counts printed on p1 and p5 ('285 patients received spironolactone, 282 doxazosin, 285 bisoprolol, and "
          "274 placebo'; the ITT population with follow-up on that drug, Figure 1 p3) are given as n_analysed. A scorer may reasonably accept "
          "the per-treatment n as the arm n. ITT overall 314; 230 completed all cycles. "
          "No in-vocabulary values: home/clinic blood pressure, blood pressure control rates ('response rates', 219 of 314 at target) and "
          "renin analyses are outside the vocabulary (BP control is not a pain 'responder' outcome). Table 5 adverse events (serious AEs 7/5/8/5, "
          "any AE 58/67/68/42, withdrawals 4/9/4/3) and hyperkalaemia (6 of 285 on spironolactone) are drug-trial AEs, not procedure- or "
          "device-related complications, and are not annotated."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "randomised, double-blind, crossover trial", "doi": "10.1016/S0140-6736(15)00257-3"},
"arms": [
 {"arm": "Spironolactone", "treatment_class": "other", "n_patients": 335, "n_lesions": None, "page": 1, "n_analysed": 285,
  "note": "crossover: all 335 randomised were allocated to every treatment; 285 = ITT with follow-up on spironolactone"},
 {"arm": "Doxazosin", "treatment_class": "other", "n_patients": 335, "n_lesions": None, "page": 1, "n_analysed": 282,
  "note": "crossover: all 335 randomised were allocated to every treatment; 282 = ITT with follow-up on doxazosin"},
 {"arm": "Bisoprolol", "treatment_class": "other", "n_patients": 335, "n_lesions": None, "page": 1, "n_analysed": 285,
  "note": "crossover: all 335 randomised were allocated to every treatment; 285 = ITT with follow-up on bisoprolol"},
 {"arm": "Placebo", "treatment_class": "other", "n_patients": 335, "n_lesions": None, "page": 1, "n_analysed": 274,
  "note": "crossover: all 335 randomised were allocated to every treatment; 274 = ITT with follow-up on placebo"},
],
"values": [],
}
