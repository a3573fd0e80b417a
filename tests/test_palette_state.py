"""The palette's state logic: commands from the keymap, grouping and order of the rows, recent picks, and
the open state of the overlays (one place: the Reflex state the dialogs render)."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict

import reflex as rx

from agentoire_app.keymap import KEYMAP, shortcut_label
from agentoire_app.state.help import HelpState
from agentoire_app.state.palette import (
    RECENT_MAX,
    PaletteState,
    arrange,
    command_items,
    parse_recent,
    remembered,
)


def overlay_states() -> tuple[PaletteState, HelpState]:
    root = rx.State(_reflex_internal_init=True)  # type: ignore[call-arg]
    palette = root.get_substate(PaletteState.get_full_name().split(".")[1:])
    help_state = root.get_substate(HelpState.get_full_name().split(".")[1:])
    assert isinstance(palette, PaletteState) and isinstance(help_state, HelpState)
    return palette, help_state


def redirect_args(spec: object) -> dict[str, object]:
    return {str(name): value._var_value for name, value in spec.args}  # type: ignore[attr-defined]


def test_opening_the_palette_closes_the_help_and_starts_with_an_empty_box() -> None:
    palette, help_state = overlay_states()
    help_state.toggle_help()
    palette.query = "left over"
    assert asyncio.run(palette.toggle_palette()) == PaletteState.search
    assert palette.is_open and not help_state.is_open and palette.query == ""
    assert asyncio.run(palette.toggle_palette()) is None
    assert not palette.is_open


def test_the_dialog_can_close_the_palette_but_not_open_it() -> None:
    palette, _ = overlay_states()
    palette.set_open(True)
    assert not palette.is_open
    asyncio.run(palette.toggle_palette())
    palette.set_open(False)
    assert not palette.is_open


def test_a_picked_page_is_remembered_closes_the_palette_and_opens_here() -> None:
    palette, _ = overlay_states()
    asyncio.run(palette.toggle_palette())
    spec = palette.pick("Ollama", "tools", "/tools/ollama", False, False)
    assert redirect_args(spec)["path"] == "/tools/ollama" and redirect_args(spec)["external"] is False
    assert not palette.is_open
    assert parse_recent(palette.recent)[0] == {"title": "Ollama", "detail": "tools", "url": "/tools/ollama"}


def test_a_page_picked_with_ctrl_or_cmd_opens_in_a_new_tab_and_the_palette_stays() -> None:
    for ctrl_key, meta_key in ((True, False), (False, True)):
        palette, _ = overlay_states()
        asyncio.run(palette.toggle_palette())
        spec = palette.pick("Ollama", "tools", "/tools/ollama", ctrl_key, meta_key)
        assert redirect_args(spec) == {"path": "/tools/ollama", "external": True, "popup": False, "replace": False}
        assert palette.is_open
        assert parse_recent(palette.recent)[0]["url"] == "/tools/ollama"


def test_a_command_row_only_closes_the_palette_and_is_not_remembered() -> None:
    palette, _ = overlay_states()
    asyncio.run(palette.toggle_palette())
    assert palette.pick("toggle theme", "", "", False, False) is None
    assert not palette.is_open and parse_recent(palette.recent) == []
    asyncio.run(palette.toggle_palette())
    assert palette.pick("evil", "", "https://evil.example/", False, False) is None
    assert parse_recent(palette.recent) == []


def test_empty_query_shows_recent_picks_then_every_command_with_its_shortcut() -> None:
    recent = [{"title": "Ollama", "detail": "tools", "url": "/tools/ollama"}]
    rows = arrange("", [], recent)
    assert rows[0].group == "recent" and rows[0].url == "/tools/ollama"
    commands = [r for r in rows if r.group == "commands"]
    assert [(c.title, c.shortcut) for c in commands] == [(s.command, shortcut_label(s))
                                                          for s in KEYMAP if s.command]
    assert [r.index for r in rows] == list(range(len(rows)))
    assert len({r.id for r in rows}) == len(rows)


def test_commands_rank_like_the_search_and_carry_their_shortcut() -> None:
    first = command_items("toggle theme")[0]
    assert (first["title"], first["action"], first["shortcut"]) == ("toggle theme", "theme", "t")
    assert command_items("go to news")[0]["shortcut"] == "g n"
    assert command_items("zzzz") == []


def test_groups_are_ordered_by_their_best_match_then_the_fixed_order() -> None:
    hits = [{"group": "tools", "title": "Theme Kit", "detail": "", "url": "/tools/theme-kit", "rank": 3},
            {"group": "news", "title": "Toggle", "detail": "policy", "url": "/news/toggle", "rank": 1}]
    rows = arrange("toggle", hits, [])
    assert [r.group for r in rows] == ["news", "commands", "tools"]  # news (1) and "toggle theme" (1): fixed order
    # The page compares `index` as a number and tests `related` as a flag; every other field is text.
    assert all(isinstance(r.index, int) and isinstance(r.related, bool) for r in rows)
    assert all(isinstance(v, str) for r in rows for k, v in asdict(r).items() if k not in ("index", "related"))


def test_recent_picks_come_first_once_and_are_capped() -> None:
    raw = "[]"
    for i in range(RECENT_MAX + 2):
        raw = remembered(raw, f"T{i}", "", f"/tools/t{i}")
    raw = remembered(raw, "T3", "", "/tools/t3")
    recent = parse_recent(raw)
    assert len(recent) == RECENT_MAX
    assert recent[0]["url"] == "/tools/t3"
    assert [r["url"] for r in recent].count("/tools/t3") == 1


def test_recent_ignores_junk_and_outside_links() -> None:
    assert parse_recent("not json") == []
    assert parse_recent(json.dumps({"url": "/x"})) == []
    assert parse_recent(json.dumps([{"url": "https://evil.example"}, {"title": "A", "url": "/news/a"}, 3])) == [
        {"title": "A", "detail": "", "url": "/news/a"}]
