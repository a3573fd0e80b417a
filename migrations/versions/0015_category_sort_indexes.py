"""sorts within a category: `(category, stars, id)` and `(category, latest_release_at, id)`

`/tools?category=…&sort=stars|release` (with a tag or a search, or not) read every tool of the category and
sorted them: no index had both the category and the sort (0013 added the ones for `name` and `newest`).
Walked backwards, each gives the category's tools in the page's order, most stars / newest release first,
the never-read last (PostgreSQL's put NULLs first, as `ix_tool_stars` does, so that walking backwards gives
`DESC NULLS LAST`; SQLite's NULLs are always the smallest). They also hold every column such a page's ids
need, so a tag filter's candidates are matched against the index alone, never against the table's rows.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_INDEXES = {"ix_tool_category_stars": "stars", "ix_tool_category_release": "latest_release_at"}


def upgrade() -> None:
    for name, column in _INDEXES.items():
        op.create_index(name, "tool", ["category", column, "id"], postgresql_ops={column: "NULLS FIRST"})


def downgrade() -> None:
    for name in _INDEXES:
        op.drop_index(name, table_name="tool")
