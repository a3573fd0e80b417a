"""Tools found in the news, as the moderator sees them: the list with evidence, approve, reject, merge.

Recording them is `discovery.store`'s job. A rejected key is remembered with its row and never proposed
again; an approved or merged one keeps counting mentions for the tool it became. Nothing is approved
without a moderator.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..catalog.records import domain_of, one_line
from ..models import Article, ArticleTool, CandidateEvidence, Category, Tool, ToolCandidate, to_stored, utcnow
from ..models.live import CandidateStatus
from .moderation import ModerationError, decide, free_tool_slug

FOUND_IN_THE_NEWS = "found in the news"  # Tool.source of an approved candidate
STATUSES = ("pending", "approved", "rejected", "merged")


@dataclass(frozen=True)
class CandidateView:
    """A candidate with its evidence: (article slug, article title, sentence), newest article first."""

    candidate: ToolCandidate
    evidence: list[tuple[str, str, str]]


def list_candidates(*, session: Session, status: CandidateStatus = "pending", limit: int = 100) -> list[CandidateView]:
    """Candidates most mentioned first (then newest), each with its evidence."""
    rows = session.exec(select(ToolCandidate).where(ToolCandidate.status == status)
                        .order_by(col(ToolCandidate.mentions).desc(), col(ToolCandidate.first_seen).desc(),
                                  col(ToolCandidate.id)).limit(limit)).all()
    ids = [r.id for r in rows if r.id is not None]
    evidence: dict[int, list[tuple[str, str, str]]] = {i: [] for i in ids}
    if ids:
        for candidate_id, slug, title, sentence in session.exec(
                select(CandidateEvidence.candidate_id, Article.slug, Article.title, CandidateEvidence.sentence)
                .join(Article, col(Article.id) == CandidateEvidence.article_id)
                .where(col(CandidateEvidence.candidate_id).in_(ids))
                .order_by(col(Article.published_at).desc())).all():
            evidence[candidate_id].append((slug, title, sentence))
    return [CandidateView(r, evidence.get(r.id or 0, [])) for r in rows]


def candidate_public(view: CandidateView) -> dict[str, object]:
    """The contract's shape (`agentoire tools candidates --json`)."""
    c = view.candidate
    return {"name": c.name, "url": c.url, "kind": c.kind, "first_seen": c.first_seen, "mentions": c.mentions,
            "evidence": [{"article_slug": slug, "sentence": sentence} for slug, _, sentence in view.evidence]}


def _pending(candidate_id: int, *, session: Session) -> ToolCandidate:
    row = session.get(ToolCandidate, candidate_id)
    if row is None:
        raise ModerationError(f"no candidate {candidate_id}")
    if row.status != "pending":
        raise ModerationError(f"candidate {row.name} was already {row.status}")
    return row


def _link_evidence(row: ToolCandidate, tool_id: int, *, session: Session) -> None:
    """The evidence articles now mention the tool, so its mention count and trend include them."""
    for article_id in session.exec(select(CandidateEvidence.article_id)
                                   .where(CandidateEvidence.candidate_id == row.id)).all():
        session.merge(ArticleTool(article_id=article_id, tool_id=tool_id))


def approve_candidate(candidate_id: int, *, session: Session, now: datetime | None = None,
                      category: str | None = None) -> Tool:
    """List the candidate (source "found in the news", added now), its first evidence as the tagline."""
    now = to_stored(now or utcnow())
    row = _pending(candidate_id, session=session)
    chosen = category or row.category
    chosen = chosen if session.get(Category, chosen) else "other"
    sentence = session.exec(select(CandidateEvidence.sentence).where(CandidateEvidence.candidate_id == row.id)
                            .order_by(col(CandidateEvidence.seen_at))).first() or ""
    is_repository = row.kind in ("github", "huggingface")
    tool = Tool(slug=free_tool_slug(row.name, session=session), name=row.name[:120],
                tagline=one_line(sentence, 140), description=sentence, homepage=row.url,
                repository=row.url if is_repository else "", domain=domain_of(row.url), category=chosen,
                tags=[], source=FOUND_IN_THE_NEWS, open_source=row.kind != "launch", added_at=now,
                updated_at=now)
    session.add(tool)
    session.flush()
    assert tool.id is not None
    _link_evidence(row, tool.id, session=session)
    decide(row, "approved", now, session=session, tool_id=tool.id)
    return tool


def reject_candidate(candidate_id: int, *, session: Session, now: datetime | None = None) -> ToolCandidate:
    """Remember the refusal: the key stays, so the same find is never proposed again."""
    row = _pending(candidate_id, session=session)
    decide(row, "rejected", to_stored(now or utcnow()), session=session)
    return row


def merge_candidate(candidate_id: int, tool_slug: str, *, session: Session, now: datetime | None = None) -> Tool:
    """The candidate is a listed tool under another address: its evidence becomes that tool's mentions."""
    row = _pending(candidate_id, session=session)
    tool = session.exec(select(Tool).where(Tool.slug == tool_slug.strip())).first()
    if tool is None or tool.id is None:
        raise ModerationError(f"no tool with slug {tool_slug.strip()!r} to merge into")
    _link_evidence(row, tool.id, session=session)
    decide(row, "merged", to_stored(now or utcnow()), session=session, tool_id=tool.id)
    return tool


def count_candidates(*, session: Session, status: CandidateStatus = "pending") -> int:
    return session.exec(select(sa.func.count()).select_from(ToolCandidate)
                        .where(ToolCandidate.status == status)).one()


def candidate_for_tool(tool_id: int, *, session: Session) -> Sequence[ToolCandidate]:
    """The candidates a tool came from or absorbed (its evidence from the news)."""
    return session.exec(select(ToolCandidate).where(ToolCandidate.tool_id == tool_id)).all()
