# The review (its folder, config, vocabulary and files), the list of documents and analyses, and
# helpers for the rules.
import hashlib
import json
import shlex
import sys
from pathlib import Path

from snakemake.io import report as _report
from snakemake.settings.types import DeploymentMethod

# This file reads the review with the toolkit of the checkout the Snakefile belongs to; the rules
# run the toolkit installed in the interpreter running Snakemake (PYTHON below).
REPO = Path(workflow.basedir).resolve()
sys.path.insert(0, str(REPO))

from evidence.review import (
    BUNDLED_EXAMPLE,
    ReviewError,
    config_file,
    review_from_config,
)


def _load_review():
    """The review: the one --configfile names, else the bundled example; its config is the whole
    config (schema defaults filled in, unknown or missing keys an error naming the file).
    """
    given = list(workflow.overwrite_configfiles)
    if len(given) > 1:
        raise WorkflowError(
            f"one review per run; got {len(given)} --configfile: {', '.join(map(str, given))}"
        )
    try:
        if given:
            review = review_from_config(dict(config), Path(given[0]))
        else:
            path = config_file(BUNDLED_EXAMPLE)
            review = review_from_config(load_configfile(str(path)) | dict(config), path)
        review.check_inputs()
    except ReviewError as err:
        raise WorkflowError(str(err)) from None
    return review


from snakemake.common.configfile import load_configfile

REVIEW = _load_review()
config.clear()
config.update(REVIEW.config)

USES_CONDA = DeploymentMethod.CONDA in workflow.deployment_settings.deployment_method
PYTHON = "python" if USES_CONDA else sys.executable
"""The interpreter of every rule: the one running Snakemake (never whichever ``python`` is first on
PATH), or the conda environment's with ``--sdm conda``."""
ENV = "../envs/toolkit.yaml"

DOCUMENTS = {p.stem: str(p) for p in REVIEW.documents}
ANALYSES = sorted(config["analyses"])
TABLES = ["studies", "arms", "outcomes", "completeness", "problems"]


wildcard_constraints:
    doc=r"[^/]+",
    analysis=r"[a-z][a-z0-9_]*",


def pdf_path(wildcards):
    return DOCUMENTS[wildcards.doc]


def extracted_dirs():
    return [f"extracted/{doc}" for doc in DOCUMENTS]


def harmonize_settings():
    """The part of the config harmonisation depends on, as JSON (a change re-runs it)."""
    return json.dumps(
        {
            "analyses": config["analyses"],
            "harmonize": config.get("harmonize", {}),
            "vocabulary": config["vocabulary"],
        },
        sort_keys=True,
    )


def forest_options(analysis):
    """Optional axis label and limits of an analysis's forest plot, as arguments."""
    spec = config["analyses"][analysis]
    options = []
    if "xlabel" in spec:
        options += ["--xlabel", str(spec["xlabel"])]
    if "xlim" in spec:
        options.append("--xlim=" + ",".join(str(x) for x in spec["xlim"]))
    return options


def analysis_model_options(analysis):
    """``pool-outcome`` arguments for the analysis's model (rma, glmm, mh, peto, multilevel)."""
    spec = config["analyses"][analysis]
    options = ["--model", spec.get("model", "rma")]
    if spec.get("model") == "glmm":
        options += ["--nagq", str(spec.get("nagq", 7))]
    if spec.get("robust"):
        options.append("--robust")
    return options


def model_options():
    """The meta-analysis model of every analysis (``models``), as arguments."""
    models = config["models"]
    return [
        "--method",
        str(models["method"]),
        "--test",
        str(models["test"]),
        "--level",
        str(models["level"]),
    ]


def analysis_outputs(analysis):
    """Every file the analysis's group writes (see rule analyse)."""
    out = [
        f"pooled/{analysis}.tsv",
        f"pooled/{analysis}.json",
        f"sensitivity/{analysis}.json",
        f"sensitivity/{analysis}_leave_one_out.tsv",
        f"sensitivity/{analysis}_cumulative.tsv",
    ]
    for kind in ("forest", "funnel", "leave_one_out", "cumulative"):
        out += [f"figures/{kind}_{analysis}.{ext}" for ext in ("svg", "pdf", "png")]
    return out


def analysis_groups():
    """The steps of every analysis for ``python -m evidence.batch`` (JSON): pool, sensitivity
    analyses and four plots, each a command of its own, logged to logs/analyse/<analysis>.log.
    """
    rob = [str(p) for p in review_file("risk_of_bias")]
    rob_args = ["--rob", rob[0]] if rob else []
    groups = []
    for a in ANALYSES:
        title = str(config["analyses"][a].get("title", a))
        pooled, summary = f"pooled/{a}.tsv", f"sensitivity/{a}.json"
        loo, cumulative = (
            f"sensitivity/{a}_leave_one_out.tsv",
            f"sensitivity/{a}_cumulative.tsv",
        )
        steps = [
            [
                "evidence",
                "pool-outcome",
                "--effects",
                "harmonized/effects.tsv",
                "--analysis",
                a,
                *model_options(),
                *analysis_model_options(a),
                "--out-table",
                pooled,
                "--out-json",
                f"pooled/{a}.json",
                "--allow-empty",
            ],
            [
                "evidence",
                "sensitivity",
                "--pooled",
                pooled,
                *model_options(),
                "--out-json",
                summary,
                "--out-loo",
                loo,
                "--studies",
                "tables/studies.tsv",
                "--out-cumulative",
                cumulative,
                *rob_args,
            ],
            [
                "figures",
                "forest",
                "--pooled",
                pooled,
                "--out",
                f"figures/forest_{a}",
                "--title",
                title,
                *forest_options(a),
                *rob_args,
            ],
            [
                "figures",
                "funnel",
                "--pooled",
                pooled,
                "--diagnostics",
                summary,
                "--title",
                title,
                "--out",
                f"figures/funnel_{a}",
            ],
            [
                "figures",
                "loo",
                "--table",
                loo,
                "--pooled",
                pooled,
                "--title",
                title,
                "--out",
                f"figures/leave_one_out_{a}",
            ],
            [
                "figures",
                "cumulative",
                "--table",
                cumulative,
                "--pooled",
                pooled,
                "--title",
                title,
                "--out",
                f"figures/cumulative_{a}",
            ],
        ]
        groups.append(
            {
                "name": a,
                "log": f"logs/analyse/{a}.log",
                "steps": steps,
                "inputs": ["harmonized/effects.tsv", "tables/studies.tsv", *rob],
                "slices": {"harmonized/effects.tsv": ["analysis", a]},
                "outputs": analysis_outputs(a),
            }
        )
    return groups


def analysis_groups_file():
    """analysis_groups() written to <output folder>/.batch/analyse.json (rewritten only when
    it changes; too long for one command-line argument with many analyses) and its digest, a
    param: a change of any step re-runs the job."""
    text = json.dumps(analysis_groups(), indent=1)
    path = Path(REVIEW.output).resolve() / ".batch" / "analyse.json"
    if not path.exists() or path.read_text() != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text)
        tmp.replace(path)
    return str(path), hashlib.sha256(text.encode()).hexdigest()[:16]


def review_file(key):
    """The review's file ``review.<key>`` as a list of inputs (empty when an optional one is absent)."""
    path = (
        REVIEW.optional_file(key)
        if key in ("risk_of_bias", "grade")
        else REVIEW.path(key)
    )
    return [str(path)] if path else []


def vocabulary_option():
    """``--vocabulary CONFIG``: the stages validate against the review's own vocabulary."""
    return f"--vocabulary {shlex.quote(str(REVIEW.config_path))}"


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
        "figures/forest_{analysis}.{ext}", analysis=ANALYSES, ext=["svg", "pdf", "png"]
    )
    funnels = expand(
        "figures/{kind}_{analysis}.{ext}",
        kind=["funnel", "leave_one_out", "cumulative"],
        analysis=ANALYSES,
        ext=["svg", "pdf", "png"],
    )
    sensitivity = expand(
        "sensitivity/{analysis}{part}",
        analysis=ANALYSES,
        part=[".json", "_leave_one_out.tsv", "_cumulative.tsv"],
    )
    appraisal = ["tables/grade.tsv"]
    if review_file("risk_of_bias"):
        appraisal += expand(
            "figures/rob_{kind}.{ext}",
            kind=["traffic_light", "summary"],
            ext=["svg", "pdf", "png"],
        )
    return (
        expand("tables/{table}.tsv", table=["studies", "arms", "outcomes"])
        + [
            "tables/extracted/problems.tsv",
            "harmonized/effects.tsv",
            "harmonized/qa.tsv",
        ]
        + expand("pooled/{analysis}.tsv", analysis=ANALYSES)
        + figures
        + funnels
        + sensitivity
        + appraisal
        + ["figures/prisma.png", "tables/summary_of_findings.csv"]
    )


def report_each(pattern, caption, category):
    """``report()`` of the file of every analysis, each in the analysis's subcategory."""
    return [
        _report(
            pattern.format(analysis=a),
            caption=caption,
            category=category,
            subcategory=a,
        )
        for a in ANALYSES
    ]


ANALYSIS_GROUPS = analysis_groups_file()
