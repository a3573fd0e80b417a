"""Issue 2: the shell on every page, the counts against the database, a tool page, an article page laid
out like the seed page, the news list and the not-found pages, in Chromium against `agentoire serve`."""

from __future__ import annotations

import re

import pytest

from .conftest import FIXTURE_ARTICLE, NEWER_ARTICLE, OLDER_ARTICLE

pytestmark = pytest.mark.browser

DATE_FORMAT = re.compile(r"^(sun|mon|tue|wed|thu|fri|sat) · (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) "
                         r"\d{1,2}, \d{4}$")
LOCAL_DATE_JS = """() => {
  const d = new Date();
  const days = ["sun","mon","tue","wed","thu","fri","sat"];
  const months = ["jan","feb","mar","apr","may","jun","jul","aug","sep","oct","nov","dec"];
  return `${days[d.getDay()]} · ${months[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()}`;
}"""


def _a_tool(db_url: str):  # type: ignore[no-untyped-def]
    from agentoire_app.db import session_scope
    from agentoire_app.services.tools import list_tools

    with session_scope(db_url) as session:
        return list_tools(session=session, limit=1)[0]


@pytest.mark.parametrize("path", ["/", "/news", f"/news/{FIXTURE_ARTICLE['slug']}", "/tools", "/sources",
                                  "/no/such/page"])
def test_every_page_wears_the_shell(open_page, page_errors, path: str) -> None:
    if path == "/no/such/page":
        page_errors.allow("status of 404")  # the document itself is served with status 404, as it should be
    page = open_page(path)
    bar = page.get_by_test_id("status-bar")
    assert bar.is_visible()
    assert page.get_by_test_id("status-connection").inner_text() == "live"
    # The counts arrive in the first event after the socket connects (the reader's local midnight
    # travels with it), a moment after `live`.
    page.wait_for_function("!document.querySelector('[data-testid=status-tools]').textContent.startsWith('…')")
    assert re.fullmatch(r"\d+ tools", page.get_by_test_id("status-tools").inner_text())
    assert re.fullmatch(r"\d+ added today", page.get_by_test_id("status-added-today").inner_text())
    date = page.get_by_test_id("status-date")
    page.wait_for_function("document.querySelector('[data-testid=status-date]').textContent.length > 0")
    assert DATE_FORMAT.match(date.inner_text())
    assert date.inner_text() == page.evaluate(LOCAL_DATE_JS)
    assert "⌘K palette · [t] theme · [?] help" in bar.inner_text()
    assert page.locator(".ag-wordmark").inner_text() == "agentoire_"
    for label in ("news", "tools", "submit"):
        assert page.get_by_role("navigation", name="main").get_by_role("link", name=label).is_visible()


def test_status_counts_match_the_database(open_page, app_server) -> None:
    from datetime import datetime

    from agentoire_app.db import session_scope
    from agentoire_app.services.stats import status_counts

    page = open_page("/")
    page.wait_for_function("!document.querySelector('[data-testid=status-tools]').textContent.startsWith('…')")
    midnight = datetime.fromisoformat(page.evaluate("() => { const d = new Date(); d.setHours(0,0,0,0); "
                                                    "return d.toISOString(); }").replace("Z", "+00:00"))
    with session_scope(app_server.db_url) as session:
        counts = status_counts(session=session, day_start=midnight)
    assert counts["tools"] > 0, "the shipped catalog loads through `agentoire serve`"
    assert page.get_by_test_id("status-tools").inner_text() == f"{counts['tools']} tools"
    assert page.get_by_test_id("status-added-today").inner_text() == f"{counts['added_today']} added today"


def test_home_shows_latest_news_and_newest_tools(open_page) -> None:
    page = open_page("/")
    news = page.get_by_test_id("news-item")
    news.first.wait_for()
    assert news.first.get_by_role("link").inner_text() == NEWER_ARTICLE["title"]
    assert page.get_by_test_id("tool-item").count() > 0


def test_news_list_rows_link_to_their_stories(open_page) -> None:
    page = open_page("/news")
    rows = page.get_by_test_id("news-item")
    rows.first.wait_for()
    titles = [rows.nth(i).get_by_role("link").inner_text() for i in range(rows.count())]
    assert titles == [NEWER_ARTICLE["title"], FIXTURE_ARTICLE["title"], OLDER_ARTICLE["title"]]
    rows.nth(1).get_by_role("link").click()
    page.wait_for_url(f"**/news/{FIXTURE_ARTICLE['slug']}")
    assert page.get_by_test_id("article-title").inner_text() == FIXTURE_ARTICLE["title"]


def test_article_page_is_laid_out_like_the_seed(open_page) -> None:
    page = open_page(f"/news/{FIXTURE_ARTICLE['slug']}")
    title = page.get_by_test_id("article-title")
    title.wait_for()
    assert title.inner_text() == "China's open-source bet"
    assert page.get_by_role("navigation", name="breadcrumb").inner_text() == "← news/china's open-source bet"
    assert page.get_by_test_id("article-category").inner_text() == "product"
    assert page.get_by_test_id("article-date").inner_text() == "April 21, 2026"
    assert page.get_by_test_id("article-source").inner_text() == "MIT Tech Review"
    body = page.get_by_test_id("article-body").inner_text()
    assert FIXTURE_ARTICLE["summary"] in body
    assert "What it means for AI practitioners" in body
    original = page.get_by_test_id("article-original")
    assert original.inner_text() == f"original source {FIXTURE_ARTICLE['url']}"
    assert original.get_by_role("link").get_attribute("href") == FIXTURE_ARTICLE["url"]
    back = page.get_by_test_id("back-to-news")
    assert back.inner_text() == "← back to news"
    assert page.title().startswith("China's open-source bet")
    # The order on the page is the seed's: breadcrumb, category, date · source, title, body, source, back.
    order = page.evaluate("""() => ['article-category','article-date','article-title','article-body',
        'article-original','back-to-news'].map(id => document.querySelector(`[data-testid=${id}]`)
        .getBoundingClientRect().top)""")
    assert order == sorted(order)
    back.click()
    page.wait_for_url("**/news")


def test_tool_page_shows_the_tool(open_page, app_server) -> None:
    tool = _a_tool(app_server.db_url)
    page = open_page(f"/tools/{tool.slug}")
    name = page.get_by_test_id("tool-name")
    name.wait_for()
    assert name.inner_text() == tool.name
    assert page.get_by_test_id("tool-link").get_attribute("href") == tool.homepage


@pytest.mark.parametrize(("path", "what"), [("/news/no-such-story", "story"), ("/tools/no-such-tool", "tool"),
                                            ("/no/such/page", "page")])
def test_unknown_addresses_show_a_real_not_found_page(open_page, page_errors, path: str, what: str) -> None:
    page_errors.allow("status of 404")
    page = open_page(path)
    heading = page.get_by_test_id("not-found")
    heading.wait_for()
    assert heading.inner_text() == f"{what} not found"
    assert page.get_by_test_id("status-bar").is_visible()


def test_data_sources_page_shows_each_source_and_its_licence(open_page) -> None:
    page = open_page("/")
    page.locator("footer").get_by_role("link", name="data sources").click()
    page.wait_for_url("**/sources")
    sources = page.get_by_test_id("data-source")
    sources.first.wait_for()
    assert sources.count() >= 1
    text = page.locator("main").inner_text()
    assert re.search(r"\d+ tools?", text)
    assert "Permission is hereby granted, free of charge" in text, "the MIT notice in full"
