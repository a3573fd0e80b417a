"""A fake OpenAI-compatible server on 127.0.0.1 (real HTTP), with scripted replies per article.

The server reads the article's title from the prompt (`TITLE: …`) and answers with the next `Reply`
scripted for that title (the last one repeats), or `default`. A reply is a status, a completion text,
headers and a delay; `refuse_modes` makes it answer 400 to a `response_format` it "does not support",
as servers without structured output do. Every request body is recorded.

A reply can also misbehave as real servers do: `stream` sends the completion as server-sent events in
`chunks` pieces (`stall_after` pieces then silence, `cut_after` pieces then the connection closes without
`[DONE]`); `raw` is sent as the body verbatim (HTML, a huge answer, bad UTF-8, odd JSON) with
`content_type`; `finish_reason` is reported as given; `hang_up` closes the connection without answering.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

STALL_SECONDS = 5.0  # longer than any test's per-call timeout


@dataclass
class Reply:
    content: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    stream: bool = False
    chunks: int = 4
    stall_after: int | None = None
    cut_after: int | None = None
    raw: bytes | None = None
    content_type: str = "application/json"
    finish_reason: str = "stop"
    hang_up: bool = False


def completion_bytes(content: str, **extra: object) -> bytes:
    """A whole (not streamed) chat completion carrying `content`, with `extra` top-level keys."""
    return json.dumps({"id": "x", "object": "chat.completion", **extra,
                       "choices": [{"index": 0, "finish_reason": "stop",
                                    "message": {"role": "assistant", "content": content}}]}).encode()


def sse_events(content: str, *, pieces: int, finish_reason: str = "stop") -> list[bytes]:
    """`content` as an OpenAI-style stream: a role event, `pieces` deltas, a finish event and `[DONE]`."""
    size = max(1, -(-len(content) // pieces))
    deltas: list[dict[str, str]] = [{"role": "assistant"}] + [{"content": content[i:i + size]} for i in range(0, len(content), size)]
    events: list[dict[str, object]] = [{"choices": [{"index": 0, "delta": d, "finish_reason": None}]} for d in deltas]
    events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": finish_reason}]})
    return [f"data: {json.dumps(e)}\n\n".encode() for e in events] + [b"data: [DONE]\n\n"]


def notes_json(summary: str, *paragraphs: str) -> str:
    return json.dumps({"summary": summary, "paragraphs": list(paragraphs)})


_TITLE = re.compile(r"^TITLE: (.*)$", re.MULTILINE)


class FakeLlm:
    def __init__(self, *, latency: float = 0.0) -> None:
        self.script: dict[str, list[Reply]] = {}
        self.default = Reply(status=500, content="no script for this article")
        self.refuse_modes: set[str] = set()
        self.latency = latency
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests answered at once, for the concurrency bound
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                reply = fake._reply_for(body, dict(self.headers))
                with fake._lock:
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                time.sleep(fake.latency + reply.delay)
                with fake._lock:
                    fake.in_flight -= 1
                try:
                    if reply.hang_up:
                        self.close_connection = True
                        return
                    if reply.stream and reply.status == 200:
                        self._stream(reply)
                        return
                    self._whole(reply, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def _whole(self, reply: Reply, body: dict[str, Any]) -> None:
                if reply.raw is not None:
                    data = reply.raw
                elif reply.status == 200:
                    data = json.dumps({"id": "x", "object": "chat.completion", "model": body.get("model"),
                                       "choices": [{"index": 0, "finish_reason": reply.finish_reason,
                                                    "message": {"role": "assistant", "content": reply.content}}]}
                                      ).encode()
                else:
                    data = json.dumps({"error": {"message": reply.content or "error"}}).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, reply: Reply) -> None:
                # No Content-Length: the body is the events until the connection closes, as many servers do.
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                for n, event in enumerate(sse_events(reply.content, pieces=reply.chunks,
                                                     finish_reason=reply.finish_reason)):
                    if n == reply.cut_after:
                        return
                    if n == reply.stall_after:
                        time.sleep(STALL_SECONDS)
                        return
                    self.wfile.write(event)
                    self.wfile.flush()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _reply_for(self, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            mode = (body.get("response_format") or {}).get("type", "text")
            if mode in self.refuse_modes:
                return Reply(status=400, content=f"response_format {mode} is not supported")
            prompt = "\n".join(m.get("content", "") for m in body.get("messages", []))
            match = _TITLE.search(prompt)
            replies = self.script.get(match.group(1).strip() if match else "", [])
            if not replies:
                return self.default
            return replies.pop(0) if len(replies) > 1 else replies[0]

    def requests_for(self, title: str) -> list[dict[str, Any]]:
        return [r for r in self.requests
                if any(f"TITLE: {title}\n" in m.get("content", "") for m in r.get("messages", []))]

    def __enter__(self) -> FakeLlm:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def running_fake(latency: float = 0.0) -> Iterator[FakeLlm]:
    with FakeLlm(latency=latency) as fake:
        yield fake
