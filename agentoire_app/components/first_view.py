"""An article's first view: what the server put in the page (`window.agFirstView`, api/page_heads.py), shown
while the article's state is still on its way over the websocket. (The server's plain-HTML copy, painted
before any script ran, removes itself once the app shows a headline of its own.)

The headline, category, date, source and summary appear once the page's script has started instead of a
connection and a database read later; the body and the notes follow with the state. It is read after the
first render (as the local date is), so the first client render matches the served page, and only for the
path it was served with: after a client-side navigation the state is already there.

The first view carries no `data-testid`: those name the article the state shows, complete.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var, VarData

_FIRST_VIEW_HOOK = """useEffect(() => {
  const view = window.agFirstView;
  if (view && view.path === window.location.pathname.replace(/\\/+$/, "")) setAgFirstView(view);
}, []);"""

_FIRST_VIEW_DATA = VarData(
    imports={"react": ["useState", "useEffect"]},
    hooks={"const [agFirstView, setAgFirstView] = useState(null);": None, _FIRST_VIEW_HOOK: None},
)

has_first_view = Var(_js_expr="(agFirstView !== null)", _var_data=_FIRST_VIEW_DATA).to(bool)


def _field(name: str) -> Var[str]:
    return Var(_js_expr=f'(agFirstView?.{name} ?? "")', _var_data=_FIRST_VIEW_DATA).to(str)


def article_first_view(pending: rx.Component) -> rx.Component:
    """The served first view above `pending` (what says the rest is loading), else `pending` alone."""
    summary = _field("summary")
    return rx.cond(
        has_first_view,
        rx.el.article(
            rx.el.div(
                rx.el.span(_field("category"), class_name="ag-tag"),
                rx.el.span(_field("date"), " · ", _field("source"), class_name="ag-meta"),
                class_name="ag-article-meta",
            ),
            rx.el.h1(_field("title"), class_name="ag-article-title", data_first_view="true"),
            rx.cond(summary != "", rx.el.p(summary, class_name="ag-summary")),
            pending,
            class_name="ag-article",
            aria_busy="true",
        ),
        pending,
    )
