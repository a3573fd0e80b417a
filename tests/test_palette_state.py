"""The palette's state logic: commands from the keymap, grouping and order of the rows, recent picks."""

from __future__ import annotations

import json

from agentoire_app.components.keymap import KEYMAP, shortcut_label
from agentoire_app.state.palette import RECENT_MAX, arrange, command_items, parse_recent, remembered


def test_empty_query_shows_recent_picks_then_every_command_with_its_shortcut() -> None:
    recent = [{"title": "Ollama", "detail": "tools", "url": "/tools/ollama"}]
    rows = arrange("", [], recent)
    assert rows[0]["group"] == "recent" and rows[0]["url"] == "/tools/ollama"
    commands = [r for r in rows if r["group"] == "commands"]
    assert [(c["title"], c["shortcut"]) for c in commands] == [(s.command, shortcut_label(s))
                                                                for s in KEYMAP if s.command]
    assert [r["index"] for r in rows] == [str(i) for i in range(len(rows))]
    assert len({r["id"] for r in rows}) == len(rows)


def test_commands_rank_like_the_search_and_carry_their_shortcut() -> None:
    first = command_items("toggle theme")[0]
    assert (first["title"], first["action"], first["shortcut"]) == ("toggle theme", "theme", "t")
    assert command_items("go to news")[0]["shortcut"] == "g n"
    assert command_items("zzzz") == []


def test_groups_are_ordered_by_their_best_match_then_the_fixed_order() -> None:
    hits = [{"group": "tools", "title": "Theme Kit", "detail": "", "url": "/tools/theme-kit", "rank": 3},
            {"group": "news", "title": "Toggle", "detail": "policy", "url": "/news/toggle", "rank": 1}]
    rows = arrange("toggle", hits, [])
    assert [r["group"] for r in rows] == ["news", "commands", "tools"]  # news (1) and "toggle theme" (1): fixed order
    assert all(isinstance(v, str) for r in rows for v in r.values())


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
