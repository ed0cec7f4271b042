# Curated tables = extracted tables + curators' corrections + manual entries.
# The corrections file is an explicit input: editing it re-runs curate and what follows,
# never extraction.


rule curate_tables:
    input:
        studies="tables/extracted/studies.tsv",
        arms="tables/extracted/arms.tsv",
        outcomes="tables/extracted/outcomes.tsv",
        corrections=review_file("corrections"),
        manual=review_file("manual_entries"),
    output:
        studies=report(
            "tables/studies.tsv",
            caption="../report/studies.rst",
            category="2. Curated tables",
        ),
        arms="tables/arms.tsv",
        outcomes=report(
            "tables/outcomes.tsv",
            caption="../report/outcomes.rst",
            category="2. Curated tables",
        ),
        stale="tables/stale_corrections.tsv",
        applied="tables/curation_log.tsv",
        excluded="tables/excluded_values.tsv",
    log:
        "logs/curate_tables.log",
    conda:
        ENV
    params:
        python=PYTHON,
        vocabulary=vocabulary_option(),
        extracted=subpath(input.studies, parent=True),
        outdir=subpath(output.studies, parent=True),
        on_stale=config.get("curation", {}).get("on_stale", "error"),
    shell:
        "{params.python:q} -m evidence {params.vocabulary} curate build --extracted {params.extracted:q} "
        "--corrections {input.corrections:q} --manual {input.manual:q} "
        "--out {params.outdir:q} --on-stale {params.on_stale} > {log:q} 2>&1"
