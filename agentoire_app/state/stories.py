"""Story cards: what the front page, `/news?view=top` and the article page show of a story."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..services.stories import StoryArticle, StoryView
from ._format import short_date


@dataclass(frozen=True, slots=True)
class AlsoLink:
    """One other source's article on the same story ("also covered by")."""

    href: str
    source: str
    title: str


@dataclass(frozen=True, slots=True)
class StoryCard:
    slug: str
    href: str
    title: str
    source: str
    date: str
    coverage: str
    also: list[AlsoLink] = field(default_factory=list)


def also_link(article: StoryArticle) -> AlsoLink:
    return AlsoLink(href=f"/news/{article.slug}", source=article.source_name, title=article.title)


def story_card(view: StoryView) -> StoryCard:
    lead = view.lead
    sources = view.source_count
    return StoryCard(
        slug=view.slug,
        href=f"/news/{lead.slug}" if lead else "/news",
        title=lead.title if lead else view.title,
        source=lead.source_name if lead else "",
        date=short_date(view.last_seen),
        coverage=f"{sources} source{'s' if sources != 1 else ''}",
        also=[also_link(a) for a in view.also],
    )
