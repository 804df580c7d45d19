"""Ingests are all-or-nothing: killed at any moment, or racing each other, the index stays whole."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from kb import store
from kb.ingest import ingest
from kb.knowledge_base import KnowledgeBase

from .conftest import CORPUS, ROOT

QUERY = "Which services do Family Safeguarding teams provide in-house?"


@pytest.fixture
def live_index(tmp_path: Path, embedder) -> tuple[Path, Path, list[int]]:  # type: ignore[no-untyped-def]
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    for name in ("programme-overview.pdf", "programme-overview.pdf.yaml", "journal-issue-6.md"):
        shutil.copy(CORPUS / name, corpus)
    ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    before = [h.chunk_id for h in KnowledgeBase(index, embedder=embedder).search(QUERY, k=5)]
    return corpus, index, before


def env_for(corpus: Path, index: Path) -> dict[str, str]:
    return {**os.environ, "KB_INDEX_DIR": str(index), "KB_CORPUS_DIR": str(corpus)}


@pytest.mark.parametrize("delay", [0.5, 2.0, 4.0, 7.0, 10.0, 13.0])
def test_sigkill_at_any_moment_leaves_an_index_that_answers(live_index, embedder, delay: float) -> None:  # type: ignore[no-untyped-def]
    corpus, index, before = live_index
    for name in ("transcript-macalister-trowler.md", "sfpc-programme-case-study.md", "sfpc-learning-event-case-study.md"):
        shutil.copy(CORPUS / name, corpus)  # work for the ingest to be killed in the middle of
    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "ingest"], env=env_for(corpus, index), cwd=ROOT)
    time.sleep(delay)
    finished = process.poll() is not None
    process.send_signal(signal.SIGKILL)
    process.wait()
    reader = store.open_index(index)  # opens: never half-written
    assert reader.manifest.documents in (2, 5)
    assert reader.vectors.ntotal == reader.manifest.chunks
    hits = KnowledgeBase(index, embedder=embedder).search(QUERY, k=5)
    if reader.manifest.documents == 2:
        assert [h.chunk_id for h in hits] == before  # answers exactly as before
    else:  # the new generation had been switched in whole: it answers from the documents it added
        new = KnowledgeBase(index, embedder=embedder).search("Isabelle Trowler chief social worker appointed", k=5)
        assert any(h.doc_id == "transcript-macalister-trowler" for h in new), finished
    report = ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)  # and the next sync completes
    assert report.documents == 5
    assert not list(index.glob("gen-*.tmp"))


def test_a_second_ingest_stops_with_a_clear_message(live_index) -> None:  # type: ignore[no-untyped-def]
    corpus, index, _ = live_index
    shutil.copy(CORPUS / "sfpc-programme-case-study.md", corpus)
    with store.ingest_lock(index):
        result = subprocess.run(
            [sys.executable, str(ROOT / "cli.py"), "ingest"], env=env_for(corpus, index), cwd=ROOT, capture_output=True, text=True
        )
    assert result.returncode == 1
    assert "another ingest is updating" in result.stderr
    assert store.open_index(index).manifest.documents == 2


def test_a_running_knowledge_base_sees_a_new_index_without_restart(live_index, embedder) -> None:  # type: ignore[no-untyped-def]
    corpus, index, _ = live_index
    kb = KnowledgeBase(index, embedder=embedder)
    assert not [h for h in kb.search("profit motive in children's homes", k=5) if h.doc_id == "transcript-macalister-trowler"]
    shutil.copy(CORPUS / "transcript-macalister-trowler.md", corpus)
    subprocess.run([sys.executable, str(ROOT / "cli.py"), "ingest"], env=env_for(corpus, index), cwd=ROOT, check=True)
    assert kb.search("profit motive in children's homes", k=1)[0].doc_id == "transcript-macalister-trowler"


def test_damaged_index_is_reported_and_rebuild_recovers(live_index, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    corpus, index, _ = live_index
    monkeypatch.setenv("KB_INDEX_DIR", str(index))
    monkeypatch.setenv("KB_CORPUS_DIR", str(corpus))
    generation = store.current_generation(index)
    (generation / store.DB_NAME).write_bytes(b"this is not a database" * 100)
    runner = CliRunner()
    result = runner.invoke(app, ["search", QUERY])
    assert result.exit_code == 1 and "damaged" in result.output and "kb ingest --rebuild" in result.output
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 1 and "kb ingest --rebuild" in result.output
    result = runner.invoke(app, ["ingest", "--rebuild"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["search", QUERY]).exit_code == 0
