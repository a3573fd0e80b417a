"""`/news`: every story, newest first; with none yet, what each source is doing instead of a blank page."""

from __future__ import annotations

import reflex as rx

from ..components import layout, loading, news_list, page_heading
from ..state.news import NewsState
from . import page


def _source_row(source: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.el.span(source["name"], class_name="ag-source-name"),
        rx.el.span(source["state"], class_name="ag-tag", data_state=source["state"]),
        rx.cond(source["reason"] != "", rx.el.span(source["reason"], class_name="ag-source-reason")),
        class_name="ag-source-row",
    )


def _empty() -> rx.Component:
    return rx.el.section(
        rx.el.p("No stories yet.", class_name="ag-lead"),
        rx.cond(
            NewsState.sources.length() > 0,
            rx.fragment(
                rx.el.p("The news desk pulls these sources; stories appear here after their first successful "
                        "fetch (`agentoire refresh --once` fetches now).", class_name="ag-muted"),
                rx.el.ul(rx.foreach(NewsState.sources, _source_row), class_name="ag-sources"),
            ),
            rx.el.p("No news sources are configured. Add one with `agentoire feeds add URL`.",
                    class_name="ag-muted"),
        ),
        data_testid="news-empty",
        class_name="ag-empty",
    )


@page("/news", title="news", on_load=NewsState.load)
def news() -> rx.Component:
    return layout(
        page_heading("news"),
        rx.cond(
            NewsState.articles.length() > 0,
            news_list(NewsState.articles),
            rx.cond(NewsState.loaded, _empty(), loading()),
        ),
    )
