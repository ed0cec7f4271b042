# One random-effects meta-analysis per analysis, subgrouped by treatment class.


rule pool_analysis:
    input:
        "results/harmonized/effects.tsv",
    output:
        table=report(
            "results/pooled/{analysis}.tsv",
            caption="../report/pooled.rst",
            category="4. Pooled results",
            subcategory="{analysis}",
        ),
        fit="results/pooled/{analysis}.json",
    log:
        "logs/pool_analysis/{analysis}.log",
    params:
        method=config["models"]["method"],
        test=config["models"]["test"],
        level=config["models"]["level"],
        model=lambda wildcards: analysis_model_options(wildcards.analysis),
    shell:
        "python -m evidence pool-outcome --effects {input:q} --analysis {wildcards.analysis} "
        "--method {params.method} --test {params.test} --level {params.level} {params.model} "
        "--out-table {output.table:q} --out-json {output.fit:q} --allow-empty > {log:q} 2>&1"


rule sensitivity_analysis:
    input:
        pooled="results/pooled/{analysis}.tsv",
        studies="results/tables/studies.tsv",
        rob=review_file("risk_of_bias"),
    output:
        summary=report(
            "results/sensitivity/{analysis}.json",
            caption="../report/sensitivity.rst",
            category="4. Pooled results",
            subcategory="{analysis}",
        ),
        loo="results/sensitivity/{analysis}_leave_one_out.tsv",
        cumulative="results/sensitivity/{analysis}_cumulative.tsv",
    log:
        "logs/sensitivity_analysis/{analysis}.log",
    params:
        method=config["models"]["method"],
        test=config["models"]["test"],
        level=config["models"]["level"],
        rob=lambda wildcards, input: f"--rob {shlex.quote(input.rob[0])}" if input.rob else "",
    shell:
        "python -m evidence sensitivity --pooled {input.pooled:q} --method {params.method} "
        "--test {params.test} --level {params.level} --out-json {output.summary:q} "
        "--out-loo {output.loo:q} --studies {input.studies:q} "
        "--out-cumulative {output.cumulative:q} {params.rob} > {log:q} 2>&1"
