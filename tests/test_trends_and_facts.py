"""What the pages show from the checks and the stories: the one-line facts with their warnings, the 30-day
mentions, rising tools, category volume and new tools per week (both databases, clock passed in), each equal
to counting the rows one by one, and the `/trends` page counted once per landing, not once per reader."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from directory_seed import categories, tool
from sqlmodel import Session, select

from agentoire_app.concurrency import rebuilt
from agentoire_app.models import Article, ArticleTool, Source, Tool, ToolFact
from agentoire_app.services import trends
from agentoire_app.services.tool_facts import FactSummary, latest_facts, stats_line, summarize, warnings
from agentoire_app.services.trends import (
    RISING_MIN_MENTIONS,
    category_volume,
    current_trends,
    mentions_per_day,
    new_tools_per_week,
    rising_tools,
)

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_the_stats_line_says_what_a_practitioner_asks_first() -> None:
    summary = FactSummary(stars=95_300, latest_version="v0.3.1", latest_release_at=NOW - timedelta(days=12),
                          pushed_at=NOW - timedelta(days=2))
    assert stats_line(summary, NOW) == "★ 95.3k · v0.3.1 released 12 days ago · active"
    assert warnings(summary, NOW) == []


def test_archived_stale_and_dead_are_flagged_never_hidden() -> None:
    assert summarize([ToolFact(tool_id=1, kind="github", archived=True, link_status="ok")]).activity(NOW) == "archived"
    stale = FactSummary(pushed_at=NOW - timedelta(days=400), link_status="dead")
    assert stats_line(stale, NOW) == "stale"
    assert [w.split(":")[0] for w in warnings(stale, NOW)] == ["stale", "dead link"]
    assert FactSummary(pushed_at=NOW - timedelta(days=120)).activity(NOW) == "quiet"


def test_the_newest_snapshot_of_each_source_wins(session: Session) -> None:
    categories(session)
    row = tool(session, "AgentKit")
    session.add(ToolFact(tool_id=row.id or 0, kind="github", stars=10, read_at=NOW - timedelta(days=1)))
    session.add(ToolFact(tool_id=row.id or 0, kind="github", stars=12, read_at=NOW))
    session.add(ToolFact(tool_id=row.id or 0, kind="pypi", latest_version="1.0", read_at=NOW - timedelta(hours=3)))
    session.commit()
    summary = latest_facts([row.id or 0], session=session)[row.id or 0]
    assert (summary.stars, summary.latest_version, summary.checked_at) == (12, "1.0", NOW)


def story(session: Session, source: Source, tool_id: int, when: datetime, n: int, category: str = "product") -> None:
    for i in range(n):
        article = Article(slug=f"s-{tool_id}-{when:%m%d}-{i}", source_id=source.id or 0, guid=f"{tool_id}-{when}-{i}",
                          title="t", published_at=when, category=category)
        session.add(article)
        session.flush()
        session.add(ArticleTool(article_id=article.id or 0, tool_id=tool_id))
    session.commit()


def test_mentions_per_day_and_rising_tools(session: Session) -> None:
    categories(session)
    steady, sudden = tool(session, "Steady"), tool(session, "Sudden")
    source = Source(url="https://feed.example/rss")
    session.add(source)
    session.commit()
    for week in range(5):
        story(session, source, steady.id or 0, NOW - timedelta(days=2 + 7 * week), 3)
    story(session, source, sudden.id or 0, NOW - timedelta(days=1), 5, category="research")
    series = mentions_per_day(sudden.id or 0, session=session, now=NOW)
    assert len(series) == 30 and series[-2] == ((NOW - timedelta(days=1)).date(), 5) and sum(n for _, n in series) == 5
    assert [(r.slug, r.this_week) for r in rising_tools(session=session, now=NOW)] == [("sudden", 5)]
    weeks = category_volume(session=session, now=NOW, weeks=2)
    assert weeks[-1]["week"] == date(2026, 11, 30) and weeks[-1]["research"] == 5 and "research" not in weeks[-2]


def test_new_tools_per_week_counts_zeros_too(session: Session) -> None:
    categories(session)
    tool(session, "Old")  # seeded long before the window
    counts = new_tools_per_week(session=session, now=NOW, weeks=4)
    assert len(counts) == 4 and all(n == 0 for _, n in counts)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def test_the_counts_equal_counting_every_row_by_hand_edges_included(session: Session) -> None:
    """Stories and tools on both sides of every edge (midnight Monday, a week ago to the second, the window's
    start, the future): the database's counts are the plain count of the rows, day by day and week by week."""
    categories(session)
    tools = [tool(session, f"T{i}") for i in range(6)]
    source = Source(url="https://feed.example/rss")
    session.add(source)
    session.commit()
    rng = random.Random(7)
    edges = [NOW - timedelta(days=7), NOW - timedelta(days=35), NOW,
             datetime.combine(monday(NOW.date()), datetime.min.time(), tzinfo=UTC),
             datetime.combine(NOW.date() - timedelta(days=29), datetime.min.time(), tzinfo=UTC)]
    whens = [edge + timedelta(seconds=d) for edge in edges for d in (-1, 0, 1)]
    whens += [NOW - timedelta(seconds=rng.randrange(-3 * 86400, 100 * 86400)) for _ in range(150)]
    for i, when in enumerate(whens):
        row = Article(slug=f"a-{i}", source_id=source.id or 0, guid=str(i), title="t", published_at=when,
                      category=rng.choice(["product", "research", "policy"]))
        session.add(row)
        session.flush()
        edge = i < 3 * len(edges)  # the first tool is mentioned at every edge, so each counts in its figures
        for mentioned in [tools[0]] if edge else rng.sample(tools[1:], rng.choice([0, 1, 1, 2])):
            session.add(ArticleTool(article_id=row.id or 0, tool_id=mentioned.id or 0))
    for i, when in enumerate(whens[::5]):
        session.add(Tool(slug=f"new-{i}", name=f"New {i}", category="other", added_at=when))
    session.commit()
    mentions = session.exec(select(ArticleTool.tool_id, Article.published_at)
                            .join(Article, Article.id == ArticleTool.article_id)).all()  # type: ignore[arg-type]
    stamped = [(t, when.replace(tzinfo=UTC)) for t, when in mentions]

    first_day = NOW.date() - timedelta(days=29)
    by_day = Counter(when.date() for t, when in stamped if t == tools[0].id and when.date() >= first_day)
    assert mentions_per_day(tools[0].id or 0, session=session, now=NOW) == [
        (first_day + timedelta(days=i), by_day[first_day + timedelta(days=i)]) for i in range(30)]

    week_ago, window = NOW - timedelta(days=7), NOW - timedelta(days=35)
    recent = Counter(t for t, when in stamped if week_ago <= when <= NOW)
    before = Counter(t for t, when in stamped if window <= when < week_ago)
    expected = sorted(((t, n, before[t] / 4) for t, n in recent.items()
                       if n >= RISING_MIN_MENTIONS and n > before[t] / 4), key=lambda r: (-(r[1] - r[2]), r[0]))
    slugs = {t.id: t.slug for t in tools}
    assert [(r.slug, r.this_week, r.weekly_before) for r in rising_tools(session=session, now=NOW)] == [
        (slugs[t], n, avg) for t, n, avg in expected][:10]
    assert tools[0].id in {t for t, _, _ in expected}  # the tool at the edges rises

    weeks = [monday(NOW.date()) - timedelta(weeks=11 - i) for i in range(12)]
    stories = session.exec(select(Article.published_at, Article.category)).all()
    volume = Counter((monday(when.date()), category) for when, category in stories)
    assert category_volume(session=session, now=NOW) == [
        {"week": week, **{c: volume[(week, c)] for c in ("policy", "product", "research") if volume[(week, c)]}}
        for week in weeks]
    joined = Counter(monday(row.added_at.date()) for row in session.exec(select(Tool)).all())
    assert new_tools_per_week(session=session, now=NOW) == [(week, joined[week]) for week in weeks]


def test_the_trends_page_is_counted_once_until_a_story_lands(session: Session,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reader of `/trends` gets the held counts; a story landing is counted again in the background."""
    monkeypatch.setattr(rebuilt, "SIGNATURE_EVERY", 0.0)
    categories(session)
    hot = tool(session, "Hot")
    source = Source(url="https://feed.example/rss")
    session.add(source)
    session.commit()
    now = datetime.now(UTC)
    story(session, source, hot.id or 0, now - timedelta(days=3), 3)
    first = current_trends(session)
    held = trends._held(session)
    assert [(r.slug, r.this_week) for r in first.rising] == [("hot", 3)]
    assert current_trends(session) is first and held.wait(timeout=60) and held.builds == 1

    story(session, source, hot.id or 0, now - timedelta(days=1), 2, category="research")
    current_trends(session)  # notices the new highest article id; counts again off the request
    assert held.wait(timeout=60) and held.builds == 2
    assert [(r.slug, r.this_week) for r in current_trends(session).rising] == [("hot", 5)]
    assert sum(int(week.get("research", 0)) for week in current_trends(session).volume) == 2  # type: ignore[call-overload]
