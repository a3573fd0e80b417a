"""search indexes and mention counts

SQLite: FTS5 external-content tables `tool_fts` and `article_fts`, kept in sync with `tool` / `article` by
triggers. PostgreSQL: a stored generated `search_vector` tsvector column on each table with a GIN index.
Both: `tool_mentions(tool_id, mentions)` kept by triggers on `articletool`, so "most mentioned" sorts on an
index instead of grouping every link; `tool_tag(tool_id, tag)` kept by triggers on `tool.tags`, so the tag
filter and "alternatives" read an index instead of parsing JSON; plus the indexes the directory's sorts and filters read.

Writers (ingest, catalog) need no extra code: the database keeps all of this current.

Note for later migrations: an SQLite `batch_alter_table` on `tool` or `article` recreates the table and
drops its triggers; re-run this module's `_sqlite_triggers()` after such a change.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TOOL_COLS = "name, tagline, description, tags"
_ARTICLE_COLS = "title, summary"


def _fts_trigger_sql(table: str, fts: str, cols: str) -> list[str]:
    new_vals = ", ".join(f"new.{c}" for c in cols.split(", "))
    old_vals = ", ".join(f"old.{c}" for c in cols.split(", "))
    return [
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new_vals}); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old_vals}); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old_vals}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new_vals}); END",
    ]


def _sqlite_triggers() -> list[str]:
    return [
        *_fts_trigger_sql("tool", "tool_fts", _TOOL_COLS),
        *_fts_trigger_sql("article", "article_fts", _ARTICLE_COLS),
        "CREATE TRIGGER tool_mentions_ai AFTER INSERT ON articletool BEGIN "
        "INSERT INTO tool_mentions(tool_id, mentions) VALUES (new.tool_id, 1) "
        "ON CONFLICT(tool_id) DO UPDATE SET mentions = mentions + 1; END",
        "CREATE TRIGGER tool_mentions_ad AFTER DELETE ON articletool BEGIN "
        "UPDATE tool_mentions SET mentions = mentions - 1 WHERE tool_id = old.tool_id; END",
        "CREATE TRIGGER tool_tag_ai AFTER INSERT ON tool BEGIN "
        "INSERT OR IGNORE INTO tool_tag(tool_id, tag) SELECT new.id, value FROM json_each(new.tags) "
        "WHERE type = 'text'; END",
        "CREATE TRIGGER tool_tag_au AFTER UPDATE OF tags ON tool BEGIN "
        "DELETE FROM tool_tag WHERE tool_id = old.id; "
        "INSERT OR IGNORE INTO tool_tag(tool_id, tag) SELECT new.id, value FROM json_each(new.tags) "
        "WHERE type = 'text'; END",
    ]


def _create_side_tables() -> None:
    op.execute("CREATE TABLE tool_mentions (tool_id INTEGER PRIMARY KEY "
               "REFERENCES tool(id) ON DELETE CASCADE, mentions INTEGER NOT NULL DEFAULT 0)")
    # One row per (tool, tag): the tag filter and "alternatives" read an index instead of parsing JSON.
    op.execute("CREATE TABLE tool_tag (tool_id INTEGER NOT NULL REFERENCES tool(id) ON DELETE CASCADE, "
               "tag TEXT NOT NULL, PRIMARY KEY (tool_id, tag))")
    op.execute("CREATE INDEX ix_tool_tag_tag ON tool_tag (tag, tool_id)")


def _upgrade_sqlite() -> None:
    # unicode61 folds case and diacritics; prefix indexes make "as you type" queries cheap.
    opts = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'"
    op.execute(f"CREATE VIRTUAL TABLE tool_fts USING fts5({_TOOL_COLS}, content='tool', "
               f"content_rowid='id', {opts})")
    op.execute(f"CREATE VIRTUAL TABLE article_fts USING fts5({_ARTICLE_COLS}, content='article', "
               f"content_rowid='id', {opts})")
    _create_side_tables()
    for statement in _sqlite_triggers():
        op.execute(statement)
    op.execute("INSERT OR IGNORE INTO tool_tag(tool_id, tag) SELECT tool.id, j.value "
               "FROM tool, json_each(tool.tags) AS j WHERE j.type = 'text'")
    op.execute("INSERT INTO tool_fts(tool_fts) VALUES ('rebuild')")
    op.execute("INSERT INTO article_fts(article_fts) VALUES ('rebuild')")


def _upgrade_postgres() -> None:
    # 'simple' (no stemming) keeps prefix matching predictable: "lang" must find "LangChain".
    op.execute(
        "ALTER TABLE tool ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', coalesce(name, '')), 'A') || "
        "setweight(to_tsvector('simple', coalesce(tagline, '')), 'B') || "
        "setweight(to_tsvector('simple', coalesce(tags::text, '')), 'B') || "
        "setweight(to_tsvector('simple', coalesce(description, '')), 'C')) STORED"
    )
    op.execute("CREATE INDEX ix_tool_search_vector ON tool USING gin (search_vector)")
    op.execute(
        "ALTER TABLE article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('simple', coalesce(summary, '')), 'C')) STORED"
    )
    op.execute("CREATE INDEX ix_article_search_vector ON article USING gin (search_vector)")
    _create_side_tables()
    op.execute(
        "CREATE FUNCTION tool_tag_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' THEN DELETE FROM tool_tag WHERE tool_id = OLD.id; END IF; "
        "IF json_typeof(NEW.tags) = 'array' THEN "
        "INSERT INTO tool_tag(tool_id, tag) SELECT DISTINCT NEW.id, e FROM json_array_elements_text(NEW.tags) AS e "
        "ON CONFLICT DO NOTHING; END IF; RETURN NEW; END $$"
    )
    op.execute("CREATE TRIGGER tool_tag_ins AFTER INSERT ON tool FOR EACH ROW EXECUTE FUNCTION tool_tag_sync()")
    op.execute("CREATE TRIGGER tool_tag_upd AFTER UPDATE OF tags ON tool FOR EACH ROW "
               "EXECUTE FUNCTION tool_tag_sync()")
    op.execute("INSERT INTO tool_tag(tool_id, tag) SELECT DISTINCT tool.id, e FROM tool, "
               "json_array_elements_text(tool.tags) AS e WHERE json_typeof(tool.tags) = 'array' ON CONFLICT DO NOTHING")
    op.execute(
        "CREATE FUNCTION tool_mentions_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'INSERT' THEN "
        "INSERT INTO tool_mentions(tool_id, mentions) VALUES (NEW.tool_id, 1) "
        "ON CONFLICT (tool_id) DO UPDATE SET mentions = tool_mentions.mentions + 1; RETURN NEW; "
        "ELSE UPDATE tool_mentions SET mentions = mentions - 1 WHERE tool_id = OLD.tool_id; RETURN OLD; "
        "END IF; END $$"
    )
    op.execute("CREATE TRIGGER tool_mentions_sync AFTER INSERT OR DELETE ON articletool "
               "FOR EACH ROW EXECUTE FUNCTION tool_mentions_sync()")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _upgrade_sqlite()
    elif dialect == "postgresql":
        _upgrade_postgres()
    else:
        raise NotImplementedError(f"agentoire supports SQLite and PostgreSQL, not {dialect}")
    op.execute("INSERT INTO tool_mentions(tool_id, mentions) "
               "SELECT tool_id, count(*) FROM articletool GROUP BY tool_id")
    op.execute("CREATE INDEX ix_tool_mentions_mentions ON tool_mentions (mentions)")
    op.execute("CREATE INDEX ix_tool_name_lower ON tool (lower(name))")
    op.execute("CREATE INDEX ix_tool_added_at_id ON tool (added_at, id)")
    op.execute("CREATE INDEX ix_tool_category_added_at ON tool (category, added_at)")
    op.execute("CREATE INDEX ix_tool_pricing ON tool (pricing)")
    op.execute("CREATE INDEX ix_article_published_at_id ON article (published_at, id)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for index in ("ix_article_published_at_id", "ix_tool_pricing", "ix_tool_category_added_at",
                  "ix_tool_added_at_id", "ix_tool_name_lower", "ix_tool_mentions_mentions"):
        op.execute(f"DROP INDEX IF EXISTS {index}")
    if dialect == "sqlite":
        for name in ("tool_fts_ai", "tool_fts_ad", "tool_fts_au", "article_fts_ai", "article_fts_ad",
                     "article_fts_au", "tool_mentions_ai", "tool_mentions_ad", "tool_tag_ai", "tool_tag_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS tool_fts")
        op.execute("DROP TABLE IF EXISTS article_fts")
    elif dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS tool_mentions_sync ON articletool")
        op.execute("DROP FUNCTION IF EXISTS tool_mentions_sync()")
        op.execute("DROP TRIGGER IF EXISTS tool_tag_ins ON tool")
        op.execute("DROP TRIGGER IF EXISTS tool_tag_upd ON tool")
        op.execute("DROP FUNCTION IF EXISTS tool_tag_sync()")
        op.execute("ALTER TABLE tool DROP COLUMN IF EXISTS search_vector")
        op.execute("ALTER TABLE article DROP COLUMN IF EXISTS search_vector")
    op.execute("DROP TABLE IF EXISTS tool_mentions")
    op.execute("DROP TABLE IF EXISTS tool_tag")
