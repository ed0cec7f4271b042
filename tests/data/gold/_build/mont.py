SPEC = {
"pdf": "/work/shared/corpus/real/mont_2014_ehj_sara_rct.pdf",
"notes": ("SARA RCT: catheter ablation (CA, n=98) vs antiarrhythmic drug therapy (ADT, n=48); both arms 'other' (cardiac). "
          "Only the 'Adverse events' paragraph (p5) has in-vocabulary values. CA: 98 procedures, 6 (6.1%) periprocedural complications "
          "(complication_any, unit procedures = patients here), of which '3 minor vascular access complications' (complication_minor 3/98). "
          "The two follow-up events in CA (renal haematoma, PV stenosis requiring stenting) are single named events, not annotated as a count. "
          "ADT: 'one flecainide intoxication and one minor vascular access complication (4.2% of patients)' -> complication_any events 2 "
          "(judgement: printed as 'one ... and one', summed), total 48, percent 4.2; complication_minor events 1 ('one minor vascular access complication'). "
          "ADT time point: no label printed for its events; the preceding sentence's 'During follow-up' used (timepoint_key -> 'last'). "
          "Not annotated: AF/arrhythmia recurrence, cardioversion, hospitalisation, AF-QoL."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "multicentre, randomized, controlled trial (open, parallel-groups)", "doi": "10.1093/eurheartj/eht457"},
"arms": [
 {"arm": "CA", "treatment_class": "other", "n_patients": 98, "n_lesions": None, "page": 1},
 {"arm": "ADT", "treatment_class": "other", "n_patients": 48, "n_lesions": None, "page": 1},
],
"values": [
 ("CA", "complication_any", "periprocedural", "events", 6, 5, "98 procedures were performed and 6 (6.1%) had periprocedural complications", {"unit": "procedures"}),
 ("CA", "complication_any", "periprocedural", "total", 98, 5, "98 procedures were performed and 6 (6.1%) had periprocedural complications", {"unit": "procedures"}),
 ("CA", "complication_any", "periprocedural", "percent", 6.1, 5, "98 procedures were performed and 6 (6.1%) had periprocedural complications", {"unit": "procedures"}),
 ("CA", "complication_minor", "periprocedural", "events", 3, 5, "and 3 minor vascular access complications that did not require inter-", {"unit": "procedures"}),
 ("CA", "complication_minor", "periprocedural", "total", 98, 5, "98 procedures were performed and 6 (6.1%) had periprocedural complications", {"unit": "procedures"}),
 ("ADT", "complication_any", "During follow-up", "events", 2, 5, "The ADT group had one fle-", {"unit": "patients", "value_not_in_excerpt": True, "derived": "one flecainide intoxication + one minor vascular access complication"}),
 ("ADT", "complication_any", "During follow-up", "total", 48, 1, "21 of 48 patients (43.7%) in the ADT group", {"unit": "patients", "also_pages": [3]}),
 ("ADT", "complication_any", "During follow-up", "percent", 4.2, 5, "(4.2% of patients)", {"unit": "patients"}),
 ("ADT", "complication_minor", "During follow-up", "events", 1, 5, "cainide intoxication and one minor vascular access complication", {"unit": "patients", "value_not_in_excerpt": True}),
 ("ADT", "complication_minor", "During follow-up", "total", 48, 1, "21 of 48 patients (43.7%) in the ADT group", {"unit": "patients", "also_pages": [3]}),
],
}
