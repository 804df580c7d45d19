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
