# Appraisal of the evidence: risk-of-bias figures per study, GRADE certainty per analysis.


rule plot_risk_of_bias:
    input:
        rob=review_file("risk_of_bias"),
    output:
        expand(
            "figures/rob_{kind}.{ext}",
            kind=["traffic_light", "summary"],
            ext=["svg", "pdf"],
        ),
        traffic=report(
            "figures/rob_traffic_light.png",
            caption="../report/rob.rst",
            category="0. Risk of bias",
        ),
        summary=report(
            "figures/rob_summary.png",
            caption="../report/rob.rst",
            category="0. Risk of bias",
        ),
    log:
        "logs/plot_risk_of_bias.log",
    conda:
        ENV
    params:
        python=PYTHON,
        prefix=subpath(output.traffic, strip_suffix="_traffic_light.png"),
    shell:
        "{params.python:q} -m figures rob --assessments {input.rob:q} --out {params.prefix:q} > {log:q} 2>&1"


rule grade_certainty:
    input:
        pooled=expand("pooled/{analysis}.tsv", analysis=ANALYSES),
        sensitivity=expand("sensitivity/{analysis}.json", analysis=ANALYSES),
        studies="tables/studies.tsv",
        rob=review_file("risk_of_bias"),
        judgements=review_file("grade"),
    output:
        report(
            "tables/grade.tsv",
            caption="../report/grade.rst",
            category="7. Summary of findings",
        ),
    log:
        "logs/grade_certainty.log",
    conda:
        ENV
    params:
        python=PYTHON,
        rob=lambda wildcards, input: (
            f"--rob {shlex.quote(input.rob[0])}" if input.rob else ""
        ),
        judgements=lambda wildcards, input: (
            f"--judgements {shlex.quote(input.judgements[0])}"
            if input.judgements
            else ""
        ),
        widths=grade_widths(),
    shell:
        "{params.python:q} -m evidence grade --pooled {input.pooled:q} --sensitivity {input.sensitivity:q} "
        "--studies {input.studies:q} {params.rob} {params.judgements} {params.widths} "
        "--out {output:q} > {log:q} 2>&1"
