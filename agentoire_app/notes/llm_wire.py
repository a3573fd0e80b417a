"""Reading a chat completion off the wire: one JSON document or a stream of server-sent events, bounded.

We ask for a stream, because then the per-call timeout is an idle timeout (a model that keeps writing is
not cut off, one that stalls is), but servers differ: some answer with one JSON document anyway, some
stream without saying `text/event-stream`. Both are read here from the raw bytes, at most
`MAX_REPLY_BYTES` of them, and every way a server can misbehave ends in a typed error, never in a half
answer taken for a whole one:
- a reply that is not UTF-8 JSON (an HTML page from a proxy, a login page) is a bad answer;
- a completion needs `choices[0]` with text; `finish_reason: length` means the model was cut short;
- a stream must end with `[DONE]` or a `finish_reason`; one that just stops was cut: a bad answer;
- a stream that stalls, or a connection that fails before the reply starts, means "try again later".
"""

from __future__ import annotations

import json
from typing import Any

import httpx

MAX_REPLY_BYTES = 512 * 1024


class LlmError(Exception):
    """The model gave no usable answer."""


class LlmUnavailable(LlmError):
    """Try again later: the server failed, timed out or could not be reached."""


class LlmRateLimited(LlmUnavailable):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited, retry after {retry_after:.0f} s")
        self.retry_after = retry_after


class LlmBadAnswer(LlmError):
    """The answer is not notes in the shape we asked for."""


async def read_reply(response: httpx.Response) -> bytes:
    """The reply's body, refused once it passes `MAX_REPLY_BYTES` (a runaway model or a wrong endpoint)."""
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > MAX_REPLY_BYTES:
                raise LlmBadAnswer(f"the reply is larger than {MAX_REPLY_BYTES // 1024} KiB")
            chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise LlmUnavailable("the model stopped sending its answer") from exc
    except httpx.HTTPError as exc:
        raise LlmBadAnswer(f"the connection broke before the answer ended: {exc}") from exc
    return b"".join(chunks)


def completion_text(raw: bytes, *, content_type: str) -> str:
    """The completion's text in `raw`, a streamed answer or a whole one, whatever the content type claims."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LlmBadAnswer("the reply is not UTF-8") from exc
    stripped = text.lstrip()
    if "text/event-stream" in content_type.lower() or stripped.startswith("data:"):
        return _streamed_text(text)
    if stripped[:1] == "<":
        raise LlmBadAnswer("the server answered with a web page, not a chat completion")
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise LlmBadAnswer("the server's reply is not JSON") from exc
    choice = _first_choice(document)
    message = choice.get("message")
    content = message.get("content") if isinstance(message, dict) else None
    _check_finish(choice.get("finish_reason"))
    if not isinstance(content, str) or not content.strip():
        raise LlmBadAnswer("the completion has no text")
    return content


def _first_choice(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise LlmBadAnswer("the server's reply is not a chat completion")
    if "error" in document and "choices" not in document:
        raise LlmUnavailable(f"the model server reported an error: {str(document['error'])[:200]}")
    choices = document.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise LlmBadAnswer("the completion has no choices")
    return choices[0]


def _check_finish(reason: object) -> None:
    if reason == "length":
        raise LlmBadAnswer("the answer was cut at the model's length limit")


def _streamed_text(text: str) -> str:
    """The `delta.content` pieces of a server-sent event stream, joined; it must have ended properly."""
    parts: list[str] = []
    ended = False
    for line in text.splitlines():
        if not line.startswith("data:"):
            continue  # comments, `event:` and `id:` lines, keep-alives
        payload = line[5:].strip()
        if payload == "[DONE]":
            ended = True
            break
        try:
            event = json.loads(payload)
        except ValueError as exc:
            raise LlmBadAnswer("a streamed event is not JSON") from exc
        choice = _first_choice(event) if not (isinstance(event, dict) and event.get("choices") == []) else {}
        delta = choice.get("delta") or choice.get("message") or {}
        content = delta.get("content") if isinstance(delta, dict) else None
        if isinstance(content, str):
            parts.append(content)
        reason = choice.get("finish_reason")
        _check_finish(reason)
        ended = ended or bool(reason)
    if not ended:
        raise LlmBadAnswer("the stream stopped before the answer ended")
    answer = "".join(parts)
    if not answer.strip():
        raise LlmBadAnswer("the completion has no text")
    return answer
