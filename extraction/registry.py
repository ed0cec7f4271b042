"""The registry of extraction rules: each rule's name (the ``extractor`` written on every row it
makes), where it lives, what it does, one text it reads and one it must not read.

``python -m extraction.registry`` writes docs/rules.md from it (``--check``: exit 1 when the page
differs); a test fails when the page drifts, when code writes an extractor name that is not
registered, or when a count rule's example or counter-example stops behaving as documented.
The examples are synthetic sentences, not quotations of a paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PAGE = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


@dataclass(frozen=True)
class Rule:
    name: str  # the ``extractor`` value of the rows it writes
    module: str
    does: str
    example: str  # a text it reads -> what it gives
    counter: str  # a text it must not read (and why)
    group: str = ""


def _count(kind: str, does: str, example: str, counter: str) -> Rule:
    return Rule(f"text.count_{kind}", "extraction/patterns.py (COUNT_PATTERNS) + rules.count_values", does,
                example, counter, "Event counts in running text")


RULES: tuple[Rule, ...] = (
    # ---------------------------------------------------------------- reading and screening
    Rule("read.unreadable", "extraction/extract.py", "An unreadable PDF (encrypted, corrupt, no text layer, glyph codes "
         "without a Unicode map) becomes a problems row and an excluded study with the reason; the other PDFs go on.",
         "a password-protected PDF -> studies row `excluded`, reason `unreadable: ... password ...`",
         "a PDF whose owner password only restricts copying: it opens and is read", "Reading and screening"),
    Rule("screen.primary", "extraction/screening.py", "A primary report: the document's own patients enrolled / "
         "randomised / treated, allocation, a self-stated design, or ethics approval with methods and results sections.",
         "\"Eighteen adults were enrolled in this open-label, phase 1 study\" -> primary, included",
         "\"A recent prospective randomised trial showed no benefit\" (a cited design is not the document's own)",
         "Reading and screening"),
    Rule("screen.review", "extraction/screening.py", "A review: title \"systematic review\" / \"meta-analysis\", a "
         "literature search with meta-analytic statistics (or without allocation/ethics of its own), or a review "
         "statement about the document with little primary evidence.",
         "\"We searched PubMed and Embase ... a random-effects model\" -> review, excluded",
         "a trial's \"Evidence before this study: we searched MEDLINE\" panel with its own randomisation and ethics",
         "Reading and screening"),
    Rule("screen.abstract", "extraction/screening.py", "An abstract-only record: under 1,200 words, or two pages "
         "without methods and results sections of its own.",
         "a one-page conference abstract -> abstract, excluded",
         "a two-page research letter with Methods and Results sections and 1,500 words (a full report)",
         "Reading and screening"),
    Rule("screen.other", "extraction/screening.py", "None of the above: no patients enrolled, allocated or treated "
         "(manuals, editorials); excluded as not a clinical study report.",
         "a software installation guide -> other, excluded",
         "any document with a primary category (it is typed primary, never `other`)", "Reading and screening"),
    # ---------------------------------------------------------------- arms
    Rule("arm.definition", "extraction/rules.py (find_arms, allocation_arms, group_assignments, allocated_sizes, single_arm)", "Arms and "
         "their n from group definitions, allocation sentences (also one listing lettered groups: \"N were assigned to "
         "group A, M to group B\"), and table headers with two or more \"label (n = N)\" cells; labels that differ only by "
         "a sign marker \"(+)\" / \"(−)\" are two arms; an abbreviated arm is also named by the words the text defines "
         "it with; \"N patients were randomized to X ..., and M to Y ...\" naming known arms gives their sizes (over a smaller "
         "header n). A single cohort's n is its earliest statement (\"a total of N [adjectives] patients\", not a "
         "screened number).",
         "header `Drug A (n = 8) | Placebo (n = 9)` -> arms Drug A (8), Placebo (9)",
         "header `Lost to follow-up (n = 3) | Discontinued (n = 2)` or `2weeks (n = 40) | 8weeks (n = 38)` (flow-chart "
         "boxes are not arms); `Alive (n = 9) | Expired (n = 4)` (a cohort split by its outcome); \"performed in 3/12\" "
         "(a verb phrase is no subgroup)", "Arms"),
    Rule("arm.subgroup", "extraction/rules.py (subgroup_definition, subgroup_reference)", "A subgroup defined by one "
         "sentence and referred to by the next (\"In this group ...\"), kept as an arm only when a value is read for it.",
         "\"Five patients stopped their therapy. In this group, the mean pain score was 4.1\" -> subgroup of 5",
         "\"In this group of studies ...\" without a defining sentence before it", "Arms"),
    Rule("arm.size", "extraction/extract.py", "The denominator of an events count from its arm's size when the "
         "sentence prints none.", "arm of 9 patients, \"complications occurred in 2 patients\" -> total 9",
         "an events count larger than the arm's size (no denominator is written)", "Arms"),
    Rule("arm.default", "extraction/extract.py", "An arm row without a printed location (a single-arm study's "
         "cohort whose n was not found), at low confidence.", "a case series with no \"N patients\" sentence -> arm `all`",
         "an arm whose n or label is printed (it gets `arm.definition` with its box)", "Arms"),
    Rule("arm.table_header", "extraction/extract.py (_add_scored)", "An arm named only by a table column header "
         "that the scorer accepted values for.", "a results table with columns `Early | Delayed` -> arms Early, Delayed",
         "columns `p value`, `Difference`, `Total` (not arms)", "Arms"),
    # ---------------------------------------------------------------- counts
    _count("n_paren_frac", "A count with its fraction and percentage in brackets.",
           "\"5 patients (5/8; 62.5%) had complications\" -> events 5, total 8, percent 62.5",
           "\"5 patients (4/8)\": the bracket's numerator disagrees with the count"),
    _count("out_of", "\"k [noun] out of N\" with an optional percentage.",
           "\"3 lesions out of 7 (43%) progressed locally\" -> events 3, total 7, percent 43",
           "\"8 out of 5\": more events than the total"),
    _count("frac", "A fraction k/N with optional percentage and noun.",
           "\"complications in 4/9 (44%) patients\" -> events 4, total 9, percent 44",
           "\"a gap of 4/9 mm\": a unit follows (a measure, not a count)"),
    _count("of", "\"k of N patients\".", "\"Seven of 9 patients had a minor complication\" -> events 7, total 9",
           "\"one of the patients\" without a number N"),
    _count("n_pct", "A count with its percentage.", "\"Six (7.5%) major complications\" -> events 6, percent 7.5",
           "\"6 (150%)\": a percentage above 100"),
    _count("n_noun_pct", "\"k patients (p%)\".", "\"4 patients (40%) reported pain relief\" -> events 4, percent 40",
           "\"4 years (40%)\": a duration"),
    _count("n_noun", "\"k patients\" next to the outcome words.", "\"Complications developed in 3 patients\" -> events 3",
           "\"3 months after the procedure\": a duration"),
    _count("n_verb", "\"k had / reported / developed\".", "\"While 5 had pain relief, 2 did not\" -> events 5",
           "\"grade 3 toxicity\": a grade, not a count"),
    _count("n_pct_of_prior", "A count with percentage whose denominator is a preceding \"N procedures were "
           "performed\", accepted when k/N is the printed percentage.",
           "\"8 procedures were performed and 2 (25%) had complications\" -> events 2, total 8",
           "\"8 procedures were performed and 3 (25%) had ...\": 3/8 is not 25%, no total"),
    _count("n_before_keyword", "A bare number right before the outcome words.",
           "\"There were 2 complications\" -> events 2",
           "\"grade 3 complications\": a grade, not a count"),
    Rule("text.negation", "extraction/rules.py (count_values, _negation_scope)", "A zero count from \"no ... "
         "occurred\" for the arm named, the only arm, or every arm when the statement is study-wide.",
         "\"No major complications occurred in group A\" -> group A, complication_major events 0",
         "\"showed no higher reoperation rate\" (a comparison, not a zero count)", "Event counts in running text"),
    Rule("text.percent_versus", "extraction/rules.py (count_values)", "Two percentages compared (\"p% versus q%\") "
         "after two arm names, in arm order.", "\"better in group A than in group B (90% versus 76%)\" -> A 90, B 76",
         "a single-arm study (no two arms to give them to)", "Event counts in running text"),
    Rule("text.listed_events", "extraction/rules.py (_listed_events)", "A coordinated list of counted events ending "
         "in a complication word with a percentage of patients: the sum, when it agrees with the arm's size.",
         "arm of 8: \"one bleeding and one minor access complication (25%)\" -> complication_any events 2",
         "a list whose sum over the arm's size is not the printed percentage", "Event counts in running text"),
    Rule("text.minor_after_no_major", "extraction/rules.py (_minor_after_no_major)", "An access-site event right "
         "after a study-wide \"No major complications occurred.\": a minor complication.",
         "\"No major complications occurred. One patient in group B developed a groin haematoma.\" -> minor 1",
         "the same event sentence without the \"no major complications\" sentence right before it",
         "Event counts in running text"),
    # ---------------------------------------------------------------- continuous values in prose
    *(Rule(f"text.{kind}", "extraction/patterns.py + rules.pain_values", does, ex, counter, "Scored outcomes in running text")
      for kind, does, ex, counter in (
          ("mean_sd", "A scored outcome's mean ± SD (or mean (SD)) next to its instrument words.",
           "\"mean VAS decreased from 7.2 ± 1.1 to 2.9 ± 1.4\" -> baseline and follow-up mean, sd",
           "\"VAS (0-10) ... age 7.2 ± 1.1 years\": a value with a unit other than the scale's"),
          ("median_iqr", "A median with its interquartile range.", "\"median NRS 3 (IQR 2-5) at one month\" -> median, q1, q3",
           "a median of a duration (\"median follow-up 6 (4-9) months\")"),
          ("mean_range", "A mean with its range.", "\"mean pain score 4.2 (range 1-8)\" -> mean, min, max",
           "a range of ages"),
          ("median_range", "A median with its range.", "\"median VAS 2 (range 0-6)\" -> median, min, max",
           "a range of months"),
          ("value", "A bare score right after \"mean\" / \"median\".", "\"the mean VAS was 3.4 at 6 months\" -> mean 3.4",
           "\"VAS 3.4\" without \"mean\" or \"median\" before it (not known to be a mean)"),
      )),
    # ---------------------------------------------------------------- tables and the scorer
    Rule("table.cell_stat", "extraction/tables.py", "A table cell's statistic (mean ± SD, median [IQR], ...) for "
         "the arm of its column and the outcome of its row label, at the row's time point.",
         "row `Pain score, 1 month` / column `Drug A (n = 8)`: `3.1 ± 1.2` -> Drug A, mean 3.1, sd 1.2, m1",
         "a column whose header is `p value` or `Difference`", "Tables and the scorer"),
    Rule("table.cell_count", "extraction/tables.py", "A table cell's count \"n (%)\" or \"n/N\" for the row's event "
         "outcome and the column's arm.", "row `Minor complications` / `2 (25)` -> events 2, percent 25",
         "a row of another outcome than the review's", "Tables and the scorer"),
    Rule("scorer.table", "extraction/scorer.py (model/scorer.json)", "A table-cell candidate accepted by the trained "
         "scorer (outcome, field and arm from its context features); below the threshold it is a suggestion.",
         "row `Age, years` / `61 ± 9` -> age mean 61, sd 9", "a p-value column's cell (arm feature `not_arm`)",
         "Tables and the scorer"),
    Rule("candidate.table", "extraction/candidates.py", "A table cell's parsed statistic with its context (row "
         "label, header, caption), before scoring; below the scorer's threshold it goes to suggestions.tsv with its box.",
         "cell `12 (15)` in row `Readmission` -> candidate events 12, percent 15",
         "a cell with no number (a heading row)", "Tables and the scorer"),
    Rule("candidate.prose", "extraction/candidates.py", "A sentence's parsed statistic (also counts in words, zero "
         "counts \"no deaths\", \"p% (k of N)\") with its subject (else the words after it, else the subject of the "
         "statistic next to it) and its arm: the arm named right after it with only joining words between, \"in each "
         "group\" (every arm), \"respectively\" (arms in order), the arm named right before it, else the nearest; the "
         "section heading goes with it (a count of patients with an event under \"Safety\", or listed after \"complications ...:\", "
         "is an adverse event). "
         "Before scoring; below the threshold it is a suggestion.",
         "\"Hospital stay was 4 ± 2 days\" -> candidate mean 4, sd 2; \"Seven patients in the X group had nausea compared "
         "with 4 in the Y group\" -> X events 7, Y events 4",
         "a sentence in the reference list; \"no significant difference in deaths\" (no zero count)", "Tables and the scorer"),
    Rule("scorer.prose", "extraction/scorer.py (model/scorer.json)", "A prose candidate (a parsed statistic with its "
         "sentence subject) accepted by the scorer.", "\"Mean follow-up was 14 ± 5 months\" -> follow_up mean 14, sd 5",
         "a number in the reference list or the discussion", "Tables and the scorer"),
)


def names() -> set[str]:
    return {r.name for r in RULES}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    lines = ["# Extraction rules", "",
             "Generated by `python -m extraction.registry` from `extraction/registry.py`; do not edit by hand.",
             "Each rule's name is the `extractor` column of the rows it writes (outcomes, arms, studies).", ""]
    group = None
    for r in RULES:
        if r.group != group:
            group = r.group
            lines += [f"## {group}", "", "| rule | module | what it does | example | counter-example |",
                      "| --- | --- | --- | --- | --- |"]
        lines.append(f"| `{r.name}` | {_cell(r.module)} | {_cell(r.does)} | {_cell(r.example)} | {_cell(r.counter)} |")
        nxt = RULES[RULES.index(r) + 1].group if RULES.index(r) + 1 < len(RULES) else None
        if nxt != group:
            lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from evidence.reference import generated_page_main

    return generated_page_main(argv, module="extraction.registry", page=PAGE, render=render,
                               description="Write docs/rules.md.")


if __name__ == "__main__":
    raise SystemExit(main())
