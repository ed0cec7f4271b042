SPEC = {
"pdf": "/work/shared/corpus/real/kuck_2016_ehj_fireandice_rct.pdf",
"notes": ("Secondary analysis of the FIRE AND ICE RCT (cardiac catheter ablation; arms 'other'). mITT: cryoballoon 374, RFC 376. "
          "No in-vocabulary outcome values: repeat ablations, DCCV, rehospitalisations and SF-12/EQ-5D are outside the vocabulary "
          "(EQ-5D 'pain and discomfort' is a dimension name, no pain score). Judgement: the Introduction's 'Overall safety ... 1 year Kaplan-Meier event rate estimates, "
          "10.2% with cryoballoon and 12.8% with RFC' (p2) is a KM estimate quoted from the primary publication, not annotated. "
          "Decision 'included' because it is a primary trial report with outcome data (none in this vocabulary)."),
"study": {"document_type": "primary", "decision": "included", "duplicate_of": None,
          "design": "multicentre, randomized, blinded-outcomes, parallel-group trial (secondary analysis)", "doi": "10.1093/eurheartj/ehw285"},
"arms": [
 {"arm": "cryoballoon", "treatment_class": "other", "n_patients": 374, "n_lesions": None, "page": 1},
 {"arm": "RFC", "treatment_class": "other", "n_patients": 376, "n_lesions": None, "page": 1},
],
"values": [],
}
