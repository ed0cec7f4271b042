SPEC = {
"pdf": "/work/shared/corpus/real/takeda_1998_jpncircj_cpap_encrypted_perms.pdf",
"held_out": False,
"annotated": "2026-11-22, after the extractor's rules were written; scored once as held out, then the arm and screening rules were corrected on it (README)",
"redistributable": False,
"notes": ("Jpn Circ J 1998 (owner-password encrypted, opens without a password). 29 consecutive patients with pulmonary edema after acute MI "
          "divided into 3 groups: 7 already intubated on admission (intubation group, not randomised, all in cardiogenic shock), and the "
          "rest randomly assigned by envelope method to nasal CPAP + oxygen (CPAP group, n=11) or oxygen by face mask (oxygen group, n=11) "
          "(p1 abstract, p2 Methods, p3 Tables 1 and 3). All arms 'other'. Judgement: the intubation group is kept as an arm because the paper "
          "reports it as one of its three study groups in every table, but it was not randomised (its n is the group size, 'intubation group "
          "(n=7)'); a scorer may restrict arms to the two randomised groups. No n_analysed (all reported in Table 3; Tables 4-5 give smaller "
          "n at 24/48 h for some measures). "
          "No in-vocabulary values. 'Intubation and mechanical ventilation' (2 (18%) vs 8 (73%)) is an outcome, not a complication; in-hospital "
          "death (4 (57%), 1 (9%), 7 (64%)) is outside the vocabulary. Complete atrio-ventricular block (2, 1, 1), recurrent infarction and "
          "cardiogenic shock are complications of the infarction, not of CPAP or the oxygen mask. 'typical chest pain lasting at least 30 min' "
          "is a diagnostic criterion, not a pain score. 'the nasal mask was fitted to minimise leakage' is air leakage, not cement_leakage. "
          "IABP/PCPS use is treatment, not a complication."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "prospective study; CPAP and oxygen groups assigned at random by envelope method (intubation group not randomised)", "doi": None},
"arms": [
 {"arm": "Intubation group", "treatment_class": "other", "n_patients": 7, "n_lesions": None, "page": 1,
  "note": "not randomised: patients already on mechanical ventilation with intubation at study entry"},
 {"arm": "CPAP group", "treatment_class": "other", "n_patients": 11, "n_lesions": None, "page": 1,
  "label_variants": ["CPAP", "nasal CPAP"]},
 {"arm": "Oxygen group", "treatment_class": "other", "n_patients": 11, "n_lesions": None, "page": 1,
  "label_variants": ["Oxygen"]},
],
"values": [],
}
