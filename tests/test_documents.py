"""Loading Markdown/text files: front matter, titles, sections, speakers, unknown types, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.documents import load_document
from kb.errors import DocumentError

from .conftest import CORPUS


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_front_matter_gives_metadata_and_headings_give_sections(tmp_path: Path) -> None:
    doc = load_document(
        write(
            tmp_path / "note.md",
            '---\ntitle: "Kinship note"\ndoc_type: journal\ndate: 2024-03-01\nsource: https://example.org/n\n---\n'
            "# Kinship note\n\nIntro line.\n\n## Support\n\n### Money\n\nAllowances vary.\n",
        )
    )
    assert (doc.title, doc.doc_type, doc.date, doc.source) == ("Kinship note", "journal", "2024-03-01", "https://example.org/n")
    assert [(b.section, b.text) for b in doc.blocks] == [((), "Intro line."), (("Support", "Money"), "Allowances vary.")]


@pytest.mark.parametrize(
    ("name", "text", "title"),
    [
        ("plain.txt", "Just a paragraph of text.", "Plain"),
        ("with-heading.md", "# The real title\n\nBody text here.", "The real title"),
        ("kinship_care-notes.txt", "Body.", "Kinship care notes"),
    ],
)
def test_title_falls_back_to_first_heading_then_file_name(tmp_path: Path, name: str, text: str, title: str) -> None:
    doc = load_document(write(tmp_path / name, text))
    assert doc.title == title
    assert doc.doc_type == "document"


def test_transcript_turns_carry_their_speaker_across_paragraphs() -> None:
    doc = load_document(CORPUS / "transcript-macalister-trowler.md")
    first_turn = [b for b in doc.blocks if b.speaker == "Isabelle Trowler"][:4]
    assert first_turn[0].new_turn and first_turn[0].text.startswith("Isabelle Trowler: We are now heading")
    assert not first_turn[1].new_turn and first_turn[1].text.startswith("Since 2017")
    assert {b.speaker for b in doc.blocks} >= {"Josh McAllister", "Josh Macallister", "Isabelle Trowler"}


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", "", "empty"),
        ("blank.txt", "\n\n   \n", "empty"),
        ("latin1.txt", "Caf\xe9 cr\xe8me".encode("latin-1"), "not UTF-8"),
        ("bad-yaml.md", "---\ntitle: [unclosed\n---\nBody", "not valid YAML"),
        ("unclosed.md", "---\ntitle: x\nBody", "no closing '---'"),
        ("list-meta.md", "---\n- a\n- b\n---\nBody", "YAML mapping"),
        ("notes.xlsx", "PK...", "unsupported file type"),
        ("notes.docx", "PK...", "not a readable Word document"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(tmp_path: Path, name: str, content: str | bytes, reason: str) -> None:
    path = write(tmp_path / name, content)
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    assert reason in caught.value.reason
    assert name in str(caught.value)


@pytest.mark.parametrize(
    ("name", "text", "sidecar"),
    [
        ("timeline.md", "---\ndoc_type: timeline\n---\n# Timeline\n\nThe programme began in 2019.", None),
        ("timeline.txt", "The programme began in 2019.", "doc_type: timeline\n"),
    ],
)
def test_an_unknown_doc_type_in_the_file_indexes_it_as_a_document_with_a_warning(
    tmp_path: Path, name: str, text: str, sidecar: str | None
) -> None:
    path = write(tmp_path / name, text)
    if sidecar:
        write(tmp_path / f"{name}.yaml", sidecar)
    doc = load_document(path)
    assert doc.doc_type == "document" and doc.blocks[-1].text == "The programme began in 2019."
    assert doc.warnings == (
        "doc_type 'timeline' is not a known type; indexed as 'document' (known: case-study, event, transcript, journal, "
        "overview, evaluation-report, guidance, news, presentation, document)",
    )
    assert load_document(write(tmp_path / "known.md", "---\ndoc_type: journal\n---\nText.")).warnings == ()


def test_corpus_documents_all_load_with_valid_metadata() -> None:
    docs = [load_document(p) for p in sorted(CORPUS.iterdir()) if p.suffix in {".md", ".pdf"}]
    assert {d.doc_type for d in docs} == {"case-study", "event", "transcript", "journal", "overview"}
    assert all(d.title and d.date for d in docs)
    text = " ".join(b.text for d in docs for b in d.blocks)
    for noise in ("top of page", "Skip to content", "Comentarios", "bottom of page"):
        assert noise not in text
