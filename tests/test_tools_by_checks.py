"""`/tools` sorted and filtered by what the tool checks read: stars, the newest release, activity
(active / quiet / stale / archived), on both databases; the same rule as the tool page's summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from directory_seed import assert_summaries_follow_history, categories, snapshot, tool
from sqlmodel import Session, select

from agentoire_app.db import get_engine
from agentoire_app.models import Tool
from agentoire_app.services.directory import SORTS, ToolQuery, query_tools, tool_query_from_params
from agentoire_app.services.paging import BadQuery
from agentoire_app.services.tool_facts import ACTIVITIES, latest_facts
from agentoire_app.state.tools_list import ACTIVITY_LABELS, SORT_LABELS, tools_href

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def read(session: Session, row: Tool, kind: str, days_ago: int = 1, **facts: object) -> None:
    snapshot(session, row, kind, read_at=NOW - timedelta(days=days_ago), **facts)


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


def test_the_tools_page_offers_every_sort_and_activity_the_query_takes() -> None:
    assert set(SORT_LABELS) == {"", *SORTS}
    assert set(ACTIVITY_LABELS) == {"", *ACTIVITIES}
    href = tools_href({"activity": "quiet", "sort": "release", "page": "1"})
    assert href == "/tools?activity=quiet&sort=release"
    assert tool_query_from_params({"activity": "quiet", "sort": "release"}).effective_sort() == "release"


def test_the_newest_snapshot_per_source_has_its_own_index(db_url: str) -> None:
    # The stars / release sorts and the activity filter fold max(id) per (tool_id, kind) over the whole
    # history; this index answers it without reading the snapshot rows.
    indexes = sa.inspect(get_engine(db_url)).get_indexes("tool_fact")
    assert ["tool_id", "kind", "id"] in [ix["column_names"] for ix in indexes]


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
def test_the_stars_release_and_activity_columns_have_their_indexes(db_url: str) -> None:
    # /tools walks these instead of folding the snapshot history per request.
    indexes = [ix["column_names"] for ix in sa.inspect(get_engine(db_url)).get_indexes("tool")]
    assert ["stars", "id"] in indexes and ["latest_release_at", "id"] in indexes and ["last_active_at"] in indexes


def test_the_rows_summary_is_the_fold_of_the_newest_snapshots(seeded: Session) -> None:
    assert_summaries_follow_history(seeded)
    busy = seeded.exec(select(Tool).where(Tool.name == "Busy")).one()
    assert (busy.stars, busy.latest_version, busy.archived) == (5000, "v2", None)  # GitHub did not say
    assert busy.last_active_at == NOW - timedelta(days=3)  # the push, later than the release


def test_activity_moves_with_the_clock_alone(seeded: Session) -> None:
    # Busy pushed 3 days before NOW: a year later it is stale with no new check.
    later = tool_query_from_params({"activity": "stale", "sort": "name"}, now=NOW + timedelta(days=400))
    assert "Busy" in [t.name for t in query_tools(later, session=seeded).items]
    assert "Busy" not in names(seeded, activity="stale")
