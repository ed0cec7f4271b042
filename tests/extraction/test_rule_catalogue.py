"""docs/rules.md is generated from the rule registry (extraction/registry.py) and must not drift:
every extractor name the code writes is registered, every registered name is written by the code,
and each count rule's example and counter-example behave as the catalogue says."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from extraction import registry
from extraction.patterns import COUNT_PATTERNS, find_counts

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"^(?:text|table|arm|screen|read|scorer|candidate)\.[a-z_]*[a-z]$")
NOT_NAMES = {"scorer.json"}  # the model's file name


def test_rules_page_is_up_to_date():
    assert registry.PAGE.read_text(encoding="utf-8") == registry.render(), (
        "docs/rules.md is out of date; run: python -m extraction.registry")


def test_check_mode_fails_on_a_drifted_page(tmp_path):
    stale = tmp_path / "rules.md"
    stale.write_text(registry.render().replace("text.negation", "text.negated"), encoding="utf-8")
    assert registry.main(["--check", "--out", str(stale)]) == 1
    assert registry.main(["--check"]) == 0


def _written_names() -> set[str]:
    """Extractor names the code writes: literal names, plus the names built from a kind
    (count kinds, statistic kinds, screening types, candidate sources)."""
    names: set[str] = set()
    count_kinds = {kind for kind, _ in COUNT_PATTERNS}
    stat_kinds: set[str] = set()
    for path in sorted((ROOT / "extraction").glob("*.py")):
        if path.name == "registry.py":
            continue
        src = path.read_text(encoding="utf-8")
        tree = ast.parse(src)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and NAME.match(node.value) \
                    and node.value not in NOT_NAMES:
                names.add(node.value)
            # Count(start, end, events, total, percent, noun, "kind")
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Count" and len(node.args) == 7:
                last = node.args[6]
                if isinstance(last, ast.Constant) and isinstance(last.value, str):
                    count_kinds.add(last.value)
            # st.kind = "mean_sd" | f"{key}_range" for key in mean / median
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr == "kind" for t in node.targets):
                if isinstance(node.value, ast.Constant) and path.name == "patterns.py":
                    stat_kinds.add(node.value.value)
                elif isinstance(node.value, ast.JoinedStr) and path.name == "patterns.py":
                    stat_kinds |= {"mean_range", "median_range"}
    rules = (ROOT / "extraction" / "rules.py").read_text(encoding="utf-8")
    extract = (ROOT / "extraction" / "extract.py").read_text(encoding="utf-8")
    scorer = (ROOT / "extraction" / "scorer.py").read_text(encoding="utf-8")
    assert 'f"text.count_{c.kind}"' in rules and 'f"text.{st.kind}"' in rules
    assert '"screen." + scr.document_type' in extract and 'f"scorer.{c.source}"' in scorer
    names |= {f"text.count_{k}" for k in count_kinds} | {f"text.{k}" for k in stat_kinds}
    names |= {f"screen.{t}" for t in ("primary", "review", "abstract", "other")}
    names |= {f"scorer.{s}" for s in ("table", "prose")}
    return names


def test_every_written_extractor_is_registered_and_no_entry_is_stale():
    written = _written_names()
    assert not written - registry.names(), f"not in extraction/registry.py: {sorted(written - registry.names())}"
    assert not registry.names() - written, f"registered but never written: {sorted(registry.names() - written)}"


def _quoted(text: str) -> str:
    m = re.search(r'"([^"]+)"', text)
    assert m, text
    return m.group(1)


_PATTERN_KINDS = {kind for kind, _ in COUNT_PATTERNS}


@pytest.mark.parametrize("rule", [r for r in registry.RULES if r.name.removeprefix("text.count_") in _PATTERN_KINDS],
                         ids=lambda r: r.name)
def test_count_examples_read_as_documented(rule):
    kind = rule.name.removeprefix("text.count_")
    sentence = _quoted(rule.example)
    expected = dict((k, float(v)) for k, v in re.findall(r"\b(events|total|percent) (\d+(?:\.\d+)?)", rule.example.split("->")[1]))
    got = [c for c in find_counts(sentence) if c.kind == kind]
    assert got, (rule.name, sentence, find_counts(sentence))
    c = got[0]
    assert {"events": c.events, "total": c.total, "percent": c.percent} | expected == {
        "events": c.events, "total": c.total, "percent": c.percent}, (rule.name, c)
    counter = _quoted(rule.counter)
    assert not [c for c in find_counts(counter) if c.kind == kind], (rule.name, counter, find_counts(counter))
