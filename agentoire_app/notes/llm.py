"""A client for any OpenAI-compatible `/chat/completions` server, asking for notes in a fixed shape.

Structured output is asked for the strictest way the server accepts: `response_format` with a JSON schema,
else a JSON object, else plain text parsed by paragraphs. A server that refuses a `response_format`
answers 400/422 and we step down once per client (remembered for later calls). Reasoning models'
`<think>…</think>` preambles are cut before parsing, and the answer is validated with pydantic.
Errors are typed so the queue can tell "try later" (rate limit, server down, timeout) from "this answer is
unusable" (bad shape). The answer is asked for as a stream and read by `llm_wire` (streamed or whole,
bounded); the timeout is per read, so it bounds a stall, and `TOTAL_TIMEOUT_FACTOR` times it bounds the
whole call. Redirects are never followed: the API key goes to the configured server and nowhere else.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from typing import Any

import httpx
from pydantic import BaseModel, Field, ValidationError

from .llm_wire import LlmBadAnswer, LlmError, LlmRateLimited, LlmUnavailable, completion_text, read_reply

__all__ = ["LlmBadAnswer", "LlmClient", "LlmError", "LlmRateLimited", "LlmUnavailable", "ModelNotes", "notes_key",
           "parse_notes", "strip_reasoning"]

PROMPT_VERSION = "notes-1"
MAX_ANSWER_CHARS = 20_000
MODES = ("json_schema", "json_object", "text")
TOTAL_TIMEOUT_FACTOR = 5

_THINK = re.compile(r"<think>.{0,40000}?</think>|^.{0,40000}?</think>", re.DOTALL | re.IGNORECASE)
_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$")


def notes_key(content_hash: str, model: str) -> str:
    """What a model's notes were made for: this version of the article, this model, this prompt."""
    return hashlib.sha256(f"{content_hash}\x00{model}\x00{PROMPT_VERSION}".encode()).hexdigest()


class ModelNotes(BaseModel):
    """The shape we ask for: one sentence of summary, then two or three paragraphs for practitioners."""

    summary: str = Field(min_length=10, max_length=400)
    paragraphs: list[str] = Field(min_length=2, max_length=3)

    def model_post_init(self, _context: Any) -> None:
        for paragraph in self.paragraphs:
            if not 20 <= len(paragraph) <= 1500:
                raise ValueError("each paragraph must be 20 to 1500 characters")


NOTES_SCHEMA = {
    "type": "object",
    "properties": {
        "summary": {"type": "string", "description": "one sentence"},
        "paragraphs": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 3},
    },
    "required": ["summary", "paragraphs"],
    "additionalProperties": False,
}


def strip_reasoning(text: str) -> str:
    """The answer without a `<think>…</think>` preamble (or a dangling `…</think>` when the opener was eaten)."""
    return _THINK.sub("", text, count=1).strip()


def _retry_after(response: httpx.Response) -> float:
    raw = response.headers.get("retry-after", "").strip()
    try:
        return max(0.0, min(float(raw), 3600.0))
    except ValueError:
        return 30.0


def parse_notes(text: str, *, mode: str) -> ModelNotes:
    """The notes in `text`: JSON in the JSON modes, paragraphs separated by blank lines in text mode."""
    text = strip_reasoning(text[:MAX_ANSWER_CHARS])
    try:
        if mode != "text" or text.lstrip().startswith(("{", "```")):
            try:
                data = json.loads(_FENCE.sub("", text.strip()))
            except json.JSONDecodeError as exc:
                raise LlmBadAnswer(f"the answer is not JSON: {exc.msg}") from exc
            if not isinstance(data, dict):
                raise LlmBadAnswer("the answer is not a JSON object")
            return ModelNotes.model_validate(data)
        blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
        if len(blocks) < 3:
            raise LlmBadAnswer("a plain-text answer needs a summary line and two or three paragraphs")
        return ModelNotes(summary=blocks[0], paragraphs=blocks[1:4])
    except (ValidationError, ValueError) as exc:
        if isinstance(exc, LlmBadAnswer):
            raise
        raise LlmBadAnswer(f"the answer does not have the notes' shape: {str(exc).splitlines()[0]}") from exc


class _Refused(Exception):
    """The server does not take this `response_format`."""


class LlmClient:
    """One server and model; `client` is shared by the queue's workers (one connection pool)."""

    def __init__(self, url: str, model: str, *, api_key: str | None, timeout: float,
                 client: httpx.AsyncClient | None = None) -> None:
        self.url = url.rstrip("/") + "/chat/completions"
        self.model = model
        self.mode_index = 0
        self.total_timeout = timeout * TOTAL_TIMEOUT_FACTOR
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._own = client is None
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(timeout), headers=headers,
                                                   follow_redirects=False)

    async def aclose(self) -> None:
        if self._own:
            await self._client.aclose()

    def _body(self, messages: list[dict[str, str]], mode: str) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": 0.2, "stream": True}
        if mode == "json_schema":
            body["response_format"] = {"type": "json_schema",
                                       "json_schema": {"name": "notes", "strict": True, "schema": NOTES_SCHEMA}}
        elif mode == "json_object":
            body["response_format"] = {"type": "json_object"}
        return body

    async def write_notes(self, messages: list[dict[str, str]]) -> ModelNotes:
        """Notes from the model, stepping down the structured-output modes the server refuses."""
        while True:
            mode = MODES[self.mode_index]
            try:
                async with asyncio.timeout(self.total_timeout):
                    text = await self._complete(self._body(messages, mode), mode)
            except _Refused:
                self.mode_index += 1  # this server does not take that response_format: ask more simply
                continue
            except TimeoutError as exc:
                raise LlmUnavailable(f"the model took more than {self.total_timeout:.0f} s in all") from exc
            return parse_notes(text, mode=mode)

    async def _complete(self, body: dict[str, Any], mode: str) -> str:
        try:
            async with self._client.stream("POST", self.url, json=body, follow_redirects=False) as response:
                _check_status(response, mode)
                raw = await read_reply(response)
                content_type = response.headers.get("content-type", "")
        except httpx.TimeoutException as exc:
            raise LlmUnavailable("the model did not answer in time") from exc
        except httpx.HTTPError as exc:
            raise LlmUnavailable(f"the model server could not be reached: {exc}") from exc
        return completion_text(raw, content_type=content_type)


def _check_status(response: httpx.Response, mode: str) -> None:
    status = response.status_code
    if status == 429:
        raise LlmRateLimited(_retry_after(response))
    if status in (400, 422) and mode != "text":
        raise _Refused
    if 300 <= status < 400:
        raise LlmUnavailable(f"the model server redirected ({status}); redirects are not followed, "
                             "so the API key is only ever sent to the configured URL")
    if status != 200:
        raise LlmUnavailable(f"the model server answered {status}")
