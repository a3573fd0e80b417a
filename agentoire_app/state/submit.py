"""`/submit` and `/moderate`: the public form and the moderator's queue.

The form's text goes to `services.submissions` untouched and comes back as per-field messages; nothing a
visitor types is ever rendered as HTML (Reflex renders strings as text, and we never use `rx.html` here).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import reflex as rx
from sqlmodel import Session

from .. import pulse
from ..concurrency import in_session, in_thread
from ..models.text import long_date
from ..services.candidates import (
    CandidateView,
    approve_candidate,
    list_candidates,
    merge_candidate,
    reject_candidate,
)
from ..services.moderation import (
    ModerationError,
    approve_submission,
    list_submissions,
    moderation_enabled,
    reject_submission,
    sign_in,
    token_matches,
)
from ..services.submissions import FIELDS, FORM_ERROR, submit_tool
from ..services.tools import list_categories
from ..settings import get_settings
from ._client import router_client_key
from .rows import CategoryOption

SUBMIT_SALT = "agentoire-submissions"
SIGN_IN_SALT = "agentoire-moderation"


class SubmitState(rx.State):
    categories: rx.Field[list[CategoryOption]] = rx.field(default_factory=list)
    # Keyed by form field name (`FIELDS`): one message, or one value to put back, per field.
    errors: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    values: rx.Field[dict[str, str]] = rx.field(default_factory=dict)
    form_error: rx.Field[str] = rx.field("")
    submitted_name: rx.Field[str] = rx.field("")
    sending: rx.Field[bool] = rx.field(False)

    @rx.event
    async def load(self) -> None:
        self.categories = await in_session(
            lambda session: [CategoryOption(slug=c.slug, name=c.name) for c in list_categories(session=session)])
        self.errors, self.form_error, self.submitted_name, self.sending = {}, "", "", False
        self.values = dict.fromkeys(FIELDS, "")

    def _client_key(self) -> str:
        """This connection's rate-limit key (its address behind trusted proxies, hashed)."""
        return router_client_key(self.router, salt=SUBMIT_SALT)

    @rx.event
    def another(self) -> None:
        self.submitted_name = ""
        self.values = dict.fromkeys(FIELDS, "")

    @rx.event(background=True)
    async def submit(self, form_data: dict[str, str]) -> None:
        async with self:
            if self.sending:
                return
            self.sending = True
            client = self._client_key()
        data = {name: str(form_data.get(name, "")) for name in FIELDS}
        result = await in_session(lambda session: submit_tool(data, session=session, client_key=client))
        async with self:
            self.sending = False
            self.values = {name: data[name][:5000] for name in FIELDS}
            self.form_error = result.errors.get(FORM_ERROR, "")
            self.errors = {k: v for k, v in result.errors.items() if k != FORM_ERROR}
            if result.ok:
                self.submitted_name = data["name"].strip()
                self.errors, self.values = {}, dict.fromkeys(FIELDS, "")


@dataclass(frozen=True, slots=True)
class PendingRow:
    """A submission waiting for the moderator; `id` is what the approve and reject buttons send back."""

    id: str
    name: str
    homepage: str
    repository: str
    tagline: str
    description: str
    category: str
    created: str


def _pending_rows(session: Session) -> list[PendingRow]:
    return [
        PendingRow(id=str(s.id), name=s.name, homepage=s.homepage, repository=s.repository,
                   tagline=s.tagline, description=s.description, category=s.category,
                   created=long_date(s.created_at))
        for s in list_submissions(session=session)
    ]


def _decide_in_db(submission_id: int, approve: bool, session: Session) -> str:
    """Approve or reject one submission; the moderator's confirmation line."""
    if approve:
        tool = approve_submission(submission_id, session=session)
        return f"Approved: {tool.name} is listed at /tools/{tool.slug}."
    row = reject_submission(submission_id, session=session)
    return f"Rejected: {row.name}."


def _decide_found_in_db(candidate_id: int, decision: str, into: str, session: Session) -> str:
    """Approve, merge or reject one candidate found in the news; the moderator's confirmation line."""
    if decision == "approve":
        tool = approve_candidate(candidate_id, session=session)
        return f"Approved: {tool.name} is listed at /tools/{tool.slug}."
    if decision == "merge":
        tool = merge_candidate(candidate_id, into, session=session)
        return f"Merged into {tool.name}: its news now counts for /tools/{tool.slug}."
    row = reject_candidate(candidate_id, session=session)
    return f"Rejected: {row.name} will not be proposed again."


async def _announce_tools() -> None:
    """A listed tool was added or merged (committed): every open page's tool count learns of it."""
    await in_thread(partial(pulse.announce, "tools", redis_url=get_settings().redis_url))


@dataclass(frozen=True, slots=True)
class FoundRow:
    """A tool found in the news, waiting for the moderator; `id` is what its buttons and merge form send back."""

    id: str
    name: str
    url: str
    kind: str
    category: str
    mentions: int
    first_seen: str
    sentence: str  # the first evidence, quoted; "" when none is kept
    article_slug: str
    article_title: str


def found_row(view: CandidateView) -> FoundRow:
    """A candidate as the moderation page shows it: what, where, how often, and the first evidence."""
    c = view.candidate
    slug, title, sentence = view.evidence[0] if view.evidence else ("", "", "")
    return FoundRow(id=str(c.id), name=c.name, url=c.url, kind=c.kind, category=c.category, mentions=c.mentions,
                    first_seen=long_date(c.first_seen), sentence=sentence, article_slug=slug, article_title=title)


class ModerateState(rx.State):
    enabled: rx.Field[bool] = rx.field(False)
    _token: str = ""  # backend-only: never sent to the browser
    authorized: rx.Field[bool] = rx.field(False)
    message: rx.Field[str] = rx.field("")
    pending: rx.Field[list[PendingRow]] = rx.field(default_factory=list)
    found: rx.Field[list[FoundRow]] = rx.field(default_factory=list)  # tools found in the news

    @rx.event
    async def load(self) -> None:
        self.enabled = moderation_enabled(get_settings().admin_token)
        if not self.enabled:
            self.authorized, self._token, self.pending = False, "", []
            return
        if self.authorized:
            await self._refresh()

    def _check(self) -> bool:
        admin_token = get_settings().admin_token
        self.enabled = moderation_enabled(admin_token)
        self.authorized = token_matches(self._token, admin_token)
        if not self.authorized:
            self.pending, self.found = [], []
        return self.authorized

    async def _refresh(self) -> None:
        if not self._check():
            return
        self.pending = await in_session(_pending_rows)
        self.found = await in_session(lambda session: [found_row(v) for v in list_candidates(session=session)])

    @rx.event
    async def sign_in(self, form_data: dict[str, str]) -> None:
        """Check the token under the per-client limit on failed sign-ins (kept in the database)."""
        given = str(form_data.get("token", ""))[:500]
        admin_token = get_settings().admin_token
        self.enabled = moderation_enabled(admin_token)
        client = router_client_key(self.router, salt=SIGN_IN_SALT)
        accepted, self.message = await in_session(
            lambda session: sign_in(given, admin_token, client, session=session))
        self._token = given if accepted else ""
        if accepted:
            await self._refresh()
        else:
            self.authorized, self.pending, self.found = False, [], []

    @rx.event
    def sign_out(self) -> None:
        self._token, self.authorized, self.pending, self.found, self.message = "", False, [], [], ""

    async def _decide(self, submission_id: str, approve: bool) -> None:
        if not self._check():
            self.message = "Sign in with the moderator's token first."
            return
        try:
            self.message = await in_session(partial(_decide_in_db, int(submission_id), approve))
            if approve:
                await _announce_tools()
        except (ModerationError, ValueError) as exc:
            self.message = str(exc)
        await self._refresh()

    @rx.event
    async def approve(self, submission_id: str) -> None:
        await self._decide(submission_id, True)

    @rx.event
    async def reject(self, submission_id: str) -> None:
        await self._decide(submission_id, False)

    async def _decide_found(self, candidate_id: str, decision: str, into: str = "") -> None:
        if not self._check():
            self.message = "Sign in with the moderator's token first."
            return
        try:
            self.message = await in_session(partial(_decide_found_in_db, int(candidate_id), decision, into))
            if decision != "reject":
                await _announce_tools()
        except (ModerationError, ValueError) as exc:
            self.message = str(exc)
        await self._refresh()

    @rx.event
    async def approve_found(self, candidate_id: str) -> None:
        await self._decide_found(candidate_id, "approve")

    @rx.event
    async def reject_found(self, candidate_id: str) -> None:
        await self._decide_found(candidate_id, "reject")

    @rx.event
    async def merge_found(self, form_data: dict[str, str]) -> None:
        """The merge form sends the candidate's id and the slug of the listed tool it is."""
        await self._decide_found(str(form_data.get("candidate", "")), "merge",
                                 str(form_data.get("into", ""))[:120])
