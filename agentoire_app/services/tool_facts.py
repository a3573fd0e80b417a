"""What the tool checks read, as pages and the CLI show it: one line of stats, the warnings, the history.

The fold of the newest snapshots into a `FactSummary` and the activity rule live with the checks
(`checks.latest`), which write the summary as they read; they are re-exported here for the pages.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..checks.latest import (
    ACTIVE_DAYS,
    ACTIVITIES,
    QUIET_DAYS,
    FactSummary,
    latest_facts,
    summarize,
)
from ..models import ToolFact, to_stored, utcnow

__all__ = ["ACTIVITIES", "FactSummary", "latest_facts", "summarize"]


def fact_history(tool_id: int, kind: str, *, session: Session, limit: int = 100) -> list[ToolFact]:
    """One source's snapshots of a tool, newest first (the history the checks never overwrite)."""
    return list(session.exec(select(ToolFact).where(ToolFact.tool_id == tool_id, ToolFact.kind == kind)
                             .order_by(col(ToolFact.read_at).desc(), col(ToolFact.id).desc()).limit(limit)).all())


def facts_public(summary: FactSummary | None) -> dict[str, object]:
    """The contract's check fields of `tools list --json` (null until read)."""
    s = summary or FactSummary()
    return {"stars": s.stars, "latest_version": s.latest_version, "latest_release_at": s.latest_release_at,
            "archived": s.archived, "link_status": s.link_status, "checked_at": s.checked_at}


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


def standing_subquery() -> sa.Subquery:
    """`summarize`'s sortable part in SQL, one row per tool ever read: `stars` (GitHub, else Hugging Face
    likes), `release_at` (a registry's release when it names a version, else the repository's), `pushed_at`
    and `archived` (GitHub's). The newest snapshot per (tool, source) is found on the
    `(tool_id, kind, id)` index, so `/tools` can sort and filter 10,000 tools without loading them."""
    newest = sa.select(sa.func.max(col(ToolFact.id))).group_by(col(ToolFact.tool_id), col(ToolFact.kind))
    kind = col(ToolFact.kind)

    def of(kinds: tuple[str, ...], column: Any, *also: sa.ColumnElement[bool]) -> sa.ColumnElement[Any]:
        return sa.func.max(sa.case((sa.and_(kind.in_(kinds), *also), column), else_=None))

    registry_release = of(("pypi", "npm"), col(ToolFact.latest_release_at), col(ToolFact.latest_version).is_not(None))
    github_release = of(("github",), col(ToolFact.latest_release_at))
    facts = (sa.select(col(ToolFact.tool_id).label("tool_id"),
                       of(("github",), col(ToolFact.stars)).label("github_stars"),
                       of(("huggingface",), col(ToolFact.likes)).label("likes"),
                       registry_release.label("registry_release"), github_release.label("github_release"),
                       of(("github",), col(ToolFact.pushed_at)).label("pushed_at"),
                       sa.func.max(sa.case((sa.and_(kind == "github", col(ToolFact.archived).is_(True)), 1),
                                           else_=0)).label("archived"))
             .where(col(ToolFact.id).in_(newest)).group_by(col(ToolFact.tool_id)).subquery())
    release = sa.func.coalesce(facts.c.registry_release, facts.c.github_release)
    last_active = sa.case((facts.c.pushed_at.is_(None), release), (release.is_(None), facts.c.pushed_at),
                          (facts.c.pushed_at > release, facts.c.pushed_at), else_=release)
    return sa.select(facts.c.tool_id, sa.func.coalesce(facts.c.github_stars, facts.c.likes).label("stars"),
                     release.label("release_at"), last_active.label("last_active_at"),
                     facts.c.archived).subquery("standing")


def activity_clause(standing: sa.Subquery, activity: str, now: datetime) -> sa.ColumnElement[bool]:
    """`FactSummary.activity`'s rule as a WHERE clause on `standing_subquery()` (same days, same order)."""
    if activity == "archived":
        return standing.c.archived == 1
    active_since = to_stored(now) - timedelta(days=ACTIVE_DAYS)
    quiet_since = to_stored(now) - timedelta(days=QUIET_DAYS)
    last = standing.c.last_active_at
    by_age = {"active": last >= active_since,
              "quiet": sa.and_(last < active_since, last >= quiet_since),
              "stale": last < quiet_since}[activity]
    return sa.and_(standing.c.archived == 0, by_age)
