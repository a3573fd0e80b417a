"""The shell every page wears: status bar, wordmark and navigation, the content, the footer, the help
overlay and the hidden triggers the page script clicks (components/bridge.py). Pages hand `layout` their content only."""

from __future__ import annotations

from typing import Any

import reflex as rx

from ..state.help import HelpState
from .bridge import bridge
from .help import help_dialog
from .status_bar import status_bar

NAV = (("news", "/news"), ("tools", "/tools"), ("submit", "/submit"))


def link(*children: rx.Component | rx.Var | str, href: str | rx.Var, inline: bool = False,
         **props: Any) -> rx.Component:
    """A client-side link (react-router) that looks like our text, not like a Radix link.

    `inline=True` for a link inside a line of text: underlined, so it is not told apart by colour alone."""
    class_name = props.pop("class_name", "") + (" ag-inline-link" if inline else "")
    return rx.link(*children, href=href, class_name=f"ag-link {class_name}".strip(),
                   underline="always" if inline else "none", **props)


def masthead() -> rx.Component:
    return rx.el.header(
        link("agentoire", rx.el.span("_", class_name="ag-cursor"), href="/", class_name="ag-wordmark",
             aria_label="agentoire home"),
        rx.el.nav(
            *[link(label, href=href, class_name="ag-nav-link") for label, href in NAV],
            rx.el.button(
                rx.el.span("theme", class_name="ag-theme-label"),
                type="button",
                on_click=rx.toggle_color_mode,
                aria_label="toggle light / dark theme",
                class_name="ag-nav-link ag-theme-button",
            ),
            aria_label="main",
            class_name="ag-nav",
        ),
        class_name="ag-masthead",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        link("data sources", href="/sources"),
        rx.el.span(" · ", aria_hidden="true"),
        rx.el.a("news feed", href="/feed.xml", class_name="ag-link"),
        rx.el.span(" · ", aria_hidden="true"),
        rx.el.a("tools feed", href="/tools/feed.xml", class_name="ag-link"),
        rx.el.span(" · ", aria_hidden="true"),
        rx.el.a("api", href="/api/tools", class_name="ag-link"),
        rx.el.span(" · ", aria_hidden="true"),
        rx.el.button("keyboard [?]", type="button", on_click=HelpState.toggle_help, aria_haspopup="dialog",
                     class_name="ag-link ag-footer-help"),
        class_name="ag-footer",
    )


def layout(*content: rx.Component, width: str = "normal") -> rx.Component:
    """The page: `width` is "normal" (lists) or "article" (a comfortable reading measure)."""
    return rx.el.div(
        rx.el.a("skip to content", href="#main", class_name="ag-skip"),
        status_bar(),
        masthead(),
        rx.el.main(*content, id="main", class_name=f"ag-main ag-width-{width}", tab_index=-1),
        footer(),
        help_dialog(),
        bridge(),
        class_name="ag-app",
    )


def page_heading(title: str | rx.Var, *extra: rx.Component) -> rx.Component:
    return rx.el.div(rx.el.h1(title, class_name="ag-h1"), *extra, class_name="ag-page-heading")


def loading() -> rx.Component:
    return rx.el.p("loading…", class_name="ag-muted ag-loading", aria_live="polite")


def not_found(what: str, back_href: str, back_label: str) -> rx.Component:
    """The real not-found page: says what was not found and where to go instead."""
    return rx.el.section(
        rx.el.p("404", class_name="ag-kicker"),
        rx.el.h1(f"{what} not found", class_name="ag-h1", data_testid="not-found"),
        rx.el.p(f"There is no {what} at this address. It may have been renamed or never existed.",
                class_name="ag-lead"),
        rx.el.p(link(back_label, href=back_href), " · ", link("home", href="/"),
                " · or press ⌘K to search."),
        class_name="ag-not-found",
    )
