"""Every real-world PDF in ../shared/pdfs gets a clear outcome through `kb ingest` and `POST /documents`,
and none of them costs the index anything it had."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli import app

from .conftest import AUTH, CORPUS, SHARED, finish_upload

PDFS = SHARED / "pdfs"
# Without passwords: what each file must come to (the loader tests cover the right passwords).
REFUSED = {
    "04_encrypted_rc4-128_pw-openpassword.pdf": "encrypted with a password",
    "05_encrypted_aes-256_pw-password.pdf": "encrypted with a password",
    "07_malformed_broken-pages-tree_unreadablemetadata.pdf": "page tree cannot be read",
    "08_scanned_image-only_xerox-jbig2.pdf": "no text layer",
    "09_fonts_japanese-vertical-cid-no-tounicode.pdf": "not readable words",
    "12_zero-pages_qpdf-empty.pdf": "zero pages",
}
ACCEPTED = sorted(p.name for p in PDFS.glob("*.pdf") if p.name not in REFUSED)


def test_kb_ingest_reports_each_file_and_keeps_the_rest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "journal-issue-6.md", corpus)
    for pdf in PDFS.glob("*.pdf"):
        shutil.copy(pdf, corpus)
    monkeypatch.setenv("KB_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("KB_INDEX_DIR", str(tmp_path / "index"))
    result = CliRunner().invoke(app, ["ingest"])
    assert result.exit_code == 1
    for name, reason in REFUSED.items():
        assert f"{name}: " in result.output and reason in result.output.split(name, 1)[1].splitlines()[0]
    docs = CliRunner().invoke(app, ["docs", "--json"])
    indexed = {d["path"].rsplit("/", 1)[-1] for d in __import__("json").loads(docs.stdout)}
    assert indexed == {"journal-issue-6.md", *ACCEPTED}


def test_every_real_pdf_uploaded_gets_a_clear_answer(editor: tuple[TestClient, Path]) -> None:
    client, corpus = editor
    for pdf in sorted(PDFS.glob("*.pdf")):
        # An upload is indexed in the background: what the editor finally sees is its job's result.
        response = finish_upload(
            client,
            client.post("/documents", headers=AUTH, files={"file": (pdf.name, pdf.read_bytes(), "application/pdf")}),
            timeout=900,  # a long real report on a loaded machine; what is tested is the outcome, not the time
        )
        if pdf.name in REFUSED:
            assert response.status_code == 422, pdf.name
            assert REFUSED[pdf.name] in response.json()["detail"]
            assert not (corpus / pdf.name).exists()
        else:
            assert response.status_code == 201, (pdf.name, response.text)
    indexed = {d["doc_id"] for d in client.get("/documents").json()}
    assert "journal-issue-6" in indexed and len(indexed) == 1 + len(ACCEPTED)
    assert (
        client.get("/search", params={"q": "Who is the journal for?", "k": 1}).json()["results"][0]["doc_id"] == "journal-issue-6"
    )
