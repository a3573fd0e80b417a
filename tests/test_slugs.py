"""One slug rule for articles, tools and tags, and one way to make a slug unique."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from agentoire_app.models import Category, Tool
from agentoire_app.models.slugs import MAX_SLUG_CHARS, slugify, unique_slug
from agentoire_app.services.moderation import free_tool_slug


def test_plus_is_spelled_and_apostrophes_join_the_word() -> None:
    assert slugify("crewAI+") == "crewai-plus"
    assert slugify("Notepad++") == "notepad-plus-plus"
    assert slugify("China's open-source bet") == "chinas-open-source-bet"
    assert slugify("🦜 LangChain.js") == "langchain-js"


def test_a_title_with_no_ascii_word_takes_the_fallback() -> None:
    assert slugify("🦜🦜", fallback="tool") == "tool"
    assert slugify("🦜🦜") == ""


@settings(deadline=200)
@given(st.text(max_size=400))
def test_a_slug_is_short_lower_ascii_and_stable(text: str) -> None:
    slug = slugify(text)
    assert len(slug) <= MAX_SLUG_CHARS
    assert slug == slug.strip("-") and set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert slugify(slug) == slug


def test_the_next_free_slug_is_numbered_from_two() -> None:
    assert unique_slug("a", set()) == "a"
    assert unique_slug("a", {"a", "a-2"}) == "a-3"
    assert unique_slug("a", {"a": object()}) == "a-2"  # any container: the catalog's dict of tools by slug


def test_a_new_tool_takes_the_first_slug_no_tool_has(session: Session) -> None:
    session.add(Category(slug="other", name="Other"))
    for slug in ("memo-bot", "memo-bot-2"):
        session.add(Tool(slug=slug, name=slug, tagline="", homepage=f"https://{slug}.example"))
    session.commit()
    assert free_tool_slug("Memo Bot", session=session) == "memo-bot-3"
    assert free_tool_slug("Memo", session=session) == "memo"
