"""What the server sends before any JavaScript runs, and what the bar says before the socket is up.

A plain HTTP client reads the story and tool pages' own heads (a link preview or a crawler sees no more);
the browser records every text the connection indicator shows from the first paint on, and reads the counts
on a page whose websocket never answers (Playwright holds it), so they cannot have come over the socket.
"""

from __future__ import annotations

import re

import httpx
import pytest

from agentoire_app.db import session_scope
from agentoire_app.services.stats import parse_day_start, status_counts
from agentoire_app.state.status import LOCAL_MIDNIGHT_JS

from .conftest import FIXTURE_ARTICLE, AppServer, wait_live

pytestmark = pytest.mark.browser

RECORD_CONNECTION = """
window.__agSeen = [];
const agRecord = () => {
  const el = document.querySelector('[data-testid=status-connection]');
  const text = el ? el.textContent : null;
  if (text !== null && window.__agSeen[window.__agSeen.length - 1] !== text) window.__agSeen.push(text);
};
new MutationObserver(agRecord).observe(document, {subtree: true, childList: true, characterData: true});
"""


def test_a_plain_http_client_reads_each_pages_own_head(app_server: AppServer) -> None:
    story = httpx.get(f"{app_server.base_url}/news/{FIXTURE_ARTICLE['slug']}")
    assert story.status_code == 200
    assert "<title data-ag-head>China's open-source bet · agentoire</title>" in story.text
    assert '"@type":"NewsArticle"' in story.text and 'property="og:type" content="article"' in story.text
    tool_slug = httpx.get(f"{app_server.base_url}/api/tools", params={"per_page": 1}).json()["items"][0]["slug"]
    tool = httpx.get(f"{app_server.base_url}/tools/{tool_slug}")
    assert tool.status_code == 200 and '"@type":"SoftwareApplication"' in tool.text
    for path in ("/news/no-such-story", "/tools/no-such-tool"):
        missing = httpx.get(app_server.base_url + path)
        assert missing.status_code == 404 and "not found · agentoire" in missing.text, path


def test_the_bar_says_connecting_never_offline_before_the_socket_is_up(page, app_server: AppServer) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(RECORD_CONNECTION)
    page.goto(app_server.base_url + "/news")
    wait_live(page)
    seen = page.evaluate("window.__agSeen")
    assert seen[-1] == "live" and "offline" not in seen and "reconnecting" not in seen, seen
    assert seen[0] == "connecting", seen
    assert page.title() == "news · agentoire"


def test_the_served_title_gives_way_to_the_apps_after_navigation(open_page) -> None:  # type: ignore[no-untyped-def]
    tab = open_page(f"/news/{FIXTURE_ARTICLE['slug']}")
    assert tab.title() == "China's open-source bet · agentoire"
    tab.get_by_test_id("back-to-news").click()
    tab.wait_for_function("document.title === 'news · agentoire'")


@pytest.mark.parametrize("path", ["/", f"/news/{FIXTURE_ARTICLE['slug']}"])
def test_the_counts_show_while_the_socket_is_still_connecting(page, app_server: AppServer, path: str) -> None:  # type: ignore[no-untyped-def]
    page.route_web_socket(re.compile(r"/_event"), lambda socket: None)  # opened, never answered
    page.goto(app_server.base_url + path)
    page.wait_for_function(
        "/^\\d+ tools$/.test(document.querySelector('[data-testid=status-tools]')?.textContent)")
    page.wait_for_function(
        "/^\\d+ added today$/.test(document.querySelector('[data-testid=status-added-today]')?.textContent)")
    assert page.get_by_test_id("status-connection").text_content() == "connecting"
    midnight = parse_day_start(page.evaluate(LOCAL_MIDNIGHT_JS))
    with session_scope(app_server.db_url) as session:
        counts = status_counts(session=session, day_start=midnight)
    assert page.get_by_test_id("status-tools").text_content() == f"{counts['tools']} tools"
    assert page.get_by_test_id("status-added-today").text_content() == f"{counts['added_today']} added today"


def test_an_article_shows_its_headline_while_the_socket_is_still_connecting(page, app_server: AppServer) -> None:  # type: ignore[no-untyped-def]
    page.route_web_socket(re.compile(r"/_event"), lambda socket: None)  # opened, never answered
    page.goto(f"{app_server.base_url}/news/{FIXTURE_ARTICLE['slug']}")
    first_view = page.locator("article[aria-busy=true]")
    first_view.locator("h1[data-first-view]").filter(has_text=FIXTURE_ARTICLE["title"]).wait_for()
    assert first_view.locator(".ag-summary").text_content() == FIXTURE_ARTICLE["summary"]
    assert first_view.locator(".ag-meta").text_content() == "April 21, 2026 · MIT Tech Review"
    assert page.get_by_test_id("status-connection").text_content() == "connecting"
    assert page.get_by_test_id("article-title").count() == 0, "the complete article comes with the state"


def test_an_article_is_read_without_javascript_from_the_served_headline(browser, app_server: AppServer) -> None:  # type: ignore[no-untyped-def]
    """Before any script runs (or with none at all), the reader sees the headline, the line above it and the
    summary, on a phone and on a desktop, in the viewport's first screen."""
    for width in (375, 1280):
        context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 700})
        try:
            page = context.new_page()
            page.goto(f"{app_server.base_url}/news/{FIXTURE_ARTICLE['slug']}")
            headline = page.locator("#ag-first-paint h1")
            assert headline.text_content() == FIXTURE_ARTICLE["title"] and headline.is_visible()
            box = headline.bounding_box()
            assert box is not None and box["y"] > 0 and box["y"] + box["height"] < 700 and box["x"] >= 0
            assert page.locator("#ag-first-paint .ag-summary").text_content() == FIXTURE_ARTICLE["summary"]
            assert page.locator("#ag-first-paint .ag-meta").text_content() == "April 21, 2026 · MIT Tech Review"
        finally:
            context.close()


def test_the_first_view_gives_way_to_the_article_once_the_state_is_in(open_page) -> None:  # type: ignore[no-untyped-def]
    tab = open_page(f"/news/{FIXTURE_ARTICLE['slug']}")
    tab.get_by_test_id("article-body").wait_for()
    assert tab.get_by_test_id("article-title").text_content() == FIXTURE_ARTICLE["title"]
    assert tab.locator("h1").count() == 1 and tab.locator("[aria-busy=true]").count() == 0
    assert tab.locator("#ag-first-paint").count() == 0, "the served copy gave way to the app's"
