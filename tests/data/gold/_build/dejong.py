SPEC = {
"pdf": "tests/data/pdfs/real/dejong_2015_critcare_acth_cohort_provisional.pdf",
"held_out": False,
"annotated": "2026-11-22, after the extractor's rules were written; scored once as held out, then the arm and screening rules were corrected on it (README)",
"notes": ("BMC Critical Care provisional PDF (p1 is a cover sheet; pp15-16 are image-only: Figure 1 flow chart and Figure 2 scatter plots, "
          "read from the rendered pages). Single prospective cohort of 59 ICU patients with suspected CIRCI, each given two 250 mcg ACTH "
          "tests; no treatment arms, so one arm 'all' (n=59, 'other'). "
          "Judgement: the groups 'Test 1/Test 2 delta cortisol < / >= 250 nmol/L' (n=17/42 and 14/45, Tables 2-3) are groups defined by the "
          "cortisol response to ACTH, not allocated arms, and are not annotated as arms. 'Low/normal responders' refers to the adrenal "
          "cortisol response to ACTH, not pain relief, so it is not a 'responder' outcome. ICU/hospital mortality, disease severity scores, "
          "sepsis and laboratory values are outside the vocabulary. No complications, pain scores or recurrences are reported. "
          "Text-layer quirk: p1 text has 'Critical Care (2015)9: Sample' and a stray 'Sample' that are not visible on the rendered page "
          "(which shows 'Published online: 06 January 2015'); the DOI is printed on p1 as 'doi:10.1186/s13054-014-0721-8'."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "prospective cohort study", "doi": "10.1186/s13054-014-0721-8"},
"arms": [
 {"arm": "all", "treatment_class": "other", "n_patients": 59, "n_lesions": None, "page": 2},
],
"values": [],
}
