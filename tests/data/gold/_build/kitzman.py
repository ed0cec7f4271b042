SPEC = {
"pdf": "/work/shared/corpus/real/kitzman_2013_jacc_nih_manuscript.pdf",
"held_out": False,
"annotated": "2026-11-22, after the extractor's rules were written; scored once as held out, then the arm and screening rules were corrected on it (README)",
"redistributable": False,
"notes": ("NIH author manuscript (19 pages; tables on pp14-19, Table 6 rotated on p19; figure on p13). RCT of 16 weeks of endurance "
          "exercise training (ET) vs attention control (CT, telephone calls) in older HFPEF patients; both arms 'other'. "
          "Randomised 63: ET n=32, CT n=31 (p1 abstract, p4 Results, p14 Table 1 'ET(N=32) CT (N= 31)'). "
          "n_analysed = completed final testing, 'Fifty-four patients (86%) completed final testing (24 ET, 30 CT)' (p4); the N rows of "
          "the tables vary by measure (Table 2 24/30, Table 3 25-24/30-29, Table 4 24-23/24-20, Table 5 24/28, Table 6 20/27). "
          "No in-vocabulary values. Judgement: the 'Responders analyses' (p6: FMD responders 5 (21%) ET vs 6 (21%) CT; carotid "
          "distensibility responders 4 (17%) vs 7 (35%)) are vascular-physiology responders, not pain relief or pain response, so not "
          "'responder' (as for the parasitological and blood-pressure 'responses' of Opoku and Williams). "
          "'One patient developed transient hypoglycemia during an exercise session; there were no other protocol-related events' (p4) "
          "is not a complication: the intervention is exercise training, not a procedure or device (as for Ussher). "
          "Peak VO2, FMD, carotid distensibility, LV function, SF-36/MLHFQ quality of life are outside the vocabulary; no pain score is "
          "printed (SF-36 is given only as physical/emotional summary scores). Dropout reasons (elective surgery 2 ET, HF hospitalization 1 ET) "
          "are not complications. The vertical 'NIH-PA Author Manuscript' watermark repeats in the text layer."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "randomized, controlled, single-blind trial", "doi": "10.1016/j.jacc.2013.04.033"},
"arms": [
 {"arm": "ET", "treatment_class": "other", "n_patients": 32, "n_lesions": None, "page": 1, "n_analysed": 24,
  "label_variants": ["endurance exercise training (ET)", "ET group"],
  "note": "24 ET completed final testing (p4)"},
 {"arm": "CT", "treatment_class": "other", "n_patients": 31, "n_lesions": None, "page": 1, "n_analysed": 30,
  "label_variants": ["attention control (CT)", "CT group", "Attention Control"],
  "note": "30 CT completed final testing (p4)"},
],
"values": [],
}
