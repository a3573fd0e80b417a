"""One round of the desk: refresh the feeds, then build on what was stored (stories, tool candidates)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..discovery.store import discover_candidates
from ..ingest.refresh import AfterStore, RefreshReport, refresh_sources
from ..stories.place import place_new_articles


def place_stories(db_url: str | None, now: datetime, report: RefreshReport) -> None:
    """New articles join stories (or start them); a refresh that stored nothing new changes no story."""
    if report.new:
        place_new_articles(db_url, now=now)


def find_candidates(db_url: str | None, now: datetime, report: RefreshReport) -> None:
    """Tools the new articles link to or launch, for the moderators; the articles carry the refresh's `now`."""
    if report.new:
        discover_candidates(db_url, now)


def after_store_steps(*, stories: bool = True, candidates: bool = True) -> list[AfterStore]:
    """The steps a round runs after its stores, in order (stories first: candidates read no story)."""
    steps: list[AfterStore] = []
    if stories:
        steps.append(place_stories)
    if candidates:
        steps.append(find_candidates)
    return steps


async def news_round(*, stories: bool = True, candidates: bool = True, **refresh: Any) -> RefreshReport:
    """`refresh_sources` with the desk's steps after its stores; the keyword arguments go to the refresh."""
    return await refresh_sources(after_store=after_store_steps(stories=stories, candidates=candidates), **refresh)
