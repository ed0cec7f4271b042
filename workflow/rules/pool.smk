# One job for all analyses: each analysis's random-effects meta-analysis (subgrouped by treatment
# class), its sensitivity analyses and its four plots, then the GRADE table and the summary of
# findings of all of them, run by `python -m evidence.batch` in one process (imports paid once,
# analyses on forked workers). Every step stays a command of its own and writes to its group's
# log; a group whose inputs (for an analysis: its rows of the effects table, the studies table, the
# risk of bias file) and steps did not change is not redrawn (issue 14): after a correction that
# leaves the pooled tables as they were, this job imports nothing heavy.


rule analyse:
    input:
        effects="harmonized/effects.tsv",
        studies="tables/studies.tsv",
        rob=review_file("risk_of_bias"),
        judgements=review_file("grade"),
    output:
        table=report_each(
            "pooled/{analysis}.tsv", "../report/pooled.rst", "4. Pooled results"
        ),
        fit=expand("pooled/{analysis}.json", analysis=ANALYSES),
        summary=report_each(
            "sensitivity/{analysis}.json",
            "../report/sensitivity.rst",
            "4. Pooled results",
        ),
        loo=expand("sensitivity/{analysis}_leave_one_out.tsv", analysis=ANALYSES),
        cumulative=expand("sensitivity/{analysis}_cumulative.tsv", analysis=ANALYSES),
        plots=expand(
            "figures/{kind}_{analysis}.{ext}",
            kind=["forest", "funnel", "leave_one_out", "cumulative"],
            analysis=ANALYSES,
            ext=["svg", "pdf"],
        ),
        forest_png=report_each(
            "figures/forest_{analysis}.png", "../report/forest.rst", "5. Forest plots"
        ),
        funnel_png=report_each(
            "figures/funnel_{analysis}.png",
            "../report/funnel.rst",
            "6. Sensitivity analyses",
        ),
        loo_png=report_each(
            "figures/leave_one_out_{analysis}.png",
            "../report/loo.rst",
            "6. Sensitivity analyses",
        ),
        cumulative_png=report_each(
            "figures/cumulative_{analysis}.png",
            "../report/cumulative.rst",
            "6. Sensitivity analyses",
        ),
        grade=report(
            "tables/grade.tsv",
            caption="../report/grade.rst",
            category="7. Summary of findings",
        ),
        sof=report(
            SOF_OUTPUTS[0],
            caption="../report/sof.rst",
            category="7. Summary of findings",
        ),
        sof_other=SOF_OUTPUTS[1:],
    log:
        "logs/analyse.log",
    conda:
        ENV
    threads: max(1, min(len(ANALYSES), 4))
    params:
        python=PYTHON,
        groups=ANALYSIS_GROUPS[0],
        digest=ANALYSIS_GROUPS[1],
    shell:
        "{params.python:q} -m evidence.batch --jobs {threads} --state .batch/analyse "
        "@{params.groups:q} > {log:q} 2>&1"
