# The review (its folder, config, vocabulary and files), the list of documents and analyses, and
# helpers for the rules.
import hashlib
import json
import shlex
import sys
from pathlib import Path

from snakemake.io import report as _report
from snakemake.io import strip_wildcard_constraints
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

from extraction.qa import identical_files

IDENTICAL = identical_files(REVIEW.documents)
"""The same file under a second name (same SHA-256): later path -> first path (by name); read once."""
DOCUMENTS = {p.stem: str(p) for p in REVIEW.documents if p not in IDENTICAL}
ANALYSES = sorted(config["analyses"])
TABLES = ["studies", "arms", "outcomes", "completeness", "problems"]


wildcard_constraints:
    doc=r"[^/]+",
    analysis=r"[a-z][a-z0-9_]*",


def pdf_path(wildcards):
    return DOCUMENTS[wildcards.doc]


def extracted_dirs():
    return [f"extracted/{doc}" for doc in DOCUMENTS]


def identical_options():
    """``--identical LATER=FIRST`` for each file that repeats another (merge lists it, unread)."""
    return " ".join(
        f"--identical {shlex.quote(f'{dup.name}={first.name}')}"
        for dup, first in sorted(IDENTICAL.items())
    )


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
    analyses and four plots, each a command of its own, logged to logs/analyse/<analysis>.log;
    then the GRADE table and the summary of findings (``appraisal_groups``).
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
                "--max-rows",
                str(config["plots"]["forest_max_rows"]),
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
                "--max-rows",
                str(config["plots"]["forest_max_rows"]),
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
                "--max-rows",
                str(config["plots"]["forest_max_rows"]),
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
    return groups + appraisal_groups(rob)


SOF_OUTPUTS = [
    f"tables/summary_of_findings.{ext}" for ext in ("csv", "md", "tex", "xlsx")
]


def appraisal_groups(rob):
    """GRADE certainty of every analysis, then the summary of findings: groups run ``after`` the
    analyses (they read every pooled table) by the same job; logged where their rules logged.
    Their names start with ``_``, which no analysis name does."""
    pooled = [f"pooled/{a}.tsv" for a in ANALYSES]
    sensitivity = [f"sensitivity/{a}.json" for a in ANALYSES]
    judgements = [str(p) for p in review_file("grade")]
    widths = [
        f"{name}={spec['imprecision_width']}"
        for name, spec in sorted(config["analyses"].items())
        if "imprecision_width" in spec
    ]
    grade = [
        "evidence",
        "grade",
        "--pooled",
        *pooled,
        "--sensitivity",
        *sensitivity,
        "--studies",
        "tables/studies.tsv",
        *(["--rob", rob[0]] if rob else []),
        *(["--judgements", judgements[0]] if judgements else []),
        *(["--imprecision-width", *widths] if widths else []),
        "--out",
        "tables/grade.tsv",
    ]
    sof = [
        "figures",
        "sof",
        "--pooled",
        *pooled,
        "--grade",
        "tables/grade.tsv",
        "--out",
        "tables/summary_of_findings",
    ]
    return [
        {
            "name": "_grade",
            "after": True,
            "log": "logs/grade_certainty.log",
            "steps": [grade],
            "inputs": [*pooled, *sensitivity, "tables/studies.tsv", *rob, *judgements],
            "outputs": ["tables/grade.tsv"],
        },
        {
            "name": "_summary_of_findings",
            "after": True,
            "log": "logs/summary_of_findings.log",
            "steps": [sof],
            "inputs": [*pooled, "tables/grade.tsv"],
            "outputs": SOF_OUTPUTS,
        },
    ]


def prisma_group():
    """``figures prisma`` as one group of ``python -m evidence.batch`` (JSON, inline), logged to
    the rule's log: unchanged studies table, steps and code -> the kept figures come back.
    """
    outputs = [f"figures/prisma.{ext}" for ext in ("svg", "pdf", "png")]
    outputs.append("figures/prisma_counts.json")
    step = ["figures", "prisma", "--studies", "tables/studies.tsv"]
    step += ["--out", "figures/prisma"]
    group = {
        "name": "prisma",
        "log": "logs/plot_prisma.log",
        "steps": [step],
        "inputs": ["tables/studies.tsv"],
        "outputs": outputs,
    }
    return json.dumps([group])


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


OPTIONAL_RULES = {"plot_risk_of_bias": "risk_of_bias"}
"""Rules that run only when the review has the optional file they read."""


def get_final_output():
    """The outputs of all rules over the review's documents and analyses. The final target thus
    requests everything written under the output folder (besides logs), so a re-run after a kill
    at any moment re-makes whatever is missing or incomplete."""
    values = {"doc": sorted(DOCUMENTS), "analysis": ANALYSES}
    targets = []
    for step in workflow.rules:
        if step.name == "all" or (
            step.name in OPTIONAL_RULES and not review_file(OPTIONAL_RULES[step.name])
        ):
            continue
        unknown = set(step.wildcard_names) - set(values)
        if unknown:
            raise WorkflowError(
                f"{step.name}: wildcard(s) {sorted(unknown)} have no values for the final target"
            )
        patterns = [strip_wildcard_constraints(str(f)) for f in step.output]
        targets += expand(patterns, **{w: values[w] for w in step.wildcard_names})
    return targets


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
