"""``python -m evidence harmonize``: curated tables -> effects table."""

from __future__ import annotations

import argparse
import json
from pathlib import Path



def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "harmonize",
        help="build the effects table (one analysable row per study arm and analysis)",
        description="Read curated studies/arms/outcomes.tsv and write the effects table: pain on a "
        "0-10 scale, medians to means, change from baseline, events over totals; every row says "
        "how it was harmonised and why it is excluded if it is.",
    )
    parser.add_argument("--tables", type=Path, required=True, help="folder of curated tables")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", type=Path, help="review config YAML (analyses, harmonize)")
    source.add_argument("--settings", help="the same as JSON text: {analyses: ..., harmonize: ...}")
    parser.add_argument("--out", type=Path, required=True, help="effects table to write (TSV)")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    import yaml

    from evidence.harmonize import harmonize_files

    config = yaml.safe_load(args.config.read_text()) if args.config else json.loads(args.settings)
    table = harmonize_files(args.tables, config, args.out)
    kept = int(table["include"].sum())
    print(f"{args.out}: {len(table)} rows, {kept} included, {len(table) - kept} excluded with reasons")
    return 0
