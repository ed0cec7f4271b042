# One job per analysis: the random-effects meta-analysis (subgrouped by treatment class), its
# sensitivity analyses and its four plots, run one after the other in a single job (issue 14: one
# job instead of six per analysis; every step stays a command of its own and writes to the log).


rule analyse:
    input:
        effects="harmonized/effects.tsv",
        studies="tables/studies.tsv",
        rob=review_file("risk_of_bias"),
    output:
        table=report(
            "pooled/{analysis}.tsv",
            caption="../report/pooled.rst",
            category="4. Pooled results",
            subcategory="{analysis}",
        ),
        fit="pooled/{analysis}.json",
        summary=report(
            "sensitivity/{analysis}.json",
            caption="../report/sensitivity.rst",
            category="4. Pooled results",
            subcategory="{analysis}",
        ),
        loo="sensitivity/{analysis}_leave_one_out.tsv",
        cumulative="sensitivity/{analysis}_cumulative.tsv",
        forest=multiext("figures/forest_{analysis}", ".svg", ".pdf"),
        forest_png=report(
            "figures/forest_{analysis}.png",
            caption="../report/forest.rst",
            category="5. Forest plots",
            subcategory="{analysis}",
        ),
        funnel=multiext("figures/funnel_{analysis}", ".svg", ".pdf"),
        funnel_png=report(
            "figures/funnel_{analysis}.png",
            caption="../report/funnel.rst",
            category="6. Sensitivity analyses",
            subcategory="{analysis}",
        ),
        loo_plot=multiext("figures/leave_one_out_{analysis}", ".svg", ".pdf"),
        loo_png=report(
            "figures/leave_one_out_{analysis}.png",
            caption="../report/loo.rst",
            category="6. Sensitivity analyses",
            subcategory="{analysis}",
        ),
        cumulative_plot=multiext("figures/cumulative_{analysis}", ".svg", ".pdf"),
        cumulative_png=report(
            "figures/cumulative_{analysis}.png",
            caption="../report/cumulative.rst",
            category="6. Sensitivity analyses",
            subcategory="{analysis}",
        ),
    log:
        "logs/analyse/{analysis}.log",
    conda:
        ENV
    params:
        python=PYTHON,
        model=model_options(),
        analysis_model=lambda wildcards: analysis_model_options(wildcards.analysis),
        title=analysis_title,
        options=forest_options,
        max_rows=config["plots"]["forest_max_rows"],
        rob=lambda wildcards, input: (
            f"--rob {shlex.quote(input.rob[0])}" if input.rob else ""
        ),
        forest=subpath(output.forest_png, strip_suffix=".png"),
        funnel=subpath(output.funnel_png, strip_suffix=".png"),
        loo=subpath(output.loo_png, strip_suffix=".png"),
        cumulative=subpath(output.cumulative_png, strip_suffix=".png"),
    shell:
        "( {params.python:q} -m evidence pool-outcome --effects {input.effects:q} "
        "--analysis {wildcards.analysis} {params.model} {params.analysis_model} "
        "--out-table {output.table:q} "
        "--out-json {output.fit:q} --allow-empty"
        " && {params.python:q} -m evidence sensitivity --pooled {output.table:q} {params.model} "
        "--out-json {output.summary:q} --out-loo {output.loo:q} --studies {input.studies:q} "
        "--out-cumulative {output.cumulative:q} {params.rob}"
        " && {params.python:q} -m figures forest --pooled {output.table:q} --out {params.forest:q} "
        "--title {params.title:q} {params.options} {params.rob} --max-rows {params.max_rows}"
        " && {params.python:q} -m figures funnel --pooled {output.table:q} "
        "--diagnostics {output.summary:q} --title {params.title:q} --out {params.funnel:q}"
        " && {params.python:q} -m figures loo --table {output.loo:q} --pooled {output.table:q} "
        "--title {params.title:q} --out {params.loo:q} --max-rows {params.max_rows}"
        " && {params.python:q} -m figures cumulative --table {output.cumulative:q} "
        "--pooled {output.table:q} --title {params.title:q} --out {params.cumulative:q} --max-rows {params.max_rows}"
        " ) > {log:q} 2>&1"
