"""tool_fact (tool_id, kind, id): the newest snapshot per tool and source from the index alone

`/tools?sort=stars|release` and `?activity=` fold the newest snapshot of each (tool, source) over the whole
check history (`max(id)` grouped by tool and kind). With `id` in the index after `(tool_id, kind)`,
PostgreSQL answers that from an index-only scan and SQLite walks each group's last entry, instead of
reading every snapshot row; the history grows with every check round, the index keeps the fold cheap.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tool_fact_tool_kind_id", "tool_fact", ["tool_id", "kind", "id"])


def downgrade() -> None:
    op.drop_index("ix_tool_fact_tool_kind_id", table_name="tool_fact")
