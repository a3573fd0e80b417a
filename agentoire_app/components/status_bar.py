"""The status bar from the seed page: connection · tool count · added today · local date · hint line."""

from __future__ import annotations

import reflex as rx
from reflex.components.core.banner import connection_errors_count, has_connection_errors
from reflex.vars import Var, VarData

from ..state.palette import PaletteState
from ..state.status import LOCAL_MIDNIGHT_JS, StatusState, refresh_status

# Offline after this many failed reconnection attempts in a row (Reflex keeps the last ten errors).
OFFLINE_AFTER_ERRORS = 10

# The reader's local date, formatted in the browser after mount (never at build time, so the
# prerendered HTML and the first client render agree and React does not report a mismatch).
_LOCAL_DATE_HOOK = """useEffect(() => {
  const agFormatDate = () => {
    const d = new Date();
    const days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    const months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    setAgLocalDate(`${days[d.getDay()]} · ${months[d.getMonth()]} ${d.getDate()}, ${d.getFullYear()}`);
  };
  agFormatDate();
  const agTimer = setInterval(agFormatDate, 60000);
  return () => clearInterval(agTimer);
}, []);"""

local_date = Var(
    _js_expr="agLocalDate",
    _var_data=VarData(
        imports={"react": ["useState", "useEffect"]},
        hooks={'const [agLocalDate, setAgLocalDate] = useState("");': None, _LOCAL_DATE_HOOK: None},
    ),
).to(str)

# Until the socket brings the state's numbers, the counts the server answered at `/api/status`. The request
# leaves from the document's head while the page is still being parsed (`first_counts_script`, one per
# document), so the answer is usually in before React has even hydrated, let alone the socket; the bar says
# "… tools" no longer than the page takes to start, never until the connection is up.
FIRST_COUNTS_JS = (f"window.agFirstCounts = fetch(`/api/status?since=${{encodeURIComponent({LOCAL_MIDNIGHT_JS})}}`)"
                   ".then((r) => (r.ok ? r.json() : null)).catch(() => null);")

_FIRST_COUNTS_HOOK = """useEffect(() => {
  let current = true;
  window.agFirstCounts?.then((counts) => { if (current && counts) setAgFirstCounts(counts); });
  return () => { current = false; };
}, []);"""

_FIRST_COUNTS_DATA = VarData(
    imports={"react": ["useState", "useEffect"]},
    hooks={"const [agFirstCounts, setAgFirstCounts] = useState(null);": None, _FIRST_COUNTS_HOOK: None},
)


def first_counts_script() -> rx.Component:
    """For the app's head: asks for the first counts as soon as the document starts."""
    return rx.el.script(FIRST_COUNTS_JS)


def _first_count(key: str, label: str) -> Var[str]:
    """`N label` from the first counts once they are in, `… label` before (as the prerendered page says)."""
    return Var(_js_expr=f'(agFirstCounts ? `${{agFirstCounts.{key}}} {label}` : "… {label}")',
               _var_data=_FIRST_COUNTS_DATA).to(str)


connection_state = rx.cond(
    has_connection_errors,
    rx.cond(connection_errors_count.to(int) >= OFFLINE_AFTER_ERRORS, "offline", "reconnecting"),
    # Before the first attempt has failed the socket is only connecting: "offline" there would be a lie.
    rx.cond(rx.State.is_hydrated, "live", "connecting"),
)


def _sep() -> rx.Component:
    return rx.el.span(" · ", class_name="ag-sep", aria_hidden="true")


def status_bar() -> rx.Component:
    return rx.el.div(
        rx.el.div(
            rx.el.span(
                connection_state,
                data_testid="status-connection",
                data_state=connection_state,
                class_name="ag-conn",
                role="status",
            ),
            _sep(),
            rx.el.span(
                rx.cond(StatusState.loaded, StatusState.tools.to_string() + " tools", _first_count("tools", "tools")),
                data_testid="status-tools",
            ),
            _sep(),
            rx.el.span(
                rx.cond(StatusState.loaded, StatusState.added_today.to_string() + " added today",
                        _first_count("added_today", "added today")),
                data_testid="status-added-today",
                class_name="ag-added",
            ),
            class_name="ag-status-left",
        ),
        rx.el.span(local_date, data_testid="status-date", class_name="ag-status-date"),
        rx.el.span("⌘K palette · [t] theme · [?] help", class_name="ag-hints", aria_hidden="true"),
        rx.el.button(
            "⌘K",
            rx.el.span(" search", class_name="ag-palette-button-label"),
            type="button",
            data_testid="palette-button",
            on_click=PaletteState.toggle_palette,
            aria_label="open the palette",
            aria_haspopup="dialog",
            class_name="ag-palette-button",
        ),
        # Counts on every page mount, and again once the socket is back (a restarted server has fresh state).
        rx.cond(has_connection_errors, rx.fragment(), rx.el.span(on_mount=refresh_status, hidden=True)),
        data_testid="status-bar",
        # "push" once the worker's listener pushes signals; the page script polls only while this says "poll".
        data_updates=rx.cond(StatusState.push_live, "push", "poll"),
        class_name="ag-status",
    )
