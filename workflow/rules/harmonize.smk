# Curated tables -> one analysable row per study arm and analysis, with the method of each.


rule harmonize:
    input:
        studies="tables/studies.tsv",
        arms="tables/arms.tsv",
        outcomes="tables/outcomes.tsv",
    output:
        effects=report(
            "harmonized/effects.tsv",
            caption="../report/effects.rst",
            category="3. Harmonized data",
        ),
        qa=report(
            "harmonized/qa.tsv",
            caption="../report/harmonize_qa.rst",
            category="3. Harmonized data",
        ),
    log:
        "logs/harmonize.log",
    conda:
        ENV
    params:
        python=PYTHON,
        vocabulary=vocabulary_option(),
        tables=subpath(input.studies, parent=True),
        settings=harmonize_settings(),
    shell:
        "{params.python:q} -m evidence {params.vocabulary} harmonize --tables {params.tables:q} --settings {params.settings:q} "
        "--out {output.effects:q} --qa {output.qa:q} > {log:q} 2>&1"
