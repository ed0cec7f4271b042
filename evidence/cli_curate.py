"""``python -m evidence curate ...``: validate, build, set, export, import, compare, adjudicate.

File formats are documented for curators in ``docs/curation.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _print_notes(*paths: str | Path | None) -> None:
    """What reading each CSV had to decide (e.g. read as Windows-1252), as ``note:`` lines on stderr."""
    from evidence.curation import csvio

    for path in paths:
        for note in csvio.notes(path) if path else []:
            print(f"note: {note}", file=sys.stderr)


def _validate(args: argparse.Namespace) -> int:
    from evidence.curation.audit import audit_notes
    from evidence.curation.build import build_curated
    from evidence.curation.corrections import load_corrections
    from evidence.curation.errors import CurationError
    from evidence.curation.manual import load_manual

    if not (args.corrections or args.manual):
        raise ValueError("nothing to validate; expected --corrections FILE and/or --manual FILE")
    _print_notes(args.manual, args.corrections)
    if args.extracted:
        report = build_curated(args.extracted, args.corrections, args.manual, None, on_stale=args.on_stale)
        summary = report.summary()
        for stale in report.stale:
            print(f"stale: {stale}", file=sys.stderr)
    else:
        problems = []
        for loader, path in ((load_manual, args.manual), (load_corrections, args.corrections)):
            try:
                if path:
                    loader(path)
            except CurationError as exc:
                problems += exc.problems
        if problems:
            raise CurationError(problems)
        summary = "rows valid (give --extracted DIR to check study ids, ranges on the target's scale and staleness)"
    for note in audit_notes(args.corrections) if args.corrections else []:
        print(f"note: {note}", file=sys.stderr)
    print(f"ok: {summary}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from evidence.curation.build import build_curated

    _print_notes(args.manual, args.corrections)
    report = build_curated(args.extracted, args.corrections, args.manual, args.out, on_stale=args.on_stale)
    for stale in report.stale:
        print(f"stale (not applied): {stale}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"curated tables in {args.out}: {report.summary()}")
    return 0


def _set(args: argparse.Namespace) -> int:
    from evidence.curation.edits import set_value

    key = (args.study, args.arm, args.outcome, args.timepoint, args.field)
    row = set_value(args.corrections, key, args.value, curator=args.curator, reason=args.reason,
                    extracted_dir=args.extracted, manual_path=args.manual, old_value=args.old_value,
                    date=args.date, scale=args.scale, unit=args.unit, timepoint_label=args.timepoint_label,
                    source_address=args.source_address)
    print(f"appended to {args.corrections}: {'/'.join(key)}: {row['old_value']!r} -> {row['new_value']!r}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from evidence.curation.spreadsheet import export_xlsx

    if not args.xlsx:
        raise ValueError("only the xlsx format is supported; expected --xlsx")
    count = export_xlsx(args.curated, args.out)
    print(f"wrote {args.out} ({count} rows); fill new_value and reason, then run `curate import`")
    return 0


def _import(args: argparse.Namespace) -> int:
    from evidence.curation.spreadsheet import import_xlsx

    rows = import_xlsx(args.file, args.corrections, curator=args.curator, reason_column=args.reason_column,
                       date=args.date, dry_run=args.dry_run)
    verb = "would append" if args.dry_run else "appended"
    print(f"{verb} {len(rows)} correction(s) to {args.corrections}")
    for row in rows:
        print(f"  {row['study_id']}/{row['arm_id']}/{row['outcome']}/{row['timepoint']}/{row['field']}: "
              f"{row['old_value']!r} -> {row['new_value']!r}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from evidence.curation.dual import compare

    count, total = compare(args.a, args.b, args.out, base=args.extracted)
    print(f"{count} disagreement(s) in {total} compared value(s); written to {args.out}")
    return 0


def _adjudicate(args: argparse.Namespace) -> int:
    from evidence.curation.dual import adjudicate

    rows = adjudicate(args.disagreements, args.out, curator=args.curator, allow_pending=args.allow_pending)
    print(f"appended {len(rows)} adjudicated correction(s) to {args.out}")
    return 0


def _schemas(args: argparse.Namespace) -> int:
    from evidence.curation.atomic import atomic_write_text
    from evidence.curation.schemas import SCHEMAS, schema_yaml

    for name in SCHEMAS:
        path = Path(args.out) / f"{name}.schema.yaml"
        atomic_write_text(path, schema_yaml(name))
        print(f"wrote {path}")
    return 0


def _stale_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--on-stale", choices=("error", "report"), default="error",
                        help="stale corrections stop with an error (default) or are reported and left unapplied")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``curate`` command group."""
    curate = subparsers.add_parser("curate", help="corrections, manual entries, curated tables",
                                   description="Curation: see docs/curation.md for the file formats.")
    sub = curate.add_subparsers(dest="curate_command", required=True, metavar="SUBCOMMAND")

    p = sub.add_parser("validate", help="check corrections and manual-entries files")
    p.add_argument("--corrections", help="corrections.csv")
    p.add_argument("--manual", help="manual_entries.csv")
    p.add_argument("--extracted", help="folder with extracted studies.tsv, arms.tsv, outcomes.tsv "
                                       "(adds study-id, range and staleness checks)")
    _stale_option(p)
    p.set_defaults(func=_validate)

    p = sub.add_parser("build", help="curated tables = extracted + corrections + manual entries")
    p.add_argument("--extracted", required=True, help="folder with extracted studies/arms/outcomes.tsv")
    p.add_argument("--corrections", required=True, help="corrections.csv (an explicit workflow input)")
    p.add_argument("--manual", required=True, help="manual_entries.csv")
    p.add_argument("--out", required=True, help="output folder for the curated tables")
    _stale_option(p)
    p.set_defaults(func=_build)

    p = sub.add_parser("set", help="append one correction (atomic, audited)")
    for name in ("study", "arm", "outcome", "timepoint", "field", "value"):
        p.add_argument(name.upper(), help={"arm": "arm id, or - for a study-level value",
                                           "outcome": "outcome code, 'arm' or 'study'",
                                           "timepoint": "time-point key, or - for arm/study values",
                                           "value": "the new value, or NA to delete it"}.get(name, name))
    p.add_argument("--reason", required=True)
    p.add_argument("--curator", required=True)
    p.add_argument("--corrections", required=True, help="corrections.csv (created when missing)")
    p.add_argument("--extracted", help="read old_value from the extracted tables in this folder")
    p.add_argument("--manual", help="manual_entries.csv (old values of manual studies)")
    p.add_argument("--old-value", help="the value being corrected, when --extracted is not given")
    p.add_argument("--date", help="ISO 8601 date-time (default: now, UTC)")
    p.add_argument("--scale", default="")
    p.add_argument("--unit", default="")
    p.add_argument("--timepoint-label", default="")
    p.add_argument("--source-address", default="", help="where the value was read, e.g. tian2022.pdf p.4 table 2")
    p.set_defaults(func=lambda a: _set(argparse.Namespace(**{k.lower(): v for k, v in vars(a).items()})))

    p = sub.add_parser("export", help="curated tables to a spreadsheet for review")
    p.add_argument("--xlsx", action="store_true", help="write an .xlsx workbook")
    p.add_argument("--out", required=True, help="FILE.xlsx")
    p.add_argument("--curated", required=True, help="folder with the curated tables")
    p.set_defaults(func=_export)

    p = sub.add_parser("import", help="spreadsheet edits to correction rows")
    p.add_argument("file", help="FILE.xlsx made by `curate export`")
    p.add_argument("--corrections", required=True)
    p.add_argument("--curator", required=True)
    p.add_argument("--reason-column", default="reason", help="column holding each edit's reason (default: reason)")
    p.add_argument("--date", help="ISO 8601 date-time of the edits (default: now, UTC)")
    p.add_argument("--dry-run", action="store_true", help="check and list the rows, write nothing")
    p.set_defaults(func=_import)

    p = sub.add_parser("compare", help="dual extraction: field-by-field disagreements of two sources")
    p.add_argument("a", help="corrections.csv, manual_entries.csv, outcomes.tsv or a folder of tables")
    p.add_argument("b", help="the second source, same kinds")
    p.add_argument("--out", required=True, help="disagreements.tsv")
    p.add_argument("--extracted", help="extracted tables: the value of keys a correction file leaves alone")
    p.set_defaults(func=_compare)

    p = sub.add_parser("adjudicate", help="adjudicated disagreements to correction rows")
    p.add_argument("--disagreements", required=True)
    p.add_argument("--out", required=True, help="corrections file to append to (created when missing)")
    p.add_argument("--curator", help="adjudicator, when the adjudicator column is empty")
    p.add_argument("--allow-pending", action="store_true", help="skip rows without an adjudication")
    p.set_defaults(func=_adjudicate)

    p = sub.add_parser("schemas", help="write the JSON schemas (YAML) of the curation files")
    p.add_argument("--out", default="workflow/schemas")
    p.set_defaults(func=_schemas)
