"""`/trends`: rising tools (this week against the four before), story volume by category per week, and new
tools per week; every chart has its table."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from ..components import layout, link, page_heading
from ..components.charts import bar_chart_with_table
from ..components.filters import directory_styles
from ..state.trends import RisingRow, TrendsState
from . import page

S = TrendsState


def _rising(item: ObjectVar[RisingRow]) -> rx.Component:
    return rx.el.li(
        link(item.name, href=item.href, class_name="ag-row-title"),
        rx.el.span(item.this_week, " stories this week, ", item.before, " a week before", class_name="ag-meta"),
        data_testid="trend-rising",
        class_name="ag-row",
    )


@page("/trends", title="trends", on_load=TrendsState.load,
      description="Which AI tools the news is suddenly about, story volume by category, new tools per week.")
def trends() -> rx.Component:
    return layout(
        directory_styles(),
        page_heading("trends"),
        rx.el.section(
            rx.el.h2("rising this week", class_name="ag-h2"),
            rx.cond(S.rising.length() > 0, rx.el.ol(rx.foreach(S.rising, _rising), class_name="ag-list"),
                    rx.el.p("No tool is mentioned more than usual this week.", class_name="ag-muted")),
            data_testid="trends-rising",
        ),
        rx.el.section(
            rx.el.h2("stories per week", class_name="ag-h2"),
            bar_chart_with_table(S.weeks, x_key="week", y_key="stories", x_label="week of", y_label="stories",
                                 summary="Stories stored each week, last twelve weeks", testid="trends-volume"),
            rx.el.ul(rx.foreach(S.weeks, lambda w: rx.el.li(w.week, ": ", w.categories, class_name="ag-meta")),
                     class_name="ag-list", aria_label="categories per week"),
        ),
        rx.el.section(
            rx.el.h2("new tools per week", class_name="ag-h2"),
            bar_chart_with_table(S.new_tools, x_key="week", y_key="tools", x_label="week of", y_label="new tools",
                                 summary="Tools added to the directory each week", testid="trends-new-tools"),
        ),
        width="article",
    )
