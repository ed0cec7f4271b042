SPEC = {
"pdf": "/work/shared/corpus/real/mattioli_1998_clincardiol_scanned_ocr.pdf",
"held_out": False,
"annotated": "2026-11-22, after the extractor's rules were written; scored once as held out, then the arm and screening rules were corrected on it (README)",
"redistributable": False,
"notes": ("Clin Cardiol 1998, a scanned article with a noisy OCR text layer ('1 I7 patients', '64.7 f 13', '(3X patients)' for '(38 patients)', "
          "'Group I' for 'Group 1'); everything was read from the rendered pages. Prospective randomised drug trial of IV procainamide "
          "(Group 1) vs IV propafenone (Group 2) for conversion of acute AF; both arms 'other'. 117 enrolled, 41 converted spontaneously "
          "before therapy, 76 randomised 1:1: 38 procainamide, 38 propafenone (p2 Results; p2 Table I '(38 patients)'). All 76 analysed "
          "(Table II: 12+26 and 20+18). Arm labels: the drug names of the Table I/II headers, with 'Group 1'/'Group 2' as variants. "
          "No in-vocabulary values, so no excerpts are needed. Judgement: the 'Tolerability' section (drug-related side effects 4 (10%) "
          "in Group 2 and 3 (7.8%) in Group 1: bradycardia, hypotension, dermatitis, gastrointestinal upset) is drug adverse events, not "
          "procedure- or device-related complications. The rescue DC shock (78% restored; 76% vs 78%) has no complications reported. "
          "Conversion to sinus rhythm (69.5% vs 48.7%) and 'patients who responded to the therapy' are rhythm conversion, not pain 'responder'. "
          "'No deaths were observed' is outside the vocabulary. The printed percentages 69.5% and 48.7% do not equal 26/38 and 18/38 (68.4%, 47.4%); not needed here."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "prospective, randomized, and controlled study", "doi": None},
"arms": [
 {"arm": "Procainamide", "treatment_class": "other", "n_patients": 38, "n_lesions": None, "page": 2,
  "label_variants": ["Group 1", "procainamide-treated group (Group 1)"]},
 {"arm": "Propafenone", "treatment_class": "other", "n_patients": 38, "n_lesions": None, "page": 2,
  "label_variants": ["Group 2", "propafenone-treated group (Group 2)"]},
],
"values": [],
}
