"""One round of tool checks: due (tool, source) pairs read within the budget, stored as dated snapshots.

Scheduling lives on `ToolCheck` rows (as a feed's does on its `Source` row): a new tool's checks are due at
once, and the budget paces them (ten thousand imported tools take a few hours, not one burst); a success
is due again a day later, a failure backs off (1 h, 2 h, 4 h … at most a week). GitHub costs two requests per
tool (the repository and its latest release) and each takes a token from `HourlyBudget` first: when the
budget or the API's own rate limit says stop, the rest of the round's GitHub checks stay due for the next
round. A 304 (conditional on the stored ETags) copies the last snapshot with the new date, so "read on"
stays true without spending quota. The clock is injected.

A stop request (`ingest.stop.StopRequest`, the one a refresh obeys: SIGTERM, the app's shutdown) ends a
round between tools: a tool whose check has started (it holds one of the round's slots) is read to the end,
every request of it, and a tool that has not started is left as it was, still due, for the next round. The
readings are stored together in one transaction at the end, so each tool's result is stored whole or not at
all, even if the round is cancelled.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from ..db import session_scope
from ..ingest.stop import StopRequest
from ..models import Tool, ToolCheck, ToolFact, to_stored
from ..settings import CheckApis
from . import readers
from .client import (
    BUDGET_SHARE,
    GITHUB_HOURLY_WITH_TOKEN,
    GITHUB_HOURLY_WITHOUT_TOKEN,
    ApiClient,
    Clock,
    HourlyBudget,
    LinkRefused,
)
from .latest import refresh_latest
from .readers import Target

log = logging.getLogger("agentoire.checks")

RECHECK = timedelta(days=1)
MAX_BACKOFF = timedelta(days=7)
GITHUB_REQUESTS_PER_CHECK = 2


@dataclass
class Reading:
    """What one check learned: `outcome` ok | not_modified | failed | deferred (budget or rate limit)."""

    outcome: str
    facts: dict[str, Any] = field(default_factory=dict)
    etags: dict[str, str] = field(default_factory=dict)
    error: str = ""
    moved_to: str | None = None


@dataclass
class RoundReport:
    checked: int = 0
    not_modified: int = 0
    failed: int = 0
    deferred: int = 0
    skipped: str = ""
    stopped: bool = False  # a stop was requested: the round ended between tools
    left: int = 0  # due checks a stop left unstarted, still due for the next round

    def to_json(self) -> dict[str, Any]:
        return {"checked": self.checked, "not_modified": self.not_modified, "failed": self.failed,
                "deferred": self.deferred, "skipped": self.skipped, "stopped": self.stopped, "left": self.left}


def _etags(raw: str | None) -> dict[str, str]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


class Checker:
    """Reads one target from its API; shares one `ApiClient` and one GitHub budget per round."""

    def __init__(self, client: ApiClient, apis: CheckApis, budget: HourlyBudget, clock: Clock) -> None:
        self.client, self.apis, self.budget, self.clock = client, apis, budget, clock

    async def read(self, target: Target, etags: dict[str, str]) -> Reading:
        kind = target.kind
        if kind in ("github", "pypi", "npm", "huggingface") and self.client.limits.blocked(kind, self.clock()):
            return Reading("deferred", error=f"{kind} rate limit")
        if kind == "github":
            return await self._github(target.ident, etags)
        if kind == "pypi":
            return await self._simple("pypi", f"{self.apis.pypi}/pypi/{target.ident}/json", etags, readers.pypi_facts)
        if kind == "npm":
            reading = await self._simple("npm", f"{self.apis.npm}/{target.ident}", etags, readers.npm_facts)
            if reading.outcome == "ok":
                downloads = await self.client.get_json(
                    "npm", f"{self.apis.npm_downloads}/downloads/point/last-week/{target.ident}")
                reading.facts.update(readers.npm_download_facts(downloads.data))
            return reading
        if kind == "huggingface":
            return await self._simple("huggingface", f"{self.apis.huggingface}/api/{target.ident}", etags,
                                      readers.huggingface_facts)
        try:
            status, moved = await self.client.link_status(target.ident)
        except LinkRefused as refused:
            return Reading("failed", error=str(refused))
        return Reading("ok", facts={"link_status": status}, moved_to=moved)

    async def _simple(self, api: str, url: str, etags: dict[str, str], parse: Any) -> Reading:
        answer = await self.client.get_json(api, url, etag=etags.get("main"))
        if answer.status == 304:
            return Reading("not_modified", etags=etags)
        if answer.status in (404, 410):
            return Reading("ok", facts={"link_status": "dead"})
        if answer.status != 200 or answer.error:
            return Reading("deferred" if self.client.limits.blocked(api, self.clock()) else "failed",
                           error=answer.error or f"HTTP {answer.status}")
        return Reading("ok", facts={**parse(answer.data), "link_status": "ok"},
                       etags={"main": answer.etag} if answer.etag else {})

    async def _github(self, repo: str, etags: dict[str, str]) -> Reading:
        if not self.budget.try_take(GITHUB_REQUESTS_PER_CHECK):
            return Reading("deferred", error="hourly budget spent")
        base = f"{self.apis.github}/repos/{repo}"
        answer = await self.client.get_json("github", base, etag=etags.get("repo"))
        if answer.status in (404, 410):
            return Reading("ok", facts={"link_status": "dead"})
        if answer.status not in (200, 304) or answer.error:
            blocked = self.client.limits.blocked("github", self.clock())
            return Reading("deferred" if blocked else "failed", error=answer.error or f"HTTP {answer.status}")
        release = await self.client.get_json("github", f"{base}/releases/latest", etag=etags.get("release"))
        if answer.status == 304 and release.status in (304, 404):
            return Reading("not_modified", etags=etags)
        new_etags = {k: v for k, v in (("repo", answer.etag), ("release", release.etag)) if v}
        if answer.status == 304:  # the repository is unchanged, but a release appeared: a full read next time
            return Reading("failed", error="partial read", etags={})
        facts = {**readers.github_repo_facts(answer.data), "link_status": "ok"}
        if release.status == 200:
            facts.update(readers.github_release_facts(release.data))
        full_name = readers.github_full_name(answer.data)
        moved = None
        if full_name and full_name.lower() != repo.lower():
            moved = f"https://github.com/{full_name}"
            facts["link_status"] = "moved"
        return Reading("ok", facts=facts, etags=new_etags, moved_to=moved)


def ensure_checks(*, session: Session, now: datetime) -> int:
    """Give every tool a check row per source its links point at, due now (lowest tool id first)."""
    have = {(t, k) for t, k in session.exec(select(ToolCheck.tool_id, ToolCheck.kind)).all()}
    added = 0
    for tool_id, homepage, repository in session.exec(select(Tool.id, Tool.homepage, Tool.repository)).all():
        if tool_id is None:
            continue
        for target in readers.targets_for(homepage, repository):
            if (tool_id, target.kind) in have:
                continue
            session.add(ToolCheck(tool_id=tool_id, kind=target.kind, next_check_at=now))
            added += 1
    session.commit()
    return added


def _due(session: Session, now: datetime, limit: int) -> list[tuple[ToolCheck, Tool]]:
    rows = session.exec(select(ToolCheck, Tool).join(Tool, col(Tool.id) == ToolCheck.tool_id)
                        .where(col(ToolCheck.next_check_at) <= now)
                        .order_by(col(ToolCheck.next_check_at), col(ToolCheck.tool_id)).limit(limit)).all()
    return [(check, tool) for check, tool in rows]


def _store(session: Session, check: ToolCheck, tool: Tool, reading: Reading, now: datetime) -> None:
    if reading.outcome == "failed":
        check.error_count += 1
        check.last_error = reading.error[:500]
        check.next_check_at = now + min(MAX_BACKOFF, timedelta(hours=2 ** min(check.error_count - 1, 8)))
        session.add(check)
        return
    if reading.outcome == "not_modified":
        last = session.exec(select(ToolFact).where(ToolFact.tool_id == check.tool_id, ToolFact.kind == check.kind)
                            .order_by(col(ToolFact.id).desc())).first()
        if last is not None:
            copy = last.model_dump(exclude={"id", "read_at"})
            session.add(ToolFact(**copy, read_at=now))
    else:
        session.add(ToolFact(tool_id=check.tool_id, kind=check.kind, read_at=now, moved_to=reading.moved_to,
                             **reading.facts))
        if reading.moved_to and check.kind == "github" and tool.repository:
            tool.repository = reading.moved_to[:500]  # a renamed repository is followed, its old name kept in the fact
        check.etag = json.dumps(reading.etags)[:500] if reading.etags else None
    check.error_count, check.last_error = 0, ""
    check.last_checked_at = now
    check.next_check_at = now + RECHECK
    tool.checked_at = now
    session.add(check)
    session.add(tool)


async def check_round(*, apis: CheckApis, db_url: str | None = None, clock: Clock, budget: HourlyBudget,
                      client: ApiClient | None = None, limit: int = 2000,
                      progress: Any = None, stop: StopRequest | None = None) -> RoundReport:
    """Check what is due now, within `budget`; `progress(done, total)` is called as checks finish.

    Once `stop` is requested no further tool starts: those under way finish and are stored, the others
    are counted in `report.left` and stay due.
    """
    now = to_stored(clock())
    stop = stop or StopRequest()

    def select_due() -> list[tuple[ToolCheck, Tool]]:
        with session_scope(db_url) as session:
            ensure_checks(session=session, now=now)
            return _due(session, now, limit)

    due = await asyncio.to_thread(select_due)
    own_client = client is None
    client = client or ApiClient(github_token=apis.github_token, clock=clock)
    checker = Checker(client, apis, budget, clock)
    # A tool starts once it has a slot, and asks the stop request then: a tool queued behind the others may
    # wait a long time, and a stop meanwhile must keep it from starting.
    slots = asyncio.Semaphore(client.concurrency)
    report = RoundReport()
    done = 0

    async def one(check: ToolCheck, tool: Tool) -> Reading | None:
        nonlocal done
        target = next((t for t in readers.targets_for(tool.homepage, tool.repository) if t.kind == check.kind), None)
        async with slots:
            if not stop.may_start():
                return None
            try:
                reading = Reading("ok", facts={"link_status": "ok"}) if target is None else \
                    await checker.read(target, _etags(check.etag))
            except Exception as exc:  # one tool's surprise is that tool's failure
                log.exception("checking %s (%s) failed", tool.slug, check.kind)
                reading = Reading("failed", error=f"{type(exc).__name__}: {exc}"[:300])
        done += 1
        if progress is not None:
            progress(done, len(due))
        return reading

    try:
        readings = await asyncio.gather(*(one(check, tool) for check, tool in due))
    finally:
        if own_client:
            await client.aclose()

    def write() -> None:
        with session_scope(db_url) as session:
            touched: dict[int, Tool] = {}
            for (check, tool), reading in zip(due, readings, strict=True):
                # A deferred check, or one a stop kept from starting, stays due as it is: nothing to write.
                if reading is not None and reading.outcome != "deferred":
                    stored = session.merge(tool)
                    _store(session, session.merge(check), stored, reading, to_stored(clock()))
                    touched[stored.id or 0] = stored
            refresh_latest(list(touched.values()), session=session)  # the summary commits with its snapshots
            session.commit()

    await asyncio.to_thread(write)
    report.stopped = stop.requested
    for reading in readings:
        if reading is None:
            report.left += 1
        elif reading.outcome == "ok":
            report.checked += 1
        elif reading.outcome == "not_modified":
            report.not_modified += 1
        elif reading.outcome == "failed":
            report.failed += 1
        else:
            report.deferred += 1
    return report


def github_budget(apis: CheckApis, *, clock: Clock) -> HourlyBudget:
    """Our share of GitHub's hourly quota: 5,000 with a token, 60 without."""
    quota = GITHUB_HOURLY_WITH_TOKEN if apis.github_token else GITHUB_HOURLY_WITHOUT_TOKEN
    return HourlyBudget(int(quota * BUDGET_SHARE), clock=clock)
