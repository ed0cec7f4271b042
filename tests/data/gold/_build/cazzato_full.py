P = {"timepoint": "procedural"}
SPEC = {
"pdf": "/work/main/examples/sacral/pdfs/cazzato2021_sacral_ablation_fulltext.pdf",
"notes": ("Single-centre retrospective series: 23 patients / 23 sacral metastases treated with RFA (9) or cryoablation (14); page 1 is the HAL cover page. "
          "Arms: 'all' (23) plus the two intent groups the outcomes are reported for: 'palliative' (16; pain) and 'curative' (7; local progression). "
          "Values of 'palliative'/'curative' that the abstract states without naming the group carry arm_alias 'all'. "
          "Deeper splits printed only as proportions (RFA 4/5 vs CA 9/11; ablation 10/13 vs ablation and ERT 3/3 in palliative; ablation alone 3/5 vs ablation and ERT 0/2 in curative) "
          "are annotated as subgroup arms (subgroup=true on values); their n are the printed denominators. "
          "pain: NPRS 0-10 at baseline and at mean follow-up (abstract 'At mean 31 ± 21 (SD) ... months follow-up' -> last; p5 misprints 'years'). "
          "responder: 'NPRS drop of at least 3 points' at that time point (key last set by hand). "
          "Complications: 5/23 (22%); the abstract calls them minor ('Five (22%) minor complications') -> annotated as complication_minor (p2) and complication_any (p5 'Complications developed in 5 patients'); "
          "no time point printed ('procedure-related' -> key procedural by hand). Palliative 4/16 (25%) vs curative 1/7 (14%) annotated; "
          "the ERT split '(1/5; 20%) ... vs four sites (4/5; 80%)' is a share of the complications, not a rate -> not annotated. "
          "local_recurrence = local tumour progression in curative patients, per metastasis (= patients here). "
          "Not annotated: Madaelil et al. values quoted in the Discussion (another study), per-type complication counts (neuropathies 4/23, pain 1/23), 'median NPRS reduction of 5 points' (change)."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "single center retrospective study", "doi": "10.1016/j.diii.2020.12.008"},
"arms": [
 {"arm": "all", "treatment_class": "ablation", "n_patients": 23, "n_lesions": 23, "page": 2},
 {"arm": "palliative", "treatment_class": "ablation", "n_patients": 16, "n_lesions": 16, "page": 2, "part_of": "all"},
 {"arm": "curative", "treatment_class": "ablation", "n_patients": 7, "n_lesions": 7, "page": 2, "part_of": "all"},
 {"arm": "RFA", "treatment_class": "ablation", "n_patients": 5, "n_lesions": None, "page": 5, "subgroup_of": "palliative", "note": "palliative patients treated with RFA; n from the printed denominator 4/5 (9 RFA overall)"},
 {"arm": "CA", "treatment_class": "ablation", "n_patients": 11, "n_lesions": None, "page": 5, "subgroup_of": "palliative", "note": "palliative patients treated with cryoablation; n from 9/11 (14 CA overall)"},
 {"arm": "ablation", "treatment_class": "ablation", "n_patients": 13, "n_lesions": None, "page": 5, "subgroup_of": "palliative"},
 {"arm": "ablation and ERT", "treatment_class": "ablation", "n_patients": 3, "n_lesions": None, "page": 5, "subgroup_of": "palliative", "note": "prior ERT at the site; class kept 'ablation' (ERT was before, not part of the procedure)"},
 {"arm": "ablation alone [curative]", "treatment_class": "ablation", "n_patients": 5, "n_lesions": None, "page": 5, "subgroup_of": "curative", "label_as_printed": "ablation alone"},
 {"arm": "ablation and ERT [curative]", "treatment_class": "ablation", "n_patients": 2, "n_lesions": None, "page": 5, "subgroup_of": "curative", "label_as_printed": "ablation and ERT"},
],
"values": [
 ("palliative", "pain", "At mean 31 ± 21 (SD) (median, 32; range: 2-70) months follow-up", "mean", 2, 2, "months follow-up mean NPRS was 2 ± 2 (SD) (median, 1; range: 0–6)", {"arm_alias": "all", "also_pages": [5]}),
 ("palliative", "pain", "At mean 31 ± 21 (SD) (median, 32; range: 2-70) months follow-up", "sd", 2, 2, "months follow-up mean NPRS was 2 ± 2 (SD) (median, 1; range: 0–6)", {"arm_alias": "all", "also_pages": [5]}),
 ("palliative", "pain", "At mean 31 ± 21 (SD) (median, 32; range: 2-70) months follow-up", "median", 1, 2, "months follow-up mean NPRS was 2 ± 2 (SD) (median, 1; range: 0–6)", {"arm_alias": "all", "also_pages": [5]}),
 ("palliative", "pain", "At mean 31 ± 21 (SD) (median, 32; range: 2-70) months follow-up", "min", 0, 2, "months follow-up mean NPRS was 2 ± 2 (SD) (median, 1; range: 0–6)", {"arm_alias": "all", "also_pages": [5]}),
 ("palliative", "pain", "At mean 31 ± 21 (SD) (median, 32; range: 2-70) months follow-up", "max", 6, 2, "months follow-up mean NPRS was 2 ± 2 (SD) (median, 1; range: 0–6)", {"arm_alias": "all", "also_pages": [5]}),
 ("palliative", "pain", "At that time point", "q1", 0, 5, "1; range: 0–6; IQR: 0–3) vs. 5 ± 1 (SD) (median 5;", {"timepoint": "last", "arm_alias": "all"}),
 ("palliative", "pain", "At that time point", "q3", 3, 5, "1; range: 0–6; IQR: 0–3) vs. 5 ± 1 (SD) (median 5;", {"timepoint": "last", "arm_alias": "all"}),
 ("palliative", "pain", "at the baseline", "mean", 5, 2, "vs. 5 ± 1 (median, 5; range: 4–8; P < 0.001) at the baseline", {"arm_alias": "all", "also_pages": [5]}),
 ("palliative", "pain", "at the baseline", "sd", 1, 2, "vs. 5 ± 1 (median, 5; range: 4–8; P < 0.001) at the baseline", {"arm_alias": "all", "also_pages": [5]}),
 ("palliative", "pain", "at the baseline", "median", 5, 2, "vs. 5 ± 1 (median, 5; range: 4–8; P < 0.001) at the baseline", {"arm_alias": "all", "also_pages": [5]}),
 ("palliative", "pain", "at the baseline", "min", 4, 2, "vs. 5 ± 1 (median, 5; range: 4–8; P < 0.001) at the baseline", {"arm_alias": "all", "also_pages": [5]}),
 ("palliative", "pain", "at the baseline", "max", 8, 2, "vs. 5 ± 1 (median, 5; range: 4–8; P < 0.001) at the baseline", {"arm_alias": "all", "also_pages": [5]}),
 ("palliative", "pain", "at baseline", "q1", 4, 5, "range: 4–8; IQR: 4–6) at baseline (P < 0.001)", {"arm_alias": "all"}),
 ("palliative", "pain", "at baseline", "q3", 6, 5, "range: 4–8; IQR: 4–6) at baseline (P < 0.001)", {"arm_alias": "all"}),
 ("RFA", "responder", "At that time point", "events", 4, 5, "following RFA (4/5; 80%)", {"timepoint": "last", "unit": "patients"}),
 ("RFA", "responder", "At that time point", "total", 5, 5, "following RFA (4/5; 80%)", {"timepoint": "last", "unit": "patients"}),
 ("RFA", "responder", "At that time point", "percent", 80, 5, "following RFA (4/5; 80%)", {"timepoint": "last", "unit": "patients"}),
 ("CA", "responder", "At that time point", "events", 9, 5, "or CA (9/11; 82%)", {"timepoint": "last", "unit": "patients"}),
 ("CA", "responder", "At that time point", "total", 11, 5, "or CA (9/11; 82%)", {"timepoint": "last", "unit": "patients"}),
 ("CA", "responder", "At that time point", "percent", 82, 5, "or CA (9/11; 82%)", {"timepoint": "last", "unit": "patients"}),
 ("ablation", "responder", "At that time point", "events", 10, 5, "following ablation (10/13; 77%)", {"timepoint": "last", "unit": "patients"}),
 ("ablation", "responder", "At that time point", "total", 13, 5, "following ablation (10/13; 77%)", {"timepoint": "last", "unit": "patients"}),
 ("ablation", "responder", "At that time point", "percent", 77, 5, "following ablation (10/13; 77%)", {"timepoint": "last", "unit": "patients"}),
 ("ablation and ERT", "responder", "At that time point", "events", 3, 5, "or ablation and ERT (3/3; 100%)", {"timepoint": "last", "unit": "patients"}),
 ("ablation and ERT", "responder", "At that time point", "total", 3, 5, "or ablation and ERT (3/3; 100%)", {"timepoint": "last", "unit": "patients"}),
 ("ablation and ERT", "responder", "At that time point", "percent", 100, 5, "or ablation and ERT (3/3; 100%)", {"timepoint": "last", "unit": "patients"}),
 ("all", "complication_minor", "procedure-related", "events", 5, 2, "Five (22%) minor complications were recorded.", dict(P, unit="patients", value_not_in_excerpt=True)),
 ("all", "complication_minor", "procedure-related", "total", 23, 2, "23 consecutive patients (12 women and 11 men;", dict(P, unit="patients", also_pages=[3])),
 ("all", "complication_minor", "procedure-related", "percent", 22, 2, "Five (22%) minor complications were recorded.", dict(P, unit="patients", also_pages=[5])),
 ("all", "complication_any", "procedure-related", "events", 5, 5, "Complications developed in 5 patients (5/23; 22%).", dict(P, unit="patients")),
 ("all", "complication_any", "procedure-related", "total", 23, 5, "Complications developed in 5 patients (5/23; 22%).", dict(P, unit="patients")),
 ("all", "complication_any", "procedure-related", "percent", 22, 5, "Complications developed in 5 patients (5/23; 22%).", dict(P, unit="patients")),
 ("palliative", "complication_any", "procedure-related", "events", 4, 5, "patients receiving palliative treatments (4/16; 25%)", dict(P, unit="patients")),
 ("palliative", "complication_any", "procedure-related", "total", 16, 5, "patients receiving palliative treatments (4/16; 25%)", dict(P, unit="patients")),
 ("palliative", "complication_any", "procedure-related", "percent", 25, 5, "patients receiving palliative treatments (4/16; 25%)", dict(P, unit="patients")),
 ("curative", "complication_any", "procedure-related", "events", 1, 5, "(1/7; 14%), the difference was not significant", dict(P, unit="patients")),
 ("curative", "complication_any", "procedure-related", "total", 7, 5, "(1/7; 14%), the difference was not significant", dict(P, unit="patients")),
 ("curative", "complication_any", "procedure-related", "percent", 14, 5, "(1/7; 14%), the difference was not significant", dict(P, unit="patients")),
 ("curative", "local_recurrence", "at mean 4 ± 4 (SD) (median, 2; range: 1-8) months follow-up", "events", 3, 2, "Three metastases out of 7 (43%) undergoing curative ablation showed", {"unit": "lesions", "arm_alias": "all", "also_pages": [5, 6], "value_not_in_excerpt": True}),
 ("curative", "local_recurrence", "at mean 4 ± 4 (SD) (median, 2; range: 1-8) months follow-up", "total", 7, 2, "Three metastases out of 7 (43%) undergoing curative ablation showed", {"unit": "lesions", "arm_alias": "all", "also_pages": [4, 5, 6]}),
 ("curative", "local_recurrence", "at mean 4 ± 4 (SD) (median, 2; range: 1-8) months follow-up", "percent", 43, 2, "Three metastases out of 7 (43%) undergoing curative ablation showed", {"unit": "lesions", "arm_alias": "all", "also_pages": [5, 6]}),
 ("ablation alone [curative]", "local_recurrence", "mean follow-up was 21 ± 21 (SD) months", "events", 3, 5, "progression occurred in 3 patients out of five (3/5;", {"unit": "patients"}),
 ("ablation alone [curative]", "local_recurrence", "mean follow-up was 21 ± 21 (SD) months", "total", 5, 5, "progression occurred in 3 patients out of five (3/5;", {"unit": "patients"}),
 ("ablation alone [curative]", "local_recurrence", "mean follow-up was 21 ± 21 (SD) months", "percent", 60, 5, "60%) receiving ablation alone vs no local tumor", {"unit": "patients"}),
 ("ablation and ERT [curative]", "local_recurrence", "mean follow-up was 21 ± 21 (SD) months", "events", 0, 5, "vs no local tumor recurrence noted among the two patients", {"unit": "patients", "value_not_in_excerpt": True}),
 ("ablation and ERT [curative]", "local_recurrence", "mean follow-up was 21 ± 21 (SD) months", "total", 2, 5, "recurrence noted among the two patients receiving ablation and ERT", {"unit": "patients", "value_not_in_excerpt": True}),
],
}
