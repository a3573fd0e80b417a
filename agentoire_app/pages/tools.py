"""`/tools`: the directory with filters, sorts, search as you type and paging, all kept in the URL."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from ..components import layout, link, loading, page_heading, tool_item
from ..components.filters import directory_styles, filter_option, filter_select, pager, search_box
from ..state.tools_list import ACTIVITY_LABELS, SORT_LABELS, ToolListRow, ToolsListState
from . import page

S = ToolsListState


def filters() -> rx.Component:
    return rx.el.form(
        search_box(S.q, S.search, placeholder="name, tag, words…", aria_label="search tools"),
        filter_select("category", "category", S.category, S.set_category, [
            filter_option("", "all categories"),
            rx.foreach(S.categories, lambda c: filter_option(c.slug, c.name)),
        ]),
        filter_select("tag", "tag", S.tag, S.set_tag, [
            filter_option("", "any tag"),
            rx.foreach(S.tags, lambda t: filter_option(t.tag, t.tag)),
        ]),
        filter_select("pricing", "pricing", S.pricing, S.set_pricing, [
            filter_option("", "any pricing"),
            rx.foreach(S.pricings, lambda p: filter_option(p, p)),
        ]),
        filter_select("licence", "open_source", S.open_source, S.set_open_source, [
            filter_option("", "open or closed"), filter_option("1", "open source"), filter_option("0", "closed source"),
        ]),
        filter_select("added", "new", S.new, S.set_new, [
            filter_option("", "any time"), filter_option("today", "new today"), filter_option("week", "new this week"),
        ]),
        filter_select("activity", "activity", S.activity, S.set_activity, [
            filter_option(key, label) for key, label in ACTIVITY_LABELS.items()
        ]),
        filter_select("sort", "sort", S.sort, S.set_sort, [
            filter_option(key, label) for key, label in SORT_LABELS.items()
        ]),
        on_submit=rx.prevent_default,
        role="search",
        class_name="ag-filters",
        data_testid="tool-filters",
    )


def _row(item: ObjectVar[ToolListRow]) -> rx.Component:
    return tool_item(
        item,
        rx.el.span(item.pricing, class_name="ag-tag", data_pricing=item.pricing),
        rx.cond(item.open_source != "", rx.el.span(item.open_source, class_name="ag-tag")),
        meta=rx.el.div(
            rx.el.time(f"added {item.added}", date_time=item.added_iso),
            rx.cond(item.mentions.to(int) > 0, rx.el.span(" · ", item.mentions, " in the news")),
            rx.cond(item.tags != "", rx.el.span(" · ", item.tags)),
            class_name="ag-meta",
        ),
        data_slug=item.slug,
    )


def _summary() -> rx.Component:
    return rx.el.p(
        rx.el.span(S.total, data_testid="tools-total"), rx.cond(S.total == 1, " tool", " tools"),
        rx.cond(S.q != "", rx.el.span(" matching “", S.q, "”")),
        " · sorted by ", rx.el.span(S.effective_sort, data_testid="tools-sort"),
        rx.cond(S.pages > 1, rx.el.span(" · page ", S.page, " of ", S.pages)),
        " · ", rx.el.button("clear filters", type="button", on_click=S.clear, class_name="ag-link ag-button-link"),
        " · ", link("compare tools", href="/compare"),
        class_name="ag-meta ag-summary-line", aria_live="polite",
    )


def _pager() -> rx.Component:
    return pager(S.prev_href, S.next_href, rx.el.span(S.page, " / ", S.pages, class_name="ag-meta"),
                 testid_prefix="tools")


@page("/tools", title="tools", on_load=ToolsListState.load,
      description="AI tools with sources and dates: filter by category, tag, pricing, licence and "
                  "activity; sort by stars or newest release.")
def tools() -> rx.Component:
    return layout(
        directory_styles(),
        page_heading("tools"),
        filters(),
        rx.cond(S.error != "", rx.el.p(S.error, class_name="ag-warn", role="status")),
        _summary(),
        rx.cond(
            S.rows.length() > 0,
            rx.fragment(rx.el.ul(rx.foreach(S.rows, _row), class_name="ag-list", data_list="tools"), _pager()),
            rx.cond(S.loaded, rx.el.p("No tools match these filters.", class_name="ag-muted",
                                      data_testid="tools-empty"), loading()),
        ),
    )
