"""Retrieval: one shared `httpx.AsyncClient`, polite and bounded; returns bytes plus what the server said.

Nothing here parses feeds or touches the database. `Fetcher.fetch` turns every outcome (a 304, a redirect,
a 410, a stalled server, a body past the cap) into a `FetchResult` instead of an exception, so one bad
source never disturbs the others. Conditional GET lives in one place (`_conditional_headers`).

Who may point us where (`net.addresses` owns the rule): a source the operator added at a private address
(tests, intranets) may go anywhere; any other fetch, including an operator's public feed, is refused on
every redirect hop that leads into private space, and a permanent redirect is only remembered once its
target has passed. Sources that came from the public never leave public space, their first URL included.

Bodies are read raw and decoded here (`decode.py`), so the cap bounds memory whatever the server claims
its Content-Encoding is.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

from ..models import utcnow
from ..net.addresses import PUBLIC, PublicAddressRule
from .decode import ACCEPT_ENCODING, BodyTooLarge, BoundedDecoder, UnacceptableEncoding

USER_AGENT = "agentoire/0.1 (AI news desk feed refresher; +https://github.com/agentoire/agentoire)"
ACCEPT = ("application/atom+xml, application/rss+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, "
          "text/xml;q=0.8, text/html;q=0.5, */*;q=0.3")
MAX_REDIRECTS = 5
PERMANENT_REDIRECTS = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})

FetchStatus = Literal["ok", "not_modified", "gone", "error"]


@dataclass
class FetchResult:
    """What one GET said. `permanent_url` is set when every hop up to it was a 301/308."""

    url: str
    status: FetchStatus
    http_status: int | None = None
    final_url: str = ""
    permanent_url: str | None = None
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    retry_after: int | None = None
    max_age: int | None = None
    error: str = ""


class NotStarted(Exception):
    """The caller's `may_start` said no once the request had its slot: nothing was sent."""


class FetchRefused(Exception):
    """A fetch we will not make or finish (a hop into private space, a body past the cap, an odd encoding)."""


def parse_retry_after(value: str | None) -> int | None:
    """Retry-After as seconds from now: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0, int((when - utcnow()).total_seconds()))


def parse_max_age(cache_control: str | None) -> int | None:
    if not cache_control:
        return None
    for directive in cache_control.split(","):
        name, _, value = directive.strip().partition("=")
        if name.strip().lower() in ("max-age", "s-maxage"):
            with contextlib.suppress(ValueError):
                return max(0, int(value.strip().strip('"')))
    return None


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


class Fetcher:
    """Shared client plus the concurrency rules: `concurrency` requests in all, `per_host` per host."""

    def __init__(self, *, concurrency: int = 16, per_host: int = 2, max_body_bytes: int = 10 * 1024 * 1024,
                 connect_timeout: float = 10.0, read_timeout: float = 20.0, total_timeout: float = 60.0,
                 transport: httpx.AsyncBaseTransport | None = None,
                 public_rule: PublicAddressRule = PUBLIC) -> None:
        self.max_body_bytes = max_body_bytes
        self.public_rule = public_rule
        self.total_timeout = total_timeout
        self.per_host = per_host
        self._global = asyncio.Semaphore(concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._client = httpx.AsyncClient(
            follow_redirects=False,
            timeout=httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout, pool=None),
            # No idle connections: sources rarely share a host, and httpcore checks every pooled connection
            # (a poll() each) for every request, which cost more than the reuse saved (bench/ingest.py).
            limits=httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=0),
            headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": ACCEPT_ENCODING},
            transport=transport,
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def _host_gate(self, url: str) -> asyncio.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        gate = self._hosts.get(host)
        if gate is None:
            gate = self._hosts[host] = asyncio.Semaphore(self.per_host)
        return gate

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
                    allow_private: bool = True, may_start: Callable[[], bool] | None = None) -> FetchResult:
        """GET `url` conditionally, following up to five redirects by hand; never raises for HTTP trouble.

        `allow_private`: the URL's owner (the operator) may point at private space. It takes effect only
        when `url` itself is private; from a public URL every hop must stay public.
        `may_start` is asked once the request has its slot (a queued request may wait there a long time):
        False raises `NotStarted` before anything is sent, so a stopping refresh stops between sources.
        """
        async with self._host_gate(url), self._global:
            if may_start is not None and not may_start():
                raise NotStarted(url)
            try:
                async with asyncio.timeout(self.total_timeout):
                    return await self._fetch(url, etag, last_modified, allow_private)
            except TimeoutError:
                return FetchResult(url, "error", error=f"gave up after {self.total_timeout:g} s (body never ended?)")
            except FetchRefused as exc:
                return FetchResult(url, "error", error=str(exc))
            except httpx.ConnectTimeout:
                return FetchResult(url, "error", error="connect timeout")
            except httpx.ReadTimeout:
                return FetchResult(url, "error", error="read timeout: the server stalled")
            except httpx.DecodingError as exc:
                return FetchResult(url, "error", error=f"could not decode the body ({exc})")
            except httpx.ConnectError as exc:
                return FetchResult(url, "error", error=f"cannot connect: {exc or type(exc).__name__}")
            except httpx.HTTPError as exc:
                return FetchResult(url, "error", error=f"{type(exc).__name__}: {exc}".rstrip(": "))

    async def may_reach_private(self, url: str, *, allow_private: bool) -> bool:
        """Whether a fetch that starts at `url` may go into private space: only an operator's private URL."""
        if not allow_private:
            return False
        refusal = await self.public_rule.check_url_async(url)
        return refusal is not None and refusal.private

    async def _fetch(self, url: str, etag: str | None, last_modified: str | None,
                     allow_private: bool) -> FetchResult:
        first = await self.public_rule.check_url_async(url)
        private_ok = allow_private and first is not None and first.private
        if first is not None and not private_ok:  # private for a public source, malformed or unresolvable
            raise FetchRefused(f"refused: {first}" if first.private else str(first))
        current = url
        permanent_url: str | None = None
        still_permanent = True
        for _hop in range(MAX_REDIRECTS + 1):
            headers = _conditional_headers(etag, last_modified)
            async with self._client.stream("GET", current, headers=headers) as response:
                status = response.status_code
                if status in REDIRECTS and "location" in response.headers:
                    target = urljoin(current, response.headers["location"])
                    if not private_ok:
                        refusal = await self.public_rule.check_url_async(target)
                        if refusal is not None:
                            raise FetchRefused(f"refused: redirect {status} to {target[:300]}: {refusal}")
                    if still_permanent and status in PERMANENT_REDIRECTS:
                        permanent_url = target
                    else:
                        still_permanent = False
                    current = target
                    continue
                result = FetchResult(
                    url, "error", http_status=status, final_url=current, permanent_url=permanent_url,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    retry_after=parse_retry_after(response.headers.get("retry-after")),
                    max_age=parse_max_age(response.headers.get("cache-control")),
                )
                if status == 304:
                    result.status = "not_modified"
                    result.etag = response.headers.get("etag") or etag
                    result.last_modified = response.headers.get("last-modified") or last_modified
                    return result
                if status == 410:
                    result.status = "gone"
                    result.error = "HTTP 410 Gone: the feed was retired"
                    return result
                if status >= 400 or status < 200 or status in REDIRECTS:
                    reason = response.reason_phrase or ""
                    result.error = f"HTTP {status} {reason}".strip()
                    if result.retry_after is not None:
                        result.error += f" (retry after {result.retry_after} s)"
                    return result
                result.content = await self._read_capped(response)
                result.status = "ok"
                result.etag = response.headers.get("etag")
                result.last_modified = response.headers.get("last-modified")
                return result
        return FetchResult(url, "error", final_url=current, permanent_url=permanent_url,
                           error=f"more than {MAX_REDIRECTS} redirects")

    async def _read_capped(self, response: httpx.Response) -> bytes:
        """The decoded body, never holding more than the cap (plus one slice) at any stage of decoding."""
        cap = self.max_body_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchRefused(f"body of {int(declared)} bytes is over the {_size(cap)} cap")
        try:
            decoder = BoundedDecoder(response.headers.get("content-encoding"), cap=cap)
        except UnacceptableEncoding as exc:
            raise FetchRefused(f"refused: {exc}") from exc
        chunks: list[bytes] = []
        try:
            async for raw in response.aiter_raw():
                chunks.extend(decoder.feed(raw))
        except BodyTooLarge as exc:
            if decoder.stages:
                raise FetchRefused(f"response larger than {_size(cap)} after decompression (the cap)") from exc
            raise FetchRefused(f"body is over the {_size(cap)} cap") from exc
        except ValueError as exc:
            raise FetchRefused(f"could not decode the body ({exc})") from exc
        return b"".join(chunks)


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n} bytes"
