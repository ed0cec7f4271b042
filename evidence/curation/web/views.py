"""Routes: studies, a study's values (select, accept, edit, not reported, capture), page images,
words under a selection, dual extraction. Every id taken from a URL is looked up among the review's
own studies and files; nothing outside the review folder is ever opened."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue

from evidence import vocabulary as V
from evidence.curation.audit import version
from evidence.curation.corrections import history, load_corrections
from evidence.curation.dual import DISAGREEMENT_COLUMNS, adjudicate, compare
from evidence.curation.edits import set_value
from evidence.curation.errors import ConflictError, CurationError
from evidence.curation.tables import DELETE, read_table, write_table
from evidence.curation.web.app import form_region, guess, neighbours, state, study_or_404
from evidence.curation.web.pages import box_style, frame_of, n_pages, page_image, words_under
from evidence.curation.web.state import ARM_VALUE_FIELDS, FILTERS, ReviewState, Value, inside

bp = Blueprint("curate", __name__)
ACTIONS = ("accept", "edit", "notreported")


@bp.get("/")
def studies() -> ResponseReturnValue:
    """The review's studies: decision, reason, values to check."""
    current = state()
    return render_template("studies.html", state=current, review=current.review, filters=FILTERS)


def _study_page(study_id: str, status: int = 200, error: str = "", conflict: str = "", attempt: dict | None = None,
                error_title: str = "") -> ResponseReturnValue:
    current = state()
    study = study_or_404(current, study_id)
    chosen_filter = request.args.get("filter", "all")
    if chosen_filter not in FILTERS:
        abort(400, description=f"unknown filter {chosen_filter!r}; expected one of {list(FILTERS)}")
    shown = [v for v in study.values if v.matches(chosen_filter)]
    wanted = request.values.get("sel", "")
    chosen = None if wanted == "new" else next((v for v in study.values if v.id == wanted), shown[0] if shown else None)
    pdf = current.pdf(study)
    count = n_pages(pdf) if pdf else 0
    page = request.args.get("page", type=int) or (chosen.page if chosen and chosen.page else 1)
    if pdf and not 1 <= page <= count:
        abort(404, description=f"page {page} does not exist; the PDF has {count} page(s)")
    near = neighbours(study.values, chosen) if chosen else []
    frame = frame_of(pdf, page) if pdf else None
    boxes = [(v, box_style(v.bbox, frame)) for v in study.values if v.page == page and v.bbox is not None and frame]
    index = shown.index(chosen) if chosen in shown else -1
    following = shown[index + 1] if 0 <= index < len(shown) - 1 else None
    body = render_template(
        "study.html", state=current, review=current.review, study=study, values=shown, chosen=chosen,
        filter=chosen_filter, filters=FILTERS, pdf=pdf, page=page, n_pages=count, near=near, boxes=boxes,
        following=following, guess=guess(study, chosen), error=error, conflict=conflict, error_title=error_title,
        shown_token=shown_token,
        attempt=attempt or {}, outcomes=V.OUTCOMES + ("arm",), fields=V.FIELDS + ARM_VALUE_FIELDS,
        scales=list(V.SCALES), units=V.UNITS, arms=sorted({v.key[1] for v in study.values if v.key[1] != "-"}))
    return body, status


@bp.get("/study/<study_id>")
def study(study_id: str) -> ResponseReturnValue:
    """A study's values (filtered, one selected) beside the selected value's PDF page."""
    return _study_page(study_id)


@bp.get("/study/<study_id>/page/<int:page>.png")
def page_png(study_id: str, page: int) -> ResponseReturnValue:
    """A page of the study's PDF as a PNG (rendered once, then from the cache)."""
    current = state()
    study = study_or_404(current, study_id)
    pdf = current.pdf(study)
    if pdf is None:
        abort(404, description=f"study {study_id!r} has no PDF in {current.review.pdfs}")
    if not 1 <= page <= n_pages(pdf):
        abort(404, description=f"page {page} does not exist in {pdf.name}")
    image = page_image(pdf, page, current_app.config["PAGE_CACHE"])
    response = send_file(image, mimetype="image/png", max_age=3600)
    return response


@bp.post("/study/<study_id>/words")
def words(study_id: str) -> ResponseReturnValue:
    """The words under a rectangle drawn on a page image (JSON): the value, excerpt and box to capture."""
    current = state()
    study = study_or_404(current, study_id)
    pdf = current.pdf(study)
    if pdf is None:
        return jsonify(error=f"study {study_id!r} has no PDF; type the value, source address and excerpt"), 404
    data = request.get_json(silent=True) or {}
    try:
        page = int(data["page"])
        rect = tuple(float(v) for v in data["rect"])
        shown = tuple(float(v) for v in data["shown"])
        if len(rect) != 4 or len(shown) != 2 or min(shown) <= 0:
            raise ValueError
    except (KeyError, TypeError, ValueError):
        return jsonify(error="expected JSON {page: N, rect: [x0, y0, x1, y1], shown: [width, height]} in image pixels"), 400
    if not 1 <= page <= n_pages(pdf):
        return jsonify(error=f"page {page} does not exist in {pdf.name}"), 404
    try:
        found = words_under(pdf, page, rect, shown)  # type: ignore[arg-type]
    except LookupError as exc:
        return jsonify(error=str(exc)), 422
    return jsonify(value=found.value, excerpt=found.excerpt, page=page, bbox=found.bbox, words=found.words)


@bp.post("/study/<study_id>/set")
def set_(study_id: str) -> ResponseReturnValue:
    """Accept, edit or mark not reported one value: a correction appended through ``set_value``
    (303 back to the study; 400 with the problems, 409 on a stale form, nothing written)."""
    current = state()
    study = study_or_404(current, study_id)
    form = request.form
    action = form.get("action", "")
    curator = form.get("curator", "").strip() or current_app.config["CURATOR"]
    key = (study.id, form.get("arm", "").strip(), form.get("outcome", "").strip(),
           form.get("timepoint", "").strip() or ("-" if form.get("outcome") == "arm" else ""), form.get("field", "").strip())
    attempt = {"value": form.get("value", ""), "reason": form.get("reason", ""), "action": action}
    target = next((v for v in study.values if v.id == form.get("sel")), None)
    try:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}; expected one of {list(ACTIONS)}")
        if not all(key):
            raise ValueError("the value's arm, outcome, time point and field are all needed (give the time point)")
        reason = form.get("reason", "").strip()
        region = form_region(form, study, current)
        extra = {c: form.get(c, "").strip() for c in ("scale", "unit", "timepoint_label", "source_address")}
        if not region and form.get("excerpt", "").strip():
            extra["excerpt"] = form["excerpt"].strip()
        if action == "accept":
            if target is None or not target.value:
                raise ValueError("there is no value to accept here; capture or type it first")
            value, reason = target.value, reason or f"accepted: checked against the source{_where(target)}"
        elif action == "notreported":
            value, reason = DELETE, reason or "not reported in the source"
        else:
            value = form.get("value", "").strip()
            if not value:
                raise ValueError("type the value (or select it on the page); 'Not reported' deletes it")
            if not reason:
                raise ValueError("give a reason for the edit (e.g. 'table 2 gives 2.7')")
        set_value(current.review.corrections, key, value, curator=curator, reason=reason,
                  extracted_dir=current.extracted, manual_path=current.review.manual_entries,
                  expect_sha256=form.get("version") or "missing", **extra, **region)
    except ConflictError as exc:
        now = next((v for v in state().values(study.id) if v.key == key), None)
        return _study_page(study.id, 409, conflict=_conflict(exc, form.get("shown", ""), now), attempt=attempt)
    except (CurationError, ValueError) as exc:
        title = f"Not saved: {' · '.join(key[1:])}." if all(key) else "Not saved."
        return _study_page(study.id, 400, error=_problems(exc) if isinstance(exc, CurationError) else str(exc),
                           attempt=attempt, error_title=title)
    flash(f"saved {'/'.join(key[1:])}: {value} ({action})")
    after = form.get("next") or form.get("sel") or ""
    return redirect(url_for("curate.study", study_id=study.id, filter=form.get("filter", "all"), sel=after), 303)


def shown_token(v: Value | None) -> str:
    """What the page showed of a value (its value, status and check time), to tell after a conflict
    whether this value is the one that changed."""
    return "|".join((v.value, v.status, v.curated_at)) if v is not None else ""


def _conflict(exc: ConflictError, shown: str, now: Value | None) -> str:
    """A conflict in a curator's words: what changed meanwhile, from the state now on disk."""
    where = f"(file version {exc.expected[:12]} → {exc.found[:12]})"
    if now is None:
        return f"Someone else saved a change after this page was loaded {where}."
    if shown and shown != shown_token(now):
        by = f" by {now.curator} {now.curated_at}".rstrip() if now.curator else ""
        why = f": {now.reason}" if now.reason else ""
        return (f"Someone else saved this value after this page was loaded: it is now {now.value or '—'} "
                f"({now.status}{by}{why}) {where}.")
    return f"Someone else saved another value after this page was loaded; this one still reads {now.value or '—'} {where}."


def _problems(exc: CurationError) -> str:
    """The problems of a refused edit, the typed value named as such."""
    return "\n".join(f"value {p.value!r}: expected {p.expected}" if p.file == "command line" else str(p)
                     for p in exc.problems)


def _where(v: Value) -> str:
    return f" ({v.source_file} p.{v.page})" if v.page else (f" ({v.source_address})" if v.source_address else "")


def _review_file(name: str) -> Path:
    path = inside(current_app.config["REVIEW"].root, name)
    if path is None or path.suffix not in (".csv", ".tsv"):
        abort(404, description=f"{name!r} is not a CSV/TSV file inside the review folder")
    return path


@bp.route("/dual", methods=["GET", "POST"])
def dual() -> ResponseReturnValue:
    """Two curators' corrections files side by side; POST writes the adjudication as corrections."""
    current = state()
    review = current.review
    files = sorted(str(p.relative_to(review.root)) for p in review.root.glob("*.csv")
                   if p.name not in (review.manual_entries.name,) and not p.name.endswith(".audit.log"))
    a, b = request.values.get("a", ""), request.values.get("b", "")
    rows, error, conflict, status = [], "", "", 200
    if a and b:
        path_a, path_b = _review_file(a), _review_file(b)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "disagreements.tsv"
            try:
                compare(path_a, path_b, out, base=current.extracted)
                rows = read_table(out, DISAGREEMENT_COLUMNS)
            except (CurationError, ValueError) as exc:
                error, status = str(exc), 400
            if request.method == "POST" and rows:
                for i, row in enumerate(rows):
                    row["adjudication"] = request.form.get(f"choice{i}", "")
                    row["adjudicated_value"] = request.form.get(f"custom{i}", "").strip()
                    row["adjudication_reason"] = request.form.get(f"reason{i}", "").strip()
                    row["adjudicator"] = request.form.get("curator", "").strip() or current_app.config["CURATOR"]
                write_table(out, rows, list(DISAGREEMENT_COLUMNS))
                try:
                    written = adjudicate(out, review.corrections, allow_pending=True,
                                         expect_sha256=request.form.get("version") or "missing")
                    flash(f"adjudicated: {len(written)} correction(s) appended to {review.corrections.name}")
                    return redirect(url_for("curate.dual", a=a, b=b), 303)
                except ConflictError as exc:
                    conflict, status = str(exc), 409
                except (CurationError, ValueError) as exc:
                    error, status = str(exc), 400
    regions = _regions(current, rows, (path_a, path_b) if a and b and rows else None)
    return render_template("dual.html", state=current, review=review, files=files, a=a, b=b, rows=rows,
                           regions=regions, error=error, conflict=conflict, version=version(review.corrections),
                           error_title="Not saved." if request.method == "POST" else "Cannot compare these files."), status


def _regions(current: ReviewState, rows: list[dict], files: tuple[Path, Path] | None) -> list[dict]:
    """For each disagreement, the regions to show beside it: the extracted value's, and each
    curator's when their correction was captured on the PDF."""
    captured: list[dict] = [{}, {}]
    for i, path in enumerate(files or ()):
        try:
            chains = history(load_corrections(path))
        except (CurationError, ValueError):
            continue  # not a corrections file: no regions of its own
        captured[i] = {k: c[-1].region for k, c in chains.items() if c[-1].region}
    out = []
    for row in rows:
        key = tuple(row[c] for c in ("study_id", "arm_id", "outcome", "timepoint", "field"))
        study = current.studies.get(row["study_id"])
        pdf = current.pdf(study) if study is not None else None
        base = next((v for v in study.values if v.key == key and v.page and v.bbox), None) if study else None
        shown = {"base": _thumb(pdf, base.page, base.bbox, base.excerpt, study.id) if base and pdf else None,
                 "base_id": base.id if base else ""}
        for name, found in zip(("a", "b"), captured):
            region = found.get(key)
            shown[name] = _thumb(pdf, int(region["page"]), tuple(float(region[c]) for c in ("x0", "top", "x1", "bottom")),
                                 region["excerpt"], study.id) if region and pdf else None
        out.append(shown)
    return out


def _thumb(pdf: Path, page: int, box: tuple, excerpt: str, study_id: str, k: float = 1.0) -> dict:
    """A window of ``page`` around ``box`` (CSS for the page image as a background, 1 px per point)."""
    frame = frame_of(pdf, page)
    x, y = (box[0] - frame[0]) * k, (box[1] - frame[1]) * k
    margin_x, margin_y = 60, 24
    return {"page": page, "excerpt": excerpt, "src": url_for("curate.page_png", study_id=study_id, page=page),
            "style": f"background-size:{(frame[2] - frame[0]) * k:.1f}px auto;"
                     f"background-position:{margin_x - x:.1f}px {margin_y - y:.1f}px",
            "box": f"left:{margin_x - 2}px;top:{margin_y - 2}px;width:{(box[2] - box[0]) * k + 4:.1f}px;"
                   f"height:{(box[3] - box[1]) * k + 4:.1f}px"}
