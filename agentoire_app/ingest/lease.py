"""A lease in the database that elects one refresher among processes, on SQLite and PostgreSQL alike.

Taking the lease is one conditional UPDATE: "set me as holder where the lease is expired or already mine".
The database serializes concurrent UPDATEs of one row (SQLite: one writer at a time; PostgreSQL: a row
lock, with the WHERE clause re-checked after the wait), so exactly one contender sees a row changed.
The row itself is created beforehand with INSERT … ON CONFLICT DO NOTHING, already expired.

A refresher killed with SIGKILL cannot release its lease, and the next one would wait out the TTL. The
holder id names its host and process, so a contender on the same host (and in the same PID namespace)
that finds the holder's process gone takes the lease over at once, with one UPDATE conditional on that
exact holder id (so two contenders cannot both take it). A holder on another host is never presumed dead:
we cannot see its processes, and only the expiry speaks for it.

Why not a PostgreSQL session advisory lock, which dies with its connection? It would cover a crash on
another host too, but it needs one connection held for the whole refresh outside the pool, breaks behind
a transaction-pooling PgBouncer, and would make the two databases behave differently; the lease with the
dead-holder check works the same on both, and the cross-host case waits at most the TTL.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..db import get_engine
from ..models import Lease, table_of, to_stored, utcnow
from .stop import StopRequest

log = logging.getLogger("agentoire.ingest")

REFRESH_LEASE = "refresh"
LEASE_TTL_SECONDS = 300  # a refresher renews every third of this; a dead one on another host blocks this long
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def host_id() -> str:
    """This machine as a holder names it: the host name, plus the PID namespace where Linux shows it.

    Two containers may share a host name (host networking) while their process ids mean different
    things; with the namespace in the name they never judge each other's processes.
    """
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return socket.gethostname()
    return f"{socket.gethostname()}/{namespace}"


def new_holder_id() -> str:
    """Who we are, readable in the table: host, process and a random suffix (one per refresher)."""
    return f"{host_id()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _process_gone(pid: int) -> bool:
    """True when no process `pid` runs here (a zombie, killed but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # someone else's process: alive
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def holder_is_dead(holder: str) -> bool:
    """True only when `holder` provably died: it ran on this host and its process is gone.

    A pid reused by an unrelated process reads as alive, which errs on the safe side (we wait for expiry).
    """
    parts = holder.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return False
    host, pid = parts[0], int(parts[1])
    return host == host_id() and pid != os.getpid() and _process_gone(pid)


def _ensure_row(connection: sa.Connection, name: str) -> None:
    dialect = connection.dialect.name
    values = {"name": name, "holder": "", "expires_at": _EPOCH}
    statement: postgresql.Insert | sqlite.Insert
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
    table = table_of(Lease)
    with get_engine(db_url).begin() as connection:
        _ensure_row(connection, name)
        result = connection.execute(
            sa.update(table)
            .where(table.c.name == name, sa.or_(table.c.expires_at < now, table.c.holder == holder))
            .values(holder=holder, expires_at=now + timedelta(seconds=ttl_seconds))
        )
        if result.rowcount == 1:
            return True
        current = connection.execute(sa.select(table.c.holder).where(table.c.name == name)).scalar()
        if not current or not holder_is_dead(current):
            return False
        # Conditional on the dead holder's exact id: of two contenders taking over, one changes the row.
        result = connection.execute(
            sa.update(table)
            .where(table.c.name == name, table.c.holder == current)
            .values(holder=holder, expires_at=now + timedelta(seconds=ttl_seconds))
        )
        if result.rowcount == 1:
            log.warning("lease %s: took over from %s, whose process is gone", name, current)
        return result.rowcount == 1


def release(name: str, holder: str, *, db_url: str | None = None) -> None:
    """Give the lease up at once (only if we still hold it)."""
    table = table_of(Lease)
    with get_engine(db_url).begin() as connection:
        connection.execute(
            sa.update(table).where(table.c.name == name, table.c.holder == holder).values(expires_at=_EPOCH)
        )


def current_holder(name: str, *, db_url: str | None = None) -> tuple[str, datetime] | None:
    table = table_of(Lease)
    with get_engine(db_url).connect() as connection:
        row = connection.execute(sa.select(table.c.holder, table.c.expires_at).where(table.c.name == name)).first()
    return (row[0], row[1]) if row else None


async def acquire_refresh_lease(holder: str, *, db_url: str | None = None, wait_seconds: float = 0.0,
                                stop: StopRequest | None = None) -> bool:
    """Take the refresh lease, trying again for up to `wait_seconds` while another live process holds it
    (and no `stop` was requested: a stopped wait gives up at once)."""
    deadline = time.monotonic() + wait_seconds
    stop = stop or StopRequest()
    while True:
        if await asyncio.to_thread(try_acquire, REFRESH_LEASE, holder, ttl_seconds=LEASE_TTL_SECONDS,
                                   db_url=db_url):
            return True
        if time.monotonic() >= deadline or await stop.sleep(min(1.0, max(0.05, deadline - time.monotonic()))):
            return False


async def keep_refresh_lease(holder: str, db_url: str | None) -> None:
    """Renew the refresh lease until cancelled, so a long refresh is not taken over mid-way."""
    while True:
        await asyncio.sleep(LEASE_TTL_SECONDS / 3)
        await asyncio.to_thread(try_acquire, REFRESH_LEASE, holder, ttl_seconds=LEASE_TTL_SECONDS, db_url=db_url)


def lease_refusal(held: tuple[str, datetime] | None, now: datetime) -> str:
    """One line: who holds the lease and how long until it expires (if its holder stops renewing it)."""
    if held is None:
        return "another process is refreshing"
    holder, expires_at = held
    left = max(0, int((to_stored(expires_at) - now).total_seconds()))
    minutes, seconds = divmod(left, 60)
    return (f"another process is refreshing ({holder}); its lease expires in {minutes} min {seconds:02d} s "
            f"unless renewed")
