SPEC = {
"pdf": "/work/shared/corpus/real/botto_1999_heart_cardioversion_rct_oldfonts.pdf",
"held_out": False,
"annotated": "2026-11-22, after the extractor's rules were written; scored once as held out, then the arm and screening rules were corrected on it (README)",
"redistributable": False,
"notes": ("Heart 1999. Prospective study of elective external (transthoracic dc) cardioversion of atrial fibrillation; 301 patients randomly "
          "assigned to anterolateral paddle position (group AL, n=151) or anteroposterior position (group AP, n=150) (p1 abstract, p1-2 Methods, "
          "p2 Table 1). Both arms 'other' (electrical cardioversion, not tumour ablation). All 301 analysed, so no n_analysed. "
          "The text layer maps ligature glyphs to wrong letters ('eYcacy' = efficacy, 'eVect' = effect, 'BroVoni' = Broffoni, 'diVerences'); "
          "labels and design are taken as printed on the rendered page; the excerpts below avoid ligatures. "
          "Values: p2 Results, 'There were no complications related to cardioversion and in particular all the cases of bradycardia after "
          "cardioversion were transient and none required temporary pacing.' Judgement: the sentence covers the whole randomised population "
          "(it follows 'in 281 of 301 patients (93.4%)'), so, as for Hwang's 'No major procedure related complications occurred', it is "
          "annotated as complication_any 0 in both arms, with the arm n as total (151, 150; no percent printed) and arm_alias 'all' on the zero "
          "events. Time point label 'related to cardioversion' does not parse; key 'procedural' set by hand. Not extended to "
          "complication_major/minor (no severity is named). The transient bradycardia cases are explicitly not complications and no count is printed. "
          "Not annotated: conversion to sinus rhythm (58% vs 67% low energy, 76% vs 87% high energy, 93% after crossover; 87/151, 100/150, "
          "114/151, 131/150) is rhythm conversion, not a pain 'responder' outcome; persistence of AF (10/37, 10/19) is not tumour recurrence; "
          "energy requirements; arrhythmia-duration predictors (Table 2, 281 successful vs 20 unsuccessful, not arms). "
          "Page 5 carries other eHEART abstracts (Serrador; Borghi 'Aortic balloon dilatation ... 90 cases' with 'three procedure related ... deaths' "
          "and 'Five non-lethal complications occurred'; Davey case report) - another study's data, not annotated."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "prospective study, patients randomly assigned to paddle position", "doi": None},
"arms": [
 {"arm": "Group AL", "treatment_class": "other", "n_patients": 151, "n_lesions": None, "page": 1,
  "label_variants": ["group AL", "Anterolateral group", "anterolateral paddle position", "AL"]},
 {"arm": "Group AP", "treatment_class": "other", "n_patients": 150, "n_lesions": None, "page": 1,
  "label_variants": ["group AP", "Anteroposterior group", "anteroposterior paddle position", "AP"]},
],
"values": [
 ("Group AL", "complication_any", "related to cardioversion", "events", 0, 2, "There were no compli- cations related to cardioversion", {"timepoint": "procedural", "unit": "patients", "arm_alias": "all", "value_not_in_excerpt": True}),
 ("Group AL", "complication_any", "related to cardioversion", "total", 151, 2, "AL; n = 151)", {"timepoint": "procedural", "unit": "patients"}),
 ("Group AP", "complication_any", "related to cardioversion", "events", 0, 2, "There were no compli- cations related to cardioversion", {"timepoint": "procedural", "unit": "patients", "arm_alias": "all", "value_not_in_excerpt": True}),
 ("Group AP", "complication_any", "related to cardioversion", "total", 150, 2, "(group AP; n = 150)", {"timepoint": "procedural", "unit": "patients"}),
],
}
