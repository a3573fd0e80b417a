"""Checked at the source: the tool checks against loopback fakes of GitHub, PyPI, npm and Hugging Face,
stored as dated snapshots on both databases (clock injected, never patched)."""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from apifakes import JSON, apis_for, serve_github, serve_huggingface, serve_npm, serve_pypi
from directory_seed import assert_summaries_follow_history, categories, tool
from feedserver import FeedServer, running_server
from sqlmodel import Session, col, select

from agentoire_app.checks.client import ApiClient, HourlyBudget
from agentoire_app.checks.run import RoundReport, check_round
from agentoire_app.ingest.stop import StopRequest
from agentoire_app.models import Tool, ToolCheck, ToolFact
from agentoire_app.net.addresses import PublicAddressRule
from agentoire_app.services.tool_facts import latest_facts
from agentoire_app.services.tools import tool_public

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
# The fakes' "internet" is 127.0.0.1; 127.0.0.2 stays what it is, a private address.
LOOPBACK_IS_PUBLIC = PublicAddressRule(also_public=(ipaddress.ip_network("127.0.0.1/32"),))


@pytest.fixture
def api() -> Iterator[FeedServer]:
    yield from running_server()


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def run_round(server: FeedServer, db_url: str, clock: Clock, *, budget: int = 4000,
              stop_at_first_request: bool = False, **client_options: object) -> RoundReport:
    """One round; `stop_at_first_request` requests a stop as soon as the fake has the round's first request
    (from the round's own loop, as the app's shutdown and the CLI's signal handler do)."""
    async def go() -> RoundReport:
        options: dict[str, object] = {"public_rule": LOOPBACK_IS_PUBLIC, **client_options}
        client = ApiClient(clock=clock, **options)  # type: ignore[arg-type]
        stop = StopRequest()

        async def stop_once_asked() -> None:
            while not server.requests:
                await asyncio.sleep(0.01)
            stop.request()

        watcher = asyncio.create_task(stop_once_asked()) if stop_at_first_request else None
        try:
            return await check_round(apis=apis_for(server), db_url=db_url, clock=clock,
                                     budget=HourlyBudget(budget, clock=clock), client=client, stop=stop)
        finally:
            if watcher is not None:
                watcher.cancel()
            await client.aclose()
    return asyncio.run(go())


def facts(session: Session, slug: str, kind: str) -> list[ToolFact]:
    tool_id = session.exec(select(Tool.id).where(Tool.slug == slug)).one()
    session.expire_all()
    return list(session.exec(select(ToolFact).where(ToolFact.tool_id == tool_id, ToolFact.kind == kind)
                             .order_by(col(ToolFact.id))).all())


def listed(session: Session, api: FeedServer, name: str, repo: str = "", homepage: str = "") -> Tool:
    return tool(session, name, repository=repo, homepage=homepage or api.url(f"/site/{name.lower()}"))


@pytest.fixture
def seeded(session: Session, api: FeedServer) -> Session:
    categories(session)
    return session


def test_a_repository_is_read_into_a_dated_snapshot_and_the_contract_fields(
        seeded: Session, db_url: str, api: FeedServer) -> None:
    serve_github(api, "acme/agentkit")
    api.route("/site/agentkit", "<html>ok</html>", headers={"Content-Type": "text/html"})
    row = listed(seeded, api, "AgentKit", "https://github.com/acme/agentkit")
    clock = Clock(NOW + timedelta(days=2))
    report = run_round(api, db_url, clock)
    assert (report.checked, report.failed) == (2, 0)
    [fact] = facts(seeded, "agentkit", "github")
    assert (fact.stars, fact.forks, fact.open_issues, fact.latest_version, fact.archived, fact.license) == (
        95300, 1200, 87, "v0.3.1", False, "MIT")
    assert fact.read_at == clock.at and fact.topics == ["llm", "agents"]
    seeded.refresh(row)
    public = tool_public(row)
    assert public["stars"] == 95300 and public["latest_version"] == "v0.3.1"
    assert public["latest_release_at"] == datetime(2026, 11, 19, 12, tzinfo=UTC)
    assert public["link_status"] == "ok" and public["checked_at"] == clock.at and public["archived"] is False


@pytest.fixture
def private_site() -> Iterator[FeedServer]:
    yield from running_server("127.0.0.2")


def test_a_homepage_at_a_private_address_is_never_asked(
        seeded: Session, db_url: str, api: FeedServer, private_site: FeedServer) -> None:
    private_site.route("/admin", "<html>router</html>", headers={"Content-Type": "text/html"})
    listed(seeded, api, "Sneaky", homepage=private_site.url("/admin"))
    report = run_round(api, db_url, Clock(NOW + timedelta(days=2)))
    assert (report.checked, report.failed) == (0, 1)
    assert private_site.requests == [] and facts(seeded, "sneaky", "homepage") == []
    check = seeded.exec(select(ToolCheck).where(ToolCheck.kind == "homepage")).one()
    assert "refused" in check.last_error


def test_a_homepage_redirecting_to_a_private_address_is_not_followed(
        seeded: Session, db_url: str, api: FeedServer, private_site: FeedServer) -> None:
    private_site.route("/metadata", "<html>secrets</html>", headers={"Content-Type": "text/html"})
    api.redirect("/site/bouncer", 302, private_site.url("/metadata"))
    listed(seeded, api, "Bouncer")
    report = run_round(api, db_url, Clock(NOW + timedelta(days=2)))
    assert (report.checked, report.failed) == (0, 1)
    assert len(api.hits("/site/bouncer")) == 1 and private_site.requests == []
    assert facts(seeded, "bouncer", "homepage") == []


def test_a_304_adds_a_dated_copy_and_never_overwrites_history(seeded: Session, db_url: str, api: FeedServer) -> None:
    serve_github(api, "acme/agentkit")
    listed(seeded, api, "AgentKit", "https://github.com/acme/agentkit", homepage="https://github.com/acme/agentkit")
    clock = Clock(NOW + timedelta(days=2))
    run_round(api, db_url, clock)
    clock.at += timedelta(days=1, minutes=1)
    report = run_round(api, db_url, clock)
    assert report.not_modified == 1
    first, second = facts(seeded, "agentkit", "github")
    assert (first.stars, second.stars) == (95300, 95300) and second.read_at == clock.at > first.read_at
    assert api.hits("/gh/repos/acme/agentkit")[-1].headers["if-none-match"] == '"r1"'
    assert_summaries_follow_history(seeded)
    assert seeded.exec(select(Tool.facts_checked_at).where(Tool.slug == "agentkit")).one() == clock.at


def test_a_403_with_reset_stops_github_until_the_reset_and_loses_nothing(
        seeded: Session, db_url: str, api: FeedServer) -> None:
    reset = int((NOW + timedelta(days=2, minutes=30)).timestamp())
    for name in ("one", "two", "three"):
        api.route(f"/gh/repos/acme/{name}", json.dumps({"message": "API rate limit exceeded"}), status=403,
                  headers={**JSON, "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
        listed(seeded, api, name.title(), f"https://github.com/acme/{name}",
               homepage=f"https://github.com/acme/{name}")
    report = run_round(api, db_url, Clock(NOW + timedelta(days=2)), concurrency=1)
    assert report.deferred == 3 and report.failed == 0
    assert len([r for r in api.requests if r.path.startswith("/gh/")]) == 1  # the rest waited for the reset
    assert facts(seeded, "one", "github") == []


def test_our_hourly_budget_is_never_exceeded(seeded: Session, db_url: str, api: FeedServer) -> None:
    for i in range(5):
        serve_github(api, f"acme/r{i}")
        listed(seeded, api, f"R{i}", f"https://github.com/acme/r{i}", homepage=f"https://github.com/acme/r{i}")
    report = run_round(api, db_url, Clock(NOW + timedelta(days=2)), budget=4)
    assert (report.checked, report.deferred) == (2, 3)
    assert len([r for r in api.requests if r.path.startswith("/gh/")]) == 4


def test_a_missing_repository_is_marked_dead_never_deleted(seeded: Session, db_url: str, api: FeedServer) -> None:
    api.route("/site/gone", status=410)
    listed(seeded, api, "Gone", "https://github.com/acme/gone")
    run_round(api, db_url, Clock(NOW + timedelta(days=2)))
    row = seeded.exec(select(Tool).where(Tool.slug == "gone")).one()
    [fact] = facts(seeded, "gone", "github")
    assert fact.link_status == "dead" and row is not None
    assert latest_facts([row.id or 0], session=seeded)[row.id or 0].link_status == "dead"
    assert_summaries_follow_history(seeded)


def test_a_moved_repository_is_followed(seeded: Session, db_url: str, api: FeedServer) -> None:
    serve_github(api, "newowner/agentkit")
    api.redirect("/gh/repos/acme/agentkit", 301, api.url("/gh/repos/newowner/agentkit"))
    api.redirect("/gh/repos/acme/agentkit/releases/latest", 301, api.url("/gh/repos/newowner/agentkit/releases/latest"))
    listed(seeded, api, "AgentKit", "https://github.com/acme/agentkit", homepage="https://github.com/acme/agentkit")
    run_round(api, db_url, Clock(NOW + timedelta(days=2)))
    [fact] = facts(seeded, "agentkit", "github")
    assert (fact.link_status, fact.moved_to, fact.stars) == ("moved", "https://github.com/newowner/agentkit", 95300)
    seeded.expire_all()
    assert seeded.exec(select(Tool.repository).where(Tool.slug == "agentkit")).one() == \
        "https://github.com/newowner/agentkit"
    assert_summaries_follow_history(seeded)
    assert seeded.exec(select(Tool.link_status).where(Tool.slug == "agentkit")).one() == "moved"


def test_registries_and_the_hub_are_read(seeded: Session, db_url: str, api: FeedServer) -> None:
    serve_pypi(api, "fast-agent")
    serve_npm(api, "agent-kit")
    serve_huggingface(api, "acme/tiny-llm")
    listed(seeded, api, "Fast Agent", homepage="https://pypi.org/project/fast-agent/")
    listed(seeded, api, "Agent Kit", homepage="https://www.npmjs.com/package/agent-kit")
    listed(seeded, api, "Tiny LLM", homepage="https://huggingface.co/acme/tiny-llm")
    run_round(api, db_url, Clock(NOW + timedelta(days=2)))
    [pypi] = facts(seeded, "fast-agent", "pypi")
    assert (pypi.latest_version, pypi.latest_release_at) == ("1.4.0", datetime(2026, 11, 20, 8, 30, tzinfo=UTC))
    [npm] = facts(seeded, "agent-kit", "npm")
    assert (npm.latest_version, npm.downloads) == ("2.1.0", 48211)
    [hf] = facts(seeded, "tiny-llm", "huggingface")
    assert (hf.likes, hf.downloads) == (812, 120_000)
    assert_summaries_follow_history(seeded)
    assert seeded.exec(select(Tool.stars).where(Tool.slug == "tiny-llm")).one() == 812  # likes, without GitHub


def test_a_slow_answer_is_a_failure_retried_later(seeded: Session, db_url: str, api: FeedServer) -> None:
    serve_pypi(api, "slowpkg")
    api.routes["/pypi/pypi/slowpkg/json"].delay = 1.0
    listed(seeded, api, "Slowpkg", homepage="https://pypi.org/project/slowpkg/")
    clock = Clock(NOW + timedelta(days=2))
    report = run_round(api, db_url, clock, timeout=httpx.Timeout(0.3))
    assert report.failed == 1 and facts(seeded, "slowpkg", "pypi") == []
    assert run_round(api, db_url, clock).checked == 0  # backing off, not hammering


def test_a_stop_lets_the_tool_under_way_finish_whole_and_leaves_the_rest_due(
        seeded: Session, db_url: str, api: FeedServer) -> None:
    names = ["first", "second", "third", "fourth"]
    for name in names:
        serve_github(api, f"acme/{name}")
        api.routes[f"/gh/repos/acme/{name}"].delay = 0.3  # slow checks: the stop comes while one is under way
        listed(seeded, api, name.title(), f"https://github.com/acme/{name}", homepage=f"https://github.com/acme/{name}")
    clock = Clock(NOW + timedelta(days=2))
    report = run_round(api, db_url, clock, stop_at_first_request=True, concurrency=1)
    assert (report.stopped, report.checked, report.left, report.failed, report.deferred) == (True, 1, 3, 0, 0)
    assert [r.path for r in api.requests] == ["/gh/repos/acme/first", "/gh/repos/acme/first/releases/latest"]
    [fact] = facts(seeded, "first", "github")  # both of its requests, stored as one snapshot
    assert (fact.stars, fact.latest_version) == (95300, "v0.3.1")
    seeded.expire_all()
    for name in names[1:]:
        assert facts(seeded, name, "github") == []
        check = seeded.exec(select(ToolCheck).join(Tool, col(Tool.id) == ToolCheck.tool_id)
                            .where(Tool.slug == name)).one()
        assert check.last_checked_at is None and check.next_check_at <= clock.at, f"{name} is no longer due"
        assert seeded.exec(select(Tool.checked_at).where(Tool.slug == name)).one() is None
    assert_summaries_follow_history(seeded)

    again = run_round(api, db_url, clock)  # the next round takes up exactly what was left
    assert (again.stopped, again.checked, again.left) == (False, 3, 0)
    assert all(len(facts(seeded, name, "github")) == 1 for name in names)
