"""One row of a list: a news story or a tool. Each holds a link to its page (the contract's hooks)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import reflex as rx
from reflex.vars import ObjectVar, Var

from ..state.rows import ArticleRow, ToolRow
from .shell import link


def row_head(tag: Var[str], date: Var[str], source: Var[str], title: Var[str], href: Var[str]) -> list[rx.Component]:
    """The top of a news or story row: its tag, "date · source", and the title as its link."""
    return [
        rx.el.div(
            rx.el.span(tag, class_name="ag-tag"),
            rx.el.span(date, " · ", source, class_name="ag-meta"),
            class_name="ag-row-meta",
        ),
        link(title, href=href, class_name="ag-row-title"),
    ]


def related_label() -> rx.Component:
    """The small mark on a search result found by meaning rather than by its words."""
    return rx.el.span("related", class_name="ag-related", data_testid="related-label",
                      title="near your search in meaning; none of its words match")


def news_row(item: ObjectVar[ArticleRow]) -> rx.Component:
    return rx.el.li(
        *row_head(item.category, item.date, item.source, item.title, item.href),
        rx.cond(item.related, related_label()),
        rx.cond(item.summary != "", rx.el.p(item.summary, class_name="ag-row-text")),
        data_testid="news-item",
        class_name="ag-row",
    )


def tool_item(item: ObjectVar[ToolRow], *head_tags: rx.Component,
             meta: rx.Component | None = None, **props: Any) -> rx.Component:
    """A tool in a list: name, category and tagline, the one shape of every list of tools. The directory
    adds its own tags to the head (`head_tags`), a line of facts under the tagline (`meta`) and attributes."""
    return rx.el.li(
        rx.el.div(
            link(item.name, href=item.href, class_name="ag-row-title"),
            rx.el.span(item.category, class_name="ag-tag"),
            *head_tags,
            class_name="ag-row-head",
        ),
        rx.cond(item.tagline != "", rx.el.p(item.tagline, class_name="ag-row-text")),
        *([meta] if meta is not None else []),
        data_testid="tool-item",
        class_name="ag-row",
        **props,
    )


def tool_row(item: ObjectVar[ToolRow]) -> rx.Component:
    """`tool_item` as `rx.foreach` calls it (one parameter)."""
    return tool_item(item)


def news_list(items: rx.Var[Sequence[ArticleRow]]) -> rx.Component:
    return rx.el.ul(rx.foreach(items, news_row), class_name="ag-list", data_list="news")


def tool_list(items: rx.Var[Sequence[ToolRow]]) -> rx.Component:
    return rx.el.ul(rx.foreach(items, tool_row), class_name="ag-list", data_list="tools")
