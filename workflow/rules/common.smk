# Validation of the config, the list of documents and analyses, and helpers for the rules.
import json
import shlex
from pathlib import Path

from snakemake.utils import validate


validate(config, schema="../schemas/config.schema.yaml")

PDF_DIR = Path(config["review"]["pdfs"])
if not PDF_DIR.is_dir():
    raise WorkflowError(
        f"config review.pdfs: folder {str(PDF_DIR)!r} not found "
        f"(relative paths are read from the working directory {Path.cwd()})"
    )
DOCUMENTS = sorted(p.stem for p in PDF_DIR.glob("*.pdf"))
ANALYSES = sorted(config["analyses"])
TABLES = ["studies", "arms", "outcomes", "completeness", "problems"]


wildcard_constraints:
    doc=r"[^/]+",
    analysis=r"[a-z][a-z0-9_]*",


def pdf_path(wildcards):
    return str(PDF_DIR / f"{wildcards.doc}.pdf")


def extracted_dirs():
    return [f"results/extracted/{doc}" for doc in DOCUMENTS]


def harmonize_settings():
    """The part of the config harmonisation depends on, as JSON (a change re-runs it)."""
    return json.dumps(
        {"analyses": config["analyses"], "harmonize": config.get("harmonize", {})},
        sort_keys=True,
    )


def analysis_title(wildcards):
    return config["analyses"][wildcards.analysis].get("title", wildcards.analysis)


def forest_options(wildcards):
    """Optional axis label and limits of an analysis's forest plot, as command-line options."""
    spec = config["analyses"][wildcards.analysis]
    options = []
    if "xlabel" in spec:
        options += ["--xlabel", shlex.quote(spec["xlabel"])]
    if "xlim" in spec:
        options.append("--xlim=" + ",".join(str(x) for x in spec["xlim"]))
    return " ".join(options)


def analysis_model_options(analysis):
    """``pool-outcome`` options for the analysis's model (rma, glmm, mh, peto, multilevel)."""
    spec = config["analyses"][analysis]
    options = ["--model", spec.get("model", "rma")]
    if spec.get("model") == "glmm":
        options += ["--nagq", str(spec.get("nagq", 7))]
    if spec.get("robust"):
        options.append("--robust")
    return " ".join(options)


def review_file(key):
    """The review's optional file ``review.<key>`` as a list of inputs (empty when not configured)."""
    value = config["review"].get(key)
    return [value] if value else []


def grade_widths():
    """``--imprecision-width`` options for the GRADE rule (analyses that set a threshold)."""
    items = [
        f"{name}={spec['imprecision_width']}"
        for name, spec in sorted(config["analyses"].items())
        if "imprecision_width" in spec
    ]
    return ("--imprecision-width " + " ".join(items)) if items else ""


def get_final_output():
    figures = expand(
        "results/figures/forest_{analysis}.{ext}", analysis=ANALYSES, ext=["svg", "pdf", "png"]
    )
    funnels = expand(
        "results/figures/{kind}_{analysis}.{ext}",
        kind=["funnel", "leave_one_out", "cumulative"],
        analysis=ANALYSES,
        ext=["svg", "pdf", "png"],
    )
    sensitivity = expand(
        "results/sensitivity/{analysis}{part}",
        analysis=ANALYSES,
        part=[".json", "_leave_one_out.tsv", "_cumulative.tsv"],
    )
    appraisal = ["results/tables/grade.tsv"]
    if config["review"].get("risk_of_bias"):
        appraisal += expand(
            "results/figures/rob_{kind}.{ext}",
            kind=["traffic_light", "summary"],
            ext=["svg", "pdf", "png"],
        )
    return (
        expand("results/tables/{table}.tsv", table=["studies", "arms", "outcomes"])
        + ["results/tables/extracted/problems.tsv", "results/harmonized/effects.tsv"]
        + expand("results/pooled/{analysis}.tsv", analysis=ANALYSES)
        + figures
        + funnels
        + sensitivity
        + appraisal
        + ["results/figures/prisma.png", "results/tables/summary_of_findings.csv"]
    )
