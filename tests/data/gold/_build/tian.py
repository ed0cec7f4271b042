SPEC = {
"pdf": "/work/main/examples/sacral/pdfs/tian2022_sacroplasty_rfa_ajnr.pdf",
"notes": ("Retrospective comparative study: PSP + RFA (group A, 51 patients / 58 lesions) vs PSP alone (group B, 75 patients / 104 lesions). "
          "Page 1 is a cover page; the article starts on page 2. VAS 0-10. "
          "pain: baseline ('before the procedure') and day 1 ('on day 1 after the procedure' -> d1); the later follow-up VAS values are only in the "
          "Online Supplemental Data (not in this PDF). "
          "responder: 'pain relief' 46 of 51 (A) and 57 of 75 (B) on day 1 (the paper's '19 had no improvement' does not add up to 75; printed numbers kept). "
          "The 'overall pain relief rate' 90% vs 76% (abstract p2 and p5) carries no time point; judgement: keyed d1 because it equals 46/51 and 57/75. "
          "complication_major: 0 in A ('No major complications occurred in group A'), 1 in B (extravasated cement requiring surgery); no time point printed: label 'not stated' -> key unknown (timepoint_semantic procedural). "
          "The 3 symptomatic leakages in B (1 of them the major one) are not labelled complications -> no complication_any/minor annotated. "
          "cement_leakage per lesion (no time point printed: 'not stated' -> unknown; detected on CT immediately after the procedure, timepoint_semantic procedural): 10/58 and 20/104; percent printed as 17.24/19.23 (Table, p3) and 17/19 (text, p5) -> both annotated (distinct values). "
          "Not annotated: analgesic discontinuation/reduction 46/51 (90.19%) and 57/75 (76%) (not pain relief), analgesic scale, ODI, KPS, technical success."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "retrospective study", "doi": "10.3174/ajnr.A7587"},
"arms": [
 {"arm": "PSP + RFA", "treatment_class": "ablation+sacroplasty", "n_patients": 51, "n_lesions": 58, "page": 2, "label_variants": ["group A", "PSP + RFA (Group A; n = 51)"]},
 {"arm": "PSP", "treatment_class": "sacroplasty", "n_patients": 75, "n_lesions": 104, "page": 2, "label_variants": ["group B", "PSP (Group B; n = 75 )"]},
],
"values": [
 ("PSP + RFA", "pain", "before the procedure", "mean", 7.43, 5, "decreased from 7.43 (SD, 1.56) before the procedure"),
 ("PSP + RFA", "pain", "before the procedure", "sd", 1.56, 5, "decreased from 7.43 (SD, 1.56) before the procedure"),
 ("PSP + RFA", "pain", "on day 1 after the procedure", "mean", 2.25, 5, "procedure to 2.25 (SD, 1.35) on day 1 after the procedure"),
 ("PSP + RFA", "pain", "on day 1 after the procedure", "sd", 1.35, 5, "procedure to 2.25 (SD, 1.35) on day 1 after the procedure"),
 ("PSP", "pain", "before the procedure", "mean", 7.45, 5, "decreased from 7.45 (SD, 1.61) before the"),
 ("PSP", "pain", "before the procedure", "sd", 1.61, 5, "decreased from 7.45 (SD, 1.61) before the"),
 ("PSP", "pain", "on day 1 after the procedure", "mean", 3.02, 5, "procedure to 3.02 (SD, 1.55) on day 1 after the procedure"),
 ("PSP", "pain", "on day 1 after the procedure", "sd", 1.55, 5, "procedure to 3.02 (SD, 1.55) on day 1 after the procedure"),
 ("PSP + RFA", "responder", "On day 1 after the procedure", "events", 46, 5, "On day 1 after the procedure, 46 patients reported pain relief", {"unit": "patients"}),
 ("PSP + RFA", "responder", "On day 1 after the procedure", "total", 51, 2, "(n = 51, group A)", {"unit": "patients", "also_pages": [3, 4]}),
 ("PSP + RFA", "responder", "overall pain relief rate", "percent", 90, 2, "in group A than in group B (90%) versus 76%, P = .032)", {"timepoint": "d1", "unit": "patients", "also_pages": [5]}),
 ("PSP", "responder", "On day 1 after the procedure", "events", 57, 5, "While 57 had pain relief, 19 had no improvement.", {"unit": "patients"}),
 ("PSP", "responder", "On day 1 after the procedure", "total", 75, 2, "(n = 75, group B)", {"unit": "patients", "also_pages": [3, 4]}),
 ("PSP", "responder", "overall pain relief rate", "percent", 76, 2, "in group A than in group B (90%) versus 76%, P = .032)", {"timepoint": "d1", "unit": "patients", "also_pages": [5]}),
 ("PSP + RFA", "complication_major", "not stated", "events", 0, 5, "No major complications occurred in group A", {"timepoint": "procedural", "unit": "patients", "value_not_in_excerpt": True}),
 ("PSP + RFA", "complication_major", "not stated", "total", 51, 2, "(n = 51, group A)", {"timepoint": "procedural", "unit": "patients", "also_pages": [3, 4]}),
 ("PSP", "complication_major", "not stated", "events", 1, 5, "only 1 major complication of extravasated cement", {"timepoint": "procedural", "unit": "patients", "also_pages": [6]}),
 ("PSP", "complication_major", "not stated", "total", 75, 2, "(n = 75, group B)", {"timepoint": "procedural", "unit": "patients", "also_pages": [3, 4]}),
 ("PSP + RFA", "cement_leakage", "not stated", "events", 10, 3, "Cement leakage (No.) (%) 10 (17.24)", {"timepoint": "procedural", "unit": "lesions", "also_pages": [5]}),
 ("PSP + RFA", "cement_leakage", "not stated", "total", 58, 5, "Cement leakage occurred in 10/58 (17%) of the treated", {"timepoint": "procedural", "unit": "lesions"}),
 ("PSP + RFA", "cement_leakage", "not stated", "percent", 17.24, 3, "Cement leakage (No.) (%) 10 (17.24)", {"timepoint": "procedural", "unit": "lesions"}),
 ("PSP + RFA", "cement_leakage", "not stated", "percent", 17, 5, "Cement leakage occurred in 10/58 (17%) of the treated", {"timepoint": "procedural", "unit": "lesions"}),
 ("PSP", "cement_leakage", "not stated", "events", 20, 3, "20 (19.23)", {"timepoint": "procedural", "unit": "lesions", "also_pages": [5]}),
 ("PSP", "cement_leakage", "not stated", "total", 104, 5, "lesions in group A and 20/104 (19%) of treated", {"timepoint": "procedural", "unit": "lesions"}),
 ("PSP", "cement_leakage", "not stated", "percent", 19.23, 3, "20 (19.23)", {"timepoint": "procedural", "unit": "lesions"}),
 ("PSP", "cement_leakage", "not stated", "percent", 19, 5, "lesions in group A and 20/104 (19%) of treated", {"timepoint": "procedural", "unit": "lesions"}),
],
}
