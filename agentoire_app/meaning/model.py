"""The embedding model: WordLlama's static token embeddings, loaded once per process and only when asked.

Why this model: it is numpy only (token vectors averaged, ~0.1 ms per short text, no inference runtime),
and its wheel ships both the weights (`weights/l2_supercat_256.safetensors`) and the tokenizer
(`tokenizers/l2_supercat_tokenizer_config.json`), so nothing is fetched at run time. `disable_download`
alone is not enough: the loader looks for the tokenizer under `tokenizer/`, a folder the wheel lacks, and
would then try the hub; passing the package folder as the cache folder makes it find `tokenizers/`.

One model serves two readers. Story grouping compares reports at the model's full width (`FULL_DIMS`);
search cuts vectors to `DIMS` (the model is trained Matryoshka-style, so a prefix of the averaged vector,
renormalised, is still an embedding): 128 halves memory and dot-product time against 256, with the same
neighbours on our fixtures.

Loading (~0.2 s, ~100 MB with numpy and the tokenizer) happens once per process: `embedder` blocks
(stories inside a refresh, tests, the CLI, benches, a background thread); search asks through
`load_embedder` / `ready_embedder`, which honour `AGENTOIRE_SEMANTIC` and, for request paths, never wait:
they get None until the model is there and search lexically meanwhile. A missing package or a failed load
is said once in the log.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from ..settings import semantic_search_on

# wordllama calls `logging.basicConfig(level=INFO)` when imported, which would give the whole app a root
# handler at INFO (every HTTP request of a refresh logged): whatever logging the app had before the import
# is put back right after it.
_ROOT = logging.getLogger()
_HANDLERS, _LEVEL = list(_ROOT.handlers), _ROOT.level
try:
    import wordllama
except ImportError:  # the app is complete without it: search stays lexical, stories use words alone
    wordllama = None
finally:
    _ROOT.handlers[:] = _HANDLERS
    _ROOT.setLevel(_LEVEL)

log = logging.getLogger("agentoire.meaning")

CONFIG = "l2_supercat"
FULL_DIMS = 256  # the shipped weights' width
DIMS = 128  # search's width
# Stored beside every vector: another model or width is never compared with this one's queries.
MODEL_ID = f"wordllama-{CONFIG}-{DIMS}"

Vectors = npt.NDArray[np.float32]


class Embedder:
    """Texts → unit vectors (float32, `dims` wide: search's `DIMS` unless asked), in batches."""

    def __init__(self, inference: Any) -> None:
        self._inference = inference

    def embed(self, texts: Sequence[str], dims: int = DIMS) -> Vectors:
        if not texts:
            return np.zeros((0, dims), dtype=np.float32)
        # Token vectors are averaged, so cutting the average equals averaging cut token vectors.
        raw = np.asarray(self._inference.embed(list(texts), norm=False), dtype=np.float32)[:, :dims]
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        # A text with no known token has no direction: a zero vector is near nothing.
        return np.divide(raw, norms, out=np.zeros_like(raw), where=norms > 0)

    def embed_one(self, text: str, dims: int = DIMS) -> Vectors:
        return self.embed([text], dims)[0]


@dataclass
class _Loader:
    """The process's one model; `tried` once a load has finished, loaded or not."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    embedder: Embedder | None = None
    tried: bool = False
    started: bool = False
    seconds: float = 0.0


_LOADER = _Loader()


def _load() -> Embedder | None:
    if wordllama is None:
        log.info("meaning: the wordllama package is not installed; search is lexical only")
        return None
    started = time.perf_counter()
    try:
        folder = Path(wordllama.__file__).parent
        inference = wordllama.WordLlama.load(config=CONFIG, dim=FULL_DIMS, cache_dir=folder,
                                             disable_download=True)
    except Exception:
        log.exception("meaning: the embedding model did not load; search is lexical only")
        return None
    # One BLAS thread: a matrix-vector product per keystroke gains nothing from threads on a few shared
    # cores, and waiting for busy ones made it several times slower.
    threadpool_limits(limits=1, user_api="blas")
    _LOADER.seconds = time.perf_counter() - started
    log.info("meaning: %s loaded in %.2f s", MODEL_ID, _LOADER.seconds)
    return Embedder(inference)


def embedder() -> Embedder | None:
    """The model, loaded now if it was not (blocking); None when it is unavailable."""
    with _LOADER.lock:
        if not _LOADER.tried:
            _LOADER.embedder = _load()
            _LOADER.tried = True
        return _LOADER.embedder


def load_embedder() -> Embedder | None:
    """The model for search, loaded now if it was not (blocking); None when unavailable or switched off."""
    return embedder() if semantic_search_on() else None


def ready_embedder() -> Embedder | None:
    """The model if it is loaded; otherwise starts loading it in a background thread and returns None.

    For request paths: the first searches after start are lexical, none waits for the load."""
    if not semantic_search_on():
        return None
    if _LOADER.tried:
        return _LOADER.embedder
    with _LOADER.lock:
        if not _LOADER.started:
            _LOADER.started = True
            threading.Thread(target=embedder, name="agentoire-meaning-load", daemon=True).start()
    return None


def load_seconds() -> float:
    """How long the model took to load in this process (0 before it has)."""
    return _LOADER.seconds
