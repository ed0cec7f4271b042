"""Outcome values from ruled tables (pdfplumber cells): one row per characteristic, one column
per arm. The header row names the arms ("PSP + RFA (Group A; n = 51)"); a row label names the
outcome ("Cement leakage (No.) (%)", "Major complications, n (%)", "VAS at 1 month"); a cell holds
"10 (17.24)", "10/58", "7.43 (SD, 1.56)" or "2 ± 1 (1–4)".

When a count cell gives a percentage but no denominator, the denominator is the arm's number of
patients or lesions that reproduces the printed percentage (so the unit is known too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vocab import timepoint_key

from .layout import Layout, PageTable
from .lexicon import Lexicon, default_lexicon
from .patterns import NUM, parse_stat
from .rules import COMP_RE, RESP_RE, Arm, complication_outcome, timepoint_of

_CELL_COUNT = re.compile(r"^\s*(?P<e>\d+)\s*(?:/\s*(?P<t>\d+))?\s*(?:\(\s*(?P<p>" + NUM + r")\s*%?\s*\))?\s*$")


_CELL_EVENTS_PATIENTS = re.compile(r"^\s*(?P<a>\d+)\s*\(\s*(?P<b>\d+)\s*[,;]\s*(?P<p>" + NUM + r")\s*%\s*\)\s*$")
_TOTAL_ROW = re.compile(r"(?i)^\s*(?:total|overall|any|all(?: events)?|patients with any\b.*)\s*[a-z*†‡]?\s*(?:,?\s*n\s*\(%\))?\s*$")


@dataclass
class TableValue:
    arm_id: str
    outcome: str
    field: str
    value: float
    page: int
    box: tuple[float, float, float, float]
    extractor: str
    confidence: float
    timepoint: str
    timepoint_label: str
    timepoint_days: float | None
    scale: str
    unit: str


def _header_depth(table: PageTable) -> int:
    """Number of header rows: a ruled table may print its arms on a second row under a spanning
    cell ("No. of events (no. of patients, % patients)" over "Investigational arm (n = 212)")."""
    depth = 1
    for row in table.rows[1:3]:
        cells = [c for c in row[1:] if c is not None and (c[0] or "").strip()]
        if not cells or any(re.match(r"^\s*[<>≤≥]?\s*[−-]?\d", c[0] or "") for c in cells):
            break
        if (row[0] is not None and (row[0][0] or "").strip()):
            break  # a labelled row: data, not header
        depth += 1
    return depth


def merged_header(table: PageTable) -> list[tuple[str, tuple] | None]:
    """One header cell per column: the texts of the header rows joined top to bottom."""
    depth = _header_depth(table)
    width = max(len(r) for r in table.rows[:depth])
    out: list[tuple[str, tuple] | None] = []
    for ci in range(width):
        parts = [r[ci] for r in table.rows[:depth] if ci < len(r) and r[ci] is not None and (r[ci][0] or "").strip()]
        if not parts:
            out.append(None)
            continue
        texts = [" ".join((p[0] or "").split()) for p in parts]
        # pdfplumber can return a two-line header cell twice: "PMMA-augmented" on the first
        # header row, "PMMA-augmented n = 33" on the second; keep the fuller one
        texts = [t for i, t in enumerate(texts) if not any(u.startswith(t) for u in texts[i + 1 :])]
        text = " ".join(texts)
        box = parts[-1][1]  # the lowest part names the arm when a spanning cell sits above it
        out.append((text, box))
    return out


_N_ROW = re.compile(r"(?i)^\s*(?:(?:total\s+)?(?:number|no\.?)\s+of\s+(?:patients|participants|subjects)|(?:patients|participants|subjects),?\s+n|n)\s*$")


def header_cells(table: PageTable) -> list[tuple[str, tuple]]:
    """The header rows' cells as (text, location). When a row just under the header gives the
    group sizes ("Number of patients | 7 | 11 | 11"), each header cell reads "label (n = N)"."""
    if not table.rows:
        return []
    cells = []
    depth = _header_depth(table)
    for row in table.rows[:depth]:
        cells.extend(((c[0] or "").replace("\n", " "), ("box", table.page, c[1])) for c in row if c is not None)
    header = merged_header(table)
    for row in table.rows[depth : depth + 3]:
        if not row or row[0] is None or not _N_ROW.match(row[0][0] or ""):
            continue
        for ci, cell in enumerate(row[1:], start=1):
            n = (cell[0] or "").strip() if cell is not None else ""
            if ci < len(header) and header[ci] is not None and re.fullmatch(r"\d+", n) and "=" not in header[ci][0]:
                cells.append((f"{header[ci][0]} (n = {n})", ("box", table.page, cell[1])))
        break
    return cells


def _classify(label: str, lex: Lexicon) -> str | None:
    """The outcome a row label names: the review's own outcome words (longest synonym wins;
    scored outcomes by their instrument words), then complications by the grading rules, then
    pain response."""
    lab = label.replace("\n", " ")
    named = lex.outcome_of_label(lab, own_only=True, rules_first=True)
    if named is not None:
        return named
    m = COMP_RE.search(lab)
    if m:
        oc = complication_outcome(m, lab)
        if oc is not None and oc in lex.vocabulary.outcome_codes:
            return oc
    if RESP_RE.search(lab) and "responder" in lex.vocabulary.outcome_codes:
        return "responder"
    return None


_SCALE_RANGE = re.compile(r"\(\s*0\s*(?:-|–|—|to)\s*\d+(?:\.\d+)?\s*(?:mm|cm|points?)?\s*\)")


def row_timepoint(label: str) -> tuple[str, str, float | None] | None:
    """The time point a row label names: a phrase ("at 3 months", "before the procedure") or
    the whole label read as a time point ("1 month", "VAS (0-100 mm), 6 weeks"); a printed scale
    range "(0-100 mm)" is not a duration."""
    tp = timepoint_of(label)
    if tp is not None:
        return tp
    text = _SCALE_RANGE.sub(" ", label)
    for part in reversed(re.split(r"[,;:]", text)):
        part = part.strip()
        if not part or not re.search(r"\d|\b(?:one|two|three|four|six|twelve)\b", part, re.I):
            continue
        try:
            key, days = timepoint_key(part)
        except ValueError:
            continue
        if key not in ("unknown", "post"):
            return key, " ".join(part.split()), days
    return None


def _column_arms(header: list, arms: list[Arm]) -> dict[int, Arm]:
    """Column -> arm by the header text: the arm whose name matches the most of the header
    (an exact label first, then the longest match), so "Cement" never takes "Cement + ablation"
    whatever the order of the arms; one arm per column, one column per arm."""
    scored: list[tuple[int, int, int, Arm]] = []
    for ci, cell in enumerate(header):
        if cell is None or not cell[0]:
            continue
        text = " ".join(cell[0].split())
        head = re.split(r"\s*\(|\s+[nN]\s*=", text)[0].strip().lower()
        for ai, arm in enumerate(arms):
            if arm.subgroup:
                continue
            best = max((m.end() - m.start() for m in arm.alias_re().finditer(text)), default=0)
            if best:
                exact = int(head == arm.label.lower())
                scored.append((exact, best, -ai, ci, arm))  # type: ignore[arg-type]
    col_arm: dict[int, Arm] = {}
    used: set[str] = set()
    for exact, best, _, ci, arm in sorted(scored, key=lambda t: (-t[0], -t[1], t[2], t[3])):
        if ci in col_arm or arm.arm_id in used:
            continue
        col_arm[ci] = arm
        used.add(arm.arm_id)
    return dict(sorted(col_arm.items()))


def table_values(layout: Layout, arms: list[Arm], lexicon: Lexicon | None = None) -> list[TableValue]:
    lex = lexicon or default_lexicon()
    out: list[TableValue] = []
    for t in layout.tables:
        if len(t.rows) < 2:
            continue
        depth = _header_depth(t)
        header = merged_header(t)
        col_arm = _column_arms(header, arms)
        if not col_arm and len(arms) == 1:
            # single-arm table: the first column holding numbers
            for ci in range(1, max(len(r) for r in t.rows)):
                if any(r[ci] is not None and re.search(r"\d", r[ci][0] or "") for r in t.rows[1:] if ci < len(r)):
                    col_arm[ci] = arms[0]
                    break
        if not col_arm:
            continue
        # the column's own n ("Investigational (n = 212)"): the denominator of that column's counts
        col_n: dict[int, float] = {}
        for ci in col_arm:
            cell = header[ci] if ci < len(header) else None
            mm = re.search(r"\b[nN]\s*=\s*(\d+)", (cell[0] or "") if cell else "")
            if mm:
                col_n[ci] = float(mm.group(1))
        caption_oc = _classify(t.caption, lex) if t.caption else None
        scored = {o.code for o in lex.scored_outcomes}
        section: tuple[str, str] | None = None  # (outcome, label) of a section row without values
        for row in t.rows[depth:]:
            if not row or row[0] is None:
                continue
            label = " ".join((row[0][0] or "").split())
            empty = all(c is None or not (c[0] or "").strip() for c in row[1:])
            oc = _classify(label, lex)
            tp = row_timepoint(label)
            if empty:
                # "VAS (0-100 mm)" over rows "Baseline", "1 month": a section row names the outcome
                section = (oc, label) if oc is not None and tp is None else None
                continue
            if oc is None and section is not None and tp is not None:
                oc, label = section[0], section[1] + ", " + label
            elif oc is not None or not tp:
                section = None if oc is not None else section
            if oc is None and caption_oc is not None and _TOTAL_ROW.match(label):
                oc = caption_oc  # "Total" row of a table whose caption names the outcome
            if oc is None:
                continue
            if tp is None:
                tp = ("procedural", "peri-procedural (not stated)", None) if oc not in scored else ("post", "after treatment (time not stated)", None)
            for ci, arm in col_arm.items():
                if ci >= len(row) or row[ci] is None:
                    continue
                ctext, cbox = row[ci]
                ctext = " ".join((ctext or "").split())
                if not ctext:
                    continue
                base = dict(page=t.page, box=cbox, timepoint=tp[0], timepoint_label=tp[1], timepoint_days=tp[2])
                if oc in scored:
                    st = parse_stat(ctext, 0, median_context="median" in label.lower(), iqr_context="iqr" in label.lower())
                    if st is None or st.kind == "value":
                        continue
                    scale = lex.scale(label + " " + (t.caption or ""), [v for k, v in st.fields.items() if k != "sd"], oc)
                    for fld, v in st.fields.items():
                        if fld in ("mean", "sd", "median", "q1", "q3", "min", "max"):
                            out.append(TableValue(arm.arm_id, oc, fld, v, extractor="table.cell_stat", confidence=0.85, scale=scale, unit="patients", **base))
                    continue
                m = _CELL_COUNT.match(ctext)
                m2 = None if m else _CELL_EVENTS_PATIENTS.match(ctext)
                if m2 is not None:
                    # "31 (29, 13.7%)": events (patients, % patients); the count whose share of
                    # the column n reproduces the percentage is the number of patients
                    n_col = col_n.get(ci) or arm.n_patients
                    pct = float(m2.group("p"))
                    pick = [float(g) for g in (m2.group("b"), m2.group("a")) if n_col and abs(100.0 * float(g) / n_col - pct) <= 0.6]
                    if not pick:
                        continue
                    ev, tot = pick[0], n_col
                elif not m:
                    continue
                else:
                    ev = float(m.group("e"))
                    tot = float(m.group("t")) if m.group("t") else None
                    pct = float(m.group("p")) if m.group("p") else None
                if ev == 0 and tot is None and pct is None:
                    continue  # a bare "0": zero counts are taken only where the text states them
                unit = "lesions" if re.search(r"(?i)lesion|metasta|level|vertebra|tumou?r", label) else "patients"
                if tot is None and pct is not None and ev > 0:
                    for n, u in ((col_n.get(ci), "patients"), (arm.n_lesions, "lesions"), (arm.n_patients, "patients")):
                        if n and abs(100.0 * ev / n - pct) <= 0.6:
                            tot, unit = n, u
                            break
                out.append(TableValue(arm.arm_id, oc, "events", ev, extractor="table.cell_count", confidence=0.85, scale="", unit=unit, **base))
                if tot is not None:
                    out.append(TableValue(arm.arm_id, oc, "total", tot, extractor="table.cell_count", confidence=0.8, scale="", unit=unit, **base))
                if pct is not None:
                    out.append(TableValue(arm.arm_id, oc, "percent", pct, extractor="table.cell_count", confidence=0.85, scale="", unit=unit, **base))
    return out
