# Figures and tables for the manuscript, drawn from the pooled tables (never re-fitted).


rule plot_forest:
    input:
        pooled="results/pooled/{analysis}.tsv",
        rob=review_file("risk_of_bias"),
    output:
        svg="results/figures/forest_{analysis}.svg",
        pdf="results/figures/forest_{analysis}.pdf",
        png=report(
            "results/figures/forest_{analysis}.png",
            caption="../report/forest.rst",
            category="5. Forest plots",
            subcategory="{analysis}",
        ),
    log:
        "logs/plot_forest/{analysis}.log",
    params:
        prefix=subpath(output.svg, strip_suffix=".svg"),
        title=analysis_title,
        options=forest_options,
        rob=lambda wildcards, input: f"--rob {shlex.quote(input.rob[0])}" if input.rob else "",
    shell:
        "python -m figures forest --pooled {input.pooled:q} --out {params.prefix:q} "
        "--title {params.title:q} {params.options} {params.rob} > {log:q} 2>&1"


rule plot_funnel:
    input:
        pooled="results/pooled/{analysis}.tsv",
        diagnostics="results/sensitivity/{analysis}.json",
    output:
        svg="results/figures/funnel_{analysis}.svg",
        pdf="results/figures/funnel_{analysis}.pdf",
        png=report(
            "results/figures/funnel_{analysis}.png",
            caption="../report/funnel.rst",
            category="6. Sensitivity analyses",
            subcategory="{analysis}",
        ),
    log:
        "logs/plot_funnel/{analysis}.log",
    params:
        prefix=subpath(output.png, strip_suffix=".png"),
        title=analysis_title,
    shell:
        "python -m figures funnel --pooled {input.pooled:q} --diagnostics {input.diagnostics:q} "
        "--title {params.title:q} --out {params.prefix:q} > {log:q} 2>&1"


rule plot_leave_one_out:
    input:
        pooled="results/pooled/{analysis}.tsv",
        loo="results/sensitivity/{analysis}_leave_one_out.tsv",
    output:
        svg="results/figures/leave_one_out_{analysis}.svg",
        pdf="results/figures/leave_one_out_{analysis}.pdf",
        png=report(
            "results/figures/leave_one_out_{analysis}.png",
            caption="../report/loo.rst",
            category="6. Sensitivity analyses",
            subcategory="{analysis}",
        ),
    log:
        "logs/plot_leave_one_out/{analysis}.log",
    params:
        prefix=subpath(output.png, strip_suffix=".png"),
        title=analysis_title,
    shell:
        "python -m figures loo --table {input.loo:q} --pooled {input.pooled:q} "
        "--title {params.title:q} --out {params.prefix:q} > {log:q} 2>&1"


rule plot_cumulative:
    input:
        pooled="results/pooled/{analysis}.tsv",
        cumulative="results/sensitivity/{analysis}_cumulative.tsv",
    output:
        svg="results/figures/cumulative_{analysis}.svg",
        pdf="results/figures/cumulative_{analysis}.pdf",
        png=report(
            "results/figures/cumulative_{analysis}.png",
            caption="../report/cumulative.rst",
            category="6. Sensitivity analyses",
            subcategory="{analysis}",
        ),
    log:
        "logs/plot_cumulative/{analysis}.log",
    params:
        prefix=subpath(output.png, strip_suffix=".png"),
        title=analysis_title,
    shell:
        "python -m figures cumulative --table {input.cumulative:q} --pooled {input.pooled:q} "
        "--title {params.title:q} --out {params.prefix:q} > {log:q} 2>&1"


rule plot_prisma:
    input:
        studies="results/tables/studies.tsv",
    output:
        svg="results/figures/prisma.svg",
        pdf="results/figures/prisma.pdf",
        png=report(
            "results/figures/prisma.png", caption="../report/prisma.rst", category="0. PRISMA flow"
        ),
        counts="results/figures/prisma_counts.json",
    log:
        "logs/plot_prisma.log",
    params:
        prefix=subpath(output.png, strip_suffix=".png"),
    shell:
        "python -m figures prisma --studies {input.studies:q} --out {params.prefix:q} > {log:q} 2>&1"


rule summary_of_findings:
    input:
        pooled=expand("results/pooled/{analysis}.tsv", analysis=ANALYSES),
        grade="results/tables/grade.tsv",
    output:
        csv=report(
            "results/tables/summary_of_findings.csv",
            caption="../report/sof.rst",
            category="7. Summary of findings",
        ),
        md="results/tables/summary_of_findings.md",
        tex="results/tables/summary_of_findings.tex",
        xlsx="results/tables/summary_of_findings.xlsx",
    log:
        "logs/summary_of_findings.log",
    params:
        prefix=subpath(output.csv, strip_suffix=".csv"),
    shell:
        "python -m figures sof --pooled {input.pooled:q} --grade {input.grade:q} "
        "--out {params.prefix:q} > {log:q} 2>&1"
