"""A process forked after the engine was used (a server's workers, forked by their parent) opens its own
database connections: parent and child never talk over one socket, which interleaves their statements
("unexpected result EMPTY_QUERY from command 'BEGIN'")."""

from __future__ import annotations

import os

import sqlalchemy as sa

from agentoire_app.db import get_engine


def _backend_pid(url: str) -> int:
    with get_engine(url).connect() as conn:
        return int(conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one())


def test_a_forked_child_opens_its_own_connections_and_the_parent_keeps_its_own(postgres_url: str) -> None:
    parent_backend = _backend_pid(postgres_url)  # pooled now: the connection a fork would inherit
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child: report the backend it talks to, or -1 on any error
        try:
            answer = _backend_pid(postgres_url)
        except BaseException:
            answer = -1
        os.write(write, str(answer).encode())
        os._exit(0)
    os.close(write)
    child_backend = int(os.read(read, 64).decode())
    os.waitpid(child, 0)
    assert child_backend not in (-1, parent_backend)
    assert _backend_pid(postgres_url) == parent_backend  # the parent's connection was left open and sound
