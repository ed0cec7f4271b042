# Appraisal of the evidence: risk-of-bias figures per study, GRADE certainty per analysis.


rule plot_risk_of_bias:
    input:
        rob=review_file("risk_of_bias"),
    output:
        expand("results/figures/rob_{kind}.{ext}", kind=["traffic_light", "summary"], ext=["svg", "pdf"]),
        traffic=report(
            "results/figures/rob_traffic_light.png",
            caption="../report/rob.rst",
            category="0. Risk of bias",
        ),
        summary=report(
            "results/figures/rob_summary.png",
            caption="../report/rob.rst",
            category="0. Risk of bias",
        ),
    log:
        "logs/plot_risk_of_bias.log",
    params:
        prefix="results/figures/rob",
    shell:
        "python -m figures rob --assessments {input.rob:q} --out {params.prefix:q} > {log:q} 2>&1"


rule grade_certainty:
    input:
        pooled=expand("results/pooled/{analysis}.tsv", analysis=ANALYSES),
        sensitivity=expand("results/sensitivity/{analysis}.json", analysis=ANALYSES),
        studies="results/tables/studies.tsv",
        rob=review_file("risk_of_bias"),
        judgements=review_file("grade"),
    output:
        report(
            "results/tables/grade.tsv",
            caption="../report/grade.rst",
            category="7. Summary of findings",
        ),
    log:
        "logs/grade_certainty.log",
    params:
        rob=lambda wildcards, input: f"--rob {shlex.quote(input.rob[0])}" if input.rob else "",
        judgements=lambda wildcards, input: (
            f"--judgements {shlex.quote(input.judgements[0])}" if input.judgements else ""
        ),
        widths=grade_widths(),
    shell:
        "python -m evidence grade --pooled {input.pooled:q} --sensitivity {input.sensitivity:q} "
        "--studies {input.studies:q} {params.rob} {params.judgements} {params.widths} "
        "--out {output:q} > {log:q} 2>&1"
