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



def test_pruning_the_last_version_of_a_document_leaves_no_empty_folder(tmp_path: Path) -> None:
    import json

    from kb.editing import HISTORY_DIR, prune_history

    corpus = tmp_path / "corpus"
    folder = corpus / HISTORY_DIR / "issue-6" / "20240101T000000000000Z"
    folder.mkdir(parents=True)
    (folder / "issue-6.md").write_text("# Old\n\nText.\n")
    entry = {"doc_id": "issue-6", "version": folder.name, "action": "replaced", "title": "Old", "file_name": "issue-6.md",
             "saved_at": "2024-01-01T00:00:00"}  # fmt: skip
    (folder / "version.json").write_text(json.dumps(entry))
    assert [v.version for v in prune_history(corpus, keep=1, days=1)] == [folder.name]  # older than a day
    assert list((corpus / HISTORY_DIR).iterdir()) == []

# Runs one edit of journal-issue-6 and kills itself (SIGKILL, as `kill -9` would) at a chosen moment: while the
# old files are being archived, when the index is about to change, or just after the new index is live.
EDIT_CHILD = """
import os, shutil, signal, sys
from pathlib import Path
import kb.editing as editing, kb.store as store

kind, moment, corpus, index = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

def then_die(real):
    def wrapped(*args, **kwargs):
        result = real(*args, **kwargs)
        if moment != "archiving" or ".history" in str(args[1]):
            die()
        return result
    return wrapped

if moment == "archiving":
    shutil.move, shutil.copy2 = then_die(shutil.move), then_die(shutil.copy2)
elif moment == "indexing":
    editing.ingest = editing.remove_documents = die
else:
    store.commit_generation = then_die(store.commit_generation)
if kind == "re-describe":
    editing.update_metadata("journal-issue-6", {"title": "Issue 6, renamed"}, corpus_dir=corpus, index_dir=index)
elif kind == "restore":
    editing.restore_document("journal-issue-6", corpus_dir=corpus, index_dir=index)
else:
    editing.delete_document("journal-issue-6", corpus_dir=corpus, index_dir=index)
"""


def corpus_state(corpus: Path, index: Path) -> tuple[object, ...]:
    """Everything an edit may change: the corpus files, the history folder, the indexed documents and titles."""
    from kb.store import document_titles

    generation = current_generation(index)
    assert generation is not None
    files = {p.name: p.read_bytes() for p in corpus.iterdir() if not p.name.startswith(".")}
    kept = sorted(str(p.relative_to(corpus)) for p in (corpus / ".history").rglob("*")) if (corpus / ".history").exists() else []
    return files, kept, indexed_documents(generation), document_titles(generation)


@pytest.mark.parametrize("moment", ["archiving", "indexing", "indexed"])
@pytest.mark.parametrize("kind", ["re-describe", "restore", "delete"])
def test_an_edit_killed_at_any_moment_leaves_the_old_state_or_the_new_one_after_recovery(
    tmp_path: Path, embedder: SentenceTransformerEmbedder, kind: str, moment: str
) -> None:
    from kb.editing import update_metadata

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copy(CORPUS / "journal-issue-6.md", corpus)
    ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    if kind == "restore":  # a kept version to restore: the file as it was before its title was changed
        update_metadata("journal-issue-6", {"title": "Issue 6, first rename"}, corpus_dir=corpus, index_dir=index,
                        embedder_factory=lambda: embedder)  # fmt: skip
    before = corpus_state(corpus, index)

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.run([sys.executable, "-c", EDIT_CHILD, kind, moment, str(corpus), str(index)], cwd=ROOT, env=env,
                           timeout=300, check=False)  # fmt: skip
    assert child.returncode == -signal.SIGKILL, "the edit never reached the moment it was to be killed at"
    assert (corpus / ".upload-journal.json").exists()  # the crash left the edit half done

    outcome = recover_interrupted(corpus, index)
    assert outcome is not None and "journal-issue-6" in outcome
    if moment != "indexed":
        assert "rolled back" in outcome
        assert corpus_state(corpus, index) == before
        return
    assert "finished" in outcome
    files, kept, indexed, titles = corpus_state(corpus, index)
    assert {Path(name).stem for name in files if name.endswith(".md")} == {doc_id for doc_id in indexed}
    for name in files:
        if name.endswith(".md"):
            assert indexed[Path(name).stem][0] == content_hash(corpus / name)
    actions = [v.action for v in history(corpus, "journal-issue-6")]
    if kind == "re-describe":
        assert titles == {"journal-issue-6": "Issue 6, renamed"} and actions == ["re-described"]
    elif kind == "restore":
        assert titles["journal-issue-6"] != "Issue 6, first rename" and actions == ["restored-over", "re-described"]
    else:
        assert not files and not indexed and actions == ["deleted"]
    assert not (corpus / ".upload-journal.json").exists() and recover_interrupted(corpus, index) is None


def test_an_edit_on_a_full_disk_says_so_and_changes_nothing(tmp_path: Path, embedder: SentenceTransformerEmbedder) -> None:
    from kb.editing import add_document, update_metadata
    from kb.errors import StorageError

    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True, check=False).returncode:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        corpus, index = disk / "corpus", tmp_path / "index"
        corpus.mkdir()
        shutil.copy(CORPUS / "journal-issue-6.md", corpus)
        ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
        with open(disk / "filler", "wb", buffering=0) as handle, pytest.raises(OSError):
            while True:
                handle.write(b"\0" * 4096)
        before = corpus_state(corpus, index)
        with pytest.raises(StorageError, match="is full: the change to the metadata of journal-issue-6 changed nothing"):
            update_metadata("journal-issue-6", {"title": "Renamed"}, corpus_dir=corpus, index_dir=index,
                            embedder_factory=lambda: embedder)  # fmt: skip
        with pytest.raises(StorageError, match="is full: draft-issue-7.md was not saved"):
            add_document("draft-issue-7.md", b"# Draft\n\n" + b"A long paragraph. " * 5000, {}, corpus_dir=corpus,
                         index_dir=index, embedder_factory=lambda: embedder)  # fmt: skip
        assert corpus_state(corpus, index) == before
        assert sorted(p.name for p in corpus.iterdir()) == [".edit.lock", "journal-issue-6.md"]
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
