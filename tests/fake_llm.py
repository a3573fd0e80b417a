"""A fake OpenAI-compatible server on 127.0.0.1 (real HTTP), with scripted replies per article.

The server reads the article's title from the prompt (`TITLE: …`) and answers with the next `Reply`
scripted for that title (the last one repeats), or `default`. A reply is a status, a completion text,
headers and a delay; `refuse_modes` makes it answer 400 to a `response_format` it "does not support",
as servers without structured output do. Every request body is recorded.
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


@dataclass
class Reply:
    content: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


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
                if reply.status == 200:
                    payload = json.dumps({"id": "x", "object": "chat.completion", "model": body.get("model"),
                                          "choices": [{"index": 0, "finish_reason": "stop",
                                                       "message": {"role": "assistant", "content": reply.content}}]})
                else:
                    payload = json.dumps({"error": {"message": reply.content or "error"}})
                data = payload.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

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
