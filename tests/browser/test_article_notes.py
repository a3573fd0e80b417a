"""The article page's summary, practitioner notes and the line saying where the notes come from, for notes
made from facts and notes written by a model, in Chromium against `agentoire serve`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlmodel import col

from .conftest import FIXTURE_ARTICLE, OLDER_ARTICLE

pytestmark = pytest.mark.browser

FACTS_NOTES = ('<p>Tools from our catalog in this story:</p><ul><li><a href="/tools/ollama">Ollama</a> is listed '
               "under Model runtimes.</li></ul>")
MODEL_NOTES = "<p><strong>In short:</strong> Older models still matter.</p><p>Keep your evaluations.</p>"


def _set_notes(db_url: str, slug: str, notes_html: str, origin: str) -> None:
    from agentoire_app.db import session_scope
    from agentoire_app.models import Article

    with session_scope(db_url) as session:
        session.execute(sa.update(Article).where(col(Article.slug) == slug)
                        .values(notes_html=notes_html, notes_origin=origin))
        session.commit()


@pytest.fixture
def noted(app_server) -> Iterator[None]:  # type: ignore[no-untyped-def]
    _set_notes(app_server.db_url, FIXTURE_ARTICLE["slug"], FACTS_NOTES, "facts")
    _set_notes(app_server.db_url, OLDER_ARTICLE["slug"], MODEL_NOTES, "model:qwen3-8b")
    yield
    for slug in (FIXTURE_ARTICLE["slug"], OLDER_ARTICLE["slug"]):
        _set_notes(app_server.db_url, slug, "", "facts")


def test_facts_notes_say_they_come_from_the_story_and_our_catalog(open_page, noted: None) -> None:
    page = open_page(f"/news/{FIXTURE_ARTICLE['slug']}")
    page.get_by_test_id("article-notes").wait_for()
    assert page.get_by_test_id("article-summary").inner_text() == FIXTURE_ARTICLE["summary"]
    notes = page.get_by_test_id("article-notes")
    assert notes.get_by_role("link", name="Ollama").get_attribute("href") == "/tools/ollama"
    assert page.get_by_test_id("article-notes-origin").inner_text() == "notes from the story's text and our catalog"


def test_model_notes_name_the_model_that_wrote_them(open_page, noted: None) -> None:
    page = open_page(f"/news/{OLDER_ARTICLE['slug']}")
    page.get_by_test_id("article-notes").wait_for()
    assert "Keep your evaluations." in page.get_by_test_id("article-notes").inner_text()
    assert page.get_by_test_id("article-notes-origin").inner_text() == (
        "notes written by qwen3-8b from the story's text")
