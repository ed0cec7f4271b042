"""``python -m evidence harmonize``: curated tables -> effects table."""

from __future__ import annotations

import argparse
import json
from pathlib import Path



def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "harmonize",
        help="build the effects table (one analysable row per study arm and analysis)",
        description="Read curated studies/arms/outcomes.tsv and write the effects table: values on "
        "each outcome's common scale, medians to means, change from baseline (reported or computed), "
        "between-arm differences with their variance, events over totals; every row says how it was "
        "harmonised and why it is excluded if it is. Refused values and printed percentages that "
        "disagree with events/total go to the QA table.",
    )
    parser.add_argument("--tables", type=Path, required=True, help="folder of curated tables")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", type=Path, help="review config YAML (analyses, harmonize)")
    source.add_argument("--settings", help="the same as JSON text: {analyses: ..., harmonize: ...}")
    parser.add_argument("--out", type=Path, required=True, help="effects table to write (TSV)")
    parser.add_argument("--qa", type=Path, help="QA table to write (TSV; default: qa.tsv next to --out)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import yaml

    from evidence.harmonize import harmonize_files

    config = yaml.safe_load(args.config.read_text()) if args.config else json.loads(args.settings)
    result = harmonize_files(args.tables, config, args.out, args.qa)
    table = result.effects
    kept = int(table["include"].sum())
    print(f"{args.out}: {len(table)} rows, {kept} included, {len(table) - kept} excluded with reasons; "
          f"{len(result.qa)} QA items in {args.qa or args.out.parent / 'qa.tsv'}")
    return 0
