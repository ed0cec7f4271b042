"""Command line: ``python -m extraction extract PDF [PDF ...] --out DIR`` and
``python -m extraction merge DIR [DIR ...] --out OUTDIR`` (and ``debug-png``).

``extract`` with one PDF writes DIR/{studies,arms,outcomes,completeness,problems,suggestions}.tsv and
DIR/fingerprint.json (one Snakemake job per PDF). With several PDFs each goes to
DIR/per_pdf/<stem>/ and the merged tables are written to DIR. A PDF that cannot be read becomes a
problems row; the exit status is 0 unless the command line itself is wrong.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: `--help` starts without pandas
    import pandas as pd


def _write_result(res, out: Path) -> None:
    import pandas as pd

    from .extract import COMPLETENESS_COLUMNS, PROBLEM_COLUMNS
    from .merge import TABLES, write_tables

    frames = {
        "studies": pd.DataFrame(res.studies),
        "arms": pd.DataFrame(res.arms),
        "outcomes": pd.DataFrame(res.outcomes),
        "completeness": pd.DataFrame(res.completeness, columns=list(COMPLETENESS_COLUMNS)),
        "problems": pd.DataFrame(res.problems, columns=list(PROBLEM_COLUMNS)),
    }
    for k, cols in TABLES.items():
        if frames[k].empty:
            frames[k] = pd.DataFrame(columns=list(cols))
    write_tables(out, frames)
    # candidates the scorer did not accept, with their region, for the curator (not merged)
    from .scorer import SUGGESTION_COLUMNS

    pd.DataFrame(res.suggestions, columns=list(SUGGESTION_COLUMNS)).to_csv(out / "suggestions.tsv", sep="\t", index=False)
    (out / "fingerprint.json").write_text(json.dumps(res.fingerprint, indent=1, ensure_ascii=False))


def _extract(pdf: Path, args: argparse.Namespace, lexicon):
    from .extract import extract_document

    res = extract_document(pdf, max_pages=args.max_pages, lexicon=lexicon)
    if args.vocabulary:
        from evidence.review import load_review

        from .restrict import restrict

        counts = restrict(res, load_review(args.vocabulary).vocabulary)
        print(f"{pdf.name}: review vocabulary: " + ", ".join(f"{v} {k}" for k, v in counts.items()), file=sys.stderr)
    return res


def cmd_extract(args: argparse.Namespace) -> int:
    from .merge import merge_dirs

    from evidence.review import ReviewError
    from vocab import VocabularyError

    from .lexicon import lexicon_for

    try:
        lexicon = lexicon_for(args.vocabulary)
    except (ReviewError, VocabularyError) as err:
        print(f"extract: --vocabulary: {err}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pdfs = [Path(p) for p in args.pdfs]
    if len(pdfs) == 1:
        res = _extract(pdfs[0], args, lexicon)
        _write_result(res, out)
        _report(res)
        return 0
    from .qa import identical_files

    same = identical_files(pdfs)  # the same file under a second name is read once
    dirs = []
    for p in pdfs:
        if p in same:
            continue
        d = out / "per_pdf" / p.stem
        d.mkdir(parents=True, exist_ok=True)
        res = _extract(p, args, lexicon)
        _write_result(res, d)
        _report(res)
        dirs.append(d)
    merge_dirs(dirs, out, {p.name: q.name for p, q in same.items()})
    return 0


def _report(res) -> None:
    if res.problems:
        for p in res.problems:
            print(f"{p['source_file']}: {p['stage']}: {p['reason']}", file=sys.stderr)
    s = res.studies[0] if res.studies else {}
    print(
        f"{res.source_file}: {s.get('study_id', '')} {s.get('document_type', '')} {s.get('decision', '')}; "
        f"{len(res.arms)} arm(s), {len(res.outcomes)} value(s)",
        file=sys.stderr,
    )


def cmd_merge(args: argparse.Namespace) -> int:
    from .merge import merge_dirs

    dirs = [Path(d) for d in args.dirs]
    missing = [str(d) for d in dirs if not d.is_dir()]
    if missing:
        print(f"merge: not a directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    identical = {}
    for item in args.identical or []:
        dup, sep, first = item.partition("=")
        if not sep or not dup or not first:
            print(f"merge: --identical {item!r}: expected LATER.pdf=FIRST.pdf", file=sys.stderr)
            return 2
        identical[dup] = first
    merged = merge_dirs(dirs, Path(args.out), identical)
    st = merged["studies"]
    print(f"merged {len(dirs)} dir(s): {len(st)} studies, {int((st['decision'] == 'included').sum())} included", file=sys.stderr)
    return 0


def cmd_debug_png(args: argparse.Namespace) -> int:
    from .debug import draw_values

    paths = draw_values(Path(args.pdf), Path(args.outcomes), Path(args.out), pages=args.page)
    for p in paths:
        print(p)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m extraction", description="Extract study data from PDFs with provenance.")
    ap.add_argument("-v", "--verbose", action="store_true")
    sub = ap.add_subparsers(dest="command", required=True)
    e = sub.add_parser("extract", help="extract one or more PDFs into DIR")
    e.add_argument("pdfs", nargs="+", metavar="PDF")
    e.add_argument("--out", required=True, metavar="DIR")
    e.add_argument("--max-pages", type=int, default=None, help="read at most this many pages per PDF")
    e.add_argument("--vocabulary", metavar="REVIEW", help="review folder or config.yaml whose vocabulary names "
                   "the outcomes and treatment classes the rules look for; only its outcomes are kept and arms get "
                   "its classes (default: the bundled example's words, everything the rules find kept)")
    e.set_defaults(func=cmd_extract)
    m = sub.add_parser("merge", help="merge per-PDF output directories, detect duplicates")
    m.add_argument("dirs", nargs="*", metavar="DIR", help="per-PDF output folders (none: a review without PDFs)")
    m.add_argument("--out", required=True, metavar="OUTDIR")
    m.add_argument("--identical", action="append", metavar="LATER=FIRST",
                   help="file name LATER has the same bytes as FIRST and was not read (repeatable)")
    m.set_defaults(func=cmd_merge)
    d = sub.add_parser("debug-png", help="draw the boxes of extracted values on the PDF's pages")
    d.add_argument("pdf")
    d.add_argument("--outcomes", required=True, help="outcomes.tsv (and arms.tsv next to it) written by extract")
    d.add_argument("--out", required=True, metavar="DIR")
    d.add_argument("--page", type=int, action="append", help="page(s) to draw (default: every page with values)")
    d.set_defaults(func=cmd_debug_png)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return args.func(args)
