"""The UI's figures, in Debian's Chromium, against `agentoire serve` (as `make run` starts it).

Usage: .venv/bin/python bench/ui.py [--scale 1] [--tools N] [--articles N] [--keystrokes 200] [--loads 10]

1. Seeds a fresh SQLite database with N tools and M articles (plus the shipped catalog, which `serve`
   loads itself) and starts `agentoire serve` on a free port.
2. First paint, in one run, each the median of `--loads` cold loads (a fresh browser context each), timed
   in the page from the navigation's start (`performance.now()`, marked by a MutationObserver installed
   before any of the page's scripts) to: the first contentful paint; the status bar (home) in the DOM; the
   article's headline (the served first view's or the complete article's) and the complete article (its
   state in); the counts shown (`N tools`, not `… tools`), also with `/api/status` refused so they come
   over the socket only (as before the page asked for them first); the bar saying `live`. Next to:
   - the same page saved as one static HTML file (styles inlined, scripts removed) served by
     `python -m http.server` on this machine;
   - a bare Reflex app (the framework's floor), built with this venv's Reflex in a temporary directory and
     started as ours is (`reflex run --env prod --single-port`): `/`, a prerendered page of text only, and
     `/p/[slug]`, a dynamic route whose heading comes from its state's `on_load` over the websocket (what
     our article page needs at least). `--no-bare` skips it (its build takes about a minute).
3. Palette: `--keystrokes` keystrokes typed into the ⌘K box, each timed in the page from the input event
   to the result list showing that query's results (the page marks `data-query` when it renders);
   p50 and p95. Typed twice, against the same database on the same port: with search by meaning off
   (`AGENTOIRE_SEMANTIC=0`), then on (the default), once the server widens; how many keystrokes showed a
   related row, and the server's RSS (its process group) after each. Before the server starts, in a fresh
   process: the model's import and load time and RSS, and what an article index costs made from scratch
   (embedding every article) against read back from the database.
4. Ratios: home and article to their static files, and to the bare Reflex pages (goal: article ≤ 3× static).

`--semantic on|off|both` (default both) picks the palette runs. Results are printed and written to
bench/results/ui.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(REPO / "tests"))  # the browser harness imports its siblings (offline.py) by name

from _common import free_port, median, percentile, report, wait_for_url  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, AppServer  # noqa: E402

WORDS = ("agent", "vector", "model", "open", "code", "search", "voice", "image", "graph", "prompt", "eval",
         "guard", "browser", "data", "fine", "serve", "chat", "memory", "tool", "stream")


def seed(db_url: str, tools: int, articles: int) -> str:
    """Bulk-insert synthetic tools and articles; returns the slug of an article to load."""
    import sqlalchemy as sa

    from agentoire_app.catalog.taxonomy import TOOL_CATEGORIES
    from agentoire_app.db import get_engine, upgrade_schema
    from agentoire_app.models import Article, Category, Source, Tool

    upgrade_schema(db_url)
    engine = get_engine(db_url)
    now = datetime.now(UTC).replace(microsecond=0)
    with engine.begin() as conn:
        existing = {row[0] for row in conn.execute(sa.select(Category.slug))}
        missing = [{"slug": c.slug, "name": c.name, "description": c.description, "position": i}
                   for i, c in enumerate(TOOL_CATEGORIES) if c.slug not in existing]
        if missing:
            conn.execute(sa.insert(Category), missing)
        source_id = conn.execute(sa.insert(Source).values(url="https://bench.example/feed.xml", title="Bench Wire",
                                                          site_url="https://bench.example", last_status="ok",
                                                          next_fetch_at=now + timedelta(days=30),
                                                          added_at=now, last_error="")).inserted_primary_key[0]
        cats = [c.slug for c in TOOL_CATEGORIES]
        batch: list[dict[str, object]] = []
        for i in range(tools):
            a, b = WORDS[i % len(WORDS)], WORDS[(i * 7 + 3) % len(WORDS)]
            name = f"{a.title()}{b} {i}"
            batch.append({"slug": f"bench-tool-{i}", "name": name, "tagline": f"{a} and {b} for builders, number {i}",
                          "description": f"A synthetic {a} tool that does {b}.", "homepage": f"https://t{i}.bench.example/",
                          "repository": "", "domain": f"t{i}.bench.example", "category": cats[i % len(cats)],
                          "tags": [a, b], "pricing": "free", "open_source": bool(i % 2), "license": "",
                          "source": "agentoire", "added_at": now - timedelta(minutes=i), "updated_at": now})
            if len(batch) == 2000:
                conn.execute(sa.insert(Tool), batch)
                batch = []
        if batch:
            conn.execute(sa.insert(Tool), batch)
        batch = []
        for i in range(articles):
            a, b = WORDS[(i * 3) % len(WORDS)], WORDS[(i * 11 + 5) % len(WORDS)]
            batch.append({"slug": f"bench-story-{i}", "source_id": source_id, "guid": f"g{i}",
                          "url": f"https://bench.example/{i}", "title": f"{a.title()} news: the {b} story number {i}",
                          "summary": f"What happened with {a} and {b} today, story {i}.",
                          "content_html": f"<p>{a} {b} paragraph one of story {i}.</p><p>Paragraph two.</p>" * 3,
                          "notes_html": "", "category": "product", "content_hash": "",
                          "published_at": now - timedelta(minutes=i), "fetched_at": now})
            if len(batch) == 5000:
                conn.execute(sa.insert(Article), batch)
                batch = []
        if batch:
            conn.execute(sa.insert(Article), batch)
    return "bench-story-1234"


def static_copy(page, out: Path) -> None:  # type: ignore[no-untyped-def]
    """The rendered page as one static file: stylesheets inlined, scripts dropped."""
    html = page.content()
    css = page.evaluate("""async () => { let out = '';
        for (const l of document.querySelectorAll('link[rel=stylesheet]')) {
          try { out += await (await fetch(l.href)).text(); } catch (e) {} }
        return out; }""")
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.S)
    html = re.sub(r"<link[^>]+(modulepreload|stylesheet|preload)[^>]*>", "", html)
    html = html.replace("</head>", f"<style>{css}</style></head>", 1)
    out.write_text(html, encoding="utf-8")


# Installed before the page's own scripts: when each thing first appears, in ms since the navigation began
# (the same clock on our pages, their static copies and the bare Reflex app).
MARKS_JS = """
window.__agMarks = {};
(() => {
  const marks = window.__agMarks;
  const seen = (name, test) => { if (marks[name] === undefined && test()) marks[name] = performance.now(); };
  const text = (id) => document.querySelector(`[data-testid=${id}]`)?.textContent ?? null;
  const look = () => {
    seen('content', () => !!document.querySelector('[data-testid=status-bar], [data-testid=article-title]'));
    // what the reader first sees of an article: the served first view's headline or the complete article's
    seen('title', () => !!document.querySelector('[data-testid=article-title], h1.ag-article-title'));
    seen('complete', () => !!text('article-title'));
    seen('counts', () => /^[0-9]+ tools$/.test(text('status-tools') ?? ''));
    seen('live', () => text('status-connection') === 'live');
  };
  new MutationObserver(look).observe(document, {subtree: true, childList: true, characterData: true});
  document.addEventListener('DOMContentLoaded', look);
})();
"""
FCP_JS = "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"


def timed_loads(browser, url: str, marks: tuple[str, ...], n: int,  # type: ignore[no-untyped-def]
                without_first_counts: bool = False) -> dict[str, list[float]]:
    """Per mark (and `fcp`), the times of `n` cold loads until every mark in `marks` was seen.

    `without_first_counts`: `/api/status` refused, so the counts come over the socket only (as before the
    page asked for them first), for the comparison in the same run."""
    times: dict[str, list[float]] = {name: [] for name in ("fcp", *marks)}
    done = " && ".join(f"window.__agMarks.{m} !== undefined" for m in marks)
    for _ in range(n):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        if without_first_counts:
            context.route("**/api/status*", lambda route: route.abort())
        page = context.new_page()
        page.add_init_script(MARKS_JS)
        page.goto(url, wait_until="commit")
        page.wait_for_function(done, timeout=60000, polling="raf")
        page.wait_for_function(f"({FCP_JS}) !== null", timeout=60000, polling="raf")
        seen = page.evaluate("window.__agMarks")
        times["fcp"].append(page.evaluate(FCP_JS))
        for m in marks:
            times[m].append(seen[m])
        context.close()
    return times


BARE_APP = '''"""A bare Reflex app: the framework's own floor for a page of text and for a page its state fills."""

import reflex as rx


class PageState(rx.State):
    heading: str = ""

    @rx.event
    def load(self) -> None:
        self.heading = "A story: " + str(self.router.page.params.get("slug", ""))


def index() -> rx.Component:
    return rx.el.main(rx.el.h1("A bare Reflex page", data_testid="article-title"), rx.el.p("Only text."))


def story() -> rx.Component:
    return rx.el.main(rx.cond(PageState.heading != "", rx.el.h1(PageState.heading, data_testid="article-title")))


app = rx.App()
app.add_page(index, route="/")
app.add_page(story, route="/p/[slug]", on_load=PageState.load)
'''
BARE_CONFIG = """import reflex as rx

config = rx.Config(app_name="bare", telemetry_enabled=False, show_built_with_reflex=False)
"""


def start_bare_reflex(work: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The bare app built and served as `agentoire serve` serves ours; (process, base URL)."""
    root = work / "bare"
    (root / "bare").mkdir(parents=True)
    (root / "rxconfig.py").write_text(BARE_CONFIG, encoding="utf-8")
    (root / "bare" / "__init__.py").write_text("", encoding="utf-8")
    (root / "bare" / "bare.py").write_text(BARE_APP, encoding="utf-8")
    port = free_port()
    venv_bin = Path(sys.executable).parent
    env = dict(os.environ, REFLEX_USE_NPM="1", PATH=str(venv_bin) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("REDIS_URL", None)
    process = subprocess.Popen([str(venv_bin / "reflex"), "run", "--env", "prod", "--single-port",
                                "--frontend-port", str(port), "--backend-port", str(port)],
                               cwd=root, env=env, stdout=(work / "bare.log").open("wb"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    wait_for_url(base + "/", timeout=300, must_contain="A bare Reflex page")
    return process, base


def stop_group(process: subprocess.Popen[bytes]) -> None:
    import signal

    try:
        os.killpg(os.getpgid(process.pid), signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        process.kill()


PALETTE_JS = """async (queries) => {
  const input = document.querySelector('[data-testid=palette-input]');
  // The list is keyed by the query it answers: React puts a new element in for each answer, so it is
  // looked up afresh, and the whole dialog is watched.
  const list = () => document.getElementById('ag-palette-list');
  const shown = () => list()?.dataset.query;
  const dialog = document.querySelector('[data-testid=palette]');
  const times = [];
  let widened = 0;
  for (const q of queries) {
    const t0 = performance.now();
    // The native setter, so React's onChange sees the new value (as it does for real keystrokes).
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, q);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    // (The answer arrives over the socket, never synchronously. A keystroke that leaves the trimmed query
    // as it was, a space, is answered already: the list shows that query's results.)
    if (shown() !== q.trim()) {
      await new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (shown() === q.trim()) { observer.disconnect(); resolve(); }
        });
        observer.observe(dialog, { attributes: true, attributeFilter: ['data-query'], childList: true, subtree: true });
        // An answer that never comes must not hang the run: it counts as a 5 s keystroke.
        setTimeout(() => { observer.disconnect(); resolve(); }, 5000);
      });
    }
    await new Promise((r) => requestAnimationFrame(() => r()));  // until the frame that shows them
    times.push(performance.now() - t0);
    if (list()?.querySelector('[data-testid=related-label]')) widened += 1;
  }
  return { times, widened };
}"""

# A query the bench's titles answer only by meaning: the palette shows a related row once the server widens.
WIDENING_PROBE = "agents imagery"

MEANING_COSTS = """
import json, os, sys, time
def rss():
    return int(next(l for l in open('/proc/self/status') if l.startswith('VmRSS')).split()[1]) / 1024
before = rss()
t0 = time.perf_counter()
from agentoire_app.meaning.model import load_embedder
t1 = time.perf_counter()
embedder = load_embedder()
t2 = time.perf_counter()
loaded = rss()
from sqlmodel import Session
from agentoire_app.db import get_engine
from agentoire_app.meaning.articles import embed_missing_articles, stored_article_index
from agentoire_app.meaning.indexes import build_index
with Session(get_engine(sys.argv[1])) as session:
    t3 = time.perf_counter()
    embedded = embed_missing_articles(embedder, session=session)
    t4 = time.perf_counter()
    index = stored_article_index(session=session)
    t5 = time.perf_counter()
    tools = build_index("tools", embedder, session=session)
    t6 = time.perf_counter()
    with_indexes = rss()
    # The server's share of a keystroke, on and off in turn for each query (the switch is read per call).
    from agentoire_app.meaning.indexes import build_indexes
    from agentoire_app.services.palette import palette_search
    build_indexes(session=session)
    server = {"on": [], "off": []}
    widened = 0
    for query in json.loads(sys.argv[2]) * 2:
        for mode in ("off", "on"):
            os.environ["AGENTOIRE_SEMANTIC"] = "1" if mode == "on" else "0"
            started = time.perf_counter()
            hits = palette_search(query, session=session)
            server[mode].append((time.perf_counter() - started) * 1000)
            widened += mode == "on" and any(h.related for h in hits)
print(json.dumps({"server_ms": server, "server_widened": widened // 2,"import_s": t1 - t0, "load_s": t2 - t1, "rss_before_mb": before, "rss_loaded_mb": loaded,
                  "rss_with_indexes_mb": with_indexes, "articles_embedded": embedded, "embed_articles_s": t4 - t3,
                  "read_article_vectors_s": t5 - t4, "article_vectors": len(index), "tool_vectors": len(tools),
                  "embed_tools_s": t6 - t5}))
"""


def meaning_costs(db_url: str, queries: list[str]) -> dict[str, Any]:
    """The model and the indexes, each measured in a fresh process: the first embeds every article (what
    the first worker on a new database pays, once), the second finds them stored and reads them back (what
    every worker pays at start); its RSS is the worker's."""
    def fresh(queries: list[str]) -> dict[str, Any]:
        done = subprocess.run([sys.executable, "-c", MEANING_COSTS, db_url, json.dumps(queries)], cwd=REPO,
                              capture_output=True,
                              text=True, env=dict(os.environ, AGENTOIRE_SEMANTIC="1", PYTHONPATH=str(REPO)),
                              check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    first, second = fresh([]), fresh(queries)
    return {**second, "articles_embedded": first["articles_embedded"], "embed_articles_s": first["embed_articles_s"]}


def group_rss_mb(pid: int) -> tuple[float, float, int]:
    """(sum, largest, count) of the resident memory of the processes in `pid`'s process group, in MB."""
    pgid = os.getpgid(pid)
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue
        rss = next((line for line in status.splitlines() if line.startswith("VmRSS")), None)
        if rss:
            sizes.append(int(rss.split()[1]) / 1024)
    return sum(sizes), max(sizes, default=0.0), len(sizes)


def keystroke_queries(n: int) -> list[str]:
    """What the box holds after each of `n` keystrokes: words typed letter by letter, then cleared."""
    queries: list[str] = []
    i = 0
    while len(queries) < n:
        word = WORDS[i % len(WORDS)] + (" " + WORDS[(i + 5) % len(WORDS)] if i % 3 == 0 else "")
        queries += [word[: k + 1] for k in range(len(word))]
        i += 1
    return queries[:n]


def palette_keystrokes(base: str, args: argparse.Namespace, sync_playwright, *, widen: bool) -> dict:  # type: ignore[no-untyped-def]
    """Keystrokes typed into the palette; with `widen`, first wait until the server widens by meaning."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/")
        page.wait_for_function("document.querySelector('[data-testid=status-connection]')?.textContent === 'live'")
        page.keyboard.press("Control+k")
        page.get_by_test_id("palette").wait_for()
        waited = 0.0
        if widen:
            t0 = time.monotonic()
            while not page.evaluate(PALETTE_JS, [WIDENING_PROBE[:-1], WIDENING_PROBE])["widened"]:
                if time.monotonic() - t0 > 300:
                    raise TimeoutError("the server never widened a palette search by meaning")
                time.sleep(1)
            waited = time.monotonic() - t0
        page.evaluate(PALETTE_JS, keystroke_queries(10))  # warm-up
        typed = page.evaluate(PALETTE_JS, keystroke_queries(args.keystrokes))
        browser.close()
    return {"times": typed["times"], "widened": typed["widened"], "waited_for_widening_s": waited}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tools", type=int, default=None, help="default 10,000 × scale")
    parser.add_argument("--articles", type=int, default=None, help="default 50,000 × scale")
    parser.add_argument("--scale", type=int, default=1, help="multiply the default sizes (10: how cost grows)")
    parser.add_argument("--keystrokes", type=int, default=200, help="0 skips the palette")
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--no-bare", action="store_true", help="skip the bare Reflex app")
    parser.add_argument("--semantic", choices=("both", "on", "off"), default="both",
                        help="palette runs with search by meaning off, on, or both (off first)")
    args = parser.parse_args()
    args.tools = args.tools if args.tools is not None else 10_000 * args.scale
    args.articles = args.articles if args.articles is not None else 50_000 * args.scale

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="agentoire-bench-ui-"))
    db_url = f"sqlite:///{work / 'bench.db'}"
    t0 = time.monotonic()
    slug = seed(db_url, args.tools, args.articles)
    print(f"seeded {args.tools} tools and {args.articles} articles in {time.monotonic() - t0:.1f} s", flush=True)
    costs = meaning_costs(db_url, keystroke_queries(args.keystrokes)) if args.semantic != "off" and args.keystrokes else {}
    if costs:
        print("meaning: " + json.dumps({k: v for k, v in costs.items() if k != "server_ms"}), flush=True)

    venv_bin = Path(sys.executable).parent
    # PYTHONPATH: the served app is this work tree's, whichever checkout the venv's `agentoire` came from.
    env = dict(os.environ, AGENTOIRE_DB_URL=db_url, AGENTOIRE_REFRESH_SECONDS="0", PYTHONPATH=str(REPO),
               PATH=str(venv_bin) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("REDIS_URL", None)
    port = free_port()  # one port for every start: the built frontend carries it
    modes = {"both": ("off", "on"), "on": ("on",), "off": ("off",)}[args.semantic]
    server = AppServer(db_url=db_url, port=port, log_path=work / "serve.log",
                       env=dict(env, AGENTOIRE_SEMANTIC="1" if modes[0] == "on" else "0"))

    import fcntl
    import hashlib

    lock_path = Path(tempfile.gettempdir()) / ("agentoire-web-" + hashlib.sha1(str(REPO).encode()).hexdigest()[:12] + ".lock")
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one Reflex build in this work tree at a time (see tests/browser)
        server.start()
        static_dir = work / "static"
        static_dir.mkdir()
        static_port = free_port()
        static = subprocess.Popen([sys.executable, "-m", "http.server", str(static_port), "--bind", "127.0.0.1"],
                                  cwd=static_dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bare = None
        try:
            bare, bare_base = (None, None) if args.no_bare else start_bare_reflex(work)
            results = run(server.base_url, f"http://127.0.0.1:{static_port}", static_dir, slug, args,
                          sync_playwright, bare_base)
            palette: dict[str, dict] = {}
            for i, mode in enumerate(modes if args.keystrokes else ()):  # `--keystrokes 0`: the page loads only
                if i:
                    server.stop()
                    server.env = dict(env, AGENTOIRE_SEMANTIC="1" if mode == "on" else "0")
                    server.start()
                typed = palette_keystrokes(server.base_url, args, sync_playwright, widen=mode == "on")
                assert server.process is not None
                total, largest, count = group_rss_mb(server.process.pid)
                palette[mode] = {**typed, "rss_total_mb": total, "rss_largest_mb": largest, "processes": count}
        finally:
            static.terminate()
            server.stop()
            if bare is not None:
                stop_group(bare)
    results.update(palette_results(palette, costs))
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ui.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def run(base: str, static_base: str, static_dir: Path, slug: str, args: argparse.Namespace, sync_playwright,  # type: ignore[no-untyped-def]
        bare_base: str | None):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Warm the server once (first request compiles nothing, but fills OS caches), then save the statics.
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for path, name in (("/", "home.html"), (f"/news/{slug}", "article.html")):
            page.goto(base + path)
            page.wait_for_function("document.querySelector('[data-testid=status-connection]')?.textContent === 'live'")
            page.wait_for_function("!document.querySelector('[data-testid=status-tools]').textContent.startsWith('…')")
            if name == "article.html":
                page.get_by_test_id("article-title").wait_for()
            static_copy(page, static_dir / name)
        wait_for_url(f"{static_base}/home.html", timeout=10)

        print("pages saved as static files; timing cold loads", flush=True)
        n = args.loads
        app_marks = ("content", "counts", "live")
        loads = {
            "home": timed_loads(browser, base + "/", app_marks, n),
            "home_static": timed_loads(browser, f"{static_base}/home.html", ("content",), n),
            "home_socket_counts": timed_loads(browser, base + "/", app_marks, n, without_first_counts=True),
            "article": timed_loads(browser, f"{base}/news/{slug}", ("title", "complete", *app_marks), n),
            "article_static": timed_loads(browser, f"{static_base}/article.html", ("title", "complete"), n),
        }
        if bare_base:
            timed_loads(browser, bare_base + "/p/warm", ("title",), 1)
            loads["bare_text"] = timed_loads(browser, bare_base + "/", ("title",), n)
            loads["bare_state"] = timed_loads(browser, bare_base + "/p/a-story", ("title",), n)

        print("cold loads done", flush=True)
        browser.close()

    med = {f"{page_name}_{mark}_ms_median": median(values)
           for page_name, marks in loads.items() for mark, values in marks.items()}
    results: dict[str, object] = {
        "tools": args.tools, "articles": args.articles, "loads": n, **med,
        "uptime": os.getloadavg(),
    }

    def m(page_name: str, mark: str) -> float:
        return med[f"{page_name}_{mark}_ms_median"]

    article_ratio = m("article", "title") / max(m("article_static", "title"), 0.001)
    results["article_ratio"] = article_ratio
    results["article_complete_ratio"] = m("article", "complete") / max(m("article_static", "complete"), 0.001)
    rows = [
        (f"figure (median of {n} cold loads, ms since navigation start)", "value", "baseline / goal"),
        ("home: first contentful paint", f"{m('home', 'fcp'):.0f} ms", f"static {m('home_static', 'fcp'):.0f} ms"),
        ("home: status bar in the page", f"{m('home', 'content'):.0f} ms",
         f"static {m('home_static', 'content'):.0f} ms; goal < 1000 ms"),
        ("home: counts shown", f"{m('home', 'counts'):.0f} ms", f"live at {m('home', 'live'):.0f} ms"),
        ("home: counts shown, over the socket only", f"{m('home_socket_counts', 'counts'):.0f} ms",
         f"live at {m('home_socket_counts', 'live'):.0f} ms (/api/status refused)"),
        ("article: first contentful paint", f"{m('article', 'fcp'):.0f} ms",
         f"static {m('article_static', 'fcp'):.0f} ms"),
        ("article: headline shown (first view)", f"{m('article', 'title'):.0f} ms",
         f"static {m('article_static', 'title'):.0f} ms"),
        ("article: complete (state in)", f"{m('article', 'complete'):.0f} ms",
         f"static {m('article_static', 'complete'):.0f} ms"),
        ("article: counts shown", f"{m('article', 'counts'):.0f} ms", f"live at {m('article', 'live'):.0f} ms"),
        ("article: ratio to static (headline)", f"{article_ratio:.2f}×", "goal ≤ 3×"),
        ("article: ratio to static (complete)", f"{results['article_complete_ratio']:.2f}×", ""),
    ]
    if bare_base:
        results["article_ratio_to_bare_state"] = m("article", "complete") / max(m("bare_state", "title"), 0.001)
        rows += [
            ("bare Reflex, text page: heading", f"{m('bare_text', 'title'):.0f} ms",
             f"fcp {m('bare_text', 'fcp'):.0f} ms"),
            ("bare Reflex, page its state fills: heading", f"{m('bare_state', 'title'):.0f} ms",
             f"fcp {m('bare_state', 'fcp'):.0f} ms"),
            ("article complete / bare state-filled page", f"{results['article_ratio_to_bare_state']:.2f}×", ""),
        ]
    rows += [
        ("load average (1, 5, 15 min)", " ".join(f"{v:.2f}" for v in os.getloadavg()), ""),
    ]
    report(rows)
    return results


def palette_results(palette: dict[str, dict], costs: dict[str, Any]) -> dict[str, object]:
    """The palette's figures per mode (and the model's costs), printed and returned for ui.json."""
    results: dict[str, object] = {"meaning": costs}
    rows: list[tuple[str, str, str]] = [("figure", "value", "baseline / goal")]
    if costs:
        server = costs["server_ms"]
        rows += [(f"palette_search in-process, meaning {mode}: p50 / p95 ({len(server[mode])} keys, interleaved)",
                  f"{percentile(server[mode], 50):.2f} / {percentile(server[mode], 95):.2f} ms", "")
                 for mode in ("off", "on")]
        rows.append(("  of which widened with a related row", str(costs["server_widened"]), ""))
    for mode, run in palette.items():
        times = run["times"]
        results[f"palette_{mode}"] = {"keystroke_ms_p50": percentile(times, 50),
                                      "keystroke_ms_p95": percentile(times, 95), "keystrokes": len(times),
                                      "widened": run["widened"], "rss_total_mb": run["rss_total_mb"],
                                      "rss_largest_mb": run["rss_largest_mb"], "processes": run["processes"]}
        rows += [(f"palette, meaning {mode}: keystroke → results p50 ({len(times)} keys)",
                  f"{percentile(times, 50):.1f} ms", ""),
                 (f"palette, meaning {mode}: p95", f"{percentile(times, 95):.1f} ms", "goal ≤ 30 ms"),
                 (f"palette, meaning {mode}: keystrokes showing a related row", str(run["widened"]), ""),
                 (f"server RSS after, meaning {mode} ({run['processes']} processes)",
                  f"{run['rss_total_mb']:.0f} MB", f"largest process {run['rss_largest_mb']:.0f} MB")]
    if "on" in palette and "off" in palette:
        on, off = palette["on"], palette["off"]
        rows += [("palette p95, on / off", f"{percentile(on['times'], 95) / max(percentile(off['times'], 95), 0.001):.2f}×", ""),
                 ("server RSS, on − off", f"{on['rss_total_mb'] - off['rss_total_mb']:.0f} MB", "goal ≤ 300 MB")]
    if costs:
        rows += [("model: import + load (fresh process)", f"{costs['import_s']:.2f} s + {costs['load_s']:.2f} s",
                  "goal load ≤ 1 s"),
                 ("model: RSS loaded, then with both indexes",
                  f"+{costs['rss_loaded_mb'] - costs['rss_before_mb']:.0f} MB, "
                  f"+{costs['rss_with_indexes_mb'] - costs['rss_before_mb']:.0f} MB", "goal ≤ 300 MB"),
                 (f"article index made: embed {costs['articles_embedded']} articles", f"{costs['embed_articles_s']:.2f} s",
                  f"read back {costs['article_vectors']} vectors {costs['read_article_vectors_s']:.2f} s"),
                 (f"tool index made: embed {costs['tool_vectors']} tools", f"{costs['embed_tools_s']:.2f} s", "")]
    report(rows)
    return results


if __name__ == "__main__":
    raise SystemExit(main())
