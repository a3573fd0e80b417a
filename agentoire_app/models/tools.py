"""The directory: categories, tools and the submissions that may become tools."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .clock import utcnow
from .live import LinkStatus

# Where a submission stands in the moderation queue (stored as this text).
SubmissionStatus = Literal["pending", "approved", "rejected"]


class Category(SQLModel, table=True):
    """One of agentoire's own categories; lists we import are mapped onto these."""

    slug: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=80)
    description: str = Field(default="", max_length=300)
    position: int = Field(default=0, description="display order")


class Tool(SQLModel, table=True):
    """A listed AI tool or agent, with where the listing came from and when, and what its checks last read.

    The check columns are a summary of the newest snapshots (`ToolFact`), kept by the checks; the indexes
    serve `/tools?sort=stars|release` and `?activity=`. On PostgreSQL the sort indexes put NULLs first, so
    walked backwards they give `DESC NULLS LAST` (SQLite's NULLs are always the smallest)."""

    __table_args__ = (
        sa.Index("ix_tool_stars", "stars", "id", postgresql_ops={"stars": "NULLS FIRST"}),
        sa.Index("ix_tool_latest_release_at", "latest_release_at", "id",
                 postgresql_ops={"latest_release_at": "NULLS FIRST"}),
        sa.Index("ix_tool_last_active_at", "last_active_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=120)
    name: str = Field(max_length=120)
    tagline: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    homepage: str = Field(default="", max_length=500)
    repository: str = Field(default="", max_length=500)
    domain: str = Field(default="", index=True, max_length=255, description="homepage host, for duplicates")
    category: str = Field(default="other", foreign_key="category.slug", index=True, max_length=64)
    tags: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    pricing: str = Field(default="unknown", max_length=20, description="free|freemium|paid|open-source|unknown")
    open_source: bool = Field(default=False, index=True)
    license: str = Field(default="", max_length=60)
    source: str = Field(default="agentoire", max_length=120, description="provenance key, see catalog.sources")
    added_at: datetime = Field(default_factory=utcnow, index=True)
    updated_at: datetime = Field(default_factory=utcnow)
    checked_at: datetime | None = Field(default=None, description="when the listing was last verified")
    stars: int | None = Field(default=None, description="GitHub stars, else Hugging Face likes, as last read")
    latest_version: str | None = Field(default=None, max_length=100)
    latest_release_at: datetime | None = None
    archived: bool | None = None
    link_status: LinkStatus | None = Field(default=None, sa_type=sa.String(20),
                                           description="the worst of ok|moved|unreachable|dead")
    last_active_at: datetime | None = Field(default=None, description="later of last push and newest release")
    facts_checked_at: datetime | None = Field(default=None, description="when any source was last read")


class Submission(SQLModel, table=True):
    """A tool proposed by the public, waiting for a moderator."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    homepage: str = Field(max_length=500)
    repository: str = Field(default="", max_length=500)
    tagline: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    category: str = Field(default="other", max_length=64)
    client_key: str = Field(default="", index=True, max_length=128, description="hashed client, rate limit")
    status: SubmissionStatus = Field(default="pending", index=True, sa_type=sa.String(20),
                                     description="pending|approved|rejected")
    created_at: datetime = Field(default_factory=utcnow, index=True)
    decided_at: datetime | None = None
    tool_id: int | None = Field(default=None, foreign_key="tool.id")
