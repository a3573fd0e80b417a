"""Things built from whole tables that request paths read without ever waiting for a rebuild.

A worker holds, per database, indexes built from every row of a table (the palette's names and titles,
the vectors of search by meaning). Building one reads the whole table: seconds at 500,000 articles, far
longer than a keystroke may take. So a `Held` answers with what it holds, and when its table has changed
it rebuilds in a background thread and swaps the new value in when done; searches use the previous value
meanwhile. One build at a time per held thing, so a burst of changes costs one build after another, not
one per request that noticed.

Noticing a change must itself be cheap, since a request pays for it: `Watch.often` (the highest id, an
index lookup) is read at most once a second, by a request. `Watch.seldom` (the row count, which reads the
table) catches deletions, which leave the highest id alone: it is read every `SELDOM_EVERY` seconds in the
background thread, never by a request. Edits change neither: `max_age` rebuilds anyway once the value is
that old, and `refresh` rebuilds when the caller knows something landed.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

log = logging.getLogger("agentoire.rebuilt")

SIGNATURE_EVERY = 1.0  # how often a request looks at `Watch.often` (someone typing: once a second is plenty)
SELDOM_EVERY = 30.0  # how often the background looks at `Watch.seldom`
RETRY_SECONDS = 60.0  # after a failed background build, the previous value serves this long before a retry

T = TypeVar("T")
Statement = sa.Select[*tuple[Any, ...]]  # any columns


@dataclass(frozen=True, slots=True)
class Watch:
    """How a table's change is noticed: `often` must be answered from an index (a request reads it);
    `seldom` may read the table (the background reads it)."""

    often: Statement
    seldom: Statement | None = None


def _read(session: Session, stmt: Statement | None) -> tuple[Any, ...] | None:
    return None if stmt is None else tuple(session.execute(stmt).one())


@dataclass(eq=False)
class Held(Generic[T]):
    """One value built from one database, held by this worker, and the state of its rebuilds."""

    name: str
    engine: Engine
    watch: Watch
    build: Callable[[Session], T]
    max_age: float = math.inf
    value: T | None = None
    often: tuple[Any, ...] | None = None  # what `watch.often` answered just before `value` was built
    seldom: tuple[Any, ...] | None = None
    built_at: float = 0.0
    built_on: str = ""  # the thread that built `value`
    builds: int = 0  # how many builds have finished
    checked_at: float = 0.0
    counted_at: float = 0.0
    retry_at: float = 0.0
    building: bool = False  # a background build is under way
    _one_build: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _state: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _idle: threading.Event = field(default_factory=threading.Event, repr=False)

    def __post_init__(self) -> None:
        self._idle.set()

    def current(self, session: Session) -> T | None:
        """The value held, or None before the first build (which this starts in the background). Never
        waits for a build; may start one (see `check`)."""
        value = self.value
        if value is None:
            self.refresh()
            return None
        self.check(session)
        return value

    def ready(self, session: Session) -> T:
        """The value held; the first build runs here, in `session`, since before it there is nothing to
        answer with (a request arriving meanwhile waits for that build rather than starting another).
        After that, never waits for a build."""
        value = self.value
        if value is None:
            with self._one_build:
                if self.value is None:
                    self._build(session)
            assert self.value is not None
            return self.value
        self.check(session)
        return value

    def check(self, session: Session) -> None:
        """At most once a second: a rebuild in the background when `watch.often` changed or the value is
        `max_age` old, or, every `SELDOM_EVERY` seconds, a background look at `watch.seldom`."""
        now = time.monotonic()
        if now - self.checked_at < SIGNATURE_EVERY:
            return
        self.checked_at = now
        if now - self.built_at >= self.max_age or _read(session, self.watch.often) != self.often:
            self.refresh()
        elif self.watch.seldom is not None and now - self.counted_at >= SELDOM_EVERY:
            self.counted_at = now
            self.refresh(unless_unchanged=True)

    def refresh(self, *, unless_unchanged: bool = False) -> bool:
        """Start a rebuild in a background thread (with `unless_unchanged`, only if `watch.seldom` changed),
        unless one is under way or the last one failed less than `RETRY_SECONDS` ago; True if started."""
        with self._state:
            if self.building or time.monotonic() < self.retry_at:
                return False
            self.building = True
            self._idle.clear()
        threading.Thread(target=self._rebuild, args=(unless_unchanged,), name=f"agentoire-rebuild-{self.name}",
                         daemon=True).start()
        return True

    def build_now(self, session: Session) -> T:
        """Build in `session` now (blocking; after any build under way), for start-up, tests and benches."""
        with self._one_build:
            return self._build(session)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until no background build is under way; False if `timeout` passed first."""
        return self._idle.wait(timeout)

    def _rebuild(self, unless_unchanged: bool) -> None:
        started = time.perf_counter()
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                if unless_unchanged and _read(session, self.watch.seldom) == self.seldom:
                    return
                with self._one_build:
                    self._build(session)
                session.commit()
            log.info("%s rebuilt in %.2f s", self.name, time.perf_counter() - started)
        except Exception as exc:  # the previous value keeps serving
            log.warning("rebuilding %s failed (%s); retrying in %.0f s", self.name, exc, RETRY_SECONDS)
            self.retry_at = time.monotonic() + RETRY_SECONDS
        finally:
            with self._state:
                self.building = False
                self._idle.set()

    def _build(self, session: Session) -> T:
        # The signatures are read before the rows: a row stored meanwhile shows as a change next time.
        often, seldom = _read(session, self.watch.often), _read(session, self.watch.seldom)
        value = self.build(session)
        now = time.monotonic()
        self.often, self.seldom, self.built_at, self.checked_at, self.counted_at = often, seldom, now, now, now
        self.built_on = threading.current_thread().name
        self.builds += 1
        self.value = value
        return value


class Shelf(Generic[T]):
    """This worker's `Held` values of one kind, one per database and name."""

    def __init__(self) -> None:
        self._held: dict[tuple[str, str], Held[T]] = {}
        self._lock = threading.Lock()

    def held(self, name: str, engine: Engine, watch: Watch, build: Callable[[Session], T], *,
             max_age: float = math.inf) -> Held[T]:
        key = (engine.url.render_as_string(hide_password=False), name)
        held = self._held.get(key)
        if held is None:
            with self._lock:
                held = self._held.get(key)
                if held is None:
                    held = self._held[key] = Held(name, engine, watch, build, max_age)
        return held

    def __iter__(self) -> Iterator[Held[T]]:
        return iter(list(self._held.values()))

    def clear(self) -> None:
        """Forget every value (benches: the next search builds again)."""
        with self._lock:
            self._held.clear()
