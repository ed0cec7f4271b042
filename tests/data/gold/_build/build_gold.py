"""Build a gold JSON from a hand-written spec; checks each excerpt occurs on its page (whitespace-insensitive)."""
import json, sys, re, importlib.util, pathlib
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[4]))
from evidence.vocabulary import timepoint_key, OUTCOMES, FIELDS, TREATMENT_CLASSES
import pdfplumber

def norm(s):
    s = s.replace("\u2212", "-").replace("\u2013", "-").replace("\u00b1", "+-")
    return re.sub(r"\s+", "", s).lower()

def build(spec_path):
    ns = {}
    exec(open(spec_path).read(), ns)
    S = ns["SPEC"]
    pdf = S["pdf"]
    if not pathlib.Path(pdf).is_absolute():  # relative spec paths are taken from the repository root
        pdf = str(pathlib.Path(__file__).resolve().parents[4] / pdf)
    pages = {}
    with pdfplumber.open(pdf) as doc:
        for i, p in enumerate(doc.pages, 1):
            pages[i] = norm(p.extract_text() or "")
    import subprocess
    ptxt = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True, text=True).stdout.split("\f")
    pages2 = {i: norm(t) for i, t in enumerate(ptxt, 1)}
    problems = []
    def check(ex, page, what):
        n = norm(ex)
        if n not in pages.get(page, "") and n not in pages2.get(page, ""):
            problems.append(f"{what}: excerpt not found on page {page}: {ex!r}")
    for a in S["arms"]:
        assert a["treatment_class"] in TREATMENT_CLASSES, a
    values = []
    for v in S["values"]:
        arm, outcome, tl, field, value, page, excerpt = v[:7]
        extra = dict(v[7]) if len(v) > 7 else {}
        assert outcome in OUTCOMES, v
        assert field in FIELDS, v
        manual = extra.pop("timepoint", None)
        try:
            tp = timepoint_key(tl)[0]
            if manual is not None and manual != tp:
                extra["timepoint_semantic"] = manual
        except ValueError:
            if manual is None:
                raise
            tp = manual
            extra["timepoint_by_hand"] = True
        assert len(excerpt) <= 120, excerpt
        check(excerpt, page, f"{arm}/{outcome}/{field}={value}")
        if f"{value:g}" not in excerpt.replace("·", ".") and not extra.get("value_not_in_excerpt"):
            print("WARN value not in excerpt", arm, outcome, field, value, repr(excerpt))
        extra.pop("value_not_in_excerpt", None)
        for ap in extra.get("also_pages", []):
            pass
        d = {"arm": arm, "outcome": outcome, "timepoint": tp, "timepoint_label": tl, "field": field,
             "value": value, "page": page, "excerpt": excerpt, "also_pages": extra.pop("also_pages", [])}
        d.update(extra)
        sub = {a["arm"]: a.get("subgroup_of") for a in S["arms"]}
        if sub.get(arm):
            d["subgroup"] = True
        if arm not in sub and arm != "all":
            problems.append(f"value arm {arm!r} not in arms")
        values.append(d)
    keys = [(v["arm"], v["outcome"], v["timepoint"], v["field"], v["value"]) for v in values]
    dups = {k for k in keys if keys.count(k) > 1}
    if dups:
        problems.append(f"duplicate keys: {dups}")
    out = {"source_file": pathlib.Path(pdf).name, "annotator": "gold-annotator (hand-read)",
           "method": S.get("method", "read from rendered pages at 80 dpi and pdftotext/pdfplumber text; values checked twice"),
           "notes": S["notes"], "study": S["study"], "arms": S["arms"], "values": values}
    for k in ("held_out", "annotated", "redistributable"):  # optional top-level keys, kept only when the spec has them
        if k in S:
            out[k] = S[k]
    stem = pathlib.Path(pdf).stem
    dest = pathlib.Path(__file__).resolve().parents[1] / f"{stem}.json"
    dest.parent.mkdir(parents=True, exist_ok=True)
    for p in problems:
        print("PROBLEM", p)
    if problems and "--force" not in sys.argv:
        print("not written"); return
    dest.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {dest}: {len(S['arms'])} arms, {len(values)} values")

build(sys.argv[1])
