"""`/tools/[slug]`: a tool with every fact's source and date, alternatives, and the news that mentions it."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from ..components import layout, link, loading, not_found
from ..components.charts import bar_chart_with_table
from ..components.filters import directory_styles
from ..state.rows import ArticleRow
from ..state.tools_detail import AlternativeRow, ToolDetailState
from . import page

S = ToolDetailState


def _fact(label: str, *value: rx.Component | rx.Var | str, **props: str) -> rx.Component:
    return rx.fragment(rx.el.dt(label), rx.el.dd(*value, **props))


def _facts() -> rx.Component:
    return rx.el.dl(
        _fact("category", link(S.category_name, href="/tools?category=" + S.category)),
        _fact("tags", rx.cond(S.tags.length() > 0,
                              rx.foreach(S.tags, lambda t: link(t, href="/tools?tag=" + t, class_name="ag-tag")),
                              rx.el.span("none", class_name="ag-muted"))),
        _fact("pricing", S.pricing),
        _fact("licence", rx.cond(S.license != "", S.license,
                                 rx.cond(S.open_source, "open source (licence not recorded)", "not open source"))),
        _fact("homepage", rx.el.a(S.homepage, href=S.homepage, rel="noopener nofollow", data_testid="tool-link",
                                  class_name="ag-link ag-url")),
        rx.cond(S.repository != "", _fact("repository", rx.el.a(S.repository, href=S.repository,
                                                                  rel="noopener nofollow",
                                                                  class_name="ag-link ag-url"))),
        _fact("listed", rx.el.time(S.added, date_time=S.added_iso), " from ",
              rx.cond(S.source_url != "", rx.el.a(S.source_name, href=S.source_url, rel="noopener",
                                                  class_name="ag-link"), S.source_name),
              data_testid="tool-source"),
        rx.cond(S.repo_stats != "", _fact(
            "at the source", S.repo_stats, " · read ", rx.el.time(S.stats_read, date_time=S.stats_read_iso),
            data_testid="tool-repo-stats")),
        rx.cond(S.flags.length() > 0, _fact("note", rx.foreach(S.flags, lambda f: rx.el.p(f, class_name="ag-warn")),
                                            data_testid="tool-flags")),
        _fact("last checked", rx.cond(S.checked != "", rx.el.time(S.checked, date_time=S.checked_iso),
                                      rx.el.span("not yet re-checked", class_name="ag-muted"))),
        _fact("in the news", S.mentions, rx.cond(S.mentions == 1, " story", " stories")),
        class_name="ag-facts",
        data_testid="tool-facts",
    )


def _alternative(item: ObjectVar[AlternativeRow]) -> rx.Component:
    return rx.el.li(
        rx.el.div(link(item.name, href=item.href, class_name="ag-row-title"),
                  rx.el.span(item.category, class_name="ag-tag"), class_name="ag-row-head"),
        rx.cond(item.tagline != "", rx.el.p(item.tagline, class_name="ag-row-text")),
        rx.el.p(item.why, class_name="ag-meta"),
        data_testid="tool-item",
        class_name="ag-row",
    )


def _story(item: ObjectVar[ArticleRow]) -> rx.Component:
    return rx.el.li(
        rx.el.div(rx.el.time(item.date, date_time=item.date_iso, class_name="ag-meta"),
                  rx.el.span(item.category, class_name="ag-tag"),
                  rx.el.span(item.source, class_name="ag-meta"), class_name="ag-row-meta"),
        link(item.title, href=item.href, class_name="ag-row-title"),
        data_testid="news-item",
        class_name="ag-row",
    )


def _tool() -> rx.Component:
    return rx.el.article(
        rx.el.nav(link("← tools", href="/tools", data_up="true", inline=True), rx.el.span("/", S.slug),
                  aria_label="breadcrumb", class_name="ag-crumb"),
        rx.el.h1(S.name, data_testid="tool-name", class_name="ag-article-title"),
        rx.cond(S.tagline != "", rx.el.p(S.tagline, class_name="ag-summary")),
        rx.cond(S.description != "", rx.el.p(S.description, class_name="ag-prose ag-pre-line")),
        _facts(),
        rx.el.p(link("compare with…", href="/compare?tools=" + S.slug), class_name="ag-meta"),
        rx.el.section(
            rx.el.h2("alternatives", class_name="ag-h2"),
            rx.cond(S.alternatives.length() > 0,
                    rx.el.ul(rx.foreach(S.alternatives, _alternative), class_name="ag-list", data_list="tools"),
                    rx.el.p("Nothing close in the directory yet.", class_name="ag-muted")),
            data_testid="tool-alternatives",
        ),
        rx.el.section(
            rx.el.h2("mentions, last 30 days", class_name="ag-h2"),
            bar_chart_with_table(S.trend, x_key="day", y_key="mentions", x_label="day", y_label="stories",
                                 summary=S.trend_total.to_string() + " stories mentioned it in the last 30 days",
                                 testid="tool-trend"),
        ),
        rx.el.section(
            rx.el.h2("in the news", class_name="ag-h2"),
            rx.cond(S.news.length() > 0,
                    rx.el.ol(rx.foreach(S.news, _story), class_name="ag-list ag-timeline", data_list="news"),
                    rx.el.p("No story has mentioned it yet.", class_name="ag-muted")),
            data_testid="tool-news",
        ),
        class_name="ag-article",
    )


@page("/tools/[slug]", title=ToolDetailState.name, on_load=ToolDetailState.load)
def tool() -> rx.Component:
    return layout(
        directory_styles(),
        rx.cond(S.found, rx.cond(S.loaded, _tool(), loading()), not_found("tool", "/tools", "← all tools")),
        width="article",
    )
