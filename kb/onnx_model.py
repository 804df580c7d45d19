"""The query-time embedder: the bundled model exported to ONNX, run by onnxruntime without torch.

Importing torch and transformers costs seconds; a coach's `kb search` should not pay that. The
export runs once per model (at ingest, where torch is loaded anyway), is cached per machine and
linked into the index directory, and gives the same vectors as sentence-transformers (mean
pooling over the attention mask, then L2 normalisation in the shared `embed`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np

from kb.model import MAX_WORD_PIECES, MODEL_NAME, model_path

ONNX_OPSET = 17


def model_fingerprint() -> str:
    """Identifies the bundled weights (config and weight-file size and head bytes), cheaply."""
    digest = hashlib.sha256()
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        path = model_path() / name
        digest.update(name.encode())
        digest.update(str(path.stat().st_size).encode())
        with open(path, "rb") as handle:
            digest.update(handle.read(1 << 20))
    return digest.hexdigest()[:16]


def onnx_file_name() -> str:
    """The file name of this model's export: changes when the model changes."""
    return f"{MODEL_NAME.rsplit('/', 1)[-1]}-{model_fingerprint()}.onnx"


def export_onnx(target: Path) -> None:
    """Export the transformer (input ids, mask, token types -> last hidden state) with dynamic shapes."""
    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(model_path()))
    model.eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
            output = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return output.last_hidden_state

    sample = torch.ones((1, 8), dtype=torch.long)
    dynamic = {0: "batch", 1: "tokens"}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Encoder(),
            (sample, sample, torch.zeros_like(sample)),
            str(target),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes=dict.fromkeys(["input_ids", "attention_mask", "token_type_ids", "last_hidden_state"], dynamic),
            opset_version=ONNX_OPSET,
            dynamo=False,  # the TorchScript exporter needs no extra packages and handles BERT
        )


def cached_export(cache_dir: Path) -> Path:
    """This model's ONNX export in `cache_dir`, made (with torch, once per machine) if missing."""
    cached = cache_dir / onnx_file_name()
    if not cached.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=cache_dir) as scratch:
            staged = Path(scratch) / cached.name
            export_onnx(staged)
            os.replace(staged, cached)
    return cached


def ensure_onnx(index_dir: Path, cache_dir: Path) -> str:
    """Make sure `index_dir/models/` holds this model's ONNX export; returns its path relative to index_dir.

    The export is made once per machine in `cache_dir` and hard-linked (or copied) into the index.
    """
    target = index_dir / "models" / onnx_file_name()
    if target.exists():
        return str(target.relative_to(index_dir))
    cached = cached_export(cache_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    staged_link = target.with_suffix(".tmp")
    staged_link.unlink(missing_ok=True)
    try:
        try:
            os.link(cached, staged_link)
        except OSError:
            shutil.copyfile(cached, staged_link)  # another file system: a copy, which a full disk may cut short
        os.replace(staged_link, target)
    except BaseException:
        staged_link.unlink(missing_ok=True)  # a partial copy would keep a full disk full
        raise
    return str(target.relative_to(index_dir))


@lru_cache(maxsize=4)
def _session(path: str):  # type: ignore[no-untyped-def]
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    # Idle worker threads must not spin: they would steal the cores FAISS and SQLite need next.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


class OnnxEmbedder:
    """all-MiniLM-L6-v2 through onnxruntime and the `tokenizers` package: no torch at query time."""

    name = MODEL_NAME
    dim = 384

    def __init__(self, onnx_path: Path) -> None:
        from tokenizers import Tokenizer

        self._session = _session(str(onnx_path))
        self._tokenizer = Tokenizer.from_file(str(model_path() / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_WORD_PIECES)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        """Mean-pooled token vectors (pooling as sentence-transformers does it)."""
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        return summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
