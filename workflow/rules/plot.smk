# Figures and tables for the whole review, drawn from the pooled tables (never re-fitted); the
# plots of each analysis are drawn by its `analyse` job (pool.smk).


rule plot_prisma:
    input:
        studies="tables/studies.tsv",
    output:
        svg="figures/prisma.svg",
        pdf="figures/prisma.pdf",
        png=report(
            "figures/prisma.png",
            caption="../report/prisma.rst",
            category="0. PRISMA flow",
        ),
        counts="figures/prisma_counts.json",
    log:
        "logs/plot_prisma.log",
    conda:
        ENV
    params:
        python=PYTHON,
        prefix=subpath(output.png, strip_suffix=".png"),
    shell:
        "{params.python:q} -m figures prisma --studies {input.studies:q} --out {params.prefix:q} > {log:q} 2>&1"


rule summary_of_findings:
    input:
        pooled=expand("pooled/{analysis}.tsv", analysis=ANALYSES),
        grade="tables/grade.tsv",
    output:
        csv=report(
            "tables/summary_of_findings.csv",
            caption="../report/sof.rst",
            category="7. Summary of findings",
        ),
        md="tables/summary_of_findings.md",
        tex="tables/summary_of_findings.tex",
        xlsx="tables/summary_of_findings.xlsx",
    log:
        "logs/summary_of_findings.log",
    conda:
        ENV
    params:
        python=PYTHON,
        prefix=subpath(output.csv, strip_suffix=".csv"),
    shell:
        "{params.python:q} -m figures sof --pooled {input.pooled:q} --grade {input.grade:q} "
        "--out {params.prefix:q} > {log:q} 2>&1"
