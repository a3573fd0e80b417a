"""Tools proposed by the public: validation, a per-client rate limit, the queue, and moderation.

Validation answers per field (`{"homepage": "homepage must be a public web address: …"}`) so the form can
show each message beside its input. Everything is stored as plain text and shown as text; markup is refused
outright so nobody is surprised by what a moderator sees. The rate limit counts rows in the database, so it
holds across app workers, and it counts every try, refused ones included. A duplicate of a listed tool names
it; a duplicate of a waiting submission says only that, so the form cannot be used to read the queue.
Moderation (approval, the token, sign-in limits) lives in `services.moderation`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlmodel import Session, col, select

from ..catalog.records import SHARED_HOSTS, domain_of, name_key
from ..models import Category, Submission, Tool, utcnow
from ..models.slugs import slugify
from ..net.addresses import PUBLIC, is_local_name, is_public_address, literal_address, resolve_blocking
from .clients import count_attempts, record_attempt

FIELDS = ("name", "homepage", "repository", "tagline", "description", "category")
LIMITS = {"name": (2, 80), "homepage": (0, 500), "repository": (0, 500), "tagline": (3, 140),
          "description": (0, 2000), "category": (0, 64)}
RATE_LIMIT = 5
RATE_WINDOW = timedelta(hours=1)
SUBMIT_ACTION = "submit"
FORM_ERROR = "form"  # key for a problem that belongs to no one field (the rate limit)

_MARKUP = re.compile(r"<\s*(?:/\s*)?[a-zA-Z!?]|&#?[a-zA-Z0-9]+;|javascript:", re.IGNORECASE)

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
    if is_local_name(host):
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


def _like_literal(text: str) -> str:
    """`text` for a LIKE pattern with its wildcards taken literally (used with `escape="\\"`)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class Duplicate:
    """What a submission collides with: a listed tool (named, it is public) or a pending one (never named)."""

    listed_name: str | None = None

    def message(self, label: str) -> str:
        if self.listed_name is None:
            return f"{label} was already submitted and is waiting for review"
        what = "name is already listed" if label == "name" else "homepage is on a site already listed"
        return f"{what} (as {self.listed_name!r})"


PENDING = Duplicate()


def _duplicate_of_url(url: str, *, session: Session) -> Duplicate | None:
    """A listed tool or a waiting submission at the same site, if any."""
    prefix = _site_prefix(url)
    if prefix is not None:
        if prefix.count("/") < 2:
            return None  # a bare github.com/owner page identifies nothing we can compare
        # The prefix comes from the visitor: escaped, so `_` or `%` in it cannot match other projects.
        literal = _like_literal(prefix)
        needles = [f"%://{literal}", f"%://{literal}/%", f"%://www.{literal}", f"%://www.{literal}/%"]
        lowered = [sa.func.lower(Tool.homepage), sa.func.lower(Tool.repository)]
        hit = session.exec(select(Tool.name).where(
            sa.or_(*(c.like(n, escape="\\") for c in lowered for n in needles)))).first()
        if hit:
            return Duplicate(hit)
        pending = sa.func.lower(Submission.homepage)
        waiting = session.exec(select(Submission.id).where(
            Submission.status == "pending", sa.or_(*(pending.like(n, escape="\\") for n in needles)))).first()
        return PENDING if waiting is not None else None
    domain = domain_of(url)
    if not domain:
        return None
    hit = session.exec(select(Tool.name).where(col(Tool.domain).in_([domain, f"www.{domain}"]))).first()
    if hit:
        return Duplicate(hit)
    for homepage in session.exec(select(Submission.homepage).where(
            Submission.status == "pending", col(Submission.homepage).contains(domain, autoescape=True))).all():
        if domain_of(homepage) == domain:
            return PENDING
    return None


def _duplicate_of_name(name: str, *, session: Session) -> Duplicate | None:
    key = name_key(name)
    if not key:
        return None
    slug = slugify(name)
    hit = session.exec(select(Tool.name).where(sa.or_(col(Tool.slug) == slug,
                                                      sa.func.lower(Tool.name) == name.lower()))).first()
    if hit:
        return Duplicate(hit)
    # Looser comparison ("Open-Interpreter" = "OpenInterpreter") over the few tools sharing a first letter.
    first = name.strip()[:1].lower()
    for candidate in session.exec(select(Tool.name).where(
            sa.func.lower(Tool.name).startswith(first, autoescape=True))).all():
        if name_key(candidate) == key:
            return Duplicate(candidate)
    for candidate in session.exec(select(Submission.name).where(Submission.status == "pending")).all():
        if name_key(candidate) == key:
            return PENDING
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
            errors["name"] = same.message("name")
    if "homepage" not in errors:
        same = _duplicate_of_url(form.homepage, session=session)
        if same:
            errors["homepage"] = same.message("homepage")
    if url_check is not None:
        for name in ("homepage", "repository"):
            url = getattr(form, name)
            if url and name not in errors:
                problem = url_check(url)
                if problem:
                    errors[name] = f"{name} must be a public web address: {problem}"
    return errors


def recent_submissions(client_key: str, *, session: Session, now: datetime | None = None) -> int:
    """Tries (accepted, refused or rate-limited alike) from `client_key` within the rate window."""
    return count_attempts(SUBMIT_ACTION, client_key, window=RATE_WINDOW, session=session, now=now)


def submit_tool(data: Mapping[str, object] | SubmissionForm, *, session: Session, client_key: str,
                now: datetime | None = None, url_check: UrlCheck | None = _default_url_check) -> SubmitResult:
    """Validate and queue a submission for moderation (committed), or say what is wrong."""
    now = now or utcnow()
    form = data if isinstance(data, SubmissionForm) else SubmissionForm.from_mapping(data)
    # Every try counts, refused ones too: otherwise probing names or hosts would cost nothing.
    tried = recent_submissions(client_key, session=session, now=now)
    record_attempt(SUBMIT_ACTION, client_key, session=session, now=now, forget_before=now - RATE_WINDOW)
    if tried >= RATE_LIMIT:
        return SubmitResult(errors={FORM_ERROR: f"too many submissions from your connection: at most {RATE_LIMIT} "
                                                f"an hour, please try again later"})
    errors = validate_submission(form, session=session, url_check=url_check)
    if errors:
        return SubmitResult(errors=errors)
    row = Submission(**asdict(form), client_key=client_key, status="pending", created_at=now)
    session.add(row)
    session.commit()
    return SubmitResult(submission_id=row.id)
