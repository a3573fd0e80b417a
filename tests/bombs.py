"""Decompression bombs, built on demand: a few KB on the wire that decode to hundreds of MB.

Shared by the ingest tests and `bench/bombs.py`. Every body is built by streaming zeros through a
compressor, so building one never holds its decoded size in memory.
"""

from __future__ import annotations

import zlib

import brotli

MB = 1024 * 1024
_ZEROS = b"\0" * MB


def gzip_bomb(decoded_mb: int) -> bytes:
    return _zlib_bomb(decoded_mb, wbits=16 + zlib.MAX_WBITS)


def deflate_bomb(decoded_mb: int, *, raw: bool = False) -> bytes:
    """zlib-wrapped deflate (RFC 9110), or `raw` deflate as some servers send it."""
    return _zlib_bomb(decoded_mb, wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)


def brotli_bomb(decoded_mb: int) -> bytes:
    compressor = brotli.Compressor(quality=5)
    parts = [compressor.process(_ZEROS) for _ in range(decoded_mb)]
    return b"".join([*parts, compressor.finish()])


def gzip_gzip_bomb(decoded_mb: int) -> bytes:
    """For `Content-Encoding: gzip, gzip`: a gzip bomb, gzipped again (a few hundred bytes)."""
    return zlib.compress(gzip_bomb(decoded_mb), 9, wbits=16 + zlib.MAX_WBITS)


def _zlib_bomb(decoded_mb: int, *, wbits: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    parts = [compressor.compress(_ZEROS) for _ in range(decoded_mb)]
    return b"".join([*parts, compressor.flush()])


BOMBS = {  # Content-Encoding → builder
    "gzip": gzip_bomb,
    "deflate": deflate_bomb,
    "br": brotli_bomb,
    "gzip, gzip": gzip_gzip_bomb,
}
