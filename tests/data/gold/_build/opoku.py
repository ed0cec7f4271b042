SPEC = {
"pdf": "tests/data/pdfs/real/opoku_2018_lancet_moxidectin_rct.pdf",
"held_out": False,
"annotated": "2026-11-22, after the extractor's rules were written; scored once as held out, then the arm and screening rules were corrected on it (README)",
"notes": ("Phase 3 drug RCT (single oral dose moxidectin 8 mg vs ivermectin 150 ug/kg, 2:1) for onchocerciasis; both arms 'other'. "
          "Allocated 998 vs 501 (p1 abstract); received treatment 978 vs 494 (p1, p4 Figure 1; the safety population of Table 2); "
          "primary efficacy analysis (modified ITT, 12-month follow-up) 947 vs 480, given as n_analysed. "
          "Judgement: drug adverse events (serious AEs 39 vs 17, unrelated AEs, Mazzotti reactions, 'No serious adverse events were considered "
          "to be related to treatment') are drug-trial AEs, not procedure- or device-related complications, so no complication_* is annotated. "
          "'eye pain (moxidectin 29 [3%] ... ivermectin 8 [2%])' (p7) is an ocular AE term, not a pain score. "
          "'Optimal/suboptimal responses' and undetectable skin microfilariae are parasitological responses, not pain response, so not 'responder'. "
          "The adolescent columns of Table 2 (55 vs 24) carry no in-vocabulary values and are not annotated as subgroup arms."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "randomised, controlled, double-blind phase 3 trial", "doi": "10.1016/S0140-6736(17)32844-1"},
"arms": [
 {"arm": "Moxidectin", "treatment_class": "other", "n_patients": 998, "n_lesions": None, "page": 1, "n_analysed": 947,
  "note": "978 received moxidectin (safety population)"},
 {"arm": "Ivermectin", "treatment_class": "other", "n_patients": 501, "n_lesions": None, "page": 1, "n_analysed": 480,
  "note": "494 received ivermectin (safety population)"},
],
"values": [],
}
