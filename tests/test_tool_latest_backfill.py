"""Migration 0011 fills the tool row's summary from the snapshots already stored, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from directory_seed import assert_summaries_follow_history, categories, tool
from sqlmodel import Session, select

from agentoire_app.db import alembic_config, get_engine
from agentoire_app.models import Tool, ToolFact

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_the_upgrade_folds_each_tools_newest_snapshots_into_its_row(db_url: str, session: Session) -> None:
    categories(session)
    gh, hub, reg, _unread = (tool(session, name) for name in ("Repo", "Hub", "Registry", "Unread"))
    history = [
        ToolFact(tool_id=gh.id or 0, kind="github", read_at=NOW - timedelta(days=9), stars=10, archived=False),
        ToolFact(tool_id=gh.id or 0, kind="github", read_at=NOW, stars=700, archived=True,
                 pushed_at=NOW - timedelta(days=30), latest_version="v1", latest_release_at=NOW - timedelta(days=60)),
        ToolFact(tool_id=gh.id or 0, kind="homepage", read_at=NOW, link_status="dead"),
        ToolFact(tool_id=hub.id or 0, kind="huggingface", read_at=NOW, likes=42),
        ToolFact(tool_id=reg.id or 0, kind="github", read_at=NOW, stars=5, latest_version="v0.9",
                 latest_release_at=NOW - timedelta(days=300), pushed_at=NOW - timedelta(days=400)),
        ToolFact(tool_id=reg.id or 0, kind="pypi", read_at=NOW - timedelta(hours=1), latest_version="1.0",
                 latest_release_at=NOW - timedelta(days=2)),
    ]
    session.add_all(history)  # stored as before 0011: nothing wrote the summary
    session.commit()
    with get_engine(db_url).begin() as connection:
        cfg = alembic_config(db_url)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0010")
        command.upgrade(cfg, "0011")
    assert_summaries_follow_history(session)
    rows = {t.name: t for t in session.exec(select(Tool)).all()}
    repo, registry = rows["Repo"], rows["Registry"]
    assert (repo.stars, repo.archived, repo.link_status, repo.facts_checked_at) == (700, True, "dead", NOW)
    assert repo.last_active_at == NOW - timedelta(days=30)
    assert (rows["Hub"].stars, rows["Unread"].stars, rows["Unread"].facts_checked_at) == (42, None, None)
    assert (registry.latest_version, registry.latest_release_at) == ("1.0", NOW - timedelta(days=2))
    assert registry.last_active_at == NOW - timedelta(days=2)
