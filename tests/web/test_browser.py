"""End to end: the real ``srtk curate serve`` in a subprocess, driven by a real headless Chromium
(Debian's chromium + chromedriver, through Selenium) on a copy of the extracted example review."""

from __future__ import annotations

import csv
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pdfplumber
import pytest

from evidence.curation.audit import audit_path, sha256

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
STUDY = "tian2022"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(extracted_review, tmp_path_factory, helpers):
    """(base URL, review folder) of one real server for the whole module."""
    review = Path(shutil.copytree(extracted_review, tmp_path_factory.mktemp("served") / "sacral"))
    port = _free_port()
    log = open(review.parent / "server.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "evidence.srtk", "curate", "serve", str(review), "--port",
                               str(port), "--curator", "e2e"], env=helpers.review_env(), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=5)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise AssertionError(f"the server did not start: {(review.parent / 'server.log').read_text()[-3000:]}")
            time.sleep(0.3)
    yield url, review
    server.terminate()
    server.wait(timeout=20)
    log.close()


def _chrome():
    if not (CHROMIUM.exists() and DRIVER.exists()):
        pytest.fail(f"{CHROMIUM} or {DRIVER} is missing: run `make install` (it installs the Debian packages "
                    "chromium and chromium-driver the browser tests need)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.implicitly_wait(5)
    return driver


@pytest.fixture(scope="module")
def browser():
    driver = _chrome()
    yield driver
    driver.quit()


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def extracted(review: Path) -> list[dict[str, str]]:
    """The study's extracted values with a page region and a key no other row shares."""
    table = [r for r in csv.DictReader(open(review / "results/tables/extracted/outcomes.tsv"), delimiter="\t")
             if r["study_id"] == STUDY and r["page"]]
    keys = [sel(r) for r in table]
    return [r for r in table if keys.count(sel(r)) == 1 and r["outcome"] != "other"]


def sel(row: dict[str, str]) -> str:
    return ":".join((row["arm_id"], row["outcome"], row["timepoint"], row["field"]))


def open_value(driver, url: str, row_id: str) -> None:
    driver.get(f"{url}/study/{STUDY}")
    driver.find_element("css selector", f'tr[data-id="{row_id}"] td').click()
    wait_for(lambda: driver.find_element("css selector", "tr.sel").get_attribute("data-id") == row_id)


def drag(driver, image, box: list[float]) -> None:
    """Press, move and release the mouse over ``box`` (fractions of the image's width) in viewport pixels."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    left, top, shown = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top, r.width];", image)
    x0, y0, x1, y1 = (round(left + box[0] * shown), round(top + box[1] * shown),
                      round(left + box[2] * shown), round(top + box[3] * shown))
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(x0, y0).pointer_down().move_to_location((x0 + x1) // 2, (y0 + y1) // 2)
    actions.pointer_action.move_to_location(x1, y1).pointer_up()
    actions.perform()


def wait_for(check, timeout: float = 10.0, why=lambda: "the page"):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if check():
                return
        except Exception:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {why()}")
        time.sleep(0.1)


def keys(driver, text: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(text).perform()


def badge(driver, row_id: str) -> str:
    return driver.find_element("css selector", f'tr[data-id="{row_id}"] .badge').text


def whole_number(pdf: Path) -> tuple[int, dict, float]:
    """A page of the PDF and a whole number printed on it, read here with pdfplumber (not the app)."""
    with pdfplumber.open(pdf) as doc:
        for i, page in enumerate(doc.pages[1:], start=2):
            for w in page.extract_words():
                if re.fullmatch(r"[1-9]\d?", w["text"]) and 100 < w["top"] < page.height - 100:
                    return i, w, float(page.width)
    raise AssertionError("no whole number in the PDF")


def test_curate_a_study_in_the_browser(served, browser, helpers):
    url, review = served
    corrections = review / "corrections.csv"
    before = len(rows(corrections))
    values = extracted(review)
    browser.get(url + "/")
    browser.find_element("link text", STUDY).click()
    assert browser.find_element("css selector", "h1").text.endswith(STUDY)

    # an extracted value's region is highlighted on its rendered page, where the table says it is
    shown = values[0]
    open_value(browser, url, sel(shown))
    image = browser.find_element("id", "page-image")
    wait_for(lambda: browser.execute_script("return arguments[0].naturalWidth", image) > 0)
    box = browser.find_element("id", "highlight")
    assert box.is_displayed() and browser.find_element("id", "excerpt").text == shown["excerpt"]
    with pdfplumber.open(review / "pdfs" / shown["source_file"]) as pdf:
        width = float(pdf.pages[int(shown["page"]) - 1].width)
    k = image.rect["width"] / width
    assert abs((box.rect["x"] - image.rect["x"]) - (float(shown["x0"]) - 1.5) * k) < 2
    assert abs((box.rect["y"] - image.rect["y"]) - (float(shown["top"]) - 1.5) * k) < 2
    assert abs(box.rect["width"] - (float(shown["x1"]) - float(shown["x0"]) + 3) * k) < 2

    # j moves to the next value of the list, k back
    following = browser.find_element("css selector", "tr.sel + tr").get_attribute("data-id")
    keys(browser, "j")
    wait_for(lambda: browser.find_element("css selector", "tr.sel").get_attribute("data-id") == following)
    keys(browser, "k")
    wait_for(lambda: browser.find_element("css selector", "tr.sel").get_attribute("data-id") == sel(shown))

    # accept one value with the keyboard
    accept, edit = values[1], values[2]
    open_value(browser, url, sel(accept))
    keys(browser, "a")
    wait_for(lambda: badge(browser, sel(accept)) == "accepted")

    # correct another, with a reason
    open_value(browser, url, sel(edit))
    keys(browser, "e")
    new_value = str(float(edit["value"]) + 1)
    field = browser.switch_to.active_element
    assert field.get_attribute("id") == "value-input"
    field.clear()
    field.send_keys(new_value)
    browser.find_element("id", "reason-input").send_keys("the table prints it")
    browser.find_element("id", "reason-input").send_keys("\n")
    wait_for(lambda: badge(browser, sel(edit)) == "corrected")

    # capture a missed value by dragging over the printed number on the rendered page
    browser.get(f"{url}/study/{STUDY}?filter=missing")
    missing = browser.find_element("css selector", "tr.sel").get_attribute("data-id")
    page, word, width = whole_number(review / "pdfs" / values[0]["source_file"])
    browser.get(f"{url}/study/{STUDY}?filter=missing&sel={missing}&page={page}")
    image = browser.find_element("id", "page-image")
    wait_for(lambda: browser.execute_script("return arguments[0].naturalWidth", image) > 0)
    browser.execute_script("arguments[0].scrollTop = arguments[1]", browser.find_element("id", "pageview"),
                           max(0, word["top"] * image.rect["width"] / width - 150))
    drag(browser, image, [(word["x0"] - 2) / width, (word["top"] - 2) / width,
                          (word["x1"] + 2) / width, (word["bottom"] + 2) / width])
    captured = browser.find_element("id", "captured")
    wait_for(lambda: captured.is_displayed() and word["text"] in captured.text,
             why=lambda: f"captured: {captured.text!r}, expected the word {word['text']!r}")
    assert browser.find_element("id", "value-input").get_attribute("value") == word["text"]
    timepoint = browser.find_element("name", "timepoint")
    timepoint.clear()
    timepoint.send_keys("procedural")
    browser.find_element("id", "btn-edit").click()
    wait_for(lambda: "saved" in browser.find_element("css selector", ".flash.ok").text)

    # the corrections file, its audit log and the rebuilt curated table
    added = rows(corrections)[before:]
    assert [(r["old_value"], r["new_value"], r["curator"]) for r in added] == [
        (accept["value"], accept["value"], "e2e"), (edit["value"], new_value, "e2e"), ("", word["text"], "e2e")]
    assert added[1]["reason"] == "the table prints it"
    capture = added[2]
    assert (capture["origin"], capture["page"], capture["source_file"]) == ("curated-from-pdf", str(page), values[0]["source_file"])
    assert abs(float(capture["x0"]) - word["x0"]) < 0.5 and abs(float(capture["top"]) - word["top"]) < 0.5
    log = [json.loads(line) for line in audit_path(corrections).read_text().splitlines()][-3:]
    assert [e["rows"][0]["new_value"] for e in log] == [r["new_value"] for r in added]
    assert all(e["who"] == "e2e" for e in log) and log[-1]["sha256"] == sha256(corrections.read_bytes())
    out = review / "results" / "rebuilt"
    subprocess.run([sys.executable, "-m", "evidence", "--vocabulary", str(review), "curate", "build", "--extracted",
                    str(review / "results/tables/extracted"), "--corrections", str(corrections), "--manual",
                    str(review / "manual_entries.csv"), "--out", str(out)], check=True, env=helpers.review_env())
    curated = {sel(r): r for r in csv.DictReader(open(out / "outcomes.tsv"), delimiter="\t") if r["study_id"] == STUDY}
    assert (curated[sel(accept)]["origin"], curated[sel(accept)]["curator"]) == ("extracted", "e2e")
    assert (curated[sel(edit)]["value"], curated[sel(edit)]["origin"]) == (new_value, "corrected")
    arm, outcome, _, fieldname = missing.split(":")
    got = curated[f"{arm}:{outcome}:procedural:{fieldname}"]
    assert (got["value"], got["origin"], got["page"]) == (word["text"], "curated-from-pdf", str(page))


def test_an_out_of_range_value_shows_an_error_and_writes_nothing(served, browser):
    url, review = served
    corrections = review / "corrections.csv"
    pain = next(r for r in extracted(review) if r["outcome"] == "pain" and r["field"] == "mean")
    before, log = corrections.read_bytes(), audit_path(corrections).read_bytes()
    open_value(browser, url, sel(pain))
    keys(browser, "e")
    field = browser.switch_to.active_element
    field.clear()
    field.send_keys("14")
    browser.find_element("id", "reason-input").send_keys("typo\n")
    error = browser.find_element("id", "error")
    assert error.is_displayed() and "14" in error.text and "expected" in error.text
    assert corrections.read_bytes() == before and audit_path(corrections).read_bytes() == log


def test_two_sessions_editing_one_value_never_lose_an_edit(served, browser):
    url, review = served
    corrections = review / "corrections.csv"
    row = extracted(review)[3]
    other = _chrome()
    try:
        open_value(browser, url, sel(row))
        open_value(other, url, sel(row))
        first, second = str(float(row["value"]) + 3), str(float(row["value"]) + 4)
        for driver, value, reason in ((browser, first, "first session"), (other, second, "second session")):
            field = driver.find_element("id", "value-input")
            field.clear()
            field.send_keys(value)
            driver.find_element("id", "reason-input").send_keys(reason + "\n")
            wait_for(lambda: driver.find_elements("css selector", ".flash"))
        conflict = other.find_element("id", "conflict")
        assert conflict.is_displayed() and "Conflict" in conflict.text
        assert f"Someone else saved this value after this page was loaded: it is now {first}" in conflict.text
        assert other.find_element("id", "value-input").get_attribute("value") == second  # kept in the form
        assert [r["reason"] for r in rows(corrections)][-1] == "first session"
        other.find_element("id", "btn-edit").click()  # saved again, on the version the conflict page shows
        wait_for(lambda: "saved" in other.find_element("css selector", ".flash.ok").text)
        mine = [r for r in rows(corrections) if sel(r) == sel(row) and r["study_id"] == STUDY]
        assert [(r["new_value"], r["reason"]) for r in mine][-2:] == [(first, "first session"), (second, "second session")]
    finally:
        other.quit()
