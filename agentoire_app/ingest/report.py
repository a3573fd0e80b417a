"""What a refresh reports: one line per feed (the contract's `refresh --json` shape) and the totals."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

OutcomeStatus = Literal["ok", "not_modified", "error"]


@dataclass
class FeedOutcome:
    """One line of the contract's `refresh --json`: url, status, new, updated, error."""

    url: str
    status: OutcomeStatus
    new: int = 0
    updated: int = 0
    error: str = ""


@dataclass
class RefreshReport:
    feeds: list[FeedOutcome] = field(default_factory=list)
    skipped: str = ""  # why nothing was done (the lease is held elsewhere), else empty
    seconds: float = 0.0
    stopped: bool = False  # a stop was requested (SIGTERM, app shutdown): the refresh ended between sources
    left: int = 0  # due sources a stop left untouched, for the next refresh

    @property
    def new(self) -> int:
        return sum(f.new for f in self.feeds)

    @property
    def updated(self) -> int:
        return sum(f.updated for f in self.feeds)

    def to_json(self) -> dict[str, Any]:
        return {"feeds": [asdict(f) for f in self.feeds]}
