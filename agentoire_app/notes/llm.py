"""A client for any OpenAI-compatible `/chat/completions` server, asking for notes in a fixed shape.

Structured output is asked for the strictest way the server accepts: `response_format` with a JSON schema,
else a JSON object, else plain text parsed by paragraphs. A server that refuses a `response_format`
answers 400/422 and we step down once per client (remembered for later calls). Reasoning models'
`<think>…</think>` preambles are cut before parsing, and the answer is validated with pydantic.
Errors are typed so the queue can tell "try later" (rate limit, server down, timeout) from "this answer is
unusable" (bad shape).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import httpx
from pydantic import BaseModel, Field, ValidationError

PROMPT_VERSION = "notes-1"
MAX_ANSWER_CHARS = 20_000
MODES = ("json_schema", "json_object", "text")

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


class LlmClient:
    """One server and model; `client` is shared by the queue's workers (one connection pool)."""

    def __init__(self, url: str, model: str, *, api_key: str | None, timeout: float,
                 client: httpx.AsyncClient | None = None) -> None:
        self.url = url.rstrip("/") + "/chat/completions"
        self.model = model
        self.mode_index = 0
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._own = client is None
        self._client = client or httpx.AsyncClient(timeout=httpx.Timeout(timeout), headers=headers)

    async def aclose(self) -> None:
        if self._own:
            await self._client.aclose()

    def _body(self, messages: list[dict[str, str]], mode: str) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": 0.2, "stream": False}
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
                response = await self._client.post(self.url, json=self._body(messages, mode))
            except httpx.TimeoutException as exc:
                raise LlmUnavailable("the model did not answer in time") from exc
            except httpx.HTTPError as exc:
                raise LlmUnavailable(f"the model server could not be reached: {exc}") from exc
            if response.status_code == 429:
                raise LlmRateLimited(_retry_after(response))
            if response.status_code in (400, 422) and mode != "text":
                self.mode_index += 1  # this server does not take that response_format: ask more simply
                continue
            if response.status_code >= 400:
                raise LlmUnavailable(f"the model server answered {response.status_code}")
            try:
                content = response.json()["choices"][0]["message"]["content"]
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                raise LlmBadAnswer("the server's reply is not a chat completion") from exc
            if not isinstance(content, str):
                raise LlmBadAnswer("the completion has no text")
            return parse_notes(content, mode=mode)
