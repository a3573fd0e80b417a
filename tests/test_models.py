"""The schema: migrations create it on both databases, and its constraints hold."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from agentoire_app.db import get_engine, upgrade_schema
from agentoire_app.models import Article, ArticleTool, Category, Source, Tool


def test_migrations_create_every_table(empty_db_url: str) -> None:
    upgrade_schema(empty_db_url)
    names = set(sa.inspect(get_engine(empty_db_url)).get_table_names())
    assert {"tool", "category", "source", "article", "articletool", "submission", "lease",
            "alembic_version"} <= names


def test_upgrade_twice_is_a_no_op(empty_db_url: str) -> None:
    upgrade_schema(empty_db_url)
    from agentoire_app import db

    db._upgraded.clear()
    upgrade_schema(empty_db_url)
    with get_engine(empty_db_url).connect() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert len(versions) == 1


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url: str) -> None:
    upgrade_schema(sqlite_url)
    with get_engine(sqlite_url).connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1


def _tool(slug: str = "ollama", category: str = "model-runtimes") -> Tool:
    return Tool(slug=slug, name=slug.title(), category=category, tags=["local", "llm"],
                added_at=datetime(2024, 1, 2, tzinfo=UTC))


def test_a_tool_round_trips_with_tags_and_utc_dates(session: Session) -> None:
    session.add(Category(slug="model-runtimes", name="Model runtimes"))
    session.add(_tool())
    session.commit()
    tool = session.exec(select(Tool)).one()
    assert tool.tags == ["local", "llm"]
    assert tool.added_at == datetime(2024, 1, 2, tzinfo=UTC)


def test_tool_slugs_are_unique(session: Session) -> None:
    session.add(Category(slug="model-runtimes", name="Model runtimes"))
    session.add(_tool())
    session.commit()
    session.add(_tool())
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_a_tool_needs_a_known_category(session: Session) -> None:
    session.add(_tool(category="no-such-category"))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_an_article_is_unique_per_source_and_guid(session: Session) -> None:
    source = Source(url="https://example.org/feed.xml")
    session.add(source)
    session.commit()
    session.add(Article(slug="a", source_id=source.id, guid="g1", title="A"))
    session.commit()
    session.add(Article(slug="b", source_id=source.id, guid="g1", title="B"))
    with pytest.raises(sa.exc.IntegrityError):
        session.commit()


def test_deleting_an_article_drops_its_tool_links(session: Session) -> None:
    session.add(Category(slug="model-runtimes", name="Model runtimes"))
    source = Source(url="https://example.org/feed.xml")
    tool = _tool()
    session.add_all([source, tool])
    session.commit()
    article = Article(slug="a", source_id=source.id, guid="g1", title="A")
    session.add(article)
    session.commit()
    session.add(ArticleTool(article_id=article.id, tool_id=tool.id))
    session.commit()
    session.execute(sa.delete(Article).where(Article.id == article.id))
    session.commit()
    assert session.exec(select(ArticleTool)).all() == []
