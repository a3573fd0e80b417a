"""The SQL a piece of work sends: for tests that count round trips or read each statement's query plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event


def statements_of(engine: Any, work: Callable[[], object]) -> list[tuple[str, Any]]:
    """Each (statement, parameters) `engine` executes while `work` runs, in order."""
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return statements
