"""``python -m evidence sensitivity``: leave-one-out, estimators, small-study checks of a pooled table."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: `--help` starts without pandas
    import pandas as pd


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sensitivity",
        help="sensitivity analyses and small-study checks of a pooled table",
        description="Refit the overall model of a pooled table (study rows' yi, vi) and write: "
        "leave-one-out estimates (TSV), the estimate under every tau2 estimator, and, when "
        "k >= 10, Egger's regression test, the rank-correlation test and trim-and-fill (JSON).",
    )
    parser.add_argument("--pooled", type=Path, required=True, help="pooled table (TSV)")
    parser.add_argument("--method", default="REML", help="tau2 estimator of the main analysis")
    parser.add_argument("--test", default="knha", choices=["z", "knha"])
    parser.add_argument("--level", type=float, default=95)
    parser.add_argument("--rob", type=Path, help="risk_of_bias.csv: also refit without high-risk studies")
    parser.add_argument("--out-json", type=Path, required=True, help="summary (JSON)")
    parser.add_argument("--out-loo", type=Path, required=True, help="leave-one-out table (TSV)")
    parser.add_argument("--studies", type=Path, help="curated studies.tsv (publication years)")
    parser.add_argument("--out-cumulative", type=Path, help="cumulative meta-analysis by year (TSV)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import pandas as pd

    from evidence.sensitivity import sensitivity

    pooled = pd.read_csv(args.pooled, sep="\t")
    high_risk = None
    if args.rob is not None and args.rob.exists():
        from evidence.appraisal.assessments import high_risk_studies, read_assessments

        high_risk = high_risk_studies(read_assessments(args.rob))
    summary, loo = sensitivity(pooled, method=args.method.upper(), test=args.test, level=args.level,
                               high_risk=high_risk)
    args.out_json.parent.mkdir(parents=True, exist_ok=True)
    args.out_json.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    loo.to_csv(args.out_loo, sep="\t", index=False, float_format="%.10g")
    print(f"{args.out_json}: k = {summary['k']}; {args.out_loo}: {len(loo)} rows")
    if args.out_cumulative is not None:
        from evidence.sensitivity import cumulative_by_year

        years: dict[str, float] = {}
        if args.studies is not None:
            studies = pd.read_csv(args.studies, sep="\t", dtype=str, keep_default_na=False)
            for sid, year in zip(studies["study_id"], studies.get("year", [""] * len(studies))):
                try:
                    years[sid] = float(year)
                except ValueError:
                    continue
        table = cumulative_by_year(pooled, years, method=args.method.upper(), test=args.test, level=args.level)
        table.to_csv(args.out_cumulative, sep="\t", index=False, float_format="%.10g")
        print(f"{args.out_cumulative}: {len(table)} rows")
    return 0
