"""The `kb` command end to end through Typer's runner, on the real corpus and model."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cli import app

from .conftest import CORPUS
from .docx_factory import docx_with_body, word_document, word_xml
from .pdf_factory import image_only_pdf
from .test_html import PAGES

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_search_before_ingest_says_what_to_do(kb_env: Path) -> None:
    result = run("search", "family group conference")
    assert result.exit_code == 1
    assert "no index" in result.output and "kb ingest" in result.output
    assert "Traceback" not in result.output


def test_ingest_then_search_finds_motivational_interviewing_with_its_page(kb_env: Path) -> None:
    shutil.copytree(CORPUS, kb_env / "corpus")
    result = run("ingest")
    assert result.exit_code == 0, result.output
    assert "6 documents" in result.output and "added 6" in result.output

    result = run("search", "What conversational approach do Family Safeguarding teams use?", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["query"].startswith("What conversational approach")
    top3 = payload["results"][:3]
    expected = {"rank", "score", "chunk_id", "doc_id", "title", "doc_type", "date", "section", "page", "text"}
    assert all(expected <= set(r) for r in top3)
    hit = next(r for r in top3 if r["doc_id"] == "programme-overview" and "Motivational Interviewing" in r["text"])
    assert isinstance(hit["page"], int) and hit["page"] >= 1
    assert "Family Safeguarding" in hit["section"]

    plain = run("search", "Which council leads No Wrong Door?", "-k", "2")
    assert plain.exit_code == 0
    assert "1." in plain.output and "North Yorkshire" in plain.output
    misspelt = run("search", "famly safegarding adult workers", "-k", "2")
    assert "Searched for: Family Safeguarding adult workers (read famly safegarding → Family Safeguarding)" in misspelt.output

    docs = run("docs")
    assert "programme-overview" in docs.output and "chunks" in docs.output

    again = run("ingest")
    assert "unchanged 6" in again.output and "0 chunks embedded" in again.output


def test_ingest_reports_bad_files_and_indexes_the_rest(kb_env: Path) -> None:
    corpus = kb_env / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "journal-issue-6.md", corpus)
    image_only_pdf(corpus / "scan.pdf")
    (corpus / "empty.txt").write_text("")
    (corpus / "budget.xlsx").write_bytes(b"PK\x03\x04")
    (corpus / "scan.pdf.yaml").write_text("title: A scan\n")  # a sidecar: read with its PDF, not reported
    word_document(corpus / "kinship-guidance.docx")
    docx_with_body(corpus / "unclosed.docx", kb_env, word_xml("<w:p><w:r><w:t>Unclosed</w:t></w:r>"))
    docx_with_body(corpus / "bomb.docx", kb_env, word_xml("<w:p/>" + " " * (60 * 1024 * 1024)))
    result = run("ingest")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "scan.pdf: no text layer" in result.output
    assert "empty.txt: the file has no text" in result.output
    assert "unclosed.docx: malformed XML inside the Word document" in result.output
    assert "bomb.docx: its part 'word/document.xml' unpacks to 60 MB; the limit is 50 MB per part" in result.output
    assert result.output.count("failed:") == 4
    assert "budget.xlsx: not indexed: .xlsx files are not supported" in result.output and "scan.pdf.yaml" not in result.output
    assert "2 documents" in result.output and "skipped 1" in result.output
    assert run("search", "Who is the journal for?", "--json").exit_code == 0


def test_ingest_indexes_saved_pages_and_warns_of_an_unknown_doc_type(kb_env: Path) -> None:
    corpus = kb_env / "corpus"
    corpus.mkdir()
    shutil.copy(PAGES / "kinship-hub-case-study.html", corpus)
    (corpus / "timeline.md").write_text("---\ndoc_type: timeline\n---\n# Programme timeline\n\nThe programme began in 2019.\n")
    result = run("ingest")
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.output and "failed 0" in result.output
    assert (
        f"warning: {corpus / 'timeline.md'}: doc_type 'timeline' is not a known type; indexed as 'document' "
        "(known: evaluation-report, evidence-review" in " ".join(result.output.split())  # the console wraps long lines
    )
    docs = {d["doc_id"]: d for d in json.loads(run("docs", "--json").stdout)}
    assert docs["timeline"]["doc_type"] == "document"
    assert (docs["kinship-hub-case-study"]["title"], docs["kinship-hub-case-study"]["date"]) == (
        "Riverside's kinship hub: one year on",
        "2024-05-14",
    )

    (corpus / "timeline.md").write_text("---\ndoc_type: chronology\n---\n# Programme timeline\n\nBegun in 2019.\n")
    payload = json.loads(run("ingest", "--json").stdout)
    assert payload["replaced"] == ["timeline"] and payload["failed"] == []
    [warning] = payload["warnings"]
    assert warning["path"] == str(corpus / "timeline.md")
    assert warning["message"].startswith("doc_type 'chronology' is not a known type; indexed as 'document' (known: ")


def test_bad_options_get_a_clear_message(kb_env: Path) -> None:
    shutil.copytree(CORPUS, kb_env / "corpus")
    assert run("ingest").exit_code == 0
    result = run("search", "anything", "-k", "0")
    assert result.exit_code == 1 and "k must be between 1 and 50" in result.output
    result = run("search", "   ")
    assert result.exit_code == 1 and "empty" in result.output


def test_peers_council_and_compare_commands(kb_env: Path) -> None:
    shutil.copytree(CORPUS, kb_env / "corpus")
    assert run("ingest").exit_code == 0
    peers = json.loads(run("peers", "family group conferencing", "--json").output)
    assert {"leeds", "camden"} <= {c["id"] for c in peers["councils"][:3]}
    text = run("peers", "reunification").output
    assert text.startswith("1. Coventry City Council (adopter, Family Valued)")
    council = run("council", "Camden")
    assert council.exit_code == 0 and council.output.startswith("Camden (outside the programme)")
    assert run("council", "Atlantis").exit_code == 1
    compared = run("compare", "What age range does each model work with?")
    assert "The knowledge base has nothing on this for Family Valued." in compared.output
    assert "aged 12-25" in compared.output


def test_every_command_has_help() -> None:
    for command in ("ingest", "search", "docs", "peers", "council", "compare", "ask", "eval"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_the_refusal_threshold_is_a_setting_checked_at_the_edge(kb_env: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KB_REFUSAL_THRESHOLD", "2")
    result = run("ask", "What is Family Valued?")
    assert result.exit_code == 1
    assert "invalid setting: KB_REFUSAL_THRESHOLD: Input should be less than or equal to 1" in result.output
    assert "Traceback" not in result.output


def test_feedback_lists_what_practitioners_said(kb_env: Path) -> None:
    from kb.feedback import record_feedback
    from kb.settings import Settings

    assert run("feedback").output.strip() == "No feedback yet."
    path = Settings().feedback_file
    assert path == kb_env / "index" / "feedback.sqlite"
    record_feedback(path, question="What is FV?", answer="Family Valued is ... [1]", helpful=True)
    cited = [{"n": 1, "doc_id": "x"}]
    record_feedback(path, question="What is NWD?", answer="It is ... [1]", helpful=False, comment="No ages", citations=cited)
    result = run("feedback")
    assert result.exit_code == 0
    assert result.output.index("What is NWD?") < result.output.index("What is FV?")
    assert "not helpful" in result.output and "comment: No ages" in result.output and "cited: [1] x" in result.output
    only = json.loads(run("feedback", "--unhelpful", "--json").stdout)
    assert [e["question"] for e in only] == ["What is NWD?"] and only[0]["citations"] == [{"n": 1, "doc_id": "x"}]


def test_restore_brings_back_a_deleted_document(kb_env: Path) -> None:
    from kb.editing import delete_document

    corpus = kb_env / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "journal-issue-6.md", corpus)
    assert run("ingest").exit_code == 0
    delete_document("journal-issue-6", corpus_dir=corpus, index_dir=kb_env / "index")
    listed = run("restore", "--list")
    assert listed.exit_code == 0 and "journal-issue-6" in listed.output and "deleted" in listed.output
    result = run("restore", "journal-issue-6")
    assert result.exit_code == 0, result.output
    assert "restored journal-issue-6.md (deleted" in result.output and "1 documents" in result.output
    assert (corpus / "journal-issue-6.md").exists()
    missing = run("restore", "journal-issue-6", "--version", "1999")
    assert missing.exit_code == 1 and "no version '1999' of 'journal-issue-6'; kept versions:" in missing.output


def test_text_from_documents_and_feedback_is_printed_as_text(kb_env: Path) -> None:
    from kb.feedback import record_feedback
    from kb.settings import Settings

    corpus = kb_env / "corpus"
    corpus.mkdir()
    hostile = "Kinship [/bold] [red]report \x1b]0;pwned\x07\x1b[2J"
    (corpus / "kinship.md").write_text(f'---\ntitle: "{hostile.encode("unicode_escape").decode()}"\n---\n'
                                       "Kinship carers receive a weekly allowance for each child.\n")
    (corpus / "empty [red].txt").write_text("")
    ingested = run("ingest")
    assert ingested.exit_code == 1 and "failed: " in ingested.output and "empty [red].txt" in ingested.output
    record_feedback(Settings().feedback_file, question="[/bold]?", answer="[bold]x", helpful=False,
                    comment="[/bold] \x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\")  # fmt: skip
    for command in (["docs"], ["search", "weekly allowance for kinship carers"], ["feedback"]):
        result = run(*command)
        assert result.exit_code == 0, (command, result.output)
        assert "\x1b" not in result.output and "\x07" not in result.output, command
        assert "[/bold]" in result.output, command
    assert "Kinship [/bold] [red]report" in run("docs").output


def test_ingest_on_a_full_disk_says_so_in_one_line_and_leaves_no_partial_files(kb_env: Path, full_disk: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: E501
    (full_disk / "index").mkdir(exist_ok=True)
    monkeypatch.setenv("KB_INDEX_DIR", str(full_disk / "index"))
    shutil.copytree(CORPUS, kb_env / "corpus")
    result = run("ingest")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert "is full" in result.output and "free some space" in result.output
    assert result.output.count("error:") == 1, result.output
    assert not list((full_disk / "index").glob("gen-*"))
