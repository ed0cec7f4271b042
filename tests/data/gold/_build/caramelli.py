SPEC = {
"pdf": "/work/shared/corpus/real/caramelli_2022_bmcmed_giraf_rct.pdf",
"notes": ("GIRAF RCT, dabigatran (N=99) vs warfarin (N=101); drug arms 'other'. Cognitive outcomes (MoCA, MMSE, NTB, CGNT) and bleeding/clinical events "
          "are outside the vocabulary; no values annotated. Table 1 reports the analysed subsets (83 vs 66), not used as arm n."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "randomized, parallel-group, controlled, open-label, hypothesis generating trial", "doi": "10.1186/s12916-022-02563-2"},
"arms": [
 {"arm": "dabigatran", "treatment_class": "other", "n_patients": 99, "n_lesions": None, "page": 1},
 {"arm": "warfarin", "treatment_class": "other", "n_patients": 101, "n_lesions": None, "page": 1},
],
"values": [],
}
