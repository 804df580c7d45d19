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
from kb.pdf_layout import Line, Vocabulary, arrange_page, collect_pieces, join_line_text, merge_lines, vocabulary
from kb.text_blocks import Block, normalise_text, sidecar_path, written_date
from kb.text_quality import garbage_reason

_SENTENCE_END = re.compile(r"[.!?:;\"”’)]$")
# A paragraph that is a figure and nothing else ("0", "143", "86%"): a chart's tick or bar label. pdf_layout's
# _BARE_FIGURE, a key-figure card's figure, is wider ("12–25", "1 in 4", "c. 50%"): it is read with the label under it.
_LONE_FIGURE = re.compile(r"^[£$€]?\d[\d,.]*(?:%|m|bn|k)?$")
PROSE_WORDS = 8  # a paragraph of at least this many words is prose (not a label, a caption or a table's cell)
_LABELLED = re.compile(r"^[^:.;]{1,40}:\s")  # "27 of 30: adult practitioner posts filled", "Sample size: 51,000"
PAGE_END_BLOCKS = 4  # a page's last paragraphs, one of which a sentence on the next page may go on from
# A page that goes on with a figure: "180,000 children", "£3m from"; not "2.1 Registration" or "18 1.6. WEGE".
_FIGURE_GOES_ON = re.compile(r"^[£$€]?\d[\d,.]*(?:%|m|bn)?\s+[a-z]{2,}")
_LEADER = re.compile(r"(?:\.\s?){4,}\s*\d{1,4}$|\u2026{2,}\s*\d{1,4}$")  # 'Summary ........ 3'
_CONTENTS_ENTRY = re.compile(r"\S\s+\d{1,3}$")
_CONTENTS_TITLES = {"contents", "tableofcontents"}


_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—(\[]?\s*\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?\s*[-–—)\]]?$", re.IGNORECASE)
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
    lines set larger than the body text (or bold on a line of their own) are the headings. Contents entries
    go; table rows and key figures become blocks of their own worded with their labels ('Sample size:
    51,000'); wrapped lines are joined, undoing line-end hyphens the document's own words show to be breaks
    (kb/pdf_layout.py; bench/pdf_library.py measures what this does for the library's questions). A PDF of
    more than `max_pages` pages is refused before any text is extracted, and one whose text takes longer than
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
        lines: list[list[Line]] = []
        styled: list[list[_Styled]] = []
        for number in range(page_count):
            if time.monotonic() > deadline:
                too_slow = (
                    f"reading its text took longer than the limit of {seconds:g} s "
                    f"(KB_MAX_SECONDS_PER_FILE; stopped at page {number + 1} of {page_count})"
                )
                raise DocumentError(str(path), too_slow)
            try:
                pieces = collect_pieces(reader.pages[number])
            except Exception:  # noqa: BLE001 - one bad page should not lose the rest
                pieces = []
            styled.append([_Styled(p.text, p.size, p.bold) for p in pieces])
            lines.append(merge_lines(pieces))
        outline = _outline(reader) or _outline_from_type(styled)
        title = _metadata_title(reader) or _first_page_title(styled)
        # Not the metadata's CreationDate: that is when the file was made (often the day it was exported).
        date = written_date((_page_text(lines[0]) if lines else "")[:2000])  # the first date written on the first page
        if strip_furniture:
            lines = [_drop_contents(page) for page in _strip_running_lines(lines, body=_body_size(styled))]
        if not any(lines):
            raise DocumentError(str(path), "no text layer (a scanned or image-only PDF?); run OCR on it first")
        reason = garbage_reason("\n".join(_page_text(page) for page in lines))
        if reason:
            raise DocumentError(str(path), f"the extracted text is not readable words ({reason}; fonts without a Unicode map?)")
        vocab = vocabulary([line.text for page in lines for line in page])
        steps = _line_steps(lines)
        blocks: list[Block] = []
        levels: list[tuple[int, str]] = []  # the open headings, with their levels, carried over page breaks
        for number, page_lines in enumerate(lines, start=1):
            page = reader.pages[number - 1]
            arranged = arrange_page(page_lines, lambda page=page: _layout_text(page))  # type: ignore[misc]
            headings = [(level, title) for page_no, level, title in outline if page_no == number]
            page_blocks, levels = _page_blocks(arranged, number, headings, levels, vocab=vocab, steps=steps)
            blocks.extend(page_blocks)
    return PdfText(title=title, blocks=_mend_page_breaks(blocks, vocab), date=date)


def _mend_page_breaks(blocks: list[Block], vocab: Vocabulary) -> list[Block]:
    """A paragraph that runs over a page break made one again, cited at its first page: the first paragraph of a page
    that goes on with a sentence ("was high caseloads ...", "1,240 families, including ...") joins the paragraph of the
    page before that left one open, whatever was drawn between them (a footnote, a key-figures box)."""
    mended: list[Block] = []
    for block in blocks:
        open_at = _left_open(mended, block) if _goes_on(block) else None
        if open_at is None:
            mended.append(block)
            continue
        before = mended[open_at]
        mended[open_at] = Block(text=join_line_text(before.text, block.text, vocab), section=before.section, page=before.page)
    return mended


def _goes_on(block: Block) -> bool:
    """Does a paragraph open mid-sentence: with a lowercase word, or a figure and one ("180,000 children")? Not a key
    figure or a labelled value ("27 of 30: adult practitioner posts filled")."""
    if _LABELLED.match(block.text):
        return False
    return bool(re.match(r"[a-z]", block.text)) or bool(_FIGURE_GOES_ON.match(block.text))


def _is_prose(block: Block) -> bool:
    return len(block.text.split()) >= PROSE_WORDS


def _left_open(mended: list[Block], block: Block) -> int | None:
    """The paragraph of the page before `block`'s, in its section and among that page's last few, that stops
    mid-sentence on a word; none when prose of `block`'s own page comes before it (the page's text began there)."""
    if block.page is None:
        return None
    # Read back from the end (pages come in order): this page's paragraphs, then the page before's last few.
    earlier: list[int] = []
    for i in range(len(mended) - 1, -1, -1):
        page = mended[i].page
        if page == block.page:
            if _is_prose(mended[i]) and _SENTENCE_END.search(mended[i].text):
                return None
        elif page == block.page - 1 and len(earlier) < PAGE_END_BLOCKS:
            earlier.append(i)
        else:
            break
    # After a figure, only a word can have been left open ("... which found" / "180,000 children"; not "£253").
    ends = str.isalpha if _FIGURE_GOES_ON.match(block.text) else (lambda end: not _SENTENCE_END.search(end))
    for i in earlier:
        before = mended[i]
        if before.section == block.section and _is_prose(before) and before.text[-1:] and ends(before.text[-1:]):
            return i
    return None


def _open(path: Path, password: str | None) -> PdfReader:
    try:
        reader = PdfReader(path)
    except FileNotDecryptedError:
        reader = None
    except DependencyError as exc:
        raise DocumentError(str(path), f"cannot decrypt: {exc}") from None
    except (PdfReadError, PdfStreamError, ValueError, OSError) as exc:
        if not _starts_like_pdf(path):
            reason = "not a PDF: it does not begin with '%PDF-' (another kind of file renamed .pdf?); save or export it as PDF"
            raise DocumentError(str(path), reason) from None
        raise DocumentError(str(path), f"malformed or truncated PDF ({exc})") from None
    if reader is None or reader.is_encrypted:
        if reader is None:
            raise DocumentError(str(path), "encrypted PDF that cannot be opened")
        if not _decrypt(reader, password):
            hint = f"put its password in {sidecar_path(path).name} as 'password: ...'"
            what = "the password in its sidecar is wrong" if password else "it is encrypted with a password"
            raise DocumentError(str(path), f"{what}; {hint}")
    return reader


def looks_like_pdf(head: bytes) -> bool:
    """A PDF's header ('%PDF-') in its first kilobyte (`head`: at least that much of the file), where readers look for it."""
    return b"%PDF-" in head[:1024]


def _starts_like_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return looks_like_pdf(handle.read(1024))
    except OSError:
        return True  # unreadable: the reader's own error says so


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


# ---- type: sizes and weights of the text runs ----------------------------------------------------


@dataclass(frozen=True)
class _Styled:
    text: str
    size: float
    bold: bool


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
    found: list[tuple[int, _Styled, int]] = []  # page, heading, how many lines it takes
    for page, runs in enumerate(styled, start=1):
        follows = False  # the run before was a heading
        for run in runs:
            heading = _is_heading_run(run, body)
            if heading and follows and _wraps(found[-1][1], found[-1][2], run):
                # A heading wrapped over lines ("2. How Ashcombe set up the" / "model") is one heading, not two.
                _, before, lines = found[-1]
                found[-1] = (page, _Styled(f"{before.text} {run.text}", run.size, run.bold), lines + 1)
            elif heading:
                found.append((page, run, 1))
            follows = heading
    sizes = sorted({run.size for _, run, _ in found}, reverse=True)
    return [(page, sizes.index(run.size), run.text) for page, run, _ in found]


MAX_HEADING_LINES = 3  # as many lines as _match_heading joins to find a heading on its page


def _wraps(heading: _Styled, lines: int, run: _Styled) -> bool:
    """`run`, set in the same type right after a heading of `lines` lines, goes on with it."""
    return run.size == heading.size and run.bold == heading.bold and lines < MAX_HEADING_LINES


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


def _strip_running_lines(pages: list[list[Line]], *, body: float) -> list[list[Line]]:
    """Drop page numbers, the lines that repeat at the top or bottom of most pages, and (after the first page)
    a line in small type standing apart at the very top or bottom (a running head too few pages repeat)."""
    edges_of = [_edge_lines(lines) for lines in pages]
    counts: dict[str, int] = {}
    for edges in edges_of:
        for key in {_furniture_key(line.text) for line in edges}:
            counts[key] = counts.get(key, 0) + 1
    texts = sum(1 for lines in pages if lines)
    repeated = {key for key, n in counts.items() if n >= 2 and n >= RUNNING_SHARE * texts and key}
    cleaned: list[list[Line]] = []
    for lines, edges in zip(pages, edges_of, strict=True):
        furniture = {id(line) for line in edges if _furniture_key(line.text) in repeated or _page_number(line, body)}
        if cleaned:
            furniture |= {id(line) for line in _apart_at_edges(lines, body)}
        cleaned.append([line for line in lines if id(line) not in furniture])
    return cleaned


def _page_number(line: Line, body: float) -> bool:
    """A page number: a bare number no larger than the body text (a key figure set large near the top is no page number)."""
    return bool(_PAGE_NUMBER.match(line.text.strip())) and line.size <= 1.15 * body


def _apart_at_edges(lines: list[Line], body: float) -> list[Line]:
    """The top and bottom lines of a page when set smaller than the body text and far from all other lines."""
    by_height = sorted(lines, key=lambda line: -line.y)
    found: list[Line] = []
    for edge, neighbours in ((by_height[:1], by_height[1:]), (by_height[-1:], by_height[:-1])):
        for line in edge:
            rest = [other for other in neighbours if abs(other.y - line.y) > 0.5 * line.size]
            far = all(abs(other.y - line.y) > 2.5 * body for other in rest)
            if line.size <= 0.85 * body and far and rest:
                found.extend(other for other in lines if abs(other.y - line.y) <= 0.5 * line.size)
    return found


def _edge_lines(lines: list[Line]) -> list[Line]:
    """The lines nearest the top and the bottom of a page, by position (running heads are often drawn last)."""
    by_height = sorted(lines, key=lambda line: -line.y)
    return by_height[:EDGE_LINES] + by_height[EDGE_LINES:][-EDGE_LINES:]


def _drop_contents(lines: list[Line]) -> list[Line]:
    """A contents page's entries ('Summary ........ 3') are no passage; nor is its title when entries follow."""
    numbered = sum(1 for line in lines if _CONTENTS_ENTRY.search(line.text))
    is_contents = numbered >= 3 and any(_squash(line.text) in _CONTENTS_TITLES for line in lines)
    return [
        line
        for line in lines
        if not _LEADER.search(line.text)
        and not (is_contents and (_CONTENTS_ENTRY.search(line.text) or _squash(line.text) in _CONTENTS_TITLES))
    ]


def _page_text(lines: list[Line]) -> str:
    return "\n".join(line.text for line in lines)


def _layout_text(page: Any) -> str:
    """pypdf's fixed-width rendering of a page, where table cells stand apart; asked only for pages with tables."""
    try:
        return str(page.extract_text(extraction_mode="layout"))
    except Exception:  # noqa: BLE001 - without it the table is read as plain lines
        return ""


def _line_steps(pages: list[list[Line]]) -> dict[float, float]:
    """The usual distance between wrapped lines of each type size (a larger gap starts a paragraph)."""
    gaps: dict[float, list[float]] = {}
    for lines in pages:
        for before, after in zip(lines, lines[1:], strict=False):
            gap = before.y - after.y
            if abs(before.size - after.size) < 0.2 and abs(before.x - after.x) < 1 and 0 < gap < 3 * after.size:
                gaps.setdefault(after.size, []).append(gap)
    return {size: sorted(found)[len(found) // 4] for size, found in gaps.items() if len(found) >= 3}


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
    lines: list[Line],
    page: int,
    headings: list[tuple[int, str]],
    levels: list[tuple[int, str]],
    *,
    vocab: Vocabulary,
    steps: dict[float, float],
) -> tuple[list[Block], list[tuple[int, str]]]:
    """Split a page's lines (in reading order) into paragraphs, list items and table rows, switching section
    where a bookmarked heading appears."""
    texts = [line.text for line in lines]
    blocks: list[Block] = []
    paragraph: list[Line] = []
    widest: dict[float, int] = {}
    for line in lines:
        if line.row is None:  # a table row is worded with its labels: its text is not a line as drawn
            widest[round(line.x)] = max(widest.get(round(line.x), 0), len(line.text))

    def add(text: str) -> None:
        if _LONE_FIGURE.match(text):
            return  # a chart's tick or bar label ("0", "50", "86"): no sentence, and no label to read it by
        blocks.append(Block(text=text, section=tuple(h for _, h in levels), page=page))

    def flush() -> None:
        if paragraph:
            text = ""
            for line in paragraph:
                text = join_line_text(text, line.text, vocab)
            marker = paragraph[0].marker
            add(f"{marker} {text}" if marker else text)
            paragraph.clear()

    i = 0
    while i < len(lines):
        matched = _match_heading(texts, i, headings)
        if matched:
            flush()
            span, level, title = matched
            levels = [(lvl, h) for lvl, h in levels if lvl < level] + [(level, title)]
            headings = [h for h in headings if h != (level, title)]  # a box drawn first may be matched out of order
            i += span
            continue
        line = lines[i]
        i += 1
        if line.row is not None:
            flush()
            add(line.row)
            continue
        if paragraph and _starts_paragraph(paragraph, line, steps, widest.get(round(paragraph[-1].x), 0)):
            flush()
        paragraph.append(line)
    flush()
    return blocks, levels


def _starts_paragraph(paragraph: list[Line], line: Line, steps: dict[float, float], widest: int) -> bool:
    """Does `line` begin a new paragraph after the lines of `paragraph`? By spacing, type, indent and markers."""
    prev = paragraph[-1]
    if line.marker is not None or abs(line.size - prev.size) > 0.1 * max(line.size, prev.size) or line.bold != prev.bold:
        return True
    ends_sentence = bool(_SENTENCE_END.search(prev.text))
    gap = prev.y - line.y
    if gap < -0.5 * line.size:  # the next column or box: the paragraph goes on only mid-sentence
        return ends_sentence or not line.text[:1].islower()
    step = min(steps.get(line.size, 1.2 * line.size), 1.6 * line.size)
    if gap > 1.3 * step:
        return True
    if line.x > prev.x + line.size:  # indented: a new paragraph, unless a hanging indent wraps a sentence
        return len(paragraph) > 1 or ends_sentence
    if line.x < prev.x - line.size and len(paragraph) > 1:
        return True
    # Without spacing between paragraphs, a short line that ends a sentence closes its paragraph.
    return ends_sentence and len(prev.text) < 0.8 * widest


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
