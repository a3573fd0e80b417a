"""the tag filter's counts kept by triggers: `tag_count(tag, category, n)`, read instead of grouped

`popular_tags` runs on every `/tools` load (and per category): it grouped every row of `tool_tag`, 500,000 at
100,000 tools, 50-145 ms on either database. `tag_count` holds how many tools carry each tag overall and in
each category, and the filter reads its largest counts from the index `(category, n DESC, tag)`.

One table for both: the overall counts sit under the category `''`, which no category can be (a tool's
category is a category's slug, and slugs are never empty). The read, its index and the writes are then
the same for "all tools" and for one category, and each change writes both in one statement.

Kept by triggers on `tool`, in the transaction that makes the change, so exact: a tool added counts its tags
overall and in its category, a tool removed uncounts them, a tool whose tags or category change does both.
A count that reaches 0 is deleted: a tag no tool carries leaves the filter. A tool's tags are read from its
`tags` column by the same rule as 0002's `tool_tag` triggers (each distinct text element, once), which the
tests check by comparing the counts with grouping `tool_tag` after every kind of write.

Why `tool` and not `tool_tag`: PostgreSQL keeps every version of a row updated in an open transaction, and
an update walks the versions before it, so a row updated once per tool in an import of 100,000 tools costs
the square of that. `tool_tag` is written one tool per statement (0002's per-row trigger); `tool` is written
as the statements write it, and the ORM's inserts go a thousand rows per statement. PostgreSQL's insert and
delete triggers run once per statement (transition tables) and change each count once; its update trigger
runs per changed row (an update trigger with a column list has no transition tables), as re-tagging and
re-categorising many tools at once is rare. Reading `tool_tag` from a trigger would also have been a join
the planner, on the statistics of a table a load is filling, hashed over a scan of the whole table. SQLite
updates in place, and its triggers run per row.

Note for later migrations: as with 0002's, an SQLite `batch_alter_table` on `tool` drops these triggers.

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


def _sqlite_tags(row: str) -> str:
    """FROM clause: a tool's tags as 0002's SQLite trigger reads them, the text elements of `tags`."""
    return f"json_each({row}.tags) AS j WHERE j.type = 'text'"


def _postgres_tags(row: str) -> str:
    """FROM clause: a tool's tags as 0002's PostgreSQL trigger reads them, when `tags` is an array."""
    return f"json_array_elements_text(CASE WHEN json_typeof({row}.tags) = 'array' THEN {row}.tags END) AS j (value)"


def _add(tags: str, row: str) -> str:
    """One tool's tags counted, overall and in its category (`tags` from one of the above)."""
    return (f"INSERT INTO tag_count (tag, category, n) SELECT DISTINCT j.value, k.category, 1 "
            f"FROM (SELECT '' AS category UNION ALL SELECT {row}.category) AS k, {tags} {_UPSERT}; ")


def _remove(tags: str, row: str) -> str:
    """One tool's tags uncounted; a count left at 0 goes."""
    where = f"category IN ('', {row}.category) AND tag IN (SELECT j.value FROM {tags})"
    return (f"UPDATE tag_count SET n = n - 1 WHERE {where}; "
            f"DELETE FROM tag_count WHERE n <= 0 AND {where}; ")


_SQLITE_CHANGED = "old.category IS NOT new.category OR old.tags IS NOT new.tags"


def _sqlite_triggers() -> dict[str, str]:
    return {
        "tag_count_ai": f"AFTER INSERT ON tool BEGIN {_add(_sqlite_tags('new'), 'new')}END",
        "tag_count_ad": f"AFTER DELETE ON tool BEGIN {_remove(_sqlite_tags('old'), 'old')}END",
        "tag_count_au": f"AFTER UPDATE OF tags, category ON tool WHEN {_SQLITE_CHANGED} BEGIN "
                        f"{_remove(_sqlite_tags('old'), 'old')}{_add(_sqlite_tags('new'), 'new')}END",
    }


def _postgres_counts(rows: str) -> str:
    """(tag, category, n) for the tools of the transition table `rows`: each tool's tags once, overall and in
    its category."""
    return ("SELECT value AS tag, category, count(*) AS n FROM ("
            f"SELECT DISTINCT r.id, k.category, j.value FROM {rows} AS r "
            f"CROSS JOIN LATERAL (VALUES (''), (r.category)) AS k (category), {_postgres_tags('r')}) AS each_tag "
            "GROUP BY value, category")


_POSTGRES_CHANGED = "OLD.category IS DISTINCT FROM NEW.category OR OLD.tags::text IS DISTINCT FROM NEW.tags::text"


def _postgres_functions() -> dict[str, str]:
    return {
        "tag_count_added": f"INSERT INTO tag_count (tag, category, n) {_postgres_counts('added')} {_UPSERT}; "
                           "RETURN NULL;",
        "tag_count_removed": f"UPDATE tag_count SET n = tag_count.n - gone.n FROM ({_postgres_counts('removed')}) "
                             "AS gone WHERE tag_count.tag = gone.tag AND tag_count.category = gone.category; "
                             "DELETE FROM tag_count WHERE n <= 0; RETURN NULL;",
        "tag_count_changed": f"{_remove(_postgres_tags('OLD'), 'OLD')}{_add(_postgres_tags('NEW'), 'NEW')}"
                             "RETURN NULL;",
    }


_POSTGRES_TRIGGERS = {
    "tag_count_ins": "AFTER INSERT ON tool REFERENCING NEW TABLE AS added FOR EACH STATEMENT "
                     "EXECUTE FUNCTION tag_count_added()",
    "tag_count_del": "AFTER DELETE ON tool REFERENCING OLD TABLE AS removed FOR EACH STATEMENT "
                     "EXECUTE FUNCTION tag_count_removed()",
    "tag_count_upd": f"AFTER UPDATE OF tags, category ON tool FOR EACH ROW WHEN ({_POSTGRES_CHANGED}) "
                     "EXECUTE FUNCTION tag_count_changed()",
}


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute("CREATE TABLE tag_count (tag TEXT NOT NULL, category VARCHAR(64) NOT NULL, n INTEGER NOT NULL, "
               "PRIMARY KEY (tag, category))")
    op.execute("CREATE INDEX ix_tag_count_category_n ON tag_count (category, n DESC, tag)")
    # Triggers first, then the counts: on PostgreSQL, creating a trigger waits for the writers already in
    # `tool` and holds back new ones until this commits, so no change falls between the two.
    if postgres:
        for name, body in _postgres_functions().items():
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$")
        for name, definition in _POSTGRES_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
    else:
        for name, definition in _sqlite_triggers().items():
            op.execute(f"CREATE TRIGGER {name} {definition}")
    op.execute("INSERT INTO tag_count (tag, category, n) SELECT tag, '', count(*) FROM tool_tag GROUP BY tag")
    op.execute("INSERT INTO tag_count (tag, category, n) SELECT tool_tag.tag, tool.category, count(*) "
               "FROM tool_tag JOIN tool ON tool.id = tool_tag.tool_id GROUP BY tool_tag.tag, tool.category")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in _POSTGRES_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON tool")
        for name in _postgres_functions():
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    else:
        for name in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS tag_count")
