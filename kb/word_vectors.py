"""How related two words are, from the bundled model's own word-piece table: "began" and "start", "introduced"
and "bring", without running the model. The table is the model's input embeddings, read row by row from its
safetensors file (no torch, and no need to load all 30,522 rows); a word's vector is the mean of its pieces'."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from kb.caching import memoised
from kb.model import model_path

_TABLE = "word_embeddings.weight"


@lru_cache(maxsize=1)
def _table() -> Any:
    """The word-piece table as a lazily read slice of the open weights file (opened once a process)."""
    from safetensors import safe_open

    weights = safe_open(str(model_path() / "model.safetensors"), framework="numpy")
    return weights.get_slice(next(k for k in weights.keys() if k.endswith(_TABLE)))


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    tokenizer.no_padding()  # the file pads every text to 128 pieces: a word is its own pieces only
    tokenizer.no_truncation()
    return tokenizer


@memoised
def word_vector(word: str) -> np.ndarray:
    """A word's unit vector: the mean of its word pieces' vectors."""
    pieces = _tokenizer().encode(word, add_special_tokens=False).ids
    rows = [np.asarray(_table()[piece : piece + 1], dtype=np.float32)[0] for piece in pieces]
    if not rows:
        return np.zeros(0, dtype=np.float32)
    rows = [row / max(float(np.linalg.norm(row)), 1e-9) for row in rows]
    vector = np.mean(rows, axis=0)
    return np.asarray(vector / max(float(np.linalg.norm(vector)), 1e-9), dtype=np.float32)


def closeness(word: str, others: tuple[str, ...]) -> float:
    """The highest cosine between `word` and any of `others` (0 when none is related, or there are none)."""
    mine, matrix = word_vector(word), _matrix(others)
    if not len(mine) or not len(matrix):
        return 0.0
    return max(0.0, float((matrix @ mine).max()))


@memoised
def _matrix(words: tuple[str, ...]) -> np.ndarray:
    """The vectors of `words` stacked (a unit's words are weighed against every focus word of every part)."""
    vectors = [v for v in (word_vector(w) for w in words) if len(v)]
    return np.stack(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)
