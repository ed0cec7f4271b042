SPEC = {
"pdf": "/work/main/examples/sacral/pdfs/cementoplasty_cryoablation_review.pdf",
"notes": ("Narrative review (Tan et al., BJR|Open 2023, 'Cementoplasty to cryoablation: review and current status'): document_type review, decision excluded, "
          "no arms, no values (numbers quoted from other studies are not annotated). No DOI of the article itself is printed in this PDF (only DOIs in the references)."),
"study": {"document_type": "review", "decision": "excluded", "duplicate_of": None,
          "design": "review article", "doi": None},
"arms": [], "values": [],
}
