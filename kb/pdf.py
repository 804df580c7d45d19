"""Reading PDFs with pypdf: text per page, sections from the outline, paragraphs from line layout."""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

from kb.errors import DocumentError
from kb.text_blocks import Block, normalise_text, sidecar_path
from kb.text_quality import garbage_reason

_SENTENCE_END = re.compile(r"[.!?:;\"”’)]$")
_ITEM_START = re.compile(r"^(?:[\u2022\u25cf\u25aa\uf0b7\-*]|\d+[.)])\s")


@dataclass(frozen=True)
class PdfText:
    """What a PDF yields: its metadata title and its blocks (1-based pages, outline sections)."""

    title: str | None
    blocks: list[Block]


def read_pdf(path: Path, *, password: str | None = None) -> PdfText:
    """Extract a PDF's text or raise DocumentError saying why it can't be indexed."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # recoverable-structure chatter, not the user's concern
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = _open(path, password)
        try:
            page_count = len(reader.pages)
        except Exception as exc:  # noqa: BLE001 - pypdf raises many types for broken page trees
            raise DocumentError(str(path), f"malformed PDF: its page tree cannot be read ({exc})") from None
        if page_count == 0:
            raise DocumentError(str(path), "the PDF has zero pages")
        pages: list[str] = []
        for number in range(page_count):
            try:
                pages.append(normalise_text(reader.pages[number].extract_text() or ""))
            except Exception:  # noqa: BLE001 - one bad page should not lose the rest
                pages.append("")
        outline = _outline(reader)
        title = _metadata_title(reader)
    if not any(pages):
        raise DocumentError(str(path), "no text layer (a scanned or image-only PDF?); run OCR on it first")
    reason = garbage_reason("\n".join(pages))
    if reason:
        raise DocumentError(str(path), f"the extracted text is not readable words ({reason}; fonts without a Unicode map?)")
    blocks: list[Block] = []
    section: tuple[str, ...] = ()
    for number, text in enumerate(pages, start=1):
        headings = [(level, title) for page, level, title in outline if page == number]
        page_blocks, section = _page_blocks(text, number, headings, section)
        if blocks and page_blocks and _continues(blocks[-1], page_blocks[0]):
            # A paragraph that runs over the page break stays one paragraph, cited at its first page.
            first = page_blocks.pop(0)
            blocks[-1] = Block(text=f"{blocks[-1].text} {first.text}", section=blocks[-1].section, page=blocks[-1].page)
        blocks.extend(page_blocks)
    return PdfText(title=title, blocks=blocks)


def _continues(before: Block, after: Block) -> bool:
    return before.section == after.section and not _SENTENCE_END.search(before.text) and after.text[:1].islower()


def _open(path: Path, password: str | None) -> PdfReader:
    try:
        reader = PdfReader(path)
    except FileNotDecryptedError:
        reader = None
    except DependencyError as exc:
        raise DocumentError(str(path), f"cannot decrypt: {exc}") from None
    except (PdfReadError, PdfStreamError, ValueError, OSError) as exc:
        raise DocumentError(str(path), f"malformed or truncated PDF ({exc})") from None
    if reader is None or reader.is_encrypted:
        if reader is None:
            raise DocumentError(str(path), "encrypted PDF that cannot be opened")
        if not _decrypt(reader, password):
            hint = f"put its password in {sidecar_path(path).name} as 'password: ...'"
            what = "the password in its sidecar is wrong" if password else "it is encrypted with a password"
            raise DocumentError(str(path), f"{what}; {hint}")
    return reader


def _decrypt(reader: PdfReader, password: str | None) -> bool:
    for candidate in ([password] if password else []) + [""]:
        try:
            if reader.decrypt(candidate):
                return True
        except Exception:  # noqa: BLE001 - a wrong key can surface as several error types
            continue
    return False


def _metadata_title(reader: PdfReader) -> str | None:
    try:
        title = reader.metadata.title if reader.metadata else None
    except Exception:  # noqa: BLE001 - unreadable metadata is common and harmless
        return None
    return normalise_text(str(title)) if title and str(title).strip() else None


def _outline(reader: PdfReader) -> list[tuple[int, int, str]]:
    """Flattened bookmarks as (1-based page, level, title), in reading order."""
    found: list[tuple[int, int, str]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            try:
                page = (reader.get_destination_page_number(item) or 0) + 1
                title = normalise_text(str(item.title))
            except Exception:  # noqa: BLE001 - a dangling bookmark is skipped, not fatal
                continue
            if page > 0 and title:
                found.append((page, level, title))

    try:
        walk(reader.outline, 0)
    except Exception:  # noqa: BLE001 - a broken outline leaves the text usable without sections
        return []
    return found


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def _page_blocks(
    text: str, page: int, headings: list[tuple[int, str]], section: tuple[str, ...]
) -> tuple[list[Block], tuple[str, ...]]:
    """Split a page into paragraphs, switching section where a bookmarked heading appears."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    blocks: list[Block] = []
    paragraph: list[str] = []
    levels: list[tuple[int, str]] = list(enumerate(section))
    widest = max((len(line) for line in lines), default=0)

    def flush() -> None:
        if paragraph:
            joined = re.sub(r"(\w)-\s+(\w)", r"\1-\2", " ".join(paragraph))
            blocks.append(Block(text=joined, section=tuple(h for _, h in levels), page=page))
            paragraph.clear()

    i = 0
    while i < len(lines):
        matched = _match_heading(lines, i, headings)
        if matched:
            flush()
            span, level, title = matched
            levels = [(lvl, h) for lvl, h in levels if lvl < level] + [(level, title)]
            headings = headings[headings.index((level, title)) + 1 :]
            i += span
            continue
        line = lines[i]
        if paragraph and _ITEM_START.match(line):
            flush()
        paragraph.append(line)
        # A short line that ends a sentence closes its paragraph (wrapped lines run to the margin).
        if _SENTENCE_END.search(line) and len(line) < 0.8 * widest:
            flush()
        i += 1
    flush()
    return blocks, tuple(h for _, h in levels)


def _match_heading(lines: list[str], i: int, headings: list[tuple[int, str]]) -> tuple[int, int, str] | None:
    """A heading from this page's outline that starts at line i (it may wrap over a few lines)."""
    for level, title in headings[:3]:
        target = _squash(title)
        joined = ""
        for span in range(1, 4):
            if i + span > len(lines):
                break
            joined += _squash(lines[i + span - 1])
            if joined == target:
                return span, level, title
            if not target.startswith(joined):
                break
    return None
