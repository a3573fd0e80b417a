"""The palette's search as the data grows: today's sizes and 10× (100,000 tools, 500,000 articles).

Usage: .venv/bin/python bench/palette.py [--scales 1 10] [--rounds 5] [--work DIR] [--mode all|search|stores]
       [--keystrokes 200] [--store-every 10] [--pace 0.1]

For each scale, a SQLite database filled by `bench/directory.py`'s `populate` (10,000 × scale tools, 50,000 ×
scale articles, no check history; with `--work DIR` it is kept there and reused by the next run), then the same
queries (one, two and three letters, words, words with a space, pieces from inside words, typos, nothing
at all, and names typed letter by letter) through `palette_search` in this process. Each query runs with
`services.palette`'s `_best` and in-process index, and with the ones before `services.name_index` (copied
below as the baseline), one after the other in alternating order, each variant with its own indexes; both
must return the same hits (the mismatches are counted). Reported: p50 / p95 per scale and variant, per
kind of query, and without the stories' full-text summary query (`services.search`, not this index's: it
runs when titles find fewer than six stories); the ratios of 10× to 1×; each variant's index build (the
first search) and the memory its indexes hold (tracemalloc, after the build) and peaked at while
building; the load average.

Search by meaning is off (`AGENTOIRE_SEMANTIC=0`): widening is the same call in both variants, and this
measures the words. The indexes are kept for the whole run (`INDEX_MAX_AGE`): a rebuild is the build
cost, reported apart. So is the look at the three tables' signatures that a keystroke pays at most once a
second: the statements the palette reads now (the highest id; for tools also the count its triggers keep)
and the ones it read before (a count over each table), medians.

`--mode stores`: keystrokes typed at `--pace` seconds apart (names letter by letter, over and over) while
a new article is stored before every `--store-every`-th keystroke, as a news round does, with the real
once-a-second look at the tables. Two ways of keeping the index, the same `_best`: the one before
`concurrency.rebuilt`, copied below (`inline_index`: the keystroke that notices the new article rebuilds the
whole index before it answers), and now (a background thread rebuilds while the previous index answers).
Reported: p50 / p95 / p99 / max of the keystrokes (the store itself is not counted) and how long after
each store its article was in the index the keystrokes read. The stored articles are deleted afterwards.
"""

from __future__ import annotations

import argparse
import gc
import heapq
import itertools
import json
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _common import percentile, report
from directory import populate
from sqlmodel import Session, col

from agentoire_app.concurrency import rebuilt
from agentoire_app.concurrency.rebuilt import Shelf
from agentoire_app.db import get_engine, upgrade_schema
from agentoire_app.models import Article, Category, Tool
from agentoire_app.services import palette
from agentoire_app.services.name_rank import (
    EXACT,
    FUZZY,
    PREFIX,
    SUBSTRING,
    WORD_START,
    letters_in_order,
    starts_a_word,
)
from agentoire_app.services.palette import DETAIL, MAX_QUERY_CHARS, PaletteHit


def typed(*words: str) -> list[str]:
    return [word[:i] for word in words for i in range(1, len(word) + 1)]


# `populate`'s names are two or three syllables ("Langchainmist"), its titles eight words of a fixed list.
QUERIES: dict[str, list[str]] = {
    "1 letter": ["a", "m", "s", "i", "x", "q"],
    "2 letters": ["ag", "mo", "la", "ve", "zq", "xk"],
    "3 letters": ["age", "vec", "lan", "cha", "tor", "qzx"],
    "word": ["agent", "vector", "memory", "retrieval", "langchain", "deepforge", "kubernetes", "pixelzen"],
    "spaced": ["open source", "agent mem", "fine tuning", "model agent", "code review", "gpu q"],
    "inside a word": ["chain", "ector", "ama", "forg", "ipeli", "ubern"],
    "typo": ["agnet", "vecotr", "lnagchain", "promtp", "embeding", "kuberentes"],
    "nothing": ["zzqx", "qwxz", "blockchain", "xylophone", "jjj kkk", "wombat"],
    "typed": typed("langchain", "open source", "vector database"),
}


# The baseline: `services.palette`'s index and `_best` before `services.name_index`, as they were.
@dataclass(slots=True)
class OldIndex:
    """Every row's display fields, lower-cased once; rebuilt when the table's signature changes."""

    rows: list[tuple[str, str, str, str, str, int]]  # (name_lower, detail_lower, title, detail, url, id)
    names: list[str] = field(default_factory=list)
    positions: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.names = [row[0] for row in self.rows]
        self.positions = {row[5]: i for i, row in enumerate(self.rows)}

    def shown(self, ids: list[int]) -> list[tuple[str, str, str]]:
        return [self.rows[p][2:5] for i in ids if (p := self.positions.get(i)) is not None]


def old_best(index: OldIndex, query: str, group: str, limit: int, *, fuzzy: bool, detail: bool) -> list[PaletteHit]:
    query = query.strip()[:MAX_QUERY_CHARS]
    if not query:
        return []
    names = index.names
    candidates = [i for i, name in enumerate(names) if query in name]
    scored = [(EXACT if names[i] == query else PREFIX, i) for i in candidates if names[i].startswith(query)]
    if len(scored) < limit:
        need = limit - len(scored)
        words: list[int] = []
        inside: list[int] = []
        for i in candidates:
            name = names[i]
            if name.startswith(query):
                continue
            if starts_a_word(name, query):
                words.append(i)
                if len(words) >= need:
                    break
            elif len(inside) < need:
                inside.append(i)
        scored += [(WORD_START, i) for i in words] + [(SUBSTRING, i) for i in inside]
    if len(scored) < limit and (fuzzy or detail):
        need = limit - len(scored)
        taken = set(candidates)
        fuzzy_hits: list[int] = []
        detail_hits: list[int] = []
        for i, (name, detail_lower, *_rest) in enumerate(index.rows):
            if i in taken:
                continue
            if fuzzy and letters_in_order(name, query):
                fuzzy_hits.append(i)
                if len(fuzzy_hits) >= need:
                    break
            elif detail and len(detail_hits) < need and query in detail_lower:
                detail_hits.append(i)
        scored += [(FUZZY, i) for i in fuzzy_hits] + [(DETAIL, i) for i in detail_hits]
    return [PaletteHit(group, index.rows[p][2], index.rows[p][3], index.rows[p][4], rank)
            for rank, p in heapq.nsmallest(limit, scored)]


VARIANTS: dict[str, tuple[Any, Callable[..., list[PaletteHit]]]] = {
    "before": (OldIndex, old_best),
    "now": (palette._Index, palette._best),
}
SHELVES: dict[str, Shelf[Any]] = {name: Shelf() for name in VARIANTS}


def use(variant: str) -> None:
    """Point `services.palette` at this variant's index, `_best` and shelf of built indexes."""
    palette._Index, palette._best = VARIANTS[variant]  # type: ignore[misc]
    palette._HELD = SHELVES[variant]


def database(work: Path, scale: int) -> str:
    path = work / f"palette-scale{scale}.db"
    url = f"sqlite:///{path}"
    if not path.exists():
        t0 = time.monotonic()
        upgrade_schema(url)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy cannot reflect the expression indexes; populate needs none
            populate(url, tools=10_000 * scale, articles=50_000 * scale, snapshots=0)
        print(f"scale {scale}: built {path} in {time.monotonic() - t0:.0f} s", flush=True)
    return url


def build(session: Session, variant: str) -> dict[str, float]:
    """The first search with no index built: its time, then (built again under tracemalloc, which slows it)
    what the indexes hold and the peak while building, in MB."""
    use(variant)
    results: dict[str, float] = {}
    for traced in (False, True):
        SHELVES[variant].clear()
        gc.collect()
        if traced:
            tracemalloc.start()
        t0 = time.perf_counter()
        palette.palette_search("zzqx", session=session)
        if traced:
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            results.update(held_mb=current / 1e6, peak_mb=peak / 1e6)
        else:
            results["build_s"] = time.perf_counter() - t0
    return results


# What the palette read before `concurrency.rebuilt` to notice a change: a count over each table.
OLD_SIGNATURES: dict[str, sa.Select[Any]] = {
    "tools": sa.select(sa.func.count(), sa.func.max(col(Tool.id))),
    "articles": sa.select(sa.func.count(), sa.func.max(col(Article.id))),
    "categories": sa.select(sa.func.count(), sa.func.max(col(Category.name))),
}


def signature_look(session: Session) -> dict[str, float]:
    """The look at the three tables' signatures, before and now, in ms (medians of 9)."""
    statements = {"before": list(OLD_SIGNATURES.values()), "now": [w.often for w, _b in palette._KINDS.values()]}
    looks: dict[str, list[float]] = {v: [] for v in statements}
    for _ in range(9):
        for variant, stmts in statements.items():
            t0 = time.perf_counter()
            for stmt in stmts:
                session.execute(stmt).one()
            looks[variant].append((time.perf_counter() - t0) * 1000)
    return {variant: statistics.median(times) for variant, times in looks.items()}


class SummaryClock:
    """`palette._articles_by_summary` with its time counted: the stories' full-text query (`services.search`),
    which runs when titles find fewer than six stories and which `name_index` does not touch."""

    def __init__(self, inner: Callable[..., list[PaletteHit]]) -> None:
        self.inner = inner
        self.ms = 0.0

    def __call__(self, *args: Any, **kwargs: Any) -> list[PaletteHit]:
        t0 = time.perf_counter()
        try:
            return self.inner(*args, **kwargs)
        finally:
            self.ms += (time.perf_counter() - t0) * 1000


Times = dict[str, dict[str, list[float]]]  # variant → kind of query → ms of each search


def timed(session: Session, rounds: int) -> tuple[Times, Times, int]:
    """Per variant, per kind of query, the milliseconds of each `palette_search`, and the same without its
    full-text summary query; and how many queries the variants answered differently."""
    times: Times = {v: {kind: [] for kind in QUERIES} for v in VARIANTS}
    without: Times = {v: {kind: [] for kind in QUERIES} for v in VARIANTS}
    mismatches = 0
    for variant in VARIANTS:  # warm each (the first signature look, compiled statements)
        use(variant)
        palette.palette_search("warm", session=session)
    rebuilt.SIGNATURE_EVERY = float("inf")  # timed apart (`signature_look`)
    clock = SummaryClock(palette._articles_by_summary)
    palette._articles_by_summary = clock
    try:
        for r in range(rounds):
            order = list(VARIANTS) if r % 2 == 0 else list(reversed(VARIANTS))
            for kind, queries in QUERIES.items():
                for query in queries:
                    hits = {}
                    for variant in order:
                        use(variant)
                        clock.ms = 0.0
                        t0 = time.perf_counter()
                        hits[variant] = palette.palette_search(query, session=session)
                        took = (time.perf_counter() - t0) * 1000
                        times[variant][kind].append(took)
                        without[variant][kind].append(took - clock.ms)
                    mismatches += hits["before"] != hits["now"]
    finally:
        palette._articles_by_summary = clock.inner
    return times, without, mismatches


# The baseline of `--mode stores`: `services.palette._index` before `concurrency.rebuilt`, as it was (one
# thread here, so without its lock), reading the palette's loaders of now.
@dataclass(slots=True)
class InlineHeld:
    signature: tuple[Any, ...]
    index: Any
    built_at: float
    checked_at: float


INLINE: dict[tuple[str, str], InlineHeld] = {}


def inline_index(session: Session, kind: str) -> Any:
    key = (str(session.get_bind().engine.url), kind)
    now = time.monotonic()
    cached = INLINE.get(key)
    if cached is not None and now - cached.checked_at < rebuilt.SIGNATURE_EVERY:
        return cached.index
    signature = tuple(session.execute(OLD_SIGNATURES[kind]).one())
    if cached is not None:
        cached.checked_at = now
        if cached.signature == signature and now - cached.built_at < palette.INDEX_MAX_AGE:
            return cached.index
    index = palette._KINDS[kind][1](session)  # the rebuild, in the keystroke
    INLINE[key] = InlineHeld(signature, index, now, now)
    return index


KEEPING: dict[str, Callable[[Session, str], Any]] = {"inline": inline_index, "background": palette._index}


def held_articles(session: Session, keeping: str) -> Any:
    """The articles' index the next keystroke would read, without looking at the table."""
    if keeping == "inline":
        held = INLINE.get((str(session.get_bind().engine.url), "articles"))
        return held.index if held is not None else None
    return palette._held(session, "articles").value


def store_article(url: str, n: int) -> int:
    """A new article, as a news round stores it (its own session and commit); its id."""
    with Session(get_engine(url)) as session:
        source_id = session.execute(sa.select(sa.func.min(col(Article.source_id)))).scalar_one()
        row = Article(slug=f"bench-stored-{n}", source_id=source_id, guid=f"bench-stored-{n}",
                      url=f"https://news.example.org/bench-stored-{n}", title=f"Langchain vector story {n}",
                      summary="Stored while someone types in the palette.", category="product")
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id


def keystrokes_with_stores(url: str, args: argparse.Namespace) -> dict[str, dict[str, list[float]]]:
    """Per way of keeping the index: each keystroke's ms, and each stored article's seconds until the
    index the keystrokes read held it (`inf` if it never did during the run)."""
    use("now")
    rebuilt.SIGNATURE_EVERY, saved_every = 1.0, rebuilt.SIGNATURE_EVERY  # the real look, once a second
    typing = typed("langchain", "open source", "vector database", "agent memory")
    results: dict[str, dict[str, list[float]]] = {}
    n = 0
    try:
        for keeping, index in KEEPING.items():
            palette._index = index
            INLINE.clear()
            SHELVES["now"].clear()
            gc.collect()
            times: list[float] = []  # each keystroke's own search
            answered: list[float] = []  # from the key press to its answer: with the wait behind a slower one
            stored: dict[int, float] = {}  # id → when it was stored
            seen: dict[int, float] = {}  # id → seconds until the index held it
            with Session(get_engine(url)) as session:
                palette.palette_search("warm", session=session)  # the first build, not timed
                start = time.monotonic()
                # After the timed keystrokes, untimed ones go on (for at most a minute) until the last stored
                # article is in the index.
                for k, query in enumerate(itertools.cycle(typing)):
                    timed_one = k < args.keystrokes
                    if not timed_one and (len(seen) == len(stored) or time.monotonic() - start > 60 + k * args.pace):
                        break
                    pressed = start + k * args.pace
                    time.sleep(max(0.0, pressed - time.monotonic()))
                    if timed_one and k % args.store_every == args.store_every - 1:
                        n += 1
                        t_store = time.monotonic()
                        stored[store_article(url, n)] = time.monotonic()
                        # A news round stores from another process: its time here moves the typing on.
                        start += time.monotonic() - t_store
                        pressed = max(pressed, time.monotonic())
                    t0 = time.perf_counter()
                    palette.palette_search(query, session=session)
                    if timed_one:
                        times.append((time.perf_counter() - t0) * 1000)
                        answered.append((time.monotonic() - pressed) * 1000)
                    session.commit()  # a keystroke is its own session in the app: the next one sees new rows
                    held = held_articles(session, keeping)
                    for i, at in stored.items():
                        if i not in seen and held is not None and held.shown([i]):
                            seen[i] = time.monotonic() - at
                if keeping == "background":
                    palette._held(session, "articles").wait()
            results[keeping] = {"keystroke_ms": times, "answered_ms": answered,
                                "visible_s": [seen.get(i, float("inf")) for i in stored]}
            print(f"  {keeping}: p50 {percentile(times, 50):.2f} / p95 {percentile(times, 95):.2f} / max "
                  f"{max(times):.0f} ms over {len(times)} keystrokes, {len(stored)} stores; from the key press "
                  f"p95 {percentile(answered, 95):.1f} ms", flush=True)
    finally:
        palette._index = KEEPING["background"]
        rebuilt.SIGNATURE_EVERY = saved_every
        with Session(get_engine(url)) as session:
            session.execute(sa.delete(Article).where(col(Article.slug).like("bench-stored-%")))
            session.commit()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--work", type=Path, default=None, help="keep the databases here and reuse them")
    parser.add_argument("--mode", choices=["all", "search", "stores"], default="all")
    parser.add_argument("--keystrokes", type=int, default=200, help="per way of keeping the index (--mode stores)")
    parser.add_argument("--store-every", type=int, default=10, help="keystrokes per stored article")
    parser.add_argument("--pace", type=float, default=0.1, help="seconds from one keystroke to the next")
    args = parser.parse_args()
    os.environ["AGENTOIRE_SEMANTIC"] = "0"
    palette.INDEX_MAX_AGE = float("inf")
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)",
          flush=True)
    temporary = None
    if args.work is None:
        temporary = tempfile.TemporaryDirectory(prefix="agentoire-bench-palette-")
        args.work = Path(temporary.name)
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {}
    try:
        for scale in args.scales:
            url = database(args.work, scale)
            result: dict[str, Any] = results.setdefault(str(scale), {})
            with Session(get_engine(url)) as session:
                result["signature_ms"] = signature_look(session)
                if args.mode != "stores":
                    builds = {variant: build(session, variant) for variant in VARIANTS}
                    times, without, mismatches = timed(session, args.rounds)
                    result.update(builds=builds, times=times, without_summary=without, mismatches=mismatches)
                    print(f"scale {scale}: " + ", ".join(
                        f"{v} p50 {percentile(every(times, v), 50):.2f} / p95 {percentile(every(times, v), 95):.2f} ms"
                        for v in VARIANTS) + f"; {mismatches} queries answered differently", flush=True)
            if args.mode != "search":
                print(f"scale {scale}: keystrokes with a store every {args.store_every}", flush=True)
                result["stores"] = keystrokes_with_stores(url, args)
            get_engine(url).dispose()
    finally:
        if temporary is not None:
            temporary.cleanup()
    print_report(results, args)
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"palette-{args.mode}.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 1 if any(r.get("mismatches") for r in results.values()) else 0


def stores_rows(scale: str, stores: dict[str, dict[str, list[float]]],
                args: argparse.Namespace) -> list[tuple[str, str, str]]:
    """`--mode stores` of one scale: the index rebuilt in the keystroke (before) vs in the background (now)."""
    rows: list[tuple[str, str, str]] = []
    keystrokes = {k: stores[k]["keystroke_ms"] for k in KEEPING}
    visible = {k: stores[k]["visible_s"] for k in KEEPING}
    rows.append((f"scale {scale}: a store every {args.store_every} keystrokes, {args.pace:.2f} s apart",
                 "inline (before)", "background (now)"))
    answered = {k: stores[k]["answered_ms"] for k in KEEPING}
    for label, figures in ((f"each keystroke's search ({len(keystrokes['inline'])} each)", keystrokes),
                           ("from the key press to the answer", answered)):
        rows.append((f"  {label}: p50 / p95 / p99 / max ms",
                     *(f"{percentile(t, 50):.2f} / {percentile(t, 95):.1f} / {percentile(t, 99):.0f} / {max(t):.0f}"
                       for t in figures.values())))
        rows.append(("    over 100 ms", *(str(sum(x > 100 for x in t)) for t in figures.values())))
    rows.append(("  stored article in the index after, median / max s",
                 *(f"{percentile(v, 50):.2f} / {max(v):.2f}" for v in visible.values())))
    return rows


def every(times: Times, variant: str) -> list[float]:
    return [t for kind in times[variant].values() for t in kind]


def print_report(results: dict[str, Any], args: argparse.Namespace) -> None:
    rows: list[tuple[str, str, str]] = [("palette_search, in-process (meaning off)", *VARIANTS)]
    for scale, result in results.items():
        rows.append((f"scale {scale}: signature look, ≤ once a second, 3 tables (ms)",
                     *(f"{result['signature_ms'][v]:.2f}" for v in VARIANTS)))
        if "stores" in result:
            rows.extend(stores_rows(scale, result["stores"], args))
        if "times" not in result:
            continue
        times, without = result["times"], result["without_summary"]
        rows.append((f"scale {scale}: p50 / p95 ms ({len(every(times, 'now'))} searches)",
                     *(f"{percentile(every(times, v), 50):.2f} / {percentile(every(times, v), 95):.2f}"
                       for v in VARIANTS)))
        rows.extend((f"  {kind}: p50 / p95",
                     *(f"{percentile(times[v][kind], 50):.2f} / {percentile(times[v][kind], 95):.2f}" for v in VARIANTS))
                    for kind in QUERIES)
        rows.append((f"scale {scale}: without the stories' full-text summary query",
                     *(f"{percentile(every(without, v), 50):.2f} / {percentile(every(without, v), 95):.2f}"
                       for v in VARIANTS)))
        builds = result["builds"]
        rows.append((f"scale {scale}: first search, building the indexes (s)",
                     *(f"{builds[v]['build_s']:.2f}" for v in VARIANTS)))
        rows.append((f"scale {scale}: indexes held / peak while building (MB)",
                     *(f"{builds[v]['held_mb']:.0f} / {builds[v]['peak_mb']:.0f}" for v in VARIANTS)))
        rows.append((f"scale {scale}: queries answered differently", str(result["mismatches"]), ""))
    if all(s in results and "stores" in results[s] for s in ("1", "10")):
        def stores_ratio(keeping: str, key: str) -> str:
            ten, one = results["10"]["stores"][keeping][key], results["1"]["stores"][keeping][key]
            return f"{percentile(ten, 95) / percentile(one, 95):.1f}×"

        rows.extend((f"stores: 10× / 1×, p95 {label}", *(stores_ratio(k, key) for k in KEEPING))
                    for label, key in (("of searches", "keystroke_ms"), ("from the key press", "answered_ms")))
    if all(s in results and "times" in results[s] for s in ("1", "10")):
        def ratio(key: str, variant: str, pct: int) -> str:
            ten, one = every(results["10"][key], variant), every(results["1"][key], variant)
            return f"{percentile(ten, pct) / percentile(one, pct):.1f}×"

        rows.extend((f"10× / 1×, p{pct}{label}", *(ratio(key, v, pct) for v in VARIANTS))
                    for label, key in (("", "times"), (", without the summary query", "without_summary"))
                    for pct in (50, 95))
    rows.append(("load average at the end (1, 5, 15 min)", " ".join(f"{x:.2f}" for x in os.getloadavg()),
                 f"{os.cpu_count()} CPUs, {args.rounds} rounds"))
    report(rows)


if __name__ == "__main__":
    raise SystemExit(main())
