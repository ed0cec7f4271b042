PR = {"timepoint": "procedural", "unit": "patients"}
SPEC = {
"pdf": "/work/shared/corpus/real/masuda_2025_natmed_suppressaf_rct.pdf",
"notes": ("SUPPRESS-AF RCT (cardiac ablation; arms 'other'). Randomised 170 (PVI + LVA-ABL) and 172 (PVI-alone; 171 in the efficacy analysis, the abstract prints n = 171). "
          "complication_major = procedure-related serious adverse events 3 (1.7%) vs 3 (1.8%) (abstract p1 percentages; Extended Data Table 4 p15). "
          "complication_any = periprocedural adverse events 11 (6.5%) vs 4 (2.3%) (Extended Data Table 4 p15 and Table 5 'Total' p16). "
          "Not annotated: per-type rows, adverse events during 1-year follow-up (bleeding, stroke, death: not procedural complications), AF/AT recurrence. "
          "Time points: no time label printed with the counts besides 'Procedure-related'/'Periprocedural' -> key procedural."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "multicenter, randomized controlled trial", "doi": "10.1038/s41591-025-03674-y"},
"arms": [
 {"arm": "PVI + LVA-ABL", "treatment_class": "other", "n_patients": 170, "n_lesions": None, "page": 1, "label_variants": ["LVA-ABL group"]},
 {"arm": "PVI-alone", "treatment_class": "other", "n_patients": 172, "n_lesions": None, "page": 2, "n_analysed": 171},
],
"values": [
 ("PVI + LVA-ABL", "complication_major", "Procedure-related", "events", 3, 15, "Procedure-related serious adverse events, n (%) 3 (1.7) 3 (1.8)", PR),
 ("PVI + LVA-ABL", "complication_major", "Procedure-related", "total", 170, 15, "PVI+LVA-ABL PVI-alone pa n=170 n=172", PR),
 ("PVI + LVA-ABL", "complication_major", "Procedure-related", "percent", 1.7, 1, "groups (1.7% versus 1.8%, P < 0.0001)", dict(PR, also_pages=[15])),
 ("PVI-alone", "complication_major", "Procedure-related", "events", 3, 15, "Procedure-related serious adverse events, n (%) 3 (1.7) 3 (1.8)", PR),
 ("PVI-alone", "complication_major", "Procedure-related", "total", 172, 15, "PVI+LVA-ABL PVI-alone pa n=170 n=172", PR),
 ("PVI-alone", "complication_major", "Procedure-related", "percent", 1.8, 1, "groups (1.7% versus 1.8%, P < 0.0001)", dict(PR, also_pages=[15])),
 ("PVI + LVA-ABL", "complication_any", "Periprocedural", "events", 11, 15, "Periprocedural adverse events, n (%) 11 (6.5) 4 (2.3)", dict(PR, also_pages=[16])),
 ("PVI + LVA-ABL", "complication_any", "Periprocedural", "total", 170, 15, "PVI+LVA-ABL PVI-alone pa n=170 n=172", dict(PR, also_pages=[16])),
 ("PVI + LVA-ABL", "complication_any", "Periprocedural", "percent", 6.5, 15, "Periprocedural adverse events, n (%) 11 (6.5) 4 (2.3)", dict(PR, also_pages=[16])),
 ("PVI-alone", "complication_any", "Periprocedural", "events", 4, 15, "Periprocedural adverse events, n (%) 11 (6.5) 4 (2.3)", dict(PR, also_pages=[16])),
 ("PVI-alone", "complication_any", "Periprocedural", "total", 172, 15, "PVI+LVA-ABL PVI-alone pa n=170 n=172", dict(PR, also_pages=[16])),
 ("PVI-alone", "complication_any", "Periprocedural", "percent", 2.3, 15, "Periprocedural adverse events, n (%) 11 (6.5) 4 (2.3)", dict(PR, also_pages=[16])),
],
}
