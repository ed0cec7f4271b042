"""The set-up promises of the README: pyproject and environment.yml describe the same packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(r) for r in project["dependencies"])
    for extra in project["optional-dependencies"].values():  # test, train: environment.yml has all
        wanted.update(_split(r) for r in extra)
    env = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    conda, pip = {}, {}
    for item in env:
        if isinstance(item, dict):
            pip.update(_split(r) for r in item["pip"] if not r.startswith("-e"))
        else:
            name, spec = _split(item)
            if name not in ("python", "pip"):
                conda[name] = spec
    assert {**conda, **pip} == wanted


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    head = "\n".join(readme.splitlines()[:15])
    assert "make run" in head and "make test" in head
    ci = [line for line in (ROOT / ".ci/run").read_text().splitlines()
          if line.strip() and not line.startswith("#") and not line.startswith("set ")
          and not line.startswith("cd ")]
    assert ci == ["make test"]


def test_srtk_is_the_review_command() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["srtk"] == "evidence.srtk:main"
    from evidence.srtk import main

    assert main(["--help"]) == 0
