"""The article page's "earlier stories about these tools": the stories of the newest earlier articles that
name one of the article's tools, newest first, read without gathering every article that ever named them
(the page runs it on every visit, and a popular tool's mentions grow with the archive)."""

from __future__ import annotations

import directory_seed as seed
from sqlmodel import Session
from statements import statements_of

from agentoire_app.db import get_engine, upgrade_schema
from agentoire_app.models import Article, Source, Story, Tool
from agentoire_app.services.stories import earlier_stories_about_tools


def _in_story(session: Session, *articles: Article) -> Story:
    first = articles[0]
    story = Story(slug=first.slug, title=first.title, lead_article_id=first.id, article_count=len(articles),
                  source_count=1, first_seen=min(a.published_at for a in articles),
                  last_seen=max(a.published_at for a in articles))
    session.add(story)
    session.commit()
    for a in articles:
        a.story_id = story.id
        session.add(a)
    session.commit()
    return story


def _story_of(session: Session, src: Source, title: str, days: int, *tools: Tool) -> Story:
    return _in_story(session, seed.article(session, src, title, days=days, mentions=tools))


def test_earlier_stories_are_those_naming_its_tools_before_it_newest_first(session: Session) -> None:
    seed.categories(session)
    src = seed.source(session)
    claude, cursor, other = (seed.tool(session, n) for n in ("Claude", "Cursor", "Unrelated"))
    oldest = _story_of(session, src, "Claude gets a memory", -30, claude)
    older = _story_of(session, src, "Cursor raises money", -20, cursor)
    _story_of(session, src, "Unrelated news", -10, other)
    later = _story_of(session, src, "Claude after the fact", 5, claude)
    article = seed.article(session, src, "Claude and Cursor team up", days=0, mentions=(claude, cursor))
    own = _in_story(session, article, seed.article(session, src, "Claude and Cursor, a follow-up", days=-1,
                                                   mentions=(claude,)))

    slugs = [s.slug for s in earlier_stories_about_tools(article, session=session)]
    assert slugs == [older.slug, oldest.slug]  # not its own story, not a later one, not an unrelated one
    assert later.slug not in slugs and own.slug not in slugs
    # Only the newest earlier articles on its tools are looked at.
    assert [s.slug for s in earlier_stories_about_tools(article, session=session, mentions=1)] == [older.slug]
    # Found the same way whichever way the database is read.
    assert [s.slug for s in earlier_stories_about_tools(article, session=session, walk_above=0)] == slugs


def test_an_article_naming_no_tool_costs_one_lookup(session: Session) -> None:
    src = seed.source(session)
    article = seed.article(session, src, "A story about nothing in the catalog")
    assert len(statements_of(get_engine(str(session.get_bind().url)),
                             lambda: earlier_stories_about_tools(article, session=session))) == 1


def test_neither_way_of_reading_walks_the_whole_archive(sqlite_url: str) -> None:
    """SQLite's plans: a rarely named tool's articles come from the mentions index, a commonly named tool's
    from the date index from this article back (stopping at the limit); never a scan of a table that grows
    with the news (the sources, a few hundred rows, may be scanned)."""
    upgrade_schema(sqlite_url)
    engine = get_engine(sqlite_url)
    with Session(engine, expire_on_commit=False) as session:
        seed.categories(session)
        src = seed.source(session)
        tool = seed.tool(session, "Claude")
        for day in range(-20, 0):
            _story_of(session, src, f"Day {day}", day, tool)
        article = seed.article(session, src, "Today", days=0, mentions=(tool,))
        # Without the planner's statistics, as the app's SQLite runs (it never runs ANALYZE).
        for walk_above, reads in ((10_000, "USING INDEX ix_articletool_tool_id"),
                                  (0, "USING INDEX ix_article_published_at (published_at<?)")):
            recorded = statements_of(engine, lambda w=walk_above: earlier_stories_about_tools(  # type: ignore[misc]
                article, session=session, walk_above=w))
            plans = [" | ".join(str(row[-1]) for row in session.connection().exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters).all()) for statement, parameters in recorded]
            assert any(reads in plan for plan in plans), plans
            for table in ("article", "articletool", "story", "tool_mentions"):
                assert not any(f"SCAN {table} " in plan + " " for plan in plans), plans
