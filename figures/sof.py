"""Summary-of-findings table: one row per analysis and treatment class, plus the overall row."""

from __future__ import annotations

import io
import math
import os
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from figures.formatting import (NA, estimate_digits, format_estimate, format_i2, format_tau2, group_label, measure_info,
                                prediction_text)
from figures.tables import check_pooled

SOF_COLUMNS: tuple[str, ...] = (
    "analysis", "measure", "unit", "group", "k", "n", "n_text", "estimate", "ci_lb", "ci_ub",
    "pi_lb", "pi_ub", "i2", "tau2", "estimate_text", "pi_text", "i2_text", "certainty",
)  # fmt: skip
"""Columns of the summary-of-findings table. ``unit`` is what the analysis counts (``patients``,
``lesions``, ``procedures``; ``a+b`` when its studies count different units, empty when the
pooled table does not say); ``n`` the studies' sizes summed in that unit (empty when mixed);
``n_text`` the same in words, per unit (``120 patients + 54 lesions``). ``estimate``... ``pi_ub``
are in printed units (percent for proportions), the ``*_text`` columns are the strings the forest
plot prints."""

FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)
"""Creation/modification time written into the XLSX so re-runs are byte-identical."""

OVERALL = "overall"


def summary_of_findings(pooled_tables: Mapping[str, pd.DataFrame],
                        certainty: Mapping[tuple[str, str], str] | None = None) -> pd.DataFrame:
    """Summarise pooled tables (``{analysis: pooled table}``) as one row per analysis x class.

    Each analysis gets a row per subgroup (treatment class, ``group``) and one ``overall`` row:
    number of studies ``k``, the unit of analysis and the studies' sizes summed per unit (``n``,
    else ``total``; lesions are never added to patients), the pooled estimate with its CI and prediction interval in natural units (percent for
    proportions), I² and tau², and the GRADE ``certainty`` of that estimate when ``certainty``
    (``{(analysis, group): level}``, :func:`evidence.appraisal.grade.certainty_of`) is given.
    """
    rows: list[dict[str, object]] = []
    for name, table in pooled_tables.items():
        df = check_pooled(table, source=f"pooled table {name!r}")
        measure = str(df["measure"].iloc[0])
        info = measure_info(measure)
        d = estimate_digits(measure)
        f = info.factor
        studies = df[df["row_type"] == "study"]
        summaries = df[df["row_type"].isin(["subgroup", "overall"])]
        for _, s in summaries.iterrows():
            is_overall = s["row_type"] == "overall"
            sub = studies if is_overall else studies[studies["group"] == s["group"]]
            size = sub["n"] if sub["n"].notna().any() else sub["total"]
            per_unit = _sizes_by_unit(sub, size)
            k = s["k"] if pd.notna(s["k"]) else len(sub)
            pi_ok = pd.notna(s["pi_lb_bt"]) and pd.notna(s["pi_ub_bt"])
            rows.append({
                "analysis": name,
                "measure": measure,
                "group": OVERALL if is_overall else str(s["group"]),
                "unit": "+".join(u for u in per_unit if u) if per_unit else "",
                "k": int(k),
                "n": next(iter(per_unit.values())) if len(per_unit) == 1 else pd.NA,
                "n_text": " + ".join(f"{v:.0f} {u or '(unit not stated)'}" for u, v in per_unit.items()) or NA,
                "estimate": s["estimate_bt"] * f,
                "ci_lb": s["ci_lb_bt"] * f,
                "ci_ub": s["ci_ub_bt"] * f,
                "pi_lb": s["pi_lb_bt"] * f,
                "pi_ub": s["pi_ub_bt"] * f,
                "i2": s["i2"],
                "tau2": s["tau2"],
                "estimate_text": format_estimate(s["estimate_bt"] * f, s["ci_lb_bt"] * f,
                                                 s["ci_ub_bt"] * f, d),
                "pi_text": prediction_text(s, measure, d) if pi_ok else NA,
                "i2_text": format_i2(s["i2"]) if int(k) > 1 else NA,
                "certainty": (certainty or {}).get((name, OVERALL if is_overall else str(s["group"])), NA),
            })  # fmt: skip
    out = pd.DataFrame(rows, columns=list(SOF_COLUMNS))
    return out


def _sizes_by_unit(studies: pd.DataFrame, size: pd.Series) -> dict[str, float]:
    """Sum of the studies' sizes per unit (``""`` = not stated), units in a fixed order."""
    units = studies["unit"].fillna("").astype(str) if "unit" in studies else pd.Series("", index=studies.index)
    out: dict[str, float] = {}
    for unit in sorted(set(units), key=lambda u: (u == "", u)):
        values = size[units == unit]
        if values.notna().any():
            out[unit] = float(values.sum())
    return out


def _units(measure: str) -> str:
    info = measure_info(measure)
    return info.short


def _display(df: pd.DataFrame) -> pd.DataFrame:
    """The human-readable table (Markdown, LaTeX, XLSX first sheet)."""
    return pd.DataFrame({
        "Outcome": df["analysis"],
        "Unit": df["unit"].map(lambda u: NA if pd.isna(u) or not u else str(u).replace("+", " + ")),
        "Treatment class": df["group"].map(lambda g: "All classes" if g == OVERALL else group_label(g)),
        "Studies (k)": df["k"].astype(int).astype(str),
        "Analysed (n)": df["n_text"],
        "Measure": df["measure"].map(_units),
        "Estimate [95% CI]": df["estimate_text"],
        "95% PI": df["pi_text"],
        "I\u00b2": df["i2_text"],
        "\u03c4\u00b2": df["tau2"].map(format_tau2),
        "Certainty (GRADE)": df["certainty"].map(lambda c: NA if pd.isna(c) else str(c)),
    })  # fmt: skip


def to_markdown(df: pd.DataFrame) -> str:
    disp = _display(df)
    cols = list(disp.columns)
    right = {"Studies (k)", "Analysed (n)"}
    lines = ["| " + " | ".join(cols) + " |",
             "|" + "|".join("---:" if c in right else "---" for c in cols) + "|"]  # fmt: skip
    for _, r in disp.iterrows():
        lines.append("| " + " | ".join(str(r[c]).replace("|", "\\|") for c in cols) + " |")
    return "\n".join(lines) + "\n"


_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
        "\u2212": "$-$", "\u2013": "--", "\u00b2": "$^2$", "\u03c4": r"$\tau$",
        "\u2264": r"$\leq$"}  # fmt: skip


def tex_escape(text: str) -> str:
    return "".join(_TEX.get(ch, ch) for ch in str(text))


def to_latex(df: pd.DataFrame, caption: str = "Summary of findings.", label: str = "tab:sof") -> str:
    disp = _display(df)
    cols = list(disp.columns)
    align = "lll" + "rr" + "l" * (len(cols) - 5)
    out = [
        "% requires \\usepackage{booktabs}",
        "\\begin{table}[htbp]",
        "\\centering",
        "\\small",
        f"\\caption{{{tex_escape(caption)}}}",
        f"\\label{{{label}}}",
        f"\\begin{{tabular}}{{{align}}}",
        "\\toprule",
        " & ".join(tex_escape(c) for c in cols) + " \\\\",
        "\\midrule",
    ]
    prev = None
    for _, r in disp.iterrows():
        if prev is not None and r["Outcome"] != prev:
            out.append("\\midrule")
        prev = r["Outcome"]
        out.append(" & ".join(tex_escape(r[c]) for c in cols) + " \\\\")
    out += ["\\bottomrule", "\\end{tabular}", "\\end{table}"]
    return "\n".join(out) + "\n"


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry timestamps and order-preserving, deflated entries."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return buf.getvalue()


def to_xlsx_bytes(df: pd.DataFrame) -> bytes:
    """XLSX for co-authors: a formatted "Summary of findings" sheet and a numeric "Data" sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    ws = wb.active
    ws.title = "Summary of findings"
    disp = _display(df)
    ws.append(list(disp.columns))
    for _, r in disp.iterrows():
        ws.append([str(v) for v in r])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, col in enumerate(disp.columns, start=1):
        width = max([len(str(col))] + [len(str(v)) for v in disp[col]]) + 2
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(width, 48)
    ws.freeze_panes = "A2"
    data = wb.create_sheet("Data")
    data.append(list(df.columns))
    for _, r in df.iterrows():
        data.append([None if (isinstance(v, float) and math.isnan(v)) or v is pd.NA else
                     (float(v) if isinstance(v, (np.floating, float)) else
                      int(v) if isinstance(v, (np.integer, int)) else str(v)) for v in r])  # fmt: skip
    for cell in data[1]:
        cell.font = Font(bold=True)
    wb.properties.creator = "sacral-evidence-toolkit"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.lastModifiedBy = None
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return _deterministic_zip(buf.getvalue())


def write_sof(df: pd.DataFrame, out_prefix: str | os.PathLike[str]) -> list[Path]:
    """Write ``<out_prefix>.csv``, ``.md``, ``.tex`` and ``.xlsx``; byte-identical on re-runs."""
    prefix = Path(out_prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)

    def path(ext: str) -> Path:
        return prefix.with_name(prefix.name + ext)

    written = []
    p = path(".csv")
    df.to_csv(p, index=False, float_format="%.6g", lineterminator="\n")
    written.append(p)
    p = path(".md")
    p.write_text(to_markdown(df), encoding="utf-8")
    written.append(p)
    p = path(".tex")
    p.write_text(to_latex(df), encoding="utf-8")
    written.append(p)
    p = path(".xlsx")
    p.write_bytes(to_xlsx_bytes(df))
    written.append(p)
    return written
