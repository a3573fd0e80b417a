"""The data-sources page: where the listed tools come from, how many each gave, and their licences."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from ..catalog.sources import list_data_sources, tool_counts_by_source
from ..concurrency import in_session, in_thread


@dataclass(frozen=True, slots=True)
class DataSourceRow:
    """A catalog source: where it is, its licence and notice, and how many tools it gave (a number)."""

    key: str
    name: str
    url: str
    license: str
    notice: str
    count: int = 0


def _data_sources() -> list[dict[str, str]]:
    return [{"key": s.key, "name": s.name, "url": s.url, "license": s.license, "notice": s.notice}
            for s in list_data_sources()]


class SourcesState(rx.State):
    sources: rx.Field[list[DataSourceRow]] = rx.field(default_factory=list)
    loaded: rx.Field[bool] = rx.field(False)

    @rx.event
    async def load(self) -> None:
        counts = await in_session(lambda session: tool_counts_by_source(session=session))
        rows = await in_thread(_data_sources)  # the licence texts are files, read on first use
        known = {r["key"] for r in rows}
        rows += [{"key": k, "name": k, "url": "", "license": "", "notice": ""} for k in counts if k not in known]
        self.sources = [DataSourceRow(key=r["key"], name=r["name"], url=r["url"], license=r["license"],
                                      notice=r["notice"], count=counts.get(r["key"], 0)) for r in rows]
        self.loaded = True
