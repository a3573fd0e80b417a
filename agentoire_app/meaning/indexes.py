"""Each worker's vector indexes in memory: articles (read back from the database) and tools (embedded when
built: name and tagline are short, 10,000 of them take about a second).

Request paths call `current_index`, which never blocks on the model or a build: it answers with the index
this worker holds (None before the first build, which it starts), and once a second compares the table's
signature (row count, highest id) with the one the index was built from; a change starts a rebuild in a
background thread, and searches use the previous index until the new one is swapped in. The push listener
calls `refresh_held` when a news round or an approval lands (an edited title changes no signature).
`build_indexes` builds synchronously, for tests and benches.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from ..models import Article, Tool
from .articles import embed_missing_articles, stored_article_index
from .model import Embedder, load_embedder, ready_embedder
from .vectors import VectorIndex, ids_array

log = logging.getLogger("agentoire.meaning")

Kind = Literal["articles", "tools"]
KINDS: tuple[Kind, ...] = ("articles", "tools")
SIGNATURE_EVERY = 1.0
RETRY_SECONDS = 60.0


def tool_text(name: str, tagline: str) -> str:
    """What a tool means, as embedded: its name and tagline."""
    return f"{name}. {tagline}".strip()


def _signature(kind: Kind) -> sa.Select[int, int | None]:
    table_id = col(Article.id) if kind == "articles" else col(Tool.id)
    return sa.select(sa.func.count(table_id), sa.func.max(table_id))


def _tool_index(embedder: Embedder, *, session: Session) -> VectorIndex:
    rows = session.execute(sa.select(col(Tool.id), col(Tool.name), col(Tool.tagline)).order_by(col(Tool.id))).all()
    return VectorIndex(ids=ids_array([row[0] for row in rows]),
                       matrix=embedder.embed([tool_text(name, tagline or "") for _id, name, tagline in rows]))


def build_index(kind: Kind, embedder: Embedder, *, session: Session) -> tuple[tuple[Any, ...], VectorIndex]:
    """(signature, index) of one kind, read now; articles without a vector are embedded and stored first."""
    signature = tuple(session.execute(_signature(kind)).one())
    if kind == "articles":
        embed_missing_articles(embedder, session=session)
        return signature, stored_article_index(session=session)
    return signature, _tool_index(embedder, session=session)


@dataclass
class _Held:
    """One kind's index for one database in this worker, and the state of its rebuilds."""

    kind: Kind
    engine: Engine
    index: VectorIndex | None = None
    signature: tuple[Any, ...] | None = None
    checked_at: float = 0.0
    building: bool = False
    retry_at: float = 0.0


_HELD: dict[tuple[str, Kind], _Held] = {}
_LOCK = threading.Lock()


def _held(kind: Kind, engine: Engine) -> _Held:
    key = (engine.url.render_as_string(hide_password=False), kind)
    held = _HELD.get(key)
    if held is None:
        with _LOCK:
            held = _HELD.setdefault(key, _Held(kind, engine))
    return held


def _rebuild(held: _Held, embedder: Embedder) -> None:
    started = time.perf_counter()
    try:
        with Session(held.engine, expire_on_commit=False) as session:
            signature, index = build_index(held.kind, embedder, session=session)
            session.commit()
        held.index, held.signature, held.checked_at = index, signature, time.monotonic()
        log.info("meaning: %s index built (%d vectors) in %.2f s", held.kind, len(index),
                 time.perf_counter() - started)
    except Exception as exc:  # the previous index keeps serving; lexical search is unaffected
        log.warning("meaning: rebuilding the %s index failed (%s); retrying in %.0f s", held.kind, exc,
                    RETRY_SECONDS)
        held.retry_at = time.monotonic() + RETRY_SECONDS
    finally:
        held.building = False


def _start_rebuild(held: _Held, embedder: Embedder) -> None:
    with _LOCK:
        if held.building or time.monotonic() < held.retry_at:
            return
        held.building = True
    threading.Thread(target=_rebuild, args=(held, embedder), name=f"agentoire-meaning-{held.kind}",
                     daemon=True).start()


def current_index(kind: Kind, *, session: Session) -> VectorIndex | None:
    """This worker's index of `kind` for the session's database, or None while the model or the first
    build is not ready (the caller searches lexically). Never waits for either."""
    embedder = ready_embedder()
    if embedder is None:
        return None
    held = _held(kind, session.get_bind().engine)
    if held.index is None:
        _start_rebuild(held, embedder)
        return None
    now = time.monotonic()
    if now - held.checked_at >= SIGNATURE_EVERY:
        held.checked_at = now
        if tuple(session.execute(_signature(kind)).one()) != held.signature:
            _start_rebuild(held, embedder)
    return held.index


def build_indexes(*, session: Session) -> bool:
    """Load the model and build every index for the session's database now (blocking); False when the
    model is unavailable."""
    embedder = load_embedder()
    if embedder is None:
        return False
    for kind in KINDS:
        held = _held(kind, session.get_bind().engine)
        held.signature, held.index = build_index(kind, embedder, session=session)
        held.checked_at = time.monotonic()
    session.commit()
    return True


def refresh_held() -> None:
    """Something landed (a news round, an approval): rebuild every index this worker holds, in the
    background."""
    embedder = ready_embedder()
    if embedder is None:
        return
    for held in list(_HELD.values()):
        if held.index is not None:
            _start_rebuild(held, embedder)
