"""What an article is about, as a vector: the second opinion beside TF-IDF.

TF-IDF sees only the words two reports share; "Britain demands answers" and "UK watchdog in urgent
contact" share none, and two Nvidia reports about different cards share many. Averaged word embeddings
(the app's one embedding model, `meaning.model`, at its full width) place reports by meaning, at a
fraction of a millisecond per article and with no model server. The model loads once per process the first
time an article needs a vector, so a refresh that scores nothing never pays for it; without the model
(package absent) there is no vector and the rule falls back to words alone.
"""

from __future__ import annotations

import numpy as np

from ..meaning.model import FULL_DIMS, embedder


def meaning(text: str) -> np.ndarray | None:
    """`text` as a unit vector (the cosine of two is their dot product), or None without the model."""
    model = embedder()
    return None if model is None else model.embed_one(text, FULL_DIMS)


def alike(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of two unit vectors."""
    return float(a @ b)
