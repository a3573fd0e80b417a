"""`/tools`: the directory with filters, sorts, search as you type and paging, all kept in the URL."""

from __future__ import annotations

import reflex as rx

from ..components import layout, link, loading, page_heading
from ..state.tools_list import SORT_LABELS, ToolsListState
from . import page

S = ToolsListState


def directory_styles() -> rx.Component:
    """The directory's own stylesheet (assets/directory.css), beside the shell's."""
    return rx.el.link(rel="stylesheet", href="/directory.css")


def _select(label: str, name: str, value: rx.Var, on_change, options: rx.Component | list[rx.Component],  # type: ignore[no-untyped-def]
            ) -> rx.Component:
    return rx.el.label(
        rx.el.span(label, class_name="ag-filter-label"),
        rx.el.select(*(options if isinstance(options, list) else [options]), name=name, value=value,
                     on_change=on_change, class_name="ag-select", data_filter=name),
        class_name="ag-filter",
    )


def _option(value: str | rx.Var, label: str | rx.Var) -> rx.Component:
    return rx.el.option(label, value=value)


def filters() -> rx.Component:
    return rx.el.form(
        rx.el.label(
            rx.el.span("search", class_name="ag-filter-label"),
            rx.debounce_input(
                rx.el.input(type="search", name="q", value=S.q, on_change=S.search, placeholder="name, tag, words…",
                            auto_complete="off", spell_check=False, data_page_search="true",
                            aria_label="search tools", class_name="ag-input ag-search"),
                debounce_timeout=250,
            ),
            class_name="ag-filter ag-filter-wide",
        ),
        _select("category", "category", S.category, S.set_category, [
            _option("", "all categories"),
            rx.foreach(S.categories, lambda c: _option(c["slug"], c["name"])),
        ]),
        _select("tag", "tag", S.tag, S.set_tag, [
            _option("", "any tag"),
            rx.foreach(S.tags, lambda t: _option(t["tag"], t["tag"])),
        ]),
        _select("pricing", "pricing", S.pricing, S.set_pricing, [
            _option("", "any pricing"),
            rx.foreach(S.pricings, lambda p: _option(p, p)),
        ]),
        _select("licence", "open_source", S.open_source, S.set_open_source, [
            _option("", "open or closed"), _option("1", "open source"), _option("0", "closed source"),
        ]),
        _select("added", "new", S.new, S.set_new, [
            _option("", "any time"), _option("today", "new today"), _option("week", "new this week"),
        ]),
        _select("sort", "sort", S.sort, S.set_sort, [
            _option(key, label) for key, label in SORT_LABELS.items()
        ]),
        on_submit=rx.prevent_default,
        role="search",
        class_name="ag-filters",
        data_testid="tool-filters",
    )


def _row(item: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.div(
            link(item["name"], href=item["href"], class_name="ag-row-title"),
            rx.el.span(item["category"], class_name="ag-tag"),
            rx.el.span(item["pricing"], class_name="ag-tag", data_pricing=item["pricing"]),
            rx.cond(item["open_source"] != "", rx.el.span(item["open_source"], class_name="ag-tag")),
            class_name="ag-row-head",
        ),
        rx.cond(item["tagline"] != "", rx.el.p(item["tagline"], class_name="ag-row-text")),
        rx.el.div(
            rx.el.time(f"added {item['added']}", date_time=item["added_iso"]),
            rx.cond(item["mentions"] != "0", rx.el.span(" · ", item["mentions"], " in the news")),
            rx.cond(item["tags"] != "", rx.el.span(" · ", item["tags"])),
            class_name="ag-meta",
        ),
        data_testid="tool-item",
        data_slug=item["slug"],
        class_name="ag-row",
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
    return rx.el.nav(
        rx.cond(S.prev_href != "", link("← previous", href=S.prev_href, data_testid="tools-prev", rel="prev"),
                rx.el.span("")),
        rx.el.span(S.page, " / ", S.pages, class_name="ag-meta"),
        rx.cond(S.next_href != "", link("next →", href=S.next_href, data_testid="tools-next", rel="next"),
                rx.el.span("")),
        aria_label="pages",
        class_name="ag-pager",
    )


@page("/tools", title="tools", on_load=ToolsListState.load,
      description="AI tools with sources and dates: filter by category, tag, pricing and licence.")
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
