"""The article page's previous / next links: the news list's order (newest first, ties by id), found by
walking the (published_at, id) index from the article, so their cost does not grow with the archive."""

from __future__ import annotations

from typing import Any

import directory_seed as seed
from sqlmodel import Session, select
from statements import statements_of

from agentoire_app.db import get_engine, upgrade_schema
from agentoire_app.models import Article
from agentoire_app.services.news import article_neighbours


def test_neighbours_follow_the_news_order_with_ties_broken_by_id(session: Session) -> None:
    src = seed.source(session)
    oldest = seed.article(session, src, "Oldest", days=-3)
    tie_a = seed.article(session, src, "Tie one", days=-2)
    tie_b = seed.article(session, src, "Tie two", days=-2)  # same published_at, larger id
    newest = seed.article(session, src, "Newest", days=0)
    assert tie_a.published_at == tie_b.published_at and (tie_a.id or 0) < (tie_b.id or 0)

    assert article_neighbours(oldest, session=session) == (None, tie_a.slug)
    assert article_neighbours(tie_a, session=session) == (oldest.slug, tie_b.slug)
    assert article_neighbours(tie_b, session=session) == (tie_a.slug, newest.slug)
    assert article_neighbours(newest, session=session) == (tie_b.slug, None)


def test_finding_a_neighbour_never_sorts_the_archive(sqlite_url: str) -> None:
    """SQLite's plan for each query the service runs walks the index and stops: no temporary sort of every
    older article (what the spelled-out OR cost). PostgreSQL's plan depends on its statistics."""
    upgrade_schema(sqlite_url)
    engine = get_engine(sqlite_url)
    with Session(engine, expire_on_commit=False) as session:
        src = seed.source(session)
        for day in range(-5, 0):
            seed.article(session, src, f"Day {day}", days=day)
        article = session.exec(select(Article).where(Article.title == "Day -3")).one()
        for analyzed in (False, True):  # with and without the planner's statistics
            if analyzed:
                session.connection().exec_driver_sql("ANALYZE")
            for statement, parameters in _statements_of(engine, lambda: article_neighbours(article, session=session)):
                plan = " ".join(str(row[-1]) for row in session.connection().exec_driver_sql(
                    "EXPLAIN QUERY PLAN " + statement, parameters).all())
                # SEARCH: a range from the article; SCAN or a temporary sort would walk the archive.
                assert plan.startswith("SEARCH") and "SCAN" not in plan and "TEMP B-TREE" not in plan, plan


def _statements_of(engine: Any, work: Any) -> list[tuple[str, Any]]:
    statements = statements_of(engine, work)
    assert len(statements) == 2
    return statements
