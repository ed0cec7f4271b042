# Figures and tables for the manuscript, drawn from the pooled tables (never re-fitted).


rule plot_forest:
    input:
        pooled="pooled/{analysis}.tsv",
        rob=review_file("risk_of_bias"),
    output:
        svg="figures/forest_{analysis}.svg",
        pdf="figures/forest_{analysis}.pdf",
        png=report(
            "figures/forest_{analysis}.png",
            caption="../report/forest.rst",
            category="5. Forest plots",
            subcategory="{analysis}",
        ),
    log:
        "logs/plot_forest/{analysis}.log",
    conda:
        ENV
    params:
        python=PYTHON,
        prefix=subpath(output.svg, strip_suffix=".svg"),
        title=analysis_title,
        options=forest_options,
        rob=lambda wildcards, input: (
            f"--rob {shlex.quote(input.rob[0])}" if input.rob else ""
        ),
    shell:
        "{params.python:q} -m figures forest --pooled {input.pooled:q} --out {params.prefix:q} "
        "--title {params.title:q} {params.options} {params.rob} > {log:q} 2>&1"


rule plot_funnel:
    input:
        pooled="pooled/{analysis}.tsv",
        diagnostics="sensitivity/{analysis}.json",
    output:
        svg="figures/funnel_{analysis}.svg",
        pdf="figures/funnel_{analysis}.pdf",
        png=report(
            "figures/funnel_{analysis}.png",
            caption="../report/funnel.rst",
            category="6. Sensitivity analyses",
            subcategory="{analysis}",
        ),
    log:
        "logs/plot_funnel/{analysis}.log",
    conda:
        ENV
    params:
        python=PYTHON,
        prefix=subpath(output.png, strip_suffix=".png"),
        title=analysis_title,
    shell:
        "{params.python:q} -m figures funnel --pooled {input.pooled:q} --diagnostics {input.diagnostics:q} "
        "--title {params.title:q} --out {params.prefix:q} > {log:q} 2>&1"


rule plot_leave_one_out:
    input:
        pooled="pooled/{analysis}.tsv",
        loo="sensitivity/{analysis}_leave_one_out.tsv",
    output:
        svg="figures/leave_one_out_{analysis}.svg",
        pdf="figures/leave_one_out_{analysis}.pdf",
        png=report(
            "figures/leave_one_out_{analysis}.png",
            caption="../report/loo.rst",
            category="6. Sensitivity analyses",
            subcategory="{analysis}",
        ),
    log:
        "logs/plot_leave_one_out/{analysis}.log",
    conda:
        ENV
    params:
        python=PYTHON,
        prefix=subpath(output.png, strip_suffix=".png"),
        title=analysis_title,
    shell:
        "{params.python:q} -m figures loo --table {input.loo:q} --pooled {input.pooled:q} "
        "--title {params.title:q} --out {params.prefix:q} > {log:q} 2>&1"


rule plot_cumulative:
    input:
        pooled="pooled/{analysis}.tsv",
        cumulative="sensitivity/{analysis}_cumulative.tsv",
    output:
        svg="figures/cumulative_{analysis}.svg",
        pdf="figures/cumulative_{analysis}.pdf",
        png=report(
            "figures/cumulative_{analysis}.png",
            caption="../report/cumulative.rst",
            category="6. Sensitivity analyses",
            subcategory="{analysis}",
        ),
    log:
        "logs/plot_cumulative/{analysis}.log",
    conda:
        ENV
    params:
        python=PYTHON,
        prefix=subpath(output.png, strip_suffix=".png"),
        title=analysis_title,
    shell:
        "{params.python:q} -m figures cumulative --table {input.cumulative:q} --pooled {input.pooled:q} "
        "--title {params.title:q} --out {params.prefix:q} > {log:q} 2>&1"


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
