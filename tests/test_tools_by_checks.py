"""`/tools` sorted and filtered by what the tool checks read: stars, the newest release, activity
(active / quiet / stale / archived), on both databases; the same rule as the tool page's summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from directory_seed import categories, tool
from sqlmodel import Session, select

from agentoire_app.models import Tool, ToolFact
from agentoire_app.services.directory import ToolQuery, query_tools, tool_query_from_params
from agentoire_app.services.paging import BadQuery
from agentoire_app.services.tool_facts import latest_facts

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def read(session: Session, row: Tool, kind: str, days_ago: int = 1, **facts: object) -> None:
    session.add(ToolFact(tool_id=row.id or 0, kind=kind, read_at=NOW - timedelta(days=days_ago), **facts))  # type: ignore[arg-type]
    session.commit()


@pytest.fixture
def seeded(session: Session) -> Session:
    categories(session)
    busy = tool(session, "Busy", days=1)
    read(session, busy, "github", days_ago=9, stars=10, pushed_at=NOW - timedelta(days=400))  # older snapshot
    read(session, busy, "github", stars=5000, pushed_at=NOW - timedelta(days=3),
         latest_release_at=NOW - timedelta(days=40), latest_version="v2")
    calm = tool(session, "Calm", days=2)
    read(session, calm, "github", stars=800, pushed_at=NOW - timedelta(days=200))
    read(session, calm, "pypi", latest_version="1.4", latest_release_at=NOW - timedelta(days=5))
    old = tool(session, "Old", days=3)
    read(session, old, "github", stars=90000, pushed_at=NOW - timedelta(days=30), archived=True)
    faded = tool(session, "Faded", days=4)
    read(session, faded, "github", stars=3, pushed_at=NOW - timedelta(days=900))
    model = tool(session, "Model", days=5)
    read(session, model, "huggingface", likes=1200)
    tool(session, "Unread", days=6)
    return session


def names(session: Session, **params: str) -> list[str]:
    query = tool_query_from_params(params, now=NOW)
    return [t.name for t in query_tools(query, session=session).items]


def test_stars_sort_takes_each_sources_newest_snapshot_and_puts_the_unread_last(seeded: Session) -> None:
    assert names(seeded, sort="stars") == ["Old", "Busy", "Model", "Calm", "Faded", "Unread"]


def test_release_sort_prefers_a_registrys_release_to_the_repositorys(seeded: Session) -> None:
    assert names(seeded, sort="release")[:2] == ["Calm", "Busy"]


@pytest.mark.parametrize(("activity", "expected"), [
    ("active", ["Busy", "Calm"]), ("quiet", []), ("stale", ["Faded"]), ("archived", ["Old"])])
def test_activity_filter_follows_the_tool_pages_rule(seeded: Session, activity: str, expected: list[str]) -> None:
    found = names(seeded, activity=activity, sort="name")
    assert found == expected
    summaries = latest_facts([t.id or 0 for t in seeded.exec(select(Tool)).all()],
                             session=seeded)
    by_rule = sorted(t.name for t in seeded.exec(select(Tool)).all()
                     if (s := summaries.get(t.id or 0)) is not None and s.activity(NOW) == activity)
    assert found == by_rule


def test_activity_and_stars_combine_with_the_other_filters_and_count(seeded: Session) -> None:
    query = tool_query_from_params({"activity": "active", "sort": "stars", "q": "calm"}, now=NOW)
    page = query_tools(query, session=seeded)
    assert [t.name for t in page.items] == ["Calm"] and page.total == 1


def test_an_unknown_activity_or_sort_is_refused_by_name() -> None:
    with pytest.raises(BadQuery, match="activity"):
        tool_query_from_params({"activity": "busy"})
    with pytest.raises(BadQuery, match="sort"):
        tool_query_from_params({"sort": "hype"})
    assert ToolQuery(activity="active") != ToolQuery()
