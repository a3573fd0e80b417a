"""A lease in the database that elects one refresher among processes, on SQLite and PostgreSQL alike.

Taking the lease is one conditional UPDATE: "set me as holder where the lease is expired or already mine".
The database serializes concurrent UPDATEs of one row (SQLite: one writer at a time; PostgreSQL: a row
lock, with the WHERE clause re-checked after the wait), so exactly one contender sees a row changed.
The row itself is created beforehand with INSERT … ON CONFLICT DO NOTHING, already expired.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..db import get_engine
from ..models import Lease, utcnow

REFRESH_LEASE = "refresh"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def new_holder_id() -> str:
    """Who we are, readable in the table: host, process and a random suffix (one per refresher)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _ensure_row(connection: sa.Connection, name: str) -> None:
    dialect = connection.dialect.name
    values = {"name": name, "holder": "", "expires_at": _EPOCH}
    if dialect == "postgresql":
        statement = postgresql.insert(Lease).values(**values).on_conflict_do_nothing(index_elements=["name"])
    elif dialect == "sqlite":
        statement = sqlite.insert(Lease).values(**values).on_conflict_do_nothing(index_elements=["name"])
    else:  # pragma: no cover - only the two supported databases
        raise NotImplementedError(dialect)
    connection.execute(statement)


def try_acquire(name: str, holder: str, *, ttl_seconds: int, db_url: str | None = None,
                now: datetime | None = None) -> bool:
    """Take (or extend) the lease `name` for `ttl_seconds`; False when someone else holds it unexpired."""
    now = now or utcnow()
    table = Lease.__table__  # type: ignore[attr-defined]
    with get_engine(db_url).begin() as connection:
        _ensure_row(connection, name)
        result = connection.execute(
            sa.update(table)
            .where(table.c.name == name, sa.or_(table.c.expires_at < now, table.c.holder == holder))
            .values(holder=holder, expires_at=now + timedelta(seconds=ttl_seconds))
        )
        return result.rowcount == 1


def release(name: str, holder: str, *, db_url: str | None = None) -> None:
    """Give the lease up at once (only if we still hold it)."""
    table = Lease.__table__  # type: ignore[attr-defined]
    with get_engine(db_url).begin() as connection:
        connection.execute(
            sa.update(table).where(table.c.name == name, table.c.holder == holder).values(expires_at=_EPOCH)
        )


def current_holder(name: str, *, db_url: str | None = None) -> tuple[str, datetime] | None:
    table = Lease.__table__  # type: ignore[attr-defined]
    with get_engine(db_url).connect() as connection:
        row = connection.execute(sa.select(table.c.holder, table.c.expires_at).where(table.c.name == name)).first()
    return (row[0], row[1]) if row else None
