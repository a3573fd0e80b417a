"""The submit and moderation paths cannot be probed: wildcards match literally, the queue is never read back
through the form, every try counts, and the moderator's sign-in is limited and exact. Both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
from directory_seed import BASE, categories, tool
from sqlmodel import Session

from agentoire_app.services.moderation import (
    SIGN_IN_LIMIT,
    SIGN_IN_WINDOW,
    moderation_enabled,
    sign_in,
    token_matches,
)
from agentoire_app.services.submissions import (
    FORM_ERROR,
    RATE_LIMIT,
    SubmissionForm,
    submit_tool,
    validate_submission,
)
from agentoire_app.settings import ADMIN_TOKEN_MIN_LENGTH

TOKEN = "correct horse battery staple, twice over"
SECRET = {"name": "Zephyrine Stealth", "homepage": "https://github.com/zephyr-labs/stealth_mode", "repository": "",
          "tagline": "Not announced yet", "description": "", "category": "coding"}
PROBE = {"name": "Probe", "homepage": "https://probe.example.com/", "repository": "",
         "tagline": "Just looking around", "description": "", "category": "coding"}


@pytest.fixture
def db(session: Session) -> Session:
    categories(session)
    tool(session, "Open Interpreter", homepage="https://github.com/OpenInterpreter/open-interpreter",
         domain="github.com")
    assert submit_tool(SECRET, session=session, client_key="insider", now=BASE, url_check=None).ok
    return session


def errors_for(db: Session, **changes: str) -> dict[str, str]:
    return validate_submission(SubmissionForm.from_mapping({**PROBE, **changes}), session=db, url_check=None)


@pytest.mark.parametrize("probe", [
    "https://github.com/%/%",
    "https://github.com/zephyr%/%",
    "https://github.com/zephyr_labs/stealth_mode",
    "https://github.com/zephyr-labs/stealth%",
    "https://github.com/______-____/_______mode",
])
def test_like_wildcards_in_a_url_cannot_probe_a_pending_submission(db: Session, probe: str) -> None:
    assert "homepage" not in errors_for(db, homepage=probe)


def test_like_wildcards_do_not_match_a_listed_tool_either(db: Session) -> None:
    assert "homepage" not in errors_for(db, homepage="https://github.com/%/open_interpreter")
    assert "Open Interpreter" in errors_for(db, homepage="https://github.com/openinterpreter/open-interpreter")["homepage"]


def test_a_duplicate_of_a_pending_submission_reveals_nothing_about_it(db: Session) -> None:
    by_site = errors_for(db, homepage="https://github.com/zephyr-labs/stealth_mode/")["homepage"]
    by_name = errors_for(db, name="zephyrine-stealth")["name"]
    for message in (by_site, by_name):
        assert "waiting for review" in message
        assert "Zephyrine" not in message and "Stealth" not in message and "Not announced" not in message


def test_a_refused_attempt_counts_toward_the_rate_limit(db: Session) -> None:
    for i in range(RATE_LIMIT):
        refused = submit_tool({**PROBE, "name": f"Zephyrine {i}", "homepage": "http://127.0.0.1/"}, session=db,
                              client_key="prober", now=BASE + timedelta(minutes=i), url_check=None)
        assert "homepage" in refused.errors
    good = submit_tool(PROBE, session=db, client_key="prober", now=BASE + timedelta(minutes=10), url_check=None)
    assert not good.ok and "too many" in good.errors[FORM_ERROR]
    assert submit_tool(PROBE, session=db, client_key="someone else", now=BASE, url_check=None).ok


def test_the_token_must_match_in_full_neither_a_prefix_nor_a_longer_one() -> None:
    assert token_matches(TOKEN, TOKEN)
    assert not token_matches(TOKEN[:-1], TOKEN)
    assert not token_matches(TOKEN[:ADMIN_TOKEN_MIN_LENGTH], TOKEN)
    assert not token_matches(TOKEN + "!", TOKEN)
    assert not token_matches(TOKEN + TOKEN, TOKEN)


def test_a_short_token_leaves_moderation_off() -> None:
    short = "x" * (ADMIN_TOKEN_MIN_LENGTH - 1)
    assert not moderation_enabled(short) and not token_matches(short, short)
    assert moderation_enabled("x" * ADMIN_TOKEN_MIN_LENGTH)


def test_failed_sign_ins_are_limited_per_client_for_a_while(session: Session) -> None:
    for i in range(SIGN_IN_LIMIT):
        accepted, message = sign_in(f"guess {i}", TOKEN, "guesser", session=session, now=BASE)
        assert not accepted and "not the moderator's token" in message
    accepted, message = sign_in(TOKEN, TOKEN, "guesser", session=session, now=BASE + timedelta(minutes=1))
    assert not accepted and "Too many failed sign-ins" in message
    assert sign_in(TOKEN, TOKEN, "the moderator", session=session, now=BASE + timedelta(minutes=1))[0]
    later = BASE + SIGN_IN_WINDOW + timedelta(minutes=1)
    assert sign_in(TOKEN, TOKEN, "guesser", session=session, now=later) == (True, "")
