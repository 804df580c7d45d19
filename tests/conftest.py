"""Shared fixtures: the real bundled model (loaded once) and an index of the real corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.embedding import SentenceTransformerEmbedder
from kb.ingest import ingest
from kb.knowledge_base import KnowledgeBase
from kb.settings import get_settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def embedder() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder()


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory, embedder: SentenceTransformerEmbedder) -> Path:
    """An index of a copy of the project corpus (tests never touch the real corpus/ or index/)."""
    base = tmp_path_factory.mktemp("corpus_index")
    shutil.copytree(CORPUS, base / "corpus")
    ingest([base / "corpus"], index_dir=base / "index", embedder_factory=lambda: embedder)
    return base / "index"


@pytest.fixture(scope="session")
def knowledge_base(corpus_index: Path, embedder: SentenceTransformerEmbedder) -> KnowledgeBase:
    return KnowledgeBase(corpus_index, embedder=embedder)


@pytest.fixture
def kb_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """KB_INDEX_DIR and KB_CORPUS_DIR pointing into tmp_path, for tests of the shells."""
    monkeypatch.setenv("KB_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("KB_CORPUS_DIR", str(tmp_path / "corpus"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


EDITOR_KEY = "test-editor-key"
AUTH = {"Authorization": f"Bearer {EDITOR_KEY}"}


@pytest.fixture
def editor(tmp_path: Path, embedder: SentenceTransformerEmbedder):  # type: ignore[no-untyped-def]
    """A TestClient with editing enabled, on its own corpus (one journal issue) and index."""
    from fastapi.testclient import TestClient

    import api
    from kb.settings import Settings

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copy(CORPUS / "journal-issue-6.md", corpus)
    ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    kb = KnowledgeBase(index, embedder=embedder)
    api.app.dependency_overrides[api.get_kb] = lambda: kb
    api.app.dependency_overrides[get_settings] = lambda: Settings(index_dir=index, corpus_dir=corpus, api_key=EDITOR_KEY)
    yield TestClient(api.app), corpus
    api.app.dependency_overrides.clear()


# Tests that load the real model, build real indexes, start a server or a browser: `pytest -m "not slow"`
# leaves them out for a quick run of the logic (README, "Tests"); `make test` runs everything.
SLOW_FIXTURES = frozenset(
    {"embedder", "corpus_index", "knowledge_base", "editor", "client", "kb_env", "server", "page", "live_index", "small_index"}
)
SLOW_MODULES = frozenset({"test_real_pdfs", "test_load", "test_query_path", "test_api_schema", "test_atomic"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if getattr(item, "module", None) else ""
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
