"""The submission form's rules, the rate limit and moderation, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from directory_seed import BASE, categories, tool
from sqlmodel import Session, select

from agentoire_app.models import Submission, Tool
from agentoire_app.services.clients import client_key_for
from agentoire_app.services.moderation import (
    ModerationError,
    approve_submission,
    list_submissions,
    reject_submission,
    token_matches,
)
from agentoire_app.services.submissions import (
    FORM_ERROR,
    RATE_LIMIT,
    SubmissionForm,
    submit_tool,
    validate_submission,
)

GOOD = {"name": "Quillmate", "homepage": "https://quillmate.example.com/", "repository": "",
        "tagline": "Drafts release notes from your commits", "description": "Reads git history.",
        "category": "coding"}
RESOLVES_PUBLIC = {"quillmate.example.com", "github.com", "example.net", "www.example.org"}


def fake_dns(url: str) -> str | None:
    """Stand-in for the network check: the hosts above are public, `intranet.example.com` is not."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    if host == "intranet.example.com":
        return "host intranet.example.com resolves to a non-public address (10.1.2.3)"
    return None if host in RESOLVES_PUBLIC or host.endswith(".example.com") else f"host {host} does not resolve"


@pytest.fixture
def db(session: Session) -> Session:
    categories(session)
    tool(session, "Ollama", homepage="https://ollama.com/", domain="ollama.com",
         repository="https://github.com/ollama/ollama")
    tool(session, "Open Interpreter", homepage="https://github.com/OpenInterpreter/open-interpreter",
         domain="github.com")
    return session


def errors_for(db: Session, **changes: str) -> dict[str, str]:
    return validate_submission(SubmissionForm.from_mapping({**GOOD, **changes}), session=db, url_check=fake_dns)


def test_a_good_submission_has_no_errors(db: Session) -> None:
    assert errors_for(db) == {}


@pytest.mark.parametrize(("field", "value", "says"), [
    ("name", "", "name is required"),
    ("name", "Q", "name is too short"),
    ("name", "Q" * 81, "name is too long"),
    ("name", "<script>alert(1)</script>", "name must be plain text"),
    ("name", "Tool &lt;b&gt;", "name must be plain text"),
    ("tagline", "", "tagline is required"),
    ("tagline", "x" * 141, "tagline is too long"),
    ("tagline", "<img src=x onerror=alert(1)>", "tagline must be plain text"),
    ("description", "d" * 2001, "description is too long"),
    ("description", "see <a href='javascript:alert(1)'>this</a>", "description must be plain text"),
    ("homepage", "", "homepage is required"),
    ("homepage", "quillmate.example.com", "homepage must start with http:// or https://"),
    ("homepage", "javascript:alert(1)", "homepage must start with http:// or https://"),
    ("homepage", "ftp://quillmate.example.com/", "homepage must start with http:// or https://"),
    ("homepage", "file:///etc/passwd", "homepage must start with http:// or https://"),
    ("homepage", "data:text/html,<script>alert(1)</script>", "homepage must start with http:// or https://"),
    ("homepage", "https://", "homepage has no host name"),
    ("homepage", "http://127.0.0.1/", "homepage points to a private or local network address"),
    ("homepage", "http://10.0.0.8/admin", "homepage points to a private or local network address"),
    ("homepage", "http://192.168.1.1/", "homepage points to a private or local network address"),
    ("homepage", "http://169.254.169.254/latest/meta-data/", "homepage points to a private or local network"),
    ("homepage", "http://[::1]/", "homepage points to a private or local network address"),
    ("homepage", "http://localhost/", "homepage points to a private or local host"),
    ("homepage", "http://printer.local/", "homepage points to a private or local host"),
    ("homepage", "http://intranet.example.com/", "homepage must be a public web address"),
    ("homepage", "https://8.8.8.8/", "homepage must use a host name"),
    ("homepage", "https://user:pw@quillmate.example.com/", "homepage must not carry a user name or password"),
    ("homepage", "https://quillmate.example.com:8443/", "homepage must use the standard web port"),
    ("homepage", "https://quillmate.example.com/" + "a" * 500, "homepage is too long"),
    ("repository", "git@github.com:me/quillmate.git", "repository must start with http:// or https://"),
    ("repository", "http://127.0.0.1:3000/repo", "repository"),
    ("category", "", "category is required"),
    ("category", "no-such-category", "category is not one of ours"),
    ("category", "<script>", "category is not one of ours"),
])
def test_each_rule_names_the_field_and_why(db: Session, field: str, value: str, says: str) -> None:
    errors = errors_for(db, **{field: value})
    assert field in errors, errors
    assert errors[field].startswith(says), errors[field]
    assert set(errors) == {field}


@pytest.mark.parametrize(("field", "value", "listed"), [
    ("name", "Ollama", "Ollama"),
    ("name", "ollama", "Ollama"),
    ("name", "OpenInterpreter", "Open Interpreter"),
    ("homepage", "https://www.ollama.com/download", "Ollama"),
    ("homepage", "https://github.com/openinterpreter/open-interpreter/", "Open Interpreter"),
])
def test_duplicates_by_name_and_by_site_are_refused(db: Session, field: str, value: str, listed: str) -> None:
    errors = errors_for(db, **{field: value})
    assert field in errors and listed in errors[field]


def test_another_repository_on_github_is_not_a_duplicate(db: Session) -> None:
    assert errors_for(db, homepage="https://github.com/someone/quillmate") == {}


def test_several_wrong_fields_are_all_reported(db: Session) -> None:
    errors = errors_for(db, name="", homepage="http://localhost", tagline="<b>x</b>", category="nope")
    assert set(errors) == {"name", "homepage", "tagline", "category"}


def test_control_characters_and_whitespace_are_cleaned() -> None:
    form = SubmissionForm.from_mapping({**GOOD, "name": "  Quill\u202emate\x00  ", "tagline": "a\n\n b"})
    assert form.name == "Quillmate"
    assert form.tagline == "a b"


def test_a_valid_submission_waits_for_moderation(db: Session) -> None:
    result = submit_tool(GOOD, session=db, client_key=client_key_for("203.0.113.7"), url_check=fake_dns)
    assert result.ok
    queued = db.exec(select(Submission)).one()
    assert queued.status == "pending" and queued.name == "Quillmate"
    assert "203.0.113.7" not in queued.client_key
    assert db.exec(select(Tool).where(Tool.name == "Quillmate")).first() is None
    again = submit_tool(GOOD, session=db, client_key="other", url_check=fake_dns)
    assert "name" in again.errors and "homepage" in again.errors


def test_the_rate_limit_is_per_client_and_per_hour(db: Session) -> None:
    key = client_key_for("198.51.100.1")
    for i in range(RATE_LIMIT):
        form = {**GOOD, "name": f"Tool {i}", "homepage": f"https://t{i}.example.com/"}
        assert submit_tool(form, session=db, client_key=key, now=BASE, url_check=fake_dns).ok
    late = {**GOOD, "name": "One more", "homepage": "https://more.example.com/"}
    refused = submit_tool(late, session=db, client_key=key, now=BASE + timedelta(minutes=30), url_check=fake_dns)
    assert FORM_ERROR in refused.errors and "too many" in refused.errors[FORM_ERROR]
    assert submit_tool(late, session=db, client_key="someone-else", now=BASE, url_check=fake_dns).ok
    later = {**late, "name": "Later", "homepage": "https://later.example.com/"}
    assert submit_tool(later, session=db, client_key=key, now=BASE + timedelta(minutes=61), url_check=fake_dns).ok


def test_hostile_text_is_refused_not_stored(db: Session) -> None:
    hostile = {**GOOD, "description": "<script>document.location='https://evil.example.net/'</script>"}
    result = submit_tool(hostile, session=db, client_key="k", url_check=fake_dns)
    assert not result.ok and "description" in result.errors
    assert db.exec(select(Submission)).all() == []


def test_approval_lists_the_tool_with_its_source_and_date(db: Session) -> None:
    sid = submit_tool(GOOD, session=db, client_key="k", url_check=fake_dns).submission_id
    assert sid is not None
    approved_at = BASE + timedelta(days=3)
    tool_row = approve_submission(sid, session=db, now=approved_at)
    assert (tool_row.slug, tool_row.source, tool_row.category) == ("quillmate", "submission", "coding")
    assert tool_row.added_at == approved_at and tool_row.domain == "quillmate.example.com"
    decided = db.get(Submission, sid)
    assert decided is not None and decided.status == "approved" and decided.tool_id == tool_row.id
    assert list_submissions(session=db) == []
    with pytest.raises(ModerationError):
        approve_submission(sid, session=db)


def test_rejection_is_recorded_and_lists_nothing(db: Session) -> None:
    sid = submit_tool(GOOD, session=db, client_key="k", url_check=fake_dns).submission_id
    assert sid is not None
    reject_submission(sid, session=db, now=BASE)
    assert [s.id for s in list_submissions(session=db, status="rejected")] == [sid]
    assert db.exec(select(Tool).where(Tool.name == "Quillmate")).first() is None
    with pytest.raises(ModerationError):
        reject_submission(sid, session=db)
    with pytest.raises(ModerationError):
        approve_submission(9999, session=db)


TOKEN = "s3cret-token-long-enough-for-moderation"


def test_the_token_must_match_and_moderation_is_off_without_one() -> None:
    assert token_matches(TOKEN, TOKEN)
    assert not token_matches(TOKEN[:-1] + "N", TOKEN)
    assert not token_matches("", TOKEN)
    assert not token_matches(None, TOKEN)
    assert not token_matches("anything", None)
    assert not token_matches("", "")
    assert not token_matches("ünïcode", TOKEN)
