"""Pages declared as data: each module registers `PageSpec`s with `@page(...)`; the app adds them all.

For a new page: create `pages/<name>.py` with

    from . import page
    from ..components import layout

    @page("/submit", title="submit a tool", on_load=SubmitState.load)
    def submit() -> rx.Component:
        return layout(...)          # or pass layout="article" / wrap=False, see `page`

and add "<name>" to `PAGE_MODULES`. Routes are unit-tested from `all_pages()` without a browser.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import reflex as rx

from ..settings import SITE_NAME

# Modules that declare pages, imported in this order by `all_pages()`.
PAGE_MODULES: tuple[str, ...] = ("home", "news", "article", "tools", "tool", "compare", "submit", "moderate", "sources", "trends",
                                  "not_found")



@dataclass(frozen=True)
class PageSpec:
    route: str
    title: str | rx.Var
    component: Callable[[], rx.Component]
    on_load: Sequence[Any] = field(default_factory=tuple)
    description: str = ""

    @property
    def full_title(self) -> str | rx.Var:
        if isinstance(self.title, rx.Var):
            return self.title.to(str) + f" · {SITE_NAME}"
        return SITE_NAME if self.title == SITE_NAME else f"{self.title} · {SITE_NAME}"


_REGISTRY: dict[str, PageSpec] = {}


def page(route: str, *, title: str | rx.Var, on_load: Any = None, description: str = "",
         ) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Declare a page. The function returns the whole page (usually `layout(...)`)."""

    def register(component: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        if route in _REGISTRY and _REGISTRY[route].component.__qualname__ != component.__qualname__:
            raise ValueError(f"route {route} declared twice")
        handlers = () if on_load is None else tuple(on_load) if isinstance(on_load, list | tuple) else (on_load,)
        _REGISTRY[route] = PageSpec(route, title, component, handlers, description)
        return component

    return register


def all_pages() -> list[PageSpec]:
    for name in PAGE_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    return list(_REGISTRY.values())


def add_pages(app: rx.App) -> None:
    for spec in all_pages():
        app.add_page(spec.component, route=spec.route, title=spec.full_title,
                     description=spec.description or None, on_load=list(spec.on_load) or None)
