SPEC = {
"pdf": "/work/shared/corpus/real/loffler_2019_lumbar_fusion_reoperation_preprint.pdf",
"notes": ("Retrospective observational study (81 patients; 33 PMMA-augmented, 48 non-augmented LSF) plus a nested case-control study "
          "(18 reoperated vs 26 matched; not treatment arms, not annotated as arms). No pain scores. "
          "Judgement call: 'complications which led to revision surgery' (reoperations; Table 1 'Reoperations, n (%)') annotated as complication_major "
          "(complications needing surgery), 7/48 (15%) and 4/33 (12%). Table 2 counts by complication type (incl. 2 misplaced screws not counted as reoperations) "
          "are not summed because no total is printed. Time point label from the Table 2 caption 'after lumbar spinal fusion' -> post. "
          "Author manuscript: no DOI printed (arXiv:1911.02864 per SOURCES.md, not printed on the page)."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "retrospective observational study and case-control study", "doi": None},
"arms": [
 {"arm": "PMMA-augmented", "treatment_class": "surgery", "n_patients": 33, "n_lesions": None, "page": 2, "label_variants": ["augmented LSF"]},
 {"arm": "Non-augmented", "treatment_class": "surgery", "n_patients": 48, "n_lesions": None, "page": 2, "label_variants": ["non-augmented LSF"]},
],
"values": [
 ("Non-augmented", "complication_major", "after lumbar spinal fusion", "events", 7, 2, "Seven of 48 patients with non-augmented (15%)", {"unit": "patients", "also_pages": [4, 12], "value_not_in_excerpt": True}),
 ("Non-augmented", "complication_major", "after lumbar spinal fusion", "total", 48, 2, "Seven of 48 patients with non-augmented (15%)", {"unit": "patients", "also_pages": [12]}),
 ("Non-augmented", "complication_major", "after lumbar spinal fusion", "percent", 15, 2, "Seven of 48 patients with non-augmented (15%)", {"unit": "patients", "also_pages": [6, 12]}),
 ("PMMA-augmented", "complication_major", "after lumbar spinal fusion", "events", 4, 2, "4 of 33 patients with augmented LSF (12%) had reoperation", {"unit": "patients", "also_pages": [4, 12]}),
 ("PMMA-augmented", "complication_major", "after lumbar spinal fusion", "total", 33, 2, "4 of 33 patients with augmented LSF (12%) had reoperation", {"unit": "patients", "also_pages": [12]}),
 ("PMMA-augmented", "complication_major", "after lumbar spinal fusion", "percent", 12, 2, "4 of 33 patients with augmented LSF (12%) had reoperation", {"unit": "patients", "also_pages": [6, 12]}),
],
}
