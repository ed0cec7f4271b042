SPEC = {
"pdf": "/work/main/examples/sacral/pdfs/ahmed2019_extraspinal_ablation_review.pdf",
"notes": ("Narrative review article (Semin Intervent Radiol 2019) with illustrative cases: document_type review, decision excluded, no arms, no values "
          "(pooled literature figures such as 'Pain reduction is achieved in 70 to 96% of patients' are not arm data)."),
"study": {"document_type": "review", "decision": "excluded", "duplicate_of": None,
          "design": "review article", "doi": "10.1055/s-0039-1693117"},
"arms": [], "values": [],
}
