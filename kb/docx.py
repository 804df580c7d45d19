"""Reading Word documents (.docx) with python-docx: headings become sections, list paragraphs list items (numbered
as Word numbers them, kb/docx_numbering.py)."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.archives import ZipLimits, check_zip_package
from kb.docx_numbering import Numbering
from kb.errors import DocumentError
from kb.text_blocks import Block, cell_value, normalise_text

_HEADING_STYLE = re.compile(r"^(?:heading\s*(\d)|title)$", re.IGNORECASE)


@dataclass(frozen=True)
class DocxText:
    """What a Word document yields: its title (core properties, else a Title-styled paragraph) and its blocks."""

    title: str | None
    blocks: list[Block]


def read_docx(path: Path, *, limits: ZipLimits | None = None) -> DocxText:
    """Paragraphs, list items and table rows in reading order, under their heading path.

    The zip's sizes are checked first (nothing is inflated past the limits); python-docx's lxml parser
    expands no entities, and libxml2 refuses nesting deeper than 256 and entity amplification: either
    is a DocumentError, like any other damage."""
    import docx  # python-docx; imported here so other formats never load it
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    check_zip_package(path, limits or ZipLimits.from_settings(), what="Word document")
    try:
        document = docx.Document(str(path))
    except XMLSyntaxError as exc:
        raise DocumentError(str(path), f"malformed XML inside the Word document ({exc}); save it again as .docx") from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        reason = "not a readable Word document (damaged, or not really .docx); save it again as .docx"
        raise DocumentError(str(path), reason) from None
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    title_style: str | None = None
    numbering = Numbering(document)
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            section = tuple(h for _, h in headings)
            blocks += [Block(text=line, section=section) for line in _table_lines(item)]
            continue
        text = normalise_text(item.text)
        if not text:
            continue
        style = item.style.name if item.style is not None else ""
        heading = _HEADING_STYLE.match(style)
        if heading:
            level = int(heading.group(1) or 0)
            if level == 0:
                title_style = title_style or text
                continue
            headings[:] = [(lvl, h) for lvl, h in headings if lvl < level] + [(level, text)]
            continue
        if _is_list_item(item, style):
            text = f"{numbering.marker(item, item.style.style_id if item.style is not None else None)} {text}"
        blocks.append(Block(text=text, section=tuple(h for _, h in headings)))
    # The core properties' dates are left alone: they are often the template's, not the publication's.
    title = normalise_text(document.core_properties.title or "") or title_style
    return DocxText(title=title or None, blocks=blocks)


def _table_lines(table: Any) -> list[str]:
    """A table's rows, a line each: its cells in order ("Coventry | 20.9%"). A cell merged across columns counts once
    (python-docx gives it for each column it spans); neighbours that only hold the same value both count
    ("Support fund | 300,000 | 300,000 | 600,000")."""
    lines = []
    for row in table.rows:
        cells = row.cells
        texts = [
            cell_value(normalise_text(cell.text)) for i, cell in enumerate(cells) if not (i and cell._tc is cells[i - 1]._tc)
        ]
        lines.append(" | ".join(text for text in texts if text))
    return [line for line in lines if line]


def _is_list_item(paragraph: object, style: str) -> bool:
    """A bulleted or numbered paragraph: a list style, or numbering set on the paragraph itself."""
    if style.lower().startswith("list"):
        return True
    properties = getattr(paragraph, "_p").pPr  # noqa: B009 - python-docx keeps numbering on the XML element
    return properties is not None and properties.numPr is not None
