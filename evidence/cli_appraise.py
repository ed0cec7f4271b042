"""``python -m evidence rob ...`` (risk-of-bias assessments) and ``python -m evidence grade``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: `--help` starts without pandas
    import pandas as pd


def _study_ids(path: Path | None) -> list[str] | None:
    """The review's study ids from a curated ``studies.tsv`` (None: not checked)."""
    import pandas as pd

    if path is None:
        return None
    table = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
    if "study_id" not in table.columns:
        raise ValueError(f"{path}: missing column 'study_id'")
    return sorted(set(table["study_id"]) - {""})


def _assessment_file(args: argparse.Namespace) -> tuple[Path, Path | None]:
    """(risk_of_bias.csv, studies.tsv or None) from --assessments/--studies or the review folder."""
    if args.assessments:
        return Path(args.assessments), args.studies
    from evidence.review import load_review

    review = load_review(args.review)
    studies = args.studies or review.output / "tables" / "studies.tsv"
    return review.risk_of_bias, (studies if Path(studies).exists() else None)


def _validate(args: argparse.Namespace) -> int:
    from evidence.appraisal.assessments import high_risk_studies, read_assessments

    path, studies = _assessment_file(args)
    table = read_assessments(path, _study_ids(studies))
    high = sorted(high_risk_studies(table))
    print(f"{path}: {table['study_id'].nunique()} studies, {len(table)} judgements; "
          f"{len(high)} at high overall risk{': ' + ', '.join(high) if high else ''}")
    if studies is None:
        print("note: study ids not checked against the review (no curated studies table yet)", file=sys.stderr)
    return 0


def _set(args: argparse.Namespace) -> int:
    from evidence.appraisal.assessments import set_assessment

    path, studies = _assessment_file(args)
    row = set_assessment(path, args.study_id, args.tool, args.domain, args.judgement, args.support,
                         args.assessor, studies=_study_ids(studies))
    print(f"{path}: {row['study_id']} {row['domain']} = {row['judgement']} ({row['tool']})")
    return 0


def _grade(args: argparse.Namespace) -> int:
    import pandas as pd

    from evidence.appraisal.assessments import high_risk_studies, read_assessments
    from evidence.appraisal.grade import grade, read_judgements

    pooled: dict[str, pd.DataFrame] = {}
    for p in args.pooled:
        table = pd.read_csv(p, sep="\t")
        name = str(table["analysis"].dropna().iloc[0]) if len(table) and table["analysis"].notna().any() else Path(p).stem
        pooled[name] = table
    sensitivity = {}
    for p in args.sensitivity or []:
        summary = json.loads(Path(p).read_text(encoding="utf-8"))
        sensitivity[summary.get("analysis") or Path(p).stem] = summary
    studies = pd.read_csv(args.studies, sep="\t", dtype=str, keep_default_na=False)
    designs = dict(zip(studies["study_id"], studies.get("design", pd.Series([""] * len(studies)))))
    high = None
    if args.rob and Path(args.rob).exists():
        high = high_risk_studies(read_assessments(args.rob, sorted(designs)))
    widths: dict[str, float] = {}
    for item in args.imprecision_width or []:
        name, _, value = item.partition("=")
        try:
            widths[name] = float(value)
        except ValueError:
            raise ValueError(f"--imprecision-width {item!r}: expected ANALYSIS=NUMBER") from None
    judgements = read_judgements(args.judgements, set(pooled))
    table = grade(pooled, designs=designs, assessments_high_risk=high, judgements=judgements,
                  sensitivity=sensitivity, imprecision_width=widths)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out, sep="\t", index=False, lineterminator="\n")
    certain = table[table["domain"] == "certainty"]
    print(f"{args.out}: {len(certain)} estimates graded")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    rob = subparsers.add_parser("rob", help="risk-of-bias assessments (RoB 2, ROBINS-I, MINORS, JBI, NOS)")
    sub = rob.add_subparsers(dest="rob_command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--review", help="review folder (default: the bundled example)")
        p.add_argument("--assessments", help="risk_of_bias.csv (default: the review's)")
        p.add_argument("--studies", type=Path, help="curated studies.tsv: the review's study ids")

    p = sub.add_parser("validate", help="check the assessment file (errors name file, line and column)")
    common(p)
    p.set_defaults(func=_validate)
    p = sub.add_parser("set", help="write one judgement (validated, atomic)")
    p.add_argument("study_id")
    p.add_argument("domain", help="a domain code of the tool (D1, Q3, M5, ...) or 'overall'")
    p.add_argument("judgement", help="a word of the tool's scale (low, some concerns, serious, yes, 2, ...)")
    p.add_argument("--tool", required=True, help="rob2, robins-i, minors, jbi-case-series or nos")
    p.add_argument("--support", required=True, help="the reason, quoted or paraphrased from the paper")
    p.add_argument("--assessor", required=True)
    common(p)
    p.set_defaults(func=_set)

    g = subparsers.add_parser("grade", help="GRADE certainty per analysis and treatment class")
    g.add_argument("--pooled", nargs="+", required=True, type=Path)
    g.add_argument("--sensitivity", nargs="*", type=Path, help="sensitivity JSON files (small-study tests)")
    g.add_argument("--studies", required=True, type=Path, help="curated studies.tsv (designs)")
    g.add_argument("--rob", type=Path, help="risk_of_bias.csv")
    g.add_argument("--judgements", type=Path, help="grade.csv with the reviewer's judgements")
    g.add_argument("--imprecision-width", nargs="*", metavar="ANALYSIS=WIDTH",
                   help="widest CI (printed units) not judged imprecise, per analysis")
    g.add_argument("--out", required=True, type=Path)
    g.set_defaults(func=_grade)
