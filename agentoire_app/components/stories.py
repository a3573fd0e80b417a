"""A story on a list: its lead article's link, how many sources cover it, and "also covered by" links."""

from __future__ import annotations

import reflex as rx

from .shell import link


def also_covered(items: rx.Var, *, label: str = "also covered by") -> rx.Component:
    """The other sources' articles on the same story, each a link (`article-also`)."""
    return rx.cond(
        items.length() > 0,  # type: ignore[attr-defined]
        rx.el.p(
            rx.el.span(label, " ", class_name="ag-muted"),
            rx.foreach(items, lambda a: link(a.source, href=a.href, title=a.title, data_testid="article-also",
                                             class_name="ag-also")),
            class_name="ag-row-text ag-also-line",
        ),
    )


def story_row(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            rx.el.span(item.coverage, class_name="ag-tag"),
            rx.el.span(item.date, " · ", item.source, class_name="ag-meta"),
            class_name="ag-row-meta",
        ),
        link(item.title, href=item.href, class_name="ag-row-title"),
        also_covered(item.also),
        data_testid="story-item",
        class_name="ag-row",
    )


def story_list(items: rx.Var, *, name: str = "stories") -> rx.Component:
    return rx.el.ul(rx.foreach(items, story_row), class_name="ag-list", data_list=name)
