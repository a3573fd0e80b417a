"""`/sources`: where the directory's listings come from, how many tools each gave, and its licence."""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar

from ..components import layout, loading, page_heading
from ..state.sources import DataSourceRow, SourcesState
from . import page


def _source(source: ObjectVar[DataSourceRow]) -> rx.Component:
    return rx.el.section(
        rx.el.h2(source.name, class_name="ag-h3"),
        rx.el.p(
            rx.el.span(source.count, rx.cond(source.count.to(int) == 1, " tool", " tools"), class_name="ag-tag"),
            rx.cond(source.license != "", rx.el.span(" licence: ", source.license, class_name="ag-meta")),
        ),
        rx.cond(source.url != "",
                rx.el.p(rx.el.a(source.url, href=source.url, rel="noopener", class_name="ag-link ag-url"))),
        rx.cond(source.notice != "", rx.el.pre(source.notice, class_name="ag-notice")),
        class_name="ag-data-source",
        data_testid="data-source",
    )


@page("/sources", title="data sources", on_load=SourcesState.load)
def sources() -> rx.Component:
    return layout(
        page_heading("data sources"),
        rx.el.p("The directory is built from these lists. Each keeps its own licence; notices are "
                "reproduced as their licences ask.", class_name="ag-lead"),
        rx.cond(SourcesState.loaded, rx.foreach(SourcesState.sources, _source), loading()),
        width="article",
    )
