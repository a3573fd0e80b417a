"""The tool page's news: the newest articles naming the tool and how many name it, read in one statement
(on a busy PostgreSQL every round trip waits for its turn), without the articles' bodies."""

from __future__ import annotations

from typing import Any

import directory_seed as seed
import pytest
from sqlalchemy import event
from sqlalchemy.exc import InvalidRequestError
from sqlmodel import Session

from agentoire_app.db import get_engine
from agentoire_app.services.tools import mention_count, tool_timeline


def test_the_timeline_is_newest_first_with_the_count_of_every_mention(session: Session) -> None:
    seed.categories(session)
    src = seed.source(session)
    named, quiet = seed.tool(session, "Claude"), seed.tool(session, "Quiet")
    for day in (-3, -1, -2):
        seed.article(session, src, f"Claude on day {day}", days=day, mentions=(named,))

    timeline = tool_timeline(named.id or 0, session=session, limit=2)
    assert [a.title for a, _source in timeline.news] == ["Claude on day -1", "Claude on day -2"]
    assert timeline.mentions == 3 == mention_count(named.id or 0, session=session)
    assert tool_timeline(quiet.id or 0, session=session) == type(timeline)([], 0)


def test_the_timeline_is_one_statement_and_leaves_the_bodies_unread(session: Session) -> None:
    seed.categories(session)
    src = seed.source(session)
    named = seed.tool(session, "Claude")
    seed.article(session, src, "Claude ships", mentions=(named,))
    session.expunge_all()
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    engine = get_engine(str(session.get_bind().url))
    event.listen(engine, "before_cursor_execute", record)
    try:
        timeline = tool_timeline(named.id or 0, session=session)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) == 1 and "content_html" not in statements[0]
    article, _source = timeline.news[0]
    with pytest.raises(InvalidRequestError):
        _ = article.content_html  # a timeline shows titles: reading a body is a mistake, said at once


def test_on_postgresql_each_tool_gets_its_own_statement_so_its_own_plan(postgres_url: str) -> None:
    """psycopg prepares a statement after five runs and PostgreSQL may then plan it once for every tool:
    for a popular tool that generic plan read every mention. The tool's id is in the text instead."""
    engine = get_engine(postgres_url)
    with Session(engine, expire_on_commit=False) as session:
        seed.categories(session)
        popular, rare = seed.tool(session, "Popular"), seed.tool(session, "Rare")
        statements: list[str] = []

        def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            tool_timeline(popular.id or 0, session=session)
            tool_timeline(rare.id or 0, session=session)
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert statements[0] != statements[1]
    assert f"tool_id = {popular.id}" in statements[0] and f"tool_id = {rare.id}" in statements[1]
