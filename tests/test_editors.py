"""Named editors, gaps and background uploads: through the CLI (CliRunner) and the API (TestClient, real model)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import api
from cli import app
from kb.gaps import gap_reason, mask_personal_details
from kb.settings import Settings, get_settings

from .conftest import AUTH, CORPUS, ROOT, finish_upload, free_port

runner = CliRunner()


def kb_cli(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


# ---- named editors --------------------------------------------------------------------------------


def test_editors_get_their_own_key_shown_once_and_stored_only_as_a_hash(kb_env: Path) -> None:
    code, output = kb_cli("editors", "add", "Alice Smith")
    assert code == 0 and "added Alice Smith" in output
    key = output.strip().splitlines()[-1]
    assert len(key) >= 40
    stored = (kb_env / "index" / "editors.json").read_text(encoding="utf-8")
    assert key not in stored and "Alice Smith" in stored
    code, output = kb_cli("editors", "list")
    assert code == 0 and "Alice Smith" in output and key not in output
    code, output = kb_cli("editors", "add", "alice smith")
    assert code == 1 and "an editor named 'alice smith' already exists" in output
    code, output = kb_cli("editors", "add", "<b>Mallory</b>")
    assert code == 1 and "is not allowed" in output
    code, output = kb_cli("editors", "remove", "Bob")
    assert code == 1 and "no editor named 'Bob'; editors: Alice Smith" in output
    code, output = kb_cli("editors", "remove", "Alice Smith")
    assert code == 0 and "their key no longer works" in output
    assert "No named editors" in kb_cli("editors", "list")[1]


def test_the_history_says_which_editor_made_each_change(editor: tuple[TestClient, Path]) -> None:
    from kb.editors import add_editor

    client, corpus = editor
    settings = api.app.dependency_overrides[get_settings]()
    _, alice = add_editor(settings.editors_file, "Alice")
    _, bob = add_editor(settings.editors_file, "Bob")
    as_alice, as_bob = {"Authorization": f"Bearer {alice}"}, {"Authorization": f"Bearer {bob}"}
    assert client.get("/editors/me", headers=as_alice).json() == {"name": "Alice"}
    assert client.get("/editors/me", headers=AUTH).json() == {"name": None}  # KB_API_KEY: an unnamed editor

    sent = client.post("/documents", headers=as_alice, files={"file": ("note.md", b"# Note\n\nLeeds runs conferences.\n")})
    assert finish_upload(client, sent, headers=as_alice).status_code == 201
    assert client.patch("/documents/note", headers=as_bob, json={"title": "Leeds note"}).status_code == 200
    assert client.delete("/documents/note", headers=AUTH).status_code == 200
    assert client.post("/documents/note/restore", headers=as_bob).status_code == 200
    kept = client.get("/history", headers=as_alice, params={"doc_id": "note"}).json()
    assert [(v["action"], v["editor"], v["added_by"]) for v in kept] == [
        ("deleted", None, "Bob"),  # deleted with the shared key; that version was Bob's re-description
        ("re-described", "Bob", "Alice"),  # Bob re-described the version Alice had added
    ]


def test_a_wrong_key_is_not_valid_a_missing_one_is_asked_for_and_a_removed_one_stops_working(
    editor: tuple[TestClient, Path],
) -> None:
    from kb.editors import add_editor, remove_editor

    client, _ = editor
    settings = api.app.dependency_overrides[get_settings]()
    _, key = add_editor(settings.editors_file, "Carol")
    wrong = client.get("/gaps", headers={"Authorization": "Bearer not-a-key"})
    assert wrong.status_code == 401 and wrong.json()["detail"].startswith("this key is not valid")
    missing = client.get("/gaps")
    assert missing.status_code == 401 and "editing needs the header 'Authorization: Bearer <key>'" in missing.json()["detail"]
    assert client.get("/gaps", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    remove_editor(settings.editors_file, "Carol")
    assert client.get("/gaps", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    # A named editor is enough to turn editing on, without KB_API_KEY.
    _, dave = add_editor(settings.editors_file, "Dave")
    api.app.dependency_overrides[get_settings] = lambda: settings.model_copy(update={"api_key": None})
    assert client.get("/editors/me", headers={"Authorization": f"Bearer {dave}"}).json() == {"name": "Dave"}
    assert client.get("/editors/me", headers=AUTH).status_code == 401


# ---- gaps -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "masked"),
    [
        ("Email jane.doe@leeds.gov.uk about it", "Email [email] about it"),
        ("Call 07700 900123 or +44 20 7946 0018", "Call [phone] or [phone]"),
        ("Child born 12/03/2015, is she eligible?", "Child born [date], is she eligible?"),
        ("DOB 3 March 2015 and 2015-03-12", "DOB [date] and [date]"),
        ("What did 1500 families get in 2019 and 2020?", "What did 1500 families get in 2019 and 2020?"),
    ],
)
def test_personal_details_are_masked_and_years_and_counts_kept(question: str, masked: str) -> None:
    assert mask_personal_details(question) == masked


def test_a_safeguarding_reply_is_never_a_gap(editor: tuple[TestClient, Path]) -> None:
    from dataclasses import replace

    from kb.knowledge_base import safeguarding_answer

    concern = safeguarding_answer("my stepdad hits me and I'm scared to go home tonight")
    assert gap_reason(concern) is None
    assert gap_reason(replace(concern, safeguarding=False)) == "refused"
    assert gap_reason(replace(concern, safeguarding=False, confident=True, not_covered=["how"])) == "partly not covered"
    client, _ = editor
    for body in (
        {"question": "my stepdad hits me and I'm scared to go home tonight"},
        {"question": "my stepdad hits me and I'm scared to go home tonight", "search_anyway": True},
    ):
        client.post("/ask", json=body)
    assert client.get("/gaps", headers=AUTH).json()["gaps"] == []  # neither the concern nor its search is kept
    # An editor trying a question with a key revoked while the page was open is not a practitioner either.
    client.post("/ask", json={"question": "What is the capital of France?"}, headers={"Authorization": "Bearer revoked"})
    assert client.get("/gaps", headers=AUTH).json()["gaps"] == []
    client.post("/ask", json={"question": "What is the capital of France?"})
    assert len(client.get("/gaps", headers=AUTH).json()["gaps"]) == 1  # a practitioner's refused question is kept


UNANSWERED = [
    "When did Coventry start its reunification project?",
    "When did the Coventry reunification work begin?",
    "What is the phone number for Leeds Family Valued? Mine is 07700 900123",
]


def test_unanswered_questions_become_topics_most_asked_first_and_a_recheck_finds_them_answered(
    editor: tuple[TestClient, Path],
) -> None:
    client, corpus = editor
    for question in UNANSWERED:
        assert client.post("/ask", json={"question": question}).json()["confident"] is False
    client.post("/ask", json={"question": "When did Coventry start its reunification project?"}, headers=AUTH)  # an editor's
    answered = client.post("/ask", json={"question": "What is in issue 6 of the Strengthening Families Journal?"}).json()
    feedback = {"question": "What is issue 6 about?", "answer": answered["answer"], "helpful": False}
    assert client.post("/feedback", json=feedback).status_code == 201

    gaps = client.get("/gaps", headers=AUTH).json()["gaps"]
    assert [(g["count"], g["status"]) for g in gaps] == [(2, "open"), (1, "open"), (1, "open")]
    coventry = gaps[0]
    assert set(coventry["questions"]) == set(UNANSWERED[:2]) and coventry["reasons"] == {"refused": 2}
    assert coventry["first_asked"] <= coventry["last_asked"]
    assert {"label", "id"} <= set(coventry)
    assert any(g["reasons"] == {"not helpful": 1} for g in gaps)
    phone = next(g for g in gaps if "phone" in g["label"])
    assert "07700" not in json.dumps(gaps) and "[phone]" in phone["label"]

    # An editor adds a publication that answers the Coventry questions; a recheck marks that topic answered.
    note = b"# Coventry reunification\n\nCoventry started its reunification project in September 2021.\n"
    sent = client.post("/documents", headers=AUTH, files={"file": ("coventry.md", note)})
    assert finish_upload(client, sent).status_code == 201
    rechecked = client.post("/gaps/recheck", headers=AUTH).json()["gaps"]
    coventry = next(g for g in rechecked if g["id"] == coventry["id"])
    assert coventry["status"] == "answered" and "September 2021" in coventry["answer"]
    assert next(g for g in rechecked if g["id"] == phone["id"])["status"] == "open"

    # Dismissed topics leave the list; unknown ids get a 404 that says where the ids are.
    assert client.post(f"/gaps/{phone['id']}/dismiss", headers=AUTH).status_code == 200
    assert phone["id"] not in [g["id"] for g in client.get("/gaps", headers=AUTH).json()["gaps"]]
    missing = client.post("/gaps/99999/dismiss", headers=AUTH)
    assert missing.status_code == 404 and "GET /gaps lists them" in missing.json()["detail"]
    assert client.get("/gaps").status_code == 401


def test_keeping_gaps_can_be_turned_off_and_old_ones_are_deleted(editor: tuple[TestClient, Path]) -> None:
    import sqlite3

    client, _ = editor
    settings: Settings = api.app.dependency_overrides[get_settings]()
    api.app.dependency_overrides[get_settings] = lambda: settings.model_copy(update={"keep_gaps": False})
    client.post("/ask", json={"question": UNANSWERED[0]})
    assert not settings.gaps_file.exists()
    api.app.dependency_overrides[get_settings] = lambda: settings
    client.post("/ask", json={"question": UNANSWERED[0]})
    with sqlite3.connect(settings.gaps_file) as conn:
        conn.execute("UPDATE gaps SET asked_at = '2020-01-01T00:00:00+00:00'")
    client.post("/ask", json={"question": UNANSWERED[1]})
    gaps = client.get("/gaps", headers=AUTH).json()["gaps"]
    assert [g["questions"] for g in gaps] == [[UNANSWERED[1]]]  # the one older than KB_GAPS_DAYS is gone


def test_kb_gaps_lists_rechecks_and_dismisses(kb_env: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from kb.gaps import record_gap
    from kb.ingest import ingest

    corpus = kb_env / "corpus"
    corpus.mkdir()
    (corpus / "journal-issue-6.md").write_bytes((CORPUS / "journal-issue-6.md").read_bytes())
    ingest([corpus], index_dir=kb_env / "index", embedder_factory=lambda: embedder)
    gaps_file = Settings().gaps_file
    embed = lambda text: embedder.encode_batch([text])[0]  # noqa: E731
    for question in UNANSWERED[:2]:
        record_gap(gaps_file, question=question, reason="refused", embed=embed)
    code, output = kb_cli("gaps")
    assert code == 0 and "open 2x" in output and "Coventry" in output
    (corpus / "coventry.md").write_text("# Coventry\n\nCoventry started its reunification project in September 2021.\n")
    ingest([corpus], index_dir=kb_env / "index", embedder_factory=lambda: embedder)
    code, output = kb_cli("gaps", "--recheck", "--json")
    topics = json.loads(output)["gaps"]
    assert code == 0 and topics[0]["status"] == "answered" and "September 2021" in topics[0]["answer"]
    code, output = kb_cli("gaps", "--dismiss", str(topics[0]["id"]))
    assert code == 0 and "dismissed topic" in output
    assert "No unanswered questions kept." in kb_cli("gaps")[1]
    code, output = kb_cli("gaps", "--dismiss", "424242")
    assert code == 1 and "no open or answered gap topic with id 424242" in output


# ---- background uploads ---------------------------------------------------------------------------


def test_an_upload_is_accepted_at_once_and_its_job_reports_progress_and_the_result(editor: tuple[TestClient, Path]) -> None:
    client, corpus = editor
    long_note = "# Long note\n\n" + "\n\n".join(f"Paragraph {n} about kinship care in Leeds and its carers." for n in range(400))
    accepted = client.post("/documents", headers=AUTH, files={"file": ("long-note.md", long_note.encode())})
    assert accepted.status_code == 202
    url = accepted.json()["job"]["url"]
    assert url == f"/jobs/{accepted.json()['job']['id']}"
    seen = []
    while (job := client.get(url, headers=AUTH).json())["status"] in ("queued", "running"):
        seen.append(job["progress"])
        time.sleep(0.02)
    assert job["status"] == "done" and job["progress"] == 1 and job["report"]["added"] == ["long-note"]
    assert seen == sorted(seen)
    assert client.get(url).status_code == 401
    assert client.get("/jobs/not-a-job", headers=AUTH).status_code == 404
    # What can be checked without reading the file is refused at once, with no job.
    taken = client.post("/documents", headers=AUTH, files={"file": ("long-note.md", b"# Again\n\nText.")})
    assert taken.status_code == 409 and "already exists" in taken.json()["detail"]
    empty = client.post("/documents", headers=AUTH, files={"file": ("empty.md", b"")})
    assert empty.status_code == 422 and "is empty" in empty.json()["detail"]
    # What only reading the file shows fails its job.
    unreadable = client.post("/documents", headers=AUTH, files={"file": ("bad-yaml.md", b"---\ntitle: [unclosed\n---\nBody")})
    assert unreadable.status_code == 202
    failed = client.get(unreadable.json()["job"]["url"], headers=AUTH).json()
    while failed["status"] in ("queued", "running"):
        failed = client.get(unreadable.json()["job"]["url"], headers=AUTH).json()
    assert failed["status"] == "failed" and failed["error_code"] == 422 and "not valid YAML" in failed["error"]
    assert not (corpus / "bad-yaml.md").exists() and not (corpus / "empty.md").exists()


def test_a_job_that_dies_with_the_server_leaves_corpus_and_index_as_they_were(tmp_path: Path, embedder) -> None:  # type: ignore[no-untyped-def]
    from kb.ingest import ingest

    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "journal-issue-6.md").write_bytes((CORPUS / "journal-issue-6.md").read_bytes())
    ingest([corpus], index_dir=index, embedder_factory=lambda: embedder)
    env = {**os.environ, "KB_INDEX_DIR": str(index), "KB_CORPUS_DIR": str(corpus), "KB_API_KEY": "k", "KB_HOST": "127.0.0.1"}

    def start() -> tuple[subprocess.Popen[bytes], str]:
        port = free_port()
        process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "serve", "--port", str(port)], cwd=ROOT, env=env)
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{url}/health", timeout=2)
                return process, url
            except OSError:
                time.sleep(0.3)
        process.kill()
        raise AssertionError("kb serve did not start")

    def call(url: str, method: str = "GET", body: bytes | None = None, content_type: str = "") -> dict:  # type: ignore[type-arg]
        headers = {"Authorization": "Bearer k", **({"Content-Type": content_type} if content_type else {})}
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method=method, headers=headers)) as response:
            return json.loads(response.read())

    process, url = start()
    before = call(f"{url}/health")["index_version"]
    text = "# Big report\n\n" + "\n\n".join(f"Section {n}: the council's kinship carers met {n} times." for n in range(3000))
    boundary = "kbtestboundary"
    form = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big-report.md"\r\n'
            f"Content-Type: text/markdown\r\n\r\n{text}\r\n--{boundary}--\r\n").encode()  # fmt: skip
    job = call(f"{url}/documents", "POST", form, f"multipart/form-data; boundary={boundary}")["job"]
    while call(f"{url}{job['url']}")["progress"] < 0.2:  # well into embedding
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    process, url = start()
    try:
        after = call(f"{url}{job['url']}")
        assert after["status"] == "failed" and "the server stopped before this upload was indexed" in after["error"]
        assert call(f"{url}/health")["index_version"] == before
        assert [d["doc_id"] for d in call(f"{url}/documents")] == ["journal-issue-6"]
        assert sorted(p.name for p in corpus.iterdir() if not p.name.startswith(".")) == ["journal-issue-6.md"]
    finally:
        process.terminate()
        process.wait(timeout=10)
