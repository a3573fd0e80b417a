"""What the tool checks read, as pages and the CLI show it: one line of stats, the warnings, the history.

The fold of the newest snapshots into a `FactSummary` and the activity rule live with the checks
(`checks.latest`), which write the summary as they read; they are re-exported here for the pages.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col, select

from ..checks.latest import (
    ACTIVE_DAYS,
    ACTIVITIES,
    QUIET_DAYS,
    FactSummary,
    latest_facts,
    summarize,
)
from ..models import Tool, ToolFact, to_stored, utcnow

__all__ = ["ACTIVITIES", "FactSummary", "latest_facts", "summarize"]


def fact_history(tool_id: int, kind: str, *, session: Session, limit: int = 100) -> list[ToolFact]:
    """One source's snapshots of a tool, newest first (the history the checks never overwrite)."""
    return list(session.exec(select(ToolFact).where(ToolFact.tool_id == tool_id, ToolFact.kind == kind)
                             .order_by(col(ToolFact.read_at).desc(), col(ToolFact.id).desc()).limit(limit)).all())


def facts_public(tool: Tool) -> dict[str, object]:
    """The contract's check fields of `tools list --json` and `/api/tools`, from the row's summary (null
    until read), so a page of tools costs no read of the snapshot history."""
    return {"stars": tool.stars, "latest_version": tool.latest_version, "latest_release_at": tool.latest_release_at,
            "archived": tool.archived, "link_status": tool.link_status, "checked_at": tool.facts_checked_at}


def _count(value: int) -> str:
    """95300 → "95.3k", 1_200_000 → "1.2M": the way people say star counts."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if value >= 1000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return str(value)


def _ago(when: datetime, now: datetime) -> str:
    days = max(0, (to_stored(now) - to_stored(when)).days)
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    return f"{days // 30} months ago" if days < 730 else f"{days // 365} years ago"


def stats_line(summary: FactSummary, now: datetime | None = None) -> str:
    """"★ 95.3k · v0.3.1 released 12 days ago · active": what a practitioner asks first, in one line."""
    now = now or utcnow()
    parts: list[str] = []
    if summary.stars is not None:
        parts.append(f"★ {_count(summary.stars)}")
    if summary.downloads is not None:
        parts.append(f"{_count(summary.downloads)} downloads")
    if summary.latest_version:
        released = f" released {_ago(summary.latest_release_at, now)}" if summary.latest_release_at else ""
        parts.append(f"{summary.latest_version}{released}")
    activity = summary.activity(now)
    if activity:
        parts.append(activity)
    return " · ".join(parts)


def warnings(summary: FactSummary, now: datetime | None = None) -> list[str]:
    """What a reader should know before choosing: archived, stale, a dead or moved link (never hidden)."""
    found = []
    activity = summary.activity(now)
    if activity == "archived":
        found.append("archived by its maintainers: read-only, no new releases")
    elif activity == "stale":
        found.append(f"stale: no push or release for more than {QUIET_DAYS} days")
    if summary.link_status == "dead":
        found.append("dead link: the homepage or repository answered 404/410")
    elif summary.link_status == "unreachable":
        found.append("unreachable: the site did not answer (domain gone?)")
    elif summary.link_status == "moved" and summary.moved_to:
        found.append(f"moved to {summary.moved_to}")
    return found


class often_true(FunctionElement[bool]):  # a SQL function, named as SQL functions are
    """A condition SQLite's planner should take as true for about half the rows: `likelihood(X, 0.5)` there,
    the bare condition elsewhere (PostgreSQL estimates it from its statistics).

    Without statistics on the range, SQLite guesses a bound on `last_active_at` keeps a sixteenth of the
    tools, so it read the whole range and sorted it for a page of 30 (a fifth of 100,000 tools for
    "quiet"); told the truth, that a bucket holds a large share, it walks the sort's index and stops at the
    page. The count still reads the range, from the `(last_active_at, archived)` index alone."""

    type = sa.Boolean()
    inherit_cache = True
    name = "often_true"


@compiles(often_true)
def _often_true(element: often_true, compiler: SQLCompiler, **kw: Any) -> str:
    return "(" + compiler.process(next(iter(element.clauses)), **kw) + ")"


@compiles(often_true, "sqlite")
def _often_true_sqlite(element: often_true, compiler: SQLCompiler, **kw: Any) -> str:
    return "likelihood(" + compiler.process(next(iter(element.clauses)), **kw) + ", 0.5)"


def activity_clause(activity: str, now: datetime) -> sa.ColumnElement[bool]:
    """`FactSummary.activity`'s rule as a WHERE clause on the tool row's summary (same days, same order).

    Bucketed here at query time rather than stored, because the bucket moves with the clock alone; a count
    reads the range from the `(last_active_at, archived)` index, a page walks its sort's index (see
    `often_true`)."""
    archived = col(Tool.archived)
    if activity == "archived":
        return archived.is_(True)
    active_since = to_stored(now) - timedelta(days=ACTIVE_DAYS)
    quiet_since = to_stored(now) - timedelta(days=QUIET_DAYS)
    last = col(Tool.last_active_at)
    by_age = {"active": often_true(last >= active_since),
              "quiet": sa.and_(often_true(last < active_since), often_true(last >= quiet_since)),
              "stale": often_true(last < quiet_since)}[activity]
    return sa.and_(archived.is_not(True), by_age)
