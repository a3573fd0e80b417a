"""One round of the desk: refresh the feeds, then build on what was stored (notes, stories, tool candidates).

A round stopped early (SIGTERM to the CLI, the app shutting down) still makes the notes and the tool
candidates of what it stored: both read only the articles stamped with this round's clock, so no later
round would make them, and a stopped round stored few sources (those under way), which keeps the work
small. It skips the stories, which are not tied to a round: `assign_unplaced` places every unplaced
article, so the next round places these too. It starts no model round: the process is on its way out.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from .. import pulse
from ..concurrency import in_thread
from ..discovery.store import discover_candidates
from ..ingest.refresh import AfterStore, RefreshReport, refresh_sources
from ..settings import get_settings
from ..stories.place import place_new_articles
from .notes_jobs import note_fresh_articles
from .notes_queue import start_model_round_if_configured


def place_stories(db_url: str | None, now: datetime, report: RefreshReport) -> None:
    """New articles join stories (or start them); a refresh that stored nothing new changes no story, and
    a stopped one leaves its articles to the next round (which places every unplaced article)."""
    if report.new and not report.stopped:
        place_new_articles(db_url, now=now)


def find_candidates(db_url: str | None, now: datetime, report: RefreshReport) -> None:
    """Tools the new articles link to or launch, for the moderators; the articles carry the refresh's `now`."""
    if report.new:
        discover_candidates(db_url, now)


def write_notes(db_url: str | None, now: datetime, report: RefreshReport) -> None:
    """The catalog's part of the practitioner notes for what this refresh stored or changed (the story's
    part was made while preparing each entry)."""
    if report.new or report.updated:
        note_fresh_articles(db_url, since=now)


def after_store_steps(*, stories: bool = True, candidates: bool = True) -> list[AfterStore]:
    """The steps a round runs after its stores, in order (stories first: candidates read no story)."""
    steps: list[AfterStore] = [write_notes]
    if stories:
        steps.append(place_stories)
    if candidates:
        steps.append(find_candidates)
    return steps


async def news_round(*, stories: bool = True, candidates: bool = True, **refresh: Any) -> RefreshReport:
    """`refresh_sources` with the desk's steps after its stores; the keyword arguments go to the refresh.

    A round that stored something then announces it (`pulse.announce`: Redis pub/sub when `REDIS_URL` is
    set, so a cron `agentoire refresh --once` reaches the app's pages too). The process that refreshed (and
    only it: the others were refused the lease) then starts the model's notes in the background when a model
    is configured; the round never waits for the model.
    """
    report = await refresh_sources(after_store=after_store_steps(stories=stories, candidates=candidates),
                                   **refresh)
    if not report.skipped:
        if report.new or report.updated:
            # After the round's commits: every open page, in every worker, learns of it from one signal.
            await in_thread(partial(pulse.announce, "news", redis_url=get_settings().redis_url))
        if not report.stopped:
            start_model_round_if_configured(refresh.get("db_url"))
    return report
