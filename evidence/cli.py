"""Command line of the ``evidence`` package: ``python -m evidence <command> ...``.

Each command group lives in its own module and registers itself here, so the pooling engine,
curation and harmonisation can grow without touching one another.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# module name -> it must define ``register(subparsers)``; each added subparser sets ``func``
COMMAND_MODULES = (
    "evidence.cli_pool",
    "evidence.cli_curate",
    "evidence.cli_harmonize",
    "evidence.cli_sensitivity",
    "evidence.cli_appraise",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m evidence",
        description="Curate, harmonise and pool outcome data (numbers agree with R metafor).",
    )
    parser.add_argument(
        "--vocabulary", metavar="REVIEW",
        help="review folder or config.yaml whose vocabulary (classes, outcomes, scales) the command "
             "validates against (default: the bundled example's)",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.vocabulary:
            from evidence import vocabulary
            from evidence.review import load_review

            vocabulary.use(load_review(args.vocabulary).vocabulary)
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
