# Figures for the whole review: the PRISMA flow. The plots of each analysis, the GRADE table and
# the summary of findings are drawn by the `analyse` job (pool.smk), from the pooled tables.
# `figures prisma` runs as a group of `python -m evidence.batch`: a re-run whose studies table
# did not change (a correction of an outcome value) gets the kept figures back without drawing.


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
        group=prisma_group(),
    shell:
        "{params.python:q} -m evidence.batch --state .batch/plot_prisma {params.group:q} > /dev/null 2>> {log:q}"
