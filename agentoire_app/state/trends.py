"""`/trends`: what the news is suddenly about. Thin: the numbers come from `services.trends`."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx

from ..concurrency import in_session
from ..services.trends import category_volume, new_tools_per_week, rising_tools
from ._format import short_date


def _week_rows(volume: Sequence[dict[str, object]]) -> list[dict[str, str | int]]:
    """Per week: the label, all stories, and the categories in order of volume ("research 12 · product 9")."""
    rows: list[dict[str, str | int]] = []
    for week in volume:
        counts = {k: int(v) for k, v in week.items() if k != "week" and isinstance(v, int)}
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        rows.append({"week": short_date(week["week"]),  # type: ignore[arg-type]
                     "stories": sum(counts.values()),
                     "categories": " · ".join(f"{name} {n}" for name, n in top) or "none"})
    return rows


class TrendsState(rx.State):
    rising: list[dict[str, str]] = rx.field(default_factory=list)
    weeks: list[dict[str, str | int]] = rx.field(default_factory=list)
    new_tools: list[dict[str, str | int]] = rx.field(default_factory=list)
    loaded: bool = False

    @rx.event
    async def load(self) -> None:
        rising, volume, joined = await in_session(lambda session: (
            rising_tools(session=session), category_volume(session=session), new_tools_per_week(session=session)))
        self.rising = [{"slug": r.slug, "href": f"/tools/{r.slug}", "name": r.name, "this_week": str(r.this_week),
                        "before": f"{r.weekly_before:.1f}"} for r in rising]
        self.weeks = _week_rows(volume)
        self.new_tools = [{"week": short_date(week), "tools": n} for week, n in joined]  # type: ignore[arg-type]
        self.loaded = True
