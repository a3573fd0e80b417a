"""Front-page ranking: coverage beats recency within a day, papers have their own lane, and no source
takes more than a few top slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agentoire_app.stories.rank import (
    HIGH_VOLUME_PER_DAY,
    MAX_SLOTS_PER_SOURCE,
    StoryCoverage,
    high_volume_sources,
    rank_stories,
)

NOW = datetime(2026, 1, 5, 23, 0, tzinfo=UTC)


def story(story_id: int, sources: set[int], *, hours_ago: float, lead: int | None = None) -> StoryCoverage:
    return StoryCoverage(story_id, lead if lead is not None else min(sources), frozenset(sources),
                         NOW - timedelta(hours=hours_ago))


def test_coverage_beats_recency_within_a_day() -> None:
    three_sources_this_morning = story(1, {1, 2, 3}, hours_ago=20)
    one_source_just_now = story(2, {4}, hours_ago=0)
    top, _ = rank_stories([one_source_just_now, three_sources_this_morning], now=NOW, high_volume=frozenset())
    assert [s.story_id for s, _ in top] == [1, 2]


def test_recency_wins_between_equal_coverage() -> None:
    top, _ = rank_stories([story(1, {1, 2}, hours_ago=10), story(2, {3, 4}, hours_ago=1)], now=NOW,
                          high_volume=frozenset())
    assert [s.story_id for s, _ in top] == [2, 1]


def test_a_flood_of_papers_never_displaces_a_three_source_story() -> None:
    arxiv = 100
    papers = [story(1000 + i, {arxiv}, hours_ago=0) for i in range(500)]
    covered = story(1, {1, 2, 3}, hours_ago=12)
    high_volume = high_volume_sources({arxiv: 500, 1: 3, 2: 5, 3: 2})
    top, lane = rank_stories([*papers, covered], now=NOW, high_volume=high_volume)
    assert top[0][0].story_id == 1
    assert len(lane) == 500
    assert all(s.story_id >= 1000 for s, _ in lane)


def test_a_story_a_firehose_shares_with_outlets_stays_on_top_but_counts_the_firehose_little() -> None:
    arxiv = 100
    high_volume = frozenset({arxiv})
    top, lane = rank_stories([story(1, {arxiv, 1}, hours_ago=1), story(2, {2, 3}, hours_ago=1)], now=NOW,
                             high_volume=high_volume)
    assert [s.story_id for s, _ in top] == [2, 1]
    assert lane == []


def test_one_source_cannot_take_more_than_a_few_top_slots() -> None:
    busy = [story(i, {1}, hours_ago=0) for i in range(1, 8)]
    others = [story(100 + i, {10 + i}, hours_ago=3) for i in range(5)]
    top, _ = rank_stories([*busy, *others], now=NOW, high_volume=frozenset())
    first_ten_leads = [s.lead_source_id for s, _ in top[:MAX_SLOTS_PER_SOURCE + 5]]
    assert first_ten_leads.count(1) == MAX_SLOTS_PER_SOURCE
    assert len(top) == 12  # the rest of the busy source's stories follow, not vanish


def test_high_volume_means_more_than_the_daily_bound() -> None:
    assert high_volume_sources({1: HIGH_VOLUME_PER_DAY, 2: HIGH_VOLUME_PER_DAY + 1}) == frozenset({2})
