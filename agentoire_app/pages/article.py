"""`/news/[slug]`: one story, laid out like the seed page."""

from __future__ import annotations

import reflex as rx

from ..components import layout, link, loading, not_found
from ..components.first_view import article_first_view
from ..components.stories import also_covered, story_list
from ..state.article import ArticleState
from ..state.article_story import ArticleStoryState
from . import page


def _article() -> rx.Component:
    return rx.el.article(
        rx.el.nav(
            link("← news", href="/news", inline=True, class_name="ag-crumb-link"),
            rx.el.span("/", ArticleState.title.lower(), class_name="ag-crumb-title"),
            aria_label="breadcrumb",
            class_name="ag-crumb",
        ),
        rx.el.div(
            rx.el.span(ArticleState.category, data_testid="article-category", class_name="ag-tag"),
            rx.el.span(
                rx.el.span(ArticleState.date, data_testid="article-date"),
                " · ",
                rx.el.span(ArticleState.source, data_testid="article-source"),
                class_name="ag-meta",
            ),
            class_name="ag-article-meta",
        ),
        rx.el.h1(ArticleState.title, data_testid="article-title", class_name="ag-article-title"),
        rx.el.div(
            rx.cond(ArticleState.summary != "",
                    rx.el.p(ArticleState.summary, data_testid="article-summary", class_name="ag-summary")),
            rx.cond(ArticleState.body_html != "", rx.html(ArticleState.body_html, class_name="ag-prose")),
            rx.cond(
                ArticleState.notes_html != "",
                rx.el.section(rx.el.h2("for practitioners", class_name="ag-h3"),
                              rx.html(ArticleState.notes_html, data_testid="article-notes", class_name="ag-prose"),
                              rx.el.p("notes ", ArticleState.notes_origin, data_testid="article-notes-origin",
                                      class_name="ag-meta"),
                              class_name="ag-notes"),
            ),
            data_testid="article-body",
            class_name="ag-article-body",
        ),
        rx.el.p(
            "original source ",
            rx.el.a(ArticleState.url, href=ArticleState.url, rel="noopener", class_name="ag-link ag-url"),
            data_testid="article-original",
            class_name="ag-original",
        ),
        _story(),
        rx.el.nav(
            link("← back to news", href="/news", data_testid="back-to-news", data_up="true"),
            rx.el.span(
                rx.cond(ArticleState.older != "",
                        link("older [p]", href="/news/" + ArticleState.older, data_story="prev")),
                rx.cond(ArticleState.newer != "",
                        link("newer [n]", href="/news/" + ArticleState.newer, data_story="next")),
                class_name="ag-story-nav",
            ),
            class_name="ag-article-foot",
            aria_label="stories",
        ),
        class_name="ag-article",
    )


def _story() -> rx.Component:
    """Who else covered this event, and earlier stories about the same tools."""
    return rx.fragment(
        also_covered(ArticleStoryState.also),
        rx.cond(
            ArticleStoryState.earlier.length() > 0,
            rx.el.section(rx.el.h2("earlier stories about these tools", class_name="ag-h3"),
                          story_list(ArticleStoryState.earlier, name="earlier"), class_name="ag-earlier"),
        ),
    )


def _removed() -> rx.Component:
    """A story retention removed: its title, why it went and the original link, never a bare "not found"."""
    return rx.el.article(
        rx.el.h1(ArticleState.title, data_testid="article-title", class_name="ag-article-title"),
        rx.el.p(ArticleState.removed_note, data_testid="article-removed", class_name="ag-summary"),
        rx.el.p(
            "original source ",
            rx.el.a(ArticleState.url, href=ArticleState.url, rel="noopener", class_name="ag-link ag-url"),
            data_testid="article-original",
            class_name="ag-original",
        ),
        link("← back to news", href="/news", data_testid="back-to-news", data_up="true"),
        class_name="ag-article",
    )


@page("/news/[slug]", title=ArticleState.title, on_load=[ArticleState.load, ArticleStoryState.load])
def article() -> rx.Component:
    return layout(
        rx.cond(
            ArticleState.found,
            rx.cond(ArticleState.loaded, rx.cond(ArticleState.removed, _removed(), _article()),
                    article_first_view(loading())),
            not_found("story", "/news", "← all news"),
        ),
        width="article",
    )
