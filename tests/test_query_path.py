"""The query path runs on the ONNX export: same vectors as sentence-transformers, and no torch imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from kb import store
from kb.chunking import split_sentences
from kb.embedding import SentenceTransformerEmbedder, embed
from kb.knowledge_base import KnowledgeBase
from kb.onnx_model import OnnxEmbedder

from .conftest import ROOT, SHARED


def varied_sentences(knowledge_base: KnowledgeBase) -> list[str]:
    rows = knowledge_base.reader.db.execute("SELECT text FROM chunks").fetchall()
    sentences = [s for r in rows for p in r[0].split("\n\n") for s in split_sentences(p)]
    questions = [json.loads(line)["q"] for line in (SHARED / "eval" / "dev_questions.jsonl").read_text().splitlines()]
    odd = [
        "?",
        "FGC",
        "12-25",
        "Ünïcödé façade naïve café",
        "Kinderschutz und Familienhilfe in Deutschland",
        "数据 检索",
        " ".join(["interdisciplinary partnership"] * 300),
    ]  # fmt: skip  (the last is cut at 256 word pieces)
    return sentences[:300] + questions + odd


def test_onnx_vectors_match_sentence_transformers(knowledge_base: KnowledgeBase, embedder: SentenceTransformerEmbedder) -> None:
    manifest = knowledge_base.reader.manifest
    assert manifest.query_model, "ingest records the ONNX export in the manifest"
    onnx = OnnxEmbedder(knowledge_base.reader.generation.parent / manifest.query_model)
    texts = varied_sentences(knowledge_base)
    assert len(texts) > 250
    cosines = np.sum(embed(onnx, texts) * embed(embedder, texts), axis=1)
    assert float(cosines.min()) >= 0.999, texts[int(cosines.argmin())]


PROBE = """
import sys
from typer.testing import CliRunner
from fastapi.testclient import TestClient
from cli import app
import api
runner = CliRunner()
assert runner.invoke(app, ["search", "What is Family Valued?", "--json"]).exit_code == 0
assert runner.invoke(app, ["ask", "What is Family Valued?", "--json"]).exit_code == 0
client = TestClient(api.app)
assert client.get("/search", params={"q": "family group conference"}).status_code == 200
assert client.post("/ask", json={"question": "Which authorities adopt No Wrong Door?"}).status_code == 200
print(sorted(m for m in ("torch", "transformers", "sentence_transformers") if m in sys.modules))
"""


def test_search_ask_and_server_never_import_torch(corpus_index: Path) -> None:
    assert store.open_index(corpus_index).manifest.query_model
    env = {"KB_INDEX_DIR": str(corpus_index), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
