# One extraction job per PDF (a shell call: cheap to start), then one merge that screens
# across documents (duplicates) and assigns study ids.


rule extract_pdf:
    input:
        pdf=pdf_path,
    output:
        studies="results/extracted/{doc}/studies.tsv",
        arms="results/extracted/{doc}/arms.tsv",
        outcomes="results/extracted/{doc}/outcomes.tsv",
        completeness="results/extracted/{doc}/completeness.tsv",
        problems="results/extracted/{doc}/problems.tsv",
        fingerprint="results/extracted/{doc}/fingerprint.json",
    log:
        "logs/extract_pdf/{doc}.log",
    params:
        outdir=subpath(output.studies, parent=True),
    shell:
        "python -m extraction extract {input.pdf:q} --out {params.outdir:q} > {log:q} 2>&1"


rule merge_extracted:
    input:
        studies=expand("results/extracted/{doc}/studies.tsv", doc=DOCUMENTS),
    output:
        report(
            "results/tables/extracted/studies.tsv",
            caption="../report/screening.rst",
            category="1. Extraction",
        ),
        "results/tables/extracted/arms.tsv",
        "results/tables/extracted/outcomes.tsv",
        report(
            "results/tables/extracted/completeness.tsv",
            caption="../report/completeness.rst",
            category="1. Extraction",
        ),
        report(
            "results/tables/extracted/problems.tsv",
            caption="../report/problems.rst",
            category="1. Extraction",
        ),
    log:
        "logs/merge_extracted.log",
    params:
        dirs=extracted_dirs(),
    shell:
        "python -m extraction merge {params.dirs:q} --out results/tables/extracted > {log:q} 2>&1"
