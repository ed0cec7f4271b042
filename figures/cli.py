"""Command line of the ``figures`` package: ``python -m figures <command> ...``.

Each command parses its arguments, calls one library function and saves the result; errors in
the inputs (a missing file or column) exit with status 2 and a one-line message.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: `--help` starts without pandas
    import pandas as pd


def _formats(args: argparse.Namespace) -> tuple[str, ...]:
    return tuple(f.strip() for f in args.formats.split(",") if f.strip())


def _positive_rows(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a row count of at least 1; got {text}")
    return value


def _add_max_rows(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-rows", type=_positive_rows, default=None,
                   help="most rows per page; a longer plot is split over pages (default: one page)")


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="output path prefix (extensions are added)")
    p.add_argument("--formats", default="svg,pdf,png", help="comma list of svg,pdf,png,tif")
    p.add_argument("--dpi", type=int, default=300, help="PNG resolution (default 300)")
    p.add_argument("--tiff", action="store_true", help="also write a 600 dpi TIFF")


def _save(fig, args: argparse.Namespace) -> int:
    """Save one figure (page files of an earlier, longer plot under the same name are removed)."""
    from figures.io import save_pages

    for path in save_pages([fig], args.out, formats=_formats(args), dpi=args.dpi, tiff=args.tiff):
        print(path)
    return 0


def _save_pages(make, args: argparse.Namespace, what: str) -> int:
    """Save the pages ``make()`` draws; a split or a refused plot is said on stderr.

    A plot longer than :data:`figures._layout.MAX_PAGES` pages is replaced by a notice figure
    naming it and the setting (so the other figures of the analysis are still made).
    """
    from figures._layout import MAX_PAGES, TooManyRows
    from figures.io import save_pages
    from figures.notice import notice_figure

    name = Path(args.out).name
    plot = f"{what} {name}" + (f" ({args.title})" if args.title else "")
    try:
        pages = make()
    except TooManyRows as exc:
        message = (f"{plot} not drawn: its {exc.rows} rows would take {exc.pages} pages of --max-rows "
                   f"{exc.max_rows} (plots.forest_max_rows in the review's config); at most {MAX_PAGES} pages "
                   "are drawn. Raise plots.forest_max_rows (taller pages) or split the analysis; the numbers "
                   "are in the pooled table.")
        print(f"warning: {message}", file=sys.stderr)
        pages = [notice_figure(args.title, message)]
    if len(pages) > 1:
        print(f"note: {plot}: more rows than --max-rows {args.max_rows} (plots.forest_max_rows in the review's "
              f"config), split over {len(pages)} pages: {name}.pdf has every page; {name}.svg/.png is page 1, "
              f"{name}_p2 ... {name}_p{len(pages)} the others", file=sys.stderr)
    for path in save_pages(pages, args.out, formats=_formats(args), dpi=args.dpi, tiff=args.tiff):
        print(path)
    return 0


def _xlim(text: str | None) -> tuple[float, float] | None:
    if not text:
        return None
    try:
        lo, hi = (float(v) for v in text.split(","))
    except ValueError:
        raise ValueError(f"Invalid --xlim {text!r}; expected two numbers 'lo,hi'.") from None
    return lo, hi


def _no_studies(args: argparse.Namespace) -> bool:
    """True (after saving a notice figure) when the pooled table has no rows (k = 0)."""
    import pandas as pd

    from figures.notice import notice_figure

    table = pd.read_csv(args.pooled, sep="\t")
    if len(table) and (table.get("row_type") == "study").any():
        return False
    message = (f"No study has analysable data for this analysis ({Path(args.pooled).name} is "
               "empty): see the exclusion reasons in results/harmonized/effects.tsv.")
    print(f"warning: {message}", file=sys.stderr)
    _save(notice_figure(args.title, message), args)
    return True


def cmd_forest(args: argparse.Namespace) -> int:
    from figures.forest import forest_pages
    from figures.tables import read_pooled

    if _no_studies(args):
        return 0
    pooled = read_pooled(args.pooled)
    rob = None
    if args.rob:
        from evidence.appraisal.assessments import read_assessments
        from figures.forest import rob_columns

        studies = pooled.loc[pooled["row_type"] == "study", "study_id"].dropna().astype(str).tolist()
        rob = rob_columns(read_assessments(args.rob), studies)
    xlim = _xlim(args.xlim)
    return _save_pages(lambda: forest_pages(pooled, title=args.title, xlabel=args.xlabel, digits=args.digits,
                                            xlim=xlim, prediction=args.prediction, weights=args.weights,
                                            source=str(args.pooled), rob=rob, max_rows=args.max_rows),
                       args, "forest plot")  # fmt: skip


def cmd_rob(args: argparse.Namespace) -> int:
    """Traffic-light and summary plots of a review's risk-of-bias assessments."""
    from evidence.appraisal.assessments import read_assessments
    from figures.io import save_figure
    from figures.notice import notice_figure
    from figures.rob import summary_plot, traffic_light_plot

    assessments = read_assessments(args.assessments)
    out = Path(args.out)
    if assessments.empty:
        message = f"No risk-of-bias assessments ({args.assessments} is missing or empty)."
        print(f"warning: {message}", file=sys.stderr)
        figures = {"traffic_light": notice_figure("Risk of bias", message), "summary": notice_figure("Risk of bias", message)}
    else:
        figures = {"traffic_light": traffic_light_plot(assessments, title="Risk of bias by study and domain"),
                   "summary": summary_plot(assessments, title="Risk of bias across studies")}
    for name, fig in figures.items():
        for path in save_figure(fig, out.with_name(f"{out.name}_{name}"), formats=_formats(args), dpi=args.dpi,
                                tiff=args.tiff):
            print(path)
    return 0


def cmd_funnel(args: argparse.Namespace) -> int:
    from figures.funnel import funnel_from_pooled
    from figures.tables import read_pooled

    if _no_studies(args):
        return 0
    pooled = read_pooled(args.pooled)
    egger = None
    if args.diagnostics:
        path = Path(args.diagnostics)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such file.")
        diag = json.loads(path.read_text(encoding="utf-8"))
        egger = diag.get("egger", diag if "intercept" in diag else None)
        if egger is not None and "intercept" not in egger and "est" in egger:
            egger = dict(egger, intercept=egger["est"])  # RegtestResult spelling
        if egger is not None and not {"intercept", "slope", "pval"} <= set(egger):
            raise ValueError(f"{path}: 'egger' needs keys 'intercept', 'slope', 'pval'; has {sorted(egger)}.")
    fig = funnel_from_pooled(pooled, egger=egger, title=args.title, source=str(args.pooled))
    return _save(fig, args)


def _sensitivity(args: argparse.Namespace, kind: str) -> int:
    from figures.forest import sensitivity_pages
    from figures.tables import read_pooled, read_table

    table = read_table(args.table)
    if table.empty:
        from figures.notice import notice_figure

        message = f"Fewer than two studies: no {kind} analysis ({Path(args.table).name} is empty)."
        print(f"warning: {message}", file=sys.stderr)
        return _save(notice_figure(args.title, message), args)
    overall = None
    if args.pooled:
        pooled = read_pooled(args.pooled)
        rows = pooled[pooled["row_type"] == "overall"]
        overall = rows.iloc[0] if len(rows) else None
        if args.measure is None:
            args.measure = str(pooled["measure"].iloc[0])
    return _save_pages(lambda: sensitivity_pages(table, kind, max_rows=args.max_rows, measure=args.measure,
                                                 overall=overall, title=args.title, xlabel=args.xlabel,
                                                 source=str(args.table)),
                       args, f"{kind} plot")  # fmt: skip


def cmd_prisma(args: argparse.Namespace) -> int:
    from figures.prisma import prisma_counts_from_studies, prisma_flow, write_counts
    from figures.tables import read_table

    studies = read_table(args.studies)
    ids = _manual_ids(args.manual_ids)
    counts = prisma_counts_from_studies(studies, ids, source=str(args.studies))
    out = Path(args.out)
    counts_path = Path(args.counts) if args.counts else out.with_name("prisma_counts.json")
    write_counts(counts, counts_path)
    print(counts_path)
    return _save(prisma_flow(counts), args)


def _manual_ids(value: str | None) -> list[str]:
    import pandas as pd

    if not value:
        return []
    path = Path(value)
    if path.exists():
        if path.suffix.lower() == ".csv":
            from evidence.curation.errors import CurationError
            from evidence.curation.tables import read_csv_rows

            header, rows, problems = read_csv_rows(path)
            if problems:
                raise CurationError(problems, f"{path} cannot be read")
            if "study_id" not in header:
                raise ValueError(f"{path}: missing column 'study_id'.")
            return sorted({r["study_id"] for _, r in rows if r["study_id"]})
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".tsv":
            df = pd.read_csv(path, sep="\t", dtype=str)
            if "study_id" not in df.columns:
                raise ValueError(f"{path}: missing column 'study_id'.")
            return sorted(set(df["study_id"].dropna()))
        return [t.strip() for t in text.replace(",", "\n").splitlines() if t.strip() and not t.startswith("#")]
    return [t.strip() for t in value.split(",") if t.strip()]


def cmd_sof(args: argparse.Namespace) -> int:
    import pandas as pd

    from figures.sof import summary_of_findings, write_sof
    from figures.tables import read_pooled

    tables = {}
    for p in args.pooled:
        if pd.read_csv(p, sep="\t").empty:
            print(f"warning: {p}: no pooled rows (k = 0); left out of the summary", file=sys.stderr)
            continue
        df = read_pooled(p)
        name = str(df["analysis"].dropna().iloc[0]) if df["analysis"].notna().any() else Path(p).stem
        tables[name] = df
    certainty = None
    if args.grade:
        from evidence.appraisal.grade import certainty_of

        certainty = certainty_of(pd.read_csv(args.grade, sep="\t", dtype=str, keep_default_na=False))
    sof = summary_of_findings(tables, certainty=certainty)
    for path in write_sof(sof, args.out):
        print(path)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m figures",
        description="Publication figures and tables from pooled results (forest, funnel, "
        "leave-one-out, cumulative, PRISMA 2020, summary of findings).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("forest", help="forest plot of a pooled table")
    p.add_argument("--pooled", required=True, help="results/pooled/<analysis>.tsv")
    p.add_argument("--title")
    p.add_argument("--xlabel")
    p.add_argument("--xlim", help="'lo,hi' in printed units (percent for proportions)")
    p.add_argument("--digits", type=int)
    p.add_argument("--prediction", default="overall", choices=["overall", "all", "none"])
    p.add_argument("--weights", default="auto", choices=["auto", "overall", "subgroup"])
    p.add_argument("--rob", help="risk_of_bias.csv: adds risk-of-bias columns (as R meta's rob=)")
    _add_max_rows(p)
    _add_output(p)
    p.set_defaults(func=cmd_forest)

    p = sub.add_parser("rob", help="risk-of-bias traffic-light and summary plots")
    p.add_argument("--assessments", required=True, help="the review's risk_of_bias.csv")
    _add_output(p)
    p.set_defaults(func=cmd_rob)

    p = sub.add_parser("funnel", help="contour-enhanced funnel plot of a pooled table")
    p.add_argument("--pooled", required=True)
    p.add_argument("--diagnostics", help="JSON with an 'egger' object {intercept, slope, pval}")
    p.add_argument("--title")
    _add_output(p)
    p.set_defaults(func=cmd_funnel)

    for name, helptext in (("loo", "leave-one-out forest plot"), ("cumulative", "cumulative forest plot")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--table", required=True, help="TSV with slab, estimate, ci_lb, ci_ub [+ _bt]")
        p.add_argument("--pooled", help="pooled table: adds the all-studies diamond and measure")
        p.add_argument("--measure", help="escalc measure code, if the table has no 'measure'")
        p.add_argument("--title")
        p.add_argument("--xlabel")
        _add_max_rows(p)
        _add_output(p)
        p.set_defaults(func=lambda a, kind=name: _sensitivity(a, kind))

    p = sub.add_parser("prisma", help="PRISMA 2020 flow diagram from studies.tsv")
    p.add_argument("--studies", required=True, help="results/tables/studies.tsv")
    p.add_argument("--manual-ids", default="", help="file (one id per line, or a table with "
                   "study_id) or comma list of manually entered study ids")  # fmt: skip
    p.add_argument("--counts", help="where to write the counts JSON (default: next to --out)")
    _add_output(p)
    p.set_defaults(func=cmd_prisma)

    p = sub.add_parser("sof", help="summary-of-findings table (.csv .md .tex .xlsx)")
    p.add_argument("--pooled", required=True, nargs="+")
    p.add_argument("--grade", help="GRADE table (TSV from `python -m evidence grade`): adds certainty")
    p.add_argument("--out", required=True, help="output path prefix")
    p.set_defaults(func=cmd_sof)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
