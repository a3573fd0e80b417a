"""The tag filter's counts (`tag_count`, kept by triggers) are always what grouping `tool_tag` gives, on both
databases, whatever writes the tools: the ORM, bulk statements, the shipped catalog, `agentoire catalog
import`, and the migration that fills them from the tools already there."""

from __future__ import annotations

import re
from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic import command
from directory_seed import BASE, categories, tool
from sqlmodel import Session, col, select

from agentoire_app.catalog.loader import load_default_catalog
from agentoire_app.cli.main import main
from agentoire_app.db import alembic_config, get_engine
from agentoire_app.models import Category, Tool
from agentoire_app.services.tools import popular_tags, tag_count, tool_tag


def _grouped(session: Session, category: str | None = None) -> list[tuple[str, int]]:
    """What `popular_tags` read before the counts were kept: every `tool_tag` row grouped, the truth."""
    stmt = sa.select(tool_tag.c.tag, sa.func.count().label("n"))
    if category:
        stmt = stmt.join(Tool, col(Tool.id) == tool_tag.c.tool_id).where(col(Tool.category) == category)
    stmt = stmt.group_by(tool_tag.c.tag).order_by(sa.desc("n"), tool_tag.c.tag)
    return [(tag, int(n)) for tag, n in session.execute(stmt).all()]


def assert_counts_are_grouped(session: Session) -> None:
    """Overall and in every category, the kept counts are the grouped ones, in the same order; no count is
    0 or less (a tag no tool carries is gone), and none is kept under a category that does not exist."""
    session.commit()
    slugs = list(session.exec(select(Category.slug)).all())
    for category in (None, *slugs):
        truth = _grouped(session, category)
        assert popular_tags(session=session, limit=100_000, category=category) == truth, category
        assert popular_tags(session=session, limit=3, category=category) == truth[:3], category
    kept = session.execute(sa.select(tag_count.c.category, tag_count.c.n)).all()
    assert all(n > 0 for _category, n in kept), kept
    assert {category for category, _n in kept} <= {"", *slugs}


def _bulk(names: list[str], **fields: object) -> list[dict[str, object]]:
    return [{"slug": name.lower(), "name": name, "tagline": "", "description": "", "homepage": "", "repository": "",
             "domain": "", "category": "other", "tags": [], "pricing": "unknown", "open_source": False, "license": "",
             "source": "test", "added_at": BASE, "updated_at": BASE, **fields} for name in names]


def _tool(session: Session, slug: str) -> Tool:
    return session.exec(select(Tool).where(Tool.slug == slug)).one()


def test_counts_follow_every_way_tools_are_written(session: Session) -> None:
    categories(session, "agents", "coding", "models", "other")
    assert popular_tags(session=session) == []
    # Added one at a time (the ORM), with repeated tags, no tags, and tags shared across categories.
    tool(session, "Zed", category="agents", tags=["llm", "rag", "python"])
    tool(session, "Alpha", category="agents", tags=["llm", "llm", "cli"])
    tool(session, "Beta", category="coding", tags=["llm", "python"])
    tool(session, "Gamma", category="models", tags=[])
    assert_counts_are_grouped(session)
    assert popular_tags(session=session) == [("llm", 3), ("python", 2), ("cli", 1), ("rag", 1)]
    assert popular_tags(session=session, category="agents") == [("llm", 2), ("cli", 1), ("python", 1), ("rag", 1)]
    tool(session, "Delta", category="models", tags=["vision", 5, "vision"])  # a number: a tag on PostgreSQL only
    assert_counts_are_grouped(session)
    # Many in one statement (a bulk load): PostgreSQL counts each statement's rows at once.
    session.execute(sa.insert(Tool), _bulk([f"Bulk{i}" for i in range(12)], category="coding", tags=["bulk", "llm"]))
    session.execute(sa.insert(Tool), _bulk(["Mixed1", "Mixed2"], category="models", tags=["bulk", "audio"]))
    assert_counts_are_grouped(session)
    # Tags edited: one added, one dropped, all dropped, the same tags written again.
    zed = _tool(session, "zed")
    zed.tags = ["llm", "rag", "python", "agents"]
    session.add(zed)
    session.commit()
    alpha = _tool(session, "alpha")
    alpha.tags = []
    session.add(alpha)
    session.commit()
    session.execute(sa.update(Tool).where(col(Tool.slug) == "beta").values(tags=["llm", "python"]))
    assert_counts_are_grouped(session)
    assert ("cli", 1) not in popular_tags(session=session)  # its only tool dropped it: the tag is gone
    # Category changed: alone, then together with the tags in the same UPDATE, then many tools at once.
    beta = _tool(session, "beta")
    beta.category = "agents"
    session.add(beta)
    session.commit()
    assert_counts_are_grouped(session)
    zed = _tool(session, "zed")
    zed.category, zed.tags = "models", ["audio", "rag"]
    session.add(zed)
    session.commit()
    assert_counts_are_grouped(session)
    session.execute(sa.update(Tool).where(col(Tool.slug).like("bulk1%")).values(category="agents"))
    session.execute(sa.update(Tool).where(col(Tool.slug).like("bulk%"), col(Tool.category) == "coding")
                    .values(category="models", tags=["bulk", "vision"]))
    session.execute(sa.update(Tool).where(col(Tool.slug) == "gamma").values(category="models"))  # unchanged
    assert_counts_are_grouped(session)
    assert popular_tags(session=session, category="coding") == []  # every coding tool moved out
    # Deleted: one (the ORM), then many in one statement, then the tags a whole category had.
    session.delete(_tool(session, "beta"))
    session.commit()
    assert_counts_are_grouped(session)
    session.execute(sa.delete(Tool).where(col(Tool.slug).like("bulk%")))
    assert_counts_are_grouped(session)
    session.execute(sa.delete(Tool).where(col(Tool.category) == "agents"))
    assert_counts_are_grouped(session)
    # Undone: the rolled-back changes leave no trace in the counts.
    session.execute(sa.delete(Tool))
    session.rollback()
    assert_counts_are_grouped(session)
    session.execute(sa.delete(Tool))
    assert_counts_are_grouped(session)
    assert session.execute(sa.select(sa.func.count()).select_from(tag_count)).scalar_one() == 0


def _catalog(path: Path, entries: list[tuple[str, str, list[str]]]) -> str:
    tools = [{"name": name, "homepage": f"https://{name.lower()}.example.com", "category": category,
              "tags": tags} for name, category, tags in entries]
    path.write_text(yaml.safe_dump({"tools": tools}), encoding="utf-8")
    return str(path)


def test_counts_follow_the_shipped_catalog_and_catalog_imports(session: Session, tmp_path: Path) -> None:
    load_default_catalog(session=session)  # what every start does: 375 tools, their tags and categories
    assert_counts_are_grouped(session)
    listing = tmp_path / "our-list.yaml"
    first = [("Kettle", "coding-agents", ["cli", "python"]), ("Lantern", "coding-agents", ["cli"]),
             ("Marble", "observability", ["tracing", "python"])]
    assert main(["catalog", "import", _catalog(listing, first)]) == 0
    session.rollback()
    assert_counts_are_grouped(session)
    before = dict(popular_tags(session=session, limit=100_000, category="observability"))
    # The same list again, edited: tags changed, a tool moved to another category, both at once.
    second = [("Kettle", "coding-agents", ["cli", "rust"]), ("Lantern", "observability", ["cli"]),
              ("Marble", "agent-frameworks", ["evals"])]
    assert main(["catalog", "import", _catalog(listing, second)]) == 0
    session.rollback()
    assert_counts_are_grouped(session)
    after = dict(popular_tags(session=session, limit=100_000, category="observability"))
    assert (after["cli"], after["tracing"]) == (before.get("cli", 0) + 1, before["tracing"] - 1)


def test_the_migration_counts_the_tags_already_there(db_url: str, session: Session) -> None:
    categories(session, "agents", "coding")
    tool(session, "Zed", category="agents", tags=["llm", "rag"])
    tool(session, "Alpha", category="coding", tags=["llm"])
    with get_engine(db_url).begin() as connection:
        cfg = alembic_config(db_url)
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "0013")
    tool(session, "Beta", category="coding", tags=["llm", "python"])  # written while nothing kept counts
    with get_engine(db_url).begin() as connection:
        cfg = alembic_config(db_url)
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
    assert_counts_are_grouped(session)
    assert popular_tags(session=session, category="coding") == [("llm", 2), ("python", 1)]


def test_keeping_the_counts_never_scans_the_tables_a_load_is_filling(postgres_url: str) -> None:
    """PostgreSQL plans the triggers' statements while a load fills `tool`, on statistics that still call it
    nearly empty, and keeps those plans: each statement keeping the counts must reach a tool and its tags
    through an index, or every tool added reads every tool added before it (a load grows quadratically)."""
    plans: list[str] = []
    with get_engine(postgres_url).begin() as conn:
        conn.execute(sa.insert(Category), [{"slug": slug, "name": slug, "description": "", "position": 0}
                                           for slug in ("agents", "coding")])
        for i in range(400):  # one statement per tool, as a load or an import writes them
            conn.execute(sa.insert(Tool), _bulk([f"Load{i}"], category=("agents", "coding")[i % 2], tags=["a", "b"]))
        conn.connection.driver_connection.add_notice_handler(  # type: ignore[union-attr]
            lambda notice: plans.append(notice.message_primary or ""))
        for setting in ("auto_explain.log_min_duration = 0", "auto_explain.log_nested_statements = on",
                        "auto_explain.log_level = notice", "client_min_messages = notice"):
            conn.exec_driver_sql(f"SET {setting}")
        conn.exec_driver_sql("LOAD 'auto_explain'")
        conn.execute(sa.insert(Tool), _bulk(["Late"], category="agents", tags=["a", "c"]))
        conn.execute(sa.update(Tool).where(col(Tool.slug) == "load1").values(tags=["b", "d"]))
        conn.execute(sa.update(Tool).where(col(Tool.slug) == "load2").values(category="coding"))
        conn.execute(sa.delete(Tool).where(col(Tool.slug) == "load3"))
    counting = [plan for plan in plans if "tag_count" in plan.split("\n", 2)[1]]
    assert len(counting) >= 6, plans
    assert not [plan for plan in counting if re.search(r"Seq Scan on tool(_tag)?\b", plan)], counting


def _rows_written(session: Session) -> int:
    """Rows of `tag_count` this transaction inserted, updated or deleted so far (PostgreSQL's own tally)."""
    return int(session.execute(sa.text("SELECT n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
                                       "WHERE relname = 'tag_count'")).scalar_one())


def test_many_tools_added_or_deleted_together_change_each_count_once(postgres_url: str) -> None:
    """PostgreSQL keeps every version of a row that an open transaction updates, and each update walks the
    versions before it: a count changed once per tool would make an import of 100,000 tools cost their
    square. Tools added in one statement (the ORM sends a thousand per statement) or deleted in one change
    each count once."""
    with Session(get_engine(postgres_url)) as session:
        categories(session, "agents", "coding")
        session.add_all(Tool(slug=f"t{i}", name=f"T{i}", category=("agents", "coding")[i % 2],
                             tags=[("a", "b", "c")[i % 3], ("d", "e")[i % 2]]) for i in range(300))
        session.flush()
        counts = session.execute(sa.select(sa.func.count()).select_from(tag_count)).scalar_one()
        assert _rows_written(session) == counts == 5 + 8  # 5 tags overall, 8 (tag, category) pairs
        session.execute(sa.delete(Tool))
        assert _rows_written(session) == 3 * counts  # each count updated to 0 once, then deleted
        session.rollback()
