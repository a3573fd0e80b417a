"""Where catalog data comes from, and the licence each source carries.

One `DataSource` per provenance key that `Tool.source` may hold. The "data sources" page renders
`list_data_sources()`; the MIT-licensed list must travel with its notice, so the notice text is read from
the licence file shipped beside the data (copied byte for byte from the source repository), never
retyped here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

from ..models import Tool

LICENSES_DIR = Path(__file__).resolve().parent / "data" / "licenses"

AGENTOIRE = "agentoire"
AWESOME_AI_AGENTS = "slavakurilyak/awesome-ai-agents"
AWESOME_LLMOPS = "tensorchord/Awesome-LLMOps"
AWESOME_GENERATIVE_AI = "steven2358/awesome-generative-ai"


@dataclass(frozen=True, slots=True)
class DataSource:
    """A provenance key with its display name, home, SPDX licence id and full licence/notice text."""

    key: str
    name: str
    url: str
    license: str
    notice: str


# (key, display name, url, SPDX licence, licence file under data/licenses/)
_SOURCES: tuple[tuple[str, str, str, str, str], ...] = (
    (AGENTOIRE, "agentoire editors", "https://github.com/agentoire/agentoire", "MIT", "agentoire__NOTICE"),
    (AWESOME_AI_AGENTS, "Awesome AI Agents (Slava Kurilyak)", "https://github.com/slavakurilyak/awesome-ai-agents",
     "MIT", "slavakurilyak__awesome-ai-agents__LICENSE"),
    (AWESOME_LLMOPS, "Awesome LLMOps (TensorChord)", "https://github.com/tensorchord/Awesome-LLMOps",
     "CC0-1.0", "tensorchord__Awesome-LLMOps__LICENSE"),
    (AWESOME_GENERATIVE_AI, "Awesome Generative AI (steven2358)", "https://github.com/steven2358/awesome-generative-ai",
     "CC0-1.0", "steven2358__awesome-generative-ai__LICENSE"),
)


@cache
def _load_sources() -> tuple[DataSource, ...]:
    return tuple(
        DataSource(key=key, name=name, url=url, license=spdx,
                   notice=(LICENSES_DIR / filename).read_text(encoding="utf-8"))
        for key, name, url, spdx, filename in _SOURCES
    )


def list_data_sources() -> list[DataSource]:
    """Every known data source, ours first, with its licence text read from the shipped file."""
    return list(_load_sources())


def get_data_source(key: str) -> DataSource | None:
    """The source registered under `key`, or None for an ad-hoc import (a Markdown file of your own)."""
    return next((s for s in _load_sources() if s.key == key), None)


def tool_counts_by_source(*, session: Session) -> dict[str, int]:
    """How many tools each provenance key holds (every registered source present, zero when empty)."""
    counts = {s.key: 0 for s in _load_sources()}
    rows = session.exec(select(Tool.source, sa.func.count()).group_by(Tool.source)).all()
    for key, count in rows:
        counts[key] = int(count)
    return counts
