"""Feedback storage and its rate limit (pure logic on a temporary SQLite file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.errors import InvalidInputError
from kb.feedback import RateLimit, list_feedback, record_feedback
from kb.settings import Settings


def test_feedback_is_kept_and_listed_newest_first(tmp_path: Path) -> None:
    path = Settings(index_dir=tmp_path / "index").feedback_file
    assert list_feedback(path) == []  # nothing given yet: no file is needed
    record_feedback(path, question="What is FV?", answer="Family Valued is ... [1]", helpful=True, index_version="1@x")
    second = record_feedback(
        path,
        question="What is NWD?",
        answer="No Wrong Door is ... [1]",
        helpful=False,
        comment="  Missing the ages.  ",
        citations=[{"n": 1, "doc_id": "programme-overview", "chunk_id": 7, "page": 4}],
        filters={"model": ["no-wrong-door"]},
    )
    entries = list_feedback(path)
    assert [e.question for e in entries] == ["What is NWD?", "What is FV?"]
    assert entries[0] == second and second.comment == "Missing the ages." and second.citations[0]["page"] == 4
    assert [e.question for e in list_feedback(path, helpful=False)] == ["What is NWD?"]
    elsewhere = tmp_path / "elsewhere.sqlite"
    assert Settings(index_dir=tmp_path / "index", feedback_path=elsewhere).feedback_file == elsewhere


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"question": "  "}, "feedback needs the question"),
        ({"comment": "x" * 2001}, "the comment is 2001 characters long; the limit is 2000"),
        ({"answer": "x" * 20_001}, "the answer is 20001 characters long; the limit is 20000"),
    ],
)
def test_bad_feedback_is_refused_with_what_is_valid(tmp_path: Path, fields: dict[str, str], message: str) -> None:
    values = {"question": "What is FV?", "answer": "It is ...", "helpful": True, **fields}
    with pytest.raises(InvalidInputError, match=message):
        record_feedback(tmp_path / "f.sqlite", **values)  # type: ignore[arg-type]
    assert list_feedback(tmp_path / "f.sqlite") == []


def test_the_rate_limit_is_per_client_and_slides(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("kb.feedback.time.monotonic", lambda: now[0])
    limit = RateLimit(2, 60)
    assert limit.retry_after("a") == 0 and limit.retry_after("a") == 0
    assert limit.retry_after("a") == pytest.approx(60)
    assert limit.retry_after("b") == 0  # another client is not held back
    now[0] += 61
    assert limit.retry_after("a") == 0


def test_feedback_on_a_full_disk_is_a_clear_503_and_the_service_keeps_answering(full_disk: Path) -> None:
    from fastapi.testclient import TestClient

    import api
    from kb.errors import StorageError
    from kb.settings import get_settings

    path = full_disk / "feedback.sqlite"
    with pytest.raises(StorageError, match="the disk is full; nothing was stored"):
        record_feedback(path, question="What is FV?", answer="It is ... [1]", helpful=True)
    # A rate of its own: the limiter of the default rate is shared with the other tests' feedback in this process.
    chosen = Settings(
        index_dir=full_disk.parent / "index", corpus_dir=full_disk.parent / "corpus", feedback_path=path, feedback_per_hour=9_999
    )
    api.app.dependency_overrides[get_settings] = lambda: chosen
    try:
        client = TestClient(api.app)
        response = client.post("/feedback", json={"question": "What is FV?", "answer": "It is ... [1]", "helpful": True})
        assert response.status_code == 503 and "the disk is full" in response.json()["detail"]
        assert client.get("/").status_code == 200
    finally:
        api.app.dependency_overrides.clear()
