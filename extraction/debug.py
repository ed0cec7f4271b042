"""Optional visual check: PNGs of pages with the extracted values' boxes drawn.

    python -m extraction debug-png PDF --outcomes DIR/outcomes.tsv --out DIR/png [--page 5]

Boxes of outcomes.tsv rows (and arms.tsv next to it) of this PDF are drawn in red with a short
label (``arm outcome.field=value``); one PNG per page: ``<pdf stem>_p<page>.png``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .pdf import render_boxes


def draw_values(pdf: Path, outcomes_tsv: Path, out_dir: Path, pages: list[int] | None = None) -> list[Path]:
    frames = []
    for path, kind in ((outcomes_tsv, "outcome"), (outcomes_tsv.with_name("arms.tsv"), "arm")):
        if path.exists():
            df = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
            df["_kind"] = kind
            frames.append(df)
    if not frames:
        return []
    df = pd.concat(frames, ignore_index=True)
    df = df[(df["source_file"] == pdf.name) & (df["page"] != "") & (df["x0"] != "")]
    out: list[Path] = []
    for page, grp in df.groupby(df["page"].astype(float).astype(int)):
        if pages and page not in pages:
            continue
        boxes = []
        for _, r in grp.iterrows():
            box = (float(r["x0"]), float(r["top"]), float(r["x1"]), float(r["bottom"]))
            if r["_kind"] == "outcome":
                label = f"{r['arm_id']} {r['outcome']}.{r['field']}={r['value']}"
            else:
                label = f"arm {r['arm_id']} n={r.get('n_patients', '')}"
            boxes.append((box, label))
        out.append(render_boxes(pdf, page, boxes, Path(out_dir) / f"{pdf.stem}_p{page}.png"))
    return out
