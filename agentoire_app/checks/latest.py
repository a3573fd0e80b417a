"""The newest snapshot per (tool, source), folded into one summary: the rule for "what the checks last read".

Snapshots (`ToolFact`) are history and never rewritten; `latest_facts` reads the newest row of each
(tool, source) and `summarize` folds them into one `FactSummary`: stars from GitHub (else Hugging Face
likes), the newest version from a registry (else the repository's latest release), the worst link status,
and when any of it was read. Activity is a rule with its reasons, kept here once for every reader.

The fold is also kept on the `tool` row (`stars`, `latest_version`, `latest_release_at`, `archived`,
`link_status`, `last_active_at`, `facts_checked_at`), rewritten by `refresh_latest` in the transaction that
adds the snapshots, so `/tools` sorts and filters on indexed columns instead of folding the whole history
per request. Activity itself is not stored: it changes with time alone (a push 200 days ago turns quiet
without a new check), so the row keeps the date it is measured from and readers bucket it at query time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..models import Tool, ToolFact, to_stored, utcnow
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

    def last_active_at(self) -> datetime | None:
        """The later of the last push and the newest release: what activity is measured from."""
        return max((to_stored(d) for d in (self.pushed_at, self.latest_release_at) if d is not None), default=None)

    def activity(self, now: datetime | None = None) -> str | None:
        """active / quiet / stale / archived, from the last push or release; None when never read."""
        if self.archived:
            return "archived"
        last = self.last_active_at()
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


def latest_columns(summary: FactSummary | None) -> dict[str, object]:
    """The summary as the `tool` row keeps it (all None for a tool never read)."""
    s = summary or FactSummary()
    return {"stars": s.stars, "latest_version": s.latest_version, "latest_release_at": s.latest_release_at,
            "archived": s.archived, "link_status": s.link_status, "last_active_at": s.last_active_at(),
            "facts_checked_at": s.checked_at}


def refresh_latest(tools: Sequence[Tool], *, session: Session) -> None:
    """Rewrite these tools' summary columns from their newest snapshots, pending ones included.

    Whoever adds snapshots calls this before committing, so the summary never disagrees with the history."""
    session.flush()
    summaries = latest_facts([t.id for t in tools if t.id is not None], session=session)
    for tool in tools:
        for name, value in latest_columns(summaries.get(tool.id or 0)).items():
            setattr(tool, name, value)
        session.add(tool)
