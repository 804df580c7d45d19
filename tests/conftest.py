"""Shared fixtures: the real bundled model (loaded once) and an index of the real corpus."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

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


@dataclass(frozen=True)
class Finished:
    """What an editor finally sees of an upload: its job's report (as the 201 it used to be) or its error."""

    status_code: int
    body: dict  # type: ignore[type-arg]

    def json(self) -> dict:  # type: ignore[type-arg]
        return self.body

    @property
    def text(self) -> str:
        return str(self.body)


def finish_upload(client, response, headers: dict[str, str] = AUTH, timeout: float = 120) -> Finished:  # type: ignore[no-untyped-def]
    """Follow an accepted upload (202 and a job) until its job is done or failed; any other answer as it was."""
    if response.status_code != 202:
        return Finished(response.status_code, response.json())
    url = response.json()["job"]["url"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(url, headers=headers).json()
        assert "status" in job, job
        if job["status"] == "done":
            return Finished(201, job["report"])
        if job["status"] == "failed":
            return Finished(job["error_code"], {"detail": job["error"]})
        time.sleep(0.05)
    raise AssertionError(f"the upload job {url} did not finish within {timeout} s")


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
    api.feedback_limit.cache_clear()  # every test's client is "testclient": earlier tests' feedback must not count
    yield TestClient(api.app), corpus
    api.app.dependency_overrides.clear()


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a 1 MB file system with no room left (a tmpfs: skipped where mounting is not allowed)."""
    mount = tmp_path / "full"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, check=False)
    if made.returncode:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        try:
            with open(mount / "filler", "wb", buffering=0) as handle:
                while True:
                    handle.write(b"\0" * 4096)
        except OSError:
            pass  # full
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


# ---- the page in a real browser against `kb serve` -------------------------------------------------

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling out on this closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(env: dict[str, str]) -> Iterator[str]:
    """`kb serve` on a free loopback port with these KB_ settings, until the caller is done."""
    port = free_port()
    env = {**os.environ, **env, "KB_HOST": "127.0.0.1", "KB_PORT": str(port)}
    process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "serve"], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("kb serve did not answer /health within 60 s")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def server(corpus_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The chat page and API on the corpus index (read-only: its corpus is not the one served for editing)."""
    feedback = tmp_path_factory.mktemp("feedback") / "feedback.sqlite"
    corpus = tmp_path_factory.mktemp("no_corpus")
    settings = {"KB_INDEX_DIR": str(corpus_index), "KB_CORPUS_DIR": str(corpus), "KB_FEEDBACK_PATH": str(feedback)}
    yield from serve({**settings, "KB_API_KEY": EDITOR_KEY})


@pytest.fixture
def editor_server(tmp_path: Path, embedder: SentenceTransformerEmbedder) -> Iterator[tuple[str, Path]]:
    """A server with editing on, over its own corpus (one journal issue) and index."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    shutil.copy(CORPUS / "journal-issue-6.md", corpus)
    ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    for url in serve({"KB_INDEX_DIR": str(index), "KB_CORPUS_DIR": str(corpus), "KB_API_KEY": EDITOR_KEY}):
        yield url, corpus


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def browser_page(viewport: dict[str, int]) -> Iterator[Page]:
    """A fresh Chromium (empty storage) with one page of the given size."""
    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install chromium (make test and .ci/run do this)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        yield context.new_page()
        browser.close()


@pytest.fixture
def page() -> Iterator[Page]:
    """A phone-width page."""
    yield from browser_page(PHONE)


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def any_page(request: pytest.FixtureRequest) -> Iterator[Page]:
    """The test runs on a 1280x800 desktop and on a 390x844 phone."""
    yield from browser_page(request.param)


# Tests that load the real model, build real indexes, start a server or a browser: `pytest -m "not slow"`
# leaves them out for a quick run of the logic (README, "Tests"); `make test` runs everything.
SLOW_FIXTURES = frozenset(
    {"embedder", "corpus_index", "knowledge_base", "editor", "client", "kb_env", "server", "editor_server", "page", "any_page"}
    | {"live_index", "small_index"}
)
SLOW_MODULES = frozenset({"test_real_pdfs", "test_load", "test_query_path", "test_api_schema", "test_atomic"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if getattr(item, "module", None) else ""
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or module in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
