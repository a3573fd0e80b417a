"""HTTP for the tool checks: conditional GETs, each API's rate limits, and our own hourly budget.

`ApiClient.get_json` is the one place a check talks to an API. It sends the stored ETag (a 304 costs
GitHub no quota), follows redirects (a renamed repository answers 301), and reads the rate-limit headers:
`X-RateLimit-Remaining` at 0, or a 403/429 with `X-RateLimit-Reset` or `Retry-After`, blocks that API
until the time it names. It never raises for an answer: errors are `ApiAnswer(status=0, error=…)`.

`HourlyBudget` is ours: GitHub allows 5,000 requests an hour with a token (60 without); the scheduler
takes a token before each request, so a round stops before the budget, not after a 403.

`ApiClient.link_status` is different: a homepage is whatever a submitter typed, so it is asked only at a
public address (`net.addresses`, the rule the feed fetcher follows), and every redirect hop is judged
again before it is followed; a refusal raises `LinkRefused` rather than passing for a dead site.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from ..models import utcnow
from ..models.live import LinkStatus
from ..net.addresses import PUBLIC, PublicAddressRule

USER_AGENT = "agentoire-tool-checks (+https://github.com/agentoire/agentoire)"
GITHUB_HOURLY_WITH_TOKEN = 5000
GITHUB_HOURLY_WITHOUT_TOKEN = 60
BUDGET_SHARE = 0.8  # leave a fifth of the quota for anything else using the same token
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_LINK_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})

Clock = Callable[[], datetime]


class LinkRefused(Exception):
    """A homepage (or where it redirects) is at a private address, malformed or unresolvable: not asked."""


@dataclass
class ApiAnswer:
    status: int  # HTTP status; 0 when no answer came
    data: Any = None
    etag: str | None = None
    final_url: str = ""
    error: str = ""


class HourlyBudget:
    """At most `per_hour` requests in any hour (a sliding window), on an injected clock."""

    def __init__(self, per_hour: int, *, clock: Clock = utcnow) -> None:
        self.per_hour = per_hour
        self.clock = clock
        self._taken: deque[datetime] = deque()

    def try_take(self, count: int = 1) -> bool:
        now = self.clock()
        while self._taken and self._taken[0] <= now - timedelta(hours=1):
            self._taken.popleft()
        if len(self._taken) + count > self.per_hour:
            return False
        self._taken.extend([now] * count)
        return True


@dataclass
class RateLimits:
    """Per API: until when the API itself told us to stop."""

    blocked_until: dict[str, datetime] = field(default_factory=dict)

    def blocked(self, api: str, now: datetime) -> bool:
        until = self.blocked_until.get(api)
        return until is not None and now < until

    def learn(self, api: str, response: httpx.Response, now: datetime) -> None:
        remaining = response.headers.get("x-ratelimit-remaining")
        reset = response.headers.get("x-ratelimit-reset")
        retry_after = response.headers.get("retry-after")
        limited = response.status_code in (403, 429) and (remaining == "0" or retry_after is not None)
        if not (limited or remaining == "0"):
            return
        until = now + timedelta(minutes=1)
        if retry_after and retry_after.strip().isdigit():
            until = now + timedelta(seconds=int(retry_after))
        elif reset and reset.strip().isdigit():
            until = datetime.fromtimestamp(int(reset), UTC)
        self.blocked_until[api] = max(until, self.blocked_until.get(api, until))


class ApiClient:
    """One httpx client for a round of checks, with the rate limits it learned."""

    def __init__(self, *, github_token: str | None = None, clock: Clock = utcnow, concurrency: int = 16,
                 timeout: httpx.Timeout = TIMEOUT, public_rule: PublicAddressRule = PUBLIC) -> None:
        self.clock = clock
        self.public_rule = public_rule
        self.limits = RateLimits()
        self.github_token = github_token
        self.concurrency = concurrency
        self._semaphore = asyncio.Semaphore(concurrency)
        self._http = httpx.AsyncClient(timeout=timeout, follow_redirects=True, max_redirects=5,
                                       headers={"User-Agent": USER_AGENT})

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get_json(self, api: str, url: str, *, etag: str | None = None) -> ApiAnswer:
        headers = {"Accept": "application/json"}
        if api == "github":
            headers["Accept"] = "application/vnd.github+json"
            if self.github_token:
                headers["Authorization"] = f"Bearer {self.github_token}"
        if etag:
            headers["If-None-Match"] = etag
        try:
            async with self._semaphore:
                if self.limits.blocked(api, self.clock()):  # learned while this request waited its turn
                    return ApiAnswer(0, error=f"{api} rate limit")
                response = await self._http.get(url, headers=headers)
        except httpx.HTTPError as exc:
            return ApiAnswer(0, error=f"{type(exc).__name__}: {exc}"[:300])
        self.limits.learn(api, response, self.clock())
        answer = ApiAnswer(response.status_code, etag=response.headers.get("etag"), final_url=str(response.url))
        if response.status_code == 200:
            if len(response.content) > MAX_BODY_BYTES:
                answer.error = "answer too large"
                return answer
            try:
                answer.data = response.json()
            except ValueError:
                answer.error = "answer is not JSON"
        elif response.status_code != 304:
            answer.error = f"HTTP {response.status_code}"
        return answer

    async def link_status(self, url: str) -> tuple[LinkStatus, str | None]:
        """Is a homepage alive: ("ok"|"dead"|"moved"|"unreachable", where it moved to). Reads no body.

        404 and 410 are dead; no answer at all (the domain gone, refused connections) is unreachable; a
        redirect to another site is moved. Other statuses (a 403 from a bot wall, a 500) count as alive:
        the site answers, and a dead mark must be earned. Raises `LinkRefused` for a non-public address.
        """
        current = url
        redirected = False
        for _hop in range(MAX_LINK_REDIRECTS + 1):
            refusal = await self.public_rule.check_url_async(current)
            if refusal is not None:
                raise LinkRefused(f"refused: {current[:300]}: {refusal}")
            try:
                async with self._semaphore, self._http.stream(
                        "GET", current, headers={"Accept": "text/html"}, follow_redirects=False) as response:
                    status = response.status_code
                    location = response.headers.get("location")
            except httpx.HTTPError:
                return "unreachable", None
            if status in REDIRECTS and location:
                current = str(httpx.URL(current).join(location))
                redirected = True
                continue
            if status in (404, 410):
                return "dead", None
            if redirected and httpx.URL(current).host.removeprefix("www.") != httpx.URL(url).host.removeprefix("www."):
                return "moved", current
            return "ok", None
        return "unreachable", None
