"""`/news`: every story, newest first, or the best matches for a search (the same full-text search as
`/tools` and the palette); a category filter; with no story yet, what each source is doing instead.
`?view=top` ranks stories (each event once, with who else covered it) instead of listing articles."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from ..components import layout, loading, news_list, page_heading
from ..components.filters import directory_styles, filter_option, filter_select, pager, search_box
from ..components.shell import link
from ..components.stories import story_list
from ..state.news import NewsState, SourceStateRow
from . import page

S = NewsState


def _source_row(source: ObjectVar[SourceStateRow]) -> rx.Component:
    return rx.el.li(
        rx.el.span(source.name, class_name="ag-source-name"),
        rx.el.span(source.state, class_name="ag-tag", data_state=source.state),
        rx.cond(source.reason != "", rx.el.span(source.reason, class_name="ag-source-reason")),
        class_name="ag-source-row",
    )


def _empty() -> rx.Component:
    return rx.el.section(
        rx.el.p("No stories yet.", class_name="ag-lead"),
        rx.cond(
            S.sources.length() > 0,
            rx.fragment(
                rx.el.p("The news desk pulls these sources; stories appear here after their first successful "
                        "fetch (`agentoire refresh --once` fetches now).", class_name="ag-muted"),
                rx.el.ul(rx.foreach(S.sources, _source_row), class_name="ag-sources"),
            ),
            rx.el.p("No news sources are configured. Add one with `agentoire feeds add URL`.",
                    class_name="ag-muted"),
        ),
        data_testid="news-empty",
        class_name="ag-empty",
    )


def _filters() -> rx.Component:
    return rx.el.form(
        search_box(S.q, S.search, placeholder="words in titles and summaries…", aria_label="search news"),
        filter_select("category", "category", S.category, S.set_category, [
            filter_option("", "every category"),
            rx.foreach(S.categories, lambda c: filter_option(c, c)),
        ]),
        on_submit=rx.prevent_default,
        role="search",
        class_name="ag-filters",
        data_testid="news-filters",
    )


def _nothing_matches() -> rx.Component:
    return rx.el.p("No stories match. ", rx.el.a("Show every story", href="/news", class_name="ag-link"),
                   class_name="ag-muted", data_testid="news-no-match")


def _views() -> rx.Component:
    """latest · top, as links: the view is in the URL."""
    return rx.el.nav(
        link("latest", href="/news", aria_current=rx.cond(S.view == "latest", "page", "false"),
             class_name="ag-view"),
        " · ",
        link("top stories", href="/news?view=top", aria_current=rx.cond(S.view == "top", "page", "false"),
             class_name="ag-view"),
        aria_label="news views",
        class_name="ag-views",
        data_testid="news-views",
    )


def _top() -> rx.Component:
    return rx.cond(
        S.stories.length() > 0,
        rx.fragment(
            story_list(S.stories),
            pager(S.prev_href, S.next_href, rx.el.span("page ", S.page, class_name="ag-meta"),
                  testid_prefix="news"),
        ),
        rx.cond(S.loaded, rx.el.p("No stories in the last two days.", class_name="ag-muted"), loading()),
    )


@page("/news", title="news", on_load=NewsState.load,
      description="AI news from the press and the labs, filed by category and linked to the tools it mentions.")
def news() -> rx.Component:
    return layout(
        directory_styles(),
        page_heading("news"),
        _views(),
        rx.cond(S.view == "top", _top(), _latest()),
    )


def _latest() -> rx.Component:
    return rx.fragment(
        _filters(),
        rx.cond(
            S.articles.length() > 0,
            rx.fragment(
                news_list(S.articles),
                pager(S.prev_href, S.next_href, rx.el.span("page ", S.page, class_name="ag-meta"),
                      testid_prefix="news"),
            ),
            rx.cond(S.loaded,
                    rx.cond((S.q != "") | (S.category != "") | (S.page > 1), _nothing_matches(), _empty()),
                    loading()),
        ),
    )
