"""The ⌘K palette's state: what is typed, the grouped results, the reader's recent picks.

Each keystroke sets `query` (a plain event, so queries are applied in the order they were typed) and
starts `search` in the background: the database work runs in a worker thread, off the event loop, and
its results are dropped if the reader has typed something else meanwhile, so a slow answer for an older
query never replaces a newer one. `services.palette.palette_search` does all the ranking; the commands
come from the keymap (agentoire_app/keymap.py) and are ranked by the same `rank_name`.

Recent picks live in the reader's browser (localStorage, through `rx.LocalStorage`), as JSON.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import partial

import reflex as rx
from reflex.event import EventSpec, EventType
from sqlmodel import Session

from ..concurrency import in_session
from ..keymap import palette_commands
from ..services.name_rank import rank_name
from ..services.palette import palette_search
from .help import HelpState

RECENT_MAX = 6
QUERY_MAX = 100
GROUP_ORDER = {"recent": -1, "tools": 0, "news": 1, "categories": 2, "commands": 3}


@dataclass(frozen=True, slots=True)
class PaletteRow:
    """One row of the palette's list. `index` is its place in the list (row 0 starts active); `id` is the
    element id the combobox points at."""

    group: str
    title: str
    detail: str
    url: str
    action: str
    shortcut: str
    index: int
    id: str
    related: bool = False  # found by meaning, not by its words


def command_items(query: str) -> list[dict[str, str | int]]:
    """The keymap's commands, each with its own shortcut label; ranked against `query` when there is one."""
    q = query.lower()
    items: list[dict[str, str | int]] = []
    for command in palette_commands():
        rank = rank_name(command["title"].lower(), q) if q else 9
        if rank >= 0:
            items.append({"group": "commands", "title": command["title"], "detail": "", "url": "",
                          "action": command["action"], "shortcut": command["shortcut"], "rank": rank})
    return sorted(items, key=lambda item: int(item["rank"])) if q else items


def parse_recent(raw: str) -> list[dict[str, str]]:
    try:
        entries = json.loads(raw or "[]")
    except ValueError:
        return []
    recent = [{"title": str(entry.get("title", "")), "detail": str(entry.get("detail", "")),
               "url": str(entry["url"])}
              for entry in (entries if isinstance(entries, list) else [])
              if isinstance(entry, dict) and str(entry.get("url", "")).startswith("/")]
    return recent[:RECENT_MAX]


def remembered(raw: str, title: str, detail: str, url: str) -> str:
    """The recent list with this pick first (once), as stored."""
    rest = [r for r in parse_recent(raw) if r["url"] != url]
    return json.dumps([{"title": title, "detail": detail, "url": url}, *rest][:RECENT_MAX], ensure_ascii=False)


def arrange(query: str, hits: list[dict[str, str | int]], recent: list[dict[str, str]]) -> list[PaletteRow]:
    """Rows for the list, grouped. With a query, best matches first across groups: a group's place is set
    by its best rank, then the fixed order (tools, news, categories, commands). Without one: the recent
    picks, then the main commands."""
    if not query:
        rows: list[dict[str, str | int]] = [{"group": "recent", "title": r["title"], "detail": r["detail"],
                                          "url": r["url"], "action": "", "shortcut": "", "rank": 9}
                                         for r in recent]
        rows += command_items("")
    else:
        groups: dict[str, list[dict[str, str | int]]] = {}
        for item in [*hits, *command_items(query)]:
            groups.setdefault(str(item["group"]), []).append(item)
        ordered = sorted(groups.items(), key=lambda g: (min(int(i["rank"]) for i in g[1]), GROUP_ORDER[g[0]]))
        rows = [item for _, items in ordered for item in items]
    return [PaletteRow(group=str(item["group"]), title=str(item["title"]), detail=str(item.get("detail", "")),
                       url=str(item.get("url", "")), action=str(item.get("action", "")),
                       shortcut=str(item.get("shortcut", "")), index=i, id=f"ag-palette-option-{i}",
                       related=bool(item.get("related", False)))
            for i, item in enumerate(rows)]


def _search_db(query: str, session: Session) -> list[dict[str, str | int]]:
    return [{**asdict(hit), "action": "", "shortcut": ""} for hit in palette_search(query, session=session)]


class PaletteState(rx.State):
    is_open: rx.Field[bool] = rx.field(False)
    query: rx.Field[str] = rx.field("")  # what the box holds (trimmed)
    shown_query: rx.Field[str] = rx.field("")  # the query the rows below answer (`data-query` on the list)
    results: rx.Field[list[PaletteRow]] = rx.field(default_factory=list)
    groups: rx.Field[list[str]] = rx.field(default_factory=list)
    recent: str = rx.LocalStorage("[]", name="agentoire_recent")

    @rx.event
    async def toggle_palette(self) -> EventType[()] | None:
        """⌘K, the touch button, `/` on a page without a search box: open with an empty box, or close.
        One overlay at a time: opening the palette closes the help."""
        if self.is_open:
            self.is_open = False
            return None
        help_state = await self.get_state(HelpState)
        help_state.is_open = False
        self.is_open = True
        self.query = ""
        return PaletteState.search

    @rx.event
    def set_open(self, is_open: bool) -> None:
        """The dialog's own `on_open_change` (Esc, a click outside): only closing comes this way."""
        if not is_open:
            self.is_open = False

    @rx.event
    def type_query(self, value: str) -> EventType[()] | None:
        query = str(value).strip()[:QUERY_MAX]
        if query == self.query and query == self.shown_query:
            return None
        self.query = query
        return PaletteState.search

    @rx.event
    def pick(self, title: str, detail: str, url: str, ctrl_key: bool, meta_key: bool) -> EventSpec | None:
        """A row was chosen (Enter or a click). A page leads the recent list, then opens here or, with
        Ctrl/⌘ held, in a new tab; a command row (no url) only closes the palette, and the page script
        runs its action.

        The navigation comes back with the stored list rather than being made in the browser straight
        away: Reflex sends the browser's localStorage values on every page change, and one read before
        this pick reached localStorage would put the old list back."""
        url = str(url)
        if not url.startswith("/"):
            self.is_open = False
            return None
        self.recent = remembered(self.recent, str(title), str(detail), url)
        if ctrl_key or meta_key:
            return rx.redirect(url, is_external=True)
        self.is_open = False
        return rx.redirect(url)

    @rx.event(background=True)
    async def search(self) -> None:
        async with self:
            query = self.query
            recent = parse_recent(self.recent)
        hits = await in_session(partial(_search_db, query)) if query else []
        rows = arrange(query, hits, recent)
        groups = list(dict.fromkeys(row.group for row in rows))
        async with self:
            if self.query != query:
                return  # the reader typed on; the newer query's search will answer
            self.results = rows
            self.groups = groups
            self.shown_query = query
