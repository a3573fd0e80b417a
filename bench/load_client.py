"""One reader on Reflex's real websocket protocol: Engine.IO 4 / Socket.IO 5 over a websocket, as the
browser's `state.js` speaks it, with no browser.

What the browser does (read from Reflex's client, `utils/state.js` and `utils/context.jsx` in `.web`):
it opens `ws://HOST/_event/?EIO=4&transport=websocket&token=TOKEN`, gets the Engine.IO open packet
(`0{...}`), and connects the `/_event` namespace with its boot event in the CONNECT packet's auth
(`40/_event,{"event": {"name": "...hydrate_and_load", "router_data": {...}}}`): the server hydrates and
runs the page's on_load events. Events go out as `42/_event,["event", {name, payload, router_data}]`
and updates come back as `42/_event,["event", {delta, events}]`; the server pings (`2`), we pong (`3`).

The websocket framing is `wsproto` (already in the venv beside Reflex's Socket.IO server) on asyncio
streams: the python-socketio async client needs aiohttp, which is not installed.

A server that stops (a worker's SIGTERM, a restart) drops its websockets. `Reader.send` then behaves as
the browser's queue does: it reconnects with the same token (the state lives in Redis) and sends again the
event that had no answer, and `Tally` counts what happened to every event: answered at once, answered
after failing and being retried, given up after failing, or lost: sent, never answered, and never seen to
fail (a timeout on a connection that stayed up) — the one outcome a graceful stop must never produce.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Ping, RejectConnection, Request, TextMessage
from wsproto.utilities import LocalProtocolError

NAMESPACE = "/_event"
STATE = "reflex___state____state"
HYDRATE = f"{STATE}.hydrate_and_load"
ON_LOAD = f"{STATE}.reflex___state____on_load_internal_state.on_load_internal"
PALETTE = f"{STATE}.agentoire_app___state___palette____palette_state"
STATUS_REFRESH = "status_state.refresh"


def router_data(path: str) -> dict[str, Any]:
    return {"pathname": path, "asPath": path}


@dataclass
class Tally:
    """What became of the events sent with `Reader.send`; every sent event lands in exactly one bucket."""

    sent: int = 0
    answered: int = 0  # on the first try
    retried: int = 0  # failed (the connection dropped), re-sent after a reconnect, then answered
    given_up: int = 0  # failed, and still failing when the retry window closed: the client knows
    lost: int = 0  # never answered, never seen to fail
    reconnects: int = 0
    slowest: float = 0.0  # seconds from the first send to the answer, retries included
    lost_events: list[str] = field(default_factory=list)  # when and what, to find where they went

    def line(self) -> str:
        return (f"sent {self.sent} / answered {self.answered} / failed-and-retried {self.retried} / "
                f"given up {self.given_up} / lost {self.lost} ({self.reconnects} reconnects, slowest answer "
                f"{self.slowest:.1f} s)")


@dataclass(eq=False)  # compared and hashed by identity: one reader is one tab
class Reader:
    """A tab: one websocket, one event in flight at a time (as the browser's queue sends them)."""

    host: str
    port: int
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    connected: bool = False
    dropped: bool = False  # the server closed a connection we did not close
    pushes: list[float] = field(default_factory=list)  # monotonic arrival of each server-initiated refresh
    _ws: WSConnection = field(default_factory=lambda: WSConnection(ConnectionType.CLIENT))
    _writer: asyncio.StreamWriter | None = None
    _reader_task: asyncio.Task[None] | None = None
    _waiter: asyncio.Future[dict[str, Any]] | None = None
    _opened: asyncio.Future[None] | None = None
    _closing: bool = False
    _buffer: str = ""
    _boot_path: str = "/"
    _sent_at: float = 0.0

    async def connect(self, path: str, timeout: float) -> float:
        """Open the socket and hydrate `path`; seconds until the hydrate's first update.

        Called again after a drop, it opens a fresh socket with the same token, as the browser reconnects.
        """
        loop = asyncio.get_running_loop()
        start = time.monotonic()
        self._ws, self._buffer, self._closing = WSConnection(ConnectionType.CLIENT), "", False
        stream_reader, self._writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), timeout)
        self._opened = loop.create_future()
        self._waiter = loop.create_future()
        target = f"{NAMESPACE}/?EIO=4&transport=websocket&token={self.token}"
        self._send_bytes(self._ws.send(Request(host=f"{self.host}:{self.port}", target=target)))
        self._boot_path = path
        self._reader_task = asyncio.create_task(self._read(stream_reader))
        await asyncio.wait_for(asyncio.shield(self._opened), timeout)
        await asyncio.wait_for(asyncio.shield(self._waiter), timeout - (time.monotonic() - start))
        self.connected = True
        return time.monotonic() - start

    async def event(self, name: str, payload: dict[str, Any], path: str, timeout: float) -> float:
        """Send one event; seconds until the next update from the server (the event's round trip).

        Raises ConnectionError when the socket is down or drops before the answer (the event failed, and
        we know it), TimeoutError when the socket stays up and no answer comes.
        """
        if not self.connected or self._writer is None or self._writer.is_closing():
            raise ConnectionError("not connected")
        self._waiter = asyncio.get_running_loop().create_future()
        start = self._sent_at = time.monotonic()
        body = {"name": name, "payload": payload, "router_data": router_data(path)}
        try:
            self._send_text("42" + NAMESPACE + "," + json.dumps(["event", body]))
        except LocalProtocolError as exc:  # the server's close frame arrived first
            raise ConnectionError(f"socket closing: {exc}") from exc
        await asyncio.wait_for(asyncio.shield(self._waiter), timeout)
        return time.monotonic() - start

    async def late_answer(self, extra: float) -> float | None:
        """After `event` timed out: seconds from that send to its answer if the answer comes within `extra`
        more seconds, else None (still nothing, or the connection failed meanwhile)."""
        if self._waiter is None:
            return None
        try:
            await asyncio.wait_for(asyncio.shield(self._waiter), extra)
        except (TimeoutError, ConnectionError, OSError):
            return None
        return time.monotonic() - self._sent_at

    async def send(self, tally: Tally, name: str, payload: dict[str, Any], path: str, timeout: float,
                   retry_for: float) -> float | None:
        """`event`, reconnecting and re-sending after a failure for up to `retry_for` seconds; counted in
        `tally`. The round trip of the answered try, or None (given up or lost; never raises)."""
        tally.sent += 1
        failed = reconnected = False
        sent_at = time.monotonic()
        deadline = time.monotonic() + retry_for
        while True:
            try:
                if not self.connected:
                    await self.connect(self._boot_path, timeout)
                    tally.reconnects += 1
                    reconnected = True
                seconds = await self.event(name, payload, path, timeout)
            except TimeoutError:
                # No answer on a socket that stayed up: lost. (A reconnect or a retry that times out
                # after a failure is still that failure, which the client saw.)
                if not failed and self.connected:
                    tally.lost += 1
                    tally.lost_events.append(f"{name} {path} sent at {sent_at:.2f} (monotonic) by {self.token}"
                                             f"{' after reconnecting' if reconnected else ''}")
                    return None
            except (ConnectionError, OSError):
                pass
            else:
                if failed:
                    tally.retried += 1
                else:
                    tally.answered += 1
                tally.slowest = max(tally.slowest, time.monotonic() - sent_at)
                return seconds
            failed = True
            await self.close()
            if time.monotonic() >= deadline:
                tally.given_up += 1
                return None
            await asyncio.sleep(0.25)

    async def close(self) -> None:
        self._closing = True
        if self._writer is not None:
            with contextlib.suppress(OSError, RuntimeError, LocalProtocolError):  # mid-handshake, or closed
                self._send_bytes(self._ws.send(CloseConnection(code=1000)))
            self._writer.close()
        if self._reader_task is not None:
            self._reader_task.cancel()
            # Wait it out: its clean-up must not mark a newer connection of this reader as dropped.
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader_task
        self.connected = False

    def _send_bytes(self, data: bytes) -> None:
        if self._writer is not None and not self._writer.is_closing():
            self._writer.write(data)

    def _send_text(self, text: str) -> None:
        self._send_bytes(self._ws.send(TextMessage(data=text)))

    async def _read(self, stream: asyncio.StreamReader) -> None:
        try:
            while True:
                data = await stream.read(65536)
                if not data:
                    break
                self._ws.receive_data(data)
                for ev in self._ws.events():
                    if isinstance(ev, AcceptConnection):
                        pass
                    elif isinstance(ev, RejectConnection):
                        self._fail(ConnectionError(f"websocket refused ({ev.status_code})"))
                    elif isinstance(ev, TextMessage):
                        self._buffer += ev.data
                        if ev.message_finished:
                            text, self._buffer = self._buffer, ""
                            self._on_packet(text)
                    elif isinstance(ev, Ping):
                        self._send_bytes(self._ws.send(ev.response()))
                    elif isinstance(ev, CloseConnection):
                        raise ConnectionError(f"closed by the server ({ev.code})")
        except (ConnectionError, OSError) as exc:
            self._fail(exc)
        finally:
            if not self._closing and self.connected:
                self.dropped = True
            self.connected = False
            self._fail(ConnectionError("connection closed"))

    def _fail(self, exc: BaseException) -> None:
        for future in (self._opened, self._waiter):
            if future is not None and not future.done():
                future.set_exception(exc)
                future.exception()  # a failure nobody waits for any more (timed out first) is not an error

    def _on_packet(self, text: str) -> None:
        kind = text[:1]
        if kind == "0":  # Engine.IO open: connect the namespace with the boot event, as state.js does
            auth = {"event": {"name": HYDRATE, "payload": {}, "router_data": router_data(self._boot_path)}}
            self._send_text("40" + NAMESPACE + "," + json.dumps(auth))
        elif kind == "2":  # ping
            self._send_text("3")
        elif text.startswith("40" + NAMESPACE):
            if self._opened is not None and not self._opened.done():
                self._opened.set_result(None)
        elif text.startswith("44" + NAMESPACE):
            self._fail(ConnectionError("namespace connect refused: " + text[:200]))
        elif text.startswith("42" + NAMESPACE + ","):
            name, update = json.loads(text[len(NAMESPACE) + 3:])[:2]
            if name == "event":
                self._on_update(update)
            elif name == "new_token":  # Reflex found our token in use (a stale record): adopt its new one
                self.token = update

    def _on_update(self, update: dict[str, Any]) -> None:
        for event in update.get("events") or []:
            if event.get("name") == "_call_script" and STATUS_REFRESH in str(event.get("payload", {}).get("callback")):
                # A push: the browser would run the script and send the status refresh; so do we.
                self.pushes.append(time.monotonic())
                self._send_text("42" + NAMESPACE + "," + json.dumps(["event", {
                    "name": f"{STATE}.agentoire_app___state___status____status_state.refresh",
                    "payload": {"day_start": "2026-01-01T00:00:00Z"}, "router_data": router_data("/")}]))
                return
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(update)
