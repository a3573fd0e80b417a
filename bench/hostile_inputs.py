"""Hostile text: how long each reader of untrusted text takes on crafted inputs (medians, no assertions).

    .venv/bin/python bench/hostile_inputs.py [--rounds 3] [--timeout 30] [--only NAME]

Each case is a short unit repeated to a given size (the inputs of `tests/hostile.py`) fed to one reader:
feed parsing (with its HTML sniffing), feed discovery, cleaning, plain-text excerpts, the OPML reader, the
search query builder, the palette's fuzzy match. Every round runs in a child process killed after
`--timeout` seconds, so a rule that backtracks without end shows as "> N s" instead of hanging the script.
Set PYTHONPATH to another checkout to measure it (e.g. the code before a fix). Baseline in the same run:
`bytes.count` over the same input, a single linear pass.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.append(str(ROOT))  # after PYTHONPATH, so another checkout can be measured with this script

from hostile import repeated  # noqa: E402

from agentoire_app.ingest.clean import clean_html, html_to_text  # noqa: E402
from agentoire_app.ingest.discover import find_feed_links  # noqa: E402
from agentoire_app.ingest.parse import NotAFeed, parse_feed  # noqa: E402
from agentoire_app.ingest.sources import BadOpml, parse_opml  # noqa: E402
from agentoire_app.services import palette  # noqa: E402
from agentoire_app.services.search import fts5_query, query_terms  # noqa: E402
from agentoire_app.state._format import plain_text  # noqa: E402


def _parse(text: str) -> None:
    with contextlib.suppress(NotAFeed):
        parse_feed(text.encode(), url="https://hostile.example/feed")


def _links(text: str) -> None:
    find_feed_links(text, base_url="https://site.example/")


def _plain(text: str) -> None:
    plain_text(text)


def _clean(text: str) -> None:
    clean_html(text)
    html_to_text(text)


def _opml(text: str) -> None:
    with contextlib.suppress(BadOpml):
        parse_opml(text.encode())


def _query(text: str) -> None:
    fts5_query(query_terms(text))


def _fuzzy(text: str) -> None:
    """The palette's fuzzy tier as `_best` runs it: the query's letters in order in a long name."""
    index = palette._Index(("bench",), [(text, "", text, "", "/tools/x")])
    palette._best(index, "a" * 40 + "b", "tools", 8, fuzzy=True, detail=False)


def _baseline(text: str) -> None:
    text.encode().count(b"<")


CASES: dict[str, tuple[Callable[[str], None], str, int]] = {
    "parse: empty comments (300 B)": (_parse, "<!---->", 300),
    "parse: empty comments (100 KB)": (_parse, "<!---->", 100_000),
    "parse: unclosed comments (100 KB)": (_parse, "<!-- -", 100_000),
    "parse: unclosed tags (100 KB)": (_parse, "<a", 100_000),
    "discover: unclosed attribute quotes (150 KB)": (_links, "<a b='", 150_000),
    "discover: comment openers (200 KB)": (_links, "<!--", 200_000),
    "plain_text: open brackets (200 KB)": (_plain, "<", 200_000),
    "plain_text: comment openers (200 KB)": (_plain, "<!--", 200_000),
    "clean: misnested formatting (200 KB)": (_clean, "<b><p>x</b>", 200_000),
    "opml: nested folders (200 KB)": (_opml, '<outline text="f">', 200_000),
    "search query (200 KB)": (_query, "\"*-(OR NEAR)_' a", 200_000),
    "palette fuzzy: 'a'*40+'b' in 'a'*80": (_fuzzy, "a", 80),
    "baseline: one pass (200 KB)": (_baseline, "<!---->", 200_000),
}


def _run(name: str, out: multiprocessing.Queue) -> None:
    function, unit, size = CASES[name]
    text = repeated(unit, size, tail="") if function is _fuzzy else repeated(unit, size)
    started = time.perf_counter()
    function(text)
    out.put(time.perf_counter() - started)


def measure(name: str, timeout: float) -> float | None:
    """Seconds for one round of `name` in a fresh child process, or None when it ran past `timeout`."""
    context = multiprocessing.get_context("fork")
    out: multiprocessing.Queue = context.Queue()
    child = context.Process(target=_run, args=(name, out), daemon=True)
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.kill()
        child.join()
        return None
    return out.get(timeout=5) if child.exitcode == 0 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds before a round counts as hung")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    args = parser.parse_args()
    print(f"{'case':48} median over {args.rounds} rounds")
    for name in CASES:
        if args.only and args.only not in name:
            continue
        times = []
        for _ in range(args.rounds):
            seconds = measure(name, args.timeout)
            if seconds is None:
                break
            times.append(seconds)
        shown = f"> {args.timeout:g} s (killed)" if len(times) < args.rounds else f"{statistics.median(times) * 1000:.1f} ms"
        print(f"{name:48} {shown}", flush=True)


if __name__ == "__main__":
    main()
