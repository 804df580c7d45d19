"""Word documents written with python-docx for the loader tests (headings, lists, a table)."""

from __future__ import annotations

from pathlib import Path


def word_document(path: Path) -> Path:
    """'Kinship care guidance': a title, two heading levels, a bulleted list and a table."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Kinship care guidance"
    document.add_heading("Kinship care guidance", level=0)
    document.add_paragraph("This guidance explains how the council supports kinship carers in Marlow Vale.")
    document.add_heading("Support for carers", level=1)
    document.add_paragraph("Kinship carers get the following support from the council:")
    for item in ("A named social worker", "Monthly peer groups", "Training in therapeutic parenting"):
        document.add_paragraph(item, style="List Bullet")
    document.add_heading("Money", level=2)
    document.add_paragraph("Carers receive a weekly allowance for each child, reviewed every April.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Age", "Weekly allowance"
    table.cell(1, 0).text, table.cell(1, 1).text = "0-4", "£160"
    document.save(str(path))
    return path


def docx_with_body(path: Path, tmp: Path, body: bytes) -> Path:
    """A real Word file whose word/document.xml is replaced by `body` (malformed, a bomb, deeply nested)."""
    import zipfile

    original = word_document(tmp / f"original-{path.stem}.docx")
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for part in source.infolist():
            data = body if part.filename == "word/document.xml" else source.read(part)
            target.writestr(part.filename, data)
    return path


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def word_xml(paragraphs: str, *, prolog: str = "") -> bytes:
    """A document.xml holding the given <w:p> markup."""
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document {W_NS}><w:body>{paragraphs}</w:body></w:document>'.encode()
