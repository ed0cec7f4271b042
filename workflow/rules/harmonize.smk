# Curated tables -> one analysable row per study arm and analysis, with the method of each.


rule harmonize:
    input:
        studies="results/tables/studies.tsv",
        arms="results/tables/arms.tsv",
        outcomes="results/tables/outcomes.tsv",
    output:
        report(
            "results/harmonized/effects.tsv",
            caption="../report/effects.rst",
            category="3. Harmonized data",
        ),
    log:
        "logs/harmonize.log",
    params:
        tables=subpath(input.studies, parent=True),
        settings=harmonize_settings(),
    shell:
        "python -m evidence harmonize --tables {params.tables:q} --settings {params.settings:q} "
        "--out {output:q} > {log:q} 2>&1"
