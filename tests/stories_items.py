"""Real news items from `fixtures/stories/` (see its README), as the story decider reads them."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from agentoire_app.ingest.clean import html_to_text
from agentoire_app.models.text import shorten
from agentoire_app.stories.features import ArticleFeatures, article_features

ITEMS = Path(__file__).resolve().parent / "fixtures" / "stories" / "items.jsonl"


@cache
def items() -> list[dict[str, str]]:
    return [json.loads(line) for line in ITEMS.read_text().splitlines() if line.strip()]


def item(title_start: str, source: str | None = None) -> dict[str, str]:
    """The one item whose title starts with `title_start` (and from `source`, when given)."""
    found = [i for i in items() if html_to_text(i["title"]).startswith(title_start) and source in (None, i["source"])]
    assert found, f"no item titled {title_start!r}"
    return found[0]


def features(key: int, raw: dict[str, str], *, shift: timedelta = timedelta(0),
             title: str | None = None) -> ArticleFeatures:
    return article_features(key, html_to_text(title or raw["title"]), shorten(html_to_text(raw["description"])),
                            published_at=datetime.fromisoformat(raw["published"]) + shift, source=raw["source"])
