"""Shared answers: POST /answers keeps the server's own answer under a link; GET /answers/{id} gives it back as it was,
each citation with the version it quotes and whether that is still current; editors remove one; `kb` has no part."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kb.errors import InvalidInputError, NotFoundError
from kb.shared_answers import keep_answer, read_answer, remove_answer

from .conftest import AUTH
from .test_api import upload


def test_a_shared_answer_is_kept_as_given_and_survives_a_restart(editor: tuple[TestClient, Path]) -> None:
    client, _ = editor
    body = {"question": "When was Issue 6 published?", "filters": {"doc_type": ["journal"]}}
    asked = client.post("/ask", json=body).json()
    shared = client.post("/answers", json=body)
    assert shared.status_code == 201, shared.text
    kept = shared.json()
    assert kept["url"] == f"/answers/{kept['id']}/view" and len(kept["id"]) >= 12
    assert (kept["question"], kept["answer"], kept["confident"]) == (asked["question"], asked["answer"], asked["confident"])
    assert [c["text"] for c in kept["citations"]] == [c["text"] for c in asked["citations"]]
    assert all(c["status"] == "current" and c["version"] for c in kept["citations"]) and kept["changed"] is False
    # Read back by anyone (a new client: nothing is held in the process but the file beside the index).
    again = TestClient(client.app).get(f"/answers/{kept['id']}")
    assert again.status_code == 200 and again.json()["answer"] == asked["answer"]
    page = client.get(kept["url"])
    assert page.status_code == 200 and "answer.js" in page.text


def test_a_shared_answer_says_when_its_source_was_replaced_or_deleted(editor: tuple[TestClient, Path]) -> None:
    client, _ = editor
    kept = client.post("/answers", json={"question": "When was Issue 6 published?"}).json()
    cited = kept["citations"][0]
    assert cited["doc_id"] == "journal-issue-6"
    shorter = b"# Issue 6\n\nA shorter issue, published in March 2024."
    assert upload(client, "journal-issue-6.md", shorter, replace="true").status_code == 201
    now = client.get(f"/answers/{kept['id']}").json()
    assert now["changed"] is True and now["answer"] == kept["answer"]  # the words as they were given
    assert now["citations"][0]["status"] == "replaced" and now["citations"][0]["version"] == cited["version"]
    assert now["citations"][0]["current_url"] == "/documents/journal-issue-6/view"
    assert client.delete("/documents/journal-issue-6", headers=AUTH).status_code == 200
    gone = client.get(f"/answers/{kept['id']}").json()["citations"][0]
    assert gone["status"] == "deleted" and gone["current_url"] is None


def test_editors_remove_a_shared_answer(editor: tuple[TestClient, Path]) -> None:
    client, _ = editor
    kept = client.post("/answers", json={"question": "When was Issue 6 published?"}).json()
    assert client.delete(f"/answers/{kept['id']}").status_code == 401  # a key is needed
    assert client.delete(f"/answers/{kept['id']}", headers=AUTH).status_code == 204
    missing = client.get(f"/answers/{kept['id']}")
    assert missing.status_code == 404 and "an editor removed it" in missing.json()["detail"]
    assert client.delete(f"/answers/{kept['id']}", headers=AUTH).status_code == 404


@pytest.mark.parametrize("search_anyway", [False, True])
def test_a_safeguarding_concern_is_never_kept_or_shared(editor: tuple[TestClient, Path], search_anyway: bool) -> None:
    client, corpus = editor
    question = "A boy at the hub has just told me his dad beats him and he's scared to go home tonight"
    refused = client.post("/answers", json={"question": question, "search_anyway": search_anyway})
    assert refused.status_code == 422 and "never kept or shared" in refused.json()["detail"]
    assert not (corpus.parent / "index" / "shared_answers.sqlite").exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "question: Field required"),
        ({"question": ""}, "question: String should have at least 1 character"),
        ({"question": "x" * 1001}, "question: String should have at most 1000 characters"),
        ({"question": "What is Issue 6?", "k": 0}, "k: Input should be greater than or equal to 1"),
    ],
)
def test_bad_share_requests_get_the_same_422_as_ask(
    editor: tuple[TestClient, Path], body: dict[str, object], message: str
) -> None:
    client, _ = editor
    response = client.post("/answers", json=body)
    assert response.status_code == 422 and message in response.json()["detail"]


def test_the_store_refuses_a_safeguarding_answer_and_reports_status(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite"
    with pytest.raises(InvalidInputError, match="never kept or shared"):
        keep_answer(path, answer={"answer": "Act now", "safeguarding": True, "citations": []}, versions={}, index_version=None)
    given = {"answer": "A [1] B [2] C [3]", "citations": [{"doc_id": "a"}, {"doc_id": "b"}, {"doc_id": "c"}]}
    kept = keep_answer(path, answer=given, versions={"a": "h1", "b": "h2", "c": "h3"}, index_version="1@t")
    later = read_answer(path, kept.id, current={"a": "h1", "b": "h9"}, titles={"a": "A", "b": "B2"})
    assert [(c.status, c.current_title) for c in later.citations] == [("current", "A"), ("replaced", "B2"), ("deleted", None)]
    remove_answer(path, kept.id)
    with pytest.raises(NotFoundError):
        read_answer(path, kept.id, current={})
