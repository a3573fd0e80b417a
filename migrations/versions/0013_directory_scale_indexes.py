"""directory at 100,000 tools: indexes matching each filter + sort, covering counts, a kept tool count

At 10× today's catalog the directory's costs grew faster than the catalog, each for a reason a plan shows:

- `/tools?category=…&sort=name` sorted every tool of the category (no index had both): `(category,
  lower(name), id)` is walked in order and stops at the page.
- `?category=…&pricing=…` counted by reading each of the category's rows: `(category, pricing, added_at,
  id)` counts from the index alone and walks the newest-first page.
- `?activity=…` counted by reading every row in the `last_active_at` range to test `archived`:
  `(last_active_at, archived)` answers the count from the index; `(archived, last_active_at)` answers
  "archived", which had no index at all and scanned the table.
- PostgreSQL cannot answer `lower(name)` from an index on the expression alone, so `sort=name` read a
  table row for every tool it skipped (a deep page, 9,000 of them): both name indexes carry `name` too
  (`INCLUDE`), and the skipping stays in the index.
- The unfiltered total (every deep page, `sort=stars|release`, the status bar) was `count(*)` over the whole
  table, a sequential scan of 100,000 wide rows on PostgreSQL: `tool_count` holds it, kept by triggers in
  the same transaction as the insert or delete, so it is exact. PostgreSQL's triggers run once per
  statement (transition tables), so a catalog import of thousands of tools updates the row once, not once
  per tool.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_INDEXES = {
    "ix_tool_category_name": "tool (category, lower(name), id)",
    "ix_tool_category_pricing": "tool (category, pricing, added_at, id)",
    "ix_tool_activity": "tool (last_active_at, archived)",
    "ix_tool_archived": "tool (archived, last_active_at)",
}
_WITH_NAME = " INCLUDE (name)"  # PostgreSQL: lets a scan of `lower(name)` stay in the index


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, columns in _INDEXES.items():
        include = _WITH_NAME if postgres and name == "ix_tool_category_name" else ""
        op.execute(f"CREATE INDEX {name} ON {columns}{include}")
    if postgres:
        op.execute("DROP INDEX IF EXISTS ix_tool_name_lower")
        op.execute(f"CREATE INDEX ix_tool_name_lower ON tool (lower(name), id){_WITH_NAME}")
    op.execute("CREATE TABLE tool_count (id INTEGER PRIMARY KEY CHECK (id = 1), tools INTEGER NOT NULL)")
    op.execute("INSERT INTO tool_count (id, tools) SELECT 1, count(*) FROM tool")
    if not postgres:
        op.execute("CREATE TRIGGER tool_count_ai AFTER INSERT ON tool BEGIN "
                   "UPDATE tool_count SET tools = tools + 1; END")
        op.execute("CREATE TRIGGER tool_count_ad AFTER DELETE ON tool BEGIN "
                   "UPDATE tool_count SET tools = tools - 1; END")
    else:
        op.execute("CREATE FUNCTION tool_count_added() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "UPDATE tool_count SET tools = tools + (SELECT count(*) FROM added); RETURN NULL; END $$")
        op.execute("CREATE FUNCTION tool_count_removed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "UPDATE tool_count SET tools = tools - (SELECT count(*) FROM removed); RETURN NULL; END $$")
        op.execute("CREATE TRIGGER tool_count_ins AFTER INSERT ON tool REFERENCING NEW TABLE AS added "
                   "FOR EACH STATEMENT EXECUTE FUNCTION tool_count_added()")
        op.execute("CREATE TRIGGER tool_count_del AFTER DELETE ON tool REFERENCING OLD TABLE AS removed "
                   "FOR EACH STATEMENT EXECUTE FUNCTION tool_count_removed()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS tool_count_ai")
        op.execute("DROP TRIGGER IF EXISTS tool_count_ad")
    else:
        op.execute("DROP TRIGGER IF EXISTS tool_count_ins ON tool")
        op.execute("DROP TRIGGER IF EXISTS tool_count_del ON tool")
        op.execute("DROP FUNCTION IF EXISTS tool_count_added()")
        op.execute("DROP FUNCTION IF EXISTS tool_count_removed()")
        op.execute("DROP INDEX IF EXISTS ix_tool_name_lower")
        op.execute("CREATE INDEX ix_tool_name_lower ON tool (lower(name), id)")
    op.execute("DROP TABLE IF EXISTS tool_count")
    for name in reversed(_INDEXES):
        op.execute(f"DROP INDEX IF EXISTS {name}")
