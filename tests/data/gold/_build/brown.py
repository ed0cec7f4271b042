SPEC = {
"pdf": "tests/data/pdfs/real/brown_2014_lancetrm_stopadvisor_rct.pdf",
"held_out": False,
"annotated": "2026-11-22, after the extractor's rules were written; scored once as held out, then the arm and screening rules were corrected on it (README)",
"notes": ("Online RCT of an internet-based smoking-cessation website (StopAdvisor) vs an information-only control website; "
          "both arms 'other'. Randomised 4613: StopAdvisor n=2321, control n=2292 (p1 abstract, p3 Table 1 header, p5 Results). "
          "Analysis was by intention to treat with all randomised participants (lost to follow-up counted as smokers), so no separate n_analysed. "
          "Judgement: the low/high socioeconomic status subsamples (low SES 1088 vs 1054, high SES 1233 vs 1238) are stratified analyses, "
          "not annotated as subgroup arms because they carry no in-vocabulary values. "
          "No in-vocabulary values: biochemically verified abstinence (6-month sustained, 7-day point prevalence), website usage and "
          "'response rates' (follow-up questionnaire response) are outside the vocabulary; abstinence is not a 'responder' outcome "
          "(responder is pain relief/response only). No adverse events, complications or pain scores are reported."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "online randomised controlled trial", "doi": "10.1016/S2213-2600(14)70195-X"},
"arms": [
 {"arm": "StopAdvisor", "treatment_class": "other", "n_patients": 2321, "n_lesions": None, "page": 1,
  "label_variants": ["StopAdvisor group"]},
 {"arm": "Control", "treatment_class": "other", "n_patients": 2292, "n_lesions": None, "page": 1,
  "label_variants": ["control group", "information-only website"]},
],
"values": [],
}
