"""the tag filter's counts kept by triggers: `tag_count(tag, category, n)`, read instead of grouped

`popular_tags` runs on every `/tools` load (and per category): it grouped every row of `tool_tag`, 500,000 at
100,000 tools, 50-145 ms on either database. `tag_count` holds how many tools carry each tag overall and in
each category, and the filter reads its largest counts from the index `(category, n DESC, tag)`.

One table for both: the overall counts sit under the category `''`, which no category can be (a tool's
category is a category's slug, and slugs are never empty). The read, its index and the writes are then
the same for "all tools" and for one category, and each change writes its two rows in one statement.

Kept in the transaction that makes the change, so exact:
- a `tool_tag` row added or removed (0002's triggers rewrite them from `tool.tags` on insert and on every
  update of `tags`): +1 / -1 overall and in the category the tool has at that moment;
- a tool's category changed: its tags move from the old category's counts to the new one's, BEFORE the row
  changes, so an update of both tags and category counts right whichever trigger runs first: the move
  sees the old tags in `tool_tag`, and the tags' rewrite after the update counts under the new category;
- a tool deleted: BEFORE the delete its tags leave their category's counts. The cascade that then deletes
  its `tool_tag` rows can no longer see the tool (on both databases the parent row is gone when its
  children go), so those deletes take only the overall counts.
A count that reaches 0 is deleted: a tag no tool carries leaves the filter. PostgreSQL's `tool_tag` triggers
run once per statement (transition tables), its `tool` triggers once per changed row (a BEFORE trigger has
no transition table), as deletes and category changes are rare.

Note for later migrations: as with 0002's, an SQLite `batch_alter_table` on `tool` drops the triggers on it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

_UPSERT = "ON CONFLICT (tag, category) DO UPDATE SET n = tag_count.n + excluded.n"


def _leave(tool: str, category: str) -> str:
    """The tool's tags stop counting in `category` (a count left at 0 goes)."""
    tags = f"SELECT tag FROM tool_tag WHERE tool_id = {tool}"
    return (f"UPDATE tag_count SET n = n - 1 WHERE category = {category} AND tag IN ({tags}); "
            f"DELETE FROM tag_count WHERE category = {category} AND n <= 0 AND tag IN ({tags}); ")


def _join(tool: str, category: str) -> str:
    """The tool's tags start counting in `category`."""
    return (f"INSERT INTO tag_count (tag, category, n) SELECT tag, {category}, 1 FROM tool_tag "
            f"WHERE tool_id = {tool} {_UPSERT}; ")


def _sqlite_triggers() -> list[str]:
    return [
        "CREATE TRIGGER tag_count_ai AFTER INSERT ON tool_tag BEGIN "
        "INSERT INTO tag_count (tag, category, n) SELECT new.tag, '', 1 "
        f"UNION ALL SELECT new.tag, category, 1 FROM tool WHERE id = new.tool_id {_UPSERT}; END",
        "CREATE TRIGGER tag_count_ad AFTER DELETE ON tool_tag BEGIN "
        "UPDATE tag_count SET n = n - 1 "
        "WHERE tag = old.tag AND category IN ('', (SELECT category FROM tool WHERE id = old.tool_id)); "
        "DELETE FROM tag_count WHERE tag = old.tag AND n <= 0; END",
        f"CREATE TRIGGER tag_count_tool_bd BEFORE DELETE ON tool BEGIN {_leave('old.id', 'old.category')}END",
        "CREATE TRIGGER tag_count_tool_bu BEFORE UPDATE OF category ON tool "
        "WHEN old.category IS NOT new.category BEGIN "
        f"{_leave('old.id', 'old.category')}{_join('old.id', 'new.category')}END",
    ]


def _postgres_delta(rows: str) -> str:
    """+n / -n per (tag, category) for the transition table `rows`: each row counts overall, and in its
    tool's category while the tool exists.

    The category is a subquery per row, never a join with `tool`: during a bulk load the planner believes
    `tool` is a few pages (it has not been analysed yet) and hashed a join with a scan of the whole table on
    every statement, each tool's insert reading every tool before it (8,000 tools took 17 s instead of 5).
    A subquery on the primary key can only be a lookup."""
    return (f"SELECT r.tag, k.category, count(*) AS n FROM {rows} r "
            "CROSS JOIN LATERAL (VALUES (''), ((SELECT category FROM tool WHERE id = r.tool_id))) AS k (category) "
            "WHERE k.category IS NOT NULL GROUP BY r.tag, k.category")


def _postgres_functions() -> dict[str, str]:
    return {
        "tag_count_added": f"INSERT INTO tag_count (tag, category, n) {_postgres_delta('added')} {_UPSERT}; "
                           "RETURN NULL;",
        "tag_count_removed": f"UPDATE tag_count c SET n = c.n - d.n FROM ({_postgres_delta('removed')}) d "
                             "WHERE c.tag = d.tag AND c.category = d.category; "
                             "DELETE FROM tag_count WHERE n <= 0 AND tag IN (SELECT tag FROM removed); RETURN NULL;",
        "tag_count_tool_deleted": f"{_leave('OLD.id', 'OLD.category')}RETURN OLD;",
        "tag_count_tool_moved": f"{_leave('OLD.id', 'OLD.category')}{_join('OLD.id', 'NEW.category')}RETURN NEW;",
    }


_POSTGRES_TRIGGERS = {
    "tag_count_ins": "AFTER INSERT ON tool_tag REFERENCING NEW TABLE AS added FOR EACH STATEMENT "
                     "EXECUTE FUNCTION tag_count_added()",
    "tag_count_del": "AFTER DELETE ON tool_tag REFERENCING OLD TABLE AS removed FOR EACH STATEMENT "
                     "EXECUTE FUNCTION tag_count_removed()",
    "tag_count_tool_del": "BEFORE DELETE ON tool FOR EACH ROW EXECUTE FUNCTION tag_count_tool_deleted()",
    "tag_count_tool_cat": "BEFORE UPDATE OF category ON tool FOR EACH ROW "
                          "WHEN (OLD.category IS DISTINCT FROM NEW.category) EXECUTE FUNCTION tag_count_tool_moved()",
}
_TRIGGER_TABLES = {"tag_count_ins": "tool_tag", "tag_count_del": "tool_tag", "tag_count_tool_del": "tool",
                   "tag_count_tool_cat": "tool"}


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute("CREATE TABLE tag_count (tag TEXT NOT NULL, category VARCHAR(64) NOT NULL, n INTEGER NOT NULL, "
               "PRIMARY KEY (tag, category))")
    op.execute("CREATE INDEX ix_tag_count_category_n ON tag_count (category, n DESC, tag)")
    # Triggers first, then the counts: on PostgreSQL, creating a trigger waits for the writers already in
    # `tool_tag` and holds back new ones until this commits, so no change falls between the two.
    if postgres:
        for name, body in _postgres_functions().items():
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$")
        for name, definition in _POSTGRES_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
    else:
        for statement in _sqlite_triggers():
            op.execute(statement)
    op.execute("INSERT INTO tag_count (tag, category, n) SELECT tag, '', count(*) FROM tool_tag GROUP BY tag")
    op.execute("INSERT INTO tag_count (tag, category, n) SELECT tool_tag.tag, tool.category, count(*) "
               "FROM tool_tag JOIN tool ON tool.id = tool_tag.tool_id GROUP BY tool_tag.tag, tool.category")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, table in _TRIGGER_TABLES.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in _postgres_functions():
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for name in ("tag_count_ai", "tag_count_ad", "tag_count_tool_bd", "tag_count_tool_bu"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS tag_count")
