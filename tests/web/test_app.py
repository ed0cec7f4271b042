"""The curation web app through Flask's test client, on a copy of the example review extracted for
real: every write lands in corrections.csv through the audited path, a stale form gets 409, bad
input writes nothing, and no route reads outside the review folder."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from evidence.curation.audit import audit_path, sha256
from evidence.curation.build import build_curated
from evidence.curation.web import check_host
from evidence.curation.web.state import ReviewState
from evidence.review import load_review

ROOT = Path(__file__).resolve().parents[2]


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def version_of(html: str) -> str:
    return re.search(r'name="version" value="([0-9a-f]{64})"', html).group(1)


def extracted_value(review: Path, study: str, with_box: bool = True) -> dict[str, str]:
    """An extracted outcome value of ``study`` whose key is unique and has a page region."""
    table = [r for r in csv.DictReader(open(review / "results/tables/extracted/outcomes.tsv"), delimiter="\t")
             if r["study_id"] == study and (r["page"] or not with_box)]
    keys = [(r["arm_id"], r["outcome"], r["timepoint"], r["field"]) for r in table]
    return next(r for r, k in zip(table, keys) if keys.count(k) == 1 and r["outcome"] != "other")


def sel_id(row: dict[str, str]) -> str:
    return ":".join((row["arm_id"], row["outcome"], row["timepoint"], row["field"]))


def post_set(client, study: str, row: dict[str, str], action: str, version: str, **form: str):
    data = {"arm": row["arm_id"], "outcome": row["outcome"], "timepoint": row["timepoint"], "field": row["field"],
            "sel": sel_id(row), "action": action, "version": version, **form}
    return client.post(f"/study/{study}/set", data=data)


def test_studies_list_shows_decisions_and_counts(client, review):
    html = client.get("/").get_data(as_text=True)
    state = ReviewState(load_review(review))
    for study in state.studies.values():
        assert f'href="/study/{study.id}"' in html
    for study in state.studies.values():  # one row per value: a selection names exactly one
        ids = [v.id for v in study.values]
        assert len(ids) == len(set(ids)), study.id
    tian = state.studies["tian2022"]
    assert tian.row["decision"] in html and len(tian.values) > 20
    done, total = state.progress
    assert f"{done} / {total} checked" in html


def test_study_page_lists_values_with_status_and_filters(client, review):
    row = extracted_value(review, "tian2022")
    html = client.get("/study/tian2022").get_data(as_text=True)
    assert f'data-id="{sel_id(row)}"' in html and "badge extracted" in html
    missing = client.get("/study/tian2022?filter=missing").get_data(as_text=True)
    assert "badge missing" in missing and "badge extracted" not in missing
    assert client.get("/study/tian2022?filter=nonsense").status_code == 400
    chosen = client.get(f"/study/tian2022?sel={sel_id(row)}").get_data(as_text=True)
    # the selected value's box is drawn on its own page, with its excerpt beside it
    assert f'/study/tian2022/page/{row["page"]}.png' in chosen and 'id="highlight"' in chosen
    box = ",".join(str(float(row[c])) for c in ("x0", "top", "x1", "bottom"))
    assert re.search(rf'class="box hl" id="highlight"[^>]*data-box="{re.escape(box)}"', chosen)
    assert row["excerpt"].split()[0] in chosen


def test_page_image_is_rendered_once_and_cached(client, review):
    row = extracted_value(review, "tian2022")
    url = f"/study/tian2022/page/{row['page']}.png"
    first = client.get(url)
    assert first.status_code == 200 and first.data[:8] == b"\x89PNG\r\n\x1a\n"
    cached = list((review / "results/curation/page_images").glob(f"*-p{row['page']}-*.png"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    assert client.get(url).data == first.data and cached[0].stat().st_mtime_ns == stamp
    with pdfplumber.open(review / "pdfs" / row["source_file"]) as pdf:
        width = float(pdf.pages[int(row["page"]) - 1].width)
    from PIL import Image

    assert Image.open(cached[0]).size[0] == round(width * 2)  # 2 px per point
    assert client.get("/study/tian2022/page/999.png").status_code == 404


def test_accept_edit_and_not_reported_are_audited_corrections(client, review):
    corrections = review / "corrections.csv"
    before = rows(corrections)
    values = [r for r in csv.DictReader(open(review / "results/tables/extracted/outcomes.tsv"), delimiter="\t")
              if r["study_id"] == "tian2022" and r["page"]]
    keys = [sel_id(r) for r in values]
    unique = [r for r in values if keys.count(sel_id(r)) == 1 and r["outcome"] != "other"]
    accept, edit, drop = unique[0], unique[1], unique[2]
    version = version_of(client.get("/study/tian2022").get_data(as_text=True))
    done = post_set(client, "tian2022", accept, "accept", version)
    assert done.status_code == 303
    version = sha256(corrections.read_bytes())
    new_value = str(float(edit["value"]) + 1)
    assert post_set(client, "tian2022", edit, "edit", version, value=new_value, reason="table gives it").status_code == 303
    version = sha256(corrections.read_bytes())
    assert post_set(client, "tian2022", drop, "notreported", version, reason="not in the paper").status_code == 303
    added = rows(corrections)[len(before):]
    assert [(r["old_value"], r["new_value"], r["curator"]) for r in added] == [
        (accept["value"], accept["value"], "tester"), (edit["value"], new_value, "tester"), (drop["value"], "NA", "tester")]
    log = [json.loads(line) for line in audit_path(corrections).read_text().splitlines()][-3:]
    assert [e["rows"][0]["new_value"] for e in log] == [r["new_value"] for r in added]
    assert log[-1]["sha256"] == sha256(corrections.read_bytes())
    report = build_curated(review / "results/tables/extracted", corrections, review / "manual_entries.csv", None)
    actions = {(e["arm_id"], e["outcome"], e["timepoint"], e["field"]): e["action"] for e in report.log
               if e["study_id"] == "tian2022"}
    assert [actions[tuple(sel_id(r).split(":"))] for r in (accept, edit, drop)] == ["accepted", "changed", "deleted"]
    state = ReviewState(load_review(review))
    status = {v.id: v.status for v in state.values("tian2022")}
    assert [status[sel_id(r)] for r in (accept, edit, drop)] == ["accepted", "corrected", "not reported"]


def test_invalid_value_shows_the_error_and_writes_nothing(client, review):
    pain = next(r for r in csv.DictReader(open(review / "results/tables/extracted/outcomes.tsv"), delimiter="\t")
                if r["study_id"] == "tian2022" and r["outcome"] == "pain" and r["field"] == "mean")
    corrections = review / "corrections.csv"
    before, log = corrections.read_bytes(), audit_path(corrections).read_bytes()
    version = sha256(before)
    out = post_set(client, "tian2022", pain, "edit", version, value="14", reason="typo")
    assert out.status_code == 400
    assert "Not saved" in out.get_data(as_text=True) and "14" in out.get_data(as_text=True)
    out = post_set(client, "tian2022", pain, "edit", version, value=str(float(pain["value"]) + 0.5), reason="")
    assert out.status_code == 400 and "give a reason" in out.get_data(as_text=True)
    assert corrections.read_bytes() == before and audit_path(corrections).read_bytes() == log


def test_a_stale_form_gets_a_conflict_and_loses_no_edit(client, review):
    row = extracted_value(review, "tian2022")
    corrections = review / "corrections.csv"
    version = version_of(client.get("/study/tian2022").get_data(as_text=True))
    first = post_set(client, "tian2022", row, "edit", version, value=str(float(row["value"]) + 1), reason="first")
    assert first.status_code == 303
    second = post_set(client, "tian2022", row, "edit", version, value=str(float(row["value"]) + 2), reason="second")
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Conflict: not saved" in page and str(float(row["value"]) + 2) in page  # the edit is still in the form
    reasons = [r["reason"] for r in rows(corrections)]
    assert "first" in reasons and "second" not in reasons
    assert post_set(client, "tian2022", row, "edit", version_of(page), value=str(float(row["value"]) + 2),
                    reason="second").status_code == 303
    assert [r["reason"] for r in rows(corrections)][-2:] == ["first", "second"]


def test_capture_maps_a_selection_to_the_words_and_stores_its_region(client, review, number_word):
    pdf = review / "pdfs" / "tian2022_sacroplasty_rfa_ajnr.pdf"
    page, word, width, height = number_word(pdf)
    shown = (800.0, 800.0 * height / width)  # the image as the browser shows it
    k = shown[0] / width
    rect = [(word["x0"] - 1) * k, (word["top"] - 1) * k, (word["x1"] + 1) * k, (word["bottom"] + 1) * k]
    got = client.post("/study/tian2022/words", json={"page": page, "rect": rect, "shown": shown}).get_json()
    assert got["value"] == word["text"] and got["page"] == page
    assert all(abs(a - b) < 0.5 for a, b in zip(got["bbox"], (word["x0"], word["top"], word["x1"], word["bottom"])))
    empty = client.post("/study/tian2022/words", json={"page": page, "rect": [0, 0, 2, 2], "shown": shown})
    assert empty.status_code == 422 and "no words" in empty.get_json()["error"]
    state = ReviewState(load_review(review))
    missing = next(v for v in state.values("tian2022") if v.status == "missing")
    form = {"arm": missing.key[1], "outcome": missing.key[2], "timepoint": "procedural", "field": missing.key[4],
            "sel": missing.id, "action": "edit", "version": state.version, "value": got["value"],
            "reason": "read on the page", "unit": "patients", "page": str(page), "excerpt": got["excerpt"],
            **dict(zip(("x0", "top", "x1", "bottom"), map(str, got["bbox"])))}
    assert client.post("/study/tian2022/set", data=form).status_code == 303
    last = rows(review / "corrections.csv")[-1]
    assert (last["origin"], last["source_file"], last["page"], last["new_value"], last["old_value"]) == (
        "curated-from-pdf", pdf.name, str(page), word["text"], "")
    report = build_curated(review / "results/tables/extracted", review / "corrections.csv",
                           review / "manual_entries.csv", None)
    added = next(r for r in report.outcomes if (r["study_id"], r["arm_id"], r["outcome"], r["timepoint"], r["field"])
                 == ("tian2022", missing.key[1], missing.key[2], "procedural", missing.key[4]))
    assert (added["origin"], added["page"], added["excerpt"]) == ("curated-from-pdf", str(page), got["excerpt"])


def test_study_without_pdf_takes_source_address_and_excerpt(client, review):
    state = ReviewState(load_review(review))
    manual = next(s for s in state.studies.values() if not s.row.get("source_file") and s.values)
    html = client.get(f"/study/{manual.id}").get_data(as_text=True)
    assert 'name="source_address"' in html and "page-image" not in html
    value = next(v for v in manual.values if v.value and v.key[2] not in ("arm", "study") and v.key[4] in ("events", "n", "total"))
    form = {"arm": value.key[1], "outcome": value.key[2], "timepoint": value.key[3], "field": value.key[4],
            "sel": value.id, "action": "edit", "version": state.version, "value": str(int(float(value.value)) + 1),
            "reason": "abstract gives it", "source_address": "https://doi.org/10.0/x p.2", "excerpt": "the words"}
    assert client.post(f"/study/{manual.id}/set", data=form).status_code == 303
    last = rows(review / "corrections.csv")[-1]
    assert (last["source_address"], last["excerpt"], last.get("origin", ""), last.get("page", "")) == (
        "https://doi.org/10.0/x p.2", "the words", "", "")
    # a PDF region cannot be claimed for a study without a PDF
    form.update(page="1", x0="1", top="1", x1="2", bottom="2", version=sha256((review / "corrections.csv").read_bytes()))
    assert client.post(f"/study/{manual.id}/set", data=form).status_code == 400


def test_dual_extraction_lists_disagreements_and_adjudicates(client, review):
    row = extracted_value(review, "tian2022")
    header = "study_id,arm_id,outcome,timepoint,field,old_value,new_value,curator,date,reason\n"
    key = f"tian2022,{row['arm_id']},{row['outcome']},{row['timepoint']},{row['field']},{row['value']}"
    a_value, b_value = str(float(row["value"]) + 1), str(float(row["value"]) + 2)
    (review / "ana.csv").write_text(header + f"{key},{a_value},ana,2026-11-20,table\n")
    region = ",".join(row[c] for c in ("source_file", "page", "x0", "top", "x1", "bottom"))
    (review / "ben.csv").write_text(header.rstrip("\n") + ",origin,source_file,page,x0,top,x1,bottom,excerpt\n"
                                    + f"{key},{b_value},ben,2026-11-21,text,curated-from-pdf,{region},words\n")
    page = client.get("/dual?a=ana.csv&b=ben.csv")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "1 disagreement(s)" in html and a_value in html and b_value in html
    # the region the value was extracted from, and the one curator B captured; A captured none
    assert f"extracted from p.{row['page']}" in html and f"B read it on p.{row['page']}: words" in html
    assert "A read it on" not in html and html.count(f"/study/tian2022/page/{row['page']}.png") == 2
    version = version_of(html)
    done = client.post("/dual", data={"a": "ana.csv", "b": "ben.csv", "version": version, "choice0": "b",
                                      "curator": "judge"})
    assert done.status_code == 303
    last = rows(review / "corrections.csv")[-1]
    assert (last["new_value"], last["old_value"], last["curator"]) == (b_value, row["value"], "judge")
    stale = client.post("/dual", data={"a": "ana.csv", "b": "ben.csv", "version": version, "choice0": "a"})
    assert stale.status_code == 409 and rows(review / "corrections.csv")[-1]["new_value"] == b_value


@pytest.mark.parametrize("url", [
    "/study/..%2F..%2Fetc%2Fpasswd", "/study/%2Fetc%2Fpasswd", "/study/../../etc/passwd",
    "/study/..%2Fconfig.yaml/page/1.png", "/study/%2Fetc/page/1.png",
    "/dual?a=../../../etc/passwd&b=corrections.csv", "/dual?a=/etc/passwd&b=corrections.csv",
    "/dual?a=corrections.csv&b=..%2F..%2Fetc%2Fpasswd", "/dual?a=config.yaml&b=corrections.csv",
    "/dual?a=results/../../../etc/passwd&b=corrections.csv",
    "/static/../app.py", "/static/..%2Fapp.py", "/static/%2Fetc%2Fpasswd",
])
def test_no_route_reads_outside_the_review(client, url):
    response = client.get(url, follow_redirects=True)  # "//" is merged by a redirect first
    assert response.status_code in (400, 404), (url, response.status_code)
    assert b"root:" not in response.data and b"import" not in response.data[:2000]


def test_words_route_refuses_foreign_studies(client):
    for study in ("..%2F..%2Fetc", "%2Fetc%2Fpasswd", "nostudy"):
        assert client.post(f"/study/{study}/words", json={"page": 1, "rect": [0, 0, 9, 9], "shown": [9, 9]}).status_code == 404


def test_a_link_out_of_the_review_is_not_followed(client, review, tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text("study_id,value\nx,1\n")
    (review / "link.csv").symlink_to(outside)
    assert client.get("/dual?a=link.csv&b=corrections.csv").status_code == 404


def test_a_write_posted_by_another_site_is_refused(client, review):
    row = extracted_value(review, "tian2022")
    before = (review / "corrections.csv").read_bytes()
    data = {"arm": row["arm_id"], "outcome": row["outcome"], "timepoint": row["timepoint"], "field": row["field"],
            "sel": sel_id(row), "action": "accept", "version": sha256(before)}
    assert client.post("/study/tian2022/set", data=data, headers={"Origin": "https://evil.example"}).status_code == 403
    assert (review / "corrections.csv").read_bytes() == before
    assert client.post("/study/tian2022/set", data=data, headers={"Origin": "http://localhost"}).status_code == 303


def test_only_loopback_is_served(client):
    for host in ("0.0.0.0", "192.168.1.5", "::", "example.org", ""):
        with pytest.raises(ValueError, match="127.0.0.1 only"):
            check_host(host)
    check_host("127.0.0.1")
    # a page asked for under another host name (DNS rebinding) is refused
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    done = subprocess.run([sys.executable, "-m", "evidence.srtk", "curate", "serve", "--host", "0.0.0.0"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert done.returncode == 2 and "127.0.0.1 only" in done.stderr


def test_a_stale_correction_is_listed_under_stale(client, review):
    row = extracted_value(review, "tian2022")
    with open(review / "corrections.csv", "a", encoding="utf-8") as fh:  # made when the table held another value
        fh.write(f"tian2022,{row['arm_id']},{row['outcome']},{row['timepoint']},{row['field']},"
                 f"{float(row['value']) + 5},{float(row['value']) + 6},ana,2026-11-30,re-read,,,,\n")
    html = client.get("/study/tian2022?filter=stale").get_data(as_text=True)
    assert len(re.findall(r'<tr class="[^"]*st-stale" data-id=', html)) == 1 and f'data-id="{sel_id(row)}"' in html
    assert "the value changed underneath the correction" in client.get(
        f"/study/tian2022?filter=stale&sel={sel_id(row)}").get_data(as_text=True)
    assert client.get("/").get_data(as_text=True).count('class="n warn">1<') == 1


def test_not_reported_on_a_missing_value_is_recorded_as_checked(client, review):
    state = ReviewState(load_review(review))
    missing = next(v for v in state.values("tian2022") if v.status == "missing")
    form = {"arm": missing.key[1], "outcome": missing.key[2], "timepoint": "procedural", "field": missing.key[4],
            "sel": missing.id, "action": "notreported", "version": state.version}
    assert client.post("/study/tian2022/set", data=form).status_code == 303
    last = rows(review / "corrections.csv")[-1]
    assert (last["old_value"], last["new_value"], last["reason"]) == ("", "NA", "not reported in the source")
    after = {v.key: v for v in ReviewState(load_review(review)).values("tian2022")}
    assert after[missing.key[:3] + ("procedural", missing.key[4])].status == "not reported"
    assert missing.key not in after  # no longer listed as missing


def test_serve_names_a_missing_review_or_missing_extraction(tmp_path, capsys):
    from evidence.srtk import main

    assert main(["curate", "serve", str(tmp_path / "nowhere")]) == 2
    assert "no review here" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "fresh")]) == 0
    assert main(["curate", "serve", str(tmp_path / "fresh"), "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "not been extracted yet" in err and f"srtk run {tmp_path / 'fresh'}" in err


def test_an_arm_count_captured_on_the_page_keeps_its_region(client, review, number_word):
    state = ReviewState(load_review(review))
    study, missing = next((s, v) for s in state.studies.values() for v in s.values
                          if v.status == "missing" and v.key[2] == "arm" and state.pdf(s))
    sibling = next(v for v in study.values if v.key[:2] == missing.key[:2] and v.key[2] == "arm" and v.value)
    assert sibling.status == "extracted" and sibling.page  # the arm's other count, with the extractor's region
    page, word, _, _ = number_word(state.pdf(study))
    box = {"x0": str(word["x0"]), "top": str(word["top"]), "x1": str(word["x1"]), "bottom": str(word["bottom"])}
    form = {"arm": missing.key[1], "outcome": "arm", "field": missing.key[4], "sel": missing.id, "action": "edit",
            "version": state.version, "value": word["text"], "reason": "methods", "page": str(page),
            "excerpt": word["text"], **box}
    assert client.post(f"/study/{study.id}/set", data=form).status_code == 303
    report = build_curated(review / "results/tables/extracted", review / "corrections.csv",
                           review / "manual_entries.csv", None)
    arm = next(a for a in report.arms if (a["study_id"], a["arm_id"]) == missing.key[:2])
    assert (arm[missing.key[4]], arm["page"], arm["region_field"]) == (word["text"], str(page), missing.key[4])
    assert all(abs(float(arm[c]) - float(v)) < 0.01 for c, v in box.items())
    after = {v.key: v for v in ReviewState(load_review(review)).values(study.id)}
    got = after[missing.key]
    assert (got.status, got.value, got.page) == ("curated-from-pdf", word["text"], page)
    assert got.bbox == pytest.approx(tuple(float(box[c]) for c in ("x0", "top", "x1", "bottom")), abs=0.01)
    other = after[sibling.key]  # unchanged, and not shown on the region read for the captured count
    assert (other.status, other.value, other.page, other.bbox) == ("extracted", sibling.value, None, None)


def test_a_conflict_says_whether_this_value_changed_meanwhile(client, review):
    row = extracted_value(review, "tian2022")
    table = [r for r in csv.DictReader(open(review / "results/tables/extracted/outcomes.tsv"), delimiter="\t")
             if r["study_id"] == "tian2022"]
    keys = [sel_id(r) for r in table]
    other = next(r for r in table if keys.count(sel_id(r)) == 1 and sel_id(r) != sel_id(row) and r["outcome"] != "other")
    page = client.get(f"/study/tian2022?sel={sel_id(row)}").get_data(as_text=True)
    version = version_of(page)
    shown = re.search(r'name="shown" value="([^"]*)"', page).group(1)
    assert shown.startswith(row["value"] + "|extracted|")
    elsewhere = post_set(client, "tian2022", other, "edit", version, value=f"{float(other['value']) + 1:g}", reason="x")
    assert elsewhere.status_code == 303
    mine = {"value": f"{float(row['value']) + 2:g}", "reason": "mine", "shown": shown}
    stale = post_set(client, "tian2022", row, "edit", version, **mine)
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409 and f"this one still reads {row['value']}" in html
    page = client.get(f"/study/tian2022?sel={sel_id(row)}").get_data(as_text=True)
    shown, version = re.search(r'name="shown" value="([^"]*)"', page).group(1), version_of(page)
    changed = f"{float(row['value']) + 1:g}"
    assert post_set(client, "tian2022", row, "edit", version, value=changed, reason="table 2",
                    curator="ben").status_code == 303
    stale = post_set(client, "tian2022", row, "edit", version, **{**mine, "shown": shown})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert f"Someone else saved this value after this page was loaded: it is now {changed} (corrected by ben " in html
    assert ": table 2)" in html and [r["reason"] for r in rows(review / "corrections.csv")][-1] == "table 2"


def test_a_refused_value_names_its_key(client, review):
    row = next(r for r in csv.DictReader(open(review / "results/tables/extracted/outcomes.tsv"), delimiter="\t")
               if r["study_id"] == "tian2022" and r["outcome"] == "pain" and r["field"] == "mean")
    version = version_of(client.get("/study/tian2022").get_data(as_text=True))
    out = post_set(client, "tian2022", row, "edit", version, value="14", reason="typo")
    html = out.get_data(as_text=True)
    assert out.status_code == 400
    assert f"Not saved: {row['arm_id']} · pain · {row['timepoint']} · mean." in html and "value &#39;14&#39;: expected" in html
