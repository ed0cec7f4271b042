"""Risk-of-bias assessments of a review: ``risk_of_bias.csv``, one row per study and domain.

Columns: ``study_id, tool, domain, judgement, support, assessor, date``. ``domain`` is one of the
tool's domain codes (``D1``... for RoB 2 / ROBINS-I, ``M1``... for MINORS, ``Q1``... for the JBI
case-series checklist, ``S, C, O`` for NOS) or ``overall``; ``judgement`` is a word of the tool's
scale (:mod:`evidence.appraisal.tools`); ``support`` is the reviewer's reason, quoted or
paraphrased from the paper. Every assessed study needs an ``overall`` row.

Invalid files raise :class:`evidence.curation.errors.CurationError` listing every problem with
file, line and column; writes go through the same locked, atomic path as corrections.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date as _date
from pathlib import Path

import pandas as pd

from evidence.appraisal.tools import TOOLS, tool
from evidence.curation import csvio
from evidence.curation.atomic import atomic_write_bytes, locked
from evidence.curation.errors import CurationError, Problem
from evidence.curation.tables import read_csv_rows

COLUMNS: tuple[str, ...] = ("study_id", "tool", "domain", "judgement", "support", "assessor", "date")


def _norm(text: object) -> str:
    return " ".join(str(text or "").split())


def check_rows(rows: list[dict[str, str]], name: str, studies: Iterable[str] | None = None) -> list[Problem]:
    """Problems of parsed rows (line numbers count the header as line 1)."""
    known = set(studies) if studies is not None else None
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    tools_of: dict[str, tuple[str, int]] = {}
    overall: set[str] = set()
    for n, row in enumerate(rows, start=2):
        i = int(row.get("_line") or n)
        sid, code, domain = _norm(row.get("study_id")), _norm(row.get("tool")).lower(), _norm(row.get("domain"))
        judgement = _norm(row.get("judgement")).lower()
        if not sid:
            problems.append(Problem(name, i, "study_id", row.get("study_id"), "a study id"))
            continue
        if known is not None and sid not in known:
            problems.append(Problem(name, i, "study_id", sid, f"a study of this review ({len(known)} known, e.g. {sorted(known)[:3]})"))
        if code not in TOOLS:
            problems.append(Problem(name, i, "tool", row.get("tool"), f"one of {sorted(TOOLS)}"))
            continue
        t = tool(code)
        previous = tools_of.setdefault(sid, (code, i))
        if previous[0] != code:
            problems.append(Problem(name, i, "tool", code, f"{previous[0]!r} as on line {previous[1]} (one tool per study)"))
        lower = {d.lower(): d for d in t.domain_codes}
        if domain.lower() not in lower:
            problems.append(Problem(name, i, "domain", domain, f"a {t.name} domain: {', '.join(t.domain_codes)}"))
            continue
        domain = lower[domain.lower()]
        if judgement not in t.scale(domain):
            problems.append(Problem(name, i, "judgement", row.get("judgement"), f"one of {list(t.scale(domain))} ({t.name}, {domain})"))
        if not _norm(row.get("support")):
            problems.append(Problem(name, i, "support", row.get("support"), "the reason for the judgement"))
        key = (sid, domain)
        if key in seen:
            problems.append(Problem(name, i, "domain", domain, f"one row per study and domain (also on line {seen[key]})"))
        seen[key] = i
        if domain == "overall":
            overall.add(sid)
    for sid, (code, line) in tools_of.items():
        if sid not in overall:
            problems.append(Problem(name, line, "domain", None, f"an 'overall' row for study {sid!r}"))
    return problems


def _read(path: Path) -> list[dict[str, str]]:
    """The rows of ``path`` (encoding and delimiter detected), each with its ``_line``."""
    header, rows, problems = read_csv_rows(path)
    missing = [c for c in ("study_id", "tool", "domain", "judgement", "support") if c not in header]
    if missing and not problems:
        problems.append(Problem(str(path), 1, None, None, f"columns {list(COLUMNS)}; missing {missing}"))
    if problems:
        raise CurationError(problems, "risk-of-bias assessments are invalid")
    return [{**row, "_line": str(line)} for line, row in rows]


def read_assessments(path: str | Path, studies: Iterable[str] | None = None) -> pd.DataFrame:
    """The validated assessments (domains canonical, judgements lower case) with their ``level``.

    ``studies``: the review's study ids; an assessment of any other study is an error.
    A missing file is an empty table (a review may not have assessed risk of bias yet).
    """
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=[*COLUMNS, "level", "line"])
    rows = _read(path)
    problems = check_rows(rows, str(path), studies)
    if problems:
        raise CurationError(problems, "risk-of-bias assessments are invalid")
    out = []
    for row in rows:
        i = int(row["_line"])
        t = tool(_norm(row["tool"]))
        domain = {d.lower(): d for d in t.domain_codes}[_norm(row["domain"]).lower()]
        judgement = _norm(row["judgement"]).lower()
        out.append({"study_id": _norm(row["study_id"]), "tool": t.code, "domain": domain,
                    "judgement": judgement, "support": _norm(row["support"]),
                    "assessor": _norm(row.get("assessor")), "date": _norm(row.get("date")),
                    "level": t.level(domain, judgement), "line": i})
    return pd.DataFrame(out, columns=[*COLUMNS, "level", "line"])


def overall_levels(assessments: pd.DataFrame) -> dict[str, str]:
    """study_id -> level of its overall judgement."""
    rows = assessments[assessments["domain"] == "overall"]
    return dict(zip(rows["study_id"], rows["level"]))


def high_risk_studies(assessments: pd.DataFrame) -> set[str]:
    """Studies whose overall risk of bias is high (serious or critical for ROBINS-I)."""
    return {sid for sid, level in overall_levels(assessments).items() if level == "high"}


def set_assessment(path: str | Path, study_id: str, tool_code: str, domain: str, judgement: str,
                   support: str, assessor: str, when: str | None = None,
                   studies: Iterable[str] | None = None) -> dict[str, str]:
    """Write one judgement (replacing the same study and domain), validated, under the file's lock.

    The whole file is checked with the new row before anything is written: an invalid judgement
    writes nothing. Returns the row written.
    """
    path = Path(path)
    row = {"study_id": _norm(study_id), "tool": _norm(tool_code).lower(), "domain": _norm(domain),
           "judgement": _norm(judgement).lower(), "support": _norm(support), "assessor": _norm(assessor),
           "date": when or _date.today().isoformat()}
    with locked(path):
        rows = _read(path) if path.exists() else []
        dialect = csvio.dialect_of(path)
        key = (row["study_id"], row["domain"].lower())
        rows = [r for r in rows if (_norm(r.get("study_id")), _norm(r.get("domain")).lower()) != key]
        rows.append(row)
        # a first judgement of a new study may precede its overall row: check all but that rule
        problems = [p for p in check_rows(rows, str(path), studies)
                    if not (p.column == "domain" and p.value is None and row["study_id"] in p.expected)]
        if problems:
            raise CurationError(problems, "risk-of-bias judgement not written")
        text = csvio.format_rows(COLUMNS, [{c: r.get(c, "") for c in COLUMNS} for r in rows], dialect)
        atomic_write_bytes(path, csvio.encode(text, dialect))
    return row
