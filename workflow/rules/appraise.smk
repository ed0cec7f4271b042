# Appraisal of the evidence: risk-of-bias figures per study. GRADE certainty per analysis (and the
# summary of findings) is drawn by the `analyse` job after the analyses (pool.smk).


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
