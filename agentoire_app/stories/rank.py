"""Front-page ranking: which stories lead today, and the lane where high-volume sources go.

Pure: the stories, who covers them and the clock in; an ordered list out. The score is coverage times
recency: each distinct source covering a story adds its weight, and the sum halves every
`HALF_LIFE_HOURS`. With a day's half-life, three sources from this morning beat one source from a minute
ago (3 × 0.6 > 1), which is what "coverage beats recency within a day" means.

A source that publishes more than `HIGH_VOLUME_PER_DAY` articles a day (arXiv listings, release feeds) is
a firehose, not an editor's choice: its stories go to the papers lane and it adds little weight elsewhere,
so a flood of papers never displaces a story three outlets chose to cover. No source may lead more than
`MAX_SLOTS_PER_SOURCE` of the top stories.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

HALF_LIFE_HOURS = 24.0
HIGH_VOLUME_PER_DAY = 40
HIGH_VOLUME_WEIGHT = 0.25
MAX_SLOTS_PER_SOURCE = 3


@dataclass(frozen=True)
class StoryCoverage:
    story_id: int
    lead_source_id: int
    source_ids: frozenset[int]
    last_seen: datetime


def coverage_score(story: StoryCoverage, *, now: datetime, high_volume: frozenset[int],
                   weights: Mapping[int, float] | None = None) -> float:
    """Weighted distinct sources, halved per `HALF_LIFE_HOURS` since the story's latest article."""
    weights = weights or {}
    coverage = sum(HIGH_VOLUME_WEIGHT if s in high_volume else weights.get(s, 1.0) for s in story.source_ids)
    age_hours = max(0.0, (now - story.last_seen).total_seconds() / 3600)
    return round(coverage * 0.5 ** (age_hours / HALF_LIFE_HOURS), 4)


def is_paper(story: StoryCoverage, high_volume: frozenset[int]) -> bool:
    """Only high-volume sources cover it: a listing, not a story the press chose."""
    return bool(story.source_ids) and story.source_ids <= high_volume


def rank_stories(stories: Iterable[StoryCoverage], *, now: datetime, high_volume: frozenset[int],
                 weights: Mapping[int, float] | None = None,
                 max_per_source: int = MAX_SLOTS_PER_SOURCE) -> tuple[list[tuple[StoryCoverage, float]],
                                                                      list[tuple[StoryCoverage, float]]]:
    """(top stories, papers), each best first as (story, score).

    Ties go to the more recent, then the lower id, so the order is stable. A source already leading
    `max_per_source` top stories yields its further ones to the end of the list rather than dropping
    them (a page of one source's news is still a page).
    """
    scored = sorted(((s, coverage_score(s, now=now, high_volume=high_volume, weights=weights)) for s in stories),
                    key=lambda pair: (-pair[1], -pair[0].last_seen.timestamp(), pair[0].story_id))
    top: list[tuple[StoryCoverage, float]] = []
    overflow: list[tuple[StoryCoverage, float]] = []
    papers: list[tuple[StoryCoverage, float]] = []
    slots: Counter[int] = Counter()
    for story, value in scored:
        if is_paper(story, high_volume):
            papers.append((story, value))
        elif slots[story.lead_source_id] >= max_per_source:
            overflow.append((story, value))
        else:
            slots[story.lead_source_id] += 1
            top.append((story, value))
    return top + overflow, papers


def high_volume_sources(counts_per_day: Mapping[int, int] | Sequence[tuple[int, int]]) -> frozenset[int]:
    """Sources past `HIGH_VOLUME_PER_DAY` articles in the last day."""
    items = counts_per_day.items() if isinstance(counts_per_day, Mapping) else counts_per_day
    return frozenset(source for source, count in items if count > HIGH_VOLUME_PER_DAY)
