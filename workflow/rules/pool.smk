# One random-effects meta-analysis per analysis, subgrouped by treatment class.


rule pool_analysis:
    input:
        "harmonized/effects.tsv",
    output:
        table=report(
            "pooled/{analysis}.tsv",
            caption="../report/pooled.rst",
            category="4. Pooled results",
            subcategory="{analysis}",
        ),
        fit="pooled/{analysis}.json",
    log:
        "logs/pool_analysis/{analysis}.log",
    conda:
        ENV
    params:
        python=PYTHON,
        method=config["models"]["method"],
        test=config["models"]["test"],
        level=config["models"]["level"],
        model=lambda wildcards: analysis_model_options(wildcards.analysis),
    shell:
        "{params.python:q} -m evidence pool-outcome --effects {input:q} --analysis {wildcards.analysis} "
        "--method {params.method} --test {params.test} --level {params.level} {params.model} "
        "--out-table {output.table:q} --out-json {output.fit:q} --allow-empty > {log:q} 2>&1"


rule sensitivity_analysis:
    input:
        pooled="pooled/{analysis}.tsv",
        studies="tables/studies.tsv",
        rob=review_file("risk_of_bias"),
    output:
        summary=report(
            "sensitivity/{analysis}.json",
            caption="../report/sensitivity.rst",
            category="4. Pooled results",
            subcategory="{analysis}",
        ),
        loo="sensitivity/{analysis}_leave_one_out.tsv",
        cumulative="sensitivity/{analysis}_cumulative.tsv",
    log:
        "logs/sensitivity_analysis/{analysis}.log",
    conda:
        ENV
    params:
        python=PYTHON,
        method=config["models"]["method"],
        test=config["models"]["test"],
        level=config["models"]["level"],
        rob=lambda wildcards, input: (
            f"--rob {shlex.quote(input.rob[0])}" if input.rob else ""
        ),
    shell:
        "{params.python:q} -m evidence sensitivity --pooled {input.pooled:q} --method {params.method} "
        "--test {params.test} --level {params.level} --out-json {output.summary:q} "
        "--out-loo {output.loo:q} --studies {input.studies:q} "
        "--out-cumulative {output.cumulative:q} {params.rob} > {log:q} 2>&1"
