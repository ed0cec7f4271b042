"""GRADE certainty of the evidence, per analysis and treatment class.

For each pooled estimate (every subgroup row and the overall row of a pooled table) the five
GRADE domains get a judgement (``not serious``, ``serious``, ``very serious``) and the numbers
that inform it:

* risk of bias: the share of the estimate's weight from studies at high overall risk of bias;
* inconsistency: I² and the prediction interval;
* indirectness: the reviewer's judgement only (no number informs it);
* imprecision: the CI width in printed units (percent for proportions) against the analysis's
  ``imprecision_width``, and k;
* publication bias: Egger's test when k >= 10 (otherwise not assessable).

A judgement written by the reviewer (``grade.csv``: ``analysis, group, domain, judgement,
reason``; ``group`` empty = every group of the analysis) always wins. Without one, the rule's
suggestion is used and marked ``suggested``, so a report never shows a certainty nobody has
looked at as if it were reviewed. The starting certainty is ``high`` when every study of the
estimate is randomised (its ``design`` says so) and ``low`` otherwise; each ``serious`` domain
downgrades by one level and each ``very serious`` by two (Guyatt et al., J Clin Epidemiol 2011;
64:383-394). Upgrading observational evidence is left to the reviewer (a ``certainty`` row with
the level and reason).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from evidence.curation.errors import CurationError, Problem
from evidence.curation.tables import read_csv_rows

PERCENT_MEASURES = ("PR", "PLO", "PAS", "PFT")
"""Measures printed in percent (as the figures print them): ``evidence.pooling.PROPORTIONS``,
written out so that grading does not import the engine (scipy.stats; a test checks they agree)."""

DOMAINS: tuple[str, ...] = ("risk_of_bias", "inconsistency", "indirectness", "imprecision", "publication_bias")
JUDGEMENTS: dict[str, int] = {"not serious": 0, "serious": 1, "very serious": 2}
CERTAINTY: tuple[str, ...] = ("very low", "low", "moderate", "high")
JUDGEMENT_COLUMNS: tuple[str, ...] = ("analysis", "group", "domain", "judgement", "reason")
GRADE_COLUMNS: tuple[str, ...] = ("analysis", "group", "domain", "judgement", "source", "downgrade", "informed_by", "reason")

MIN_K_PUBLICATION_BIAS = 10
I2_SERIOUS, I2_VERY_SERIOUS = 50.0, 75.0
HIGH_RISK_SHARE = 0.5


def read_judgements(path: str | Path | None, analyses: set[str] | None = None) -> pd.DataFrame:
    """The reviewer's GRADE judgements; a missing file is an empty table."""
    if path is None or not Path(path).exists():
        return pd.DataFrame(columns=list(JUDGEMENT_COLUMNS))
    name = str(path)
    header, records, problems = read_csv_rows(path)
    missing = [c for c in JUDGEMENT_COLUMNS if c not in header]
    if missing and not problems:
        problems.append(Problem(name, 1, None, None, f"columns {list(JUDGEMENT_COLUMNS)}; missing {missing}"))
    if problems:
        raise CurationError(problems, "GRADE judgements are invalid")
    rows = []
    for i, row in records:
        r = {c: " ".join(str(row.get(c) or "").split()) for c in JUDGEMENT_COLUMNS}
        r["judgement"] = r["judgement"].lower()
        if analyses is not None and r["analysis"] not in analyses:
            problems.append(Problem(name, i, "analysis", r["analysis"], f"one of the review's analyses {sorted(analyses)}"))
        if r["domain"] == "certainty":
            if r["judgement"] not in CERTAINTY:
                problems.append(Problem(name, i, "judgement", r["judgement"], f"one of {list(CERTAINTY)} (a certainty set by hand)"))
        elif r["domain"] not in DOMAINS:
            problems.append(Problem(name, i, "domain", r["domain"], f"one of {list(DOMAINS)} or 'certainty'"))
        elif r["judgement"] not in JUDGEMENTS:
            problems.append(Problem(name, i, "judgement", r["judgement"], f"one of {list(JUDGEMENTS)}"))
        if not r["reason"]:
            problems.append(Problem(name, i, "reason", "", "the reason for the judgement"))
        rows.append(r)
    if problems:
        raise CurationError(problems, "GRADE judgements are invalid")
    return pd.DataFrame(rows, columns=list(JUDGEMENT_COLUMNS))


def _f(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _fmt(x: float, digits: int = 1) -> str:
    return "NA" if not math.isfinite(x) else f"{x:.{digits}f}"


def _suggest(domain: str, s: pd.Series, studies: pd.DataFrame, high_risk: set[str] | None,
             sensitivity: Mapping[str, Any] | None, width_threshold: float | None, factor: float,
             is_overall: bool) -> tuple[str, str, str]:
    """(judgement, informed_by, rule) suggested for one domain of one estimate."""
    k = int(_f(s["k"])) if math.isfinite(_f(s["k"])) else len(studies)
    if domain == "risk_of_bias":
        if high_risk is None:
            return "not serious", "no risk-of-bias assessments", "not assessed: no assessment file"
        w = studies["weight_overall" if is_overall else "weight"].astype(float).fillna(0.0)
        total = w.sum()
        share = float(w[studies["study_id"].isin(high_risk)].sum() / total) if total > 0 else math.nan
        n_high = int(studies["study_id"].isin(high_risk).sum())
        text = f"{n_high} of {len(studies)} studies at high risk; {_fmt(100 * share)}% of the weight"
        return ("serious" if share > HIGH_RISK_SHARE else "not serious"), text, f"serious when > {HIGH_RISK_SHARE:.0%} of the weight is at high risk"
    if domain == "inconsistency":
        i2 = _f(s["i2"])
        pi = f"prediction interval [{_fmt(_f(s['pi_lb_bt']) * factor)}, {_fmt(_f(s['pi_ub_bt']) * factor)}]"
        text = f"I\u00b2 = {_fmt(i2)}%; {pi}" if k > 1 else "k = 1: not assessable"
        if k < 2 or not math.isfinite(i2):
            return "not serious", text, "not assessable with one study"
        judgement = "very serious" if i2 >= I2_VERY_SERIOUS else "serious" if i2 >= I2_SERIOUS else "not serious"
        return judgement, text, f"serious at I\u00b2 >= {I2_SERIOUS:g}%, very serious at >= {I2_VERY_SERIOUS:g}%"
    if domain == "indirectness":
        return "not serious", "no number informs it", "reviewer's judgement only"
    if domain == "imprecision":
        width = (_f(s["ci_ub_bt"]) - _f(s["ci_lb_bt"])) * factor
        text = f"CI width {_fmt(width)} (k = {k})"
        if width_threshold is None:
            return "not serious", text + "; no imprecision_width configured", "not assessed: no threshold"
        text += f" against a threshold of {width_threshold:g}"
        if not math.isfinite(width) or width > 2 * width_threshold:
            return "very serious", text, "serious above the threshold, very serious above twice it"
        return ("serious" if width > width_threshold or k < 2 else "not serious"), text, "serious above the threshold or with one study"
    # publication bias
    egger = (sensitivity or {}).get("egger") if is_overall else None
    if k < MIN_K_PUBLICATION_BIAS or not egger:
        return "not serious", f"k = {k} < {MIN_K_PUBLICATION_BIAS}: small-study tests not run", "not assessable with k < 10"
    p = _f(egger.get("pval"))
    return ("serious" if p < 0.10 else "not serious"), f"Egger's test p = {_fmt(p, 3)}", "serious when Egger's p < 0.10"


def grade(pooled: Mapping[str, pd.DataFrame], *, designs: Mapping[str, str],
          assessments_high_risk: set[str] | None, judgements: pd.DataFrame,
          sensitivity: Mapping[str, Mapping[str, Any]] | None = None,
          imprecision_width: Mapping[str, float] | None = None) -> pd.DataFrame:
    """The GRADE table: five domain rows and one ``certainty`` row per analysis and group.

    ``pooled``: analysis -> pooled table; ``designs``: study_id -> design as written;
    ``assessments_high_risk``: studies at high overall risk of bias (None = not assessed);
    ``judgements``: :func:`read_judgements`; ``sensitivity``: analysis -> sensitivity summary;
    ``imprecision_width``: analysis -> the widest CI (printed units) not judged imprecise.
    """
    rows: list[dict[str, Any]] = []
    for analysis, table in pooled.items():
        if table.empty or not (table["row_type"] == "study").any():
            continue
        factor = 100.0 if str(table["measure"].iloc[0]).upper() in PERCENT_MEASURES else 1.0
        studies_all = table[table["row_type"] == "study"]
        for _, s in table[table["row_type"].isin(["subgroup", "overall"])].iterrows():
            is_overall = s["row_type"] == "overall"
            group = "overall" if is_overall else str(s["group"])
            studies = studies_all if is_overall else studies_all[studies_all["group"].astype(str) == group]
            mine = judgements[(judgements["analysis"] == analysis)
                              & judgements["group"].isin(["", group])] if len(judgements) else judgements
            down = 0
            for domain in DOMAINS:
                suggested, informed, rule = _suggest(domain, s, studies, assessments_high_risk,
                                                     (sensitivity or {}).get(analysis),
                                                     (imprecision_width or {}).get(analysis), factor, is_overall)
                given = mine[mine["domain"] == domain] if len(mine) else mine
                if len(given):
                    # a group-specific judgement wins over the analysis-wide one
                    pick = given.sort_values("group", key=lambda g: g.eq(""))
                    judgement, source, reason = pick["judgement"].iloc[0], "reviewer", pick["reason"].iloc[0]
                else:
                    judgement, source, reason = suggested, "suggested", rule
                down += JUDGEMENTS[judgement]
                rows.append({"analysis": analysis, "group": group, "domain": domain, "judgement": judgement,
                             "source": source, "downgrade": JUDGEMENTS[judgement], "informed_by": informed,
                             "reason": reason})
            randomised = bool(len(studies)) and all("random" in str(designs.get(sid, "")).lower()
                                                    for sid in studies["study_id"])
            start = 3 if randomised else 1
            certainty = CERTAINTY[max(0, start - down)]
            reason = (f"starts {'high (randomised)' if randomised else 'low (observational)'}, "
                      f"downgraded {down} level(s)")
            given = mine[mine["domain"] == "certainty"] if len(mine) else mine
            source = "rule"
            if len(given):
                pick = given.sort_values("group", key=lambda g: g.eq(""))
                certainty, reason, source = pick["judgement"].iloc[0], pick["reason"].iloc[0], "reviewer"
            elif any(r["source"] == "suggested" for r in rows[-len(DOMAINS):]):
                source = "rule (some domains suggested, not reviewed)"
            rows.append({"analysis": analysis, "group": group, "domain": "certainty", "judgement": certainty,
                         "source": source, "downgrade": down, "informed_by": "", "reason": reason})
    return pd.DataFrame(rows, columns=list(GRADE_COLUMNS))


def certainty_of(grade_table: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(analysis, group) -> certainty, for the summary-of-findings tables."""
    rows = grade_table[grade_table["domain"] == "certainty"]
    return {(a, g): c for a, g, c in zip(rows["analysis"], rows["group"], rows["judgement"])}
