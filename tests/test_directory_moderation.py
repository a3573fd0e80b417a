"""The moderation screen's state, driven without a browser: off without AGENTOIRE_ADMIN_TOKEN, a wrong
token refused, the right one approving and rejecting, on both databases."""

from __future__ import annotations

import asyncio

import pytest
import reflex as rx
from directory_seed import categories
from sqlmodel import Session, select

from agentoire_app.models import Submission, Tool
from agentoire_app.services.submissions import submit_tool
from agentoire_app.state.submit import ModerateState

run = asyncio.run  # the handlers are coroutines: their database work runs off the event loop


def moderate_state() -> ModerateState:
    root = rx.State(_reflex_internal_init=True)  # type: ignore[call-arg]
    state = root.get_substate(ModerateState.get_full_name().split(".")[1:])
    assert isinstance(state, ModerateState)
    return state


@pytest.fixture
def queue(session: Session) -> tuple[Session, list[int]]:
    categories(session)
    ids = []
    for name in ("Quillmate", "Spamalot"):
        result = submit_tool({"name": name, "homepage": f"https://{name.lower()}.example.com/",
                              "tagline": "A tool that does a thing", "category": "coding"},
                             session=session, client_key="k", url_check=None)
        assert result.ok
        ids.append(result.submission_id)
    return session, ids  # type: ignore[return-value]


def test_without_a_token_moderation_is_off(queue: tuple[Session, list[int]],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AGENTOIRE_ADMIN_TOKEN", raising=False)
    state = moderate_state()
    run(state.load())
    assert not state.enabled and not state.authorized
    run(state.sign_in({"token": ""}))
    run(state.approve(str(queue[1][0])))
    assert not state.authorized and state.pending == []
    session = queue[0]
    assert session.exec(select(Tool)).all() == []
    assert {s.status for s in session.exec(select(Submission)).all()} == {"pending"}


def test_a_wrong_token_sees_nothing_and_decides_nothing(queue: tuple[Session, list[int]],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_ADMIN_TOKEN", "correct horse battery staple")
    state = moderate_state()
    run(state.load())
    assert state.enabled and not state.authorized
    run(state.sign_in({"token": "correct horse battery stapler"}))
    assert not state.authorized and "not the moderator's token" in state.message
    run(state.reject(str(queue[1][0])))
    assert state.pending == []
    queue[0].expire_all()
    assert {s.status for s in queue[0].exec(select(Submission)).all()} == {"pending"}


def test_the_moderator_approves_and_rejects(queue: tuple[Session, list[int]],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    session, (keep, drop) = queue
    monkeypatch.setenv("AGENTOIRE_ADMIN_TOKEN", "correct horse battery staple")
    state = moderate_state()
    run(state.sign_in({"token": "correct horse battery staple"}))
    assert state.authorized
    assert [p.name for p in state.pending] == ["Quillmate", "Spamalot"]
    run(state.approve(str(keep)))
    assert "Approved: Quillmate" in state.message
    run(state.reject(str(drop)))
    assert "Rejected: Spamalot" in state.message and state.pending == []
    session.expire_all()
    tool = session.exec(select(Tool)).one()
    assert (tool.name, tool.source) == ("Quillmate", "submission")
    assert session.get(Submission, drop).status == "rejected"  # type: ignore[union-attr]
    run(state.approve(str(drop)))
    assert "already rejected" in state.message
    monkeypatch.setenv("AGENTOIRE_ADMIN_TOKEN", "rotated")
    run(state.load())
    assert not state.authorized, "a rotated token signs everyone out"
