"""Reading PDFs with pypdf: text per page, sections from the outline, paragraphs from line layout."""

from __future__ import annotations

import logging
import re
import time
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


_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—(\[]?\s*\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?\s*[-–—)\]]?$", re.IGNORECASE)
_MONTHS = "january february march april may june july august september october november december".split()
_DATE_IN_TEXT = re.compile(rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?({'|'.join(_MONTHS)})\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_JUNK_TITLE = re.compile(r"^(?:microsoft \w+ - |untitled|document\d*$)|\.(?:docx?|pdf|indd|pptx?)$", re.IGNORECASE)
RUNNING_SHARE = 0.5  # a line at the top or bottom of at least this share of the pages is a running head or foot
EDGE_LINES = 3  # how far from a page's top and bottom running heads and feet are looked for
HEADING_SCALE = 1.15  # a line this much larger than the body text is a heading


@dataclass(frozen=True)
class PdfText:
    """What a PDF yields: title and date (metadata or first page) and its blocks (1-based pages, sections)."""

    title: str | None
    blocks: list[Block]
    date: str | None = None


def read_pdf(
    path: Path,
    *,
    password: str | None = None,
    strip_furniture: bool = True,
    max_pages: int | None = None,
    max_seconds: float | None = None,
) -> PdfText:
    """Extract a PDF's text or raise DocumentError saying why it can't be indexed.

    Running heads and feet (lines repeated at the top or bottom of most pages, page numbers) are removed
    unless `strip_furniture` is False (bench/pdf_cleanup.py measures with and without); without bookmarks,
    lines set larger than the body text (or bold on a line of their own) are the headings. A PDF of more
    than `max_pages` pages is refused before any text is extracted, and one whose text takes longer than
    `max_seconds` to extract is refused then (defaults: KB_MAX_PAGES, KB_MAX_SECONDS_PER_FILE).
    """
    from kb.settings import get_settings

    max_pages = max_pages or get_settings().max_pages
    seconds = max_seconds or get_settings().max_seconds_per_file
    deadline = time.monotonic() + seconds
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
        if page_count > max_pages:
            too_long = f"the PDF has {page_count:,} pages; the limit is {max_pages:,} (KB_MAX_PAGES): split it into parts"
            raise DocumentError(str(path), too_long)
        pages: list[str] = []
        styled: list[list[_Styled]] = []
        for number in range(page_count):
            if time.monotonic() > deadline:
                too_slow = (
                    f"reading its text took longer than the limit of {seconds:g} s "
                    f"(KB_MAX_SECONDS_PER_FILE; stopped at page {number + 1} of {page_count})"
                )
                raise DocumentError(str(path), too_slow)
            runs: list[_Styled] = []
            try:
                pages.append(normalise_text(reader.pages[number].extract_text(visitor_text=_collector(runs)) or ""))
            except Exception:  # noqa: BLE001 - one bad page should not lose the rest
                pages.append("")
            styled.append(runs)
        outline = _outline(reader) or _outline_from_type(styled)
        title = _metadata_title(reader) or _first_page_title(styled)
        # Not the metadata's CreationDate: that is when the file was made (often the day it was exported).
        date = _first_page_date(pages[0] if pages else "")
    if strip_furniture:
        pages = _strip_running_lines(pages)
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
    return PdfText(title=title, blocks=blocks, date=date)


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
    text = normalise_text(str(title)) if title else ""
    return text if text and not _JUNK_TITLE.search(text) else None  # "Microsoft Word - draft3.docx" is no title


def _first_page_date(text: str) -> str | None:
    """'September 2024' -> 2024-09, '14 June 2022' -> 2022-06-14: the first date written on the first page."""
    match = _DATE_IN_TEXT.search(text[:2000])
    if not match:
        return None
    day, month, year = match.group(1), _MONTHS.index(match.group(2).lower()) + 1, match.group(3)
    return f"{year}-{month:02d}-{int(day):02d}" if day and 1 <= int(day) <= 28 else f"{year}-{month:02d}"


# ---- type: sizes and weights of the text runs ----------------------------------------------------


@dataclass(frozen=True)
class _Styled:
    text: str
    size: float
    bold: bool


def _collector(runs: list[_Styled]) -> Any:
    """A pypdf text visitor that records each run's text with its size on the page and whether it is bold."""

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        scale = abs(float(tm[3]) * float(cm[3])) or 1.0
        name = str((font or {}).get("/BaseFont", ""))
        for piece in text.split("\n"):
            piece = normalise_text(piece)
            if piece:
                runs.append(_Styled(piece, round(float(size) * scale, 1), "bold" in name.lower() or "black" in name.lower()))

    return visit


def _body_size(styled: list[list[_Styled]]) -> float:
    weights: dict[float, int] = {}
    for runs in styled:
        for run in runs:
            weights[run.size] = weights.get(run.size, 0) + len(run.text)
    return max(weights, key=lambda size: weights[size]) if weights else 0.0


def _is_heading_run(run: _Styled, body: float) -> bool:
    words = run.text.split()
    if not words or len(words) > 15 or run.text.endswith((".", ",", ";")) or not any(c.isalpha() for c in run.text):
        return False
    if run.text[0] in "\"'\u201c\u2018" or run.text[-1] in "\"'\u201d\u2019":
        return False  # a pull quote: set large, but a quotation, not a heading
    return run.size >= body * HEADING_SCALE or (run.bold and run.size >= body and len(words) <= 10)


def _outline_from_type(styled: list[list[_Styled]]) -> list[tuple[int, int, str]]:
    """Headings found by type when a PDF has no bookmarks: (page, level, title); bigger type, higher level."""
    body = _body_size(styled)
    if not body:
        return []
    found = [(page, run) for page, runs in enumerate(styled, start=1) for run in runs if _is_heading_run(run, body)]
    sizes = sorted({run.size for _, run in found}, reverse=True)
    return [(page, sizes.index(run.size), run.text) for page, run in found]


def _first_page_title(styled: list[list[_Styled]]) -> str | None:
    """The largest type on the first page (its lines joined), when it is larger than the body text and than
    anything on the other pages (type that recurs there is a heading style, not a title)."""
    body = _body_size(styled)
    first = [run for run in styled[0] if any(c.isalpha() for c in run.text)] if styled else []
    if not first or not body:
        return None
    largest = max(run.size for run in first)
    elsewhere = max((run.size for runs in styled[1:] for run in runs), default=0.0)
    if largest < body * HEADING_SCALE or largest <= elsewhere:
        return None
    title = " ".join(run.text for run in first if run.size == largest)
    return title if len(title.split()) <= 25 else None


# ---- running heads and feet ---------------------------------------------------------------------


def _furniture_key(line: str) -> str:
    """A line with its numbers blanked: 'Page 3 of 7' and 'Page 4 of 7' are the same running foot."""
    return re.sub(r"\d+", "#", _squash(line))


def _strip_running_lines(pages: list[str]) -> list[str]:
    """Drop page numbers and the lines that repeat at the top or bottom of most pages."""
    split = [[line for line in page.splitlines() if line.strip()] for page in pages]
    counts: dict[str, int] = {}
    for lines in split:
        edges = {_furniture_key(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]}
        for key in edges:
            counts[key] = counts.get(key, 0) + 1
    texts = sum(1 for lines in split if lines)
    repeated = {key for key, n in counts.items() if n >= 2 and n >= RUNNING_SHARE * texts and key}
    cleaned = []
    for lines in split:
        edge = set(range(min(EDGE_LINES, len(lines)))) | set(range(max(0, len(lines) - EDGE_LINES), len(lines)))
        kept = [
            line
            for i, line in enumerate(lines)
            if not (i in edge and (_furniture_key(line) in repeated or _PAGE_NUMBER.match(line.strip())))
        ]
        cleaned.append("\n".join(kept))
    return cleaned


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
