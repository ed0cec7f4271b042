"""Fixtures of the curation web app tests: one real extraction of the example review per session
(``srtk run REVIEW tables/outcomes.tsv``), then a private copy of that review per test."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pdfplumber
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


def _number_word(pdf_path: Path) -> tuple[int, dict, float, float]:
    """A page after the first, a whole number on it (read with pdfplumber here, not by the app)
    and the page's size."""
    with pdfplumber.open(pdf_path) as pdf:
        for i, page in enumerate(pdf.pages):
            for w in page.extract_words():
                if re.fullmatch(r"[1-9]\d?", w["text"]) and i > 0:
                    return i + 1, w, float(page.width), float(page.height)
    raise AssertionError(f"no whole number in {pdf_path}")


@pytest.fixture(scope="session")
def number_word():
    """``number_word(pdf) -> (page, word, width, height)``: a number to select on a rendered page."""
    return _number_word
