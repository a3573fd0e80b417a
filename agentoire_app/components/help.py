"""The `?` overlay, rendered from the keymap that binds the keys: a Radix dialog whose open state is
`HelpState.is_open` (focus trap, Esc and focus restore come with the dialog)."""

from __future__ import annotations

import reflex as rx

from ..keymap import KEYMAP, shortcut_label
from ..state.help import HelpState
from .bridge import restore_focus


def help_dialog() -> rx.Component:
    groups: dict[str, list[rx.Component]] = {}
    for shortcut in KEYMAP:
        groups.setdefault(shortcut.group, []).append(
            rx.el.div(
                rx.el.dt(rx.el.kbd(shortcut_label(shortcut))),
                rx.el.dd(shortcut.description),
                class_name="ag-help-row",
                data_keys=" ".join(shortcut.keys),
                data_action=shortcut.action,
            )
        )
    return rx.dialog.root(
        rx.dialog.content(
            rx.el.div(
                rx.dialog.title("keyboard", class_name="ag-help-title"),
                rx.dialog.close(rx.el.button("esc", type="button", aria_label="close help", class_name="ag-close")),
                class_name="ag-help-head",
            ),
            rx.dialog.description("Every shortcut, by what it does.", class_name="ag-visually-hidden"),
            *[
                rx.el.section(rx.el.h3(group), rx.el.dl(*rows), class_name="ag-help-group")
                for group, rows in groups.items()
            ],
            rx.el.p("Single keys do nothing while you type in a text field.", class_name="ag-muted"),
            class_name="ag-help",
            on_close_auto_focus=restore_focus,
            aria_modal="true",
            data_testid="help-dialog",
            data_overlay="help",
        ),
        open=HelpState.is_open,
        on_open_change=HelpState.set_open,
    )
