"""`/tools/[slug]`: first version of a tool page (the directory engineer replaces this module)."""

from __future__ import annotations

import reflex as rx

from ..components import layout, link, loading, not_found
from ..state.tools import ToolState
from . import page


def _tool() -> rx.Component:
    return rx.el.article(
        rx.el.nav(link("← tools", href="/tools", data_up="true"), rx.el.span("/", ToolState.slug),
                  aria_label="breadcrumb", class_name="ag-crumb"),
        rx.el.div(rx.el.span(ToolState.category, class_name="ag-tag"),
                  rx.el.span(ToolState.pricing, class_name="ag-meta"), class_name="ag-article-meta"),
        rx.el.h1(ToolState.name, data_testid="tool-name", class_name="ag-article-title"),
        rx.el.p(ToolState.tagline, class_name="ag-summary"),
        rx.cond(ToolState.description != "", rx.el.p(ToolState.description, class_name="ag-prose")),
        rx.el.p(
            "homepage ",
            rx.el.a(ToolState.homepage, href=ToolState.homepage, rel="noopener", data_testid="tool-link",
                    class_name="ag-link ag-url"),
            class_name="ag-original",
        ),
        rx.cond(ToolState.repository != "",
                rx.el.p("repository ", rx.el.a(ToolState.repository, href=ToolState.repository, rel="noopener",
                                               class_name="ag-link ag-url"), class_name="ag-original")),
        class_name="ag-article",
    )


@page("/tools/[slug]", title="tool", on_load=ToolState.load)
def tool() -> rx.Component:
    return layout(
        rx.cond(ToolState.found, rx.cond(ToolState.loaded, _tool(), loading()),
                not_found("tool", "/tools", "← all tools")),
        width="article",
    )
