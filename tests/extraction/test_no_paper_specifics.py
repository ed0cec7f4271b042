"""No rule, lexicon default, pattern or scorer feature names a specific paper, author, drug or
number: the rule tables generalise, they do not memorise the annotated corpus.

Scanned: every string constant of the extraction modules and of the vocabulary package (the
tables of rules, patterns, lexicon defaults and the scorer's features; docstrings and comments are
prose, not tables), and the shipped model's feature names and word vocabulary
(extraction/model/scorer.json, written by extraction/train.py). Forbidden:

* first-author surnames of every annotated PDF (the corpus file names start with them);
* drug names: words with an international non-proprietary name stem, and the acronyms and drug
  words of the annotated arms' labels;
* literal years and literal numbers other than generic ones (confidence level 95, quartiles 25/75,
  magnitudes 10/100/1000, the hash name sha256); the rule catalogue's synthetic examples
  (extraction/registry.py) are exempt from this one.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLD_DIRS = (ROOT / "tests" / "data" / "corpus" / "gold", ROOT / "tests" / "data" / "gold")
MODULES = sorted((ROOT / "extraction").glob("*.py")) + sorted((ROOT / "vocab").glob("*.py"))
MODEL = ROOT / "extraction" / "model" / "scorer.json"

INN_STEM = re.compile(
    r"(?i)\b[a-z]{3,}(?:mab|nib|gliflozin|glutide|gliptin|olol|pril|sartan|statin|azole|cillin|mycin|floxacin|"
    r"kalant|tilide|darone|parin|xaban|gatran|prazole|dipine|tiazem|afil|oxetine|zepam|caine|profen|dectin|platin|"
    r"taxel|rubicin|relin|tinib|lukast|conazole|vudine|navir|setron)\b"
)
GENERIC_NUMBERS = {"10", "25", "75", "95", "100", "1000", "256"}


def _string_constants(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                docs.add(id(first.value))
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def _tables() -> list[tuple[str, str]]:
    """(where, text) of every scanned table entry."""
    out = [(f"{p.relative_to(ROOT)}:{line}", s) for p in MODULES for line, s in _string_constants(p)]
    model = json.loads(MODEL.read_text(encoding="utf-8"))
    out += [(f"{MODEL.name} feature", f) for f in model["features"]]
    out += [(f"{MODEL.name} vocabulary", w) for w in model["vocabulary"]]
    return out


def _gold_files() -> list[Path]:
    return [g for d in GOLD_DIRS for g in sorted(d.glob("*.json"))]


def _surnames() -> set[str]:
    names = {re.split(r"[_\d.]", g.name)[0].lower() for g in _gold_files()}
    return {n for n in names if len(n) >= 4}


def _arm_words() -> set[str]:
    """Acronyms and drug words of the annotated arms' labels ("CFAE", "HSCT", "vernakalant")."""
    words = set()
    for g in _gold_files():
        for arm in json.loads(g.read_text(encoding="utf-8")).get("arms", []):
            label = str(arm.get("arm") or "")
            words |= {w.lower() for w in re.findall(r"\b[A-Z]{3,}\b", label) if not re.fullmatch(r"[IVX]+", w)}  # not "III"
            words |= {m.group(0).lower() for m in INN_STEM.finditer(label)}
    return words


def _words(text: str) -> set[str]:
    """The words of a table entry; regex escapes ("\\b", "\\s") are not letters of a word."""
    t = re.sub(r"\\[a-zA-Z]", " ", text).lower()
    return set(re.findall(r"[a-z]+", t)) | set(re.findall(r"[a-z]+(?:-[a-z]+)+", t))


def _word_hits(text: str, words: set[str]) -> list[str]:
    return sorted(_words(text) & words)


def _literal_numbers(text: str) -> list[str]:
    t = re.sub(r"\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}", "", text)  # escaped characters
    t = re.sub(r"\(\?:19\|20\)|\b(?:19|20)(?=\[)", "", t)  # year shapes ("(?:19|20)\d\d"), not years
    t = re.sub(r"\\[a-zA-Z]|\{\d+(?:,\d*)?\}|\[[^\]]*\]", "", t)  # regex classes and quantifiers
    return [n for n in re.findall(r"(?<![\d.])\d{2,}(?:\.\d+)?(?![\d.])", t) if n not in GENERIC_NUMBERS]


def test_the_forbidden_lists_are_not_empty():
    # the scan must be able to fail: it knows the corpus's authors and the arms' drug words
    assert len(_surnames()) >= 40 and {"kawai", "schmidt"} <= _surnames()
    assert {"vernakalant", "empagliflozin"} <= _arm_words()
    assert _word_hits("(?i)\\bkawai\\b", _surnames()) == ["kawai"]
    assert INN_STEM.search("the ibutilide arm") and _literal_numbers(r"\(n\s*=\s*51\)") == ["51"]
    assert _literal_numbers(r"\b(19[5-9]\d|20[0-4]\d)\b") == [] and _literal_numbers("in 2014") == ["2014"]


@pytest.mark.parametrize("kind", ["author surname", "drug or arm name", "literal number"])
def test_no_table_names_a_paper_author_drug_or_number(kind):
    surnames, arm_words = _surnames(), _arm_words()
    found = []
    for where, text in _tables():
        if kind == "author surname":
            hits = _word_hits(text, surnames)
        elif kind == "drug or arm name":
            hits = _word_hits(text, arm_words) + [w for w in _words(text) if INN_STEM.fullmatch(w)]
        elif where.startswith("extraction/registry.py"):
            continue  # the rule catalogue's examples print synthetic numbers (docs/rules.md), not rules
        else:
            hits = _literal_numbers(text)
        if hits:
            found.append(f"{where}: {hits} in {text[:80]!r}")
    assert not found, "\n".join(found)
