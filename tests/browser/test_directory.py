"""The directory in a real browser: filters, sorts, search as you type, URL state and the back button, the
tool page, compare, the submission form (hostile input included), moderation off, and the open-data routes
served by the same single-port app as the pages."""

from __future__ import annotations

import json
import re
import urllib.request
from collections import Counter

import feedparser
import pytest
from sqlmodel import Session, select

pytestmark = pytest.mark.browser

ROWS = "[data-testid=tool-item]"


def _db(app_server):  # type: ignore[no-untyped-def]
    from agentoire_app.db import get_engine

    return Session(get_engine(app_server.db_url))


def _categories_with_tools(app_server) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    from agentoire_app.models import Tool

    with _db(app_server) as session:
        counts = Counter(session.exec(select(Tool.category)).all())
    return counts.most_common()


def _row_names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(f"main {ROWS} .ag-row-title", "els => els.map(e => e.textContent.trim())")


def _row_tags(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(f"main {ROWS} .ag-tag:first-of-type",
                                     "els => els.map(e => e.textContent.trim())")


def _wait_rows(page, predicate_js: str) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        f"(() => {{ const rows = [...document.querySelectorAll('main {ROWS}')]; "
        f"return rows.length > 0 && rows.every(r => ({predicate_js})(r)); }})()")


def _wait_param(page, name: str, value: str | None) -> None:  # type: ignore[no-untyped-def]
    if value is None:
        page.wait_for_function(f"!new URLSearchParams(location.search).has({json.dumps(name)})")
    else:
        page.wait_for_function(
            f"new URLSearchParams(location.search).get({json.dumps(name)}) === {json.dumps(value)}")


def test_the_category_filter_narrows_the_list_and_lands_in_the_url(open_page, app_server) -> None:
    category, count = _categories_with_tools(app_server)[0]
    page = open_page("/tools")
    page.wait_for_selector(f"main {ROWS}")
    page.select_option("select[name=category]", category)
    _wait_param(page, "category", category)
    _wait_rows(page, f"r => r.querySelector('.ag-tag').textContent === {json.dumps(category)}")
    assert set(_row_tags(page)) == {category}
    assert page.get_by_test_id("tools-total").inner_text() == str(count)


def test_sort_by_name_orders_rows_alphabetically(open_page) -> None:
    page = open_page("/tools")
    page.wait_for_selector(f"main {ROWS}")
    page.select_option("select[name=sort]", "name")
    _wait_param(page, "sort", "name")
    page.wait_for_function("document.querySelector('[data-testid=tools-sort]').textContent === 'name'")
    names = _row_names(page)
    assert names == sorted(names, key=lambda n: (n.lower(), n)) or names == sorted(names, key=str.lower)


def test_search_shows_results_as_you_type(open_page, app_server) -> None:
    from agentoire_app.models import Tool

    with _db(app_server) as session:
        tool = session.exec(select(Tool).order_by(Tool.id)).first()
    assert tool is not None
    prefix = re.split(r"\W+", tool.name.lower())[0][:4] or tool.name.lower()[:4]
    page = open_page("/tools")
    page.wait_for_selector(f"main {ROWS}")
    box = page.locator("main input[name=q]")
    box.click()
    box.press_sequentially(prefix, delay=60)
    _wait_param(page, "q", prefix)
    page.wait_for_function(
        f"[...document.querySelectorAll('main {ROWS} .ag-row-title')].some("
        f"e => e.textContent.trim() === {json.dumps(tool.name)})")
    assert box.evaluate("el => el === document.activeElement"), "typing keeps the focus in the box"
    assert page.get_by_test_id("tools-sort").inner_text() == "relevance"


def test_a_shared_url_restores_the_whole_filter_state(open_page, app_server) -> None:
    category = _categories_with_tools(app_server)[0][0]
    page = open_page(f"/tools?category={category}&sort=name&open_source=1")
    page.wait_for_function(f"document.querySelector('select[name=category]').value === {json.dumps(category)}")
    assert page.locator("select[name=sort]").input_value() == "name"
    assert page.locator("select[name=open_source]").input_value() == "1"
    rows = page.locator(f"main {ROWS}")
    if rows.count():
        assert set(_row_tags(page)) == {category}
        assert "open source" in rows.first.inner_text()


def test_the_back_button_undoes_one_filter_at_a_time(open_page, app_server) -> None:
    category = _categories_with_tools(app_server)[0][0]
    page = open_page("/tools")
    page.wait_for_selector(f"main {ROWS}")
    page.select_option("select[name=category]", category)
    _wait_param(page, "category", category)
    page.select_option("select[name=sort]", "name")
    _wait_param(page, "sort", "name")
    page.go_back()
    _wait_param(page, "sort", None)
    _wait_param(page, "category", category)
    # Both selects follow the address once the page has loaded it (not one at a time in between).
    page.wait_for_function("([c]) => document.querySelector('select[name=sort]').value === ''"
                           " && document.querySelector('select[name=category]').value === c", arg=[category])
    page.go_back()
    _wait_param(page, "category", None)
    page.wait_for_function("document.querySelector('select[name=category]').value === ''")
    page.go_forward()
    _wait_param(page, "category", category)
    _wait_rows(page, f"r => r.querySelector('.ag-tag').textContent === {json.dumps(category)}")


def test_paging_moves_through_the_directory(open_page, app_server) -> None:
    page = open_page("/tools?sort=name")
    page.wait_for_selector(f"main {ROWS}")
    first = _row_names(page)
    page.get_by_test_id("tools-next").click()
    _wait_param(page, "page", "2")
    page.wait_for_function(
        f"document.querySelector('main {ROWS} .ag-row-title').textContent.trim() !== {json.dumps(first[0])}")
    second = _row_names(page)
    assert not set(first) & set(second)
    assert sorted([first[-1], second[0]], key=str.lower) == [first[-1], second[0]]


def test_new_this_week_and_j_marks_the_active_row(open_page) -> None:
    page = open_page("/tools?new=week")
    page.wait_for_function("document.querySelector('select[name=new]').value === 'week'")
    page.goto(page.url.replace("?new=week", ""))
    page.wait_for_selector(f"main {ROWS}")
    page.locator("body").press("j")
    assert page.locator(f"main {ROWS}").first.get_attribute("aria-current") == "true"


def test_the_tool_page_shows_every_fact_with_its_source(open_page, app_server) -> None:
    from agentoire_app.models import Tool

    with _db(app_server) as session:
        tool = next(t for t in session.exec(select(Tool).order_by(Tool.id).limit(50)).all() if t.tags)
    assert tool is not None
    page = open_page(f"/tools/{tool.slug}")
    assert page.get_by_test_id("tool-name").inner_text() == tool.name
    assert page.get_by_test_id("tool-link").get_attribute("href") == tool.homepage
    facts = page.get_by_test_id("tool-facts").inner_text()
    assert tool.category in page.get_by_test_id("tool-facts").inner_html() and "listed" in facts
    assert "from" in page.get_by_test_id("tool-source").inner_text()
    assert page.get_by_test_id("tool-alternatives").is_visible()
    assert page.get_by_test_id("tool-news").is_visible()
    assert tool.name in page.title()


def test_compare_puts_tools_side_by_side_from_the_url(open_page, app_server) -> None:
    from agentoire_app.models import Tool

    with _db(app_server) as session:
        slugs = [t.slug for t in session.exec(select(Tool).order_by(Tool.id).limit(2)).all()]
    page = open_page(f"/compare?tools={','.join(slugs)}")
    page.wait_for_selector("[data-testid=compare-column]")
    assert page.get_by_test_id("compare-column").count() == 2
    page.get_by_test_id("compare-column").first.get_by_role("button").click()
    page.wait_for_function(f"location.search === '?tools={slugs[1]}'")
    page.wait_for_function("document.querySelectorAll('[data-testid=compare-column]').length === 1")


def _fill(page, **values: str) -> None:  # type: ignore[no-untyped-def]
    form = page.get_by_test_id("submit-form")
    for name, value in values.items():
        if name == "category":
            form.locator("select[name=category]").select_option(value)
        else:
            form.locator(f"[name={name}]").fill(value)


def test_the_form_says_which_field_is_wrong_and_why(open_page, app_server) -> None:
    category = _categories_with_tools(app_server)[0][0]
    page = open_page("/submit")
    _fill(page, name="<script>alert('x')</script>", homepage="http://127.0.0.1:8080/admin",
          repository="javascript:alert(1)", tagline="t" * 500, description="fine", category=category)
    page.get_by_test_id("submit-form").locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=field-error]")
    errors = {e.get_attribute("data-field"): e.inner_text() for e in page.get_by_test_id("field-error").all()}
    assert set(errors) == {"name", "homepage", "repository", "tagline"}
    for field, message in errors.items():
        assert message.startswith(field), message
        label = page.locator(f"label[for=field-{field}]")
        assert label.get_by_test_id("field-error").count() == 1, "the message sits inside the field's label"
    assert "private or local" in errors["homepage"]
    assert "http:// or https://" in errors["repository"]
    assert page.locator("script:text('alert')").count() == 0
    assert page.locator("[name=name]").input_value() == "<script>alert('x')</script>", "input kept as typed"
    assert page.get_by_test_id("submit-ok").count() == 0


def test_a_valid_submission_is_queued_for_moderation(open_page, app_server) -> None:
    from agentoire_app.models import Submission

    category = _categories_with_tools(app_server)[0][0]
    page = open_page("/submit")
    _fill(page, name="Browserbench Quillmate", homepage="https://quillmate-browser.example.com/",
          tagline="Drafts release notes from your commits", description="Line one.\nLine two.",
          category=category)
    page.get_by_test_id("submit-form").locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=submit-ok]")
    assert "Browserbench Quillmate" in page.get_by_test_id("submit-ok").inner_text()
    with _db(app_server) as session:
        row = session.exec(select(Submission).where(Submission.name == "Browserbench Quillmate")).one()
    assert row.status == "pending"


def test_moderation_is_off_without_a_token(open_page) -> None:
    page = open_page("/moderate")
    page.wait_for_selector("[data-testid=moderation-off]")
    assert "off" in page.get_by_test_id("moderation-off").inner_text().lower()
    assert page.locator("input[name=token]").count() == 0


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


@pytest.mark.parametrize("path", ["/feed.xml", "/tools/feed.xml"])
def test_feeds_are_served_by_the_single_port_app_not_the_frontend(app_server, path: str) -> None:
    status, headers, body = _get(app_server.base_url + path)
    assert status == 200 and headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(body)
    assert not feed.bozo and feed.version == "atom10"


def test_the_json_api_answers_beside_the_pages(app_server) -> None:
    status, headers, body = _get(app_server.base_url + "/api/tools?per_page=5&sort=name")
    data = json.loads(body)
    assert status == 200 and len(data["items"]) == 5 and data["total"] > 5
    assert headers["cache-control"].startswith("public")
    news = json.loads(_get(app_server.base_url + "/api/news?per_page=2")[2])
    assert news["total"] >= 3 and len(news["items"]) == 2


def test_sitemap_and_opml_come_from_the_api_not_the_static_build(app_server) -> None:
    import xml.etree.ElementTree as ET

    status, _headers, body = _get(app_server.base_url + "/sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text or "" for e in ET.fromstring(body).findall("s:url/s:loc", ns)]
    assert status == 200 and any("/tools/" in loc for loc in locs) and any("/news/" in loc for loc in locs)
    status, _headers, body = _get(app_server.base_url + "/sources.opml")
    outlines = ET.fromstring(body).findall("./body/outline")
    assert status == 200 and any(o.get("xmlUrl") == "https://fixtures.agentoire.test/feed.xml" for o in outlines)
