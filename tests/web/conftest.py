"""Fixtures of the curation web app tests: one real extraction of the example review per session
(``srtk run REVIEW tables/outcomes.tsv``), then a private copy of that review per test."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("workflow_helpers", Path(__file__).parents[1] / "workflow" / "conftest.py")
workflow = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(workflow)  # copy_example, run_review: shared with the workflow tests


@pytest.fixture(scope="session")
def helpers():
    """tests/workflow/conftest.py as a module: copy_example, run_review, review_env, srtk."""
    return workflow


@pytest.fixture(scope="session")
def extracted_review(tmp_path_factory) -> Path:
    """The example review with its extracted and curated tables (one real run per session)."""
    review = workflow.copy_example(tmp_path_factory.mktemp("web") / "sacral")
    workflow.run_review(review, "tables/outcomes.tsv")
    return review


@pytest.fixture
def review(extracted_review: Path, tmp_path: Path) -> Path:
    """A private copy of the extracted review (its corrections file can be written)."""
    return Path(shutil.copytree(extracted_review, tmp_path / "sacral", symlinks=False))


@pytest.fixture
def client(review: Path):
    from evidence.curation.web import create_app
    from evidence.review import load_review

    app = create_app(load_review(review), curator="tester")
    app.config["TESTING"] = True
    return app.test_client()


@pytest.fixture(autouse=True)
def _restore_vocabulary():
    """The app (and ``srtk init``) make a review's vocabulary the process's; put the default back."""
    from evidence import vocabulary as V

    saved = (V.OUTCOMES, V.TREATMENT_CLASSES, dict(V.SCALES))
    yield
    V.OUTCOMES, V.TREATMENT_CLASSES = saved[:2]
    V.SCALES.clear()
    V.SCALES.update(saved[2])
