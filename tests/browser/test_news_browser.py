"""The news page in the browser: stories arrive without a reload; search and category live in the URL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from agentoire_app.db import session_scope
from agentoire_app.models import Article, Source

from .conftest import FIXTURE_ARTICLE, FIXTURE_SOURCE, NEWER_ARTICLE, OLDER_ARTICLE

pytestmark = pytest.mark.browser


def _titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.strip() for t in page.locator("[data-testid=news-item] a").all_inner_texts() if t.strip()]


def test_a_story_that_lands_appears_on_an_open_news_page(open_page, app_server) -> None:
    page = open_page("/news")
    page.get_by_text(NEWER_ARTICLE["title"]).first.wait_for()
    with session_scope(app_server.db_url) as session:
        source = session.exec(select(Source).where(Source.url == FIXTURE_SOURCE["url"])).one()
        session.add(Article(source_id=source.id, guid="live-probe", slug="a-story-that-just-landed",
                            title="A story that just landed", category="product",
                            published_at=datetime.now(UTC)))
    try:
        page.get_by_text("A story that just landed").first.wait_for(timeout=30000)  # no reload
        assert _titles(page)[0].startswith("A story that just landed")
    finally:
        with session_scope(app_server.db_url) as session:
            session.delete(session.exec(select(Article).where(Article.guid == "live-probe")).one())


def test_searching_the_news_keeps_the_query_in_the_url(open_page, app_server) -> None:
    page = open_page("/news")
    page.get_by_text(OLDER_ARTICLE["title"]).first.wait_for()
    page.keyboard.press("/")
    page.keyboard.type("open-source bet")
    page.wait_for_url("**/news?q=open-source+bet", timeout=15000)
    page.wait_for_function("() => document.querySelectorAll('[data-testid=news-item]').length === 1")
    assert FIXTURE_ARTICLE["title"] in _titles(page)[0]
    # A shared link restores the same view.
    page.goto(app_server.base_url + "/news?q=older+agents")
    # The tab's state still holds the previous single result until the new query's list arrives, so
    # wait for the list to be that of this query, not merely for a list of one.
    page.wait_for_function(
        "(title) => { const rows = document.querySelectorAll('[data-testid=news-item]');"
        " return rows.length === 1 && rows[0].innerText.includes(title); }",
        arg=OLDER_ARTICLE["title"])
    assert OLDER_ARTICLE["title"] in _titles(page)[0]


def test_a_category_filter_narrows_the_list_and_back_undoes_it(open_page) -> None:
    page = open_page("/news")
    page.get_by_text(NEWER_ARTICLE["title"]).first.wait_for()
    page.locator("select[name=category]").select_option("policy")
    page.wait_for_url("**/news?category=policy")
    page.wait_for_function("() => document.querySelectorAll('[data-testid=news-item]').length === 1")
    assert NEWER_ARTICLE["title"] in _titles(page)[0]
    page.go_back()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=news-item]').length >= 3")


def test_a_search_with_no_match_says_so_and_offers_the_way_back(open_page) -> None:
    page = open_page("/news?q=zzzzqqq")
    page.get_by_test_id("news-no-match").wait_for()
    page.get_by_text("Show every story").click()
    page.get_by_text(NEWER_ARTICLE["title"]).first.wait_for()
