"""What every loader produces: a document as metadata plus structured text blocks, and the text clean-up they share."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_MONTHS = "january february march april may june july august september october november december".split()
_DATE_IN_TEXT = re.compile(rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?({'|'.join(_MONTHS)})\s+((?:19|20)\d\d)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Block:
    """A paragraph (or list item, or transcript turn paragraph) with where it sits in the document."""

    text: str
    section: tuple[str, ...] = ()
    page: int | None = None
    speaker: str | None = None
    new_turn: bool = False


@dataclass(frozen=True)
class Document:
    """A loaded source file: metadata plus its text blocks in reading order."""

    doc_id: str
    title: str
    doc_type: str
    date: str | None
    path: str
    content_hash: str
    blocks: tuple[Block, ...]
    source: str | None = None
    publisher: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()  # what was read differently from what the file says (an unknown doc_type)


def sidecar_path(path: Path) -> Path:
    """Where a file's metadata can live beside it: `<name>.pdf.yaml` (any type; front matter loses to it)."""
    return path.with_name(path.name + ".yaml")


def normalise_text(text: str) -> str:
    """NFKC (ligatures such as 'ﬁ' become 'fi'), no soft hyphens or NULs, single spaces."""
    # NFKC would turn ™ and ® into letters glued to the word before them ("ProvocationsTM").
    kept = {c: chr(0xF0000 + i) for i, c in enumerate("\u2122\u00ae\u00a9")}
    for char, placeholder in kept.items():
        text = text.replace(char, placeholder)
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "").replace("\x00", "")
    for char, placeholder in kept.items():
        text = text.replace(placeholder, char)
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


# What a table shows where it has no value: a dash, "n/a". Such a cell states nothing, so no row quotes it.
_NO_VALUE = re.compile(r"[-\u2010-\u2015]+|n/?a", re.I)  # hyphen, en and em dashes


def cell_value(text: str) -> str:
    """A table cell's text, or "" for a cell that holds no value ("–", "n/a"), as for an empty one."""
    return "" if _NO_VALUE.fullmatch(text.strip()) else text


def written_date(text: str, *, at_start: bool = False) -> str | None:
    """'September 2024' -> 2024-09, '14 June 2022' -> 2022-06-14: the first date written in `text` (or at its start)."""
    match = _DATE_IN_TEXT.match(text) if at_start else _DATE_IN_TEXT.search(text)
    if not match:
        return None
    day, month, year = match.group(1), _MONTHS.index(match.group(2).lower()) + 1, match.group(3)
    return f"{year}-{month:02d}-{int(day):02d}" if day and 1 <= int(day) <= 28 else f"{year}-{month:02d}"
