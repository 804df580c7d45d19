"""Loading source files (Markdown, text, PDF) into documents made of structured text blocks."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb.errors import DocumentError, InvalidInputError

DOC_TYPES = ("case-study", "event", "transcript", "journal", "overview", "document")
SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".pdf")

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+")
_SPEAKER = re.compile(r"^([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}):\s+(\S.*)$", re.DOTALL)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


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


def check_doc_type(value: str) -> str:
    """`value` if it is a known document type, else InvalidInputError listing the valid ones."""
    if value not in DOC_TYPES:
        raise InvalidInputError(f"unknown doc_type {value!r}; expected one of: {', '.join(DOC_TYPES)}")
    return value


def doc_id_for(path: Path) -> str:
    """A stable, URL-safe id from the file name (without its extension)."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "document"


def sidecar_path(path: Path) -> Path:
    """Where a file's metadata can live beside it: `<name>.pdf.yaml` (any type; front matter loses to it)."""
    return path.with_name(path.name + ".yaml")


def content_hash(path: Path) -> str:
    """Hash of the file's bytes (and its sidecar's), so any edit re-indexes the document."""
    digest = hashlib.sha256(path.read_bytes())
    sidecar = sidecar_path(path)
    if sidecar.exists():
        digest.update(sidecar.read_bytes())
    return digest.hexdigest()


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


def load_document(path: Path, *, overrides: dict[str, Any] | None = None) -> Document:
    """Load one supported file; raise DocumentError naming the file and the reason if it can't be read."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(str(path), f"unsupported file type {suffix!r}; expected one of {', '.join(SUPPORTED_SUFFIXES)}")
    if not path.is_file():
        raise DocumentError(str(path), "no such file")
    if suffix == ".pdf":
        from kb.pdf import read_pdf

        meta = _read_sidecar(path)
        pdf = read_pdf(path, password=meta.pop("password", None))
        title = meta.pop("title", None) or pdf.title or _title_from_name(path)
        blocks = pdf.blocks
    else:
        meta, body = _split_front_matter(path, _read_utf8(path))
        meta.update(_read_sidecar(path))
        blocks, first_heading = _markdown_blocks(body, is_transcript=meta.get("doc_type") == "transcript")
        title = meta.pop("title", None) or first_heading or _title_from_name(path)
    meta.update({k: v for k, v in (overrides or {}).items() if v})
    title = str(meta.pop("title", title))
    blocks = _drop_title_from_sections(blocks, title)
    if not blocks:
        raise DocumentError(str(path), "the file has no text to index (it is empty)")
    try:
        doc_type = check_doc_type(str(meta.pop("doc_type", "document")))
    except InvalidInputError as exc:
        raise DocumentError(str(path), str(exc)) from None
    date = meta.pop("date", None)
    return Document(
        doc_id=doc_id_for(path),
        title=normalise_text(title),
        doc_type=doc_type,
        date=str(date) if date is not None else None,
        path=str(path),
        content_hash=content_hash(path),
        blocks=tuple(blocks),
        source=_optional_str(meta.pop("source", None)),
        publisher=_optional_str(meta.pop("publisher", None)),
        meta={k: v if isinstance(v, (str, int, float, bool)) else str(v) for k, v in meta.items()},
    )


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _title_from_name(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip().capitalize() or path.name


def _read_utf8(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(str(path), f"not UTF-8 text (byte {exc.start}); save it as UTF-8") from None


def _read_sidecar(path: Path) -> dict[str, Any]:
    sidecar = sidecar_path(path)
    if not sidecar.exists():
        return {}
    return _parse_yaml_mapping(sidecar, _read_utf8(sidecar))


def _parse_yaml_mapping(path: Path, text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise DocumentError(str(path), f"metadata is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise DocumentError(str(path), "metadata must be a YAML mapping of field: value")
    return {str(k): v for k, v in data.items()}


def _split_front_matter(path: Path, text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        return {}, text
    match = re.match(r"^---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|$)", text, re.DOTALL)
    if not match:
        raise DocumentError(str(path), "front matter starts with '---' but has no closing '---' line")
    return _parse_yaml_mapping(path, match.group(1)), text[match.end() :]


def _clean_inline(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\2", text)
    return normalise_text(re.sub(r"\s*\n\s*", " ", text))


def _markdown_blocks(body: str, *, is_transcript: bool) -> tuple[list[Block], str | None]:
    """Paragraphs and list items with their heading path; transcript turns carry their speaker."""
    blocks: list[Block] = []
    headings: list[tuple[int, str]] = []
    first_heading: str | None = None
    speaker: str | None = None
    paragraph: list[str] = []

    def flush() -> None:
        nonlocal speaker
        text = _clean_inline("\n".join(paragraph))
        paragraph.clear()
        if not text:
            return
        section = tuple(h for _, h in headings)
        new_turn = False
        if is_transcript:
            match = _SPEAKER.match(text)
            if match:
                speaker, new_turn = match.group(1), True
        blocks.append(Block(text=text, section=section, speaker=speaker if is_transcript else None, new_turn=new_turn))

    for line in body.splitlines():
        heading = _HEADING.match(line)
        if heading:
            flush()
            level, title = len(heading.group(1)), _clean_inline(heading.group(2))
            first_heading = first_heading or title
            headings[:] = [(lvl, h) for lvl, h in headings if lvl < level] + [(level, title)]
            speaker = None
        elif not line.strip():
            flush()
        elif _LIST_ITEM.match(line):
            flush()
            paragraph.append(line.strip())
        else:
            paragraph.append(line)
    flush()
    return blocks, first_heading


def _drop_title_from_sections(blocks: list[Block], title: str) -> list[Block]:
    """The document's own title is not a section: drop it from every section path."""
    key = normalise_text(title).casefold()
    return [
        Block(
            text=b.text,
            section=tuple(s for s in b.section if s.casefold() != key),
            page=b.page,
            speaker=b.speaker,
            new_turn=b.new_turn,
        )
        for b in blocks
    ]
