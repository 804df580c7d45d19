"""The index on disk: manifests, missing and damaged indexes, and ingests that fail or change nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kb import store
from kb.chunking import CHUNKER_VERSION
from kb.errors import IndexMismatchError, IndexMissingError
from kb.ingest import ingest
from kb.knowledge_base import KnowledgeBase

from .conftest import CORPUS


@pytest.fixture
def small_index(tmp_path: Path, embedder) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "journal-issue-6.md", corpus)
    shutil.copy(CORPUS / "programme-overview.pdf", corpus)
    shutil.copy(CORPUS / "programme-overview.pdf.yaml", corpus)
    index = tmp_path / "index"
    ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    return corpus, index


def test_opening_before_any_ingest_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="it has not been built from the corpus yet"):
        store.open_index(tmp_path / "index")


@pytest.mark.parametrize(("field", "value"), [("model", "some/other-model"), ("chunker_version", "0")])
def test_index_from_another_model_or_chunker_asks_for_rebuild(small_index, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    _, index = small_index
    manifest_path = store.current_generation(index) / store.MANIFEST_NAME
    data = json.loads(manifest_path.read_text())
    data[field] = value
    manifest_path.write_text(json.dumps(data))
    with pytest.raises(IndexMismatchError, match=r"it must be rebuilt from the corpus"):
        store.open_index(index)


def test_rebuild_recovers_from_a_mismatched_index(small_index, embedder) -> None:  # type: ignore[no-untyped-def]
    corpus, index = small_index
    manifest_path = store.current_generation(index) / store.MANIFEST_NAME
    manifest_path.write_text(
        manifest_path.read_text().replace(f'"chunker_version": "{CHUNKER_VERSION}"', '"chunker_version": "0"')
    )
    with pytest.raises(IndexMismatchError):
        ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    report = ingest([corpus], index_dir=index, rebuild=True, embedder_factory=lambda: embedder)
    assert report.documents == 2
    assert store.open_index(index).manifest.chunks == report.chunks


def test_damaged_faiss_file_is_reported_with_the_fix(small_index) -> None:  # type: ignore[no-untyped-def]
    _, index = small_index
    (store.current_generation(index) / store.FAISS_NAME).write_bytes(b"not a faiss index")
    with pytest.raises(IndexMismatchError, match="damaged.*it must be rebuilt from the corpus"):
        store.open_index(index)


def test_failed_file_leaves_the_previous_index_as_it_was(small_index, embedder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    corpus, index = small_index
    before = store.open_index(index).manifest
    (corpus / "journal-issue-6.md").write_bytes(b"\xff\xfe not utf-8 \xff")  # an edit that breaks the file
    report = ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    assert [Path(f.path).name for f in report.failed] == ["journal-issue-6.md"]
    assert "not UTF-8" in report.failed[0].reason
    after = store.open_index(index)
    assert after.manifest.generation == before.generation  # nothing else changed, so nothing was written
    titles = [d.title for d in KnowledgeBase(index, embedder=embedder).documents()]
    assert "Issue 6 | Strengthening Families Journal" in titles


def test_unchanged_corpus_is_not_reembedded(small_index) -> None:  # type: ignore[no-untyped-def]
    corpus, index = small_index

    def no_model():  # type: ignore[no-untyped-def]
        raise AssertionError("an ingest with nothing to do must not load the model")

    report = ingest([corpus], index_dir=index, embedder_factory=no_model)
    assert report.generation is None and sorted(report.unchanged) == ["journal-issue-6", "programme-overview"]


def test_chunk_ids_are_stable_for_unchanged_documents(small_index, embedder) -> None:  # type: ignore[no-untyped-def]
    corpus, index = small_index
    ids_before = [
        r[0] for r in store.open_index(index).db.execute("SELECT chunk_id FROM chunks WHERE doc_id = 'programme-overview'")
    ]
    (corpus / "journal-issue-6.md").write_text((corpus / "journal-issue-6.md").read_text() + "\nA new closing paragraph.\n")
    journal_chunks = (
        store.open_index(index).db.execute("SELECT count(*) FROM chunks WHERE doc_id = 'journal-issue-6'").fetchone()[0]
    )
    report = ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    assert report.replaced == ["journal-issue-6"]
    assert 1 <= report.chunks_embedded < journal_chunks  # only the passage whose text changed is embedded again
    ids_after = [
        r[0] for r in store.open_index(index).db.execute("SELECT chunk_id FROM chunks WHERE doc_id = 'programme-overview'")
    ]
    assert ids_after == ids_before


def test_deleted_file_is_removed_from_the_index(small_index, embedder) -> None:  # type: ignore[no-untyped-def]
    corpus, index = small_index
    (corpus / "journal-issue-6.md").unlink()
    report = ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    assert report.removed == ["journal-issue-6"]
    assert [d.doc_id for d in KnowledgeBase(index, embedder=embedder).documents()] == ["programme-overview"]


def test_large_indexes_switch_to_hnsw_and_still_find_and_filter(
    tmp_path: Path, embedder, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    from kb.search import Filters

    monkeypatch.setattr(store, "HNSW_THRESHOLD", 10)  # the real threshold is 50,000 chunks
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    ingest([corpus], index_dir=tmp_path / "index", embedder_factory=lambda: embedder)
    assert store.open_index(tmp_path / "index").manifest.index_type == "hnsw"
    kb = KnowledgeBase(tmp_path / "index", embedder=embedder)
    hits = kb.search("What conversational approach do Family Safeguarding teams use?", k=3, mode="dense")
    assert any("Motivational Interviewing" in h.text for h in hits)
    filtered = kb.search("residential care", k=3, mode="dense", filters=Filters.parse(doc_type=["transcript"]))
    assert filtered and all(h.doc_type == "transcript" for h in filtered)


def test_a_request_reads_one_generation_and_a_replaced_one_is_closed_after_it(small_index, embedder) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    corpus, index = small_index
    kb = KnowledgeBase(index, embedder=embedder)
    question = "Isabelle Trowler chief social worker"
    with kb.snapshot() as snap:
        before = [h.doc_id for h in kb.search(question, snap=snap)]
        shutil.copy(CORPUS / "transcript-macalister-trowler.md", corpus)
        ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)  # publishes a new generation meanwhile
        assert [h.doc_id for h in kb.search(question, snap=snap)] == before  # the request still sees its own
        assert "transcript-macalister-trowler" not in before
        assert kb.search(question)[0].doc_id == "transcript-macalister-trowler"  # a new request sees the new one
        snap.db.execute("SELECT 1")  # still open: the request holds it
    with pytest.raises(sqlite3.ProgrammingError):
        snap.db.execute("SELECT 1")  # closed once the request let go
