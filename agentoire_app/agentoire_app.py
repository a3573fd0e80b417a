"""The app: theme, head scripts, the ⌘K palette (an app wrap, on every page), pages from the registry, the
API, the background refresh and the listener that pushes to open pages."""

from __future__ import annotations

import reflex as rx

from .api.page_heads import page_heads
from .api.routes import build_api
from .components.palette import palette_wrap
from .components.status_bar import first_counts_script
from .desk.loop import refresh_in_background
from .pages import add_pages
from .state.push import push_to_open_pages, warm_search_by_meaning
from .state.redis_lock import make_redis_locks_cancel_safe

make_redis_locks_cancel_safe()  # before any event: Reflex's lock can leak when an event is cancelled

app = rx.App(
    stylesheets=["/agentoire.css"],
    head_components=[
        rx.el.meta(name="color-scheme", content="light dark"),
        rx.el.script(src="/agentoire.js", defer=True),
        first_counts_script(),
    ],
    extra_app_wraps={(3, "Palette"): palette_wrap},
    # Applied in order: the page heads wrap Reflex (and its static frontend), the API routes wrap both.
    api_transformer=[page_heads, build_api()],
)
add_pages(app)

app.register_lifespan_task(refresh_in_background)
app.register_lifespan_task(push_to_open_pages)
app.register_lifespan_task(warm_search_by_meaning)
