"""a tool_mentions row for every tool, and sort indexes the directory pages can walk

`tool_mentions` gets a row (0 mentions) for every tool, kept by a trigger on `tool`, so "most mentioned"
is an index walk over `(mentions, tool_id)` rather than an outer join and a sort of every tool.
`(lower(name), id)` does the same for the name sort. PostgreSQL also gets a name-only GIN index (SQLite's
FTS5 answers `{name} : …` column filters from the index it has).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("CREATE TRIGGER tool_mentions_row AFTER INSERT ON tool BEGIN "
                   "INSERT OR IGNORE INTO tool_mentions(tool_id, mentions) VALUES (new.id, 0); END")
    else:
        op.execute("CREATE FUNCTION tool_mentions_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "INSERT INTO tool_mentions(tool_id, mentions) VALUES (NEW.id, 0) ON CONFLICT DO NOTHING; "
                   "RETURN NEW; END $$")
        op.execute("CREATE TRIGGER tool_mentions_row AFTER INSERT ON tool FOR EACH ROW "
                   "EXECUTE FUNCTION tool_mentions_row()")
        # Name-only full-text index: search ranks name matches first from this small set.
        op.execute("CREATE INDEX ix_tool_name_tsv ON tool USING gin (to_tsvector('simple'::regconfig, name))")
    op.execute("INSERT INTO tool_mentions(tool_id, mentions) SELECT id, 0 FROM tool "
               "WHERE id NOT IN (SELECT tool_id FROM tool_mentions)")
    op.execute("DROP INDEX IF EXISTS ix_tool_mentions_mentions")
    op.execute("CREATE INDEX ix_tool_mentions_mentions ON tool_mentions (mentions, tool_id)")
    op.execute("DROP INDEX IF EXISTS ix_tool_name_lower")
    op.execute("CREATE INDEX ix_tool_name_lower ON tool (lower(name), id)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS tool_mentions_row")
    else:
        op.execute("DROP TRIGGER IF EXISTS tool_mentions_row ON tool")
        op.execute("DROP FUNCTION IF EXISTS tool_mentions_row()")
        op.execute("DROP INDEX IF EXISTS ix_tool_name_tsv")
    op.execute("DROP INDEX IF EXISTS ix_tool_name_lower")
    op.execute("CREATE INDEX ix_tool_name_lower ON tool (lower(name))")
    op.execute("DROP INDEX IF EXISTS ix_tool_mentions_mentions")
    op.execute("CREATE INDEX ix_tool_mentions_mentions ON tool_mentions (mentions)")
