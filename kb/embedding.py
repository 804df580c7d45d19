"""Turning text into normalised vectors: one small Embedder interface, batching shared."""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from kb.model import MODEL_NAME, model_path

BATCH_SIZE = 32


class Embedder(Protocol):
    """Anything that maps texts to unit-length float32 vectors of a fixed dimension."""

    name: str
    dim: int

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """Raw vectors for one batch (normalisation happens in `embed`)."""
        ...


class SentenceTransformerEmbedder:
    """The bundled all-MiniLM-L6-v2 through sentence-transformers (imported only when needed: it is slow)."""

    name = MODEL_NAME
    dim = 384

    def __init__(self) -> None:
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # "Loading weights" bars would drown the CLI's own output

        self._model = SentenceTransformer(str(model_path()), device="cpu")
        self.dim = int(self._model.get_embedding_dimension() or 384)

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled vectors, as the model was trained."""
        return np.asarray(self._model.encode(texts, batch_size=len(texts), convert_to_numpy=True))


def default_embedder() -> Embedder:
    """The ONNX export for documents too: the same vectors as sentence-transformers, and faster
    here (README, "Speed"); sentence-transformers if the export cannot be made."""
    from kb.onnx_model import OnnxEmbedder, cached_export
    from kb.settings import get_settings

    try:
        return OnnxEmbedder(cached_export(get_settings().cache_dir))
    except Exception as exc:  # noqa: BLE001 - the reference model still works without onnxruntime
        warnings.warn(f"ONNX model unavailable ({exc}); embedding with sentence-transformers", stacklevel=2)
        return SentenceTransformerEmbedder()


def embed(
    embedder: Embedder,
    texts: Sequence[str],
    *,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Vectors for `texts` in their order, L2-normalised; batches grouped by length to waste no padding."""
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    for start in range(0, len(order), batch_size):
        batch = order[start : start + batch_size]
        vectors[batch] = embedder.encode_batch([texts[i] for i in batch])
        if on_progress:
            on_progress(len(batch))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
