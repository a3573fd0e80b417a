"""`in_thread` and `in_session`: the call runs on a worker thread with its arguments, and the session it
gets commits on success and rolls back on error, as `session_scope` does."""

from __future__ import annotations

import asyncio
import threading

import pytest
from directory_seed import categories
from sqlmodel import Session, select

from agentoire_app.concurrency import in_session, in_thread
from agentoire_app.models import Category


def test_in_thread_runs_the_call_on_a_worker_thread_with_its_arguments() -> None:
    def where(a: int, /, b: int, *, c: int) -> tuple[int, int]:
        return threading.get_ident(), a + b + c

    thread, total = asyncio.run(in_thread(where, 1, 2, c=3))
    assert total == 6
    assert thread != threading.get_ident()


def test_in_thread_raises_what_the_call_raised() -> None:
    def fail() -> None:
        raise LookupError("not there")

    with pytest.raises(LookupError, match="not there"):
        asyncio.run(in_thread(fail))


def test_in_session_commits_what_the_work_added(session: Session) -> None:
    asyncio.run(in_session(lambda s: s.add(Category(slug="agents", name="Agents"))))
    assert session.exec(select(Category.slug)).all() == ["agents"]


def test_in_session_rolls_back_when_the_work_fails(session: Session) -> None:
    categories(session, "coding")

    def rename_then_fail(s: Session) -> None:
        row = s.get(Category, "coding")
        assert row is not None
        row.name = "Renamed"
        s.add(row)
        s.flush()
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        asyncio.run(in_session(rename_then_fail))
    session.expire_all()
    assert session.exec(select(Category.name)).all() == ["Coding"]
