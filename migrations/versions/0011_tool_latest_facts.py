"""tool: the newest check facts summed up on the row, indexed for /tools' stars and release sorts and activity

`/tools?sort=stars|release` and `?activity=` folded the newest snapshot per (tool, source) over the whole
`tool_fact` history on every request, which grows with every check round. The fold now lives on the tool
row (written by the checks with each snapshot); activity is bucketed at query time from `last_active_at`,
since it changes with the clock alone. The backfill folds the existing snapshots with the application's
own rule (`summarize`), so the columns equal what the tool page showed before the upgrade.

On PostgreSQL the sort indexes put NULLs first: walked backwards they serve `DESC NULLS LAST` (tools never
read come last); SQLite orders NULLs lowest anyway.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

from agentoire_app.checks.latest import latest_columns, summarize
from agentoire_app.models import ToolFact

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_COLUMNS: tuple[sa.Column[Any], ...] = (
    sa.Column("stars", sa.Integer(), nullable=True),
    sa.Column("latest_version", sa.String(length=100), nullable=True),
    sa.Column("latest_release_at", UTCDateTime(), nullable=True),
    sa.Column("archived", sa.Boolean(), nullable=True),
    sa.Column("link_status", sa.String(length=20), nullable=True),
    sa.Column("last_active_at", UTCDateTime(), nullable=True),
    sa.Column("facts_checked_at", UTCDateTime(), nullable=True),
)
# The snapshot columns the fold reads, as they are at this revision.
_FACT_FIELDS = ("tool_id", "kind", "read_at", "stars", "forks", "open_issues", "pushed_at", "latest_version",
                "latest_release_at", "archived", "license", "downloads", "likes", "link_status", "moved_to")


def upgrade() -> None:
    for column in _COLUMNS:  # plain ALTERs: a batch copy of `tool` on SQLite would drop its search triggers
        op.add_column("tool", column.copy())
    op.create_index("ix_tool_stars", "tool", ["stars", "id"], postgresql_ops={"stars": "NULLS FIRST"})
    op.create_index("ix_tool_latest_release_at", "tool", ["latest_release_at", "id"],
                    postgresql_ops={"latest_release_at": "NULLS FIRST"})
    op.create_index("ix_tool_last_active_at", "tool", ["last_active_at"])
    _backfill(op.get_bind())


def _backfill(bind: sa.engine.Connection) -> None:
    """Fold each (tool, source)'s newest snapshot into the tool's columns, a few hundred tools at a time."""
    typed: dict[str, sa.types.TypeEngine[Any]] = {"read_at": UTCDateTime(), "pushed_at": UTCDateTime(),
                                                 "latest_release_at": UTCDateTime(), "archived": sa.Boolean()}
    fact = sa.table("tool_fact", sa.column("id", sa.Integer),
                    *(sa.column(name, typed.get(name)) for name in _FACT_FIELDS))
    tool = sa.table("tool", sa.column("id", sa.Integer), *(sa.column(c.name, c.type) for c in _COLUMNS))
    tool_ids = [row[0] for row in bind.execute(sa.select(fact.c.tool_id).distinct().order_by(fact.c.tool_id))]
    update = (sa.update(tool).where(tool.c.id == sa.bindparam("tool_id_"))
              .values({c.name: sa.bindparam(c.name) for c in _COLUMNS}))
    for i in range(0, len(tool_ids), 400):
        chunk = tool_ids[i:i + 400]
        newest = (sa.select(sa.func.max(fact.c.id)).where(fact.c.tool_id.in_(chunk))
                  .group_by(fact.c.tool_id, fact.c.kind))
        grouped: dict[int, list[ToolFact]] = {}
        for row in bind.execute(sa.select(*(fact.c[name] for name in _FACT_FIELDS)).where(fact.c.id.in_(newest))):
            values: dict[str, Any] = dict(row._mapping)
            grouped.setdefault(values["tool_id"], []).append(ToolFact(**values))
        bind.execute(update, [{"tool_id_": tool_id, **latest_columns(summarize(facts))}
                              for tool_id, facts in grouped.items()])


def downgrade() -> None:
    op.drop_index("ix_tool_last_active_at", table_name="tool")
    op.drop_index("ix_tool_latest_release_at", table_name="tool")
    op.drop_index("ix_tool_stars", table_name="tool")
    for column in reversed(_COLUMNS):
        op.drop_column("tool", column.name)
