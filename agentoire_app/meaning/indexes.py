"""Each worker's vector indexes in memory: articles (read back from the database) and tools (embedded when
built: name and tagline are short, 10,000 of them take about a second).

Request paths call `current_index`, which never blocks on the model or a build: it answers with the index
this worker holds (None before the first build, which it starts), and a change to the table starts a
rebuild in a background thread while searches use the previous index (`concurrency.rebuilt`: the highest
id looked at once a second, the row count every half minute for deletions). The push listener calls
`refresh_held` when a news round or an approval lands (an edited title changes no signature).
`build_indexes` builds synchronously, for tests and benches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session, col

from ..concurrency.rebuilt import Held, Shelf, Watch
from ..models import Article, Tool
from .articles import embed_missing_articles, stored_article_index
from .model import Embedder, load_embedder, ready_embedder
from .vectors import VectorIndex, ids_array

Kind = Literal["articles", "tools"]
KINDS: tuple[Kind, ...] = ("articles", "tools")


def tool_text(name: str, tagline: str) -> str:
    """What a tool means, as embedded: its name and tagline."""
    return f"{name}. {tagline}".strip()


def _watch(kind: Kind) -> Watch:
    table_id = col(Article.id) if kind == "articles" else col(Tool.id)
    return Watch(often=sa.select(sa.func.max(table_id)), seldom=sa.select(sa.func.count(table_id)))


def _tool_index(embedder: Embedder, *, session: Session) -> VectorIndex:
    rows = session.execute(sa.select(col(Tool.id), col(Tool.name), col(Tool.tagline)).order_by(col(Tool.id))).all()
    return VectorIndex(ids=ids_array([row[0] for row in rows]),
                       matrix=embedder.embed([tool_text(name, tagline or "") for _id, name, tagline in rows]))


def build_index(kind: Kind, embedder: Embedder, *, session: Session) -> VectorIndex:
    """The index of one kind, read now; articles without a vector are embedded and stored first."""
    if kind == "articles":
        embed_missing_articles(embedder, session=session)
        return stored_article_index(session=session)
    return _tool_index(embedder, session=session)


def _builder(kind: Kind) -> Callable[[Session], VectorIndex]:
    def build(session: Session) -> VectorIndex:
        embedder = load_embedder()  # loaded already: builds start once the model is ready
        if embedder is None:
            raise RuntimeError("the model is unavailable")
        return build_index(kind, embedder, session=session)
    return build


_WATCHES = {kind: _watch(kind) for kind in KINDS}
_BUILDERS = {kind: _builder(kind) for kind in KINDS}
_HELD: Shelf[VectorIndex] = Shelf()


def _held(kind: Kind, session: Session) -> Held[VectorIndex]:
    return _HELD.held(f"meaning-{kind}", session.get_bind().engine, _WATCHES[kind], _BUILDERS[kind])


def current_index(kind: Kind, *, session: Session) -> VectorIndex | None:
    """This worker's index of `kind` for the session's database, or None while the model or the first
    build is not ready (the caller searches lexically). Never waits for either."""
    if ready_embedder() is None:
        return None
    return _held(kind, session).current(session)


def build_indexes(*, session: Session) -> bool:
    """Load the model and build every index for the session's database now (blocking); False when the
    model is unavailable."""
    if load_embedder() is None:
        return False
    for kind in KINDS:
        _held(kind, session).build_now(session)
    session.commit()
    return True


def refresh_held() -> None:
    """Something landed (a news round, an approval): rebuild every index this worker holds, in the
    background."""
    if ready_embedder() is None:
        return
    for held in _HELD:
        if held.value is not None:
            held.refresh()
