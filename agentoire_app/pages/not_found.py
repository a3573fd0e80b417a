"""Any unknown address: a real not-found page inside the shell."""

from __future__ import annotations

import reflex as rx

from ..components import layout, not_found
from . import page


@page("404", title="not found")
def page_not_found() -> rx.Component:
    return layout(not_found("page", "/", "← home"))
