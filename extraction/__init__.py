"""Reading study PDFs, screening them and extracting outcome fields with provenance.

Modules (one job each):

* ``pdf``        — the only module importing pdfplumber (and pypdfium2): words, chars, ruled
                   tables, page-by-page with ``page.close()``; unreadable files → ``UnreadablePDF``
                   with a reason (password, not a PDF, no text layer, (cid:N) glyphs).
* ``text``       — glyph normalisation (ligatures, OUP "¼"/"," defects, middle-dot decimals).
* ``layout``     — reading order (gutter detection, full-width bands, running headers/footers,
                   superscripts, de-hyphenation) and the text stream mapping characters to words.
* ``patterns``   — statistic and count grammar (mean ± SD, mean (SD, x), median [IQR],
                   median (range), n/N (x%), n of N, n out of N, "Five (22%)").
* ``rules``      — arms (group definitions, randomisation sentences, table headers), treatment
                   classes (keyword table), pain / responder / complication / recurrence / leakage
                   rules on sentences, time points via ``evidence.vocabulary.timepoint_key``.
* ``prose``      — layout helper for the sentence rules: running text swallowed by a
                   page-wide table box is read without the table's cells.
* ``grid``       — tables without rules, rebuilt from word positions under a "Table N" caption.
* ``tables``     — the same outcomes from table cells (ruled and rebuilt tables; multi-row
                   headers, "Total" rows named by the caption, "31 (29, 13.7%)" cells).
* ``screening``  — primary / review / abstract / other with evidence; title, DOI, design, ...
* ``provenance`` — page, box and verbatim excerpt (the text of ``page.crop(box)``).
* ``extract``    — one document → rows of the five tables + fingerprint.json.
* ``merge``      — combine per-PDF outputs, duplicate detection, unique study ids.
* ``qa``         — the document QA table (every document that gives no values, with the reason
                   and a suggestion) and the same file under two names (read once).
* ``cli``/``__main__`` — ``python -m extraction extract|merge|debug-png``.
* ``debug``      — PNG of a page with the extracted values' boxes.
* ``scoring``    — precision / recall against hand-made gold annotations.

Decisions worth knowing:

* One value per (arm, outcome, timepoint, field): the first in page order wins (a table before the
  results text); a later different value is noted in completeness.tsv, a later equal one (17 vs
  17.24 after rounding) is dropped.
* A count for a named subgroup ("following RFA (4/5; 80%)", "receiving palliative treatments
  (4/16; 25%)") creates a subgroup arm with n = the printed denominator. A subgroup denominator
  printed without a label (Cazzato: "3 metastases out of 7 (43%) undergoing curative ablation")
  stays on arm ``all`` with total 7.
* A count without a printed denominator gets ``total`` = the arm's n_patients (or n_lesions when
  the unit is lesions), with the provenance of the arm size.
* Discussion and reference sections are not read for values (they quote other studies), except
  Results text that a page-wide table box put after the Discussion heading in the stream.
* A negated complication sentence that names no arm ("No major procedure related complications
  occurred.") gives a zero to every arm of a comparative study only when the whole sentence is
  such a study-wide statement; "No severe complication related to <treatment>" only to the arm
  that received <treatment>; anything else gives no zero.
* A comparative / randomised study whose arms are not recognised gets no arms and no values
  (rather than values pooled on a wrong ``all`` arm). Like every primary study without values it
  stays *included*, with a reason asking for extraction by hand: screening sorts documents by
  type, and a study is never dropped because the rules found nothing in it.
"""
