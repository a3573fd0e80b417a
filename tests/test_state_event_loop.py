"""Event handlers never block the event loop: every websocket of a worker shares one asyncio loop, so a
query run on it stalls every reader for as long as the database takes.

The database is made slow (each statement sleeps `QUERY_DELAY` before it runs) and each handler that
reads or writes it runs on a real state instance in an asyncio loop while a ticker coroutine measures the
loop's longest stall. A handler that queried on the loop would stall it for at least `QUERY_DELAY`; and
every statement must run on another thread than the loop's.

Every event handler of every state is listed below, either as touching the database (with what it needs
to reach the database) or as pure; a new handler fails `test_every_handler_is_listed` until it is listed.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import inspect
import pkgutil
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import directory_seed as seed
import pytest
import reflex as rx
import sqlalchemy as sa
from reflex.istate.data import ReflexURL, RouterData, SessionData
from reflex.state import State

# The components first: the palette's state and the components import each other, as in the app.
import agentoire_app.components
import agentoire_app.state
from agentoire_app.db import get_engine
from agentoire_app.models import Submission

QUERY_DELAY = 0.1  # seconds each statement waits before it runs: twice the stall allowed
MAX_STALL = 0.05  # the longest the loop may go without running the ticker
TICK = 0.002
ATTEMPTS = 3
ADMIN_TOKEN = "moderator-token-for-tests"


@dataclass(frozen=True)
class Seeded:
    article_slug: str
    tool_slugs: tuple[str, str]
    pending_ids: tuple[int, int]


@dataclass(frozen=True)
class Case:
    """How to reach the database from one handler: the page it runs on, state set beforehand, arguments."""

    url: str = "/"
    preset: dict[str, Any] = field(default_factory=dict)
    args: Callable[[Seeded], dict[str, Any]] = lambda _seeded: {}


SIGNED_IN = {"_token": ADMIN_TOKEN, "authorized": True}

DB_HANDLERS: dict[str, Case] = {
    "ArticleState.load": Case(url="/news/{article}"),
    "ArticleStoryState.load": Case(url="/news/{article}"),
    "HomeState.load": Case(),
    "HomeState.refresh_live": Case(preset={"loaded": True}),
    "ModerateState.approve": Case(url="/moderate", preset=SIGNED_IN,
                                  args=lambda s: {"submission_id": str(s.pending_ids[0])}),
    "ModerateState.load": Case(url="/moderate", preset=SIGNED_IN),
    "ModerateState.reject": Case(url="/moderate", preset=SIGNED_IN,
                                 args=lambda s: {"submission_id": str(s.pending_ids[1])}),
    "ModerateState.sign_in": Case(url="/moderate", args=lambda _s: {"form_data": {"token": ADMIN_TOKEN}}),
    "ModerateState.approve_found": Case(url="/moderate", preset=SIGNED_IN, args=lambda _s: {"candidate_id": "1"}),
    "ModerateState.reject_found": Case(url="/moderate", preset=SIGNED_IN, args=lambda _s: {"candidate_id": "1"}),
    "ModerateState.merge_found": Case(url="/moderate", preset=SIGNED_IN,
                                      args=lambda _s: {"form_data": {"candidate": "1", "into": "x"}}),
    "NewsState.load": Case(url="/news"),
    "NewsState.refresh_live": Case(url="/news", preset={"loaded": True}),
    "PaletteState.search": Case(preset={"query": "agent"}),
    "SourcesState.load": Case(url="/sources"),
    "StatusState.refresh": Case(args=lambda _s: {"day_start": "2026-01-01T00:00:00Z"}),
    "SubmitState.load": Case(url="/submit"),
    "SubmitState.submit": Case(url="/submit", args=lambda _s: {"form_data": {"name": ""}}),
    "ToolDetailState.load": Case(url="/tools/{tool}"),
    "ToolsCompareState.find": Case(url="/compare", args=lambda _s: {"value": "agent"}),
    "ToolsCompareState.load": Case(url="/compare?tools={tool},{other_tool}"),
    "ToolsListState.load": Case(url="/tools?q=agent"),
    "TrendsState.load": Case(url="/trends"),
}

# Handlers that only set state or navigate, with arguments that exercise them.
PURE_HANDLERS: dict[str, dict[str, Any]] = {
    "ModerateState.sign_out": {},
    "NewsState.search": {"value": "agents"},
    "NewsState.set_category": {"value": "product"},
    "HelpState.set_open": {"is_open": True},
    "HelpState.toggle_help": {},
    "PaletteState.pick": {"title": "Agent", "detail": "tools", "url": "/tools/agent", "ctrl_key": False,
                          "meta_key": False},
    "PaletteState.set_open": {"is_open": False},
    "PaletteState.toggle_palette": {},
    "PaletteState.type_query": {"value": "agent"},
    "SubmitState.another": {},
    "ToolsCompareState.add": {"slug": "agent"},
    "ToolsCompareState.remove": {"slug": "agent"},
    "ToolsListState.clear": {},
    "ToolsListState.search": {"value": "agent"},
    "ToolsListState.set_category": {"value": "agents"},
    "ToolsListState.set_activity": {"value": "active"},
    "ToolsListState.set_new": {"value": "week"},
    "ToolsListState.set_open_source": {"value": "1"},
    "ToolsListState.set_pricing": {"value": "free"},
    "ToolsListState.set_sort": {"value": "name"},
    "ToolsListState.set_tag": {"value": "rag"},
}


def _state_classes() -> dict[str, type[rx.State]]:
    """Every state declared in `agentoire_app.state`, by class name."""
    modules = [importlib.import_module(f"agentoire_app.state.{info.name}")
               for info in pkgutil.iter_modules(agentoire_app.state.__path__)]
    return {name: cls for module in modules for name, cls in vars(module).items()
            if inspect.isclass(cls) and issubclass(cls, rx.State) and cls.__module__ == module.__name__}


STATES = _state_classes()


def _every_handler() -> set[str]:
    return {f"{name}.{handler}" for name, cls in STATES.items() for handler in cls.event_handlers
            if handler != "setvar"}


def test_every_handler_is_listed() -> None:
    listed = set(DB_HANDLERS) | set(PURE_HANDLERS)
    assert not set(DB_HANDLERS) & set(PURE_HANDLERS)
    assert sorted(_every_handler() - listed) == [], "list each new handler in DB_HANDLERS or PURE_HANDLERS"
    assert sorted(listed - _every_handler()) == [], "a listed handler is gone: drop it from the table"


@pytest.fixture
def seeded(session, monkeypatch: pytest.MonkeyPatch) -> Seeded:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("AGENTOIRE_ADMIN_TOKEN", ADMIN_TOKEN)
    seed.categories(session)
    agent = seed.tool(session, "Agent Kit", category="agents", tags=["rag"])
    other = seed.tool(session, "Agent Forge", category="agents", days=1)
    src = seed.source(session)
    article = seed.article(session, src, "Agents ship", mentions=(agent,))
    pending = [Submission(name=f"Proposed {i}", homepage=f"https://proposed-{i}.example.com/")
               for i in (1, 2)]
    session.add_all(pending)
    session.commit()
    return Seeded(article.slug, (agent.slug, other.slug), (pending[0].id or 0, pending[1].id or 0))


@dataclass
class SlowDatabase:
    statements: int = 0
    on_loop_thread: int = 0  # statements run by the thread that runs the event loop


@pytest.fixture
def slow_db(db_url: str, seeded: Seeded) -> Iterator[SlowDatabase]:
    """From here on every statement on the test database waits `QUERY_DELAY` (and is counted)."""
    slow = SlowDatabase()

    loop_thread = threading.get_ident()  # asyncio.run runs the loop in the test's own thread

    def wait(*_args: object) -> None:
        slow.statements += 1
        slow.on_loop_thread += threading.get_ident() == loop_thread
        time.sleep(QUERY_DELAY)

    engine = get_engine(db_url)
    sa.event.listen(engine, "before_cursor_execute", wait)
    yield slow
    sa.event.remove(engine, "before_cursor_execute", wait)


def _state_for(qualified: str, url: str, preset: dict[str, Any]) -> tuple[rx.State, Callable[..., Any]]:
    class_name, handler_name = qualified.split(".")
    cls = STATES[class_name]
    root = State(_reflex_internal_init=True)
    state = root.get_substate(cls.get_full_name().split(".")[1:])
    state.router = RouterData(session=SessionData(client_token="t", client_ip="127.0.0.1"),
                              url=ReflexURL(f"http://localhost:3000{url}"))
    for name, value in preset.items():
        setattr(state, name, value)
    return state, cls.event_handlers[handler_name].fn


async def _longest_stall(call: Callable[[], Any]) -> float:
    """Run `call()` (awaiting it when it is a coroutine) while a ticker measures the loop's longest stall."""
    stalls = [0.0]

    async def tick() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            stalls.append(now - last - TICK)
            last = now

    ticker = asyncio.create_task(tick())
    await asyncio.sleep(TICK)  # the ticker is running before the handler starts
    try:
        result = call()
        if inspect.isawaitable(result):
            await result
        await asyncio.sleep(4 * TICK)  # and ticks again after it ends, so a stall at the very end shows
    finally:
        ticker.cancel()
    return max(stalls)


def _run(qualified: str, url: str, preset: dict[str, Any], args: dict[str, Any]) -> float:
    """Run one handler on a fresh state in a fresh loop; the loop's longest stall meanwhile.

    The garbage collector is paused meanwhile: a full collection of the test process's heap holds the
    interpreter for tens of milliseconds whichever thread triggers it, which is not what is measured here.
    The heap is frozen rather than collected first: a collection of a whole suite's heap costs seconds.
    """
    state, handler = _state_for(qualified, url, preset)
    gc.disable()
    gc.freeze()
    try:
        return asyncio.run(_longest_stall(lambda: handler(state, **args)))
    finally:
        gc.unfreeze()
        gc.enable()


@pytest.mark.parametrize("qualified", sorted(DB_HANDLERS))
def test_a_handler_leaves_the_loop_free_while_the_database_is_slow(
        qualified: str, slow_db: SlowDatabase, seeded: Seeded) -> None:
    case = DB_HANDLERS[qualified]
    url = case.url.format(article=seeded.article_slug, tool=seeded.tool_slugs[0],
                          other_tool=seeded.tool_slugs[1])
    # A handler that queries on the loop stalls it by QUERY_DELAY on every run; a busy machine only now and
    # then (the OS deschedules the loop's thread). So the best of up to ATTEMPTS runs is what counts.
    stall = _run(qualified, url, case.preset, case.args(seeded))
    for _attempt in range(1, ATTEMPTS):
        if stall < MAX_STALL:
            break
        stall = min(stall, _run(qualified, url, case.preset, case.args(seeded)))
    assert slow_db.statements > 0, f"{qualified} never reached the database: fix its Case"
    assert slow_db.on_loop_thread == 0, f"{qualified} ran {slow_db.on_loop_thread} statements on the loop"
    assert stall < MAX_STALL, f"{qualified} held the loop {stall * 1000:.0f} ms ({slow_db.statements} queries)"


@pytest.mark.parametrize("qualified", sorted(PURE_HANDLERS))
def test_a_pure_handler_runs_no_statement(qualified: str, slow_db: SlowDatabase) -> None:
    _run(qualified, "/", {}, PURE_HANDLERS[qualified])
    assert slow_db.statements == 0, f"{qualified} touches the database: move it to DB_HANDLERS"
