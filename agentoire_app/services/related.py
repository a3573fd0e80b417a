"""Search by meaning beside the lexical search: when the words find few items, add the nearest by meaning.

One rule for the palette and `/news?q=`: lexical results first, as they were; when there are fewer than
`WIDEN_BELOW` of them, the items nearest to the query by meaning follow, at most `RELATED_LIMIT`, none
below a cosine similarity of `FLOOR`, each marked related. A query with many lexical hits is never widened,
so the cost (one query embedding, one dot product per stored vector; on `/news` one primary-key read) is paid only
where the words alone fall short: "open weights chinese models" finds no title with all four words, yet its
nearest title is "Chinese AI firm MiniMax …".

`FLOOR` is set from real news titles (tests/fixtures/stories): two unrelated titles score 0.09 on average
and 0.28 at the 95th percentile, while the pairs the tests name score 0.36 to 0.63. Word-average embeddings
also give a few nonsense strings a neighbour above it; they are shown after the lexical results, marked.

Nothing here waits for the model: until it is loaded and this worker's index is built (in the background,
`meaning.indexes`), or when it is absent or switched off, searches are lexical only.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlmodel import Session, col, select

from ..meaning.indexes import KINDS, Kind, current_index
from ..meaning.model import load_embedder, ready_embedder
from ..models import Article, Source
from .search import MAX_QUERY_LENGTH, query_terms, search_articles

WIDEN_BELOW = 5
RELATED_LIMIT = 5
FLOOR = 0.33
# "op" or "ch" means nothing yet; two letters would only bring noise while the first word is typed.
MIN_QUERY_CHARS = 3


def widens(query: str, lexical_hits: int) -> bool:
    """Whether a search with this many lexical hits is widened by meaning."""
    return lexical_hits < WIDEN_BELOW and len(query.strip()) >= MIN_QUERY_CHARS and bool(query_terms(query))


def related_ids(kind: Kind, query: str, *, session: Session, limit: int,
                exclude: Collection[int] = ()) -> list[int]:
    """Ids of the articles or tools nearest to `query` by meaning (none in `exclude`), most similar first;
    [] while the model or this worker's index is not ready."""
    embedder = ready_embedder()
    index = current_index(kind, session=session) if embedder is not None else None
    if embedder is None or index is None:
        return []
    vector = embedder.embed_one(query.strip()[:MAX_QUERY_LENGTH])
    return [item for item, _score in index.nearest(vector, limit=limit, floor=FLOOR, exclude=exclude)]


def related_articles(query: str, *, session: Session, limit: int = RELATED_LIMIT, exclude: Collection[int] = (),
                     category: str | None = None) -> list[tuple[Article, Source]]:
    """Articles nearest to `query` by meaning (none in `exclude`), most similar first."""
    # A category keeps only some of the nearest: look further, then cut.
    ids = related_ids("articles", query, session=session, limit=limit * (4 if category else 1), exclude=exclude)
    if not ids:
        return []
    stmt = select(Article, Source).join(Source, col(Source.id) == Article.source_id).where(col(Article.id).in_(ids))
    if category:
        stmt = stmt.where(Article.category == category)
    found = {a.id: (a, s) for a, s in session.exec(stmt).all()}
    return [found[i] for i in ids if i in found][:limit]


def search_articles_with_related(query: str, *, session: Session, category: str | None = None,
                                 limit: int = 20, offset: int = 0) -> list[tuple[Article, Source, bool]]:
    """`search_articles`, then on the first page, when it found fewer than `WIDEN_BELOW`, the related
    articles; each row says whether it is related (True) or a lexical match (False)."""
    lexical: Sequence[tuple[Article, Source]] = search_articles(query, session=session, category=category,
                                                                limit=limit, offset=offset)
    rows = [(a, s, False) for a, s in lexical]
    if offset == 0 and widens(query, len(lexical)):
        seen = {a.id for a, _s in lexical if a.id is not None}
        rows += [(a, s, True) for a, s in related_articles(query, session=session, exclude=seen,
                                                          category=category)]
    return rows


def warm(*, session: Session) -> None:
    """Load the model (blocking: call it from a worker thread) and start building this worker's indexes
    in the background, so the first searches after start can already widen."""
    if load_embedder() is not None:
        for kind in KINDS:
            current_index(kind, session=session)
