"""The directory's queries: filters, sorts, paging, alternatives and the news timeline, on both databases."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from directory_seed import BASE, article, categories, source, tool
from sqlmodel import Session

from agentoire_app.services.directory import ToolQuery, query_tools, tool_query_from_params
from agentoire_app.services.paging import BadQuery
from agentoire_app.services.tools import alternatives, get_tools, mention_count, popular_tags, tool_news


@pytest.fixture
def directory(session: Session) -> Session:
    categories(session)
    tool(session, "Zed Agent", category="agents", tags=["llm", "rag", "python"], days=5)
    tool(session, "alpha agent", category="agents", tags=["llm"], days=4, pricing="free")
    tool(session, "Beta Coder", category="coding", tags=["llm", "rag", "python"], days=3, open_source=True)
    tool(session, "Gamma", category="agents", tags=[], days=2)
    tool(session, "Delta", category="models", tags=["audio"], days=1)
    return session


def names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.name for t in page.items]


def test_sorts(directory: Session) -> None:
    assert names(query_tools(ToolQuery(), session=directory)) == [
        "Zed Agent", "alpha agent", "Beta Coder", "Gamma", "Delta"]
    assert names(query_tools(ToolQuery(sort="name"), session=directory)) == [
        "alpha agent", "Beta Coder", "Delta", "Gamma", "Zed Agent"]
    src = source(directory)
    zed, beta = query_tools(ToolQuery(q="zed"), session=directory).items[0], \
        query_tools(ToolQuery(q="beta"), session=directory).items[0]
    article(directory, src, "one", mentions=(beta,))
    article(directory, src, "two", days=1, mentions=(beta, zed))
    page = query_tools(ToolQuery(sort="mentions"), session=directory)
    assert names(page)[:2] == ["Beta Coder", "Zed Agent"]
    assert page.mentions[beta.id] == 2 and mention_count(zed.id, session=directory) == 1  # type: ignore[arg-type,index]
    filtered = query_tools(ToolQuery(sort="mentions", tag="python"), session=directory)
    assert names(filtered) == ["Beta Coder", "Zed Agent"]


def test_mention_counts_follow_deletes(directory: Session) -> None:
    src = source(directory)
    beta = query_tools(ToolQuery(q="beta"), session=directory).items[0]
    story = article(directory, src, "one", mentions=(beta,))
    assert mention_count(beta.id or 0, session=directory) == 1
    directory.execute(sa.text("DELETE FROM article WHERE id = :i"), {"i": story.id})
    directory.commit()
    assert mention_count(beta.id or 0, session=directory) == 0


def test_filters_combine_and_count(directory: Session) -> None:
    page = query_tools(ToolQuery(category="agents", tag="llm"), session=directory)
    assert names(page) == ["Zed Agent", "alpha agent"] and page.total == 2
    assert names(query_tools(ToolQuery(pricing="free"), session=directory)) == ["alpha agent"]
    assert names(query_tools(ToolQuery(open_source=True), session=directory)) == ["Beta Coder"]
    assert names(query_tools(ToolQuery(open_source=False, category="coding"), session=directory)) == []
    since = BASE + timedelta(days=3)
    assert names(query_tools(ToolQuery(added_since=since), session=directory)) == [
        "Zed Agent", "alpha agent", "Beta Coder"]


def test_tag_index_follows_tag_edits(directory: Session) -> None:
    delta = query_tools(ToolQuery(q="delta"), session=directory).items[0]
    delta.tags = ["llm", "speech"]
    directory.add(delta)
    directory.commit()
    assert "Delta" in names(query_tools(ToolQuery(tag="speech"), session=directory))
    assert "Delta" not in names(query_tools(ToolQuery(tag="audio"), session=directory))
    assert ("llm", 4) in popular_tags(session=directory)


def test_paging_covers_everything_once(directory: Session) -> None:
    seen = [t.name for offset in range(0, 6, 2)
            for t in query_tools(ToolQuery(sort="name"), session=directory, limit=2, offset=offset).items]
    assert seen == ["alpha agent", "Beta Coder", "Delta", "Gamma", "Zed Agent"]
    assert query_tools(ToolQuery(), session=directory, limit=2, offset=100).items == []


def test_alternatives_rank_category_then_shared_tags(directory: Session) -> None:
    zed = query_tools(ToolQuery(q="zed"), session=directory).items[0]
    ranked = [(t.name, score) for t, score in alternatives(zed, session=directory)]
    assert ranked == [("alpha agent", 3), ("Beta Coder", 3), ("Gamma", 2)] or ranked == [
        ("Beta Coder", 3), ("alpha agent", 3), ("Gamma", 2)]
    assert ranked[0][0] == "alpha agent", "ties go to the newer tool"
    delta = query_tools(ToolQuery(q="delta"), session=directory).items[0]
    assert alternatives(delta, session=directory) == []


def test_the_news_timeline_is_newest_first(directory: Session) -> None:
    src = source(directory)
    gamma = query_tools(ToolQuery(q="gamma"), session=directory).items[0]
    article(directory, src, "old story", days=1, mentions=(gamma,))
    article(directory, src, "new story", days=9, mentions=(gamma,))
    article(directory, src, "unrelated", days=5)
    assert [a.title for a, _ in tool_news(gamma.id or 0, session=directory)] == ["new story", "old story"]


def test_compare_keeps_the_order_asked(directory: Session) -> None:
    assert [t.name for t in get_tools(["delta", "nope", "gamma", "delta"], session=directory)] == ["Delta", "Gamma"]


def test_url_params_parse_or_name_the_bad_one() -> None:
    now = BASE
    query = tool_query_from_params({"q": " lang ", "category": "agents", "open_source": "true", "new": "week",
                                    "sort": "mentions"}, now=now)
    assert (query.q, query.category, query.open_source, query.sort) == ("lang", "agents", True, "mentions")
    assert query.added_since == now - timedelta(days=7)
    assert ToolQuery(q="x").effective_sort() == "relevance" and ToolQuery().effective_sort() == "newest"
    assert ToolQuery(sort="relevance").effective_sort() == "newest"
    for bad in ({"sort": "hot"}, {"pricing": "$"}, {"new": "year"}, {"open_source": "perhaps"}):
        with pytest.raises(BadQuery, match=next(iter(bad))):
            tool_query_from_params(bad)


@pytest.mark.parametrize("sort", ["newest", "name", "stars", "release", "mentions"])
def test_a_tag_in_a_category_pages_in_the_sorts_order_with_its_total(session: Session, sort: str) -> None:
    """However the page is read (the category's index walked, the tag tested on each tool) and the total
    counted (the kept tag counts), they are what filtering and sorting every tool gives."""
    categories(session)
    for i in range(24):
        tool(session, f"Tool {(i * 7) % 24:02d}", category=("agents", "coding")[i % 2], days=i % 5,
             tags=(["audio"], ["llm", "rag"], ["llm"])[i % 3],
             stars=None if i % 4 == 0 else (i * 5) % 17, latest_release_at=None if i % 5 == 0 else BASE + timedelta(i % 7))
    everything = query_tools(ToolQuery(sort=sort), session=session, limit=100).items
    expected = [t.name for t in everything if t.category == "coding" and "llm" in t.tags]
    query = ToolQuery(category="coding", tag="llm", sort=sort)
    pages = [query_tools(query, session=session, limit=3, offset=offset) for offset in range(0, 12, 3)]
    assert [t.name for page in pages for t in page.items] == expected
    assert {page.total for page in pages} == {len(expected)} and len(expected) > 3
    alone = query_tools(ToolQuery(tag="llm", sort=sort), session=session, limit=100)
    assert alone.total == len(alone.items) == sum("llm" in t.tags for t in everything)
