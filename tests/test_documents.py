"""Loading Markdown/text files: front matter, titles, sections, speakers, unknown types, and refusals."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest

from kb.archives import ZipLimits
from kb.documents import doc_id_for, load_document
from kb.docx import read_docx
from kb.errors import DocumentError
from kb.ingest import check_passages
from kb.pdf import read_pdf
from kb.taxonomy import load_taxonomy

from .conftest import CORPUS
from .docx_factory import docx_with_body, word_document, word_xml
from .pdf_factory import multipage_pdf


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


def test_a_markdown_table_gives_one_row_a_paragraph_as_word_and_pdf_tables_do(tmp_path: Path) -> None:
    path = tmp_path / "bracknell-case-study.md"
    path.write_text(
        "# Caseloads\n\nTable 1: change after Family Safeguarding\n\n"
        "| Measure | Change |\n|---|:--:|\n| Child protection cases | down 25% |\n| Caseloads | down 33% |\n\nAfter the table.\n",
        encoding="utf-8",
    )
    texts = [b.text for b in load_document(path).blocks]
    assert texts == [
        "Table 1: change after Family Safeguarding",
        "Measure | Change",
        "Child protection cases | down 25%",
        "Caseloads | down 33%",
        "After the table.",
    ]


def test_a_word_table_row_keeps_every_value_and_a_merged_cell_once(tmp_path: Path) -> None:
    """A budget table: neighbours that hold the same figure are two values (one of them was dropped as if merged); a
    cell merged across columns, which python-docx gives once for each column, is one."""
    import docx

    document = docx.Document()
    budget = document.add_table(rows=3, cols=4)
    rows = [("Item", "2025/26", "2026/27", "Total"), ("Support fund", "300,000", "300,000", "600,000"), ("Note", "", "", "")]
    for row, cells in zip(budget.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    budget.cell(2, 1).merge(budget.cell(2, 3)).text = "Figures exclude VAT"
    path = tmp_path / "cabinet-report.docx"
    document.save(str(path))
    assert [b.text for b in load_document(path).blocks] == [
        "Item | 2025/26 | 2026/27 | Total",
        "Support fund | 300,000 | 300,000 | 600,000",
        "Note | Figures exclude VAT",
    ]


def test_word_lists_keep_the_numbers_word_shows(tmp_path: Path) -> None:
    """Numbered steps ("List Number") read "1.", "2." as Word draws them, where they had all read "- "; bullets read
    "- "; a list that restarts its numbering (a list instance with a start override, as Word's "Restart at 1" writes)
    starts again at 1, and a list without one goes on counting, as Word shows it."""
    import copy

    import docx
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("Making a referral", level=1)
    for step in ("Talk to the family.", "Complete the referral form."):
        document.add_paragraph(step, style="List Number")
    document.add_paragraph("Bring to the meeting:")
    for item in ("the child's plan", "the chronology"):
        document.add_paragraph(item, style="List Bullet")
    document.add_paragraph("Review the plan.", style="List Number")  # the same list: Word numbers it 3
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    instance = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(style_num))
    restart = copy.deepcopy(instance)
    restart.set(qn("w:numId"), "99")
    override = restart.makeelement(qn("w:lvlOverride"), {qn("w:ilvl"): "0"})
    override.append(override.makeelement(qn("w:startOverride"), {qn("w:val"): "1"}))
    restart.append(override)
    numbering.append(restart)
    document.add_heading("After the conference", level=1)
    for step in ("Send the plan to everyone invited.", "Book the review."):
        paragraph = document.add_paragraph(step, style="List Number")
        paragraph.paragraph_format.element.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 99
    path = tmp_path / "referral-guide.docx"
    document.save(str(path))
    assert [b.text for b in load_document(path).blocks] == [
        "1. Talk to the family.",
        "2. Complete the referral form.",
        "Bring to the meeting:",
        "- the child's plan",
        "- the chronology",
        "3. Review the plan.",
        "1. Send the plan to everyone invited.",
        "2. Book the review.",
    ]


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
    ("source", "kept"),
    [
        ("javascript:alert(1)", None),
        ("data:text/html,hi", None),
        ("https://example.org/a ; https://example.org/b", "https://example.org/a"),
        ("['not an address', 'https://example.org/c']", "https://example.org/c"),
    ],
)
def test_a_source_that_is_not_a_web_address_is_dropped_with_a_warning_never_the_document(
    tmp_path: Path, source: str, kept: str | None
) -> None:
    # Only http(s) addresses are stored (a page links to them); the first of several is kept.
    document = load_document(write(tmp_path / "note.md", f"---\nsource: \"{source}\"\n---\nBody text."))
    assert document.source == kept
    assert bool(document.warnings) == (kept is None)
    if kept is None:
        assert "is not a web address (http:// or https://); indexed without one" in document.warnings[0]


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
        f"doc_type 'timeline' is not a known type; indexed as 'document' (known: {', '.join(load_taxonomy().doc_types)})",
    )
    assert load_document(write(tmp_path / "known.md", "---\ndoc_type: journal\n---\nText.")).warnings == ()


def test_corpus_documents_all_load_with_valid_metadata() -> None:
    docs = [load_document(p) for p in sorted(CORPUS.iterdir()) if p.suffix in {".md", ".pdf"}]
    assert {d.doc_type for d in docs} == {"case-study", "event", "transcript", "journal", "overview"}
    assert all(d.title and d.date for d in docs)
    text = " ".join(b.text for d in docs for b in d.blocks)
    for noise in ("top of page", "Skip to content", "Comentarios", "bottom of page"):
        assert noise not in text


# ---- hostile and faulty Word files --------------------------------------------------------------

BILLION_LAUGHS = "<!DOCTYPE w:document [<!ENTITY a \"aaaaaaaaaa\">" + "".join(
    f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
) + "]>"


@pytest.mark.parametrize(
    ("name", "body", "reason"),
    [
        ("unclosed.docx", word_xml("<w:p><w:r><w:t>Unclosed</w:t></w:r>"), "malformed XML"),
        ("laughs.docx", word_xml("<w:p><w:r><w:t>&i;&i;&i;</w:t></w:r></w:p>", prolog=BILLION_LAUGHS), "malformed XML"),
        ("deep.docx", word_xml("<w:p>" + "<w:r>" * 5_000 + "</w:r>" * 5_000 + "</w:p>"), "malformed XML"),  # libxml2 stops at 256
    ],
)
def test_malformed_word_xml_is_refused_with_the_reason(tmp_path: Path, name: str, body: bytes, reason: str) -> None:
    path = docx_with_body(tmp_path / name, tmp_path, body)
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    assert reason in caught.value.reason and name in str(caught.value)


def test_a_word_zip_bomb_is_refused_from_its_directory_before_anything_is_inflated(tmp_path: Path) -> None:
    spaces = b" " * (60 * 1024 * 1024)  # 60 MB of blanks between paragraphs: a 60 KB file
    bomb = docx_with_body(tmp_path / "bomb.docx", tmp_path, word_xml(f"<w:p><w:r><w:t>Hi</w:t></w:r></w:p>{spaces.decode()}"))
    del spaces
    assert bomb.stat().st_size < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError) as caught:
            load_document(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "word/document.xml" in caught.value.reason and "KB_MAX_PART_MB" in caught.value.reason
    assert peak < 5 * 1024 * 1024  # nothing was inflated


@pytest.mark.parametrize(
    ("limits", "setting"),
    [
        (ZipLimits(max_unpacked_bytes=2_000, max_part_bytes=10**9, max_ratio=1000, max_parts=100), "KB_MAX_UNPACKED_MB"),
        (ZipLimits(max_unpacked_bytes=10**9, max_part_bytes=10**9, max_ratio=1000, max_parts=3), "KB_MAX_PARTS"),
    ],
)
def test_each_zip_limit_is_named_when_passed(tmp_path: Path, limits: ZipLimits, setting: str) -> None:
    with pytest.raises(DocumentError) as caught:
        read_docx(word_document(tmp_path / "guide.docx"), limits=limits)
    assert setting in caught.value.reason


def test_a_compressed_part_past_the_ratio_limit_is_refused(tmp_path: Path) -> None:
    body = word_xml("<w:p><w:r><w:t>Hi</w:t></w:r></w:p>" + " " * (2 * 1024 * 1024))
    path = docx_with_body(tmp_path / "squeezed.docx", tmp_path, body)
    with pytest.raises(DocumentError) as caught:
        read_docx(path, limits=ZipLimits(max_unpacked_bytes=10**9, max_part_bytes=10**9, max_ratio=50, max_parts=100))
    assert "KB_MAX_COMPRESSION_RATIO" in caught.value.reason


def test_a_pdf_past_the_page_limit_is_refused_before_its_text_is_extracted(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        read_pdf(multipage_pdf(tmp_path / "long.pdf"), max_pages=2)
    assert "3 pages" in caught.value.reason and "KB_MAX_PAGES" in caught.value.reason


def test_a_document_past_the_passage_limit_is_refused(tmp_path: Path) -> None:
    document = load_document(write(tmp_path / "long.md", "\n\n".join(f"Paragraph {i} " + "word " * 200 for i in range(20))))
    with pytest.raises(DocumentError) as caught:
        check_passages(document, limit=5)
    assert "KB_MAX_PASSAGES" in caught.value.reason


def test_a_pdf_whose_text_takes_too_long_is_refused_with_the_limit(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        read_pdf(multipage_pdf(tmp_path / "slow.pdf"), max_seconds=1e-9)
    assert "KB_MAX_SECONDS_PER_FILE" in caught.value.reason


def test_file_names_in_any_script_get_distinct_readable_ids() -> None:
    names = ["отчёт.md", "доклад.md", "报告.md", "Café notes.md", "Journal_Issue_6.md", "★.md", "☆.md"]
    ids = [doc_id_for(Path(name)) for name in names]
    assert ids[:5] == ["otchet", "doklad", "baogao", "cafe-notes", "journal-issue-6"]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids)
    assert doc_id_for(Path("journal-issue-6.pdf")) == "journal-issue-6"  # the same name in another spelling: one id


def test_a_file_saved_while_it_is_read_is_refused_not_stored_with_the_new_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kb.documents

    path = write(tmp_path / "note.md", "# Note\n\nThe first version.\n")
    real = kb.documents.markdown_blocks

    def saved_meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        path.write_text("# Note\n\nThe second version, saved by an editor mid-read.\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(kb.documents, "markdown_blocks", saved_meanwhile)
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    assert "changed while it was being read" in caught.value.reason
