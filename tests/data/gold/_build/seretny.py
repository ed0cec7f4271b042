SPEC = {
"pdf": "/work/shared/corpus/real/seretny_2014_pain_cipn_metaanalysis.pdf",
"notes": ("Systematic review and meta-analysis (31 studies, 4179 patients): document_type review, decision excluded; no arms, no values "
          "(pooled CIPN prevalence is not an arm-level outcome of this vocabulary)."),
"study": {"document_type": "review", "decision": "excluded", "duplicate_of": None,
          "design": "systematic review and meta-analysis", "doi": "10.1016/j.pain.2014.09.020"},
"arms": [],
"values": [],
}
