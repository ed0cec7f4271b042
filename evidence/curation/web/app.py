"""The Flask app of ``srtk curate serve``: studies, a study's values beside their PDF regions, dual
extraction. Every write goes through :func:`evidence.curation.edits.set_value` (or ``adjudicate``)
with the corrections-file version the page was rendered from, so a stale form gets a 409.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request

from evidence import vocabulary as V
from evidence.curation.audit import version
from evidence.curation.schemas import CURATED_FROM_PDF
from evidence.curation.web.state import ReviewState, Study, Value
from evidence.review import Review

LOOPBACK = ("127.0.0.1",)


def _default_curator() -> str:
    try:
        return getpass.getuser() or "curator"
    except Exception:  # no login name in some containers
        return "curator"


def create_app(review: Review, curator: str | None = None) -> Flask:
    """The curation app for ``review`` (its pdfs, corrections and extracted tables)."""
    app = Flask(__name__)
    app.config.update(REVIEW=review, CURATOR=curator or _default_curator(), SECRET_KEY=os.urandom(24),
                      TRUSTED_HOSTS=["127.0.0.1", "localhost"], MAX_CONTENT_LENGTH=1 << 20,
                      PAGE_CACHE=review.output / "curation" / "page_images")
    V.use(review.vocabulary)
    from evidence.curation.web import views

    app.register_blueprint(views.bp)
    app.before_request(_same_origin)
    return app


def _same_origin() -> None:
    """Refuse a write posted by a page of another site (the browser names it in ``Origin``)."""
    origin = request.headers.get("Origin")
    if request.method == "POST" and origin and urlsplit(origin).netloc != request.host:
        abort(403, description=f"a write from {origin} refused: only this app's own pages can write")
    return None


def check_host(host: str) -> None:
    """Refuse every address but loopback: the app has no login and writes the review's files."""
    if host not in LOOPBACK:
        raise ValueError(f"refusing to listen on {host!r}: `srtk curate serve` binds to 127.0.0.1 only "
                         "(it has no login and writes the review's corrections); use an SSH tunnel to reach "
                         "it from another machine")


def serve(review: Review, port: int = 5000, host: str = "127.0.0.1", curator: str | None = None) -> None:
    """Run the app on ``host:port`` (loopback only) until interrupted."""
    check_host(host)
    extracted = review.output / "tables" / "extracted" / "studies.tsv"
    if not extracted.is_file():
        raise FileNotFoundError(f"{extracted} not found: the review has not been extracted yet; run "
                                f"`srtk run {review.root}` first (the app shows the extracted and curated tables)")
    app = create_app(review, curator)
    print(f"curating {review.root} at http://{host}:{port}/ (Ctrl+C stops)", flush=True)
    app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def state() -> ReviewState:
    """The review's state, rebuilt only when one of the files it is built from changed (the
    corrections file is replaced atomically on every write, so its inode changes too)."""
    review: Review = current_app.config["REVIEW"]
    version(review.corrections)  # completes an interrupted write first, so the stamp is of the final file
    extracted = review.output / "tables" / "extracted"
    inputs = [review.corrections, review.manual_entries] + [
        extracted / n for n in ("studies.tsv", "arms.tsv", "outcomes.tsv", "completeness.tsv")]
    key = tuple(_stamp(p) for p in inputs)
    cached = current_app.extensions.get("srtk_state")
    if cached is None or cached[0] != key:
        cached = (key, ReviewState(review))
        current_app.extensions["srtk_state"] = cached
    return cached[1]


def study_or_404(current: ReviewState, study_id: str) -> Study:
    """The study ``study_id`` of the review, or a 404 for any other id."""
    try:
        return current.study(study_id)
    except KeyError:
        abort(404, description=f"no study {study_id!r} in this review")


def neighbours(values: list[Value], chosen: Value, limit: int = 8) -> list[Value]:
    """Values on the same page as ``chosen``, nearest first."""
    if chosen.page is None or chosen.bbox is None:
        return []
    cx, cy = (chosen.bbox[0] + chosen.bbox[2]) / 2, (chosen.bbox[1] + chosen.bbox[3]) / 2

    def distance(v: Value) -> float:
        return abs((v.bbox[0] + v.bbox[2]) / 2 - cx) + abs((v.bbox[1] + v.bbox[3]) / 2 - cy)  # type: ignore[index]

    same = [v for v in values if v is not chosen and v.page == chosen.page and v.bbox is not None
            and v.source_file == chosen.source_file]
    return sorted(same, key=distance)[:limit]


def guess(study: Study, chosen: Value | None) -> dict[str, str]:
    """Defaults for adding a value: the time point, scale and unit most common among the study's
    values of the same outcome (else of the same field in the same arm)."""
    def common(attr: str, same: Callable[[Value], bool]) -> str:
        found = [getattr(v, attr) if attr != "timepoint" else v.key[3] for v in study.values if same(v)]
        found = [f for f in found if f and f != "-"]
        return max(sorted(set(found)), key=found.count) if found else ""

    if chosen is None:
        return {"scale": "", "unit": "", "timepoint": ""}
    outcome, arm, name = chosen.key[2], chosen.key[1], chosen.key[4]
    picks = {}
    for attr in ("timepoint", "scale", "unit"):
        picks[attr] = (common(attr, lambda v: v.key[2] == outcome and v is not chosen)
                       or common(attr, lambda v: v.key[1] == arm and v.key[4] == name and v.key[2] not in ("arm", "other")))
    if chosen.key[3] not in ("", "-") or outcome == "arm":
        picks["timepoint"] = chosen.key[3]  # an arm's count has no time point ('-')
    if outcome != "pain":
        picks["scale"] = ""
    return picks


def form_region(form: Any, study: Study, current: ReviewState) -> dict[str, str]:
    """The PDF region a captured value was read from (validated), or {}."""
    if not form.get("page"):
        return {}
    pdf = current.pdf(study)
    if pdf is None:
        raise ValueError("this study has no PDF; give the source address and excerpt instead")
    try:
        page = int(form["page"])
        box = [float(form[c]) for c in ("x0", "top", "x1", "bottom")]
    except (KeyError, ValueError):
        raise ValueError("the captured region is incomplete; expected page, x0, top, x1, bottom numbers") from None
    return {"origin": CURATED_FROM_PDF, "source_file": pdf.name, "page": str(page),
            **{c: f"{v:.2f}" for c, v in zip(("x0", "top", "x1", "bottom"), box)},
            "excerpt": form.get("excerpt", "").strip()}
