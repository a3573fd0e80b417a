"""Small helpers shared by the benchmark scripts: free ports, waiting for a URL, medians, printing."""

from __future__ import annotations

import socket
import statistics
import time
import urllib.error
import urllib.request
from collections.abc import Sequence


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_url(url: str, *, timeout: float, must_contain: str | None = None) -> float:
    """Seconds until `url` answers 200 (and contains `must_contain`); raises TimeoutError."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                body = response.read().decode("utf-8", "replace")
                if response.status == 200 and (must_contain is None or must_contain in body):
                    return time.monotonic() - start
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def percentile(values: Sequence[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def report(rows: Sequence[tuple[str, str, str]]) -> None:
    """Print `what | figure | baseline/goal` rows as an aligned table."""
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for r in rows:
        print("  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip())
