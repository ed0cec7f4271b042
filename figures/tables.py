"""Reading and checking the tables figures are drawn from (DESIGN.md "Pooled")."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

POOLED_COLUMNS: tuple[str, ...] = (
    "analysis", "measure", "method", "test", "level", "row_type", "group", "study_id", "slab",
    "k", "n", "events", "total", "mean", "sd", "yi", "vi", "weight", "weight_overall",
    "estimate", "se", "ci_lb", "ci_ub", "pi_lb", "pi_ub",
    "estimate_bt", "ci_lb_bt", "ci_ub_bt", "pi_lb_bt", "pi_ub_bt",
    "tau2", "i2", "h2", "qe", "qe_df", "qe_pval", "qm", "qm_df", "qm_pval", "unit",
)  # fmt: skip
"""Columns of the pooled table, in DESIGN.md order (``unit``: what ``n`` counts, patients, lesions or
procedures; ``a+b`` on a summary row whose studies count different units)."""

POOLED_REQUIRED: tuple[str, ...] = (
    "measure", "row_type", "slab", "estimate_bt", "ci_lb_bt", "ci_ub_bt",
)  # fmt: skip
"""Columns a forest plot cannot do without; the others are optional (treated as missing)."""

ROW_TYPES: tuple[str, ...] = ("study", "subgroup", "overall", "subgroup_test")

_TEXT_COLUMNS = ("analysis", "measure", "method", "test", "row_type", "group", "study_id", "slab", "unit")

SENSITIVITY_REQUIRED: tuple[str, ...] = ("slab", "estimate", "ci_lb", "ci_ub")


def require_columns(df: pd.DataFrame, columns: Iterable[str], source: str = "table") -> None:
    """Raise ``ValueError`` naming ``source`` and every missing column."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{source}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(c) for c in missing)}; has {list(df.columns)}."
        )


def check_pooled(pooled: pd.DataFrame, source: str = "pooled table") -> pd.DataFrame:
    """Validate a pooled table and return a cleaned copy with every DESIGN.md column present."""
    if not isinstance(pooled, pd.DataFrame):
        raise TypeError(f"Expected a pandas DataFrame, got {type(pooled).__name__}.")
    require_columns(pooled, POOLED_REQUIRED, source)
    df = pooled.copy(deep=True)
    for col in POOLED_COLUMNS:
        if col not in df.columns:
            df[col] = np.nan
    for col in _TEXT_COLUMNS:
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    df["row_type"] = df["row_type"].astype(str).str.strip().str.lower()
    bad = sorted(set(df["row_type"]) - set(ROW_TYPES))
    if bad:
        raise ValueError(f"{source}: row_type {bad[0]!r} is not one of {list(ROW_TYPES)}.")
    if not (df["row_type"] == "study").any():
        raise ValueError(f"{source}: no study rows (row_type == 'study'); nothing to plot.")
    measures = df["measure"].dropna().astype(str).str.upper().unique()
    if len(measures) != 1:
        raise ValueError(f"{source}: column 'measure' must hold one measure, found {list(measures)}.")
    df["measure"] = measures[0]
    numeric = [c for c in POOLED_COLUMNS if c not in _TEXT_COLUMNS]
    for col in numeric:
        try:
            df[col] = pd.to_numeric(df[col])
        except (TypeError, ValueError):
            if col in ("qm_df", "qe_df"):  # an F test's df may be written as "2, 15"
                df[col] = df[col].astype(object).where(df[col].notna(), None)
                continue
            raise ValueError(f"{source}: column {col!r} must be numeric.") from None
    return df


def read_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a TSV (or CSV, by extension) written by the workflow; empty cells are missing."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file.")
    sep = "," if path.suffix.lower() == ".csv" else "\t"
    return pd.read_csv(
        path,
        sep=sep,
        dtype={c: "string" for c in _TEXT_COLUMNS},
        keep_default_na=False,
        na_values=[""],
    )


def read_pooled(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read and validate a pooled table (``results/pooled/<analysis>.tsv``)."""
    return check_pooled(read_table(path), source=str(path))


def check_sensitivity(table: pd.DataFrame, source: str = "table") -> pd.DataFrame:
    """Validate a leave-one-out / cumulative table; see :func:`figures.forest.loo_plot`."""
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"Expected a pandas DataFrame, got {type(table).__name__}.")
    require_columns(table, SENSITIVITY_REQUIRED, source)
    df = table.copy(deep=True)
    for col in ("estimate", "ci_lb", "ci_ub"):
        if col + "_bt" not in df.columns:
            df[col + "_bt"] = df[col]
    for col in ("pi_lb", "pi_ub", "pi_lb_bt", "pi_ub_bt", "k", "tau2", "i2", "qe_pval"):
        if col not in df.columns:
            df[col] = np.nan
    df["slab"] = df["slab"].astype(str)
    return df
