"""Moderation: the queue, approval into a Tool, rejection, and the moderator's sign-in.

Approval turns a submission into a Tool (source "submission", added when approved). The moderator's token
must be long enough to turn moderation on, is compared in constant time over its whole length, and failed
sign-ins are rows in the database, limited per client so the limit holds across app workers.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import overload

from sqlmodel import Session, col, select

from ..catalog.records import domain_of
from ..models import Category, Submission, Tool, ToolCandidate, utcnow
from ..models.live import CandidateStatus
from ..models.slugs import slugify, unique_slug
from ..models.tools import SubmissionStatus
from ..settings import admin_token_problem
from .clients import clear_attempts, count_attempts, record_attempt

SIGN_IN_ACTION = "sign_in_failure"
SIGN_IN_LIMIT = 5
SIGN_IN_WINDOW = timedelta(minutes=15)


def list_submissions(*, session: Session, status: str = "pending", limit: int = 100) -> list[Submission]:
    """The moderation queue, oldest first (decided ones newest first)."""
    order = col(Submission.created_at) if status == "pending" else col(Submission.decided_at).desc()
    return list(session.exec(select(Submission).where(Submission.status == status)
                             .order_by(order, col(Submission.id)).limit(limit)).all())


class ModerationError(ValueError):
    """A decision that cannot be made: unknown submission or one already decided."""


@overload
def decide(row: Submission, status: SubmissionStatus, at: datetime, *, session: Session,
           tool_id: int | None = None) -> None: ...
@overload
def decide(row: ToolCandidate, status: CandidateStatus, at: datetime, *, session: Session,
           tool_id: int | None = None) -> None: ...
def decide(row: Submission | ToolCandidate, status: CandidateStatus, at: datetime, *, session: Session,
           tool_id: int | None = None) -> None:
    """Close a pending submission or candidate: its status, when, and the tool it became or joined, committed
    together with whatever the caller added (the new tool, its evidence), so a decision is never half made."""
    row.status = status  # the overloads pair each row with its own statuses
    row.decided_at = at
    if tool_id is not None:
        row.tool_id = tool_id
    session.add(row)
    session.commit()


def _pending(submission_id: int, *, session: Session) -> Submission:
    row = session.get(Submission, submission_id)
    if row is None:
        raise ModerationError(f"no submission {submission_id}")
    if row.status != "pending":
        raise ModerationError(f"submission {submission_id} was already {row.status}")
    return row


def free_tool_slug(name: str, *, session: Session) -> str:
    """A slug for a new tool named `name` that no tool has: the taken ones read in one query."""
    base = slugify(name) or "tool"
    taken = set(session.exec(select(Tool.slug).where(col(Tool.slug).startswith(base, autoescape=True))).all())
    return unique_slug(base, taken)


def approve_submission(submission_id: int, *, session: Session, now: datetime | None = None) -> Tool:
    """List the submitted tool (source "submission", added and checked at approval time)."""
    now = now or utcnow()
    row = _pending(submission_id, session=session)
    category = row.category if session.get(Category, row.category) else "other"
    tool = Tool(slug=free_tool_slug(row.name, session=session), name=row.name, tagline=row.tagline,
                description=row.description, homepage=row.homepage, repository=row.repository,
                domain=domain_of(row.homepage), category=category, tags=[], source="submission",
                open_source=bool(row.repository), added_at=now, updated_at=now, checked_at=now)
    session.add(tool)
    session.flush()
    decide(row, "approved", now, session=session, tool_id=tool.id)
    return tool


def reject_submission(submission_id: int, *, session: Session, now: datetime | None = None) -> Submission:
    row = _pending(submission_id, session=session)
    decide(row, "rejected", now or utcnow(), session=session)
    return row


def moderation_enabled(admin_token: str | None) -> bool:
    """On only with a token long enough (see `settings.admin_token_problem`)."""
    return bool(admin_token) and admin_token_problem(admin_token) is None


def token_matches(given: str | None, admin_token: str | None) -> bool:
    """Constant-time comparison of the whole token (a prefix or a longer string fails); always False while
    moderation is off. Both sides are hashed first so the time taken does not depend on the lengths."""
    if not moderation_enabled(admin_token) or not given:
        return False
    expected = hashlib.sha256(str(admin_token).encode("utf-8")).digest()
    return hmac.compare_digest(hashlib.sha256(given.encode("utf-8")).digest(), expected)


def sign_in_blocked(client_key: str, *, session: Session, now: datetime | None = None) -> bool:
    """Whether `client_key` has used up its failed sign-ins for the window."""
    return count_attempts(SIGN_IN_ACTION, client_key, window=SIGN_IN_WINDOW, session=session,
                          now=now) >= SIGN_IN_LIMIT


def sign_in(given: str | None, admin_token: str | None, client_key: str, *, session: Session,
            now: datetime | None = None) -> tuple[bool, str]:
    """Check a moderator sign-in under the attempt limit: (accepted, message for the page)."""
    now = now or utcnow()
    if not moderation_enabled(admin_token):
        return False, ""
    if sign_in_blocked(client_key, session=session, now=now):
        return False, (f"Too many failed sign-ins from your connection: try again in "
                       f"{int(SIGN_IN_WINDOW.total_seconds() // 60)} minutes.")
    if token_matches(given, admin_token):
        clear_attempts(SIGN_IN_ACTION, client_key, session=session)
        return True, ""
    record_attempt(SIGN_IN_ACTION, client_key, session=session, now=now, forget_before=now - SIGN_IN_WINDOW)
    return False, "That token is not the moderator's token."
