"""What keeps the directory current: tools found in the news, and dated facts read at each tool's source.

Candidates are keyed by what identifies a tool outside agentoire (`github:owner/repo`, `pypi:name`,
`site:example.com`), so a second article about the same repository adds evidence instead of a second
candidate, and a rejected key stays rejected (the row is kept with its status, never deleted).

Facts are snapshots: every check appends a row, so the history of stars or releases is never overwritten.
`ToolCheck` holds what the next check needs (validators, when it is due, how often it failed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .clock import utcnow

# Where a candidate stands (stored as this text): waiting, listed as a new tool, turned down for good, or
# folded into a tool already listed.
CandidateStatus = Literal["pending", "approved", "rejected", "merged"]
# What a tool's homepage answered: alive, 404/410, redirected to another site, or no answer at all.
LinkStatus = Literal["ok", "dead", "moved", "unreachable"]


class ToolCandidate(SQLModel, table=True):
    """A tool the news talks about that the directory does not list yet, waiting for a moderator."""

    __tablename__ = "tool_candidate"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, unique=True, max_length=300, description="kind:identity, e.g. github:owner/repo")
    name: str = Field(max_length=120)
    url: str = Field(max_length=1000)
    kind: str = Field(max_length=20, description="github|huggingface|pypi|npm|launch")
    category: str = Field(default="other", max_length=64, description="suggested, from the articles")
    status: CandidateStatus = Field(default="pending", index=True, sa_type=sa.String(20),
                                    description="pending|approved|rejected|merged")
    mentions: int = Field(default=0, description="articles that carry it")
    first_seen: datetime = Field(default_factory=utcnow, index=True)
    last_seen: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    tool_id: int | None = Field(default=None, foreign_key="tool.id", ondelete="SET NULL")


class CandidateEvidence(SQLModel, table=True):
    """One article that mentions a candidate, with the sentence that does."""

    __tablename__ = "candidate_evidence"

    candidate_id: int = Field(foreign_key="tool_candidate.id", primary_key=True, ondelete="CASCADE")
    article_id: int = Field(foreign_key="article.id", primary_key=True, index=True, ondelete="CASCADE")
    sentence: str = Field(default="", max_length=500)
    seen_at: datetime = Field(default_factory=utcnow)


class ToolFact(SQLModel, table=True):
    """What one source (GitHub, PyPI, npm, Hugging Face, the homepage) said about a tool at `read_at`."""

    __tablename__ = "tool_fact"
    # (tool_id, kind, id) finds the newest snapshot per source without reading the history (migration 0011).
    __table_args__ = (sa.Index("ix_tool_fact_tool_kind_read", "tool_id", "kind", "read_at"),
                      sa.Index("ix_tool_fact_tool_kind_id", "tool_id", "kind", "id"))

    id: int | None = Field(default=None, primary_key=True)
    tool_id: int = Field(foreign_key="tool.id", ondelete="CASCADE")
    kind: str = Field(max_length=20, description="github|pypi|npm|huggingface|homepage")
    read_at: datetime = Field(default_factory=utcnow)
    stars: int | None = None
    forks: int | None = None
    open_issues: int | None = None
    pushed_at: datetime | None = None
    latest_version: str | None = Field(default=None, max_length=100)
    latest_release_at: datetime | None = None
    archived: bool | None = None
    license: str | None = Field(default=None, max_length=60)
    topics: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON, nullable=False))
    downloads: int | None = None
    likes: int | None = None
    link_status: LinkStatus = Field(default="ok", sa_type=sa.String(20), description="ok|dead|moved|unreachable")
    moved_to: str | None = Field(default=None, max_length=1000)


class ToolCheck(SQLModel, table=True):
    """The check state of one (tool, kind): the ETag to send, when it is next due, the failures in a row."""

    __tablename__ = "tool_check"

    tool_id: int = Field(foreign_key="tool.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(primary_key=True, max_length=20)
    etag: str | None = Field(default=None, max_length=500)
    next_check_at: datetime = Field(default_factory=utcnow, index=True)
    last_checked_at: datetime | None = None
    error_count: int = Field(default=0)
    last_error: str = Field(default="", max_length=500)
