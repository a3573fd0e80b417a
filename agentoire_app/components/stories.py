"""A story on a list: its lead article's link, how many sources cover it, and "also covered by" links."""

from __future__ import annotations

from collections.abc import Sequence

import reflex as rx
from reflex.vars import ObjectVar

from ..state.stories import AlsoLink, StoryCard
from .rows import row_head
from .shell import link


def also_covered(items: rx.Var[Sequence[AlsoLink]], *, label: str = "also covered by") -> rx.Component:
    """The other sources' articles on the same story, each a link (`article-also`)."""
    return rx.cond(
        items.to(list).length() > 0,  # a row's field reads as a plain Var: cast to the array it is
        rx.el.p(
            rx.el.span(label, " ", class_name="ag-muted"),
            rx.foreach(items, lambda a: link(a.source, href=a.href, title=a.title, data_testid="article-also",
                                             class_name="ag-also")),
            class_name="ag-row-text ag-also-line",
        ),
    )


def story_row(item: ObjectVar[StoryCard]) -> rx.Component:
    return rx.el.li(
        *row_head(item.coverage, item.date, item.source, item.title, item.href),
        also_covered(item.also),
        data_testid="story-item",
        class_name="ag-row",
    )


def story_list(items: rx.Var[Sequence[StoryCard]], *, name: str = "stories") -> rx.Component:
    return rx.el.ul(rx.foreach(items, story_row), class_name="ag-list", data_list=name)
