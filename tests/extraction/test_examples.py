"""The issue's required values on the example PDFs, with page and excerpt, and their screening."""

from __future__ import annotations

import pytest

from extraction.text import strip_ws


def rows(res, **kw):
    return [r for r in res.outcomes if all(str(r[k]) == str(v) for k, v in kw.items())]


def one(res, **kw):
    hits = rows(res, **kw)
    assert hits, f"no value for {kw}; have {[(r['arm_id'], r['outcome'], r['timepoint'], r['field'], r['value']) for r in res.outcomes]}"
    return hits[0]


def check(res, page, excerpt_part, value, **kw):
    r = one(res, **kw)
    assert float(r["value"]) == pytest.approx(value), (kw, r["value"])
    assert int(r["page"]) == page, (kw, r["page"])
    assert strip_ws(excerpt_part) in strip_ws(r["excerpt"]), (kw, r["excerpt"])


def test_tian2022_arms(example_results):
    res = example_results["tian2022_sacroplasty_rfa_ajnr.pdf"]
    arms = {a["arm_id"]: a for a in res.arms}
    assert set(arms) == {"psp_rfa", "psp"}
    assert arms["psp_rfa"]["label"] == "PSP + RFA"
    assert arms["psp_rfa"]["treatment_class"] == "ablation+sacroplasty"
    assert arms["psp"]["treatment_class"] == "sacroplasty"
    assert (arms["psp_rfa"]["n_patients"], arms["psp_rfa"]["n_lesions"]) == (51, 58)
    assert (arms["psp"]["n_patients"], arms["psp"]["n_lesions"]) == (75, 104)


def test_tian2022_values(example_results):
    res = example_results["tian2022_sacroplasty_rfa_ajnr.pdf"]
    for arm, base, post in (("psp_rfa", (7.43, 1.56), (2.25, 1.35)), ("psp", (7.45, 1.61), (3.02, 1.55))):
        check(res, 5, f"{base[0]} (SD, {base[1]})", base[0], arm_id=arm, outcome="pain", timepoint="baseline", field="mean")
        check(res, 5, f"{base[0]} (SD, {base[1]})", base[1], arm_id=arm, outcome="pain", timepoint="baseline", field="sd")
        check(res, 5, f"{post[0]} (SD, {post[1]})", post[0], arm_id=arm, outcome="pain", timepoint="d1", field="mean")
        check(res, 5, f"{post[0]} (SD, {post[1]})", post[1], arm_id=arm, outcome="pain", timepoint="d1", field="sd")
        assert one(res, arm_id=arm, outcome="pain", timepoint="d1", field="mean")["scale"] == "VAS10"
    check(res, 3, "10 (17.24)", 10, arm_id="psp_rfa", outcome="cement_leakage", field="events")
    check(res, 3, "20 (19.23)", 20, arm_id="psp", outcome="cement_leakage", field="events")
    assert float(one(res, arm_id="psp_rfa", outcome="cement_leakage", field="total")["value"]) == 58
    assert float(one(res, arm_id="psp", outcome="cement_leakage", field="total")["value"]) == 104
    assert one(res, arm_id="psp", outcome="cement_leakage", field="events")["unit"] == "lesions"
    check(res, 5, "No major complications", 0, arm_id="psp_rfa", outcome="complication_major", field="events")
    check(res, 5, "1 major complication", 1, arm_id="psp", outcome="complication_major", field="events")
    check(res, 5, "46 patients reported pain relief", 46, arm_id="psp_rfa", outcome="responder", timepoint="d1", field="events")
    assert float(one(res, arm_id="psp_rfa", outcome="responder", field="total")["value"]) == 51
    check(res, 5, "57 had pain relief", 57, arm_id="psp", outcome="responder", field="events")
    assert float(one(res, arm_id="psp", outcome="responder", field="total")["value"]) == 75


def test_cazzato2021_values(example_results):
    res = example_results["cazzato2021_sacral_ablation_fulltext.pdf"]
    arms = {a["arm_id"]: a for a in res.arms}
    assert arms["all"]["n_patients"] == 23 and arms["all"]["n_lesions"] == 23
    assert arms["all"]["treatment_class"] == "ablation"
    check(res, 2, "5 ± 1", 5, arm_id="all", outcome="pain", timepoint="baseline", field="mean")
    check(res, 2, "5 ± 1", 1, arm_id="all", outcome="pain", timepoint="baseline", field="sd")
    check(res, 2, "2 ± 2 (SD)", 2, arm_id="all", outcome="pain", timepoint="last", field="mean")
    check(res, 2, "2 ± 2 (SD)", 2, arm_id="all", outcome="pain", timepoint="last", field="sd")
    check(res, 2, "range: 4–8", 8, arm_id="all", outcome="pain", timepoint="baseline", field="max")
    check(res, 5, "IQR: 0–3", 3, arm_id="all", outcome="pain", timepoint="last", field="q3")
    assert one(res, arm_id="all", outcome="pain", timepoint="last", field="mean")["scale"] == "NPRS"
    check(res, 2, "Five (22%) minor complications", 5, arm_id="all", outcome="complication_minor", field="events")
    assert float(one(res, arm_id="all", outcome="complication_minor", field="total")["value"]) == 23
    check(res, 5, "Complications developed in 5 patients (5/23; 22%)", 5, arm_id="all", outcome="complication_any", field="events")
    check(res, 5, "(5/23; 22%)", 23, arm_id="all", outcome="complication_any", field="total")
    # local recurrence in the curative subgroup: kept on arm "all" with total 7 (see README)
    check(res, 2, "out of 7 (43%)", 3, arm_id="all", outcome="local_recurrence", field="events")
    check(res, 2, "out of 7 (43%)", 7, arm_id="all", outcome="local_recurrence", field="total")
    assert one(res, arm_id="all", outcome="local_recurrence", field="events")["unit"] == "lesions"


def test_screening_examples(example_results):
    st = {k: v.studies[0] for k, v in example_results.items()}
    assert st["tian2022_sacroplasty_rfa_ajnr.pdf"]["decision"] == "included"
    assert st["cazzato2021_sacral_ablation_fulltext.pdf"]["decision"] == "included"
    for f in ("ahmed2019_extraspinal_ablation_review.pdf", "cementoplasty_cryoablation_review.pdf"):
        assert st[f]["document_type"] == "review"
        assert st[f]["decision"] == "excluded"
        assert st[f]["reason"].startswith("review article, not a primary study")
    ab = st["cazzato2021_sacral_ablation_abstract.pdf"]
    assert ab["document_type"] == "abstract" and ab["decision"] == "excluded"
    assert st["tian2022_sacroplasty_rfa_ajnr.pdf"]["doi"] == "10.3174/ajnr.A7587"
    assert st["tian2022_sacroplasty_rfa_ajnr.pdf"]["study_id"] == "tian2022"
    assert st["cazzato2021_sacral_ablation_fulltext.pdf"]["study_id"] == "cazzato2021"


def test_merge_flags_abstract_duplicate(example_results, tmp_path):
    from extraction.cli import _write_result
    from extraction.merge import merge_dirs

    dirs = []
    for name, res in sorted(example_results.items()):
        d = tmp_path / name
        d.mkdir()
        _write_result(res, d)
        dirs.append(d)
    merged = merge_dirs(dirs, tmp_path / "merged")
    st = merged["studies"].set_index("source_file")
    ab = st.loc["cazzato2021_sacral_ablation_abstract.pdf"]
    assert ab["document_type"] == "abstract" and ab["decision"] == "excluded"
    assert ab["duplicate_of"] == "cazzato2021"
    assert ab["reason"].startswith("duplicate of cazzato2021 (abstract page of the same paper")
    assert ab["study_id"] == "cazzato2021_abstract"
    assert st.loc["cazzato2021_sacral_ablation_fulltext.pdf", "study_id"] == "cazzato2021"
    assert sorted(st[st["decision"] == "included"].index) == ["cazzato2021_sacral_ablation_fulltext.pdf", "tian2022_sacroplasty_rfa_ajnr.pdf"]
    out = merged["outcomes"]
    assert set(out["study_id"]) >= {"cazzato2021", "cazzato2021_abstract", "tian2022"}
    assert (tmp_path / "merged" / "completeness.tsv").exists()
