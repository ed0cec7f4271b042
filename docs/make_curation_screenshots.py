"""Screenshots of the curation web app at 1366x768: ``docs/images/curation_*.png``.

    PYTHONPATH=. python docs/make_curation_screenshots.py [--out docs/images]

Works on a temporary copy of the bundled example (extracted for real when the copy has no
extracted tables), with two curators' files made up from its extracted values for the dual view.
Needs Debian's chromium and chromium-driver (``make install``).
"""

from __future__ import annotations

import argparse
import csv
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sacral"
STUDY = "tian2022"


def _review(tmp: Path) -> Path:
    review = tmp / "sacral"
    shutil.copytree(EXAMPLE, review, ignore=shutil.ignore_patterns("literature", "seeds", "*.py", "curation"))
    if not (review / "results/tables/extracted/studies.tsv").is_file():
        subprocess.run([sys.executable, "-m", "evidence.srtk", "run", str(review), "--cores", "2", "tables/outcomes.tsv"],
                       check=True, cwd=tmp)
    return review


def _curators(review: Path) -> None:
    """Two curators who disagree on a few of the study's extracted values (for the dual view)."""
    rows = [r for r in csv.DictReader(open(review / "results/tables/extracted/outcomes.tsv"), delimiter="\t")
            if r["study_id"] == STUDY and r["page"] and r["outcome"] == "pain"]
    header = "study_id,arm_id,outcome,timepoint,field,old_value,new_value,curator,date,reason"
    region = ("origin", "source_file", "page", "x0", "top", "x1", "bottom", "excerpt")
    for name, step, day in (("ana", 0.0, 20), ("ben", 1.0, 21)):
        lines = []
        for i, r in enumerate(rows[:4]):
            line = (f"{r['study_id']},{r['arm_id']},{r['outcome']},{r['timepoint']},{r['field']},{r['value']},"
                    f"{float(r['value']) + step + (i % 2) * 0.1:g},{name},2026-11-{day},read in the table")
            if name == "ben":  # ben captured his values on the page
                line += "," + ",".join(["curated-from-pdf"] + [f'"{r[c]}"' for c in region[1:]])
            lines.append(line + "\n")
        head = header + ("," + ",".join(region) if name == "ben" else "")
        (review / f"{name}.csv").write_text(head + "\n" + "".join(lines))


def _serve(review: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "evidence.srtk", "curate", "serve", str(review), "--port", str(port),
                               "--curator", "ana"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/", timeout=5)
            return server, url
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the curation server did not start")


def _browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1366, "height": 768, "deviceScaleFactor": 1, "mobile": False})
    return driver


def _loaded(driver) -> None:
    for _ in range(100):
        if driver.execute_script("const i = document.getElementById('page-image'); return !i || i.naturalWidth > 0"):
            time.sleep(0.3)
            return
        time.sleep(0.1)


def _drag_number(driver, review: Path) -> None:
    """Drag over a whole number printed in the study's PDF (read with pdfplumber)."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    pdf = next((review / "pdfs").glob(f"{STUDY}*.pdf"))
    page_number = int(driver.find_element("id", "pageview").get_attribute("data-page"))
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[page_number - 1]
        word = next(w for w in page.extract_words() if re.fullmatch(r"\d{1,3}", w["text"]) and w["top"] > 150)
        width = float(page.width)
    view = driver.find_element("id", "pageview")
    image = driver.find_element("id", "page-image")
    shown = driver.execute_script("return arguments[0].getBoundingClientRect().width", image)
    driver.execute_script("arguments[0].scrollTop = arguments[1]", view, word["top"] * shown / width - 120)
    left, top = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.top]", image)
    k = shown / width
    x0, y0 = round(left + (word["x0"] - 3) * k), round(top + (word["top"] - 3) * k)
    x1, y1 = round(left + (word["x1"] + 3) * k), round(top + (word["bottom"] + 3) * k)
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(x0, y0).pointer_down().move_to_location(x1, y1).pointer_up()
    actions.perform()
    time.sleep(1.0)


def _edit(driver, value: str, reason: str) -> None:
    """Type ``value`` and ``reason`` into the selected value's form and save it (Enter)."""
    field = driver.find_element("id", "value-input")
    field.clear()
    field.send_keys(value)
    driver.find_element("id", "reason-input").send_keys(reason + "\n")
    for _ in range(100):
        if driver.find_elements("css selector", ".flash"):
            break
        time.sleep(0.1)
    _loaded(driver)


def _post_elsewhere(url: str, driver) -> None:
    """Save an edit of the selected value as another curator would, from the form's own version."""
    form = {e.get_attribute("name"): e.get_attribute("value")
            for e in driver.find_elements("css selector", "#action-form input[name]")}
    current = float(form["value"])
    form.update(action="edit", value=f"{current + 1:g}", reason="second curator: table 2", curator="ben")
    urllib.request.urlopen(urllib.request.Request(f"{url}/study/{STUDY}/set", data=urllib.parse.urlencode(form).encode()), timeout=30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        review = _review(Path(tmp))
        _curators(review)
        server, url = _serve(review)
        driver = _browser()
        try:
            shots = []
            driver.get(url + "/")
            shots.append("studies")
            driver.save_screenshot(str(args.out / "curation_studies.png"))
            driver.get(f"{url}/study/{STUDY}")
            _loaded(driver)
            rows = driver.find_elements("css selector", "#values tbody tr[data-id]")
            pain = next(r for r in rows if ":pain:baseline:mean" in r.get_attribute("data-id"))
            chosen_value = url + pain.get_attribute("data-href")
            driver.get(chosen_value)
            _loaded(driver)
            driver.save_screenshot(str(args.out / "curation_study.png"))
            shots.append("study")
            driver.get(f"{url}/study/{STUDY}?filter=missing")
            chosen = driver.find_element("css selector", "tr.sel").get_attribute("data-id")
            driver.get(f"{url}/study/{STUDY}?filter=missing&sel={chosen}&page=3")
            _loaded(driver)
            _drag_number(driver, review)
            driver.save_screenshot(str(args.out / "curation_capture.png"))
            shots.append("capture")
            driver.get(f"{url}/dual?a=ana.csv&b=ben.csv")
            driver.save_screenshot(str(args.out / "curation_dual.png"))
            shots.append("dual")
            driver.get(chosen_value)  # a pain score out of its scale's range: refused, nothing written
            _loaded(driver)
            _edit(driver, "14", "typo in the table")
            driver.save_screenshot(str(args.out / "curation_error.png"))
            shots.append("error")
            driver.get(chosen_value)  # another curator saves this value while the form is open: 409
            _loaded(driver)
            _post_elsewhere(url, driver)
            _edit(driver, f"{float(driver.find_element('id', 'value-input').get_attribute('value')) + 0.5:g}",
                  "table 2, second row")
            driver.save_screenshot(str(args.out / "curation_conflict.png"))
            shots.append("conflict")
        finally:
            driver.quit()
            server.terminate()
            server.wait(timeout=20)
    for name in shots:
        print(args.out / f"curation_{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
