# Evidence synthesis from study PDFs: extract -> curate -> harmonize -> pool -> plot -> report.
# A review is a folder holding config.yaml (the whole config: nothing is merged into it).
#   bundled example:  snakemake --cores 2                    (examples/sacral, into examples/sacral/results)
#   another review:   srtk run my_review --cores 2
#             or:     snakemake --cores 2 --configfile my_review/config.yaml [--directory OUT]
# Outputs go to the review's output folder (review.output, default <review>/results), which is
# Snakemake's working directory: every output path below is relative to it.
from snakemake.utils import min_version

min_version("9.0")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"


workdir: str(REVIEW.output)


include: "workflow/rules/extract.smk"
include: "workflow/rules/curate.smk"
include: "workflow/rules/harmonize.smk"
include: "workflow/rules/pool.smk"
include: "workflow/rules/plot.smk"
include: "workflow/rules/appraise.smk"


rule all:
    default_target: True
    input:
        get_final_output(),
