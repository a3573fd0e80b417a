"""Whether the `?` overlay is open: the one place that says so (the dialog renders it, the keys toggle it)."""

from __future__ import annotations

import reflex as rx


class HelpState(rx.State):
    is_open: bool = False

    @rx.event
    def toggle_help(self) -> None:
        self.is_open = not self.is_open

    @rx.event
    def set_open(self, is_open: bool) -> None:
        """The dialog's own `on_open_change` (Esc, a click outside, its close button)."""
        self.is_open = bool(is_open)
