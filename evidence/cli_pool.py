"""``python -m evidence pool`` and ``python -m evidence pool-outcome`` (registered into cli.py)."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: `--help` starts without pandas
    import pandas as pd

# the engine's names, written out so `--help` need not import numpy/scipy (a test checks they agree)
METHODS: tuple[str, ...] = ("REML", "DL", "PM", "ML", "HS", "SJ", "EB", "HE", "FE", "EE")
TESTS: tuple[str, ...] = ("z", "knha")
MEASURES: tuple[str, ...] = ("GEN", "PR", "PLO", "PAS", "PFT", "MN", "MC", "SMCR", "MD", "SMD", "ROM", "OR", "RR", "RD")

POOL_EPILOG = """\
input columns (named as in metafor's escalc):
  GEN                     yi, vi
  PR, PLO, PAS, PFT       xi, ni                       (events, sample size)
  MN                      mi, sdi, ni
  MC, SMCR                m1i, m2i, sd1i, sd2i, ri, ni (SMCR: sd1i only)
  MD, SMD, ROM            m1i, sd1i, n1i, m2i, sd2i, n2i
  OR, RR, RD              ai, bi, ci, di   or   ai, n1i, ci, n2i
  optional: group (subgroups), slab (study labels); rows with missing values are dropped with a
  warning that counts them.

fit.json keys:
  measure, method, test, level, k, estimate, se, zval (tval with --test knha), pval, ci_lb, ci_ub,
  pi_lb, pi_ub (null for FE), ddf (knha), tau2, se_tau2, tau2_ci_lb, tau2_ci_ub (Q-profile), tau,
  i2 (percent, as metafor prints it), i2_ci_lb, i2_ci_ub, h2, h2_ci_lb, h2_ci_ub, qe, qe_df,
  qe_pval; per study: slab, yi, vi, weight (percent);
  back-transformed (PLO: inverse logit, PAS: inverse arcsine, PFT: inverse Freeman-Tukey with the
  harmonic mean of ni, OR/RR/ROM: exp): estimate_bt, ci_lb_bt, ci_ub_bt, pi_lb_bt, pi_ub_bt, yi_bt;
  with a group column: subgroups (one fit object per level, separate tau2), qm, qm_df, qm_pval
  (moderator test of rma(mods = ~ factor(group)) with a common tau2; F test with knha),
  tau2_common, and the test for subgroup differences with separate tau2: q_between,
  q_between_df, q_between_pval.
"""


def _read_table(path: str) -> pd.DataFrame:
    import pandas as pd

    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{path}: no such file.")
    sep = "\t" if p.suffix.lower() in (".tsv", ".tab", ".txt") else ","
    return pd.read_csv(p, sep=sep)


def _write_json(obj: dict, out: str | None) -> None:
    text = json.dumps(obj, indent=2, allow_nan=False)
    if out in (None, "-"):
        sys.stdout.write(text + "\n")
    else:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        Path(out).write_text(text + "\n", encoding="utf-8")


def _run_pool(args: argparse.Namespace) -> int:
    from evidence.pooling import fit_dataset

    df = _read_table(args.input)
    measure = args.measure.upper()
    if measure not in MEASURES:
        raise ValueError(f"Invalid measure '{args.measure}'; must be one of {list(MEASURES)}.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from evidence.effects import compute_effects

        es = compute_effects(df, measure, add=args.add, to=args.to, drop00=args.drop00,
                             vtype=args.vtype)
        group = args.group_col if args.group_col in es else None
        _, _, fit_json = fit_dataset(es, measure, args.method, args.test, args.level, group,
                                     args.slab_col)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    _write_json(fit_json, args.out)
    return 0


def _run_pool_outcome(args: argparse.Namespace) -> int:
    from evidence.pooling import pool_outcome, read_include

    df = _read_table(args.effects)
    rows = df[df["analysis"].astype(str) == args.analysis] if "analysis" in df else df.iloc[0:0]
    if "include" in rows:
        rows = rows[read_include(rows["include"]).to_numpy()]
    if rows.empty and args.allow_empty:
        return _write_empty(args, f"no included rows for analysis {args.analysis!r} in {args.effects}")
    if rows.empty:
        raise ValueError(f"No included rows with analysis == {args.analysis!r} in {args.effects}.")
    if "measure" not in rows:
        raise ValueError(f"{args.effects}: no 'measure' column.")
    measures = sorted(set(rows["measure"].dropna().astype(str).str.upper()))
    if len(measures) != 1:
        raise ValueError(
            f"analysis {args.analysis!r}: the 'measure' column must hold exactly one value for "
            f"the included rows; found {measures}."
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table, fit_json = pool_outcome(df, args.analysis, measures[0], method=args.method,
                                       test=args.test, level=args.level, group_col=args.group_col,
                                       model=args.model, nagq=args.nagq, robust=args.robust)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    Path(args.out_table).parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out_table, sep="\t", index=False, float_format="%.10g")
    _write_json(fit_json, args.out_json)
    return 0


def _write_empty(args: argparse.Namespace, why: str) -> int:
    """k = 0: a header-only pooled table and a JSON saying why (``--allow-empty``)."""
    from evidence.pooling import POOLED_COLUMNS

    Path(args.out_table).parent.mkdir(parents=True, exist_ok=True)
    import pandas as pd

    pd.DataFrame(columns=POOLED_COLUMNS).to_csv(args.out_table, sep="\t", index=False)
    _write_json({"analysis": args.analysis, "k": 0, "note": why}, args.out_json)
    print(f"warning: k = 0: {why}; wrote an empty pooled table", file=sys.stderr)
    return 0


def _add_model_options(p: argparse.ArgumentParser, default_test: str) -> None:
    p.add_argument("--method", default="REML", type=str.upper, choices=METHODS,
                   help="tau2 estimator (default: REML); FE/EE = fixed/equal effects")
    p.add_argument("--test", default=default_test, type=str.lower, choices=TESTS,
                   help=f"z (normal) or knha (Hartung-Knapp t test) (default: {default_test})")
    p.add_argument("--level", default=95.0, type=float,
                   help="confidence level in percent (default: 95)")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``pool`` and ``pool-outcome`` to the ``python -m evidence`` parser."""
    p = subparsers.add_parser(
        "pool",
        help="meta-analysis of one data set (escalc + rma, numbers as R metafor)",
        description=(
            "Compute effect sizes with metafor's escalc conventions and fit a random- or "
            "fixed-effects model (rma). Writes fit.json."
        ),
        epilog=POOL_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--input", required=True, help="CSV (or .tsv) with one row per study")
    p.add_argument("--measure", default="GEN", type=str.upper,
                   help=f"escalc measure code, one of {', '.join(MEASURES)} (default: GEN)")
    _add_model_options(p, "z")
    p.add_argument("--group-col", default="group", help="subgroup column (default: group)")
    p.add_argument("--slab-col", default="slab", help="study label column (default: slab)")
    p.add_argument("--add", default=0.5, type=float,
                   help="continuity correction added to zero cells (escalc add; default 0.5)")
    p.add_argument("--to", default="only0", choices=("only0", "all", "if0all", "none"),
                   help="which studies get the correction (escalc to; default only0)")
    p.add_argument("--drop00", action="store_true",
                   help="2x2 measures: drop studies with no (or only) events in both groups")
    p.add_argument("--vtype", default="LS", type=str.upper,
                   help="sampling variance type (escalc vtype; default LS)")
    p.add_argument("--out", default="-", help="output JSON (default: stdout)")
    p.set_defaults(func=_run_pool)

    q = subparsers.add_parser(
        "pool-outcome",
        help="pool one analysis of the harmonized effects table by treatment class",
        description=(
            "Read results/harmonized/effects.tsv, keep the included rows of --analysis, compute "
            "effects (measure from the rows' 'measure' column, which must be unique), fit one "
            "model per treatment class and an overall model, and write the pooled table (TSV, "
            "DESIGN.md 'Pooled' columns) and the fits (JSON, fit.json layout of 'pool')."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q.add_argument("--effects", required=True, help="harmonized effects table (TSV)")
    q.add_argument("--analysis", required=True, help="value of the 'analysis' column to pool")
    _add_model_options(q, "knha")
    q.add_argument("--group-col", default="treatment_class",
                   help="subgroup column (default: treatment_class)")
    q.add_argument("--model", default="rma", type=str.lower,
                   choices=("rma", "glmm", "mh", "peto", "multilevel"),
                   help="rma: random/fixed-effects model on escalc effects (metafor rma.uni, "
                   "default); glmm: random-effects logistic regression for proportions "
                   "(rma.glmm, ML with adaptive Gauss-Hermite quadrature; needs xi, ni); "
                   "mh / peto: Mantel-Haenszel / Peto for two-group OR, RR, RD (rma.mh, "
                   "rma.peto; needs ai, bi|n1i, ci, di|n2i); multilevel: random effects for "
                   "study and arm within study (rma.mv ~ 1 | study/arm), for analyses that keep "
                   "all arms. GLMM and multilevel use --method ML/REML (FE for a common-effect "
                   "GLMM) and turn --test knha into metafor's t test")
    q.add_argument("--nagq", default=7, type=int,
                   help="glmm: quadrature points (default 7 as metafor; 1 = Laplace)")
    q.add_argument("--robust", action="store_true",
                   help="multilevel: cluster-robust SEs with studies as clusters (metafor "
                   "robust(fit, cluster = study), t tests on n_studies - p df)")
    q.add_argument("--out-table", required=True, help="pooled table (TSV)")
    q.add_argument("--out-json", required=True, help="fits (JSON)")
    q.add_argument("--allow-empty", action="store_true",
                   help="with no included rows (k = 0) write a header-only table and a JSON note "
                   "instead of failing (the workflow uses this so one empty analysis does not "
                   "stop the others)")
    q.set_defaults(func=_run_pool_outcome)
