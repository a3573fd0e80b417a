"""`/compare?tools=a,b`: pick two to four tools and read them side by side."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.vars import ObjectVar

from ..components import layout, link, loading, page_heading
from ..components.filters import directory_styles
from ..state.tools_compare import MAX_COMPARED, CompareColumn, ToolsCompareState
from . import page

S = ToolsCompareState
ROWS = (("tagline", "tagline"), ("category", "category"), ("tags", "tags"), ("pricing", "pricing"),
        ("licence", "license"), ("repository", "repository"), ("listed", "added"), ("listed from", "source"),
        ("at the source", "repo_stats"), ("notes", "flags"), ("last checked", "checked"),
        ("in the news", "mentions"))


def _picker() -> rx.Component:
    return rx.el.div(
        rx.el.label(
            rx.el.span("add a tool", class_name="ag-filter-label"),
            rx.debounce_input(
                rx.el.input(type="search", name="q", value=S.query, on_change=S.find, auto_complete="off",
                            placeholder="type a name…", data_page_search="true", class_name="ag-input ag-search",
                            aria_label="find a tool to compare"),
                debounce_timeout=200,
            ),
            class_name="ag-filter ag-filter-wide",
        ),
        rx.el.ul(
            rx.foreach(S.candidates, lambda c: rx.el.li(
                rx.el.button(c.name, " ", rx.el.span(c.category, class_name="ag-tag"), type="button",
                             # mypy reads @rx.event as EventNamespace (Reflex's __new__ returns the handler)
                             on_click=S.add(c.slug),  # type: ignore[operator]
                             class_name="ag-chip", data_testid="compare-candidate"),
            )),
            class_name="ag-chips",
        ),
        class_name="ag-compare-picker",
    )


def _cell(key: str) -> Callable[[ObjectVar[CompareColumn]], rx.Component]:
    # The field is named at run time (one table row per entry of ROWS), so it is read with getattr.
    return lambda column: rx.el.td(getattr(column, key))


def _table() -> rx.Component:
    return rx.el.div(
        rx.el.table(
            rx.el.thead(rx.el.tr(
                rx.el.th(rx.el.span("tool", class_name="ag-visually-hidden"), scope="col"),
                rx.foreach(S.columns, lambda c: rx.el.th(
                    link(c.name, href=c.href),
                    rx.el.button("remove", type="button", class_name="ag-link ag-remove",
                                 on_click=S.remove(c.slug),  # type: ignore[operator]  # @rx.event, see above
                                 aria_label="remove " + c.name),
                    scope="col", data_testid="compare-column",
                )),
            )),
            rx.el.tbody(
                *[rx.el.tr(rx.el.th(label, scope="row"), rx.foreach(S.columns, _cell(key))) for label, key in ROWS],
                rx.el.tr(rx.el.th("homepage", scope="row"), rx.foreach(S.columns, lambda c: rx.el.td(
                    rx.el.a(c.homepage, href=c.homepage, rel="noopener nofollow", class_name="ag-link ag-url")))),
            ),
            class_name="ag-compare",
        ),
        class_name="ag-compare-scroll",
    )


@page("/compare", title="compare tools", on_load=ToolsCompareState.load)
def compare() -> rx.Component:
    return layout(
        directory_styles(),
        page_heading("compare"),
        rx.el.p(f"Pick two to {MAX_COMPARED} tools; the address keeps your choice, so you can share it.",
                class_name="ag-muted"),
        rx.cond(S.columns.length() < MAX_COMPARED, _picker()),
        rx.cond(S.loaded,
                rx.cond(S.columns.length() > 0, _table(),
                        rx.el.p("Nothing picked yet. ", link("Browse the directory", href="/tools"), ".",
                                class_name="ag-muted")),
                loading()),
    )
