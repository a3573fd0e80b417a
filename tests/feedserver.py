"""A real HTTP server on 127.0.0.1 for the ingest tests, with scripted behaviours per path.

Each path is a `Route`: status, body, headers, and optional behaviours (conditional GET with ETag and
Last-Modified, gzip, a delay, a body that never ends, a stall mid-body). Every request is recorded so
tests can assert what the refresher sent (validators, User-Agent) and how often it came.

Run standalone (`python tests/feedserver.py DIR`) it serves the files of DIR, for trying the CLI by hand.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = Path(__file__).resolve().parent / "fixtures" / "feeds"
RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False
    delay: float = 0.0
    endless: bool = False
    drip: bool = False  # a few bytes every 0.2 s, forever: never stalls long enough for a read timeout
    stall_after: int | None = None  # send this many body bytes, then hang
    trickle: int | None = None  # send the body this many bytes at a time, one piece every 0.2 s
    stall_seconds: float = 30.0


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)  # when it arrived, for tests about spacing


class FeedServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        """`host`: any loopback address (127.0.0.2 stands for "another machine on the private network")."""
        self.host = host
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests the server was answering at once
        self._lock = threading.Lock()
        self._stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                with server._lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    server._handle(self)
                finally:
                    with server._lock:
                        server.in_flight -= 1

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # --- scripting -----------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, body: bytes | str = b"", **options: object) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = Route(body=data, **options)  # type: ignore[arg-type]
        return self.url(path)

    def feed(self, path: str, filename: str, content_type: str = RSS, **options: object) -> str:
        """Serve the fixture feed `filename` at `path`."""
        headers = {"Content-Type": content_type} if content_type else {}
        headers.update(options.pop("headers", {}) or {})  # type: ignore[arg-type]
        return self.route(path, (FEEDS / filename).read_bytes(), headers=headers, **options)

    def redirect(self, path: str, status: int, target: str) -> str:
        return self.route(path, status=status, headers={"Location": target})

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    # --- serving -------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self._lock:
            self.requests.append(Request(path, {k.lower(): v for k, v in handler.headers.items()}))
        route = self.routes.get(path) or self.routes.get(path.split("?", 1)[0])
        if route is None:
            self._send(handler, 404, b"not found", {"Content-Type": "text/plain"})
            return
        if route.delay:
            time.sleep(route.delay)
        if route.etag and handler.headers.get("If-None-Match") == route.etag:
            self._send(handler, 304, b"", {"ETag": route.etag})
            return
        if (route.last_modified and not route.etag
                and handler.headers.get("If-Modified-Since") == route.last_modified):
            self._send(handler, 304, b"", {"Last-Modified": route.last_modified})
            return
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if route.endless or route.drip:
            self._send_endless(handler, headers, drip=route.drip)
            return
        body = route.body
        if route.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if route.stall_after is not None:
            self._send_stalling(handler, route, body, headers)
            return
        if route.trickle:
            self._send_trickling(handler, route, body, headers)
            return
        self._send(handler, route.status, body, headers)

    def _send(self, handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        if status != 304:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if status != 304:
            handler.wfile.write(body)

    def _send_endless(self, handler: BaseHTTPRequestHandler, headers: dict[str, str], *, drip: bool) -> None:
        handler.send_response(200)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Connection", "close")
        handler.end_headers()
        chunk = b"<item><title>again</title></item>" * (1 if drip else 2000)
        try:
            handler.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
            while not self._stop.is_set():
                handler.wfile.write(chunk)
                if drip:
                    handler.wfile.flush()
                    self._stop.wait(0.2)
        except OSError:
            pass
        handler.close_connection = True

    def _send_stalling(self, handler: BaseHTTPRequestHandler, route: Route, body: bytes,
                       headers: dict[str, str]) -> None:
        handler.send_response(route.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body[: route.stall_after])
            handler.wfile.flush()
            self._stop.wait(route.stall_seconds)
        except OSError:
            pass
        handler.close_connection = True

    def _send_trickling(self, handler: BaseHTTPRequestHandler, route: Route, body: bytes,
                        headers: dict[str, str]) -> None:
        handler.send_response(route.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        step = route.trickle or 1
        try:
            for start in range(0, len(body), step):
                handler.wfile.write(body[start:start + step])
                handler.wfile.flush()
                if self._stop.wait(0.2):
                    break
        except OSError:
            pass
        handler.close_connection = True

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def running_server(host: str = "127.0.0.1") -> Iterator[FeedServer]:
    """For a pytest fixture: `yield from running_server()`."""
    server = FeedServer(host).start()
    try:
        yield server
    finally:
        server.stop()


if __name__ == "__main__":  # pragma: no cover - a manual tool
    import sys

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else FEEDS
    srv = FeedServer()
    for file in sorted(folder.iterdir()):
        if file.is_file():
            srv.feed("/" + file.name, file.name if folder == FEEDS else str(file))
    srv.start()
    print(f"serving {folder} on {srv.url('/')}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()
