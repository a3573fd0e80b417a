"""Hostile inputs for the tests of text handling, and a guard that fails a test instead of letting it hang.

Each input is a short unit repeated: the shape that makes a backtracking regular expression (or a
quadratic scan) explode, at a size (50-200 KB) where an exponential or quadratic rule cannot finish while
a linear one takes milliseconds. `bench/hostile_inputs.py` times the same inputs.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

# Far above what any linear handling of these inputs takes, even on a loaded machine; far below "forever".
GUARD_SECONDS = 20.0


class TookTooLong(BaseException):
    """The guarded call ran past its guard: the rule behind it is not linear in its input.

    A BaseException, so that code catching `Exception` around a slow step (to keep what it found) cannot
    swallow the verdict."""


@contextlib.contextmanager
def finishes_within(seconds: float = GUARD_SECONDS, what: str = "the call") -> Iterator[None]:
    """Fail with `TookTooLong` once `seconds` have passed.

    A timer signal rather than a thread: a backtracking `re` match holds the interpreter lock, so no other
    thread could even notice, but the regex engine checks for signals while it matches, and the handler's
    exception aborts the match (pure Python loops are interrupted the same way). Main thread only.
    """
    def expired(signum: int, frame: object) -> None:
        raise TookTooLong(f"{what} did not finish within {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def repeated(unit: str, size: int = 100_000, tail: str = "x") -> str:
    """`unit` repeated up to about `size` characters, then `tail` (which keeps a pattern from matching)."""
    return unit * max(1, size // len(unit)) + tail


# name → (unit, what it attacks)
MARKUP_UNITS: dict[str, str] = {
    "empty comments": "<!---->",  # the sniffing regex's `(<!--.*?-->\s*)*`: exponential
    "unclosed comments": "<!-- -",
    "comment openers": "<!--",
    "unclosed attribute quotes": "<a b='",  # html.parser rescans from every tag: minutes at 150 KB
    "unclosed tags": "<a",
    "open brackets": "<",  # `<[^>]+>`: every "<" scans to the end, quadratic
    "closing brackets": "</",
    "declarations": "<!",
    "processing instructions": "<?",
    "cdata openers": "<![CDATA[",
    "misnested formatting": "<b><p>x</b>",
    "nested tables": "<table><tr><td>",
    "entities": "&#",
    "one character": "a",
    "blank lines": "\n \t",
}
