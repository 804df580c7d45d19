"""The HTTP API through FastAPI's TestClient, on an index of the real corpus and the real model."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import api
from kb.embedding import SentenceTransformerEmbedder
from kb.ingest import ingest
from kb.knowledge_base import KnowledgeBase
from kb.settings import Settings, get_settings

from .conftest import AUTH, finish_upload
from .pdf_factory import image_only_pdf, multipage_pdf


@pytest.fixture
def client(knowledge_base: KnowledgeBase, corpus_index: Path) -> Iterator[TestClient]:
    """Read-only client on the shared corpus index."""
    api.app.dependency_overrides[get_kb_dependency()] = lambda: knowledge_base
    api.app.dependency_overrides[get_settings] = lambda: Settings(
        index_dir=corpus_index, corpus_dir=corpus_index.parent / "corpus"
    )
    yield TestClient(api.app)
    api.app.dependency_overrides.clear()


def get_kb_dependency():  # type: ignore[no-untyped-def]
    return api.get_kb


def test_health_reports_the_index(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["documents"] == 6 and body["chunks"] > 20
    assert body["index_version"]


def test_search_returns_the_same_objects_as_the_cli(client: TestClient) -> None:
    response = client.get("/search", params={"q": "What conversational approach do Family Safeguarding teams use?", "k": 3})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    assert {"rank", "score", "chunk_id", "doc_id", "title", "doc_type", "date", "section", "page", "text", "tags"} <= set(
        results[0]
    )
    assert any("Motivational Interviewing" in r["text"] and r["page"] for r in results)


def test_search_reads_a_misspelt_name_as_meant_and_says_so(client: TestClient) -> None:
    """As `ask` does: "famly safegarding" is searched as Family Safeguarding, and the response says what was searched for."""
    body = client.get("/search", params={"q": "famly safegarding adult workers", "k": 3}).json()
    assert body["query"] == "famly safegarding adult workers"
    assert body["searched_for"] == "Family Safeguarding adult workers"
    assert body["corrections"] and all("→" in c for c in body["corrections"])
    assert any("Family Safeguarding" in r["text"] for r in body["results"])
    plain = client.get("/search", params={"q": "family group conferences", "k": 1}).json()
    assert plain["searched_for"] is None and plain["corrections"] == []


def test_search_filters_by_model_and_doc_type(client: TestClient) -> None:
    response = client.get(
        "/search", params={"q": "support for families", "model": "no-wrong-door", "doc_type": ["overview"], "k": 5}
    )
    results = response.json()["results"]
    assert results and all(r["doc_type"] == "overview" and "no-wrong-door" in r["tags"]["model"] for r in results)


def test_ask_answers_with_citations_and_follows_up(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "What is Family Valued?"}).json()
    assert body["confident"] and "[1]" in body["answer"]
    assert body["citations"][0]["title"] and body["citations"][0]["text"]
    follow = client.post(
        "/ask",
        json={"question": "And which councils adopted it?", "history": [{"role": "user", "content": "What is No Wrong Door?"}]},
    ).json()
    assert any("Middlesbrough" in c["text"] for c in follow["citations"][:3])


def test_a_follow_up_to_a_misspelt_question_searches_the_name_as_meant(client: TestClient) -> None:
    history = [{"role": "user", "content": "What is famly safegarding?"}, {"role": "assistant", "content": "..."}]
    follow = client.post("/ask", json={"question": "How many councils adopted it?", "history": history}).json()
    assert "Family Safeguarding" in follow["searched_for"] and "famly" not in follow["search_query"]


def test_ask_says_plainly_when_not_covered(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "What is the capital of France?"}).json()
    assert body["confident"] is False and "does not cover" in body["answer"] and body["citations"]


def test_facets_and_documents(client: TestClient) -> None:
    facets = client.get("/facets").json()
    assert [m["id"] for m in facets["models"]] == ["family-valued", "family-safeguarding", "no-wrong-door"]
    assert all(m["count"] > 0 for m in facets["models"])
    assert {d["id"] for d in facets["doc_types"] if d["count"]} == {"case-study", "event", "transcript", "journal", "overview"}
    docs = client.get("/documents").json()
    assert len(docs) == 6 and "path" not in docs[0]
    detail = client.get("/documents/programme-overview").json()
    assert detail["doc_type"] == "overview" and len(detail["passages"]) == detail["chunks"]
    assert [p["page"] for p in detail["passages"]] == sorted(p["page"] for p in detail["passages"])


def test_peers_council_and_compare(client: TestClient) -> None:
    peers = client.get("/peers", params={"q": "reunification"}).json()
    assert peers["topic"] == "reunification"
    first = peers["councils"][0]
    assert {k: first[k] for k in ("id", "name", "role", "model")} == {
        "id": "coventry",
        "name": "Coventry City Council",
        "role": "adopter",
        "model": "Family Valued",
    }
    assert first["passages"][0]["doc_id"] == "journal-issue-6" and first["quotes"][0] in first["passages"][0]["text"]
    council = client.get("/councils/camden").json()
    assert council["role"] == "outside the programme" and council["documents"][0]["passages"]
    compare = client.get("/compare", params={"q": "What age range does each model work with?"}).json()
    assert [m["model"] for m in compare["models"]] == ["Family Valued", "Family Safeguarding", "No Wrong Door"]
    assert [m["confident"] for m in compare["models"]] == [False, False, True]


BAD_READS = [
    ("get", "/peers", {"params": {"q": ""}}, 422, "q: String should have at least 1 character"),
    ("get", "/peers", {"params": {"q": "care", "model": "x"}}, 422, "unknown model 'x'"),
    ("get", "/compare", {}, 422, "q: Field required"),
    ("get", "/councils/atlantis", {}, 404, "no council called 'atlantis'"),
    ("get", "/search", {"params": {"q": ""}}, 422, "q: String should have at least 1 character"),
    ("get", "/search", {"params": {"q": "x" * 1001}}, 422, "q: String should have at most 1000 characters"),
    ("get", "/search", {"params": {"q": "care", "k": 0}}, 422, "k: Input should be greater than or equal to 1"),
    ("get", "/search", {"params": {"q": "care", "k": 51}}, 422, "k: Input should be less than or equal to 50"),
    ("get", "/search", {"params": {"q": "care", "k": "many"}}, 422, "k: Input should be a valid integer"),
    (
        "get",
        "/search",
        {"params": {"q": "care", "model": "Family Support"}},
        422,
        "unknown model 'Family Support'; expected one of",
    ),
    ("get", "/search", {"params": {"q": "care", "theme": "cats"}}, 422, "unknown theme 'cats'"),
    (
        "get",
        "/search",
        {"params": {"q": "care", "doc_type": "vlog"}},
        422,
        "unknown doc_type 'vlog'; expected one of: evaluation-report",
    ),
    ("get", "/search", {"params": {"q": "care", "authority": "Atlantis"}}, 422, "unknown authority 'Atlantis'"),
    ("get", "/search", {"params": {"q": "   "}}, 422, "the question is empty"),
    ("post", "/ask", {"json": {}}, 422, "question: Field required"),
    ("post", "/ask", {"json": {"question": ""}}, 422, "question: String should have at least 1 character"),
    ("post", "/ask", {"json": {"question": "x" * 1001}}, 422, "at most 1000 characters"),
    ("post", "/ask", {"json": {"question": "care", "k": 99}}, 422, "k: Input should be less than or equal to 50"),
    ("post", "/ask", {"json": {"question": "care", "filters": {"model": ["x"]}}}, 422, "unknown model 'x'"),
    (
        "post",
        "/ask",
        {"json": {"question": "care", "history": [{"role": "bot", "content": "x"}]}},
        422,
        "history.0.role: Input should be 'user' or 'assistant'",
    ),
    ("post", "/ask", {"content": "not json", "headers": {"content-type": "application/json"}}, 422, "JSON decode error"),
    ("get", "/documents/no-such-doc", {}, 404, "no document with id 'no-such-doc'"),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "message"), BAD_READS, ids=[m for *_, m in BAD_READS])
def test_bad_requests_get_a_message_a_person_can_act_on(
    client: TestClient, method: str, path: str, kwargs: dict, status: int, message: str
) -> None:  # type: ignore[type-arg]
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code == status
    assert message in response.json()["detail"]


def test_editing_needs_the_right_key_and_is_off_without_one(editor: tuple[TestClient, Path]) -> None:
    client, corpus = editor
    response = client.delete("/documents/journal-issue-6", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401 and response.json()["detail"].startswith("this key is not valid")
    response = client.delete("/documents/journal-issue-6")
    assert response.status_code == 401 and "Authorization: Bearer" in response.json()["detail"]
    api.app.dependency_overrides[get_settings] = lambda: Settings(
        index_dir=corpus.parent / "index", corpus_dir=corpus, api_key=None
    )
    response = client.delete("/documents/journal-issue-6", headers=AUTH)
    assert response.status_code == 403 and "KB_API_KEY" in response.json()["detail"]
    assert (corpus / "journal-issue-6.md").exists()


def test_upload_indexes_a_pdf_and_delete_removes_it(editor: tuple[TestClient, Path], tmp_path: Path) -> None:
    client, corpus = editor
    pdf = multipage_pdf(tmp_path / "kinship-review.pdf")
    fields = {"title": "Kinship care review", "doc_type": "journal", "date": "2024-05"}
    response = upload(client, "kinship-review.pdf", pdf.read_bytes(), **fields)
    assert response.status_code == 201, response.text
    assert response.json()["added"] == ["kinship-review"] and response.json()["documents"] == 2
    assert (corpus / "kinship-review.pdf").exists() and (corpus / "kinship-review.pdf.yaml").exists()
    hits = client.get("/search", params={"q": "kinship offer allowances", "k": 1}).json()["results"]
    assert hits[0]["doc_id"] == "kinship-review" and hits[0]["title"] == "Kinship care review" and hits[0]["page"]
    response = client.delete("/documents/kinship-review", headers=AUTH)
    assert response.status_code == 200 and response.json()["removed"] == ["kinship-review"]
    assert not (corpus / "kinship-review.pdf").exists()
    assert client.get("/documents/kinship-review").status_code == 404


BAD_UPLOADS = [
    ("notes.xlsx", b"PK\x03\x04", {}, 422, "file type of 'notes.xlsx' is not supported; expected one of .md"),
    ("notes.docx", b"PK\x03\x04", {}, 422, "notes.docx: not a readable Word document"),
    ("n" * 300 + ".md", b"# Hi\n\nText.", {}, 422, "the file name is 303 bytes long; the limit is 250 bytes"),
    ("é" * 124 + ".pdf", b"%PDF", {}, 422, "the file name is 252 bytes long"),  # fits alone, not with '.yaml'
    ("note.md", b"# Hi\n\nText here.", {"date": "2024-13"}, 422, "date '2024-13' is not a real date"),
    ("note.md", b"# Hi\n\nText here.", {"date": "2024-02-31"}, 422, "date '2024-02-31' is not a real date"),
    ("note.md", b"# Hi\n\nText here.", {"date": "0000-00-00"}, 422, "date '0000-00-00' is not a real date"),
    ("note.md", b"# Hi\n\nText here.", {"date": "2024/03/01"}, 422, "date '2024/03/01' is not a real date"),
    ("dated.md", b"---\ndate: 2024-02-30\n---\n# Hi\n\nText here.", {}, 422, "dated.md: date '2024-02-30' is not a real date"),
    ("../escape.md", b"# Hi\n\nText.", {}, 422, "is not allowed: give a plain name"),
    ("sub/dir.md", b"# Hi\n\nText.", {}, 422, "is not allowed"),
    (".hidden.md", b"# Hi\n\nText.", {}, 422, "is not allowed"),
    ("empty.md", b"", {}, 422, "empty.md is empty: there is no text to index"),
    ("blank.txt", b"  \n\n ", {}, 422, "blank.txt is empty"),
    ("minutes.pdf", b"Minutes of the meeting, typed as text.", {}, 422, "minutes.pdf is not a PDF"),
    ("latin.txt", "Caf\xe9".encode("latin-1"), {}, 422, "not UTF-8"),
    ("note.md", b"# Hi\n\nText here.", {"doc_type": "vlog"}, 422, "unknown doc_type 'vlog'"),
    ("note.md", b"# Hi\n\nText here.", {"date": "last week"}, 422, "expected YYYY, YYYY-MM or YYYY-MM-DD"),
    ("big.txt", b"word " * (4 * 1024 * 1024 + 1), {}, 413, "larger than the 20 MB limit"),
    ("note.md", b"# Hi\n\nText here.", {"source": "javascript:alert(1)"}, 422, "'javascript:alert(1)' is not a web address"),
]


@pytest.mark.parametrize(
    ("name", "content", "fields", "status", "message"), BAD_UPLOADS, ids=[b[0] + ":" + b[4][:20] for b in BAD_UPLOADS]
)
def test_bad_uploads_are_refused_and_change_nothing(
    editor: tuple[TestClient, Path], name: str, content: bytes, fields: dict, status: int, message: str
) -> None:  # type: ignore[type-arg]
    client, corpus = editor
    before = client.get("/health").json()["index_version"]
    response = upload(client, name, content, **fields)
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]
    assert client.get("/health").json()["index_version"] == before
    assert sorted(p.name for p in corpus.iterdir()) == ["journal-issue-6.md"]


def test_an_empty_or_not_really_pdf_upload_is_refused_at_once_not_by_its_job(editor: tuple[TestClient, Path]) -> None:
    """They were accepted (202) and failed in the background: the refusal comes with the request now."""
    client, _ = editor
    for name, content in (("empty.md", b""), ("minutes.pdf", b"Minutes of the meeting, typed as text.")):
        response = client.post("/documents", headers=AUTH, files={"file": (name, content, "application/octet-stream")})
        assert response.status_code == 422 and name in response.json()["detail"]


def test_unreadable_pdf_upload_keeps_the_index(editor: tuple[TestClient, Path], tmp_path: Path) -> None:
    client, corpus = editor
    scan = image_only_pdf(tmp_path / "scan.pdf")
    response = upload(client, "scan.pdf", scan.read_bytes())
    detail = response.json()["detail"]
    assert response.status_code == 422 and detail.startswith("scan.pdf: no text layer")
    assert ".upload-" not in detail and str(corpus) not in detail  # never the server's folders
    assert [d["doc_id"] for d in client.get("/documents").json()] == ["journal-issue-6"]
    assert not (corpus / "scan.pdf").exists()


def test_chat_page_and_openapi_are_served(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'id="question"' in page.text
    assert client.get("/static/app.js").status_code == 200
    assert "/ask" in client.get("/openapi.json").json()["paths"]


def test_a_damaged_index_gets_a_503_that_says_how_to_rebuild(editor: tuple[TestClient, Path]) -> None:
    from kb import store

    client, corpus = editor
    index = corpus.parent / "index"
    (store.current_generation(index) / store.FAISS_NAME).write_bytes(b"damaged")
    api.app.dependency_overrides[api.get_kb] = lambda: KnowledgeBase(index)
    response = client.get("/search", params={"q": "journal"})
    assert response.status_code == 503 and "kb ingest --rebuild" in response.json()["detail"]
    health = client.get("/health")
    assert health.status_code == 503 and health.json()["status"] == "index_error"


def test_the_first_upload_into_an_empty_index_is_indexed(tmp_path: Path) -> None:
    """No index yet: the server must still find a model to embed the upload with (it once answered 503)."""
    import api
    from kb.settings import Settings

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    api.app.dependency_overrides[get_settings] = lambda: Settings(index_dir=index, corpus_dir=corpus, api_key="k")
    api.knowledge_base_for.cache_clear()
    try:
        client = TestClient(api.app)
        response = finish_upload(
            client,
            client.post(
                "/documents",
                files={"file": ("note.md", b"# Note\n\nLeeds runs family group conferences for every family.\n", "text/plain")},
                headers={"Authorization": "Bearer k"},
            ),
            headers={"Authorization": "Bearer k"},
        )
        assert response.status_code == 201, response.text
        assert response.json()["added"] == ["note"]
        assert client.get("/search", params={"q": "family group conferences"}).json()["results"][0]["doc_id"] == "note"
    finally:
        api.app.dependency_overrides.clear()
        api.knowledge_base_for.cache_clear()


@pytest.mark.parametrize("query", ["???", "\x00", "\ufffd\ufffd", "  --  "])
def test_a_query_without_words_is_refused(client: TestClient, query: str) -> None:
    for response in (client.get("/search", params={"q": query}), client.post("/ask", json={"question": query})):
        assert response.status_code == 422
        assert "has no words to search for" in response.json()["detail"]
    invalid_utf8 = client.get("/search?q=%FF%FE")
    assert invalid_utf8.status_code == 422


def test_api_docs_work_offline_with_an_authorize_button_and_a_favicon(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in page.text and "cdn." not in page.text
    script = client.get("/docs-assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    schemes = client.get("/openapi.json").json()["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= next(iter(schemes.values())).items()
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_citations_carry_the_quoted_spans_and_open_the_original_file(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "What is Family Safeguarding?"}).json()
    first = body["citations"][0]
    (start, end), *_ = first["highlights"]
    assert first["text"][start:end] in body["answer"]  # the span is what the answer quotes
    pdf = client.get(f"/documents/{first['doc_id']}/file")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    markdown = client.get("/documents/journal-issue-6/file")
    assert markdown.headers["content-type"].startswith("text/markdown") and b"Issue 6" in markdown.content
    missing = client.get("/documents/no-such-document/file")
    assert missing.status_code == 404 and "GET /documents lists" in missing.json()["detail"]
    view = client.get("/documents/programme-overview/view")
    assert view.status_code == 200 and "text/html" in view.headers["content-type"]
    assert client.get("/library").status_code == 200


def test_documents_carry_their_tags_and_file_name_and_types_their_names(client: TestClient) -> None:
    docs = {d["doc_id"]: d for d in client.get("/documents").json()}
    overview = docs["programme-overview"]
    assert overview["file_name"] == "programme-overview.pdf" and "/" not in overview["file_name"]
    assert set(overview["tags"]["model"]) == {"family-valued", "family-safeguarding", "no-wrong-door"}
    names = {t["id"]: t["name"] for t in client.get("/facets").json()["doc_types"]}
    assert names["case-study"] == "Case study" and names["evaluation-report"] == "Evaluation report"


def test_suggested_questions_are_answered(client: TestClient) -> None:
    questions = client.get("/suggestions").json()["questions"]
    assert 3 <= len(questions) <= 6 and "What is No Wrong Door?" in questions
    for question in questions:
        assert client.post("/ask", json={"question": question}).json()["confident"], question


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"question": "q", "answer": "a"}, "helpful: Field required"),
        ({"question": "q", "answer": "a", "helpful": "yes"}, "helpful: Input should be a valid boolean"),
        ({"question": "", "answer": "a", "helpful": True}, "question: String should have at least 1 character"),
        ({"question": "q", "answer": "a", "helpful": True, "comment": "x" * 2001}, "comment: String should have at most 2000"),
        ({"question": "q", "answer": "a", "helpful": True, "citations": [{"n": 1}] * 51}, "citations: List should have at most"),
    ],
)
def test_bad_feedback_gets_a_clear_422(editor: tuple[TestClient, Path], payload: dict[str, object], message: str) -> None:
    client, _ = editor
    response = client.post("/feedback", json=payload)
    assert response.status_code == 422 and message in response.json()["detail"]


def test_feedback_is_stored_for_editors_and_survives_reindexing(editor: tuple[TestClient, Path], embedder) -> None:  # type: ignore[no-untyped-def]
    from kb.ingest import ingest

    client, corpus = editor
    answer = client.post("/ask", json={"question": "When was Issue 6 published?"}).json()
    given = {
        "question": answer["question"],
        "answer": answer["answer"],
        "helpful": False,
        "comment": "Wrong month",
        "citations": answer["citations"],  # as the page sends them: the fields beyond n/doc_id/... are dropped
        "filters": {"model": ["family-valued"]},
    }
    stored = client.post("/feedback", json=given)
    assert stored.status_code == 201
    assert stored.json()["index_version"] == client.get("/health").json()["index_version"]
    assert client.get("/feedback").status_code == 401  # editors only
    (corpus / "note.md").write_text("# A note\n\nKinship carers meet monthly.", encoding="utf-8")
    ingest([corpus], index_dir=corpus.parent / "index", embedder_factory=lambda: embedder, rebuild=True)
    entries = client.get("/feedback", headers=AUTH).json()
    assert len(entries) == 1 and entries[0]["comment"] == "Wrong month" and entries[0]["filters"] == {"model": ["family-valued"]}
    assert set(entries[0]["citations"][0]) <= {"n", "doc_id", "chunk_id", "title", "page"}


def test_feedback_is_rate_limited_per_client(editor: tuple[TestClient, Path]) -> None:
    client, corpus = editor
    api.app.dependency_overrides[get_settings] = lambda: Settings(
        index_dir=corpus.parent / "index", corpus_dir=corpus, feedback_per_hour=2
    )
    api.feedback_limit.cache_clear()
    try:
        codes = [client.post("/feedback", json={"question": "q", "answer": "a", "helpful": True}).status_code for _ in range(3)]
        refused = client.post("/feedback", json={"question": "q", "answer": "a", "helpful": True})
    finally:
        api.feedback_limit.cache_clear()
    assert codes == [201, 201, 429]
    assert "at most 2 an hour" in refused.json()["detail"] and int(refused.headers["Retry-After"]) > 0


def upload(client: TestClient, name: str, content: bytes, **fields: str):  # type: ignore[no-untyped-def]
    """POST /documents, followed to the end of its job."""
    return finish_upload(
        client, client.post("/documents", headers=AUTH, files={"file": (name, content, "application/octet-stream")}, data=fields)
    )


def passages_of(client: TestClient, doc_id: str) -> int:
    return int(client.get(f"/documents/{doc_id}").json()["chunks"])


def test_an_upload_never_silently_replaces_a_document_and_a_replaced_one_can_be_restored(editor: tuple[TestClient, Path]) -> None:
    client, corpus = editor
    before = passages_of(client, "journal-issue-6")
    refused = upload(client, "journal-issue-6.md", b"# Issue 6\n\nOne paragraph only.")
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "a document with id 'journal-issue-6' already exists: 'Issue 6 | Strengthening Families Journal' (journal-issue-6.md)"
        " (send the form field replace=true to replace it; the current version is kept (GET /history))"
    )
    other_name = upload(client, "Journal_Issue_6.md", b"# Issue 6\n\nOne paragraph only.")  # the same id by another name
    assert other_name.status_code == 409 and passages_of(client, "journal-issue-6") == before

    replaced = upload(client, "Journal_Issue_6.md", b"# Issue 6 draft\n\nOne paragraph only.", replace="true")
    assert replaced.status_code == 201 and replaced.json()["replaced"] == ["journal-issue-6"]
    assert passages_of(client, "journal-issue-6") == 1
    assert sorted(p.name for p in corpus.iterdir() if not p.name.startswith(".")) == ["Journal_Issue_6.md"]
    kept = client.get("/history", headers=AUTH, params={"doc_id": "journal-issue-6"}).json()
    assert [(v["action"], v["file_name"], v["title"]) for v in kept] == [
        ("replaced", "journal-issue-6.md", "Issue 6 | Strengthening Families Journal")
    ]
    restored = client.post("/documents/journal-issue-6/restore", headers=AUTH)
    assert restored.status_code == 200 and restored.json()["restored"]["file_name"] == "journal-issue-6.md"
    assert passages_of(client, "journal-issue-6") == before
    assert client.get("/documents/journal-issue-6").json()["title"] == "Issue 6 | Strengthening Families Journal"
    assert sorted(p.name for p in corpus.iterdir() if not p.name.startswith(".")) == ["journal-issue-6.md"]
    # The draft it displaced is kept too, and the corpus still ingests cleanly.
    assert client.get("/history", headers=AUTH).json()[0]["action"] == "restored-over"
    from kb.ingest import ingest

    assert not ingest([corpus], index_dir=corpus.parent / "index").failed


def test_a_replacing_pdf_does_not_inherit_the_old_metadata(editor: tuple[TestClient, Path], tmp_path: Path) -> None:
    client, corpus = editor
    pdf = multipage_pdf(tmp_path / "review.pdf").read_bytes()
    assert upload(client, "review.pdf", pdf, title="Kinship care review", doc_type="journal", date="2024-05").status_code == 201
    assert upload(client, "review.pdf", pdf, replace="true").status_code == 201
    document = client.get("/documents/review").json()
    assert document["title"] != "Kinship care review" and document["doc_type"] == "document" and document["date"] is None
    assert not (corpus / "review.pdf.yaml").exists()
    assert (corpus / ".history" / "review").is_dir()  # the old sidecar is kept there


def test_deleting_keeps_the_document_in_the_history(editor: tuple[TestClient, Path]) -> None:
    client, corpus = editor
    assert client.delete("/documents/journal-issue-6", headers=AUTH).status_code == 200
    assert not (corpus / "journal-issue-6.md").exists() and client.get("/documents").json() == []
    assert client.get("/history", headers=AUTH).json()[0]["action"] == "deleted"
    assert client.post("/documents/journal-issue-6/restore", headers=AUTH).status_code == 200
    assert [d["doc_id"] for d in client.get("/documents").json()] == ["journal-issue-6"]
    missing = client.post("/documents/nothing-here/restore", headers=AUTH)
    assert missing.status_code == 404 and "no kept version of 'nothing-here'" in missing.json()["detail"]


def test_editing_metadata_keeps_the_rest_and_the_previous_version(editor: tuple[TestClient, Path]) -> None:
    client, _ = editor
    changed = client.patch("/documents/journal-issue-6", headers=AUTH, json={"doc_type": "news", "source": "https://example.org/i6"})
    assert changed.status_code == 200
    document = client.get("/documents/journal-issue-6").json()
    assert (document["doc_type"], document["source"]) == ("news", "https://example.org/i6")
    assert document["title"] == "Issue 6 | Strengthening Families Journal" and document["date"] == "2024-03"
    bad = client.patch("/documents/journal-issue-6", headers=AUTH, json={"date": "2024-02-30"})
    assert bad.status_code == 422 and "not a real date" in bad.json()["detail"]
    assert client.get("/history", headers=AUTH).json()[0]["action"] == "re-described"


def test_an_emptied_field_drops_the_correction_and_the_file_speaks_again(editor: tuple[TestClient, Path]) -> None:
    """A source or date an editor set could not be removed ("nothing to change"): emptied, the correction goes and
    the document takes back what its file says; a field the file itself gives cannot be emptied, and says why."""
    client, _ = editor
    assert client.patch("/documents/journal-issue-6", headers=AUTH, json={"source": "https://example.org/i6", "date": "2023"})
    assert client.get("/documents/journal-issue-6").json()["date"] == "2023"
    cleared = client.patch("/documents/journal-issue-6", headers=AUTH, json={"source": "", "date": ""})
    assert cleared.status_code == 200, cleared.text
    document = client.get("/documents/journal-issue-6").json()
    assert document["source"] is None and document["date"] == "2024-03"  # the issue's own date again
    again = client.patch("/documents/journal-issue-6", headers=AUTH, json={"date": ""})
    assert again.status_code == 422 and "what the file itself gives" in again.json()["detail"]
    untitled = client.patch("/documents/journal-issue-6", headers=AUTH, json={"title": " "})
    assert untitled.status_code == 422 and "the title cannot be empty" in untitled.json()["detail"]
    assert [v["action"] for v in client.get("/history", headers=AUTH).json()] == ["re-described", "re-described"]


def test_a_document_indexed_from_outside_the_corpus_folder_says_so_when_edited_and_deleted(
    editor: tuple[TestClient, Path], tmp_path: Path, embedder: SentenceTransformerEmbedder
) -> None:
    """`kb ingest PATH` indexes files that stay where they are: correcting one said "no document ... in the corpus (GET
    /documents lists the indexed ones)" although GET /documents lists it, and deleting one promised a kept version
    that there was none of."""
    client, corpus = editor
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "kinship-offer.md").write_text("# Kinship offer\n\nFamilies caring for a relative's child get a monthly group.")
    ingest([elsewhere / "kinship-offer.md"], index_dir=corpus.parent / "index", embedder_factory=lambda: embedder)
    assert client.get("/documents/kinship-offer").status_code == 200

    edit = client.patch("/documents/kinship-offer", headers=AUTH, json={"date": "2024-05"})
    assert edit.status_code == 409
    detail = edit.json()["detail"]
    assert "was indexed from kinship-offer.md, a file outside the corpus folder" in detail and "GET /documents" not in detail
    assert str(tmp_path) not in detail  # the file is named, never the server's folders

    removed = client.delete("/documents/kinship-offer", headers=AUTH).json()
    assert removed["removed"] == ["kinship-offer"] and removed["kept"] is False
    assert (elsewhere / "kinship-offer.md").exists() and client.get("/documents/kinship-offer").status_code == 404
    kept = client.delete("/documents/journal-issue-6", headers=AUTH).json()
    assert kept["kept"] is True and client.get("/history", headers=AUTH).json()[0]["action"] == "deleted"


def test_preview_shows_sections_and_passages_and_saves_nothing(editor: tuple[TestClient, Path]) -> None:
    client, corpus = editor
    body = b"# Kinship offer\n\n## Who it is for\n\nFamilies caring for a relative's child.\n\n## Support\n\nA monthly group."
    files = {"file": ("kinship-offer.md", body, "text/markdown")}
    preview = client.post("/documents/preview", headers=AUTH, files=files, data={"doc_type": "guidance"}).json()
    assert (preview["doc_id"], preview["title"], preview["doc_type"]) == ("kinship-offer", "Kinship offer", "guidance")
    assert preview["sections"] == ["Who it is for", "Support"] and "monthly group" in " ".join(preview["passages"])
    assert preview["replaces"] is None
    assert sorted(p.name for p in corpus.iterdir()) == ["journal-issue-6.md"]
    same = client.post("/documents/preview", headers=AUTH, files={"file": ("journal-issue-6.md", body, "text/markdown")}).json()
    assert same["replaces"] == "Issue 6 | Strengthening Families Journal"
    # A type given by the name the pages show ("Case study") is its id.
    named = client.post("/documents/preview", headers=AUTH, files=files, data={"doc_type": "Case study"}).json()
    assert named["doc_type"] == "case-study" and not named["warnings"]


def test_a_word_document_is_indexed_with_its_headings_and_lists(editor: tuple[TestClient, Path], tmp_path: Path) -> None:
    from .docx_factory import word_document

    client, _ = editor
    path = word_document(tmp_path / "kinship-guidance.docx")
    assert upload(client, "kinship-guidance.docx", path.read_bytes(), doc_type="guidance").status_code == 201
    document = client.get("/documents/kinship-guidance").json()
    assert document["title"] == "Kinship care guidance" and document["file_name"] == "kinship-guidance.docx"
    sections = [p["section"] for p in document["passages"]]
    assert "Support for carers" in sections and "Support for carers > Money" in sections
    text = "\n".join(p["text"] for p in document["passages"])
    assert "- A named social worker" in text and "- Monthly peer groups" in text
    found = client.get("/search", params={"q": "What support do kinship carers get?"}).json()["results"]
    assert found[0]["doc_id"] == "kinship-guidance"


def test_an_unknown_doc_type_in_an_uploaded_file_is_indexed_as_a_document_with_a_warning(editor: tuple[TestClient, Path]) -> None:
    client, corpus = editor
    body = b"---\ndoc_type: timeline\n---\n# Programme timeline\n\nThe programme began in 2019 with three innovators."
    files = {"file": ("timeline.md", body, "text/markdown")}
    expected = "timeline.md: doc_type 'timeline' is not a known type; indexed as 'document' (known: evaluation-report"
    preview = client.post("/documents/preview", headers=AUTH, files=files).json()
    assert preview["doc_type"] == "document" and preview["warnings"][0].startswith(expected[len("timeline.md: ") :])
    response = upload(client, "timeline.md", body)
    assert response.status_code == 201, response.text
    [warning] = response.json()["warnings"]
    assert warning.startswith(expected) and str(corpus) not in warning  # the file's name, never the server's folder
    assert client.get("/documents/timeline").json()["doc_type"] == "document"
    assert upload(client, "other.md", b"# Other\n\nText here.", doc_type="timeline").status_code == 422  # typed: refused


def test_a_saved_web_page_is_indexed_and_opens_as_itself_in_a_sandbox(editor: tuple[TestClient, Path]) -> None:
    from .test_html import PAGES

    client, _ = editor
    page = (PAGES / "kinship-hub-case-study.html").read_bytes()
    response = upload(client, "kinship-hub.html", page)
    assert response.status_code == 201 and response.json()["warnings"] == []
    document = client.get("/documents/kinship-hub").json()
    assert (document["title"], document["date"]) == ("Riverside's kinship hub: one year on", "2024-05-14")
    assert document["source"] == "https://www.riverside.example.gov.uk/case-studies/kinship-hub"
    text = "\n".join(p["text"] for p in document["passages"])
    assert "Children who stayed with family: 87%" in text and "cookies" not in text.lower()
    original = client.get("/documents/kinship-hub/file")
    assert original.status_code == 200 and original.content == page
    # It opens as the page it was (not raw markup), in a sandbox: an origin of its own where no script runs.
    assert original.headers["content-type"].startswith("text/html") and original.headers["x-content-type-options"] == "nosniff"
    assert original.headers["content-disposition"].startswith("inline")
    [policy] = original.headers.get_list("content-security-policy")
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy and "script" not in policy


# ---- hostile and faulty input -------------------------------------------------------------------


def test_hostile_word_files_get_a_422_naming_the_limit(editor: tuple[TestClient, Path], tmp_path: Path) -> None:
    from .docx_factory import docx_with_body, word_xml

    client, corpus = editor
    before = client.get("/health").json()["index_version"]
    bomb = docx_with_body(tmp_path / "bomb.docx", tmp_path, word_xml("<w:p/>" + " " * (60 * 1024 * 1024))).read_bytes()
    unclosed = docx_with_body(tmp_path / "unclosed.docx", tmp_path, word_xml("<w:p><w:r>")).read_bytes()
    for route in ("/documents/preview", "/documents"):
        sent = client.post(route, headers=AUTH, files={"file": ("bomb.docx", bomb, "application/octet-stream")})
        response = finish_upload(client, sent)
        assert response.status_code == 422 and "the limit is 50 MB per part (KB_MAX_PART_MB)" in response.json()["detail"]
        sent = client.post(route, headers=AUTH, files={"file": ("unclosed.docx", unclosed, "application/octet-stream")})
        response = finish_upload(client, sent)
        assert response.status_code == 422 and "malformed XML" in response.json()["detail"]
    assert client.get("/health").json()["index_version"] == before
    assert sorted(p.name for p in corpus.iterdir()) == ["journal-issue-6.md"]


def test_an_upload_is_parsed_once(editor: tuple[TestClient, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kb.documents

    from .docx_factory import word_document

    reads: list[str] = []
    real = kb.documents.read_docx
    monkeypatch.setattr(kb.documents, "read_docx", lambda path, **kw: reads.append(path.name) or real(path, **kw))
    client, _ = editor
    path = word_document(tmp_path / "kinship-guidance.docx")
    assert upload(client, "kinship-guidance.docx", path.read_bytes()).status_code == 201
    assert reads == ["kinship-guidance.docx"]


def test_a_chat_of_forty_exchanges_is_still_answered(client: TestClient) -> None:
    exchanges = [("What is No Wrong Door?", "No Wrong Door is an integrated service for adolescents. [1]")] * 40
    history = [{"role": role, "content": text} for q, a in exchanges for role, text in (("user", q), ("assistant", a))]
    response = client.post("/ask", json={"question": "And which councils adopted it?", "history": history})
    assert response.status_code == 200, response.text
    assert any("Middlesbrough" in c["text"] for c in response.json()["citations"][:3])


def test_two_edits_of_one_document_at_once_give_one_409_never_a_500(editor: tuple[TestClient, Path]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from kb.editing import one_edit_at_a_time

    client, corpus = editor
    files = {"file": ("journal-issue-6.md", b"# Issue 6\n\nA new draft.", "text/markdown")}
    with one_edit_at_a_time(corpus):  # another editor's change is under way
        assert client.delete("/documents/journal-issue-6", headers=AUTH).status_code == 409
        queued = client.post("/documents", headers=AUTH, files=files, data={"replace": "true"})
        assert queued.status_code == 202  # an upload waits for the other change instead of failing
        time.sleep(1)
        assert client.get(queued.json()["job"]["url"], headers=AUTH).json()["status"] in ("queued", "running")
    assert finish_upload(client, queued).status_code == 201
    bodies = [f"# Issue 6\n\nDraft number {n} of the issue.".encode() for n in range(4)]
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda body: upload(client, "journal-issue-6.md", body, replace="true").status_code, bodies))
    assert statuses == [201] * 4  # one after another, each keeping the one before
    kept = client.get("/history", headers=AUTH).json()
    assert len(kept) == 5 and all(v["file_name"] == "journal-issue-6.md" for v in kept)  # the first draft and four more
    assert all(any(p.suffix == ".md" for p in folder.iterdir()) for folder in (corpus / ".history" / "journal-issue-6").iterdir())


def test_documents_are_searched_by_title_and_text(client: TestClient) -> None:
    every = client.get("/documents").json()
    found = client.get("/documents", params={"q": "motivational interviewing"}).json()
    assert 0 < len(found) < len(every) and "programme-overview" in [d["doc_id"] for d in found]
    by_title = client.get("/documents", params={"q": "Journal"}).json()
    assert "journal-issue-6" in [d["doc_id"] for d in by_title]
    assert client.get("/documents", params={"q": "zzzunknownword"}).json() == []
    assert client.get("/documents", params={"q": "the of"}).json() == every  # no words to look for: every document
