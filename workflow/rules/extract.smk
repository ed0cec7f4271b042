# One extraction job per PDF (a shell call: cheap to start), then one merge that screens
# across documents (duplicates) and assigns study ids.


rule extract_pdf:
    input:
        pdf=pdf_path,
    output:
        studies="extracted/{doc}/studies.tsv",
        arms="extracted/{doc}/arms.tsv",
        outcomes="extracted/{doc}/outcomes.tsv",
        completeness="extracted/{doc}/completeness.tsv",
        problems="extracted/{doc}/problems.tsv",
        suggestions="extracted/{doc}/suggestions.tsv",
        fingerprint="extracted/{doc}/fingerprint.json",
    log:
        "logs/extract_pdf/{doc}.log",
    conda:
        ENV
    params:
        python=PYTHON,
        vocabulary=vocabulary_option(),
        outdir=subpath(output.studies, parent=True),
    shell:
        "{params.python:q} -m extraction extract {input.pdf:q} --out {params.outdir:q} "
        "{params.vocabulary} > {log:q} 2>&1"


rule merge_extracted:
    input:
        studies=expand("extracted/{doc}/studies.tsv", doc=DOCUMENTS),
    output:
        report(
            "tables/extracted/studies.tsv",
            caption="../report/screening.rst",
            category="1. Extraction",
        ),
        "tables/extracted/arms.tsv",
        "tables/extracted/outcomes.tsv",
        report(
            "tables/extracted/completeness.tsv",
            caption="../report/completeness.rst",
            category="1. Extraction",
        ),
        report(
            "tables/extracted/problems.tsv",
            caption="../report/problems.rst",
            category="1. Extraction",
        ),
        report(
            "tables/extracted/qa_documents.tsv",
            caption="../report/qa_documents.rst",
            category="1. Extraction",
        ),
    log:
        "logs/merge_extracted.log",
    conda:
        ENV
    params:
        python=PYTHON,
        dirs=extracted_dirs(),
        identical=identical_options(),
    shell:
        "{params.python:q} -m extraction merge {params.dirs:q} --out tables/extracted "
        "{params.identical} > {log:q} 2>&1"
