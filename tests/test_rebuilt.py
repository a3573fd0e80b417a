"""A held value is rebuilt off the request path, one build at a time, and the previous value answers until
the new one is in: the rule behind the palette's indexes and the vectors of search by meaning."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from directory_seed import source
from sqlmodel import Session, col

from agentoire_app.concurrency import rebuilt
from agentoire_app.concurrency.rebuilt import Held, Watch
from agentoire_app.models import Source

SOURCES = Watch(often=sa.select(sa.func.max(col(Source.id))), seldom=sa.select(sa.func.count(col(Source.id))))


def count_sources(session: Session) -> int:
    return int(session.execute(sa.select(sa.func.count(col(Source.id)))).scalar_one())


@pytest.fixture(autouse=True)
def every_request_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rebuilt, "SIGNATURE_EVERY", 0.0)


def test_one_build_at_a_time_while_the_previous_value_answers(session: Session) -> None:
    gate, lock = threading.Event(), threading.Lock()
    running = most = 0

    def build(own: Session) -> int:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        if held.builds:  # every rebuild waits for the test to let it finish
            gate.wait(timeout=60)
        try:
            return count_sources(own)
        finally:
            with lock:
                running -= 1

    held: Held[int] = Held("sources", session.get_bind().engine, SOURCES, build)
    assert held.ready(session) == 0
    source(session)
    answers: list[int] = []

    def ask() -> None:
        with Session(session.get_bind()) as own:
            answers.append(held.ready(own))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [0] * 8 and held.building  # a build is in flight; every request answered without it
    assert not held.refresh()  # and no second one starts
    gate.set()
    assert held.wait(timeout=60)
    assert held.ready(session) == 1 and held.builds == 2 and most == 1


def test_a_failed_rebuild_leaves_the_previous_value_and_waits_before_retrying(session: Session) -> None:
    def build(own: Session) -> int:
        if held.builds:
            raise RuntimeError("the database went away")
        return count_sources(own)

    held: Held[int] = Held("sources", session.get_bind().engine, SOURCES, build)
    assert held.ready(session) == 0
    source(session)
    held.ready(session)
    assert held.wait(timeout=60)
    assert held.ready(session) == 0 and held.builds == 1
    assert not held.refresh()  # `RETRY_SECONDS` have not passed


def test_current_answers_nothing_until_the_first_build_it_started_is_in(session: Session) -> None:
    source(session)
    held: Held[int] = Held("sources", session.get_bind().engine, SOURCES, count_sources)
    assert held.current(session) is None
    assert held.wait(timeout=60)
    assert held.current(session) == 1 and held.built_on.startswith("agentoire-rebuild-sources")
