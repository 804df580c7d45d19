"""Memory under a stream of varied questions levels off: what answers remember stays within KB_CACHE_MB."""

from __future__ import annotations

import random
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kb import caching, suggestions
from kb.answering.features import phrase_share
from kb.councils import councils_in
from kb.settings import get_settings


@pytest.fixture
def one_mb_budget(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("KB_CACHE_MB", "1")
    get_settings.cache_clear()
    caching.SHARED.clear()
    yield
    get_settings.cache_clear()
    caching.SHARED.clear()


def passage(rng: random.Random) -> str:
    """A passage of about 2 KB that no earlier call has seen."""
    words = ["family", "group", "conference", "Leeds", "council", "practice", "social", "worker", "review", "care"]
    return " ".join(rng.choice(words) + str(rng.randrange(10**6)) for _ in range(250))


@contextmanager
def memory_kept() -> Iterator[list[int]]:
    """The bytes still allocated when the block ends (what caches kept), in a one-item list."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    kept = [0]
    try:
        yield kept
    finally:
        kept[0] = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()


def test_answers_remember_at_most_kb_cache_mb_of_what_they_read(one_mb_budget: None) -> None:
    rng = random.Random(7)
    with memory_kept() as kept:
        for i in range(1000):  # 2 MB of passages, read once each
            text = passage(rng)
            phrase_share(f"What did council number {i} learn about family group conferences?", text)
            councils_in(text)
    assert kept[0] < 2 * 1024 * 1024, f"{kept[0] / 1e6:.1f} MB kept for a 1 MB budget"
    assert caching.SHARED.bytes <= 1024 * 1024


def test_the_byte_budget_drops_the_least_recently_used_first() -> None:
    cache = caching.ByteBudgetCache(lambda: 10_000)
    for i in range(100):
        cache.put(("x", i), "v", 1000)
        cache.get(("x", 0))  # read again and again: kept
    assert len(cache) == 10 and cache.bytes == 10_000
    assert cache.get(("x", 0)) == "v" and cache.get(("x", 1)) is None and cache.get(("x", 99)) == "v"
    cache.put("too big", "v", 5000)  # more than an eighth of the budget: not kept at all
    assert cache.get("too big") is None


def test_suggestions_are_kept_for_the_live_index_version_only(monkeypatch: pytest.MonkeyPatch) -> None:
    class Versions:
        """A knowledge base whose index changes at every look (an editor saving all day)."""

        index_dir = Path("/nowhere")
        version = 0

        def index_version(self) -> str:
            self.version += 1
            return str(self.version)

        def facets(self) -> dict[str, list[dict[str, object]]]:
            return {"models": [], "themes": []}

        @contextmanager
        def snapshot(self) -> Iterator[None]:
            yield None

    monkeypatch.setattr(suggestions, "_cache", {})
    kb = Versions()
    for _ in range(50):
        suggestions.suggested_questions(kb)  # type: ignore[arg-type]
    assert len(suggestions._cache) == 1
