SPEC = {
"pdf": "/work/shared/corpus/real/haufe_2016_tka_tibia_fracture.pdf",
"notes": ("Single-arm retrospective series of primary TKA for proximal tibia fractures (n=30; scores collected from 22). "
          "No pain score reported (KSS/WOMAC are composite function scores, not annotated). "
          "Complications: '7 patients with a complication that required a further surgical treatment' and no nonsurgical complications -> "
          "annotated as complication_any 7/30 (judgement: all complications needed reoperation, so the same 7 would also qualify as major; "
          "not duplicated under complication_major). The arm total 30 is used as denominator (not printed next to the count). "
          "Time point label for the complication count: 'during the follow-up' (abstract wording) -> last (timepoint_key treats any follow-up wording as last). Deaths not annotated."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "retrospective study", "doi": "10.1155/2016/6047876"},
"arms": [
 {"arm": "TKA", "treatment_class": "surgery", "n_patients": 30, "n_lesions": None, "page": 1},
],
"values": [
 ("TKA", "complication_any", "during the follow-up", "events", 7, 2, "we saw 7 patients with a complication that required a further", {"unit": "patients"}),
 ("TKA", "complication_any", "during the follow-up", "total", 30, 1, "we evaluated 30 patients treated with a TKA for a proximal tibia fracture", {"unit": "patients"}),
],
}
