"""What an article is about, as a vector: the second opinion beside TF-IDF.

TF-IDF sees only the words two reports share; "Britain demands answers" and "UK watchdog in urgent
contact" share none, and two Nvidia reports about different cards share many. Averaged word embeddings
(WordLlama's `l2_supercat`, 256 dimensions, 16 MB of weights shipped inside the package) place reports
by meaning, at a fraction of a millisecond per article and with no model server.

The weights load from the installed package's own folder with downloads disabled: nothing is fetched at
run time, and a missing file fails loudly rather than reaching for the network. The model loads once per
process (about 0.3 s, some 50 MB) the first time an article needs a vector, so a refresh that scores
nothing never pays for it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np

# wordllama calls `logging.basicConfig(level=INFO)` when imported, which would give the whole app a root
# handler at INFO (every HTTP request of a refresh logged). Whatever logging the app had before the
# import is put back right after it.
_ROOT = logging.getLogger()
_HANDLERS, _LEVEL = list(_ROOT.handlers), _ROOT.level
import wordllama  # noqa: E402
from wordllama import WordLlama  # noqa: E402
from wordllama.inference import WordLlamaInference  # noqa: E402

_ROOT.handlers[:] = _HANDLERS
_ROOT.setLevel(_LEVEL)

_LOCK = threading.Lock()
_MODEL: list[WordLlamaInference] = []


def model() -> WordLlamaInference:
    """The embedding model, loaded once per process from the package's own folder, never downloaded."""
    if not _MODEL:
        with _LOCK:
            if not _MODEL:
                _MODEL.append(WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True))
    return _MODEL[0]


def meaning(text: str) -> np.ndarray:
    """`text` as a unit vector: the cosine of two is their dot product."""
    vector: np.ndarray = model().embed([text], norm=True)[0]
    return vector


def alike(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of two unit vectors."""
    return float(a @ b)
