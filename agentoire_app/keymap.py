"""The keymap: the one definition that binds the keys (assets/agentoire.js reads `keymap_json()` from the
page, see components/bridge.py),
renders the `?` help overlay and labels the palette's command rows. Nothing else lists shortcuts, so the
three cannot drift apart (tests/test_keymap.py checks it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Shortcut:
    """One binding. `keys` is a sequence of key names as `KeyboardEvent.key` spells them ("mod+k" is
    Ctrl+K or ⌘K); two keys make a sequence (`g` then `h`, about one second apart)."""

    keys: tuple[str, ...]
    action: str
    description: str
    group: str
    command: str = ""  # the palette's command title; empty: not offered as a command


KEYMAP: tuple[Shortcut, ...] = (
    Shortcut(("mod+k",), "palette", "open / close the palette", "general", "open the palette"),
    Shortcut(("t",), "theme", "toggle light / dark theme", "general", "toggle theme"),
    Shortcut(("?",), "help", "show this help", "general", "show keyboard help"),
    Shortcut(("/",), "search", "focus the page's search box", "general"),
    Shortcut(("Escape",), "close", "close what is open", "general"),
    Shortcut(("g", "h"), "go:/", "go home", "go to", "go home"),
    Shortcut(("g", "n"), "go:/news", "go to news", "go to", "go to news"),
    Shortcut(("g", "t"), "go:/tools", "go to tools", "go to", "go to tools"),
    Shortcut(("u",), "up", "back to the list (from an article or tool)", "go to"),
    Shortcut(("j",), "next", "next row", "lists"),
    Shortcut(("k",), "prev", "previous row", "lists"),
    Shortcut(("o",), "open", "open the selected row", "lists"),
    Shortcut(("Enter",), "open", "open the selected row", "lists"),
    Shortcut(("n",), "next-story", "next (newer) story, on an article", "articles"),
    Shortcut(("p",), "prev-story", "previous (older) story, on an article", "articles"),
)

_LABELS = {"mod+k": "⌘K / Ctrl+K", "Escape": "Esc", "Enter": "Enter"}


def key_label(key: str) -> str:
    return _LABELS.get(key, key)


def shortcut_label(shortcut: Shortcut) -> str:
    """How the help overlay and the palette show a binding: `g h`, `⌘K / Ctrl+K`, `?`."""
    return " ".join(key_label(k) for k in shortcut.keys)


def palette_commands() -> list[dict[str, str]]:
    """The keymap's commands as the palette lists them: title, action, shortcut label."""
    return [{"title": s.command, "action": s.action, "shortcut": shortcut_label(s)} for s in KEYMAP if s.command]


def keymap_config() -> dict[str, object]:
    """What the browser binds: single keys, two-key sequences and the palette's commands."""
    single: dict[str, str] = {}
    sequences: dict[str, dict[str, str]] = {}
    for shortcut in KEYMAP:
        if len(shortcut.keys) == 1:
            single[shortcut.keys[0]] = shortcut.action
        else:
            first, second = shortcut.keys
            sequences.setdefault(first, {})[second] = shortcut.action
    return {"single": single, "sequences": sequences, "commands": palette_commands()}


def keymap_json() -> str:
    """The keymap as the page carries it for assets/agentoire.js (a data attribute, not code)."""
    return json.dumps(keymap_config(), ensure_ascii=False)
