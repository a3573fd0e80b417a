"""The keymap is one definition: the page carries it as data for the page script, the help overlay renders
it, the palette's command rows label themselves from it, and each action Reflex owns has a hidden trigger."""

from __future__ import annotations

import json

from agentoire_app.components.bridge import EVENT_TRIGGERS, bridge, trigger_actions
from agentoire_app.components.help import help_dialog
from agentoire_app.keymap import KEYMAP, keymap_config, keymap_json, shortcut_label

CONTRACT_KEYS = {("mod+k",), ("t",), ("?",), ("/",), ("j",), ("k",), ("Enter",), ("o",), ("g", "h"), ("g", "n"),
                 ("g", "t"), ("u",), ("Escape",)}


def test_the_contract_keys_are_all_in_the_keymap() -> None:
    assert {s.keys for s in KEYMAP} >= CONTRACT_KEYS


def test_no_key_is_bound_twice() -> None:
    keys = [s.keys for s in KEYMAP]
    assert len(keys) == len(set(keys))
    firsts = {s.keys[0] for s in KEYMAP if len(s.keys) == 2}
    assert not firsts & {s.keys[0] for s in KEYMAP if len(s.keys) == 1}, "a sequence prefix is also a key"


def test_every_go_action_and_reflex_event_has_a_hidden_trigger() -> None:
    rendered = str(bridge())
    go_actions = {s.action for s in KEYMAP if s.action.startswith("go:")}
    assert go_actions == {"go:/", "go:/news", "go:/tools"}
    assert trigger_actions() == go_actions | set(EVENT_TRIGGERS)
    for action in trigger_actions():
        assert f'"data-trigger":"{action}"' in rendered, action
    for action in go_actions:
        assert f'to:"{action.removeprefix("go:")}"' in rendered, "a client-side link"


def test_the_page_carries_the_keymap_as_data_not_code() -> None:
    rendered = str(bridge())
    assert '"data-keymap":' + json.dumps(keymap_json()) in rendered
    assert json.loads(keymap_json()) == keymap_config()


def test_the_bound_config_is_generated_from_the_keymap() -> None:
    config = keymap_config()
    for shortcut in KEYMAP:
        if len(shortcut.keys) == 1:
            assert config["single"][shortcut.keys[0]] == shortcut.action
        else:
            assert config["sequences"][shortcut.keys[0]][shortcut.keys[1]] == shortcut.action


def test_help_lists_every_shortcut_with_its_label() -> None:
    rendered = str(help_dialog())
    for shortcut in KEYMAP:
        label = shortcut_label(shortcut)
        assert label in rendered or json.dumps(label)[1:-1] in rendered
        assert shortcut.description in rendered
        assert f'"{" ".join(shortcut.keys)}"' in rendered


def test_palette_commands_carry_their_shortcut_label() -> None:
    commands = keymap_config()["commands"]
    assert {c["title"] for c in commands} >= {"go home", "go to news", "go to tools", "toggle theme",
                                               "show keyboard help"}
    for command in commands:
        shortcut = next(s for s in KEYMAP if s.command == command["title"])
        assert command["shortcut"] == shortcut_label(shortcut)
