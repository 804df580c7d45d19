"""Loading a source file (Markdown, text, PDF, Word, saved web page) into a document: which reader, its metadata, its id."""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path
from typing import Any

from kb.docx import read_docx
from kb.errors import DocumentError, InvalidInputError
from kb.html import read_html
from kb.markdown import looks_like_transcript, markdown_blocks, parse_yaml_mapping, split_front_matter
from kb.pdf import read_pdf
from kb.provenance import OPENING_CHARS, contradicts_title, infer_date, infer_doc_type
from kb.taxonomy import load_taxonomy
from kb.text_blocks import Block, Document, normalise_text, sidecar_path

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm")


def check_doc_type(value: str) -> str:
    """The id of a document type of kb/taxonomy.yaml given by its id or its name as the pages show it ("Case study"),
    else InvalidInputError listing the valid ones."""
    doc_types = load_taxonomy().doc_types
    if value in doc_types:
        return value
    by_name = {name.casefold(): doc_id for doc_id, name in doc_types.items()}
    if value.strip().casefold() in by_name:
        return by_name[value.strip().casefold()]
    raise InvalidInputError(f"unknown doc_type {value!r}; expected one of: {', '.join(doc_types)} (or their names)")


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def check_date(value: object) -> str:
    """A publication date as YYYY, YYYY-MM or YYYY-MM-DD that is a real calendar date, else InvalidInputError."""
    text = str(value).strip()
    match = _DATE.match(text)
    try:
        if not match:
            raise ValueError
        year, month, day = (int(part) if part else 1 for part in match.groups())
        datetime.date(year, month, day)  # 2024-13 and 2024-02-31 fail here
        if year < 1800:
            raise ValueError
    except ValueError:
        raise InvalidInputError(
            f"date {text!r} is not a real date; expected YYYY, YYYY-MM or YYYY-MM-DD, such as 2024-03 or 2024-03-15"
        ) from None
    return text


def check_source(value: object) -> str:
    """A source address that a page may link to: an absolute http(s) URL, else InvalidInputError."""
    from urllib.parse import urlsplit

    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() or ord(c) < 32 for c in text):
        raise InvalidInputError(
            f"source {text[:80]!r} is not a web address; expected http:// or https://, such as https://example.org/report"
        )
    return text


def doc_id_for(path: Path) -> str:
    """A stable, URL-safe, readable id from the file name (without its extension).

    Letters of any script are transliterated (отчёт -> otchet, 报告 -> baogao), so names in other
    alphabets keep distinct ids; a name with nothing to transliterate gets a hash of itself."""
    from anyascii import anyascii

    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(path.stem).lower()).strip("-")
    return slug or "document-" + hashlib.sha256(path.stem.encode("utf-8")).hexdigest()[:10]


def content_hash(path: Path, *, sidecar: bytes | None = None) -> str:
    """Hash of the file's bytes (and its sidecar's), so any edit re-indexes the document; `sidecar` gives the
    hash the file would have with that sidecar (an edit's, before it is written)."""
    digest = hashlib.sha256(path.read_bytes())
    if sidecar is None and sidecar_path(path).exists():
        sidecar = sidecar_path(path).read_bytes()
    if sidecar is not None:
        digest.update(sidecar)
    return digest.hexdigest()


def load_document(path: Path, *, overrides: dict[str, Any] | None = None) -> Document:
    """Load one supported file; raise DocumentError naming the file and the reason if it can't be read."""
    try:
        before = content_hash(path) if path.is_file() else None
        document = _read_document(path, overrides=overrides)
    except (DocumentError, OSError):
        raise
    except Exception as exc:  # noqa: BLE001 - a reader's unexpected failure is this file's problem, never the server's
        raise DocumentError(str(path), f"cannot be read ({type(exc).__name__}: {str(exc)[:200]})") from None
    if document.content_hash != before:  # the stored hash must be the hash of the bytes whose text is indexed
        raise DocumentError(str(path), "the file changed while it was being read; run `kb ingest` again once it is saved")
    return document


def _read_document(path: Path, *, overrides: dict[str, Any] | None = None) -> Document:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(str(path), f"unsupported file type {suffix!r}; expected one of {', '.join(SUPPORTED_SUFFIXES)}")
    if not path.is_file():
        raise DocumentError(str(path), "no such file")
    if suffix == ".pdf":
        meta = _read_sidecar(path)
        pdf = read_pdf(path, password=meta.pop("password", None))
        title = meta.pop("title", None) or pdf.title or _title_from_name(path)
        if pdf.date and "date" not in meta and not contradicts_title(pdf.date, title):
            meta["date"] = pdf.date  # written on its first page; a sidecar's date wins, a year in the title too
        blocks = pdf.blocks
    elif suffix == ".docx":
        meta = _read_sidecar(path)
        word = read_docx(path)
        title = meta.pop("title", None) or word.title or _title_from_name(path)
        blocks = word.blocks
    elif suffix in (".html", ".htm"):
        meta = _read_sidecar(path)
        page = read_html(path)
        title = meta.pop("title", None) or page.title or _title_from_name(path)
        # The page's own date, address and site name; a sidecar's values win.
        page_meta = {"date": page.date, "source": page.source, "publisher": page.publisher}
        meta = {**{k: v for k, v in page_meta.items() if v}, **meta}
        blocks = page.blocks
    else:
        meta, body = split_front_matter(path, _read_utf8(path))
        meta.update(_read_sidecar(path))
        if "doc_type" not in meta and looks_like_transcript(body):
            meta["doc_type"], meta["doc_type_from"] = "transcript", "the document (turns by named speakers)"
        blocks, first_heading = markdown_blocks(body, is_transcript=meta.get("doc_type") == "transcript")
        title = meta.pop("title", None) or first_heading or _title_from_name(path)
    meta.update({k: v for k, v in (overrides or {}).items() if v})
    title = str(meta.pop("title", title))
    blocks = _drop_title_from_sections(blocks, title)
    if not blocks:
        raise DocumentError(str(path), "the file has no text to index (it is empty)")
    doc_type, warnings = _file_doc_type(meta.pop("doc_type", None))
    date = meta.pop("date", None)
    source, source_warnings = _file_source(meta.pop("source", None))
    warnings += source_warnings
    try:
        date = check_date(date) if date is not None else None
    except InvalidInputError as exc:
        raise DocumentError(str(path), str(exc)) from None
    doc_type, date = _read_provenance(doc_type, date, title=title, path=path, blocks=blocks, meta=meta)
    return Document(
        doc_id=doc_id_for(path),
        title=normalise_text(title),
        doc_type=doc_type,
        date=str(date) if date is not None else None,
        path=str(path),
        content_hash=content_hash(path),
        blocks=tuple(blocks),
        source=source,
        publisher=_optional_str(meta.pop("publisher", None)),
        meta={k: v if isinstance(v, (str, int, float, bool)) else str(v) for k, v in meta.items()},
        warnings=warnings,
    )


def _file_doc_type(value: object) -> tuple[str, tuple[str, ...]]:
    """A file's own doc_type (front matter, sidecar); one outside the taxonomy is indexed as 'document', with a
    warning, rather than losing the document over a label."""
    if value is None or not str(value).strip():
        return "document", ()
    doc_type = str(value).strip()
    known = load_taxonomy().doc_types
    if doc_type in known:
        return doc_type, ()
    return "document", (f"doc_type {doc_type!r} is not a known type; indexed as 'document' (known: {', '.join(known)})",)


def _file_source(value: object) -> tuple[str | None, tuple[str, ...]]:
    """A file's own source address: the first web address of a list or of "a ; b" (the others stay in the file);
    none that a page may link to is dropped with a warning, never costing the document."""
    candidates = value if isinstance(value, list) else re.split(r"\s*[;,]\s+|\s+", str(value or "").strip())
    for candidate in candidates:
        try:
            return check_source(str(candidate).strip("[]'\",")), ()
        except InvalidInputError:
            continue
    if value in (None, "", []):
        return None, ()
    return None, (f"source {str(value)[:80]!r} is not a web address (http:// or https://); indexed without one",)


def _read_provenance(
    doc_type: str, date: str | None, *, title: str, path: Path, blocks: list[Block], meta: dict[str, Any]
) -> tuple[str, str | None]:
    """The publication's kind and date: its metadata's, else read from the document (kb/provenance.py); `meta`
    records where each was read from (`doc_type_from`, `date_from`), for the documents page."""
    text = _text_with_headings(blocks)
    if doc_type == "document" and "doc_type_from" not in meta:
        inferred = infer_doc_type(
            title,
            path.stem,
            text[:OPENING_CHARS],
            is_transcript=sum(bool(b.speaker) for b in blocks) >= 0.5 * len(blocks),
            is_web_page=path.suffix.lower() in (".html", ".htm"),
        )
        if inferred != "document":
            doc_type, meta["doc_type_from"] = inferred, "the document (its title and opening)"
    if date is None:
        date, read_from = infer_date(title, text)
        if date:
            meta["date_from"] = f"the document ({read_from})"
    return doc_type, date


def _text_with_headings(blocks: list[Block]) -> str:
    """The document's text in reading order with each new heading on its own line ("Meeting of 27 September 2022")."""
    lines: list[str] = []
    section: tuple[str, ...] = ()
    for block in blocks:
        if block.section != section:
            lines.extend(h for i, h in enumerate(block.section) if section[i : i + 1] != (h,))
            section = block.section
        lines.append(block.text)
    return "\n".join(lines)


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
    return parse_yaml_mapping(sidecar, _read_utf8(sidecar))


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
