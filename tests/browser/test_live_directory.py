"""The live directory in a browser: the moderator approves, rejects and merges tools found in the news; the
status bar's "added today" moves on a page that is already open; `/tools` sorts by stars and filters by
activity from its controls; `/trends` and the tool page's chart read at 375 px and 1280 px, axe-clean in
both themes, each chart with its table in the accessibility tree.

Moderation needs `AGENTOIRE_ADMIN_TOKEN`, and the session's server runs without one (another test checks
that the screen is off then): `moderated_server` restarts it on the same port and database with a token,
and without it again afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from agentoire_app.checks.latest import refresh_latest
from agentoire_app.db import session_scope
from agentoire_app.models import Tool, ToolCandidate, ToolFact
from agentoire_app.services.tools import list_tools

from .conftest import AppServer, wait_live

pytestmark = pytest.mark.browser

ADMIN_TOKEN = "browser-moderator-token-0123456789"
AXE_SERIOUS_JS = """async (selector) => {
    const r = await axe.run(selector ? document.querySelector(selector) : document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}});
    return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
      .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')})`);
}"""


@pytest.fixture(scope="module")
def moderated_server(app_server: AppServer) -> Iterator[AppServer]:
    if app_server.reused:
        pytest.skip("the session reuses a server started by hand; this module must restart it with a token")
    app_server.stop()
    app_server.env["AGENTOIRE_ADMIN_TOKEN"] = ADMIN_TOKEN
    try:
        app_server.start()
        yield app_server
    finally:
        app_server.stop()
        app_server.env.pop("AGENTOIRE_ADMIN_TOKEN", None)
        app_server.start()


def _seed_candidates(db_url: str, names: list[str]) -> None:
    with session_scope(db_url) as session:
        for name in names:
            slug = name.lower().replace(" ", "-")
            session.add(ToolCandidate(key=f"github:browser/{slug}", name=name, url=f"https://github.com/browser/{slug}",
                                      kind="github", category="agents", mentions=3))


def _status(db_url: str, name: str) -> str:
    with session_scope(db_url) as session:
        return session.exec(select(ToolCandidate).where(ToolCandidate.name == name)).one().status


def _sign_in(page, server: AppServer) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.base_url + "/moderate")
    wait_live(page)
    page.locator("input[name=token]").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="sign in").click()
    page.get_by_test_id("moderate-queue").wait_for()


def _candidate(page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("candidate-item").filter(has_text=name)


def test_the_moderator_approves_rejects_and_merges_tools_found_in_the_news(moderated_server: AppServer,
                                                                           page) -> None:  # type: ignore[no-untyped-def]
    _seed_candidates(moderated_server.db_url, ["Approvable Agent", "Rejectable Agent", "Mergeable Agent"])
    with session_scope(moderated_server.db_url) as session:
        into = list_tools(session=session, limit=1)[0].slug
    _sign_in(page, moderated_server)

    _candidate(page, "Approvable Agent").get_by_test_id("candidate-approve").click()
    page.get_by_test_id("moderate-message").filter(has_text="Approved: Approvable Agent").wait_for()
    _candidate(page, "Approvable Agent").wait_for(state="detached")

    _candidate(page, "Rejectable Agent").get_by_test_id("candidate-reject").click()
    page.get_by_test_id("moderate-message").filter(has_text="Rejected: Rejectable Agent").wait_for()
    _candidate(page, "Rejectable Agent").wait_for(state="detached")

    merging = _candidate(page, "Mergeable Agent")
    merging.locator("input[name=into]").fill(into)
    merging.get_by_test_id("candidate-merge").click()
    page.get_by_test_id("moderate-message").filter(has_text="Merged into").wait_for()
    _candidate(page, "Mergeable Agent").wait_for(state="detached")

    db = moderated_server.db_url
    assert [_status(db, n) for n in ("Approvable Agent", "Rejectable Agent", "Mergeable Agent")] == [
        "approved", "rejected", "merged"]
    page.goto(moderated_server.base_url + "/tools?q=approvable")
    wait_live(page)
    page.get_by_test_id("tool-item").filter(has_text="Approvable Agent").wait_for()


def test_added_today_moves_on_an_open_page_when_a_candidate_is_approved(moderated_server: AppServer, browser,
                                                                        page) -> None:  # type: ignore[no-untyped-def]
    _seed_candidates(moderated_server.db_url, ["Live Count Agent"])
    watcher_context = browser.new_context(viewport={"width": 1280, "height": 900})
    watcher = watcher_context.new_page()
    try:
        watcher.goto(moderated_server.base_url + "/")
        wait_live(watcher)
        added = watcher.get_by_test_id("status-added-today")
        watcher.wait_for_function(
            "() => /^\\d+ added today$/.test(document.querySelector('[data-testid=status-added-today]').textContent)")
        before = int(added.text_content().split()[0])

        _sign_in(page, moderated_server)
        _candidate(page, "Live Count Agent").get_by_test_id("candidate-approve").click()
        page.get_by_test_id("moderate-message").filter(has_text="Approved: Live Count Agent").wait_for()

        # A push or the status poll (every 10 s) may carry it: either must arrive without a reload.
        watcher.wait_for_function(
            "(n) => document.querySelector('[data-testid=status-added-today]').textContent === `${n} added today`",
            arg=before + 1, timeout=16000)
    finally:
        watcher_context.close()


def _read_facts(db_url: str) -> tuple[str, str]:
    """Two tools the checks have read: one starred and active, one archived; their names."""
    now = datetime.now(UTC)
    with session_scope(db_url) as session:
        starred, archived = session.exec(select(Tool).order_by(col(Tool.name)).limit(2)).all()
        session.add(ToolFact(tool_id=starred.id or 0, kind="github", read_at=now, stars=987_654,
                             pushed_at=now - timedelta(days=2), archived=False))
        session.add(ToolFact(tool_id=archived.id or 0, kind="github", read_at=now, stars=5,
                             pushed_at=now - timedelta(days=700), archived=True))
        refresh_latest([starred, archived], session=session)  # as the checks do with their snapshots
        return starred.name, archived.name


def test_tools_sorts_by_stars_and_filters_by_activity_from_its_controls(moderated_server: AppServer,
                                                                        page) -> None:  # type: ignore[no-untyped-def]
    starred, archived = _read_facts(moderated_server.db_url)
    page.goto(moderated_server.base_url + "/tools")
    wait_live(page)
    page.get_by_test_id("tool-item").first.wait_for()
    page.locator("select[name=sort]").select_option("stars")
    page.wait_for_url("**/tools?sort=stars")
    page.get_by_test_id("tools-sort").filter(has_text="stars").wait_for()
    assert page.get_by_test_id("tool-item").first.locator(".ag-row-title").text_content() == starred

    page.locator("select[name=activity]").select_option("archived")
    page.wait_for_url("**/tools?activity=archived&sort=stars")
    page.get_by_test_id("tools-total").filter(has_text="1").wait_for()
    assert page.get_by_test_id("tool-item").locator(".ag-row-title").all_text_contents() == [archived]

    page.go_back()
    page.wait_for_url("**/tools?sort=stars")
    page.wait_for_function("() => document.querySelector('select[name=activity]').value === ''")
    assert page.get_by_test_id("tool-item").count() > 1


def _charts_have_their_tables(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Per chart: the drawing hidden from screen readers, its table in the accessibility tree."""
    problems = []
    figures = page.locator("figure.ag-chart")
    for i in range(figures.count()):
        figure = figures.nth(i)
        name = figure.get_attribute("data-testid")
        if figure.locator("[aria-hidden=true] .recharts-responsive-container").count() != 1:
            problems.append(f"{name}: the chart is not hidden from screen readers")
        table = figure.get_by_role("table")
        if table.count() != 1 or table.get_by_role("columnheader").count() != 2:
            problems.append(f"{name}: no table with two column headers in the accessibility tree")
    return problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_trends_and_the_tool_chart_read_on_phones_and_desktops_axe_clean(moderated_server: AppServer, browser,
                                                                        axe_source: str, scheme: str,
                                                                        width: int) -> None:  # type: ignore[no-untyped-def]
    with session_scope(moderated_server.db_url) as session:
        tool_path = f"/tools/{list_tools(session=session, limit=1)[0].slug}"
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    failures: dict[str, list[str]] = {}
    try:
        # Both pages are checked whole (the tool page's breadcrumb sits in a line of text: underlined).
        for path, charts in (("/trends", 2), (tool_path, 1)):
            page.goto(moderated_server.base_url + path)
            wait_live(page)
            page.locator("figure.ag-chart").nth(charts - 1).wait_for()
            page.wait_for_timeout(300)
            assert page.evaluate("(s) => document.documentElement.classList.contains(s)", scheme)
            problems = _charts_have_their_tables(page)
            if page.locator("figure.ag-chart").count() != charts:
                problems.append(f"{page.locator('figure.ag-chart').count()} charts, expected {charts}")
            if page.evaluate("() => document.documentElement.scrollWidth") > width:
                problems.append("horizontal scrolling")
            page.add_script_tag(content=axe_source)
            problems += page.evaluate(AXE_SERIOUS_JS, None)
            first = page.locator("figure.ag-chart").first
            if first.locator(".ag-chart-table").bounding_box()["height"] > 2:  # type: ignore[index]
                problems.append("a chart's table is on screen before its disclosure is opened")
            first.locator("summary").click()
            if first.locator(".ag-chart-table").bounding_box()["height"] <= 2:  # type: ignore[index]
                problems.append("opening the disclosure does not show the chart's table")
            if problems:
                failures[path] = problems
    finally:
        context.close()
    assert not failures, failures
    assert not errors, errors
