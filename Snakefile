# Evidence synthesis from study PDFs: extract -> curate -> harmonize -> pool -> plot -> report.
# Run on the bundled example:   make run    (or: snakemake --cores 2)
# Run on another review:        snakemake --cores 2 --configfile my_review/config.yaml
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
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
