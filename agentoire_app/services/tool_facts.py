"""What the tool checks read, as pages and the CLI show it: the newest snapshot per source, summed up.

Snapshots (`ToolFact`) are history and never rewritten; `latest_facts` reads the newest row of each
(tool, source) and folds them into one `FactSummary`: stars from GitHub (else Hugging Face likes), the
newest version from a registry (else the repository's latest release), the worst link status, and when
any of it was read. Activity is a rule with its reasons, kept here once for the tool page, `/tools` and
compare.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..models import ToolFact, to_stored, utcnow
from ..models.live import LinkStatus

# A repository pushed to within 90 days is active; within a year, quiet; beyond, stale. Archived trumps all.
ACTIVE_DAYS = 90
QUIET_DAYS = 365
ACTIVITIES = ("active", "quiet", "stale", "archived")
_LINK_ORDER = {"ok": 0, "moved": 1, "unreachable": 2, "dead": 3}
_CHUNK = 400


@dataclass(frozen=True)
class FactSummary:
    """One tool's facts as last read, for display; None where no source said."""

    stars: int | None = None
    forks: int | None = None
    open_issues: int | None = None
    latest_version: str | None = None
    latest_release_at: datetime | None = None
    pushed_at: datetime | None = None
    archived: bool | None = None
    license: str | None = None
    downloads: int | None = None
    likes: int | None = None
    link_status: LinkStatus | None = None
    moved_to: str | None = None
    checked_at: datetime | None = None

    def activity(self, now: datetime | None = None) -> str | None:
        """active / quiet / stale / archived, from the last push or release; None when never read."""
        if self.archived:
            return "archived"
        last = max((d for d in (self.pushed_at, self.latest_release_at) if d is not None), default=None)
        if last is None:
            return None
        age = to_stored(now or utcnow()) - to_stored(last)
        if age <= timedelta(days=ACTIVE_DAYS):
            return "active"
        return "quiet" if age <= timedelta(days=QUIET_DAYS) else "stale"


def summarize(facts: Sequence[ToolFact]) -> FactSummary:
    """Fold the newest snapshot of each source into one summary (see the module's rules)."""
    by_kind = {f.kind: f for f in facts}
    github, hf = by_kind.get("github"), by_kind.get("huggingface")
    registry = by_kind.get("pypi") or by_kind.get("npm")
    links = [f for f in facts if f.link_status]
    worst = max(links, key=lambda f: _LINK_ORDER.get(f.link_status, 0), default=None)
    release_from = registry if registry and registry.latest_version else github
    return FactSummary(
        stars=github.stars if github else (hf.likes if hf else None),
        forks=github.forks if github else None,
        open_issues=github.open_issues if github else None,
        latest_version=release_from.latest_version if release_from else None,
        latest_release_at=release_from.latest_release_at if release_from else None,
        pushed_at=github.pushed_at if github else None,
        archived=github.archived if github else None,
        license=github.license if github else None,
        downloads=(registry.downloads if registry else None) or (hf.downloads if hf else None),
        likes=hf.likes if hf else None,
        link_status=worst.link_status if worst else None,
        moved_to=next((f.moved_to for f in facts if f.moved_to), None),
        checked_at=max((f.read_at for f in facts), default=None),
    )


def latest_facts(tool_ids: Sequence[int], *, session: Session) -> dict[int, FactSummary]:
    """The newest snapshot per (tool, source), summed up per tool; tools never read are absent."""
    rows: list[ToolFact] = []
    ids = sorted(set(tool_ids))
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i:i + _CHUNK]
        newest = (select(sa.func.max(col(ToolFact.id)))
                  .where(col(ToolFact.tool_id).in_(chunk)).group_by(col(ToolFact.tool_id), col(ToolFact.kind)))
        rows.extend(session.exec(select(ToolFact).where(col(ToolFact.id).in_(newest))).all())
    grouped: dict[int, list[ToolFact]] = {}
    for row in rows:
        grouped.setdefault(row.tool_id, []).append(row)
    return {tool_id: summarize(facts) for tool_id, facts in grouped.items()}


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
