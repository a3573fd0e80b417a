"""Readers on the real websocket protocol: connected, mostly idle, some active; and what a push costs.

Usage: .venv/bin/python bench/load.py [--readers 1000] [--rate 50] [--seconds 300] [--workers 2]
       [--postgres URL] [--redis URL] [--tools 2000] [--articles 10000] [--url http://127.0.0.1:PORT]

It starts the app's backend (`reflex run --env prod --backend-only`, `GRANIAN_WORKERS` workers; Redis for
state when `--redis` is given, which several workers need) on a fresh database filled like
`bench/directory.py`, unless `--url` points at one already running (loopback only). Then:

1. connects `--readers` readers (`load_client.Reader`: Reflex's Engine.IO / Socket.IO protocol, hydrate
   in the CONNECT packet) at about 50 per second, each on a random page;
2. for `--seconds`, sends `--rate` events per second from random readers, as readers do: navigate (the
   page's on_load events), open the palette and type a query; the others idle;
3. measures one push: with every reader idle, a signal is published (Redis) or an article stored (no
   Redis: the worker's revision check), and counts how many readers were pushed within 2 s and how many
   database transactions (PostgreSQL's `pg_stat_database`) the whole fan-out cost.

Reports p50/p95/p99 event round trip (send → first update), errors, connected and dropped readers, RSS per
worker, database transactions/s and Redis commands/s during the active phase, and this client's own CPU
(the client shares the machine's cores with the server: the figure says how much of them it took).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis
import sqlalchemy as sa
from _common import free_port, percentile, report, wait_for_url
from directory import populate
from load_client import ON_LOAD, PALETTE, Reader
from sqlmodel import select

from agentoire_app import pulse
from agentoire_app.db import get_engine, normalize_url, session_scope, upgrade_schema
from agentoire_app.models import Article, Source, utcnow

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/news", "/tools", "/tools?category=agents", "/trends", "/sources"]
QUERIES = ["ag", "agent", "lang", "llama", "code", "vec", "pilot", "flow"]
EVENT_TIMEOUT = 10.0
LATE_WAIT = 30.0  # after a timeout, how long to keep listening for the late answer
NAVIGATE_SHARE = 0.6  # of readers' actions; the rest are palette visits (open, type, close: three events)
EVENTS_PER_ACTION = NAVIGATE_SHARE * 1 + (1 - NAVIGATE_SHARE) * 3
PUSH_WITHIN = 2.0


def server_rss_mb(pid: int) -> list[float]:
    """RSS of each process under `pid` (the workers), in MB, read from /proc."""
    out: list[float] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            status = (entry / "status").read_text()
        except OSError:
            continue
        if int(stat[1]) == pid or int(entry.name) == pid:
            rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
            out.append(rss / 1024)
    return sorted(out)


def db_transactions(url: str) -> int | None:
    if not url.startswith("postgresql"):
        return None
    with get_engine(url).connect() as conn:
        return int(conn.execute(sa.text(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()"
        )).scalar_one())


def redis_commands(url: str | None) -> int | None:
    return int(redis.Redis.from_url(url).info("stats")["total_commands_processed"]) if url else None


class Run:
    def __init__(self, args: argparse.Namespace, base: str) -> None:
        self.args = args
        host_port = base.split("//", 1)[1]
        self.host, port = host_port.rsplit(":", 1)
        self.port = int(port)
        self.readers: list[Reader] = []
        self.rtts: dict[str, list[float]] = {"hydrate": [], "navigate": [], "palette open": [], "palette type": []}
        self.errors: dict[str, int] = {}
        self.timeouts: list[str] = []
        self.started = time.monotonic()

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    async def connect_all(self) -> None:
        async def one() -> None:
            reader = Reader(self.host, self.port)
            try:
                self.rtts["hydrate"].append(await reader.connect(random.choice(PAGES), EVENT_TIMEOUT))
                self.readers.append(reader)
            except (TimeoutError, ConnectionError, OSError) as exc:
                self.error(f"connect: {type(exc).__name__}")
        tasks = []
        for _ in range(self.args.readers):
            tasks.append(asyncio.create_task(one()))
            await asyncio.sleep(1 / self.args.connect_rate)
        await asyncio.gather(*tasks)

    async def act(self, reader: Reader) -> None:
        if random.random() < NAVIGATE_SHARE:
            path = random.choice(PAGES)
            await self.timed(reader, "navigate", ON_LOAD, {}, path)
        elif (await self.timed(reader, "palette open", f"{PALETTE}.toggle_palette", {}, "/")
              and await self.timed(reader, "palette type", f"{PALETTE}.type_query",
                                   {"value": random.choice(QUERIES)}, "/")):
            await self.timed(reader, None, f"{PALETTE}.set_open", {"is_open": False}, "/")

    async def timed(self, reader: Reader, key: str | None, name: str, payload: dict[str, object],
                    path: str) -> bool:
        """One event; its round trip under `key`. A timeout is written down with when it was sent and
        whether (and how late) the answer came after all, so a slow event can be told from a lost one."""
        sent = time.monotonic()
        try:
            seconds = await reader.event(name, payload, path, EVENT_TIMEOUT)
        except TimeoutError:
            self.error("event: TimeoutError")
            late = await reader.late_answer(LATE_WAIT)
            self.timeouts.append(f"{sent - self.started:.1f} s {name.rsplit('.', 1)[-1]} {path} {reader.token}: "
                                 + (f"answered {late:.1f} s after sending" if late is not None
                                    else f"no answer within {EVENT_TIMEOUT + LATE_WAIT:.0f} s"))
            return False
        except (ConnectionError, OSError) as exc:
            self.error(f"event: {type(exc).__name__}")
            return False
        if key is not None:
            self.rtts[key].append(seconds)
        return True

    async def active(self, seconds: float) -> None:
        busy: set[Reader] = set()
        tasks: set[asyncio.Task[None]] = set()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            idle = [r for r in self.readers if r.connected and r not in busy]
            if idle:
                reader = random.choice(idle)
                busy.add(reader)
                task = asyncio.create_task(self.act(reader))
                task.add_done_callback(lambda _t, r=reader: busy.discard(r))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            # `--rate` counts events, and a palette visit sends three: actions come that much less often.
            await asyncio.sleep(random.expovariate(self.args.rate / EVENTS_PER_ACTION))
        await asyncio.gather(*tasks)

    async def push_once(self, db_url: str, redis_url: str | None) -> tuple[int, list[float], int | None]:
        """Readers pushed within 2 s of one signal, their delays, and the database transactions it cost."""
        await asyncio.sleep(5)  # quiet: no event in flight
        # The same window with no signal: what the database does anyway (revision checks, the probe itself).
        before = await asyncio.to_thread(db_transactions, db_url)
        await asyncio.sleep(PUSH_WITHIN + 1.5)
        after = await asyncio.to_thread(db_transactions, db_url)
        noise = None if before is None or after is None else after - before
        for r in self.readers:
            r.pushes.clear()
        before = await asyncio.to_thread(db_transactions, db_url)
        start = time.monotonic()
        if redis_url:
            await asyncio.to_thread(pulse.announce, "news", redis_url=redis_url)
        else:
            await asyncio.to_thread(_store_an_article, db_url)
        await asyncio.sleep(PUSH_WITHIN + 1.5)
        after = await asyncio.to_thread(db_transactions, db_url)
        delays = [r.pushes[0] - start for r in self.readers if r.pushes]
        cost = None if before is None or after is None or noise is None else (
            after - before - noise - (0 if redis_url else 1))
        return sum(1 for d in delays if d <= PUSH_WITHIN), delays, cost


def _store_an_article(db_url: str) -> None:
    """What a refresh run from cron does to the database, without Redis to announce it."""
    with session_scope(db_url) as session:
        source = session.exec(select(Source)).first()
        assert source is not None and source.id is not None, "the seeded database has sources"
        slug = f"load-{uuid.uuid4().hex[:10]}"
        session.add(Article(slug=slug, source_id=source.id, guid=slug, url=f"https://news.example.org/{slug}",
                            title="A story lands", summary="", category="product", published_at=utcnow()))


def start_server(args: argparse.Namespace, db_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "AGENTOIRE_DB_URL": db_url, "AGENTOIRE_REFRESH_SECONDS": "0",
           "GRANIAN_WORKERS": str(args.workers), "PYTHONPATH": str(ROOT), "REFLEX_USE_NPM": "1"}
    env.pop("REDIS_URL", None)
    env.pop("REFLEX_REDIS_URL", None)
    if args.redis:
        env.update({"REDIS_URL": args.redis, "REFLEX_REDIS_URL": args.redis})
    reflex = str(Path(sys.executable).parent / "reflex")
    proc = subprocess.Popen([reflex, "run", "--env", "prod", "--backend-only", "--backend-host", "127.0.0.1",
                             "--backend-port", str(port)], cwd=ROOT, env=env, stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_for_url(base + "/ping", timeout=300)
    return proc, base


def fresh_database(args: argparse.Namespace, tmp: str) -> tuple[str, sa.Engine | None, str | None]:
    if not args.postgres:
        url = f"sqlite:///{Path(tmp) / 'load.db'}"
        upgrade_schema(url)
        return url, None, None
    base = normalize_url(args.postgres)
    name = f"agentoire_load_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    upgrade_schema(url)
    return url, admin, name


async def scenario(args: argparse.Namespace, base: str, db_url: str, server_pid: int | None) -> list[tuple[str, str, str]]:
    run = Run(args, base)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    await run.connect_all()
    print(f"connected {len(run.readers)} of {args.readers}", flush=True)
    tx0, rc0, t0 = db_transactions(db_url), redis_commands(args.redis), time.monotonic()
    await run.active(args.seconds)
    elapsed = time.monotonic() - t0
    tx1, rc1 = db_transactions(db_url), redis_commands(args.redis)
    rss = server_rss_mb(server_pid) if server_pid else []
    pushed, delays, push_cost = await run.push_once(db_url, args.redis)
    connected = sum(1 for r in run.readers if r.connected)
    dropped = sum(1 for r in run.readers if r.dropped)
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.gather(*(r.close() for r in run.readers))
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    active = [x for key in ("navigate", "palette open", "palette type") for x in run.rtts[key]]
    rows = [("figure", "value", "goal")]
    for key, values in [*run.rtts.items(), ("all active events", active)]:
        ms = [v * 1000 for v in values]
        rows.append((f"{key}: p50 / p95 / p99 ms (n={len(ms)})",
                     f"{percentile(ms, 50):.0f} / {percentile(ms, 95):.0f} / {percentile(ms, 99):.0f}",
                     "p95 <= 250" if key == "all active events" else ""))
    rows += [
        ("active events/s sent (a palette visit is open, type, close)",
         f"{(len(run.rtts['navigate']) + 3 * len(run.rtts['palette open'])) / elapsed:.1f}", f"{args.rate}"),
        ("errors", str(sum(run.errors.values())) + (f" {run.errors}" if run.errors else ""), "0"),
        ("connected at the end / dropped", f"{connected} / {dropped}", f"{args.readers} / 0"),
        ("server RSS per process MB", " ".join(f"{x:.0f}" for x in rss) or "n/a", ""),
        ("database transactions/s (active phase)", "n/a" if tx0 is None or tx1 is None else
         f"{(tx1 - tx0) / elapsed:.1f}", ""),
        ("Redis commands/s (active phase)", "n/a" if rc0 is None or rc1 is None else f"{(rc1 - rc0) / elapsed:.0f}", ""),
        (f"push: readers told within {PUSH_WITHIN:.0f} s", f"{pushed} of {connected}", "all"),
        ("push: delay p50 / p95 / max ms", f"{percentile(delays, 50) * 1000:.0f} / "
         f"{percentile(delays, 95) * 1000:.0f} / {max(delays, default=float('nan')) * 1000:.0f}", "<= 2000"),
        ("push: database transactions for the fan-out (less a quiet window's)", "n/a" if push_cost is None else str(push_cost),
         "O(1): not per reader"),
        ("this client's CPU seconds / wall seconds", f"{cpu:.1f} / {time.monotonic() - t0:.0f}", ""),
    ]
    for line in run.timeouts:
        print(f"timed out: {line}", flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0, help="active events per second, all readers together")
    parser.add_argument("--seconds", type=float, default=300.0, help="length of the active phase")
    parser.add_argument("--connect-rate", type=float, default=50.0, help="new readers per second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL (a throwaway database beside it)")
    parser.add_argument("--redis", default="", help="Redis URL: Reflex state and the push signal")
    parser.add_argument("--tools", type=int, default=2000)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--url", default="", help="an app already running on loopback (its database: --db)")
    parser.add_argument("--db", default="", help="with --url: that app's database URL")
    parser.add_argument("--server-log", default="", help="keep the server's output in this file")
    args = parser.parse_args()
    args.redis = args.redis or None
    if args.url and not args.url.startswith(("http://127.0.0.1:", "http://localhost:")):
        parser.error("--url must be a loopback address")
    if args.workers > 1 and not args.redis and not args.url:
        parser.error("several workers need --redis (Reflex keeps state in Redis to share it)")
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            rows = asyncio.run(scenario(args, args.url, args.db, None))
        else:
            db_url, admin, name = fresh_database(args, tmp)
            t0 = time.monotonic()
            populate(db_url, tools=args.tools, articles=args.articles)
            print(f"seeded {args.tools} tools, {args.articles} articles in {time.monotonic() - t0:.0f} s", flush=True)
            get_engine(db_url).dispose()
            proc, base = start_server(args, db_url, Path(args.server_log or Path(tmp) / "server.log"))
            try:
                rows = asyncio.run(scenario(args, base, db_url, proc.pid))
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:  # a worker that does not stop: the figures still count
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=30)
                get_engine(db_url).dispose()
                if admin is not None:
                    with admin.connect() as conn:
                        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(f"{args.readers} readers, {args.rate:g} events/s for {args.seconds:g} s, {args.workers} worker(s), "
          f"{'PostgreSQL' if args.postgres else 'SQLite'}, {'Redis' if args.redis else 'no Redis'}")
    report(rows)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
