"""Tools proposed by the public: validation, a per-client rate limit, the queue, and moderation.

Validation answers per field (`{"homepage": "homepage must be a public web address: …"}`) so the form can
show each message beside its input. Everything is stored as plain text and shown as text; markup is refused
outright so nobody is surprised by what a moderator sees. The rate limit counts rows in the database, so it
holds across app workers. Approval turns a submission into a Tool (source "submission", added when
approved); the moderator's token is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..catalog.records import SHARED_HOSTS, domain_of, name_key, slugify
from ..models import Category, Submission, Tool, utcnow
from ..net.addresses import PUBLIC, is_public_address, literal_address, resolve_blocking

FIELDS = ("name", "homepage", "repository", "tagline", "description", "category")
LIMITS = {"name": (2, 80), "homepage": (0, 500), "repository": (0, 500), "tagline": (3, 140),
          "description": (0, 2000), "category": (0, 64)}
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)
FORM_ERROR = "form"  # key for a problem that belongs to no one field (the rate limit)

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&#?[a-zA-Z0-9]+;|javascript:", re.IGNORECASE)
_BLOCKED_HOST_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home", ".intranet", ".corp", ".arpa")

UrlCheck = Callable[[str], "str | None"]


def _default_url_check(url: str) -> str | None:
    """Refuse a host whose name resolves to a private, loopback or otherwise non-public address.

    A name that does not resolve at all is let through to the moderator: we never fetch a submitted URL,
    and an offline or DNS-less server must still take submissions. Literal addresses and local names are
    refused before this is called (see `url_problem`).
    """
    host = (urlsplit(url).hostname or "").rstrip(".")
    try:
        addresses = resolve_blocking(host)
    except (UnicodeError, OSError):
        return None
    return PUBLIC.host_problem(host, addresses)


@dataclass(frozen=True)
class SubmissionForm:
    """What the form sends, cleaned: stripped, one line where one line is meant, no control characters."""

    name: str = ""
    homepage: str = ""
    repository: str = ""
    tagline: str = ""
    description: str = ""
    category: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> SubmissionForm:
        values = {name: _clean_text(data.get(name), multiline=name == "description") for name in FIELDS}
        return cls(**values)


def _clean_text(value: object, *, multiline: bool) -> str:
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text[:20_000])
    # Control and format characters (NUL, bidi overrides, zero-width) never reach the database.
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    if multiline:
        kept = re.sub(r"[ \t]+", " ", kept)
        return re.sub(r"\n{3,}", "\n\n", kept).strip()
    return re.sub(r"\s+", " ", kept).strip()


@dataclass
class SubmitResult:
    """Either `errors` (field → why) or the queued submission's id."""

    errors: dict[str, str] = field(default_factory=dict)
    submission_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and self.submission_id is not None


def url_problem(url: str, label: str, *, url_check: UrlCheck | None) -> str | None:
    """Why `url` is not acceptable as a public http(s) address, or None."""
    if len(url) > LIMITS[label][1]:
        return f"{label} is too long: at most {LIMITS[label][1]} characters (got {len(url)})"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return f"{label} is not a valid URL"
    if parts.scheme.lower() not in ("http", "https"):
        return f"{label} must start with http:// or https:// (got {parts.scheme or 'no scheme'}:)"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return f"{label} has no host name"
    if parts.username or parts.password:
        return f"{label} must not carry a user name or password"
    address = literal_address(host)
    if address is not None:
        if not is_public_address(address):
            return f"{label} points to a private or local network address ({host})"
        return f"{label} must use a host name, not an IP address"
    if host == "localhost" or host.endswith(_BLOCKED_HOST_SUFFIXES) or "." not in host:
        return f"{label} points to a private or local host ({host})"
    if port is not None and port not in (80, 443):
        return f"{label} must use the standard web port, not {port}"
    if url_check is not None:
        problem = url_check(url)
        if problem:
            return f"{label} must be a public web address: {problem}"
    return None


def _text_problem(name: str, value: str, *, required: bool) -> str | None:
    low, high = LIMITS[name]
    if not value:
        return f"{name} is required" if required else None
    if len(value) < low:
        return f"{name} is too short: at least {low} characters"
    if len(value) > high:
        return f"{name} is too long: at most {high} characters (got {len(value)})"
    if _MARKUP.search(value):
        return f"{name} must be plain text: HTML tags, entities and script links are not accepted"
    return None


def _site_prefix(url: str) -> str | None:
    """For shared hosts (github.com/…) the project's own prefix, e.g. `github.com/owner/repo`."""
    host = domain_of(url)
    if host not in SHARED_HOSTS:
        return None
    segments = [s for s in urlsplit(url).path.split("/") if s][:2]
    return "/".join([host, *segments]).lower().removesuffix(".git")


def _duplicate_of_url(url: str, *, session: Session) -> str | None:
    """The name of a listed tool or a waiting submission at the same site, if any."""
    prefix = _site_prefix(url)
    if prefix is not None:
        if prefix.count("/") < 2:
            return None  # a bare github.com/owner page identifies nothing we can compare
        needles = [f"%://{prefix}", f"%://{prefix}/%", f"%://www.{prefix}", f"%://www.{prefix}/%"]
        lowered = [sa.func.lower(Tool.homepage), sa.func.lower(Tool.repository)]
        hit = session.exec(select(Tool.name).where(sa.or_(*(c.like(n) for c in lowered for n in needles)))).first()
        if hit:
            return hit
        pending = sa.func.lower(Submission.homepage)
        return session.exec(select(Submission.name).where(
            Submission.status == "pending", sa.or_(*(pending.like(n) for n in needles)))).first()
    domain = domain_of(url)
    if not domain:
        return None
    hit = session.exec(select(Tool.name).where(col(Tool.domain).in_([domain, f"www.{domain}"]))).first()
    if hit:
        return hit
    for name, homepage in session.exec(select(Submission.name, Submission.homepage).where(
            Submission.status == "pending", col(Submission.homepage).contains(domain))).all():
        if domain_of(homepage) == domain:
            return name
    return None


def _duplicate_of_name(name: str, *, session: Session) -> str | None:
    key = name_key(name)
    if not key:
        return None
    slug = slugify(name)
    hit = session.exec(select(Tool.name).where(sa.or_(Tool.slug == slug,
                                                      sa.func.lower(Tool.name) == name.lower()))).first()
    if hit:
        return hit
    # Looser comparison ("Open-Interpreter" = "OpenInterpreter") over the few tools sharing a first letter.
    first = name.strip()[:1].lower()
    for candidate in session.exec(select(Tool.name).where(sa.func.lower(Tool.name).startswith(first))).all():
        if name_key(candidate) == key:
            return candidate
    for candidate in session.exec(select(Submission.name).where(Submission.status == "pending")).all():
        if name_key(candidate) == key:
            return candidate
    return None


def validate_submission(form: SubmissionForm, *, session: Session,
                        url_check: UrlCheck | None = _default_url_check) -> dict[str, str]:
    """Every problem with `form`, keyed by field name; empty when it may be queued."""
    errors: dict[str, str] = {}
    for name in ("name", "tagline", "description"):
        problem = _text_problem(name, getattr(form, name), required=name != "description")
        if problem:
            errors[name] = problem
    # Shape first, duplicates next, and only then the (slow, resolving) public-host check.
    if not form.homepage:
        errors["homepage"] = "homepage is required"
    else:
        problem = url_problem(form.homepage, "homepage", url_check=None)
        if problem:
            errors["homepage"] = problem
    if form.repository:
        problem = url_problem(form.repository, "repository", url_check=None)
        if problem:
            errors["repository"] = problem
    if not form.category:
        errors["category"] = "category is required: pick one from the list"
    elif len(form.category) > LIMITS["category"][1] or session.get(Category, form.category) is None:
        errors["category"] = "category is not one of ours: pick one from the list"
    if "name" not in errors:
        same = _duplicate_of_name(form.name, session=session)
        if same:
            errors["name"] = f"name is already listed or waiting for review (as {same!r})"
    if "homepage" not in errors:
        same = _duplicate_of_url(form.homepage, session=session)
        if same:
            errors["homepage"] = f"homepage is on a site already listed or waiting for review ({same!r})"
    if url_check is not None:
        for name in ("homepage", "repository"):
            url = getattr(form, name)
            if url and name not in errors:
                problem = url_check(url)
                if problem:
                    errors[name] = f"{name} must be a public web address: {problem}"
    return errors


def client_key_for(address: str | None, *, salt: str = "agentoire-submissions") -> str:
    """A client's rate-limit key: a hash of its address, so the queue stores no IP addresses."""
    return hashlib.sha256(f"{salt}:{address or 'unknown'}".encode()).hexdigest()


def recent_submissions(client_key: str, *, session: Session, now: datetime | None = None) -> int:
    since = (now or utcnow()) - RATE_WINDOW
    return session.exec(select(sa.func.count()).select_from(Submission).where(
        Submission.client_key == client_key, Submission.created_at >= since)).one()


def submit_tool(data: Mapping[str, object] | SubmissionForm, *, session: Session, client_key: str,
                now: datetime | None = None, url_check: UrlCheck | None = _default_url_check) -> SubmitResult:
    """Validate and queue a submission for moderation (committed), or say what is wrong."""
    now = now or utcnow()
    form = data if isinstance(data, SubmissionForm) else SubmissionForm.from_mapping(data)
    if recent_submissions(client_key, session=session, now=now) >= RATE_LIMIT:
        return SubmitResult(errors={FORM_ERROR: f"too many submissions from your connection: at most {RATE_LIMIT} "
                                                f"an hour, please try again later"})
    errors = validate_submission(form, session=session, url_check=url_check)
    if errors:
        return SubmitResult(errors=errors)
    row = Submission(**asdict(form), client_key=client_key, status="pending", created_at=now)
    session.add(row)
    session.commit()
    return SubmitResult(submission_id=row.id)


def list_submissions(*, session: Session, status: str = "pending", limit: int = 100) -> list[Submission]:
    """The moderation queue, oldest first (decided ones newest first)."""
    order = col(Submission.created_at) if status == "pending" else col(Submission.decided_at).desc()
    return list(session.exec(select(Submission).where(Submission.status == status)
                             .order_by(order, col(Submission.id)).limit(limit)).all())


class ModerationError(ValueError):
    """A decision that cannot be made: unknown submission or one already decided."""


def _pending(submission_id: int, *, session: Session) -> Submission:
    row = session.get(Submission, submission_id)
    if row is None:
        raise ModerationError(f"no submission {submission_id}")
    if row.status != "pending":
        raise ModerationError(f"submission {submission_id} was already {row.status}")
    return row


def _free_slug(name: str, *, session: Session) -> str:
    base = slugify(name) or "tool"
    slug, n = base, 2
    while session.exec(select(Tool.id).where(Tool.slug == slug)).first() is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def approve_submission(submission_id: int, *, session: Session, now: datetime | None = None) -> Tool:
    """List the submitted tool (source "submission", added and checked at approval time)."""
    now = now or utcnow()
    row = _pending(submission_id, session=session)
    category = row.category if session.get(Category, row.category) else "other"
    tool = Tool(slug=_free_slug(row.name, session=session), name=row.name, tagline=row.tagline,
                description=row.description, homepage=row.homepage, repository=row.repository,
                domain=domain_of(row.homepage), category=category, tags=[], source="submission",
                open_source=bool(row.repository), added_at=now, updated_at=now, checked_at=now)
    session.add(tool)
    session.flush()
    row.status, row.decided_at, row.tool_id = "approved", now, tool.id
    session.add(row)
    session.commit()
    return tool


def reject_submission(submission_id: int, *, session: Session, now: datetime | None = None) -> Submission:
    row = _pending(submission_id, session=session)
    row.status, row.decided_at = "rejected", now or utcnow()
    session.add(row)
    session.commit()
    return row


def moderation_enabled(admin_token: str | None) -> bool:
    return bool(admin_token)


def token_matches(given: str | None, admin_token: str | None) -> bool:
    """Constant-time comparison; always False while moderation is off (no token configured)."""
    if not admin_token or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), admin_token.encode("utf-8"))
