"""Editors' changes to the corpus: add or replace an uploaded document, delete one; the index follows."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

from kb.documents import SUPPORTED_SUFFIXES, check_doc_type, doc_id_for, load_document
from kb.embedding import Embedder, default_embedder
from kb.errors import DocumentError, InvalidInputError, UnknownDocumentError
from kb.ingest import IngestReport, ingest, remove_documents
from kb.store import current_generation, indexed_documents
from kb.text_blocks import sidecar_path

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def safe_file_name(name: str) -> str:
    """A plain file name inside the corpus folder: no folders, no '..', no hidden files."""
    plain = Path(name.replace("\\", "/")).name
    if not name or plain != name or plain.startswith(".") or ".." in name or "\x00" in name:
        raise InvalidInputError(
            f"file name {name!r} is not allowed: give a plain name such as 'journal-issue-7.pdf', without folders"
        )
    if Path(plain).suffix.lower() not in SUPPORTED_SUFFIXES:
        raise InvalidInputError(f"file type of {plain!r} is not supported; expected one of {', '.join(SUPPORTED_SUFFIXES)}")
    return plain


def validate_metadata(metadata: dict[str, str | None]) -> dict[str, str]:
    """Title, doc_type, date and source as given by an editor; only known values pass."""
    clean = {k: v.strip() for k, v in metadata.items() if v and v.strip()}
    if "doc_type" in clean:
        check_doc_type(clean["doc_type"])
    if "date" in clean and not _DATE.match(clean["date"]):
        raise InvalidInputError(f"date {clean['date']!r} is not valid; expected YYYY, YYYY-MM or YYYY-MM-DD")
    return clean


def add_document(
    name: str,
    content: bytes,
    metadata: dict[str, str | None],
    *,
    corpus_dir: Path,
    index_dir: Path,
    embedder_factory: Callable[[], Embedder] = default_embedder,
) -> IngestReport:
    """Check an upload, save it (with its metadata as a sidecar) into the corpus and index it.

    The file is read in a scratch folder first: one that cannot be read is refused and neither the
    corpus nor the index changes. A replaced file is restored if indexing fails.
    """
    plain = safe_file_name(name)
    if len(content) > MAX_UPLOAD_BYTES:
        raise InvalidInputError(f"{plain} is {len(content) / 1e6:.1f} MB; the limit is {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    clean = validate_metadata(metadata)
    corpus_dir.mkdir(parents=True, exist_ok=True)
    target = corpus_dir / plain
    with tempfile.TemporaryDirectory(dir=corpus_dir, prefix=".upload-") as scratch:
        staged = Path(scratch) / plain
        staged.write_bytes(content)
        if clean:
            sidecar_path(staged).write_text(yaml.safe_dump(clean, allow_unicode=True, sort_keys=False), encoding="utf-8")
        load_document(staged)  # raises DocumentError with the reason; nothing has been saved yet
        backup = Path(scratch) / "previous"
        backup.mkdir()
        for path in (target, sidecar_path(target)):
            if path.exists():
                shutil.copy2(path, backup / path.name)
        shutil.move(staged, target)
        if sidecar_path(staged).exists():
            shutil.move(sidecar_path(staged), sidecar_path(target))
        try:
            report = ingest([target], index_dir=index_dir, embedder_factory=embedder_factory)
            if report.failed:
                raise DocumentError(plain, report.failed[0].reason)
        except BaseException:
            target.unlink(missing_ok=True)
            sidecar_path(target).unlink(missing_ok=True)
            for saved in backup.iterdir():
                shutil.copy2(saved, corpus_dir / saved.name)
            raise
    return report


def delete_document(doc_id: str, *, corpus_dir: Path, index_dir: Path) -> IngestReport:
    """Remove a document from the index and its file (and sidecar) from the corpus."""
    generation = current_generation(index_dir)
    path: Path | None = None
    if generation is not None:
        known = indexed_documents(generation)
        if doc_id not in known:
            raise UnknownDocumentError(f"no document with id {doc_id!r} in the index")
        path = Path(known[doc_id][1])
    report = remove_documents([doc_id], index_dir=index_dir)
    if path is not None and path.resolve().is_relative_to(corpus_dir.resolve()) and doc_id_for(path) == doc_id:
        path.unlink(missing_ok=True)
        sidecar_path(path).unlink(missing_ok=True)
    return report
