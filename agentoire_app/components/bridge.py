"""What the page script (assets/agentoire.js) may reach: the keymap as data and one hidden trigger per
action that Reflex owns.

The script is plain JavaScript outside React. Rather than reaching into React or Reflex, it reads the
keymap from `data-keymap` on `#ag-keymap` (generated from agentoire_app/keymap.py) and, for an action Reflex
owns, clicks the element carrying `data-trigger=<action>`: a button whose `on_click` is the Reflex event
(open / close the palette or the help, toggle the colour mode through Reflex's own provider, refresh the
status bar) or a react-router link (`g h`, `g n`, `g t`), so navigation stays client-side. Every other
action (the j/k cursor, `/`, `u`, `n`/`p`) is plain DOM work in the script. Back the other way, a
closing dialog asks the script for one thing: `restore_focus`.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import EventType

from ..keymap import KEYMAP, keymap_json
from ..state.help import HelpState
from ..state.palette import PaletteState
from ..state.status import refresh_status

# A Radix dialog gives the focus back to its Dialog.Trigger; ours are opened by keys and hidden triggers,
# so the script (which saw where the focus was) gives it back to what had it before the dialog opened.
restore_focus = rx.call_script("window.agentoire?.restoreFocus()")

# Actions the keymap binds that Reflex carries out (the others are the script's own).
EVENT_TRIGGERS: dict[str, EventType[()]] = {
    "palette": PaletteState.toggle_palette,
    "help": HelpState.toggle_help,
    "theme": rx.toggle_color_mode,
    "status": refresh_status,
}


def trigger_actions() -> set[str]:
    """Every action that has a hidden trigger: the Reflex events and the keymap's `go:` links."""
    return set(EVENT_TRIGGERS) | {s.action for s in KEYMAP if s.action.startswith("go:")}


def bridge() -> rx.Component:
    buttons = [rx.el.button(type="button", tab_index=-1, data_trigger=action, on_click=event)
               for action, event in EVENT_TRIGGERS.items()]
    links = [rx.link(action, href=action.removeprefix("go:"), tab_index=-1, data_trigger=action)
             for action in dict.fromkeys(s.action for s in KEYMAP if s.action.startswith("go:"))]
    return rx.el.div(*buttons, *links, id="ag-keymap", data_keymap=keymap_json(), hidden=True,
                     aria_hidden="true")
