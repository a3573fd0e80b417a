"""The palette's search: tools, articles and categories ranked the way people can predict.

Rank, best first: the name tiers of `services.name_rank` (the name is the query, starts with it, a word of
it starts with it, contains it, has its letters in order: "fuzzy"), then the description contains it; ties keep a stable order (short names first for tools, newest first
for stories). When a group finds few, it is widened by meaning (`services.related`): those hits come last
and are marked `related`.

Each table's display fields live in an in-process index, whose `services.name_index` answers the name
tiers from structures built once (a keystroke costs what matches, not a Python pass over every row): the
same ranking on SQLite and PostgreSQL, instead of several LIKE scans per keystroke. A keystroke never
waits for a rebuild (`concurrency.rebuilt`): at most once a second per table it looks up the highest id
(an index lookup), and a change, or an index `INDEX_MAX_AGE` old, starts a rebuild in a background thread
while the previous index answers; the row count, for deletions, is read in the background every half
minute. Only a table's very first build runs in a request, since before it there is nothing to show. Stories' summaries are searched through the full-text index
(`services.search.article_match`).

`palette_search(..., tool_search=...)` takes another tool search with the same return shape.
"""

from __future__ import annotations

import heapq
import sys
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlmodel import Session, col

from ..concurrency.rebuilt import Held, Shelf, Watch
from ..models import Article, Category, Tool
from .name_index import NameIndex
from .name_rank import EXACT, FUZZY, PREFIX, SUBSTRING, WORD_START
from .related import related_ids, widens
from .search import article_match
from .tools import TOOLS_JOINED_OR_LEFT


@dataclass(frozen=True, slots=True)
class PaletteHit:
    group: str  # "tools" | "news" | "categories"
    title: str
    detail: str
    url: str
    rank: int
    related: bool = False  # found by meaning, not by its words (`services.related`)


DETAIL = FUZZY + 1  # below every name tier: only the description contains the query
RELATED = DETAIL + 1  # below every lexical match: near the query by meaning only
# Hits by meaning per group: a few hints, so one group's guesses never push the next groups off the list.
PALETTE_RELATED = 3
MAX_QUERY_CHARS = 100  # longer than any name; and what a query costs to rank grows with its length


@dataclass(slots=True)
class _Index:
    """Every row's display fields, its lower-cased name and detail in `NameIndex`es (which hold them once, as
    bytes) and its id in an array."""

    loaded: InitVar[list[tuple[str, str, str, str, str, int]]]  # (name_lower, detail_lower, title, detail, url, id)
    rows: list[tuple[str, str, str]] = field(init=False)  # (title, detail, url)
    names: NameIndex = field(init=False)
    details: NameIndex | None = field(init=False)  # None when no row has a detail
    ids: npt.NDArray[np.int64] = field(init=False)  # sorted
    by_id: npt.NDArray[np.int64] = field(init=False)  # the row of each of `ids`

    def __post_init__(self, loaded: list[tuple[str, str, str, str, str, int]]) -> None:
        self.names = NameIndex([row[0] for row in loaded])
        self.details = NameIndex([row[1] for row in loaded]) if any(row[1] for row in loaded) else None
        self.rows = [row[2:5] for row in loaded]
        # Arrays rather than a dict of 500,000 ints: a tenth of the memory, for the few hits found by meaning.
        ids = np.fromiter((row[5] for row in loaded), np.int64, len(loaded))
        self.by_id = np.argsort(ids, kind="stable")
        self.ids = ids[self.by_id]

    def shown(self, ids: list[int]) -> list[tuple[str, str, str]]:
        """(title, detail, url) of the rows with these ids, in their order (ids not held yet are left out)."""
        places = np.searchsorted(self.ids, ids).tolist()
        return [self.rows[int(self.by_id[p])] for i, p in zip(ids, places, strict=True)
                if p < len(self.ids) and self.ids[p] == i]


def _tools(session: Session) -> _Index:
    rows = sorted(session.execute(sa.select(col(Tool.slug), col(Tool.name), col(Tool.tagline), col(Tool.id))).all(),
                  key=lambda r: (len(r[1]), r[1].lower()))
    return _Index([(n.lower(), (t or "").lower(), n, t or "", f"/tools/{s}", i) for s, n, t, i in rows])


def _articles(session: Session) -> _Index:
    rows = session.execute(sa.select(col(Article.slug), col(Article.title), col(Article.category), col(Article.id))
                           .order_by(col(Article.published_at).desc(), col(Article.id).desc())).all()
    # The driver makes a string per row: one copy of each category instead of 500,000.
    return _Index([(t.lower(), "", t, sys.intern(c), f"/news/{s}", i) for s, t, c, i in rows])


def _categories(session: Session) -> _Index:
    rows = session.execute(sa.select(col(Category.slug), col(Category.name), col(Category.description))
                           .order_by(col(Category.position), col(Category.name))).all()
    # Categories are never widened by meaning: their place stands in for an id.
    return _Index([(n.lower(), (d or "").lower(), n, d or "", f"/tools?category={s}", i)
                   for i, (s, n, d) in enumerate(rows)])


# How each table's change is noticed (`concurrency.rebuilt`): the highest id and the count kept by triggers
# are index lookups, looked at once a second; counting the articles reads the table, so it is left to the
# background every half minute (deletions: retention); the categories are a few rows.
_KINDS: dict[str, tuple[Watch, Callable[[Session], _Index]]] = {
    "tools": (Watch(often=sa.select(*TOOLS_JOINED_OR_LEFT)), _tools),
    "articles": (Watch(often=sa.select(sa.func.max(col(Article.id))), seldom=sa.select(sa.func.count(col(Article.id)))),
                 _articles),
    "categories": (Watch(often=sa.select(sa.func.count(), sa.func.max(col(Category.name)))), _categories),
}
# An edited name or title changes no signature: it shows within this many seconds.
INDEX_MAX_AGE = 120.0
_HELD: Shelf[_Index] = Shelf()


def _held(session: Session, kind: str) -> Held[_Index]:
    watch, build = _KINDS[kind]
    return _HELD.held(f"palette-{kind}", session.get_bind().engine, watch, build, max_age=INDEX_MAX_AGE)


def _index(session: Session, kind: str) -> _Index:
    """The in-process index of one table: rows are few and short (names, titles), so ranking them in
    Python is faster and more predictable than six LIKE scans, and behaves the same on both databases.
    Only the first build of a table runs in the request (before it there is nothing to show); after that a
    stale index answers while the next one is built in the background."""
    return _held(session, kind).ready(session)


def _best(index: _Index, query: str, group: str, limit: int, *, fuzzy: bool, detail: bool) -> list[PaletteHit]:
    """The `limit` best rows: tiers as `name_rank.rank_name`, ties in the index's order.

    Tier by tier, each asking `NameIndex` for the first rows it still needs: rows come in the index's order,
    so the first rows found in a tier are that tier's best, and a lower tier is only asked when the higher
    ones fall short. A lower tier leaves out the rows a higher one took; when it is asked, the higher ones
    found fewer than `limit`, so they found all their rows."""
    query = query.strip()[:MAX_QUERY_CHARS]
    if not query:
        return []
    names = index.names
    exact, longer = names.starting(query, limit)
    scored = [(EXACT, i) for i in exact] + [(PREFIX, i) for i in longer]
    taken = {*exact, *longer}
    details = index.details if detail else None
    for rank, ask in ((WORD_START, names.word_starting), (SUBSTRING, names.containing),
                      (FUZZY, names.in_order if fuzzy else None),
                      (DETAIL, details.containing if details is not None else None)):
        if len(scored) >= limit:
            break
        if ask is not None:
            found = ask(query, limit - len(scored), taken)
            scored += [(rank, i) for i in found]
            taken.update(found)
    return [PaletteHit(group, *index.rows[p], rank) for rank, p in heapq.nsmallest(limit, scored)]


def search_tools(query: str, *, session: Session, limit: int = 8) -> list[PaletteHit]:
    """Tools by name (all five tiers) and tagline; ties: shorter, then alphabetical names first."""
    index = _index(session, "tools")
    hits = _best(index, query.lower(), "tools", limit, fuzzy=True, detail=True)
    if widens(query, len(hits)):
        hits = _with_related(hits, "tools", limit, index.shown(related_ids("tools", query, session=session,
                                                                           limit=PALETTE_RELATED)))
    return hits


def search_articles(query: str, *, session: Session, limit: int = 6) -> list[PaletteHit]:
    """Stories by title (exact, prefix, word start, substring; newest first within a tier), then by
    summary through the full-text index. Fuzzy matching is left out: long titles contain almost any
    letters in order, so it would only add noise."""
    index = _index(session, "articles")
    hits = _best(index, query.lower(), "news", limit, fuzzy=False, detail=False)
    if len(hits) < limit and len(query) >= 3:
        hits += _articles_by_summary(query, session=session, limit=limit - len(hits),
                                     exclude={h.url for h in hits})
    if widens(query, len(hits)):
        hits = _with_related(hits, "news", limit, index.shown(related_ids("articles", query, session=session,
                                                                          limit=PALETTE_RELATED)))
    return hits


def _with_related(hits: list[PaletteHit], group: str, limit: int,
                  related: list[tuple[str, str, str]]) -> list[PaletteHit]:
    """`hits`, then the related (title, detail, url) not already among them, up to `limit` in all."""
    shown = {h.url for h in hits}
    extra = [PaletteHit(group, title, detail, url, RELATED, related=True)
             for title, detail, url in related if url not in shown]
    return hits + extra[:limit - len(hits)]


def _articles_by_summary(query: str, *, session: Session, limit: int, exclude: set[str]) -> list[PaletteHit]:
    match = article_match(query, session=session)
    if match is None:
        return []
    stmt = match.apply(sa.select(col(Article.slug), col(Article.title), col(Article.category))).limit(limit + len(exclude))
    found: list[PaletteHit] = []
    for slug, title, category in session.execute(stmt):
        url = f"/news/{slug}"
        if url not in exclude and len(found) < limit:
            found.append(PaletteHit("news", title, category, url, 5))
    return found


def search_categories(query: str, *, session: Session, limit: int = 4) -> list[PaletteHit]:
    return _best(_index(session, "categories"), query.lower(), "categories", limit, fuzzy=True, detail=True)


ToolSearch = Callable[..., list[PaletteHit]]


def palette_search(query: str, *, session: Session, tool_search: ToolSearch = search_tools) -> list[PaletteHit]:
    """Groups in a fixed order (tools, news, categories); within a group, best rank first."""
    query = query.strip()[:MAX_QUERY_CHARS]
    if not query:
        return []
    return [
        *tool_search(query, session=session),
        *search_articles(query, session=session),
        *search_categories(query, session=session),
    ]
