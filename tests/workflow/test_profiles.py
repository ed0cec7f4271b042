"""The execution profiles name only rules the workflow has (a renamed rule would silently lose its
resources on a cluster)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
RULE = re.compile(r"^rule (\w+):", re.M)


def workflow_rules() -> set[str]:
    files = [ROOT / "Snakefile", *sorted((ROOT / "workflow" / "rules").glob("*.smk"))]
    return {name for f in files for name in RULE.findall(f.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("profile", sorted(p.parent.name for p in (ROOT / "profiles").glob("*/config.yaml")))
def test_profile_resources_name_existing_rules(profile: str) -> None:
    rules = workflow_rules()
    assert {"extract_pdf", "analyse", "harmonize"} <= rules  # the scan itself finds the rules
    settings = yaml.safe_load((ROOT / "profiles" / profile / "config.yaml").read_text(encoding="utf-8")) or {}
    named = set(settings.get("set-resources") or {}) | set(settings.get("set-threads") or {})
    assert named <= rules, f"profiles/{profile}: unknown rules {sorted(named - rules)}"
