"""The `?` overlay, rendered from the keymap that binds the keys."""

from __future__ import annotations

import reflex as rx

from .keymap import KEYMAP, shortcut_label


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
    return rx.el.div(
        rx.el.div(
            rx.el.div(
                rx.el.h2("keyboard", id="ag-help-title"),
                rx.el.button("esc", type="button", data_action="close", aria_label="close help",
                             class_name="ag-close"),
                class_name="ag-help-head",
            ),
            *[
                rx.el.section(rx.el.h3(group), rx.el.dl(*rows), class_name="ag-help-group")
                for group, rows in groups.items()
            ],
            rx.el.p("Single keys do nothing while you type in a text field.", class_name="ag-muted"),
            class_name="ag-help",
            role="dialog",
            aria_modal="true",
            aria_labelledby="ag-help-title",
            data_testid="help-dialog",
            tab_index=-1,
        ),
        class_name="ag-overlay",
        id="ag-help",
        hidden=True,
        data_overlay="help",
    )
