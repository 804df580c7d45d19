"""Editors' changes survive a crash: an upload killed at its worst moment is rolled back on the next start."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.documents import content_hash
from kb.editing import history, recover_interrupted
from kb.embedding import SentenceTransformerEmbedder
from kb.ingest import ingest
from kb.store import current_generation, indexed_documents

from .conftest import CORPUS, ROOT

# Uploads a file and stops for good when the index asks for the model (files moved, index not yet written).
CHILD = """
import sys, time
from pathlib import Path
from kb.editing import add_document

def stuck():
    Path(sys.argv[4]).write_text("moved")
    time.sleep(600)

add_document(sys.argv[3], b"# Issue 6, second draft\\n\\nA paragraph no index has seen before.",
             {}, corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2]), replace=True, embedder_factory=stuck)
"""


def corpus_agrees_with_index(corpus: Path, index: Path) -> dict[str, str]:
    """The corpus's documents and their hashes, after checking the index holds exactly those."""
    generation = current_generation(index)
    assert generation is not None
    indexed = {doc_id: digest for doc_id, (digest, _) in indexed_documents(generation).items()}
    files = {p.stem: content_hash(p) for p in corpus.iterdir() if p.suffix == ".md"}
    assert files == indexed
    return files


@pytest.mark.parametrize("name", ["journal-issue-6.md", "draft-issue-7.md"], ids=["replace", "add"])
def test_an_upload_killed_before_it_is_indexed_is_rolled_back_on_the_next_start(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, name: str
) -> None:
    corpus, index, marker = tmp_path / "corpus", tmp_path / "index", tmp_path / "moved"
    corpus.mkdir()
    shutil.copy(CORPUS / "journal-issue-6.md", corpus)
    ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    before = corpus_agrees_with_index(corpus, index)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(corpus), str(index), name, str(marker)], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "the upload never reached the index"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert (corpus / name).read_bytes().startswith(b"# Issue 6, second draft")  # the crash left the new file in

    outcome = recover_interrupted(corpus, index)
    assert outcome is not None and "rolled back" in outcome and name in outcome
    assert corpus_agrees_with_index(corpus, index) == before
    assert history(corpus) == [] and not list(corpus.glob(".upload-*"))
    assert recover_interrupted(corpus, index) is None  # nothing left to do


def test_the_history_keeps_at_most_n_versions_per_document_and_none_older_than_m_days(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from typer.testing import CliRunner

    from cli import app
    from kb.editing import HISTORY_DIR, prune_history
    from kb.settings import get_settings

    corpus = tmp_path / "corpus"
    for doc_id, versions in (("issue-6", ["20240101T000000000000Z", "20260101T000000000000Z", "20260102T000000000000Z"]),
                             ("issue-7", ["20260103T000000000000Z"])):  # fmt: skip
        for version in versions:
            folder = corpus / HISTORY_DIR / doc_id / version
            folder.mkdir(parents=True)
            (folder / f"{doc_id}.md").write_text("# Old\n\nText.\n")
            entry = {"doc_id": doc_id, "version": version, "action": "replaced", "title": "Old", "file_name": f"{doc_id}.md",
                     "saved_at": version}  # fmt: skip
            (folder / "version.json").write_text(json.dumps(entry))
    removed = prune_history(corpus, keep=2, days=0)
    assert [v.version for v in removed] == ["20240101T000000000000Z"]  # the third of issue-6
    monkeypatch.setenv("KB_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("KB_HISTORY_DAYS", "10000")
    monkeypatch.setenv("KB_HISTORY_VERSIONS", "1")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["history", "--prune"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0 and "removed issue-6" in result.output and "20260101T000000000000Z" in result.output
    assert [(v.doc_id, v.version) for v in history(corpus)] == [
        ("issue-7", "20260103T000000000000Z"), ("issue-6", "20260102T000000000000Z")
    ]
