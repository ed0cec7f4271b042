# Curated tables = extracted tables + curators' corrections + manual entries.
# The corrections file is an explicit input: editing it re-runs curate and what follows,
# never extraction.


rule curate_tables:
    input:
        studies="results/tables/extracted/studies.tsv",
        arms="results/tables/extracted/arms.tsv",
        outcomes="results/tables/extracted/outcomes.tsv",
        corrections=config["review"]["corrections"],
        manual=config["review"]["manual_entries"],
    output:
        studies=report(
            "results/tables/studies.tsv", caption="../report/studies.rst", category="2. Curated tables"
        ),
        arms="results/tables/arms.tsv",
        outcomes=report(
            "results/tables/outcomes.tsv", caption="../report/outcomes.rst", category="2. Curated tables"
        ),
        stale="results/tables/stale_corrections.tsv",
        applied="results/tables/curation_log.tsv",
        excluded="results/tables/excluded_values.tsv",
    log:
        "logs/curate_tables.log",
    params:
        extracted=subpath(input.studies, parent=True),
        outdir=subpath(output.studies, parent=True),
        on_stale=config.get("curation", {}).get("on_stale", "error"),
    shell:
        "python -m evidence curate build --extracted {params.extracted:q} "
        "--corrections {input.corrections:q} --manual {input.manual:q} "
        "--out {params.outdir:q} --on-stale {params.on_stale} > {log:q} 2>&1"
