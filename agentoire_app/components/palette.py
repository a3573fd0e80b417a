"""The ⌘K palette, rendered by Reflex from `PaletteState` (after reflex-web's search dialog).

A Radix dialog whose open state is `PaletteState.is_open`: Radix moves the focus in, traps it, closes on
Esc or a click outside and gives the focus back to what had it. Inside: a combobox input and a listbox of
results grouped under their group's name (recent, tools, news, categories, commands), each command row
showing its own shortcut from the keymap. Typing sends `PaletteState.type_query`; the state searches in
the background and fills the rows.

The active row under the arrow keys must answer within a frame, so the page script (assets/agentoire.js)
moves `aria-selected` and clicks the active row on Enter. The list is keyed by the query it answers: new
results are a new list, whose first row is the active one again. A page row's click is `PaletteState.pick`
(Ctrl/⌘ held: a new tab); a command row's click closes the palette and the script runs its action.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import ObjectVar, StringVar

from ..state.palette import PaletteRow, PaletteState
from .bridge import restore_focus
from .rows import related_label

LIST_ID = "ag-palette-list"


def _option(item: ObjectVar[PaletteRow]) -> rx.Component:
    return rx.el.div(
        rx.el.span(item.title, class_name="ag-palette-title"),
        rx.cond(item.detail != "", rx.el.span(item.detail, class_name="ag-palette-detail")),
        rx.cond(item.related, related_label()),
        rx.cond(item.shortcut != "", rx.el.kbd(item.shortcut, class_name="ag-palette-kbd")),
        role="option",
        id=item.id,
        data_testid="palette-item",
        data_index=item.index,
        data_group=item.group,
        data_url=rx.cond(item.url != "", item.url, None),
        data_action=rx.cond(item.action != "", item.action, None),
        aria_selected=rx.cond(item.index.to(int) == 0, "true", "false"),
        class_name="ag-palette-item",
        # mypy reads @rx.event as EventNamespace (Reflex's __new__ returns the handler)
        on_click=lambda e: PaletteState.pick(  # type: ignore[operator]
            item.title, item.detail, item.url, e.ctrl_key, e.meta_key),
    )


def _group(name: StringVar) -> rx.Component:
    label_id = "ag-palette-group-" + name.to(str)
    return rx.el.div(
        rx.el.div(name, id=label_id, role="presentation", class_name="ag-palette-group-label"),
        rx.foreach(PaletteState.results, lambda item: rx.cond(item.group == name, _option(item))),
        role="group",
        aria_labelledby=label_id,
        class_name="ag-palette-group",
    )


def palette_wrap(stateful: bool) -> rx.Component | None:
    """The palette as an app wrap (`rx.App(extra_app_wraps=...)`): one instance above the router's pages,
    so it stays mounted while the page under it changes (an open palette, its rows and the reader's
    focus are not swapped out by a navigation that is still rendering)."""
    return rx.fragment(palette_dialog()) if stateful else None


def palette_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("palette", class_name="ag-visually-hidden"),
            rx.dialog.description("search tools, news, categories and commands; arrows move, enter opens",
                                  class_name="ag-visually-hidden"),
            rx.el.input(
                type="text",
                role="combobox",
                aria_expanded="true",
                aria_controls=LIST_ID,
                aria_autocomplete="list",
                aria_label="search tools, news, categories and commands",
                placeholder="search tools, news, categories, commands…",
                auto_complete="off",
                spell_check=False,
                data_testid="palette-input",
                class_name="ag-palette-input",
                on_change=PaletteState.type_query,
            ),
            rx.el.div(
                rx.foreach(PaletteState.groups, _group),
                rx.cond(
                    (PaletteState.results.length() == 0) & (PaletteState.shown_query != ""),
                    rx.el.div("nothing matches “" + PaletteState.shown_query + "”", role="presentation",
                              class_name="ag-palette-empty"),
                ),
                id=LIST_ID,
                key=PaletteState.shown_query,
                role="listbox",
                aria_label="results",
                data_query=PaletteState.shown_query,
                class_name="ag-palette-list",
            ),
            rx.el.div("↑↓ move · enter open · ⌘/ctrl+enter new tab · esc close", class_name="ag-palette-foot",
                      aria_hidden="true"),
            aria_modal="true",
            data_testid="palette",
            data_overlay="palette",
            class_name="ag-palette",
            on_close_auto_focus=restore_focus,
        ),
        open=PaletteState.is_open,
        on_open_change=PaletteState.set_open,
    )
