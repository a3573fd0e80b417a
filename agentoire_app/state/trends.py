"""`/trends`: what the news is suddenly about. Thin: the numbers come from `services.trends`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import reflex as rx

from ..concurrency import in_session
from ..services.trends import Rising, current_trends
from ._format import short_date


@dataclass(frozen=True, slots=True)
class RisingRow:
    """A tool mentioned more this week than usual: stories this week against the weekly mean of the four before."""

    slug: str
    href: str
    name: str
    this_week: int
    before: str  # the mean, one decimal ("1.5")


@dataclass(frozen=True, slots=True)
class WeekRow:
    """One week of stories: the chart's bar and the categories in order of volume ("research 12 · product 9")."""

    week: str
    stories: int
    categories: str


@dataclass(frozen=True, slots=True)
class NewToolsRow:
    week: str
    tools: int


def _rising_row(r: Rising) -> RisingRow:
    return RisingRow(slug=r.slug, href=f"/tools/{r.slug}", name=r.name, this_week=r.this_week,
                     before=f"{r.weekly_before:.1f}")


def _week_rows(volume: Sequence[dict[str, object]]) -> list[WeekRow]:
    """Per week: the label, all stories, and the categories in order of volume."""
    rows: list[WeekRow] = []
    for week in volume:
        counts = {k: v for k, v in week.items() if k != "week" and isinstance(v, int)}
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        day = week.get("week")
        rows.append(WeekRow(week=short_date(day if isinstance(day, date) else None), stories=sum(counts.values()),
                            categories=" · ".join(f"{name} {n}" for name, n in top) or "none"))
    return rows


class TrendsState(rx.State):
    rising: rx.Field[list[RisingRow]] = rx.field(default_factory=list)
    weeks: rx.Field[list[WeekRow]] = rx.field(default_factory=list)
    new_tools: rx.Field[list[NewToolsRow]] = rx.field(default_factory=list)
    loaded: rx.Field[bool] = rx.field(False)

    @rx.event
    async def load(self) -> None:
        trends = await in_session(current_trends)
        self.rising = [_rising_row(r) for r in trends.rising]
        self.weeks = _week_rows(trends.volume)
        self.new_tools = [NewToolsRow(week=short_date(week), tools=n) for week, n in trends.new_tools]
        self.loaded = True
