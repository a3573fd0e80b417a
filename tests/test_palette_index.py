"""The palette's indexes never keep a keystroke waiting: after a table's first build, a search answers from
the index it holds while a newer one is built on another thread; new, deleted and edited rows show once
that build is done (the tests wait on the build, never on a clock)."""

from __future__ import annotations

import threading

import pytest
from directory_seed import article, categories, source, tool
from sqlmodel import Session

from agentoire_app.concurrency import rebuilt
from agentoire_app.services import palette
from agentoire_app.services.palette import DETAIL, palette_search


@pytest.fixture(autouse=True)
def every_search_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every search looks at the tables (not once a second), and by words only (no model to load)."""
    monkeypatch.setattr(rebuilt, "SIGNATURE_EVERY", 0.0)
    monkeypatch.setenv("AGENTOIRE_SEMANTIC", "0")


def indexed(query: str, group: str, *, session: Session) -> list[str]:
    """Titles the palette found in its index for `query` (not those of the stories' full-text query)."""
    return [h.title for h in palette_search(query, session=session) if h.group == group and h.rank < DETAIL]


def test_a_search_right_after_a_new_article_answers_from_the_index_it_has(session: Session) -> None:
    src = source(session)
    article(session, src, "Quokka launch")
    assert indexed("quokka", "news", session=session) == ["Quokka launch"]
    held = palette._held(session, "articles")
    assert held.builds == 1 and held.built_on == threading.current_thread().name  # the first build: here

    article(session, src, "Quokka second", days=1)
    assert indexed("quokka", "news", session=session) == ["Quokka launch"]  # the index it had: no waiting
    assert held.wait(timeout=60)
    assert held.builds == 2 and held.built_on.startswith("agentoire-rebuild-palette-articles")
    assert indexed("quokka", "news", session=session) == ["Quokka second", "Quokka launch"]


def test_a_deleted_article_disappears_once_its_table_is_counted(session: Session,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    src = source(session)
    old, _new = article(session, src, "Wombat old"), article(session, src, "Wombat new", days=1)
    assert indexed("wombat", "news", session=session) == ["Wombat new", "Wombat old"]
    session.delete(old)  # retention: the highest id stays, only the count changes
    session.commit()
    held = palette._held(session, "articles")
    assert indexed("wombat", "news", session=session) == ["Wombat new", "Wombat old"]
    assert held.wait(timeout=60) and held.builds == 1  # the count is not looked at every second

    monkeypatch.setattr(rebuilt, "SELDOM_EVERY", 0.0)
    indexed("wombat", "news", session=session)  # the background counts, and rebuilds
    assert held.wait(timeout=60) and held.builds == 2
    assert indexed("wombat", "news", session=session) == ["Wombat new"]


def test_new_and_deleted_tools_show_through_the_count_the_triggers_keep(session: Session) -> None:
    categories(session)
    tool(session, "Numbat")
    older = tool(session, "Numbat Studio")
    assert indexed("numbat", "tools", session=session) == ["Numbat", "Numbat Studio"]
    held = palette._held(session, "tools")

    tool(session, "Numbat Cloud")
    indexed("numbat", "tools", session=session)
    assert held.wait(timeout=60)
    assert indexed("numbat", "tools", session=session) == ["Numbat", "Numbat Cloud", "Numbat Studio"]

    session.delete(older)  # not the highest id: the count in `tool_count` tells
    session.commit()
    indexed("numbat", "tools", session=session)
    assert held.wait(timeout=60)
    assert indexed("numbat", "tools", session=session) == ["Numbat", "Numbat Cloud"]


def test_an_edited_title_shows_once_the_index_is_max_age_old(session: Session,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(palette, "INDEX_MAX_AGE", 0.0)
    src = source(session)
    row = article(session, src, "Platypus draft")
    assert indexed("platypus", "news", session=session) == ["Platypus draft"]
    row.title = "Platypus final"  # no signature changes
    session.add(row)
    session.commit()
    held = palette._held(session, "articles")
    indexed("platypus", "news", session=session)
    assert held.wait(timeout=60)
    assert indexed("platypus", "news", session=session) == ["Platypus final"]


def test_searches_arriving_together_at_a_new_table_build_it_once(session: Session) -> None:
    src = source(session)
    article(session, src, "Echidna news")
    answers: list[list[str]] = []

    def search() -> None:
        with Session(session.get_bind()) as own:
            answers.append(indexed("echidna", "news", session=own))

    threads = [threading.Thread(target=search) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [["Echidna news"]] * 4  # none answered from nothing
    assert palette._held(session, "articles").builds == 1
