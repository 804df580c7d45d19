"""How related two words are, from the bundled model's own word-piece table: "began" and "start", "introduced"
and "bring", without running the model. The table is the model's input embeddings, mapped from its safetensors
file (no torch, and no reading all 30,522 rows: the rows a word needs are paged in when it is first weighed); a
word's vector is the mean of its pieces' unit vectors."""

from __future__ import annotations

import json
import mmap
from collections.abc import Callable, Iterable
from functools import lru_cache

import numpy as np

from kb.caching import memoised, recalled_many
from kb.model import model_path, word_piece_tokenizer

_TABLE = "word_embeddings.weight"
_HEADER_LENGTH = 8  # a safetensors file opens with its JSON header's length (little-endian u64), then the header


@lru_cache(maxsize=1)
def _table() -> np.ndarray:
    """The word-piece table, an array over the weights file mapped into memory (opened once a process).

    The safetensors header says where each tensor's bytes lie; the library's own reader loads a tensor whole or a
    slice of rows at a time, and answers gather scattered rows, so the rows are mapped and indexed with numpy."""
    path = model_path() / "model.safetensors"
    with path.open("rb") as weights:
        length = int.from_bytes(weights.read(_HEADER_LENGTH), "little")
        header = json.loads(weights.read(length))
        entry = next(v for k, v in header.items() if k.endswith(_TABLE))
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: the word-piece table is {entry['dtype']}, expected F32")
        mapped = mmap.mmap(weights.fileno(), 0, access=mmap.ACCESS_READ)  # stays open while the array lives
    rows, width = entry["shape"]
    start = _HEADER_LENGTH + length + entry["data_offsets"][0]
    return np.frombuffer(mapped, dtype=np.float32, count=rows * width, offset=start).reshape(rows, width)


@memoised
def word_vector(word: str) -> np.ndarray:
    """A word's unit vector: the mean of its word pieces' unit vectors (empty for a word with no pieces)."""
    return _vectors([word])[0]


def word_vectors(words: list[str]) -> list[np.ndarray]:
    """`word_vector` of each word, the ones not remembered worked out in one batch."""
    return recalled_many(word_vector, words, _vectors)


def _vectors(words: list[str]) -> list[np.ndarray]:
    encodings = word_piece_tokenizer().encode_batch_fast(words, add_special_tokens=False)  # no offsets needed
    counts = np.array([len(e.ids) for e in encodings], dtype=np.int64)
    if not counts.any():
        return [np.zeros(0, dtype=np.float32) for _ in words]
    rows = _table()[np.concatenate([e.ids for e in encodings if e.ids])]
    rows = rows / np.maximum(np.sqrt(np.einsum("ij,ij->i", rows, rows)), 1e-9)[:, None]
    sums = np.add.reduceat(rows, np.concatenate([[0], np.cumsum(counts[counts > 0])[:-1]]), axis=0)
    sums /= np.maximum(np.sqrt(np.einsum("ij,ij->i", sums, sums)), 1e-9)[:, None]
    found = iter(sums)
    return [next(found) if count else np.zeros(0, dtype=np.float32) for count in counts]


def closeness(word: str, others: tuple[str, ...]) -> float:
    """The highest cosine between `word` and any of `others` (0 when none is related, or there are none)."""
    return WordSpace([""], lambda _: others).closeness(word, "")


class WordSpace:
    """The words of one answer's candidate units, their vectors in one matrix: how close a question's word comes to
    each unit is one product of the word's vector with the whole matrix, made once per word, then the highest of
    that unit's entries. The vectors are worked out in one batch when a closeness is first asked for."""

    def __init__(self, texts: Iterable[str], words_of: Callable[[str], tuple[str, ...]]) -> None:
        self._words_of = words_of
        self._index: dict[str, int] = {}
        for text in texts:
            self._add(words_of(text))
        self._rows: dict[str, np.ndarray] = {}
        self._vectors: np.ndarray | None = None
        self._cosines: dict[str, np.ndarray] = {}  # a question's word against every word of the space

    def closeness(self, word: str, text: str) -> float:
        """The highest cosine between `word` and the words of `text` (one of the texts the space was built from)."""
        return self.closeness_of((word,), text).get(word, 0.0)

    def closeness_of(self, words: Iterable[str], text: str) -> dict[str, float]:
        """For each of `words`, the highest cosine with a word of `text` (0 when unrelated), in one pass."""
        rows = self._rows.get(text)
        if rows is None:
            rows = self._rows[text] = self._rows_of(text)
        closest: dict[str, float] = {}
        for word in words:
            cosines = self._cosines.get(word)
            if cosines is None:
                cosines = self._cosines[word] = self._cosines_of(word)
            closest[word] = max(0.0, float(cosines[rows].max())) if len(rows) and len(cosines) else 0.0
        return closest

    def _add(self, words: tuple[str, ...]) -> None:
        for word in words:
            self._index.setdefault(word, len(self._index))

    def _matrix(self) -> np.ndarray:
        if self._vectors is None or len(self._vectors) < len(self._index):
            width = _table().shape[1]
            vectors = [v if len(v) else np.zeros(width, dtype=np.float32) for v in word_vectors(list(self._index))]
            self._vectors = np.stack(vectors) if vectors else np.zeros((0, width), dtype=np.float32)
            self._cosines.clear()
        return self._vectors

    def _cosines_of(self, word: str) -> np.ndarray:
        vector = word_vector(word)
        return self._matrix() @ vector if len(vector) else np.zeros(0, dtype=np.float32)

    def _rows_of(self, text: str) -> np.ndarray:
        words = self._words_of(text)
        if any(w not in self._index for w in words):  # a text the space was not built from: its words join it
            self._add(words)
            self._matrix()
        return np.fromiter((self._index[w] for w in words), dtype=np.int64, count=len(words))
