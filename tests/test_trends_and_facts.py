"""What the pages show from the checks and the stories: the one-line facts with their warnings, the 30-day
mentions, rising tools, category volume and new tools per week (both databases, clock passed in)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from directory_seed import categories, tool
from sqlmodel import Session

from agentoire_app.models import Article, ArticleTool, Source, ToolFact
from agentoire_app.services.tool_facts import FactSummary, latest_facts, stats_line, summarize, warnings
from agentoire_app.services.trends import category_volume, mentions_per_day, new_tools_per_week, rising_tools

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
