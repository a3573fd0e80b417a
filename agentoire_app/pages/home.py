"""`/`: today's top stories (with the papers lane beside them), the latest news and the newest tools."""

from __future__ import annotations

import reflex as rx

from ..components import layout, link, news_list, tool_list
from ..components.stories import story_list
from ..state.home import HomeState
from . import page


def _section(title: str, href: str, more: str, body: rx.Component, empty: str, has_items: rx.Var) -> rx.Component:
    return rx.el.section(
        rx.el.div(rx.el.h2(title, class_name="ag-h2"), link(more, href=href, class_name="ag-more"),
                  class_name="ag-section-head"),
        rx.cond(has_items, body, rx.cond(HomeState.loaded, rx.el.p(empty, class_name="ag-muted"))),
        class_name="ag-section",
    )


@page("/", title="agentoire", on_load=HomeState.load,
      description="A keyboard-first directory of AI tools and agents, with an AI news desk.")
def home() -> rx.Component:
    return layout(
        rx.el.p("AI tools and agents, and the news that matters to people who build with them.",
                class_name="ag-lead ag-intro"),
        _section("top stories", "/news?view=top", "all stories →", story_list(HomeState.stories),
                 "No stories yet: the feeds have not been fetched. The news page shows each source's state.",
                 HomeState.stories.length() > 0),
        rx.el.div(
            _section("papers and releases", "/news?view=top", "more →", story_list(HomeState.papers, name="papers"),
                     "No papers today.", HomeState.papers.length() > 0),
            _section("latest news", "/news", "all news →", news_list(HomeState.articles),
                     "No stories yet: the feeds have not been fetched. The news page shows each source's state.",
                     HomeState.articles.length() > 0),
            _section("newest tools", "/tools", "all tools →", tool_list(HomeState.tools),
                     "No tools listed yet.", HomeState.tools.length() > 0),
            class_name="ag-home-grid",
        ),
    )
