"""The UI's figures, in Debian's Chromium, against `agentoire serve` (as `make run` starts it).

Usage: .venv/bin/python bench/ui.py [--scale 1] [--tools N] [--articles N] [--keystrokes 200] [--loads 10]

1. Seeds a fresh SQLite database with N tools and M articles (plus the shipped catalog, which `serve`
   loads itself) and starts `agentoire serve` on a free port.
2. Home page: median of `--loads` cold loads (a fresh browser context each) until the status bar is
   visible, and until it is populated (`live` and the tool count), next to the same page saved as one
   static HTML file (styles inlined, scripts removed) served by `python -m http.server` on this machine.
3. Palette: `--keystrokes` keystrokes typed into the ⌘K box, each timed in the page from the input event
   to the result list showing that query's results (the page marks `data-query` when it renders);
   p50 and p95 (goal p95 ≤ 50 ms).
4. Article page: median of `--loads` cold loads until the title is visible, next to the same article as a
   static file; reported as a ratio (goal ≤ 3×).

Results are printed and written to bench/results/ui.json.
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

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

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


def timed_loads(browser, url: str, selector: str, n: int, extra: str | None = None) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(selector, state="visible", timeout=60000)
        if extra:
            page.wait_for_function(extra, timeout=60000, polling="raf")
        times.append((time.perf_counter() - t0) * 1000)
        context.close()
    return times


PALETTE_JS = """async (queries) => {
  const input = document.querySelector('[data-testid=palette-input]');
  const list = document.getElementById('ag-palette-list');
  const times = [];
  for (const q of queries) {
    const t0 = performance.now();
    // The native setter, so React's onChange sees the new value (as it does for real keystrokes).
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, q);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    // (The answer arrives over the socket, never synchronously. A keystroke that leaves the trimmed query
    // as it was, a space, is answered already: the list shows that query's results.)
    if (list.dataset.query !== q.trim()) {
      await new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          if (list.dataset.query === q.trim()) { observer.disconnect(); resolve(); }
        });
        observer.observe(list, { attributes: true, attributeFilter: ['data-query'], childList: true });
      });
    }
    await new Promise((r) => requestAnimationFrame(() => r()));  // until the frame that shows them
    times.push(performance.now() - t0);
  }
  return times;
}"""


def keystroke_queries(n: int) -> list[str]:
    """What the box holds after each of `n` keystrokes: words typed letter by letter, then cleared."""
    queries: list[str] = []
    i = 0
    while len(queries) < n:
        word = WORDS[i % len(WORDS)] + (" " + WORDS[(i + 5) % len(WORDS)] if i % 3 == 0 else "")
        queries += [word[: k + 1] for k in range(len(word))]
        i += 1
    return queries[:n]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tools", type=int, default=None, help="default 10,000 × scale")
    parser.add_argument("--articles", type=int, default=None, help="default 50,000 × scale")
    parser.add_argument("--scale", type=int, default=1, help="multiply the default sizes (10: how cost grows)")
    parser.add_argument("--keystrokes", type=int, default=200, help="0 skips the palette")
    parser.add_argument("--loads", type=int, default=10)
    args = parser.parse_args()
    args.tools = args.tools if args.tools is not None else 10_000 * args.scale
    args.articles = args.articles if args.articles is not None else 50_000 * args.scale

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="agentoire-bench-ui-"))
    db_url = f"sqlite:///{work / 'bench.db'}"
    t0 = time.monotonic()
    slug = seed(db_url, args.tools, args.articles)
    print(f"seeded {args.tools} tools and {args.articles} articles in {time.monotonic() - t0:.1f} s", flush=True)

    venv_bin = Path(sys.executable).parent
    env = dict(os.environ, AGENTOIRE_DB_URL=db_url, AGENTOIRE_REFRESH_SECONDS="0",
               PATH=str(venv_bin) + os.pathsep + os.environ.get("PATH", ""))
    env.pop("REDIS_URL", None)
    server = AppServer(db_url=db_url, port=free_port(), log_path=work / "serve.log", env=env)

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
        try:
            results = run(server.base_url, f"http://127.0.0.1:{static_port}", static_dir, slug, args,
                          sync_playwright)
        finally:
            static.terminate()
            server.stop()
    out = REPO / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "ui.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def run(base: str, static_base: str, static_dir: Path, slug: str, args: argparse.Namespace, sync_playwright):  # type: ignore[no-untyped-def]
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

        ready = ("document.querySelector('[data-testid=status-connection]')?.textContent === 'live' && "
                 "!document.querySelector('[data-testid=status-tools]').textContent.startsWith('…')")
        home_visible = timed_loads(browser, base + "/", "[data-testid=status-bar]", args.loads)
        home_ready = timed_loads(browser, base + "/", "[data-testid=status-bar]", args.loads, extra=ready)
        home_static = timed_loads(browser, f"{static_base}/home.html", "[data-testid=status-bar]", args.loads)
        article = timed_loads(browser, f"{base}/news/{slug}", "[data-testid=article-title]", args.loads)
        article_static = timed_loads(browser, f"{static_base}/article.html", "[data-testid=article-title]", args.loads)

        keystrokes: list[float] = []
        if args.keystrokes:  # `--keystrokes 0`: the page loads only
            page.goto(base + "/")
            page.wait_for_function("document.querySelector('[data-testid=status-connection]')?.textContent === 'live'")
            page.keyboard.press("Control+k")
            page.get_by_test_id("palette").wait_for()
            page.evaluate(PALETTE_JS, keystroke_queries(10))  # warm-up
            keystrokes = page.evaluate(PALETTE_JS, keystroke_queries(args.keystrokes))
        browser.close()

    results = {
        "tools": args.tools, "articles": args.articles,
        "home_status_bar_visible_ms_median": median(home_visible),
        "home_status_bar_live_with_counts_ms_median": median(home_ready),
        "home_static_status_bar_visible_ms_median": median(home_static),
        "palette_keystroke_ms_p50": percentile(keystrokes, 50),
        "palette_keystroke_ms_p95": percentile(keystrokes, 95),
        "palette_keystrokes": len(keystrokes),
        "article_title_visible_ms_median": median(article),
        "article_static_title_visible_ms_median": median(article_static),
    }
    results["article_ratio"] = results["article_title_visible_ms_median"] / max(
        results["article_static_title_visible_ms_median"], 0.001)
    report([
        ("figure", "value", "baseline / goal"),
        (f"home: status bar visible (median of {args.loads})", f"{median(home_visible):.0f} ms",
         f"static file {median(home_static):.0f} ms; goal < 1000 ms"),
        ("home: status bar live with counts", f"{median(home_ready):.0f} ms", "goal < 1000 ms"),
        (f"palette keystroke → results, p50 ({len(keystrokes)} keys)", f"{results['palette_keystroke_ms_p50']:.1f} ms", ""),
        ("palette keystroke → results, p95", f"{results['palette_keystroke_ms_p95']:.1f} ms", "goal ≤ 50 ms"),
        ("article: title visible (median, cold)", f"{median(article):.0f} ms",
         f"static file {median(article_static):.0f} ms"),
        ("article: ratio to static", f"{results['article_ratio']:.2f}×", "goal ≤ 3×"),
    ])
    return results


if __name__ == "__main__":
    raise SystemExit(main())
