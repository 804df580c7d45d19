"""Ingestion: synchronise the index with source files, embedding only what changed."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import numpy as np

from kb import store
from kb.chunking import Chunk, chunk_document
from kb.documents import SUPPORTED_SUFFIXES, Document, content_hash, doc_id_for, load_document
from kb.embedding import Embedder, SentenceTransformerEmbedder, default_embedder, embed
from kb.errors import (
    DocumentError,
    IndexMismatchError,
    IndexMissingError,
    KBError,
    StorageError,
    UnknownDocumentError,
    is_disk_full,
)
from kb.taxonomy import tag_chunk

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class FileFailure:
    """A file that could not be indexed, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class FileWarning:
    """A file that was indexed, but not quite as it says (an unknown doc_type indexed as 'document')."""

    path: str
    message: str


@dataclass(frozen=True)
class IngestReport:
    """What an ingest did; `generation` is None when there was nothing to change."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[FileFailure] = field(default_factory=list)
    skipped: list[FileFailure] = field(default_factory=list)  # files of types that are not indexed
    warnings: list[FileWarning] = field(default_factory=list)  # files indexed, with something to correct
    chunks_embedded: int = 0
    chunks_reused: int = 0
    documents: int = 0
    chunks: int = 0
    seconds: float = 0.0
    generation: int | None = None


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[Path], list[FileFailure], list[FileFailure]]:
    """Supported files under `paths`, the directories being synchronised, paths that don't exist, and files
    of other types that are left out (named, so an editor sees that a file was not indexed and why)."""
    files: list[Path] = []
    scopes: list[Path] = []
    missing: list[FileFailure] = []
    skipped: list[FileFailure] = []
    for path in paths:
        if path.is_dir():
            scope = path.resolve()
            scopes.append(scope)
            for f in sorted(path.rglob("*")):
                if not f.is_file() or any(part.startswith(".") for part in f.relative_to(path).parts):
                    continue
                if not _is_under(f, scope):  # a link out of the folder (to /etc/passwd, say) is not the corpus
                    skipped.append(FileFailure(str(f), f"not indexed: it is a link to a file outside {path.name or path}/"))
                elif f.suffix.lower() in SUPPORTED_SUFFIXES:
                    files.append(f)
                elif not _is_sidecar(f):
                    supported = ", ".join(SUPPORTED_SUFFIXES)
                    reason = f"not indexed: {f.suffix or 'no extension'} files are not supported (supported: {supported})"
                    skipped.append(FileFailure(str(f), reason))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(FileFailure(str(path), "no such file or directory"))
    return files, scopes, missing, skipped


def _is_sidecar(path: Path) -> bool:
    """`report.pdf.yaml` beside `report.pdf` (metadata, read with the file), or the folder's README."""
    if path.suffix.lower() in (".yaml", ".yml") and path.with_suffix("").suffix.lower() in SUPPORTED_SUFFIXES:
        return True
    return path.name.lower() in ("readme", "readme.txt")


def ingest(
    paths: Sequence[Path],
    *,
    index_dir: Path,
    rebuild: bool = False,
    embedder_factory: Callable[[], Embedder] = default_embedder,
    on_progress: Progress | None = None,
    overrides: dict[str, dict[str, str]] | None = None,
    preloaded: Mapping[Path, Document] | None = None,
) -> IngestReport:
    """Add, replace and remove documents so the index matches `paths`; all or nothing on disk.

    `preloaded` holds documents already read from some of the paths (an upload is read once)."""
    started = time.perf_counter()
    with store.ingest_lock(index_dir):
        base = None if rebuild else store.current_generation(index_dir)
        if base is not None:
            store.check_compatible(store.read_manifest(base))
        known = _known_documents(base)  # doc_id -> (content hash, path)
        files, scopes, failed, skipped = discover(paths)
        loaded: list[Document] = []
        unchanged: list[str] = []
        file_warnings: list[FileWarning] = []
        seen: dict[str, Path] = {}
        for path in files:
            doc_id = doc_id_for(path)
            if doc_id in seen:
                failed.append(FileFailure(str(path), f"its id {doc_id!r} is already used by {seen[doc_id]}; rename one of them"))
                continue
            seen[doc_id] = path
            try:
                if doc_id in known and known[doc_id][0] == content_hash(path) and not (overrides or {}).get(doc_id):
                    unchanged.append(doc_id)
                    continue
                document = (preloaded or {}).get(path) or load_document(path, overrides=(overrides or {}).get(doc_id))
                check_passages(document)
                loaded.append(document)
                file_warnings += [FileWarning(str(path), message) for message in document.warnings]
            except DocumentError as exc:
                failed.append(FileFailure(exc.path, exc.reason))
            except OSError as exc:
                failed.append(FileFailure(str(path), f"cannot be read ({exc.strerror or exc})"))
        removed = sorted(
            doc_id
            for doc_id, (_, path) in known.items()
            if doc_id not in seen and any(_is_under(Path(path), scope) for scope in scopes)
        )
        replaced = [d.doc_id for d in loaded if d.doc_id in known]
        outcome = partial(
            IngestReport,
            added=[d.doc_id for d in loaded if d.doc_id not in known],
            replaced=replaced,
            removed=removed,
            unchanged=unchanged,
            failed=failed,
            skipped=skipped,
            warnings=file_warnings,
        )
        if not loaded and not removed and not rebuild:
            totals = _totals(base)
            return outcome(documents=totals[0], chunks=totals[1], seconds=time.perf_counter() - started)
        manifest, embedded, total = apply_changes(
            index_dir,
            base=base,
            documents=loaded,
            delete=removed + replaced,
            embedder_factory=embedder_factory,
            on_progress=on_progress,
        )
        return outcome(
            chunks_embedded=embedded,
            chunks_reused=total - embedded,
            documents=manifest.documents,
            chunks=manifest.chunks,
            seconds=time.perf_counter() - started,
            generation=manifest.generation,
        )


def check_passages(document: Document, *, limit: int | None = None) -> None:
    """Raise DocumentError when a document would add more passages than KB_MAX_PASSAGES (one file must not
    hold the index, and every other editor, for half an hour)."""
    from kb.settings import get_settings

    limit = limit or get_settings().max_passages
    count = len(chunk_document(document))
    if count > limit:
        reason = f"it makes {count:,} passages; the limit is {limit:,} per document (KB_MAX_PASSAGES): split it into parts"
        raise DocumentError(document.path, reason)


def apply_changes(
    index_dir: Path,
    *,
    base: Path | None,
    documents: Sequence[Document],
    delete: Sequence[str],
    embedder_factory: Callable[[], Embedder],
    on_progress: Progress | None,
    with_sentences: bool = True,
) -> tuple[store.Manifest, int, int]:
    """Write a new generation: `base` minus `delete`, plus `documents` (chunked, tagged, embedded).

    The caller holds the ingest lock. Returns the manifest, the chunks embedded and the chunks added.
    """
    chunks = {d.doc_id: chunk_document(d) for d in documents}
    all_chunks = [c for doc_chunks in chunks.values() for c in doc_chunks]
    result = _vectors_for(
        all_chunks,
        base=_cache_source(index_dir),
        factory=embedder_factory,
        on_progress=on_progress,
        with_sentences=with_sentences,
    )
    vectors, embedded, dim = result.vectors, result.embedded, result.dim
    try:
        staged, conn = store.stage_generation(index_dir, base)
    except (sqlite3.Error, OSError) as exc:
        store.remove_staged(index_dir)
        full = _disk_full(exc, index_dir)
        if full:
            raise full from None
        raise
    try:
        removed_ids = [cid for doc_id in delete for cid in store.delete_document(conn, doc_id)]
        added_ids: list[int] = []
        offset = 0
        for document in documents:
            doc_chunks = chunks[document.doc_id]
            added_ids += _insert_document(
                conn,
                document,
                doc_chunks,
                vectors[offset : offset + len(doc_chunks)],
                result.sentence_blobs[offset : offset + len(doc_chunks)],
            )
            offset += len(doc_chunks)
        manifest = store.commit_generation(
            index_dir,
            staged,
            conn,
            dim=dim,
            query_model=_query_model(index_dir),
            base=base,
            removed_ids=removed_ids,
            added_ids=added_ids,
            added_vectors=vectors,
        )
    except BaseException as exc:
        conn.close()
        store.remove_staged(index_dir)  # a full disk must not stay full of a half-written generation
        full = _disk_full(exc, index_dir) if isinstance(exc, (sqlite3.Error, OSError, RuntimeError)) else None
        if full:
            raise full from None
        raise
    return manifest, embedded, len(all_chunks)


def _disk_full(exc: BaseException, index_dir: Path) -> StorageError | None:
    """The message for an error that means the disk is full (SQLite, FAISS and the file system each say it
    their own way), or None for any other error."""
    if not is_disk_full(exc):
        return None
    free = shutil.disk_usage(index_dir).free / 1e6 if index_dir.exists() else 0.0
    return StorageError(
        f"the disk holding {index_dir} is full ({free:.1f} MB free); the index was left as it was: "
        "free some space and run the ingest again"
    )


def remove_documents(doc_ids: Sequence[str], *, index_dir: Path) -> IngestReport:
    """Delete documents from the index (not from the corpus); no model is loaded."""
    started = time.perf_counter()
    with store.ingest_lock(index_dir):
        base = store.current_generation(index_dir)
        if base is None:
            raise IndexMissingError(f"no index in {index_dir}: it has not been built from the corpus yet")
        store.check_compatible(store.read_manifest(base))
        known = _known_documents(base)
        missing = [d for d in doc_ids if d not in known]
        if missing:
            raise UnknownDocumentError(f"no document with id {missing[0]!r} in the index")
        manifest, _, _ = apply_changes(
            index_dir,
            base=base,
            documents=[],
            delete=list(doc_ids),
            embedder_factory=SentenceTransformerEmbedder,
            on_progress=None,
        )
    return IngestReport(
        removed=list(doc_ids),
        documents=manifest.documents,
        chunks=manifest.chunks,
        seconds=time.perf_counter() - started,
        generation=manifest.generation,
    )


def _query_model(index_dir: Path) -> str:
    """The ONNX export for torch-free queries, or "" (queries then use sentence-transformers)."""
    from kb.onnx_model import ensure_onnx
    from kb.settings import get_settings

    try:
        return ensure_onnx(index_dir, get_settings().cache_dir)
    except Exception as exc:  # noqa: BLE001 - a failed export costs query speed, never the ingest...
        if is_disk_full(exc):
            raise  # ...unless the disk is full: then the generation cannot be written either
        warnings.warn(f"could not export the model to ONNX ({exc}); queries will load sentence-transformers", stacklevel=2)
        return ""


def _cache_source(index_dir: Path) -> Path | None:
    """The live generation, if its vectors come from the same model (even on --rebuild)."""
    live = store.current_generation(index_dir)
    try:
        if live is not None:
            store.check_compatible(store.read_manifest(live))
            return live
    except KBError:
        pass
    return None


def _is_under(path: Path, scope: Path) -> bool:
    try:
        return path.resolve().is_relative_to(scope)
    except OSError:
        return False


def _known_documents(base: Path | None) -> dict[str, tuple[str, str]]:
    """The live index's documents: doc_id -> (content hash, source path)."""
    return store.indexed_documents(base) if base is not None else {}


def _totals(base: Path | None) -> tuple[int, int]:
    if base is None:
        return 0, 0
    manifest = store.read_manifest(base)
    return manifest.documents, manifest.chunks


@dataclass(frozen=True)
class Embedded:
    """Vectors for a list of chunks: one per chunk, and (float16) one per quotable sentence of each."""

    vectors: np.ndarray
    sentence_blobs: list[bytes]
    embedded: int
    dim: int


def _vectors_for(
    chunks: list[Chunk],
    *,
    base: Path | None,
    factory: Callable[[], Embedder],
    on_progress: Progress | None,
    with_sentences: bool = True,
) -> Embedded:
    """Vectors for the chunks (and their sentences): reused from the live index by text hash, else embedded."""
    cached: dict[str, tuple[bytes, bytes]] = {}
    dim = store.read_manifest(base).dim if base is not None else 0
    if base is not None and chunks:
        try:
            cached = store.stored_embeddings(base, sorted({c.text_hash for c in chunks}))
        except IndexMismatchError:
            cached = {}  # a damaged live index offers no cache; everything is embedded afresh
    todo = [i for i, c in enumerate(chunks) if c.text_hash not in cached]
    embedder = factory() if todo or (base is None and chunks) else None
    if embedder is not None:
        dim = embedder.dim
    vectors = np.zeros((len(chunks), dim), dtype=np.float32)
    blobs = [b""] * len(chunks)
    for i, chunk in enumerate(chunks):
        if chunk.text_hash in cached:
            vectors[i] = np.frombuffer(cached[chunk.text_hash][0], dtype=np.float32)
            blobs[i] = cached[chunk.text_hash][1]
    if todo and embedder is not None:
        # Passages and their sentences go through the model together, batched by length.
        quotes = [[context for _, context in chunks[i].quotes] if with_sentences else [] for i in todo]
        texts = [chunks[i].embed_text for i in todo] + [context for q in quotes for context in q]
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if on_progress:
                on_progress("embedding", done, len(texts))

        matrix = embed(embedder, texts, on_progress=advance)
        vectors[todo] = matrix[: len(todo)]
        offset = len(todo)
        for i, q in zip(todo, quotes, strict=True):
            blobs[i] = matrix[offset : offset + len(q)].astype(np.float16).tobytes()
            offset += len(q)
    return Embedded(vectors=vectors, sentence_blobs=blobs, embedded=len(todo), dim=dim)


def _insert_document(
    conn: store.Connection, doc: Document, chunks: list[Chunk], vectors: np.ndarray, sentence_blobs: list[bytes]
) -> list[int]:
    """Store a document with its chunks, their vectors, tags and the taxonomy words keyword search adds."""
    document = {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "doc_type": doc.doc_type,
        "date": doc.date,
        "source": doc.source,
        "publisher": doc.publisher,
        "path": str(Path(doc.path).resolve()),
        "content_hash": doc.content_hash,
        "meta": json.dumps(doc.meta, ensure_ascii=False),
        "indexed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    passages = []
    for chunk, vector, sentences in zip(chunks, vectors, sentence_blobs, strict=True):
        tags = tag_chunk(chunk)
        passages.append(
            store.PassageRow(
                ordinal=chunk.ordinal,
                title=chunk.title,
                section=chunk.section,
                page=chunk.page,
                speaker=chunk.speaker,
                text=chunk.text,
                embed_text=chunk.embed_text,
                text_hash=chunk.text_hash,
                vector=np.asarray(vector, dtype=np.float32).tobytes(),
                sentence_vectors=sentences,
                tags=tuple((facet, value) for facet, values in tags.items() for value in sorted(values)),
                expansion=" ".join(sorted({v for values in tags.values() for v in values})),
                asked=chunk.asked,
            )
        )
    return store.insert_document(conn, document, passages)
