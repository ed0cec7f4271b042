SPEC = {
"pdf": "tests/data/pdfs/real/ussher_2015_bmj_smoking_pregnancy_rct.pdf",
"held_out": False,
"annotated": "2026-11-22, after the extractor's rules were written; scored once as held out, then the arm and screening rules were corrected on it (README)",
"notes": ("Parallel-group RCT of a physical activity intervention (behavioural support plus supervised treadmill exercise and physical "
          "activity consultations) vs behavioural support only, for smoking cessation in pregnancy; both arms 'other'. "
          "Randomised 789: assigned 394 vs 395 (p4 Figure 1); included in the primary (ITT) analysis 392 vs 393 (p4 Figure 1, p7 Table 3), "
          "given as n_analysed. The abstract (p1) says '785 were included in the intention to treat analyses, with 392 assigned to the "
          "physical activity group', i.e. it calls the analysed 392 'assigned'; the flow chart's 394 is used as allocated n. "
          "Table 1 headers (n=391, n=393) and Table 6 (n=384, n=391, singleton births) are further denominators, not annotated. "
          "Judgement: adverse events here are maternal/fetal pregnancy and birth outcomes (any AE or SAE 217 [55%] vs 219 [56%]; miscarriage, "
          "stillbirth, neonatal death, caesarean delivery), not procedure- or device-related complications, so no complication_* is annotated. "
          "The footnote 'no serious adverse events were judged to be related to the physical activity intervention' (p8) concerns an exercise "
          "intervention, not a procedure or device, and is not annotated as complication_major 0. "
          "Smoking abstinence, 'relapse' to smoking, physical activity minutes, EPDS depression scores and weight are outside the vocabulary. "
          "Text-layer quirk: the p1 footer prints 'BMJ 2015;350:h2415' (sic); the DOI 10.1136/bmj.h2145 is printed correctly."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "Parallel group, randomised controlled, multicentre trial", "doi": "10.1136/bmj.h2145"},
"arms": [
 {"arm": "Physical activity group", "treatment_class": "other", "n_patients": 394, "n_lesions": None, "page": 4, "n_analysed": 392,
  "label_variants": ["physical activity group", "behavioural support plus physical activity intervention"]},
 {"arm": "Control group", "treatment_class": "other", "n_patients": 395, "n_lesions": None, "page": 4, "n_analysed": 393,
  "label_variants": ["control", "behavioural support only"]},
],
"values": [],
}
