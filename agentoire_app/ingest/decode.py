"""Content-Encoding, undone a slice at a time so that the body cap bounds memory, not just the result.

httpx decodes a whole network chunk before anyone can count it, and its brotli decoder has no output
bound: a 1.6 KB response once grew one fetch to about 2 GB. Here the raw bytes go through a chain of
decoders, one per coding in `Content-Encoding` (last applied, first undone), each asked for at most
`SLICE` bytes at a time (zlib's `max_length`, brotli's `output_buffer_limit`), and every stage's output
is counted against the cap, so no stage ever holds more than the cap plus one slice. Counting the
intermediate stages too matters for stacked codings: a `gzip, gzip` body can hide gigabytes of empty
deflate blocks in the middle layer that decode to nothing at the end.

What we accept is what we offer (`ACCEPT_ENCODING`); any other coding is refused rather than passed on
as bytes the parser would misread. `br` is offered only when the installed brotli can bound its output
(brotli ≥ 1.2).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import Protocol

try:
    import brotli
except ImportError:  # pragma: no cover - httpx[brotli] installs it
    brotli = None

SLICE = 64 * 1024
MAX_CODINGS = 3  # more than this on one body is an attack or a broken server, not a feed


def _brotli_is_bounded() -> bool:
    if brotli is None:
        return False
    try:
        decoder = brotli.Decompressor()
        decoder.process(b"", output_buffer_limit=SLICE)
        return hasattr(decoder, "can_accept_more_data")
    except (TypeError, AttributeError, brotli.error):
        return False


BROTLI_BOUNDED = _brotli_is_bounded()
ACCEPT_ENCODING = "gzip, deflate, br" if BROTLI_BOUNDED else "gzip, deflate"
_IDENTITY = frozenset({"", "identity"})


class BodyTooLarge(Exception):
    """The body (or an intermediate stage of decoding it) grew past the cap."""


class UnacceptableEncoding(Exception):
    """A Content-Encoding we did not offer or cannot undo safely; the message names it."""


class _Stage(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...


class _Zlib:
    """gzip (every member of a multi-member body) or deflate (zlib-wrapped, or raw as some servers send)."""

    def __init__(self, coding: str) -> None:
        self.gzip = coding in ("gzip", "x-gzip")
        self.decoder = zlib.decompressobj(16 + zlib.MAX_WBITS if self.gzip else zlib.MAX_WBITS)
        self.head: bytes | None = None if self.gzip else b""  # deflate: the first two bytes say zlib-wrapped or raw
        self.done = False

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.head is not None:
            self.head += data
            if len(self.head) < 2:
                return
            data, self.head = self.head, None
            if _is_raw_deflate(data):
                self.decoder = zlib.decompressobj(-zlib.MAX_WBITS)
        pending, full = data, False
        while (pending or full) and not self.done:
            if self.decoder.eof:
                # Another gzip member follows, or trailing bytes (padding) that we ignore, as httpx does.
                if not self.gzip or not pending.startswith(b"\x1f"):
                    self.done = True
                    return
                self.decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
            out = self.decoder.decompress(pending, SLICE)
            if out:
                yield out
            # A full slice may leave output inside zlib even when all input was taken: ask again.
            full = len(out) == SLICE and not self.decoder.eof
            pending = self.decoder.unused_data if self.decoder.eof else self.decoder.unconsumed_tail


def _is_raw_deflate(data: bytes) -> bool:
    try:
        zlib.decompressobj().decompress(data[:2], 1)
    except zlib.error:
        return True
    return False


class _Brotli:
    def __init__(self) -> None:
        assert brotli is not None
        self.decoder = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.decoder.is_finished():
            return  # bytes after the end of the stream: ignored
        try:
            out = self.decoder.process(data, output_buffer_limit=SLICE)
            if out:
                yield out
            # A full slice means more output may be waiting (the decoder keeps the input it was given);
            # new input is allowed only once `can_accept_more_data()` says so.
            while not self.decoder.is_finished() and (len(out) >= SLICE or not self.decoder.can_accept_more_data()):
                out = self.decoder.process(b"", output_buffer_limit=SLICE)
                if not out:
                    return
                yield out
        except brotli.error as exc:
            raise ValueError(f"invalid brotli data: {exc}") from exc


def parse_codings(header: str | None) -> list[str]:
    """The codings of a Content-Encoding header in the order they were applied (identity dropped)."""
    codings = [c.strip().lower() for c in (header or "").split(",")]
    return [c for c in codings if c not in _IDENTITY]


def _stage(coding: str) -> _Stage:
    if coding in ("gzip", "x-gzip", "deflate"):
        return _Zlib(coding)
    if coding == "br" and BROTLI_BOUNDED:
        return _Brotli()
    offered = ACCEPT_ENCODING.replace(", ", ", or ")
    raise UnacceptableEncoding(f"the server sent a body in an encoding we did not ask for ({coding}; "
                               f"we accept {offered})")


class BoundedDecoder:
    """Raw body slices in, decoded slices out; raises `BodyTooLarge` the moment any stage passes `cap`.

    Errors in the compressed data surface as `ValueError` (zlib.error is not one, so it is wrapped).
    """

    def __init__(self, content_encoding: str | None, *, cap: int) -> None:
        codings = parse_codings(content_encoding)
        if len(codings) > MAX_CODINGS:
            raise UnacceptableEncoding(f"{len(codings)} stacked content codings (at most {MAX_CODINGS})")
        self.cap = cap
        self.stages = [_stage(c) for c in reversed(codings)]
        self.counts = [0] * (len(self.stages) + 1)  # bytes out of each stage; [0] counts the raw input
        self.size = 0

    def feed(self, raw: bytes) -> Iterator[bytes]:
        """The decoded output for `raw`, slice by slice."""
        try:
            yield from self._through(0, (raw,))
        except zlib.error as exc:
            raise ValueError(f"invalid compressed data: {exc}") from exc

    def _through(self, index: int, chunks: Iterable[bytes]) -> Iterator[bytes]:
        for chunk in chunks:
            self.counts[index] += len(chunk)
            if self.counts[index] > self.cap:
                raise BodyTooLarge(self.cap)
            if index == len(self.stages):
                self.size += len(chunk)
                yield chunk
            else:
                yield from self._through(index + 1, self.stages[index].feed(chunk))
