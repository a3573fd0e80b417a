"""Controls shared by the list pages (`/tools`, `/news`): labelled selects, the search-as-you-type box, the
pager, and the directory stylesheet they are drawn with."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

from .shell import link


def directory_styles() -> rx.Component:
    """The list pages' own stylesheet (assets/directory.css), beside the shell's."""
    return rx.el.link(rel="stylesheet", href="/directory.css")


def filter_option(value: str | rx.Var, label: str | rx.Var) -> rx.Component:
    return rx.el.option(label, value=value)


def filter_select(label: str, name: str, value: rx.Var[str], on_change: EventType[str],
                  options: rx.Component | list[rx.Component]) -> rx.Component:
    """A `<select>` inside its visible label (so screen readers and `field` tests find it by name)."""
    return rx.el.label(
        rx.el.span(label, class_name="ag-filter-label"),
        rx.el.select(*(options if isinstance(options, list) else [options]), name=name, value=value,
                     on_change=on_change, class_name="ag-select", data_filter=name),
        class_name="ag-filter",
    )


def search_box(value: rx.Var[str], on_change: EventType[str], *, placeholder: str, aria_label: str) -> rx.Component:
    """The page's search box: debounced, and the one `/` focuses (`data-page-search`)."""
    return rx.el.label(
        rx.el.span("search", class_name="ag-filter-label"),
        rx.debounce_input(
            rx.el.input(type="search", name="q", value=value, on_change=on_change, placeholder=placeholder,
                        auto_complete="off", spell_check=False, data_page_search="true",
                        aria_label=aria_label, class_name="ag-input ag-search"),
            debounce_timeout=250,
        ),
        class_name="ag-filter ag-filter-wide",
    )


def pager(prev_href: rx.Var[str], next_href: rx.Var[str], position: rx.Component, *, testid_prefix: str) -> rx.Component:
    """← previous · position · next →, each link only when there is somewhere to go."""
    return rx.el.nav(
        rx.cond(prev_href != "", link("← previous", href=prev_href, data_testid=f"{testid_prefix}-prev", rel="prev"),
                rx.el.span("")),
        position,
        rx.cond(next_href != "", link("next →", href=next_href, data_testid=f"{testid_prefix}-next", rel="next"),
                rx.el.span("")),
        aria_label="pages",
        class_name="ag-pager",
    )
