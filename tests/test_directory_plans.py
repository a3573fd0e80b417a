"""The directory's queries read indexes made for them, so their cost follows the page, not the catalog.

Plans, never times: each statement `query_tools` runs is explained on the database that ran it. SQLite's
plans are checked as its planner makes them; PostgreSQL's with sequential scans and sorts priced out
(`enable_seqscan`, `enable_sort` off), since on a handful of rows it rightly prefers reading the table: what
is checked is that an index able to answer the statement exists and is the one taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import directory_seed as seed
import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session, col

from agentoire_app.models import Tool
from agentoire_app.services.directory import ToolQuery, query_tools
from agentoire_app.services.tools import count_tools, popular_tags

NOW = seed.BASE + timedelta(days=400)


@pytest.fixture
def catalog(session: Session) -> Session:
    """Forty tools over four categories and three pricings, a third of them checked at different ages."""
    seed.categories(session)
    for i in range(40):
        row = seed.tool(session, f"Tool {i:02d}", days=i, category=("agents", "coding", "models", "other")[i % 4],
                        pricing=("free", "paid", "freemium")[i % 3], tags=["agent"] if i % 2 else ["code"])
        if i % 3 == 0:
            seed.snapshot(session, row, "github", read_at=NOW, stars=i * 10, archived=i % 9 == 0,
                          pushed_at=NOW - timedelta(days=10 * i))
    session.connection().exec_driver_sql("ANALYZE")
    session.commit()
    return session


# SQLite's statistics (`sqlite_stat1`) of bench/directory.py's 100,000 tools and 300,000 tags: "rows, rows per
# value of the first column, of the first two, …". SQLite plans by them, and some choices only show at that scale.
STATS_AT_100K = {
    "tool_tag": {"ix_tool_tag_tag": "300324 4768 1", "sqlite_autoindex_tool_tag_1": "300324 4 1"},
    "tool": {"ix_tool_category_release": "100000 5883 7 1", "ix_tool_category_stars": "100000 5883 2 1",
             "ix_tool_archived": "100000 33334 59", "ix_tool_activity": "100000 111 59",
             "ix_tool_category_pricing": "100000 5883 1177 1 1", "ix_tool_category_name": "100000 5883 1 1",
             "ix_tool_last_active_at": "100000 111", "ix_tool_latest_release_at": "100000 104 1",
             "ix_tool_stars": "100000 3 1", "ix_tool_name_lower": "100000 1 1", "ix_tool_pricing": "100000 20000",
             "ix_tool_category_added_at": "100000 5883 1", "ix_tool_added_at_id": "100000 1 1",
             "ix_tool_slug": "100000 1", "ix_tool_open_source": "100000 50000", "ix_tool_domain": "100000 1",
             "ix_tool_category": "100000 5883", "ix_tool_added_at": "100000 1"},
}


@pytest.fixture
def at_scale(catalog: Session) -> Session:
    """The catalog, planned on SQLite as if it held 100,000 tools (PostgreSQL keeps its own statistics)."""
    if not _is_postgres(catalog):
        conn = catalog.connection()
        for table, indexes in STATS_AT_100K.items():
            conn.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE tbl = ?", (table,))
            for index, stat in indexes.items():
                conn.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", (table, index, stat))
        conn.exec_driver_sql("ANALYZE sqlite_schema")  # read the statistics again
    return catalog


def _plans(session: Session, work: Callable[[], object]) -> list[tuple[str, str]]:
    """(statement, plan text) of every statement `work` runs."""
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if not statement.startswith("EXPLAIN"):
            statements.append((statement, parameters))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    conn = session.connection()
    postgres = conn.dialect.name == "postgresql"
    if postgres:
        conn.exec_driver_sql("SET enable_seqscan = off")
        conn.exec_driver_sql("SET enable_sort = off")
    explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
    plans = [(statement, " | ".join(str(row[-1]) for row in conn.exec_driver_sql(explain + statement, parameters)))
             for statement, parameters in statements]
    if postgres:
        conn.exec_driver_sql("RESET enable_seqscan")
        conn.exec_driver_sql("RESET enable_sort")
    return plans


def _plan_of(plans: list[tuple[str, str]], starts: str) -> str:
    found = [plan for statement, plan in plans if " ".join(statement.split()).startswith(starts)]
    assert len(found) == 1, plans
    return found[0]


def _page(session: Session, query: ToolQuery, *, offset: int = 0) -> Iterator[str]:
    plans = _plans(session, lambda: query_tools(query, session=session, limit=5, offset=offset))
    yield _plan_of(plans, "SELECT tool.id FROM tool")
    yield _plan_of(plans, "SELECT count(*)") if any("count(*)" in s for s, _ in plans) else ""


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _walks_in_order(plan: str, session: Session) -> bool:
    """No sort of every matching row: an index walked in the page's order (PostgreSQL may finish ties on
    `id` with an incremental sort, a few rows at a time)."""
    if not _is_postgres(session):
        return "TEMP B-TREE" not in plan
    return "Sort" not in plan.replace("Incremental Sort", "").replace("Sort Key", "").replace("Presorted Key", "")


def test_a_category_sorted_by_name_walks_one_index_and_counts_from_it(catalog: Session) -> None:
    page, count = _page(catalog, ToolQuery(category="coding", sort="name"))
    assert "ix_tool_category_name" in page and _walks_in_order(page, catalog), page
    assert "Seq Scan" not in count and ("COVERING INDEX" in count or _is_postgres(catalog)), count


def test_a_category_and_pricing_count_reads_only_their_index(catalog: Session) -> None:
    _page_plan, count = _page(catalog, ToolQuery(category="coding", pricing="paid", sort="newest"))
    assert "ix_tool_category_pricing" in count, count
    if not _is_postgres(catalog):
        assert "COVERING INDEX" in count, count


@pytest.mark.parametrize("activity", ["active", "quiet", "stale", "archived"])
@pytest.mark.parametrize("sort", ["newest", "stars", "name"])
def test_an_activity_page_walks_its_sort_and_counts_from_the_activity_index(
        catalog: Session, activity: str, sort: str) -> None:
    page, count = _page(catalog, ToolQuery(activity=activity, sort=sort, now=NOW))
    assert _walks_in_order(page, catalog), page
    # Either activity index answers (which one depends on how many rows the planner expects): never the table.
    assert "ix_tool_activity" in count or "ix_tool_archived" in count, count
    if not _is_postgres(catalog):
        assert "COVERING INDEX" in count, count


def test_a_deep_page_by_name_stays_in_the_index_and_the_total_is_the_kept_count(catalog: Session) -> None:
    plans = _plans(catalog, lambda: query_tools(ToolQuery(sort="name"), session=catalog, limit=5, offset=30))
    page = _plan_of(plans, "SELECT tool.id FROM tool")
    assert "ix_tool_name_lower" in page and _walks_in_order(page, catalog), page
    if _is_postgres(catalog):  # `lower(name)` read from the index: no table row per skipped tool
        assert "Index Only Scan" in page, page
    assert not any("count(*)" in statement for statement, _ in plans), plans
    _plan_of(plans, "SELECT tool_count.tools FROM tool_count")


@pytest.mark.parametrize(("sort", "index"), [("stars", "ix_tool_category_stars"),
                                             ("release", "ix_tool_category_release")])
def test_a_category_by_stars_or_release_walks_its_index(catalog: Session, sort: str, index: str) -> None:
    page, _count = _page(catalog, ToolQuery(category="coding", sort=sort, now=NOW))
    assert index in page and _walks_in_order(page, catalog), page


@pytest.mark.parametrize(("sort", "index"), [("stars", "ix_tool_category_stars"),
                                             ("release", "ix_tool_category_release"),
                                             ("name", "ix_tool_category_name"),
                                             ("newest", "ix_tool_category_added_at")])
def test_a_tag_in_a_category_walks_the_categorys_sort_index_and_counts_from_the_kept_counts(
        at_scale: Session, sort: str, index: str) -> None:
    """SQLite tests each tool the category's index gives, in order, against the tag's set, where it would fetch
    every tool of the tag and sort them all (at 100,000 tools, thousands for a common tag); PostgreSQL reads
    the category's ids from the index alone. The total is the tag's kept count in the category: no count runs."""
    plans = _plans(at_scale, lambda: query_tools(ToolQuery(category="coding", tag="agent", sort=sort, now=NOW),
                                                 session=at_scale, limit=5))
    page = _plan_of(plans, "SELECT tool.id FROM tool")
    assert index in page and _walks_in_order(page, at_scale), page
    if not _is_postgres(at_scale):
        assert "LIST SUBQUERY" in page, page
    assert not any("count(*)" in statement for statement, _ in plans), plans
    _plan_of(plans, "SELECT tag_count.n FROM tag_count")


@pytest.mark.parametrize("category", [None, "coding"])
def test_the_tag_filter_walks_its_kept_counts_and_never_groups_the_tags(catalog: Session, category: str | None) -> None:
    plans = _plans(catalog, lambda: popular_tags(session=catalog, category=category))
    plan = _plan_of(plans, "SELECT tag_count.tag, tag_count.n FROM tag_count")
    assert "ix_tag_count_category_n" in plan and _walks_in_order(plan, catalog), plan
    assert "tool_tag" not in plan, plan


def test_the_kept_count_follows_every_insert_and_delete(session: Session) -> None:
    seed.categories(session)
    seed.tool(session, "One")
    seed.tool(session, "Two")
    session.execute(sa.insert(Tool), [  # one statement adding many rows (a catalog import, the bench)
        {"slug": f"bulk-{i}", "name": f"Bulk {i}", "tagline": "", "description": "", "homepage": "",
         "repository": "", "domain": "", "category": "other", "tags": [], "pricing": "unknown",
         "open_source": False, "license": "", "source": "test", "added_at": seed.BASE, "updated_at": seed.BASE}
        for i in range(25)])
    session.commit()
    assert count_tools(session=session) == 27
    session.execute(sa.delete(Tool).where(col(Tool.slug).like("bulk-1%")))
    session.delete(session.get(Tool, 1))
    session.commit()
    expected = session.execute(sa.select(sa.func.count()).select_from(Tool)).scalar_one()
    assert expected == 15 and count_tools(session=session) == expected
