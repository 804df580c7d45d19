"""A PDF page's text with its positions: lines, list markers, tables and key figures as quotable rows."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kb.text_blocks import cell_value, normalise_text

_SHOW_OPS = {b"Tj", b"TJ", b"'", b'"'}
_NUMBER_MARKER = re.compile(r"^\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]$")
_BULLET = re.compile(r"^[\u2022\u25cf\u25aa\u25e6\u2023\u2043\uf0b7\u2013\-*]$")
# A glyph a font maps to no letter: a control character ("\x7f", a bullet in some encodings), a private-use one
# (Symbol's and Wingdings' bullets), or a symbol ("■", "➢", "✓"). Drawn alone beside a line, it is a bullet.
_BULLET_CATEGORIES = frozenset({"Cc", "Co", "So"})
_FOOTNOTE_MARK = re.compile(r"^\d{1,3}(?:,\d{1,3})*$")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_CLOSING = (",", ".", ";", ":", ")", "!", "?", "\u201d")
_FIGURE = re.compile(r"\d|[£$€%]")
MAX_COLUMNS = 8  # a line drawn in more separate pieces than this is word-by-word text, not a table row
ROW_GAP = 1.6  # a vertical gap above this many font sizes separates table rows (and paragraphs)
ROW_SPAN = 8  # font sizes up or down from a line that the lines of its table row stay within
WRAPPED_CELL_SLACK = 1.2  # a cell's wrapped line is at most this much longer than the longest cell line of its rows
LOOKAHEAD = 20  # lines looked ahead from a one-cell line for the next row of several cells
NOTE_MARK_SIZE = 0.85  # a note number is set at most this share of its line's type size (superscripts: about 0.6-0.8)
NOTE_NEIGHBOUR_WORDS = 2  # a note number stands beside a phrase of at least this many words
SUBSCRIPT_DROP = 0.1  # a piece set lower than this many type sizes under its line is a subscript ("X 1"), kept
CARD_LABEL_LINES = 3  # a key-figure card's label under its figure wraps over at most this many lines
# A figure alone, as key-figure cards set it: "51,000", "~40", "c. 50%", "1 in 4", "12–25", "£4.85m", "86%", a range
# "£154–£270", "4% to 39%" (not "3." numbering a heading).
_ONE_FIGURE = (
    r"(?:(?:c\.|ca\.|about|around|over|nearly|almost|up to|more than|fewer than|under)\s?)?"  # "c. 50%", "over 200"
    r"[~≈<>+]?[£$€]?\d[\d,.]*(?<![.,])\s*(?:%|[mk]|bn|million|billion)?\+?(?:\s+in\s+\d+)?"  # "1 in 4"
)
_BARE_FIGURE = re.compile(rf"^{_ONE_FIGURE}(?:\s?\u2013\s?|-|\s+to\s+){_ONE_FIGURE}$|^{_ONE_FIGURE}$", re.I)  # not "2004 - 08"


def is_bullet(text: str) -> bool:
    """Is a piece drawn on its own a bullet ("•", "-", or a glyph that maps to no letter)?"""
    return bool(_BULLET.match(text)) or (len(text) == 1 and unicodedata.category(text) in _BULLET_CATEGORIES)


def _is_marker(text: str) -> bool:
    return is_bullet(text) or bool(_NUMBER_MARKER.match(text))


@dataclass
class Piece:
    """A run of text as pypdf hands it to a visitor: where it starts, its type, and where its text shows began."""

    x: float
    y: float
    size: float
    bold: bool
    text: str
    starts: list[float] = field(default_factory=list)


@dataclass(eq=False)
class Line:
    """One printed line (pieces on one baseline, in stream order), or one table row with its cells."""

    x: float
    y: float
    size: float
    bold: bool
    text: str
    order: int
    starts: list[float] = field(default_factory=list)  # where its text shows (or its pieces) began: its columns
    parts: list[str] = field(default_factory=list)  # the texts of its pieces, when drawn in several
    marker: str | None = None  # the list marker drawn beside it ("1.", or "" for a bullet)
    row: str | None = None  # a table row or key figure, already worded with its labels


def collect_pieces(page: Any) -> list[Piece]:
    """The page's text runs with position, size and weight, in content-stream order (one pypdf pass)."""
    pieces: list[Piece] = []
    pending: list[tuple[float, float]] = []

    def before(operator: bytes, operands: Any, cm: Any, tm: Any) -> None:
        if operator in _SHOW_OPS:
            pending.append(_position(cm, tm))

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if not text.strip():
            return
        x, y = _position(cm, tm)
        scale = abs(float(tm[3]) * float(cm[3])) or 1.0
        height = round(float(size) * scale, 1)
        name = str((font or {}).get("/BaseFont", "")).lower()
        starts = sorted({round(px, 1) for px, py in pending if abs(py - y) < 0.5 * height and px >= x - 1})
        pending[:] = [(px, py) for px, py in pending if abs(py - y) >= 0.5 * height]
        bold = "bold" in name or "black" in name
        for i, part in enumerate(text.split("\n")):
            part = normalise_text(part)
            if part:
                pieces.append(Piece(x, y - i * height * 1.2, height, bold, part, starts if i == 0 else []))

    page.extract_text(visitor_text=visit, visitor_operand_before=before)
    return pieces


def _position(cm: Any, tm: Any) -> tuple[float, float]:
    x = float(tm[4]) * float(cm[0]) + float(tm[5]) * float(cm[2]) + float(cm[4])
    y = float(tm[4]) * float(cm[1]) + float(tm[5]) * float(cm[3]) + float(cm[5])
    return x, y


def merge_lines(pieces: list[Piece]) -> list[Line]:
    """Pieces that follow each other on one baseline are one line (a bold lead-in and the rest of its sentence,
    or the cells of a table row drawn one by one)."""
    groups: list[list[Piece]] = []
    for i, piece in enumerate(pieces):
        if _is_note_mark(piece, pieces[i - 1] if i else None, pieces[i + 1] if i + 1 < len(pieces) else None):
            continue  # a note number: not part of the sentence a reader quotes, nor a line of its own
        last = groups[-1][-1] if groups else None
        if last is not None and abs(piece.y - last.y) < 0.5 * max(piece.size, last.size) and piece.x > last.x:
            if _FOOTNOTE_MARK.match(piece.text) and piece.size < 0.8 * last.size and piece.y > last.y:
                continue  # a raised note number after the words it notes
            groups[-1].append(piece)
        else:
            groups.append([piece])
    lines: list[Line] = []
    for group in groups:
        first = group[0]
        text = first.text
        for piece in group[1:]:
            glued = text.endswith((" ", "(", "/", "\u201c")) or piece.text.startswith(_CLOSING)
            text = text + piece.text if glued else f"{text} {piece.text}"
        # A small-caps lead-in ("AGENCY:") does not set the line's size; a bold one does not make it bold.
        line = Line(first.x, first.y, max(p.size for p in group), all(p.bold for p in group), text, order=len(lines))
        line.starts = [round(p.x, 1) for p in group] if len(group) > 1 else first.starts
        line.parts = [p.text for p in group] if len(group) > 1 else []
        lines.append(line)
    return lines


def _is_note_mark(piece: Piece, before: Piece | None, after: Piece | None) -> bool:
    """A footnote's number: a bare number set smaller than the words it stands beside, raised after a sentence
    ("... the thinnest.'³") or opening its note at the foot of the page ("¹ Ashcombe Borough Council, ...").
    pypdf may give it its line's starting point and baseline (a rise is not a move), so its size says what it is;
    a small figure within a formula ("R × 2", "/2") or lowered under its line ("X 1") is not a note."""
    if not _FOOTNOTE_MARK.match(piece.text):
        return False
    if before is not None and _beside(before, piece):
        return _marks(piece, before)  # after the words it notes
    return after is not None and _beside(after, piece) and _marks(piece, after)  # opening its line


def _beside(other: Piece, piece: Piece) -> bool:
    """On the other piece's line or raised above it, not lowered under it."""
    return 0 <= piece.y - other.y + SUBSCRIPT_DROP * other.size <= 0.5 * other.size


def _marks(piece: Piece, words: Piece) -> bool:
    return piece.size <= NOTE_MARK_SIZE * words.size and len(_WORDS.findall(words.text)) >= NOTE_NEIGHBOUR_WORDS


def attach_markers(lines: list[Line]) -> list[Line]:
    """A bullet or number drawn on its own beside a line marks that line as a list item; the marker line goes.
    A line whose first piece is a bullet (drawn on the text's baseline, a gap before it) is an item too, not a row; so
    is one of a number and one piece of text (a row of more, "1. | Draft the plan | Business manager", stays a row)."""
    for line in lines:
        first = line.parts[0].strip() if line.parts and len(line.starts) == len(line.parts) else ""
        if is_bullet(first) or (len(line.parts) == 2 and _is_marker(first)):
            sign, rest = first, line.parts[1:]
            line.marker = "" if is_bullet(sign) else sign
            text = line.text.lstrip()
            line.text = text[len(sign) :].lstrip() if text.startswith(sign) else " ".join(rest)
            line.parts, line.starts = rest if len(rest) > 1 else [], line.starts[1:]
            line.x = line.starts[0]
    used: set[int] = set()
    for marker in (line for line in lines if _is_marker(line.text)):
        beside = [
            line
            for line in lines
            if not _is_marker(line.text)
            and abs(line.y - marker.y) < 0.3 * line.size
            and marker.x < line.x <= marker.x + 4 * line.size
        ]
        if beside:
            min(beside, key=lambda line: line.x).marker = "" if is_bullet(marker.text) else marker.text
            used.add(id(marker))
    return [line for line in lines if id(line) not in used]


def arrange_page(lines: list[Line], layout_text: Callable[[], str]) -> list[Line]:
    """A page's lines ready to be read: list markers attached, tables and key figures as worded rows.

    Lines stay in the order the page draws them: producers draw columns, boxes and table cells in reading
    order far more often than the page's geometry could tell it (a box beside a column, a cell wrapped
    over three lines); running heads and list markers, often drawn last, are taken out or attached before.
    """
    return pair_key_figures(tables(attach_markers(lines), layout_text))


# ---- tables ---------------------------------------------------------------------------------------


def tables(lines: list[Line], layout_text: Callable[[], str]) -> list[Line]:
    """Tables found among the lines replaced by one line per row, worded with its labels."""
    runs = _table_rows(lines)
    if not runs:
        return lines
    needs_layout = any(not row.parts for rows, _ in runs for row in rows)
    layout_lines = layout_text().splitlines() if needs_layout else []
    for rows, columns in runs:
        if any(row not in lines for row in rows):
            continue  # taken in by the table before it
        cells = {row.order: row.parts or _cut_cells(row, layout_lines) for row in rows}
        if not all(cells.values()):
            continue
        worded, members = _build_table(lines, columns, rows, {k: v for k, v in cells.items() if v})
        first = min(lines.index(m) for m in members)
        gone = {id(m) for m in members}
        lines = (
            [line for line in lines[:first] if id(line) not in gone]
            + worded
            + [line for line in lines[first:] if id(line) not in gone]
        )
    return lines


def _table_rows(lines: list[Line]) -> list[tuple[list[Line], list[float]]]:
    """Runs of consecutive lines drawn as cells at the same x positions (the rows of a table), with the table's columns.

    A row whose cells wrap is often drawn cell by cell, so its lines start at some of the columns only ("No Wrong
    Door  Harrogate and" under a six-column header), and its first column may show only in a later row: once a table
    has three columns or more, a line continues it when its cells start at some of the table's columns or at all of
    them and more, and a line of one cell when it starts at a column, or left of them when the next row is the table's."""
    runs: list[tuple[list[Line], list[float]]] = []
    current: list[Line] = []
    grid: list[float] = []
    for i, line in enumerate(lines):
        cells = line.starts
        if 2 <= len(cells) <= MAX_COLUMNS:
            widened = _widened(grid, current[-1].starts, cells) if current else None
            if current and widened is None:
                runs.append((current, grid))
                current = []
            grid = widened if current and widened is not None else list(cells)
            current.append(line)
        elif current and len(cells) == 1 and line.x > grid[-1] + 2 and abs(line.y - current[-1].y) < 0.5:
            # A cell drawn apart on its row's baseline ("2023-24" after "Measure  2020-21" and its wrapped "(baseline)"):
            # a column further right.
            grid = [*grid, line.x]
        elif current and _column(grid, line.x) is None and not _left_cell(line, lines[i + 1 : i + 1 + LOOKAHEAD], grid):
            runs.append((current, grid))
            current = []
    runs.append((current, grid))
    return [(run, columns) for run, columns in runs if len(run) >= 2]


def _widened(grid: list[float], previous: list[float], cells: list[float]) -> list[float] | None:
    """The table's columns after a line, or None when the line is not a row of it: a row has the same columns as
    the row before or, in a table of three columns or more, some of its columns, or all of them and more (a row
    drawn whole after rows drawn cell by cell shows a column they began before: "Marlow Vale  Family Valued ...")."""
    if len(previous) == len(cells) and all(abs(p - q) < 2 for p, q in zip(previous, cells, strict=True)):
        return grid
    if len(grid) < 3:
        return None
    if all(_column(grid, x) is not None for x in cells):
        return grid
    if all(_column(cells, x) is not None for x in grid):
        return sorted(cells)
    return None


def _left_cell(line: Line, ahead: list[Line], grid: list[float]) -> bool:
    """Is a line of one cell, left of the table's columns, a cell of a column no row has shown yet: is the next line
    of several cells a row of the table, with every line between near it?"""
    if line.x >= grid[0]:
        return False
    for following in ahead:
        if abs(line.y - following.y) > ROW_SPAN * max(line.size, following.size):
            return False
        if 2 <= len(following.starts) <= MAX_COLUMNS:
            return _widened(grid, grid, following.starts) is not None
    return False


def _column(grid: list[float], x: float) -> int | None:
    """The column of a table that starts at x (within 2 points), if any."""
    return next((i for i, c in enumerate(grid) if abs(x - c) < 2), None)


def _cut_cells(piece: Line, layout_lines: list[str]) -> list[str] | None:
    """The cells of a row drawn as one piece, cut where pypdf's layout text shows the column gaps."""
    pattern = re.compile(r"\s+".join(re.escape(word) for word in piece.text.split()))
    for text in layout_lines:
        found = pattern.search(normalise_spacing(text))
        if found:
            cells = [normalise_text(c) for c in re.split(r"\s{2,}", found.group(0))]
            return cells if len(cells) == len(piece.starts) else None
    return None


def _build_table(
    lines: list[Line], columns: list[float], rows: list[Line], cells: dict[int, list[str]]
) -> tuple[list[Line], list[Line]]:
    """Rows of a table as lines worded with their labels ('Sample size: 51,000'), from the table's lines.

    `rows` are the lines found as rows (their cells in `cells`, keyed by line order); lines between and just
    below them that start at a column are the wrapped parts of cells.
    """
    size = max(r.size for r in rows)
    first, last = lines.index(rows[0]), lines.index(rows[-1])
    # A row's wrapped first cell may be drawn before the rest of the row ("Council and", "service", "Model  Notes").
    while first > 0 and _wraps_into(lines[first - 1], rows[0], columns, size):
        first -= 1
    members = lines[first : last + 1]
    # Cells wrapped below the last row found, and rows drawn cell by cell, follow while they start at a column; at
    # the first column, only while no longer than a cell's line: a longer one is the text after the table.
    widest = max(len(part) for parts in cells.values() for part in parts)
    for line in lines[last + 1 :]:
        column = _column(columns, line.x)
        if abs(members[-1].y - line.y) > 3 * size or column is None:
            break
        if column == 0 and len(line.text) > WRAPPED_CELL_SLACK * widest:
            break
        members.append(line)
    fragments: list[tuple[float, int, str, bool]] = []  # (y, column, text, bold)
    for line in members:
        parts = cells.get(line.order)
        if parts:
            # Each cell goes to the column it starts at; a line drawn at every column has them in order.
            at = [_column(columns, x) for x in line.starts] if len(parts) == len(line.starts) else []
            places = at if at and None not in at else list(range(len(parts)))
            fragments.extend((line.y, int(place or 0), part, line.bold) for place, part in zip(places, parts, strict=True))
        else:
            column = max((i for i, c in enumerate(columns) if c <= line.x + 2), default=0)
            fragments.append((line.y, column, line.text, line.bold))
    fragments.sort(key=lambda f: (-f[0], f[1]))
    grid: list[list[list[str]]] = []
    bolds: list[bool] = []
    last_y: float | None = None
    for y, column, text, bold in fragments:
        if last_y is None or last_y - y > ROW_GAP * size:
            grid.append([[] for _ in columns])
            bolds.append(bold)
        grid[-1][column].append(text)
        bolds[-1] = bolds[-1] and bold
        last_y = y
    table = [[cell_value(_join_wrapped(parts)) for parts in row] for row in grid]
    header: list[str] | None = None
    numbers_below = _FIGURE.search(" ".join(cell for row in table[1:] for cell in row))
    if len(table) >= 2 and (bolds[0] or (not _FIGURE.search(" ".join(table[0])) and numbers_below)):
        header = table.pop(0)  # set in bold, or words above figures
    worded = [_word_row(row, header) for row in table]
    anchor = min(members, key=lambda line: line.order)
    return [
        Line(anchor.x, anchor.y - i * 0.01, anchor.size, False, text, order=anchor.order, row=text)
        for i, text in enumerate(worded)
        if text
    ], members


def _wraps_into(above: Line, row: Line, columns: list[float], size: float) -> bool:
    """Is `above`, drawn before a table's first row, a line of one of that row's wrapped cells: in the row's type, at
    a column, on the row's line or just below it ("Looked after 12 months after pre-proceedings" and "letter" before
    "36.2%  44.8%  8.6 percentage points"), or for a bold header just above it too ("Council and" over "service
    Model  Notes")?"""
    near = abs(above.y - row.y) < 3 * size if row.bold else row.y - 3 * size < above.y <= row.y + 0.5 * size
    return above.bold == row.bold and above.size == row.size and near and _column(columns, above.x) is not None


def normalise_spacing(text: str) -> str:
    """Layout text compared with visitor text: the same character forms, its runs of spaces kept."""
    return unicodedata.normalize("NFKC", text).replace("\u00ad", "")


def _join_wrapped(parts: list[str]) -> str:
    text = ""
    for part in parts:
        text = join_line_text(text, part, None) if text else part
    return text


def _word_row(row: list[str], header: list[str] | None) -> str:
    """'Sample size: 51,000' for two columns; 'Leeds — Year: 2017; Children: 515' with column headers."""
    filled = [(i, cell) for i, cell in enumerate(row) if cell]
    if not filled:
        return ""
    if len(row) == 2:
        return f"{row[0].rstrip(':')}: {row[1]}" if row[0] and row[1] else (row[0] or row[1])
    first, rest = row[0], [(i, cell) for i, cell in filled if i > 0]
    if header:
        labelled = "; ".join(f"{header[i]}: {cell}" if header[i] else cell for i, cell in rest)
    else:
        labelled = "; ".join(cell for _, cell in rest)
    return f"{first} — {labelled}" if first else labelled


# ---- key figures ----------------------------------------------------------------------------------


def pair_key_figures(lines: list[Line]) -> list[Line]:
    """A short label followed by a figure set in larger or bolder type is one unit: 'Innovation grant: £4.85m'; so
    is a figure drawn large above its label, as in a row of key-figure cards: '6 adopting councils through SFPC'."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if nxt is not None and line.row is None and nxt.row is None and _is_label(line.text, line) and _is_figure(nxt, line):
            text = f"{line.text.rstrip(':')}: {nxt.text}"
            out.append(Line(line.x, line.y, line.size, False, text, order=line.order, row=text))
            i += 2
            continue
        wrapped = bool(out) and out[-1].size == line.size and 0 < out[-1].y - line.y < 2 * line.size
        label = [] if wrapped else _label_below(line, lines[i + 1 : i + 1 + CARD_LABEL_LINES])
        if label:
            text = f"{line.text} {' '.join(part.text for part in label)}"
            out.append(Line(label[0].x, line.y, label[0].size, False, text, order=line.order, row=text))
            i += 1 + len(label)
            continue
        out.append(line)
        i += 1
    return out


def _label_below(figure: Line, below: list[Line]) -> list[Line]:
    """The lines of a card's label under its figure: short lines in smaller type, just below it and across from it."""
    if figure.row is not None or not _BARE_FIGURE.match(figure.text):
        return []
    label: list[Line] = []
    for line in below:
        above = label[-1] if label else figure
        gap = (2.0 if label else 3.5) * max(line.size, above.size)  # a label's lines are set apart more than a text's
        if (
            line.row is not None
            or line.size * 1.15 > figure.size
            or not _is_label(line.text.removesuffix(","), line)  # "children's homes in England," wraps on
            or not 0 < above.y - line.y < gap
            or not _overlap(_extent(line), _extent(figure))
            or (label and line.size != label[0].size)
        ):
            break
        label.append(line)
    while label and label[-1].text.endswith(","):
        label.pop()  # a label does not end on a comma: what follows it is not the label's
    return label


def _extent(line: Line) -> tuple[float, float]:
    """Where a line runs across the page, roughly (half a font size a character): cards centre their lines."""
    return line.x, line.x + 0.5 * line.size * len(line.text)


def _overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _is_label(text: str, line: Line) -> bool:
    return len(text.split()) <= 10 and not re.search(r"[.!?;,]$", text) and line.marker is None


def _is_figure(line: Line, label: Line) -> bool:
    stands_out = line.size >= 1.15 * label.size or (line.bold and not label.bold)
    near = 0 < label.y - line.y < 3.5 * max(line.size, label.size) and abs(line.x - label.x) < 2
    return stands_out and near and len(line.text.split()) <= 5 and bool(_FIGURE.search(line.text))


# ---- joining wrapped lines ------------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    """The words a document uses, to tell a line-end hyphen that splits a word from one that joins two."""

    words: frozenset[str]
    compounds: frozenset[str]


_WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")


def vocabulary(texts: list[str]) -> Vocabulary:
    """Words and hyphenated compounds of the lines (in order), leaving out the halves of words split at line ends."""
    words: set[str] = set()
    compounds: set[str] = set()
    split_before = False
    for text in texts:
        tokens = _WORD.findall(text)
        split_here = text.endswith("-")
        tokens = tokens[1 if split_before else 0 : len(tokens) - 1 if split_here else len(tokens)]
        split_before = split_here
        for token in tokens:
            token = token.lower()
            if "-" in token:
                compounds.add(token)
                words.update(token.split("-"))
            else:
                words.add(token)
    return Vocabulary(frozenset(words), frozenset(compounds))


def join_line_text(before: str, after: str, vocab: Vocabulary | None) -> str:
    """Two wrapped lines as one text: 'fam-' + 'ily' is 'family', 'well-' + 'being' stays 'well-being'."""
    if not before:
        return after
    if re.search(r"\w[\u2013/]$", before) and after[:1].isalnum():
        return before + after  # 'FAA\u20132020\u2013' + '0686', 'https://' + 'www.'
    match = re.search(r"([A-Za-z]+)-$", before)
    first = re.match(r"[a-z]+", after)
    if not match or not first:
        return f"{before} {after}"
    head, tail = match.group(1).lower(), first.group(0)
    if vocab is None or _keeps_hyphen(head, tail, vocab):
        return before + after
    return before[:-1] + after


def _keeps_hyphen(head: str, tail: str, vocab: Vocabulary) -> bool:
    if f"{head}-{tail}" in vocab.compounds:
        return True
    if head + tail in vocab.words:
        return False
    return head in vocab.words and tail in vocab.words


def _squash(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()
