"""The page script's handle on React: client-side navigation, the theme toggle and Reflex events.

assets/agentoire.js is plain JavaScript outside React; this invisible component publishes
`window.agentoireBridge` from inside the React tree (hooks) so the script can navigate without a full
reload, toggle the colour mode through Reflex's own provider (which persists it in localStorage and is
read back before paint by Reflex's inline head script), ask for fresh status-bar counts and send the
palette's events (open, close, remember a pick) to `PaletteState`.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventChain
from reflex_base.utils.imports import ImportVar
from reflex_base.vars.base import LiteralVar, Var, VarData
from reflex_components_core.core.banner import connect_errors

from ..state.palette import PaletteState
from ..state.status import StatusState


def _event_js(spec) -> Var:  # type: ignore[no-untyped-def]
    """A Reflex event as a JS function of no arguments; free names in `spec` come from the enclosing arrow."""
    return LiteralVar.create(EventChain(events=[spec], args_spec=lambda: []))


def _refresh_status_js() -> Var:
    return _event_js(StatusState.refresh(Var("agDayStart")))


class Bridge(rx.Fragment):
    """Renders nothing; its hooks publish `window.agentoireBridge`."""

    def add_imports(self) -> dict[str, list[ImportVar]]:
        return {
            "react": [ImportVar(tag="useEffect"), ImportVar(tag="useContext")],
            "react-router": [ImportVar(tag="useNavigate")],
            "$/utils/context-registry": [ImportVar(tag="ColorModeContext")],
        }

    def add_hooks(self) -> list[str | Var]:
        refresh = _refresh_status_js()
        palette_open = _event_js(PaletteState.open_palette())
        palette_close = _event_js(PaletteState.close_palette())
        palette_remember = _event_js(PaletteState.remember(Var("agTitle"), Var("agDetail"), Var("agUrl")))
        palette_go = _event_js(PaletteState.go(Var("agTitle"), Var("agDetail"), Var("agUrl")))
        palette_events = VarData.merge(palette_open._get_all_var_data(), palette_close._get_all_var_data(),
                                       palette_remember._get_all_var_data(), palette_go._get_all_var_data())
        # When the socket (re)connects, a restarted server has fresh state: ask for the counts again.
        reconnected = Var(
            _js_expr=f"""useEffect(() => {{
  if ({connect_errors!s}.length === 0 && window.agentoireBridge) {{
    const agMidnight = new Date(); agMidnight.setHours(0, 0, 0, 0);
    window.agentoireBridge.refreshStatus(agMidnight.toISOString());
  }}
}}, [{connect_errors!s}.length === 0])""",
            _var_data=VarData.merge(connect_errors._get_all_var_data(), refresh._get_all_var_data()),
        )
        return [
            "const agNavigate = useNavigate();",
            "const agColorMode = useContext(ColorModeContext);",
            Var(
                _js_expr=f"""useEffect(() => {{
  window.agentoireBridge = {{
    navigate: (path) => agNavigate(path),
    toggleTheme: () => agColorMode.toggleColorMode(),
    theme: () => agColorMode.resolvedColorMode,
    refreshStatus: (agDayStart) => ({refresh!s})(),
    palette: {{
      open: () => ({palette_open!s})(),
      close: () => ({palette_close!s})(),
      remember: (agTitle, agDetail, agUrl) => ({palette_remember!s})(),
      go: (agTitle, agDetail, agUrl) => ({palette_go!s})(),
    }},
  }};
  window.dispatchEvent(new Event("agentoire:bridge"));
}}, [agNavigate, agColorMode])""",
                _var_data=VarData.merge(refresh._get_all_var_data(), palette_events),
            ),
            reconnected,
        ]


bridge = Bridge.create
