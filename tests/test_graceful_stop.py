"""Stopping a refresh: SIGTERM to `agentoire refresh --once`, or the app's shutdown of its loop.

A stopped refresh stops between sources: every source is either fully stored (its articles and its
status) or untouched, the lease is released at once (not left to expire or to the dead-holder check),
and the command says how many sources were left and exits 75. The tool checks after a refresh obey the
same stop, between tools.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from apifakes import serve_github
from directory_seed import categories, tool
from feedserver import FeedServer, running_server
from sqlmodel import col, select
from stored_sources import lease_released, wait_for_requests, whole_or_untouched

from agentoire_app.db import session_scope, upgrade_schema
from agentoire_app.desk import loop as desk_loop
from agentoire_app.desk import tool_checks
from agentoire_app.ingest import lease
from agentoire_app.ingest.stop import StopRequest
from agentoire_app.models import ToolCheck, ToolFact
from agentoire_app.services.sources import add_source

AGENTOIRE_CLI = [sys.executable, "-m", "agentoire_app.cli"]
FEED_FILE = "rd_full.rss"
SOURCES = 12
FEED_DELAY = 1.0  # seconds each feed takes to answer; two at a time per host, so a full run takes ~6 s
EXIT_STOPPED = 75
STOP_LINE = re.compile(r"^agentoire: refresh stopped early by a signal: (\d+) sources stored, (\d+) left for the next run$")


@pytest.fixture
def server() -> Iterator[FeedServer]:
    yield from running_server()


@pytest.fixture
def slow_sources(server: FeedServer, db_url: str) -> list[str]:
    upgrade_schema(db_url)
    urls = [server.feed(f"/slow/{i}.rss", FEED_FILE, delay=FEED_DELAY) for i in range(SOURCES)]
    with session_scope(db_url) as session:
        for i, url in enumerate(urls):
            add_source(url, session=session, title=f"Slow {i}", added_by="operator")
    return urls


@dataclass
class Signalled:
    returncode: int
    out: str
    err: str
    seconds: float  # from the SIGTERM to the exit


def catches_sigterm(pid: int, within: float = 60.0) -> None:
    """Wait until process `pid` has its SIGTERM handler in place (`SigCgt` in /proc): start-up is over, however
    long imports take on a busy machine."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text()
        caught = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigCgt:")), 16)
        if caught & (1 << (signal.SIGTERM - 1)):
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} set no SIGTERM handler within {within:.0f} s")


def sigterm_cli(args: list[str], env: dict[str, str], when_ready: Callable[[int], object],
                timeout: float) -> Signalled:
    """Run `agentoire ARGS`, send it SIGTERM once `when_ready(its pid)` returns, and wait for it to exit."""
    child = subprocess.Popen([*AGENTOIRE_CLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        when_ready(child.pid)
        child.send_signal(signal.SIGTERM)
        signalled = time.monotonic()
        out, err = child.communicate(timeout=timeout)
        return Signalled(child.returncode, out, err, time.monotonic() - signalled)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_sigterm_stops_the_cli_refresh_between_sources_and_frees_the_lease(
        server: FeedServer, slow_sources: list[str], db_url: str) -> None:
    env = {**os.environ, "AGENTOIRE_DB_URL": db_url}
    # The first sources are under way (two at a time: one host) when the signal comes.
    child = sigterm_cli(["refresh", "--once", "--json"], env, lambda _pid: wait_for_requests(server, 1), timeout=60)
    out, err, seconds = child.out, child.err, child.seconds
    assert child.returncode == EXIT_STOPPED, (child.returncode, err)
    [line] = [x for x in err.splitlines() if x.startswith("agentoire:")]
    match = STOP_LINE.match(line)
    assert match, line
    said_stored, said_left = int(match[1]), int(match[2])
    assert lease_released(db_url), "the stopped refresh left its lease to expire"
    stored, untouched = whole_or_untouched(db_url, FEED_FILE)
    assert (stored, untouched) == (said_stored, said_left)
    assert [f["status"] for f in json.loads(out)["feeds"]] == ["ok"] * stored, "--json reports what was stored"
    assert 1 <= stored < SOURCES, "the signal came while the first sources were under way"
    assert len(server.requests) == stored, "a source was fetched and then dropped"
    print(f"\nSIGTERM → exit {child.returncode} in {seconds:.2f} s; {stored} stored, {untouched} left")

    # The lease is free at once: the next refresh neither waits nor is refused, and stores the rest.
    started = time.monotonic()
    again = subprocess.run([*AGENTOIRE_CLI, "refresh", "--once", "--json"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert whole_or_untouched(db_url, FEED_FILE) == (SOURCES, 0)
    print(f"the next refresh: the other {untouched} sources in {time.monotonic() - started:.2f} s")


def test_sigterm_while_waiting_for_the_lease_exits_at_once_without_refreshing(
        slow_sources: list[str], db_url: str) -> None:
    assert lease.try_acquire(lease.REFRESH_LEASE, "elsewhere:1:held", ttl_seconds=600, db_url=db_url)
    env = {**os.environ, "AGENTOIRE_DB_URL": db_url}
    # Start-up, the handler in place, a first refusal of the lease or two, then the signal.
    child = sigterm_cli(["refresh", "--once", "--wait", "600"], env, lambda pid: (catches_sigterm(pid), time.sleep(1)),
                        timeout=30)
    err = child.err
    assert child.returncode == EXIT_STOPPED, err
    assert "stopped by a signal before it began" in err
    assert whole_or_untouched(db_url, FEED_FILE) == (0, SOURCES)


def test_the_app_loop_stops_between_sources_on_shutdown_and_releases_the_lease(
        server: FeedServer, slow_sources: list[str], db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_REFRESH_SECONDS", "3600")
    monkeypatch.setattr(desk_loop, "FIRST_DELAY_SECONDS", (0.0, 0.0))

    async def shutdown_mid_round() -> float:
        stop = StopRequest()
        task = asyncio.create_task(desk_loop.refresh_loop(stop))
        while not server.requests:
            await asyncio.sleep(0.02)
        seconds = await desk_loop.stop_loop(task, stop)
        assert task.done() and not task.cancelled(), "the round reached a source boundary within the bound"
        return seconds

    seconds = asyncio.run(shutdown_mid_round())
    assert lease_released(db_url)
    stored, untouched = whole_or_untouched(db_url, FEED_FILE)
    assert 1 <= stored < SOURCES
    print(f"\nthe loop stopped {seconds:.2f} s after the stop request; {stored} stored, {untouched} left")


SLOW_TOOLS = 48  # checked 16 at a time: three batches
TOOL_DELAY = 2.0  # seconds each repository takes to answer: a whole round takes ~6 s


def seed_slow_tools(server: FeedServer, db_url: str) -> None:
    upgrade_schema(db_url)
    with session_scope(db_url) as session:
        categories(session)
        for i in range(SLOW_TOOLS):
            serve_github(server, f"acme/t{i}")
            server.routes[f"/gh/repos/acme/t{i}"].delay = TOOL_DELAY
            tool(session, f"T{i}", repository=f"https://github.com/acme/t{i}", homepage=f"https://github.com/acme/t{i}")


def tools_whole_or_untouched(server: FeedServer, db_url: str) -> int:
    """How many tools were checked, asserting each asked tool has its check and its snapshot stored."""
    with session_scope(db_url) as session:
        checked = session.exec(select(ToolCheck).where(col(ToolCheck.last_checked_at).is_not(None))).all()
        facts = session.exec(select(ToolFact)).all()
    asked = {r.path for r in server.requests if not r.path.endswith("/releases/latest")}
    assert len(checked) == len(facts) == len(asked), "a tool was asked and then dropped, or stored in part"
    return len(checked)


def test_sigterm_stops_the_cli_tool_checks_between_tools(server: FeedServer, db_url: str) -> None:
    seed_slow_tools(server, db_url)
    env = {**os.environ, "AGENTOIRE_DB_URL": db_url, "AGENTOIRE_GITHUB_API_URL": server.url("/gh"),
           "GITHUB_TOKEN": "loopback"}
    child = sigterm_cli(["tools", "check", "--once", "--json"], env, lambda _pid: wait_for_requests(server, 1),
                        timeout=60)
    out, err = child.out, child.err
    assert child.returncode == EXIT_STOPPED, (child.returncode, err)
    report = json.loads(out)
    stored = tools_whole_or_untouched(server, db_url)
    assert report["stopped"] and (report["checked"], report["left"]) == (stored, SLOW_TOOLS - stored)
    assert 1 <= stored < SLOW_TOOLS
    assert f"{SLOW_TOOLS - stored} left for the next run" in err
    assert lease_released(db_url)


def test_the_app_loop_stops_its_tool_checks_between_tools_on_shutdown(
        server: FeedServer, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    within = 5.0  # less than a whole round of checks: only a stop between tools ends the loop in time
    monkeypatch.setenv("AGENTOIRE_REFRESH_SECONDS", "3600")
    monkeypatch.setenv("AGENTOIRE_GITHUB_API_URL", server.url("/gh"))
    monkeypatch.setenv("GITHUB_TOKEN", "loopback")
    monkeypatch.setattr(tool_checks, "_process_budget", None)  # this process's budget, with the token's quota
    monkeypatch.setattr(desk_loop, "FIRST_DELAY_SECONDS", (0.0, 0.0))
    seed_slow_tools(server, db_url)

    async def shutdown_mid_checks() -> float:
        stop = StopRequest()
        task = asyncio.create_task(desk_loop.refresh_loop(stop))
        while not server.requests:  # no sources: the news round is done, the checks have begun
            await asyncio.sleep(0.02)
        seconds = await desk_loop.stop_loop(task, stop, within=within)
        assert task.done() and not task.cancelled(), "the checks reached a tool boundary within the bound"
        return seconds

    seconds = asyncio.run(shutdown_mid_checks())
    assert lease_released(db_url)
    stored = tools_whole_or_untouched(server, db_url)
    assert 1 <= stored < SLOW_TOOLS
    print(f"\nthe checks stopped {seconds:.2f} s after the stop request; {stored} stored, "
          f"{SLOW_TOOLS - stored} left due")


def test_a_round_of_tool_checks_in_the_loop_ends_between_tools_when_its_share_is_spent(
        server: FeedServer, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks get part of the loop's period, not the lease for as long as a whole catalog takes: the
    news of the next round are never starved by slow hosts. What is left stays due for the next round."""
    monkeypatch.setenv("AGENTOIRE_DB_URL", db_url)
    monkeypatch.setenv("AGENTOIRE_GITHUB_API_URL", server.url("/gh"))
    monkeypatch.setenv("GITHUB_TOKEN", "loopback")
    monkeypatch.setattr(tool_checks, "_process_budget", None)
    seed_slow_tools(server, db_url)

    async def one_round() -> None:
        await tool_checks.check_tools_in_loop(StopRequest(), within=TOOL_DELAY / 2)

    asyncio.run(one_round())  # a round of every tool takes three delays; this one ends after the first batch
    stored = tools_whole_or_untouched(server, db_url)
    assert 1 <= stored < SLOW_TOOLS
    assert lease_released(db_url)
    with session_scope(db_url) as session:
        due = session.exec(select(ToolCheck).where(col(ToolCheck.last_checked_at).is_(None))).all()
    assert len(due) == SLOW_TOOLS - stored


def test_a_loop_waiting_for_its_next_round_ends_on_the_stop_request_without_being_cancelled(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTOIRE_REFRESH_SECONDS", "3600")
    monkeypatch.setattr(desk_loop, "FIRST_DELAY_SECONDS", (3600.0, 3600.0))

    async def stop_idle_loop() -> bool:
        stop = StopRequest()
        task = asyncio.create_task(desk_loop.refresh_loop(stop))
        await asyncio.sleep(0.05)
        await desk_loop.stop_loop(task, stop)
        return task.done() and not task.cancelled()

    assert asyncio.run(stop_idle_loop())
