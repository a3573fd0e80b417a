"""`/tools`: first version of the directory list (the directory engineer replaces this module)."""

from __future__ import annotations

import reflex as rx

from ..components import layout, loading, page_heading, tool_list
from ..state.tools import ToolsState
from . import page


@page("/tools", title="tools", on_load=ToolsState.load)
def tools() -> rx.Component:
    return layout(
        page_heading("tools", rx.cond(ToolsState.category != "",
                                      rx.el.p("category: ", ToolsState.category, class_name="ag-muted"))),
        rx.cond(
            ToolsState.tools.length() > 0,
            tool_list(ToolsState.tools),
            rx.cond(ToolsState.loaded, rx.el.p("No tools here yet.", class_name="ag-muted"), loading()),
        ),
    )
